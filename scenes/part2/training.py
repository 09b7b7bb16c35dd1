"""Stage 15: training. The gradient step of stage 14, repeated: gradient descent with ReLU's
backward fits the network to the data; the output curve bends toward the points while the
loss falls.

The clip shows the run from its random start until a while after the output first fits
the data (``FIT_SHARE``), and its captions say the numbers the readouts show at that moment:
the closing caption claims a fit only when the last epoch shown meets the criterion.
"""

from __future__ import annotations

import numpy as np
from manim import DOWN, LEFT, Create, FadeIn, LaggedStart, ValueTracker, VGroup, Write, smooth

from reluviz.files.data import Dataset
from reluviz.network import trace
from reluviz.scenes.framework import style
from reluviz.scenes.framework.base import StoryScene
from reluviz.scenes.framework.plots import Plot
from reluviz.scenes.framework.widgets import Formula, Number, place, text_tex
from reluviz.ticks import axis_range
from reluviz.train import TrainingResult, TrainingSettings, train
from reluviz.words.numbers import Written, shown

#: Moments of the run the output curve morphs through: every epoch of a short run (so the
#: curve is the network at the epoch the counter shows), at most this many of a long one.
MAX_SNAPSHOTS = 201
#: The fewest epochs the clip shows, however soon the run fits.
MIN_EPOCHS = 16
#: Points the output curve is evaluated at while it morphs (corners move between snapshots).
CURVE_POINTS = 241
#: Points of the loss curve drawn (the run keeps one per epoch).
LOSS_POINTS = 300
FIT_REGION = (-6.75, -0.4, -3.6, 2.7)
LOSS_REGION = (0.4, 6.75, -1.2, 2.7)
READOUT_REGION = (0.4, 6.75, -3.6, -1.6)
#: The output fits the data when no data point is farther from it (vertically) than this
#: share of the data's effectiveness range: on screen, well inside the point's dot.
FIT_SHARE = 0.01
#: Decimals of the error readout (the captions write the error the same way).
ERROR_PLACES = 3
#: Ticks on the loss plot's epoch axis; the clip ends on its last tick.
EPOCH_TICKS = 3
#: The clip runs on past the first fitting (or settled) epoch by this factor, so the curve is
#: seen resting on the data.
RUN_ON = 1.2


def readout_text(value: float, places: int) -> str:
    """A readout's value as the caption writes it: the same fixed decimals as on screen."""
    return shown(Written(round(float(value), places), places))


def largest_miss(run: TrainingResult, epoch: int, data: Dataset) -> float:
    """How far the farthest data point lies from the output (vertically) at ``epoch``."""
    return float(np.max(np.abs(trace(run.weights_at(epoch), data.dosage).output - data.effectiveness)))


def fitted_from(run: TrainingResult, data: Dataset, tolerance: float) -> int | None:
    """The epoch from which on every data point stays within ``tolerance`` of the output
    (gradient descent overshoots: the first epoch that fits may be followed by misses)."""
    misses = np.array([largest_miss(run, e, data) for e in range(len(run.loss))])
    outside = np.flatnonzero(misses > tolerance)
    if len(outside) == 0:
        return 0
    return None if outside[-1] == len(misses) - 1 else int(outside[-1]) + 1


def last_epoch_shown(run: TrainingResult, fit_epoch: int | None) -> int:
    """Where the clip stops: a while after the fit (or, without one, after the error settled),
    rounded up to a tick of the epoch axis so the axis ends where the run shown ends."""
    reached = fit_epoch if fit_epoch is not None else run.settled_epoch()
    final = len(run.loss) - 1
    wanted = min(final, max(MIN_EPOCHS, int(reached * RUN_ON) + 1))
    return int(min(final, axis_range([0, wanted], EPOCH_TICKS)[1]))


