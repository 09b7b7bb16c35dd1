"""Stage 20: training in the plane. Stage 15's gradient descent, for two inputs: the network starts
with its creases at random places and, epoch by epoch, every weight moves a little downhill; the
creases move, the regions change, and the error falls. At the end, the trained surface in 3-D
against the data.

The network trained has as many units as the weights file, with its hidden activation; it is
trained as ``reluviz train`` trains (``reluviz.plane.train``, its default settings and seed) on
the data the file names, else on the shipped two-input data. The clip shows the run from its
random start until a while after the error settled (stage 15's rule), and its captions say the
numbers the readouts show then.
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    Create,
    Dot,
    FadeIn,
    FadeOut,
    LaggedStart,
    ManimColor,
    Transform,
    ValueTracker,
    VGroup,
    Write,
)

from reluviz.files.plane_data import DEFAULT_PLANE_DATA, PlaneDataset, load_plane_dataset
from reluviz.model import PlaneWeights
from reluviz.network import with_parameters
from reluviz.plane.network import trace
from reluviz.plane.regions import Regions, constant, exact, regions
from reluviz.plane.shape import pieces
from reluviz.plane.train import Snapshot, snapshots, train_plane
from reluviz.scenes.framework import style
from reluviz.scenes.framework.plots import Plot
from reluviz.scenes.framework.widgets import Formula, Number, place, text_tex
from reluviz.scenes.part3.space import PlaneScene, Space, crease_points, mark_in_space
from reluviz.scenes.part3.square import COLUMN, InputSquare, shape_word, tint
from reluviz.ticks import axis_range
from reluviz.train import TrainingResult, TrainingSettings
from reluviz.words.numbers import Written, shown

#: Moments of the run the map moves through, spaced by the square of their share of the
#: epochs shown: training moves most at its start, which the clip shows slower.
MOMENTS = 61
#: The fewest epochs the clip shows, however soon the error settles.
MIN_EPOCHS = 16
#: The clip runs on past the epoch the error settled by this factor (stage 15's rule).
RUN_ON = 1.2
#: Ticks on the loss plot's epoch axis; the clip ends on its last tick.
EPOCH_TICKS = 3
#: Decimals of the error readout (the captions write the error the same way).
ERROR_PLACES = 4
#: The most data points drawn; a larger data set is drawn as a seeded sample (the captions count every row).
MAX_DOTS = 400
SAMPLE_SEED = 0
DOT_RADIUS = 0.05
#: The readouts at the top of the words' column; the loss plot under them.
READOUT_REGION = (COLUMN[0], COLUMN[1], 0.2, COLUMN[3])
LOSS_REGION = (COLUMN[0] + 0.2, COLUMN[1], COLUMN[2], -0.1)


def readout_text(value: float, places: int) -> str:
    """A readout's value as the caption writes it: the same fixed decimals as on screen."""
    return shown(Written(round(float(value), places), places))


def training_data(weights: PlaneWeights) -> PlaneDataset:
    """The data the network is trained on: the file's own, else the shipped two-input data."""
    return load_plane_dataset(weights.data_path or DEFAULT_PLANE_DATA)


def training_settings(weights: PlaneWeights) -> TrainingSettings:
    """``reluviz train``'s settings, with the file's number of units and hidden activation."""
    network = weights.network
    return TrainingSettings(nodes=len(network.hidden), activation=network.hidden_activation.name)


def last_epoch_shown(run: TrainingResult) -> int:
    """Where the clip stops: a while after the error settled, rounded up to a tick of the
    epoch axis so the axis ends where the run shown ends (or the run's last epoch)."""
    final = len(run.loss) - 1
    wanted = min(final, max(MIN_EPOCHS, int(run.settled_epoch() * RUN_ON) + 1))
    return int(min(final, axis_range([0, wanted], EPOCH_TICKS)[1]))


def moments(last: int) -> np.ndarray:
    """The epochs the map moves through: 0 to ``last``, closer together at the start."""
    return np.unique(np.round(last * np.linspace(0.0, 1.0, MOMENTS) ** 2).astype(int))


def drawn_rows(data: PlaneDataset) -> np.ndarray:
    """Which rows are drawn: all of them, or a seeded sample of ``MAX_DOTS``."""
    rows = len(data.target)
    if rows <= MAX_DOTS:
        return np.arange(rows)
    return np.sort(np.random.default_rng(SAMPLE_SEED).choice(rows, MAX_DOTS, replace=False))


