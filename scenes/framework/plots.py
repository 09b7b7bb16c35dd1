"""Plots whose ranges come from the values drawn, with a view that can follow them.

A ``Plot`` is drawn inside a fixed box on screen. Its x-range is fixed; its y-range
lives in two ValueTrackers, so a scene can animate the view outwards when a line runs
off (``plot.follow``). Curves and dots attached to a plot move with the view through
updaters that change points in place, and only on frames where something changed.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
from manim import (
    DL,
    DOWN,
    DR,
    LEFT,
    RIGHT,
    UL,
    UP,
    UR,
    Animation,
    Dot,
    Line,
    Mobject,
    Rectangle,
    ValueTracker,
    VGroup,
    VMobject,
)

from reluviz.scenes.framework import style
from reluviz.scenes.framework.style import Theme
from reluviz.scenes.framework.widgets import TickLabel
from reluviz.scenes.framework.widgets import label as axis_label
from reluviz.ticks import axis_range, nice_step, tick_values
from reluviz.words.numbers import decimals

TICK_LENGTH = 0.12
LABEL_GAP = 0.15  # the least space between two tick labels


class Plot(VGroup):
    """Axes in a ``width`` x ``height`` box, with tick labels and axis names."""

    def __init__(
        self,
        x_values: Sequence[float],
        y_values: Sequence[float],
        theme: Theme,
        width: float = 6.0,
        height: float = 4.5,
        x_name: str = "",
        y_name: str = "",
        x_ticks: int = 5,
        y_ticks: int = 5,
    ) -> None:
        super().__init__()
        self.theme = theme
        self.y_ticks = y_ticks
        # Fewer ticks when long labels ("-50000") would touch their neighbours.
        for ticks in range(x_ticks, 0, -1):
            self.x_range = axis_range(x_values, ticks)
            self.x_marks = self._x_marks()
            widest = max(label.width for _, label in self.x_marks)
            if width / max(len(self.x_marks) - 1, 1) >= widest + LABEL_GAP:
                break
        low, high, _ = axis_range(y_values, y_ticks)
        self.y_low, self.y_high = ValueTracker(low), ValueTracker(high)
        self.box = Rectangle(width=width, height=height, stroke_opacity=0, fill_opacity=0)
        axis_style = {"color": theme.muted, "stroke_width": style.AXIS_WIDTH}
        self.x_axis, self.y_axis = Line(LEFT, RIGHT, **axis_style), Line(DOWN, UP, **axis_style)
        # Where zero is inside the view, the numbers sit on the plot's edges, on these lines.
        self.x_edge, self.y_edge = Line(LEFT, RIGHT, **axis_style), Line(DOWN, UP, **axis_style)
        self.y_marks = VGroup()
        self.names = VGroup()
        self.x_name = axis_label(x_name, theme.muted) if x_name else None
        self.y_name = axis_label(y_name, theme.muted) if y_name else None
        self.names.add(*(n for n in (self.x_name, self.y_name) if n is not None))
        self.add(self.box, self.x_axis, self.y_axis, self.x_edge, self.y_edge, self.x_marks, self.y_marks, self.names)
        self._drawn_for: tuple | None = None
        self._measured: tuple[bytes, tuple] | None = None  # (the box's points, what they measure)
        self._y_tick_values: list[float] = []
        self.refresh()
        # The updater sits on the box, a part with points: manim treats point-less groups as
        # static and would bake this moment's tick labels into every frame of a moving view.
        self.box.add_updater(lambda _: self.refresh())
        self.box.follows = lambda: (self.y_low, self.y_high)

    # -- coordinates -------------------------------------------------------------

    @property
    def y_range(self) -> tuple[float, float]:
        return (self.y_low.get_value(), self.y_high.get_value())

    def view_state(self) -> tuple:
        return (*self.y_range, *self.box_measures())

    def box_measures(self) -> tuple[float, float, float, float]:
        """The box's left, bottom, width and height, as manim measures them (looking at every point
        of the box), measured again only when its points move: the plot, and every curve and dot
        on it, read them on every frame (a tenth of a Part II clip's drawing CPU)."""
        points = self.box.points.tobytes()
        if self._measured is None or self._measured[0] != points:
            left, bottom = self.box.get_corner(DL)[:2]
            self._measured = points, (left, bottom, self.box.width, self.box.height)
        return self._measured[1]

    def c2p(self, x: float, y: float) -> np.ndarray:
        return self.c2p_all(np.array([x], dtype=float), np.array([y], dtype=float))[0]

    def c2p_all(self, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
        """The points of many data coordinates: the view (whose corner manim finds by looking
        at every point of the box) is read once, not once per point of a curve every frame."""
        left, bottom, width, height = self.box_measures()
        x_low, x_high = self.x_range[:2]
        y_low, y_high = self.y_range
        return np.column_stack(
            [
                left + (xs - x_low) / (x_high - x_low) * width,
                bottom + (ys - y_low) / (y_high - y_low) * height,
                np.zeros(len(xs)),
            ]
        )

    def p2c(self, point: np.ndarray) -> tuple[float, float]:
        left, bottom, width, height = self.box_measures()
        x_low, x_high = self.x_range[:2]
        y_low, y_high = self.y_range
        return (
            x_low + (point[0] - left) / width * (x_high - x_low),
            y_low + (point[1] - bottom) / height * (y_high - y_low),
        )

    def crossing(self) -> tuple[float, float]:
        """Where the axes cross: 0 when 0 is in range, else the range end nearest 0."""
        x_low, x_high = self.x_range[:2]
        y_low, y_high = self.y_range
        return min(max(0.0, x_low), x_high), min(max(0.0, y_low), y_high)

    # -- drawing ------------------------------------------------------------------

    def _x_marks(self) -> VGroup:
        marks = VGroup()
        for x in tick_values(*self.x_range):
            label = TickLabel(x, num_decimal_places=decimals(x), font_size=style.TICK_SIZE, color=self.theme.muted)
            marks.add(
                VGroup(
                    Line(
                        UP * TICK_LENGTH / 2,
                        DOWN * TICK_LENGTH / 2,
                        color=self.theme.muted,
                        stroke_width=style.AXIS_WIDTH,
                    ),
                    label,
                )
            )
        return marks

    def _y_mark(self, y: float) -> VGroup:
        label = TickLabel(y, num_decimal_places=decimals(y), font_size=style.TICK_SIZE, color=self.theme.muted)
        return VGroup(
            Line(
                LEFT * TICK_LENGTH / 2, RIGHT * TICK_LENGTH / 2, color=self.theme.muted, stroke_width=style.AXIS_WIDTH
            ),
            label,
        )

    def refresh(self) -> Plot:
        """Put axes, ticks and names where the current view puts them (skipped when unchanged)."""
        state = self.view_state()
        if state == self._drawn_for or not self.usable():
            return self
        self._drawn_for = state
        x_low, x_high, _ = self.x_range
        y_low, y_high = self.y_range
        x0, y0 = self.crossing()
        self.x_axis.put_start_and_end_on(self.c2p(x_low, y0), self.c2p(x_high, y0))
        self.y_axis.put_start_and_end_on(self.c2p(x0, y_low), self.c2p(x0, y_high))
        y_below = y_low < y0  # the y-axis continues below the x-axis
        x_left = x_low < x0  # the x-axis continues left of the y-axis
        # Below zero, lines run under the x-axis: its numbers go to the foot of the plot, on
        # an edge line of their own, clear of them (likewise the y-axis's, left of zero).
        x_marks_at = y_low if y_below else y0
        y_marks_at = x_low if x_left else x0
        self.x_edge.put_start_and_end_on(self.c2p(x_low, x_marks_at), self.c2p(x_high, x_marks_at))
        self.y_edge.put_start_and_end_on(self.c2p(y_marks_at, y_low), self.c2p(y_marks_at, y_high))
        self.x_edge.set_stroke(opacity=self.x_axis.get_stroke_opacity() if y_below else 0.0)
        self.y_edge.set_stroke(opacity=self.y_axis.get_stroke_opacity() if x_left else 0.0)
        for (tick, label), x in zip(self.x_marks, tick_values(*self.x_range)):
            tick.move_to(self.c2p(x, x_marks_at))
            label.next_to(tick, DOWN, buff=0.1)
        step = nice_step(y_high - y_low, self.y_ticks)
        first = math.ceil(y_low / step - 1e-9)
        values = [
            round((first + i) * step, 10) + 0.0
            for i in range(int((y_high - y_low) / step + 1e-9) + 1)
            if (first + i) * step <= y_high + 1e-9
        ]
        if values != self._y_tick_values:
            self._y_tick_values = values
            self.y_marks.submobjects = [self._y_mark(y) for y in values]
        for (tick, label), y in zip(self.y_marks, values):
            tick.move_to(self.c2p(y_marks_at, y))
            label.next_to(tick, LEFT, buff=0.1)
            # Where the row and the column of numbers meet, in the corner, only the row's shows.
            label.set_opacity(0.0 if abs(y - x_marks_at) < 1e-9 else 1.0)
        if self.x_name is not None:
            self.x_name.next_to(self.c2p(x_high, y0), RIGHT, buff=0.25)
        if self.y_name is not None:
            self.y_name.next_to(self.c2p(x0, y_high), UP, buff=0.25)
        return self

    def label_point(
        self, label: Mobject, point: np.ndarray, avoid: Sequence[VMobject] = (), buff: float = 0.2
    ) -> Mobject:
        """Put ``label`` beside ``point`` on the first side where it meets neither the axes, their
        numbers and names, nor the lines in ``avoid`` (above first, as a reader looks for it)."""
        lines = [self.x_axis, self.y_axis, self.x_edge, self.y_edge, *avoid]
        words = [label for _, label in (*self.x_marks, *self.y_marks) if label.get_fill_opacity() > 0]
        words += list(self.names)
        for distance in (buff, buff + 0.35, buff + 0.7):  # close by first, then a little further out
            for side in (UP, UR, UL, RIGHT, LEFT, DR, DL):
                label.next_to(point, side, buff=distance)
                if not any(_meets(line, label) for line in lines) and not any(_covers(w, label) for w in words):
                    return label
        return label.next_to(point, UP, buff=buff)

    def intro(self, run_time: float = 1.2) -> PlotIntro:
        """Draw the axes, then the ticks and names. (Not ``Create(plot)``: that would squash the
        invisible box every curve of the plot is positioned by.)"""
        return PlotIntro(self, run_time)

    def usable(self) -> bool:
        """False while an animation has squashed the box (nothing can be placed by it then)."""
        _, _, width, height = self.box_measures()
        return width > 1e-6 and height > 1e-6

    def follow(self, values: Sequence[float]) -> list[Animation]:
        """Animations that move the view so ``values`` (and 0) fit: 'the view follows'."""
        low, high, _ = axis_range(values, self.y_ticks)
        if (low, high) == self.y_range:
            return []
        return [self.y_low.animate.set_value(low), self.y_high.animate.set_value(high)]

    def fits(self, values: Sequence[float]) -> bool:
        low, high = self.y_range
        return all(low - 1e-9 <= v <= high + 1e-9 for v in values)

    def curve(
        self,
        xs: Sequence[float] | Callable[[], Sequence[float]],
        ys: Sequence[float] | Callable[[], Sequence[float]],
        color: str,
        width: float = style.CURVE_WIDTH,
        follows: tuple[ValueTracker, ...] = (),
    ) -> Curve:
        return Curve(self, xs, ys, color, width, follows)

    def dot(
        self,
        x: float | Callable[[], float],
        y: float | Callable[[], float],
        color: str,
        radius: float = 0.09,
        follows: tuple[ValueTracker, ...] = (),
    ) -> PlotDot:
        return PlotDot(self, x, y, color, radius, follows)


def _meets(line: VMobject, label: Mobject, margin: float = 0.04) -> bool:
    """Whether ``line`` passes through ``label``'s box (its points, finely interpolated)."""
    if len(line.points) < 2:
        return False
    t = np.linspace(0.0, 1.0, 12)[:, None, None]
    points = line.points[:, :2]
    samples = ((1 - t) * points[:-1] + t * points[1:]).reshape(-1, 2)
    low = label.get_corner(DL)[:2] - margin
    high = label.get_corner(UR)[:2] + margin
    return bool(np.any(np.all((samples >= low) & (samples <= high), axis=1)))


def _covers(words: Mobject, label: Mobject, gap: float = 0.05) -> bool:
    """Whether two boxes of words come closer than ``gap``."""
    low = np.maximum(words.get_corner(DL)[:2], label.get_corner(DL)[:2])
    high = np.minimum(words.get_corner(UR)[:2], label.get_corner(UR)[:2])
    return bool(np.all(high - low > -gap))


class PlotIntro(Animation):
    """Axes drawn, then ticks and names faded in. The plot joins the scene whole (its
    updater, the view following, runs from then on); its box is never squashed."""

    def __init__(self, plot: Plot, run_time: float) -> None:
        super().__init__(plot, run_time=run_time, introducer=True)

    def begin(self) -> None:
        plot = self.mobject
        self.axes = [(axis, axis.copy()) for axis in (plot.x_axis, plot.y_axis, plot.x_edge, plot.y_edge)]
        self.faded = [
            (m, m.get_fill_opacity(), m.get_stroke_opacity())
            for m in VGroup(plot.x_marks, plot.y_marks, plot.names).family_members_with_points()
        ]
        super().begin()

    def interpolate_mobject(self, alpha: float) -> None:
        drawn, shown = min(1.0, 2 * alpha), max(0.0, 2 * alpha - 1)
        for axis, full in self.axes:
            axis.pointwise_become_partial(full, 0, drawn)
        for mob, fill, stroke in self.faded:
            mob.set_fill(opacity=fill * shown)
            mob.set_stroke(opacity=stroke * shown)


class _Shared:
    """A reference that copies of a mobject share instead of copying: manim deep-copies a
    mobject at the start of most animations, and copying the plot with every dot is slow."""

    def __init__(self, value) -> None:
        self.value = value

    def __deepcopy__(self, memo) -> _Shared:
        return self


def _value(v):
    return v() if callable(v) else v


class OnPlot:
    """Something drawn at data coordinates of a plot, redrawn when the view or its data change.

    Data given as functions are read on every frame; ``follows`` must name the trackers they
    read, so that a still picture is drawn once (see ``manim_internals.StillAwareScene``).
    """

    def _attach(self, plot: Plot, data: tuple, follows: tuple[ValueTracker, ...]) -> None:
        if any(callable(d) for d in data) and not follows:
            raise ValueError("data given as functions must name the trackers they follow (follows=...)")
        self._plot, self._trackers = _Shared(plot), _Shared(tuple(follows))
        self.add_updater(lambda m: m.refresh())

    @property
    def plot(self) -> Plot:
        return self._plot.value

    def follows(self) -> tuple:
        """What this depends on: the plot's view, its box, and the trackers its data read."""
        plot = self.plot
        return (plot.y_low, plot.y_high, plot.box, *self._trackers.value)


class Curve(OnPlot, VMobject):
    """A line through (x, y) data points of a plot, straight between them: piecewise-linear
    curves get a point on every corner, smooth ones are sampled finely (reluviz decides).

    ``xs`` and ``ys`` may be functions: a line that grows as a dosage sweeps, or that
    scales as a factor changes.
    """

    def __init__(self, plot: Plot, xs, ys, color: str, width: float, follows: tuple = ()) -> None:
        VMobject.__init__(self, color=color, stroke_width=width)
        self.xs, self.ys = xs, ys
        self._drawn_for: tuple | None = None
        self._attach(plot, (xs, ys), follows)
        self.refresh()

    def data(self) -> tuple[np.ndarray, np.ndarray]:
        return np.asarray(_value(self.xs), dtype=float), np.asarray(_value(self.ys), dtype=float)

    def refresh(self) -> Curve:
        xs, ys = self.data()
        state = (self.plot.view_state(), xs.tobytes(), ys.tobytes())
        if state != self._drawn_for and self.plot.usable():
            self._drawn_for = state
            points = self.plot.c2p_all(xs, ys) if len(xs) else self.plot.c2p_all(np.zeros(1), np.zeros(1))
            if len(points) < 2:
                points = np.repeat(points, 2, axis=0)
            self.set_points_as_corners(points)
        return self


class PlotDot(OnPlot, Dot):
    """A dot at data coordinates; either coordinate may be a function (of a tracker)."""

    def __init__(self, plot: Plot, x, y, color: str, radius: float, follows: tuple = ()) -> None:
        Dot.__init__(self, radius=radius, color=color)
        self.x, self.y = x, y
        self._placed: tuple[bytes, bytes] | None = None  # (where it was moved to, its points then)
        self._attach(plot, (x, y), follows)
        self.refresh()

    def track(self, x, y, follows: tuple[ValueTracker, ...]) -> PlotDot:
        """Move with functions from now on (e.g. of a dosage being swept)."""
        self.x, self.y, self._trackers = x, y, _Shared(tuple(follows))
        return self

    def coordinates(self) -> tuple[float, float]:
        return float(_value(self.x)), float(_value(self.y))

    def refresh(self) -> PlotDot:
        """Moved to its coordinates' point, unless it was moved there and has not moved since
        (manim's ``move_to`` measures the dot first: most frames, nothing on a plot moves)."""
        if self.plot.usable():
            at = self.plot.c2p(*self.coordinates())
            if self._placed != (at.tobytes(), self._points_now()):
                self.move_to(at)
                self._placed = (at.tobytes(), self._points_now())
        return self

    def _points_now(self) -> bytes:
        return b"".join(part.points.tobytes() for part in self.get_family())