class Training(StoryScene):
    stage_name = "training"

    def construct(self) -> None:
        t = self.theme
        drawn = self.inputs.data
        # The points on screen are the data the run fits: all of a small data set's rows, a
        # thinned set of a large one's (its extremes included, so the view is the data's).
        data = drawn.points
        # As many ReLU nodes as the weights file has: its data may need them (two bumps, four nodes).
        settings = TrainingSettings(nodes=len(self.inputs.weights.network.hidden))
        run = train(data, settings)
        self.play(Write(self.title()), run_time=1.0)

        low, high = float(data.dosage.min()), float(data.dosage.max())
        tolerance = FIT_SHARE * float(np.ptp(data.effectiveness))
        shown_epochs = last_epoch_shown(run, fitted_from(run, data, tolerance))
        fits = largest_miss(run, shown_epochs, data) <= tolerance
        moments = np.unique(np.linspace(0, shown_epochs, min(shown_epochs + 1, MAX_SNAPSHOTS)).astype(int))
        xs = np.linspace(low, high, CURVE_POINTS)
        outputs = np.array([trace(run.weights_at(e), xs).output for e in moments])
        fit = Plot(
            [low, high],
            [*data.effectiveness, *outputs.ravel()],
            t,
            width=4.6,
            height=3.9,
            x_name=self.label("dosage"),
            y_name=self.label("output"),
        )
        place(fit, FIT_REGION)
        epochs = np.unique(np.linspace(0, shown_epochs, LOSS_POINTS).astype(int))
        loss_plot = Plot(
            [0, shown_epochs],
            run.loss[epochs],
            t,
            width=4.0,
            height=2.4,
            x_name=self.label("epoch"),
            y_name=self.label("mean_squared_error"),
            x_ticks=EPOCH_TICKS,
            y_ticks=3,
        )
        place(loss_plot, LOSS_REGION)

        moment = ValueTracker(0.0)  # position among the moments: 0 = random start

        def blend() -> tuple[int, float]:
            i = min(int(moment.get_value()), len(moments) - 2)
            return i, moment.get_value() - i

        def output_now() -> np.ndarray:
            i, f = blend()
            return (1 - f) * outputs[i] + f * outputs[i + 1]

        def epoch_now() -> float:
            i, f = blend()
            return (1 - f) * moments[i] + f * moments[i + 1]

        def loss_so_far() -> tuple[np.ndarray, np.ndarray]:
            shown = epochs[epochs <= epoch_now()]
            return shown, run.loss[shown]

        dots = [fit.dot(x, y, t.text, radius=0.1) for x, y in zip(data.dosage, data.effectiveness)]
        curve = fit.curve(xs, output_now, t.total, follows=(moment,))
        falling = loss_plot.curve(
            lambda: loss_so_far()[0], lambda: loss_so_far()[1], t.total, width=4, follows=(moment,)
        )
        epoch_readout = Formula(
            [text_tex(self.label("epoch")), Number(0, t.text, style.EQUATION_SIZE, places=0)],
            t.text,
            style.EQUATION_SIZE,
        )
        loss_readout = Formula(
            [text_tex(self.label("error")), Number(run.loss[0], t.total, style.EQUATION_SIZE, places=ERROR_PLACES)],
            t.text,
            style.EQUATION_SIZE,
        )
        readouts = VGroup(epoch_readout, loss_readout).arrange(DOWN, buff=0.35, aligned_edge=LEFT)
        place(readouts, READOUT_REGION)
        start, end = float(run.loss[0]), float(run.loss[shown_epochs])
        # the lesson's words for its two nodes; other networks are counted
        network = self.label("network_output") if settings.nodes == 2 else self.counted(settings.nodes, "network_of")
        if drawn.thinned:
            sample = " (a sample of {drawn} of its {rows} rows)"
            beat, sample_words = "start_sampled", {"drawn": f"{len(dots):,}", "rows": f"{drawn.rows:,}"}
        else:
            sample, beat, sample_words = "", "start", {}
        with self.beat(
            beat,
            "The data" + sample + " and {network} from random starting weights: mean squared error {error}.",
            network=network,
            error=readout_text(start, ERROR_PLACES),
            **sample_words,
        ):
            self.play(fit.intro(), LaggedStart(*(FadeIn(d, scale=1.6) for d in dots), lag_ratio=0.2), run_time=1.5)
            self.play(Create(curve), loss_plot.intro(), FadeIn(readouts), run_time=1.5)

        epoch_readout.numbers[0].add_updater(lambda m: m.set_value(round(epoch_now())))
        loss_readout.numbers[0].add_updater(lambda m: m.set_value(float(run.loss[int(round(epoch_now()))])))
        self.add(falling)
        with self.beat(
            "descent",
            "The gradient step, repeated: on every data point the backward pass gives each weight's "
            "gradient, and each step moves every weight and bias a little downhill.",
        ):
            self.play(moment.animate.set_value(len(moments) - 1), run_time=9.0, rate_func=smooth)
        for readout in (epoch_readout, loss_readout):
            readout.numbers[0].clear_updaters()
        after = "After {epochs} epochs the error is {error}: "
        if fits:
            trained = "fits", after + "the output passes through every data point."
        else:
            trained = "misses", after + "the output still misses some of the data."
        with self.beat(*trained, epochs=readout_text(shown_epochs, 0), error=readout_text(end, ERROR_PLACES)):
            self.hold()