class PlaneTraining(PlaneScene):
    stage_name = "plane_training"

    def construct(self) -> None:
        t = self.theme
        data = training_data(self.plane)
        settings = training_settings(self.plane)
        run = train_plane(data, settings)
        last = last_epoch_shown(run)
        #: the winning network at each moment shown (first: its random start; last: where the clip ends)
        self.snapshots: tuple[Snapshot, ...] = snapshots(run, moments(last))
        self.names = data.names
        path = np.array([run.path[s.epoch] for s in self.snapshots])
        epochs = np.array([s.epoch for s in self.snapshots], dtype=float)
        start, end = self.snapshots[0], self.snapshots[-1]
        counts = [regions(s.weights).count for s in self.snapshots]
        trained = end.weights
        square = InputSquare(trained, t)
        shape = shape_word(trained, self.label)

        moment = ValueTracker(0.0)  # position among the snapshots: 0 = the random start

        def blend() -> tuple[int, float]:
            i = min(int(moment.get_value()), len(self.snapshots) - 2)
            return i, moment.get_value() - i

        def epoch_now() -> int:
            i, f = blend()
            return int(round((1 - f) * epochs[i] + f * epochs[i + 1]))

        def network_now() -> PlaneWeights:
            i, f = blend()
            return with_parameters(run.template, (1 - f) * path[i] + f * path[i + 1])

        def tints_of(found: Regions) -> list:
            return [square.polygon(r.corners, tint(r.pattern, t)) for r in found.regions]

        def lines_of(found: Regions) -> list:
            return [square.crease(c, colour) for c, colour in zip(found.creases, self.colours) if c.ends]

        found = regions(start.weights)
        tints, creases = VGroup(*tints_of(found)), VGroup(*lines_of(found))

        def redraw(_) -> None:
            now = regions(network_now())
            tints.submobjects, creases.submobjects = tints_of(now), lines_of(now)

        # the dots, coloured by target: from the muted colour (lowest) to the sum's green (highest)
        rows = drawn_rows(data)
        low, high = float(data.target.min()), float(data.target.max())
        share = (data.target[rows] - low) / (high - low) if high > low else np.ones(len(rows))
        dots = VGroup(
            *(
                Dot(
                    square.c2p(x, y),
                    radius=DOT_RADIUS,
                    color=ManimColor(t.muted).interpolate(ManimColor(t.total), float(s)),
                )
                for x, y, s in zip(data.x1[rows], data.x2[rows], share)
            )
        )

        count = len(data.target)
        if len(rows) < count:
            data_beat = "data_sampled", "The data: {count} points ({drawn} drawn) over the {shape}."
        else:
            data_beat = "data", "The data: {count} points over the {shape}."
        with self.beat(
            data_beat[0],
            data_beat[1] + " The greener a point, the higher its target.",
            count=f"{count:,}",
            drawn=f"{len(rows):,}",
            shape=shape,
        ):
            self.play(Write(self.title()), FadeIn(square), run_time=1.2)
            self.play(LaggedStart(*(FadeIn(d) for d in dots), lag_ratio=0.01), run_time=1.5)

        epoch_readout = Formula(
            [text_tex(self.label("epoch")), Number(0, t.text, style.EQUATION_SIZE, places=0)],
            t.text,
            style.EQUATION_SIZE,
        )
        loss_readout = Formula(
            [text_tex(self.label("error")), Number(start.loss, t.total, style.EQUATION_SIZE, places=ERROR_PLACES)],
            t.text,
            style.EQUATION_SIZE,
        )
        count_readout = Formula(
            [text_tex(self.label("regions")), Number(counts[0], t.text, style.EQUATION_SIZE, places=0)],
            t.text,
            style.EQUATION_SIZE,
        )
        readouts = VGroup(epoch_readout, loss_readout, count_readout).arrange(DOWN, buff=0.3, aligned_edge=LEFT)
        place(readouts, READOUT_REGION, align=LEFT)
        shown_epochs = np.arange(last + 1)
        loss_plot = Plot(
            [0, last],
            [0.0, *run.loss[: last + 1]],
            t,
            width=4.4,
            height=2.2,
            x_name=self.label("epoch"),
            y_name=self.label("error"),
            x_ticks=EPOCH_TICKS,
            y_ticks=3,
        )
        place(loss_plot, LOSS_REGION)

        def loss_so_far() -> tuple[np.ndarray, np.ndarray]:
            until = shown_epochs[: epoch_now() + 1]
            return until, run.loss[until]

        falling = loss_plot.curve(
            lambda: loss_so_far()[0], lambda: loss_so_far()[1], t.total, width=4, follows=(moment,)
        )

        units = len(self.network.hidden)
        network = self.counted(units, "units", activation=self.network.hidden_activation.named(self.label))
        with self.beat(
            "start",
            "Training starts from {network} with random creases: {regions} regions, mean squared error {error}.",
            network=network,
            regions=readout_text(counts[0], 0),
            error=readout_text(start.loss, ERROR_PLACES),
        ):
            self.play(FadeIn(tints), Create(creases), run_time=1.2)
            self.bring_to_front(dots, creases)
            self.play(FadeIn(readouts), loss_plot.intro(), run_time=1.2)

        epoch_readout.numbers[0].add_updater(lambda m: m.set_value(epoch_now()))
        loss_readout.numbers[0].add_updater(lambda m: m.set_value(float(run.loss[epoch_now()])))
        count_readout.numbers[0].add_updater(lambda m: m.set_value(len(tints)))
        for layer in (tints, creases):
            layer.add_updater(redraw if layer is tints else lambda _: None)
            layer.follows = lambda: (moment,)
        dots.add_updater(lambda _: None)  # redrawn with the map, so it stays above the tints
        dots.follows = lambda: (moment,)
        self.add(falling)
        with self.beat(
            "descent", "Each epoch moves every weight and bias a little downhill. The creases move; the regions change."
        ):
            self.play(moment.animate.set_value(len(self.snapshots) - 1), run_time=10.0, rate_func=lambda x: x)
        for mob in (tints, creases, dots, *(r.numbers[0] for r in readouts)):
            mob.clear_updaters()

        with self.beat(
            "fallen",
            "After {epochs} epochs the error has fallen from {start} to {end}.",
            epochs=readout_text(end.epoch, 0),
            start=readout_text(start.loss, ERROR_PLACES),
            end=readout_text(end.loss, ERROR_PLACES),
        ):
            self.wait(0.5)

        self._surface(trained, data, rows, dots, VGroup(square, tints, creases), counts[-1])

        with self.beat(
            "folds_moved", "As the lesson said: each unit is a fold. Training moves the folds to fit the data."
        ):
            self.hold()

    def _surface(self, trained: PlaneWeights, data: PlaneDataset, rows, dots: VGroup, flat: VGroup, count: int) -> None:
        """The trained surface in 3-D over the floor, the data standing at their targets."""
        t = self.theme
        found = regions(trained)
        activation = trained.network.output_activation
        parts = pieces(found)
        planes = [found.regions[p.region].plane for p in parts]
        heights = [float(activation.function(pl.exactly_at(c))) for pl, p in zip(planes, parts) for c in p.corners]
        space = Space(trained, [*heights, *data.target[rows]], t)
        self.face_viewer(*space.labels())
        self.remove(*space.labels())  # placed by the camera from now on, shown below
        floor = constant(exact(0.0))
        faces = [space.face(p.corners, floor, t.total, opacity=0.6) for p in parts]
        risen = [space.lift(f, pl, activation.function) for f, pl in zip(faces, planes)]
        standing = VGroup(*(dot.copy() for dot in dots))
        mark_in_space(standing)
        for dot in standing:
            dot.by_depth = True  # ordered by depth with the surface's pieces
        along = [crease_points(found.creases, i) for i in range(len(found.creases))]
        folds = [
            space.path(points, trace(trained, *zip(*points)).output, colour)
            for points, colour in zip(along, self.colours)
            if points
        ]
        targets = [space.point(x, y, z) for x, y, z in zip(data.x1[rows], data.x2[rows], data.target[rows])]
        upright = VGroup(space.value_axis, space.ticks, space.tick_labels)  # end-on from above: shown as it tilts
        lying = (space.floor, space.x1_axis, space.x2_axis, space.axis_names)
        square = shape_word(trained, self.label)
        if count == 1:
            cut = "surface_one_region", "Its creases leave the {square} one region."
        else:
            cut = "surface", "Its creases cut the {square} into {count} regions."
        with self.beat(
            cut[0],
            "In 3-D, the trained surface against the data. " + cut[1],
            square=square,
            count=readout_text(count, 0),
        ):
            self.add(standing)
            self.remove(dots)
            self.play(FadeOut(flat), *(FadeIn(m) for m in (*lying, *faces)), run_time=0.8)
            self.tilt(
                space,
                run_time=2.0,
                added_anims=[
                    FadeIn(upright),
                    *(Transform(f, r) for f, r in zip(faces, risen)),
                    *(dot.animate.move_to(at).set_color(t.text) for dot, at in zip(standing, targets)),
                ],
            )
            self.play(LaggedStart(*(Create(f) for f in folds), lag_ratio=0.3), run_time=1.0)
