"""Part III's view from above: the input rectangle as a 2-D map (its axes, the creases in the
units' colours, the regions tinted by which units are on there), and how planes and units are
written, on screen and in captions.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from fractions import Fraction

import numpy as np
from manim import DOWN, LEFT, UP, Line, Mobject, Polygon, VGroup

from reluviz.model import HiddenUnit, PlaneWeights
from reluviz.plane.regions import Crease, Plane, Point, rectangle_corners
from reluviz.scenes.framework import style
from reluviz.scenes.framework.style import Theme
from reluviz.scenes.framework.widgets import Formula, Maths, Number, Term, TickLabel, label, place
from reluviz.words.numbers import MINUS, decimals, term
from reluviz.words.numbers import shown as num

#: Where the map of the input rectangle lies: (left, right, bottom, top) in scene units. The
#: 3-D view's floor is laid here too, so looking straight down both coincide.
SQUARE = (-5.35, -0.45, -2.95, 1.95)
#: The words' column, right of the 3-D view and the map: (left, right, bottom, top).
COLUMN = (0.75, 6.8, -3.6, 2.7)
#: Input names on axes: TeX sets x1's subscript at 0.7 of this, which must still read (26 px).
NAME_SIZE = 40
#: Regions are tinted lightly: the colours of the units on there, at this opacity.
TINT = 0.2
#: How far outside the square a region's number stands when it does not fit inside (scene units).
OUTSIDE = 0.45
#: Words inside a region keep this far from its edges (scene units).
INSIDE_MARGIN = 0.12

NUMBERED = re.compile(r"([A-Za-z])(\d)")


def input_tex(name: str) -> str:
    """An input's name in a formula: x1 as x with a subscript 1, other names as words."""
    match = NUMBERED.fullmatch(name)
    return f"{match.group(1)}_{match.group(2)}" if match else r"\text{" + name + "}"


def input_name(name: str) -> str:
    """An input's name on an axis: as the formulas write it."""
    return Maths(input_tex(name)) if NUMBERED.fullmatch(name) else name


def unit_parts(unit: HiddenUnit, names: Sequence[str]) -> list:
    """ "w1 x1 + w2 x2 + b" with a unit's numbers, as a ``Formula``'s parts (its signs folded)."""
    (w1, w2), first, second = unit.weight, *(input_tex(n) for n in names)
    return [w1, first, Term(w2), second, Term(unit.bias)]


def unit_formula(unit: HiddenUnit, names: Sequence[str], theme: Theme, colour: str, before=(), after=()) -> Formula:
    """The unit's "w1 x1 + w2 x2 + b" between TeX pieces ``before`` and ``after``, its numbers in ``colour``."""
    start = len(before)
    colours = dict.fromkeys((start, start + 2, start + 4), colour)
    return Formula([*before, *unit_parts(unit, names), *after], theme.text, style.EQUATION_SIZE, number_colors=colours)


def unit_words(unit: HiddenUnit, names: Sequence[str]) -> str:
    """The same for a caption: "0 x1 − 4 x2 + 1"."""
    (w1, w2), (first, second) = unit.weight, names
    return f"{num(w1)} {first} {term(w2)} {second} {term(unit.bias)}"


def _terms(plane: Plane) -> list[tuple[float, str | None]]:
    terms = [(float(c), i) for c, i in ((plane.x1, 0), (plane.x2, 1)) if c != 0]
    if plane.constant != 0 or not terms:
        terms.append((float(plane.constant), None))
    return terms


def plane_parts(plane: Plane, names: Sequence[str]) -> list:
    """A region's plane "a x1 + b x2 + c" as a ``Formula``'s parts, terms of 0 left out, a
    coefficient of 1 not written."""
    parts: list = []
    for value, which in _terms(plane):
        name = [] if which is None else [input_tex(names[which])]
        if name and abs(value) == 1:
            parts += ([] if value > 0 and not parts else ["-" if value < 0 else "+"]) + name
        else:
            parts += [Term(value) if parts else value, *name]
    return parts


