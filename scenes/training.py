"""Stage 14: training. Gradient descent with ReLU's backward fits the network to the data:
the output curve bends toward the points while the loss falls."""

from __future__ import annotations

import numpy as np
from manim import DOWN, LEFT, Create, FadeIn, LaggedStart, ValueTracker, VGroup, Write, smooth

from reluviz.data import DEFAULT_DATA, load_dataset
from reluviz.network import trace
from reluviz.numbers import shown as num
from reluviz.scenes import style
from reluviz.scenes.base import StoryScene
from reluviz.scenes.plots import Plot
from reluviz.scenes.widgets import Formula, Number, place
from reluviz.train import TrainingSettings, train

#: Moments of the run the output curve morphs through.
SNAPSHOTS = 16
#: Points the output curve is evaluated at while it morphs (corners move between snapshots).
CURVE_POINTS = 241
#: Points of the loss curve drawn (the run keeps one per epoch).
LOSS_POINTS = 300
FIT_REGION = (-6.75, -0.4, -3.6, 2.7)
LOSS_REGION = (0.4, 6.75, -1.2, 2.7)
READOUT_REGION = (0.4, 6.75, -3.6, -1.6)


class Training(StoryScene):
    stage_name = "training"

    def construct(self) -> None:
        t = self.theme
        path = self.inputs.weights.data_path or DEFAULT_DATA
        data = load_dataset(path)
        settings = TrainingSettings()
        run = train(data, settings)
        self.play(Write(self.title()), run_time=1.0)

        low, high = float(data.dosage.min()), float(data.dosage.max())
        # Show the run up to a while after the error has settled; the rest changes little.
        shown_epochs = min(settings.epochs, max(SNAPSHOTS, int(run.settled_epoch() * 1.5) + 1))
        moments = np.unique(np.linspace(0, shown_epochs, SNAPSHOTS).astype(int))
        xs = np.linspace(low, high, CURVE_POINTS)
        outputs = np.array([trace(run.weights_at(e), xs).output for e in moments])
        fit = Plot(
            [low, high],
            [*data.effectiveness, *outputs.ravel()],
            t,
            width=4.6,
            height=3.9,
            x_name="dosage",
            y_name="output",
        )
        place(fit, FIT_REGION)
        epochs = np.unique(np.linspace(0, shown_epochs, LOSS_POINTS).astype(int))
        loss_plot = Plot(
            [0, shown_epochs],
            run.loss[epochs],
            t,
            width=4.0,
            height=2.4,
            x_name="epoch",
            y_name="mean squared error",
            x_ticks=3,
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
            [r"\text{epoch}", Number(0, t.text, style.EQUATION_SIZE, places=0)], t.text, style.EQUATION_SIZE
        )
        loss_readout = Formula(
            [r"\text{error}", Number(run.loss[0], t.total, style.EQUATION_SIZE, places=3)], t.text, style.EQUATION_SIZE
        )
        readouts = VGroup(epoch_readout, loss_readout).arrange(DOWN, buff=0.35, aligned_edge=LEFT)
        place(readouts, READOUT_REGION)
        start, end = float(run.loss[0]), float(run.loss[shown_epochs])
        with self.beat(
            f"The data, {len(dots)} points, and the network's output from random starting weights: "
            f"mean squared error {num(start)}."
        ):
            self.play(fit.intro(), LaggedStart(*(FadeIn(d, scale=1.6) for d in dots), lag_ratio=0.2), run_time=1.5)
            self.play(Create(curve), loss_plot.intro(), FadeIn(readouts), run_time=1.5)

        epoch_readout.numbers[0].add_updater(lambda m: m.set_value(round(epoch_now())))
        loss_readout.numbers[0].add_updater(lambda m: m.set_value(float(run.loss[int(round(epoch_now()))])))
        self.add(falling)
        with self.beat(
            "Gradient descent: ReLU's backward gives every weight's slope of the error, and each "
            "step moves all seven numbers a little downhill."
        ):
            self.play(moment.animate.set_value(len(moments) - 1), run_time=9.0, rate_func=smooth)
        for readout in (epoch_readout, loss_readout):
            readout.numbers[0].clear_updaters()
        with self.beat(
            f"After {settings.epochs} epochs the error is {num(end)}, down from {num(start)}: "
            f"the output passes {'through' if end < 0.01 else 'near'} the data."
        ):
            self.hold()