def plane_words(plane: Plane, names: Sequence[str]) -> str:
    """The same for a caption: "4 x1 − 2 x2 + 0.5"."""
    pieces: list[str] = []
    for value, which in _terms(plane):
        name = "" if which is None else names[which]
        size = "" if name and abs(value) == 1 else num(abs(value))
        written = f"{size} {name}".strip()
        sign = MINUS if value < 0 else "+" if pieces else ""
        pieces.append(f"{sign} {written}" if pieces else f"{sign}{written}")
    return " ".join(pieces)


def tint(pattern: Sequence[bool], theme: Theme) -> str:
    """A region's tint: the colours of the units on there mixed (none on: the background, no tint)."""
    colours = [c for c, on in zip(theme.paths, pattern) if on] or [theme.background]
    channels = np.array([[int(c.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4)] for c in colours]).mean(axis=0)
    return "#" + "".join(f"{round(v):02X}" for v in channels)


def shape_word(weights: PlaneWeights, label: Callable[..., str]) -> str:
    """ "square" when both inputs span the same range, else "rectangle", in ``label``'s words (a scene's)."""
    (l1, h1), (l2, h2) = weights.rectangle
    return label("square" if (l1, h1) == (l2, h2) else "rectangle")


def rest_words(slope: float, label: Callable[..., str]) -> tuple[str, str]:
    """What an activation with ``slope`` below its bend does to what lies below 0, in ``label``'s
    words: ("sets the rest to 0", "sets all of it to 0"), or "multiplies ... by" a slope."""
    if slope == 0:
        return label("sets_rest"), label("sets_all")
    return label("scales_rest", slope=num(slope)), label("scales_all", slope=num(slope))


class InputSquare(VGroup):
    """The input rectangle seen from above in ``SQUARE``: its outline, each axis's ends as
    numbers, and the inputs' names."""

    def __init__(self, weights: PlaneWeights, theme: Theme) -> None:
        super().__init__()
        self.weights, self.theme = weights, theme
        (self.l1, self.h1), (self.l2, self.h2) = weights.rectangle
        corners = [self.c2p(x, y) for x, y in rectangle_corners(weights)]
        self.outline = Polygon(*corners, color=theme.muted, stroke_width=style.AXIS_WIDTH, fill_opacity=0)
        self.numbers = VGroup()
        first, second = weights.inputs
        for value in (self.l1, self.h1):
            self.numbers.add(self._tick(value).next_to(self.c2p(value, self.l2), DOWN, buff=0.15))
        for value in (self.l2, self.h2):
            self.numbers.add(self._tick(value).next_to(self.c2p(self.l1, value), LEFT, buff=0.15))
        middle1, middle2 = (self.l1 + self.h1) / 2, (self.l2 + self.h2) / 2
        self.names = VGroup(
            label(input_name(first.name), theme.muted, NAME_SIZE).next_to(self.c2p(middle1, self.l2), DOWN, buff=0.2),
            label(input_name(second.name), theme.muted, NAME_SIZE).next_to(self.c2p(self.l1, middle2), LEFT, buff=0.2),
        )
        self.add(self.outline, self.numbers, self.names)

    def _tick(self, value: float) -> TickLabel:
        return TickLabel(value, num_decimal_places=decimals(value), font_size=style.TICK_SIZE, color=self.theme.muted)

    def c2p(self, x1: float, x2: float) -> np.ndarray:
        left, right, bottom, top = SQUARE
        return np.array(
            [
                left + (float(x1) - self.l1) / (self.h1 - self.l1) * (right - left),
                bottom + (float(x2) - self.l2) / (self.h2 - self.l2) * (top - bottom),
                0.0,
            ]
        )

    def crease(self, crease: Crease, colour: str, width: float = style.CURVE_WIDTH) -> Line:
        """A unit's crease across the rectangle (it must meet it: ``crease.ends``)."""
        a, b = crease.ends
        return Line(self.c2p(*a), self.c2p(*b), color=colour, stroke_width=width)

    def polygon(self, corners: Sequence[Point], colour: str, opacity: float = TINT) -> Polygon:
        """A region, filled lightly, no outline (the creases draw its edges)."""
        return Polygon(*(self.c2p(x, y) for x, y in corners), stroke_width=0, fill_color=colour, fill_opacity=opacity)

    def spot(self, corners: Sequence[Point], mob: Mobject, margin: float = INSIDE_MARGIN) -> np.ndarray | None:
        """The point deepest inside the convex polygon ``corners`` where ``mob`` fits whole (with
        ``margin`` around it), or None where it does not fit."""
        polygon = np.array([self.c2p(x, y)[:2] for x, y in corners])
        half = np.array([mob.width / 2 + margin, mob.height / 2 + margin])
        low, high = polygon.min(axis=0) + half, polygon.max(axis=0) - half
        if np.any(low > high):
            return None
        xs, ys = np.meshgrid(np.linspace(low[0], high[0], 41), np.linspace(low[1], high[1], 41))
        centres = np.column_stack([xs.ravel(), ys.ravel()])
        edges = np.roll(polygon, -1, axis=0) - polygon
        normals = np.column_stack([edges[:, 1], -edges[:, 0]])  # outward for counter-clockwise corners
        normals /= np.linalg.norm(normals, axis=1, keepdims=True)
        offsets = np.einsum("ij,ij->i", normals, polygon)
        # the box fits when its farthest corner along every outward normal stays inside
        reach = np.abs(normals) @ half
        depth = offsets[None, :] - centres @ normals.T - reach[None, :]
        fits = np.all(depth >= 0, axis=1)
        if not np.any(fits):
            return None
        best = int(np.argmax(np.where(fits, depth.min(axis=1), -np.inf)))
        return np.array([*centres[best], 0.0])


def column(*lines: Mobject, buff: float = 0.45) -> VGroup:
    """``lines`` one under another at the top left of ``COLUMN`` (shrunk only if they would not fit)."""
    return place(VGroup(*lines).arrange(DOWN, buff=buff, aligned_edge=LEFT), COLUMN, align=UP + LEFT)


def region_numbers(square: InputSquare, found, theme: Theme) -> tuple[list[Number], list[Line | None]]:
    """Each region's number, inside it where it fits, else just outside the square with a
    thin line to the region (stacked down the nearest free side, clear of each other)."""
    numbers, leaders, outside = [], [], []
    for index, region in enumerate(found, start=1):
        number = Number(float(index), theme.text, style.LABEL_SIZE)
        spot = square.spot(region.corners, number)
        if spot is not None:
            numbers.append(number.move_to(spot))
            leaders.append(None)
            continue
        inner = square.spot(region.corners, VGroup(), margin=0.0)
        centre = inner if inner is not None else square.c2p(*map(float, region.centroid()))
        outside.append((number, centre))
        numbers.append(number)
        leaders.append(None)
    left, right, bottom, top = SQUARE
    taken: list[float] = []
    for number, centre in sorted(outside, key=lambda pair: -pair[1][1]):
        y = float(np.clip(centre[1], bottom + 0.3, top - 0.3))
        while any(abs(y - other) < number.height + 0.25 for other in taken):
            y -= number.height + 0.25
        taken.append(y)
        number.move_to([right + OUTSIDE + number.width / 2, y, 0])
        leader = Line(centre, number.get_left() + LEFT * 0.08, color=theme.muted, stroke_width=2)
        leaders[numbers.index(number)] = leader
    return numbers, leaders


def as_floats(point: tuple[Fraction, Fraction]) -> tuple[float, float]:
    return float(point[0]), float(point[1])
