"""The regions a ReLU network's creases cut its input rectangle into, computed exactly.

Each hidden unit's input w1 x1 + w2 x2 + b crosses its activation's bend (0 for ReLU and
leaky ReLU) along a crease line. The creases cut the rectangle into convex regions; inside
one, every unit is on (its input above the bend) or off: the region's activation pattern.
There every unit's activation is a plane (ReLU's: the unit's own plane, or 0), so the
output before the output activation is one plane a x1 + b x2 + c, the sum of the units'
planes times their output weights, plus the output bias.

Exact: every number is taken as the file writes it (0.1 is 1/10, as a fraction) and the
rectangle is cut one crease at a time by half-plane clipping in rational arithmetic, so a
crease written through a corner passes through it, coincident creases coincide and
parallel ones never meet. No sampling and no tolerance: a part of zero area (a crease
along an edge, or touching a corner) is not a region.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from reluviz.activations import Activation
from reluviz.files.errors import InputFileError
from reluviz.model import Network, PlaneWeights

Point = tuple[Fraction, Fraction]


def exact(x: float) -> Fraction:
    """A number as its shortest decimal writes it: the file's 0.1 is 1/10, not the float
    nearest to it, so creases meet where the numbers as written say they do."""
    return Fraction(repr(float(x)))


def largest_count(units: int) -> int:
    """The most regions ``units`` lines can cut the whole plane into, reached when no two are
    parallel and no three meet in a point: 1 + n + n(n - 1) / 2 (3 units: 7; 4 units: 11).
    Each new line crosses the others in at most n - 1 points, so it cuts at most n regions in two."""
    return 1 + units + units * (units - 1) // 2


@dataclass(frozen=True)
class Plane:
    """``x1`` times the first input plus ``x2`` times the second plus ``constant``, exactly."""

    x1: Fraction
    x2: Fraction
    constant: Fraction

    def exactly_at(self, point: Point) -> Fraction:
        return self.x1 * point[0] + self.x2 * point[1] + self.constant

    def at(self, x1: float | np.ndarray, x2: float | np.ndarray) -> float | np.ndarray:
        """The plane's height at (x1, x2), in floats (numbers or arrays)."""
        return float(self.x1) * x1 + float(self.x2) * x2 + float(self.constant)

    def __add__(self, other: Plane) -> Plane:
        return Plane(self.x1 + other.x1, self.x2 + other.x2, self.constant + other.constant)

    def times(self, factor: Fraction) -> Plane:
        return Plane(self.x1 * factor, self.x2 * factor, self.constant * factor)

    def text(self, names: tuple[str, str] = ("x1", "x2")) -> str:
        """The plane as a reader writes it: "2 x1 - x2 + 0.5", terms of 0 left out."""
        terms = [(coefficient, name) for coefficient, name in zip((self.x1, self.x2), names) if coefficient != 0]
        if self.constant != 0 or not terms:
            terms.append((self.constant, ""))
        pieces = []
        for coefficient, name in terms:
            size = _number(abs(coefficient))
            written = name if name and size == "1" else f"{size} {name}".strip()
            sign = "-" if coefficient < 0 else "+"
            pieces.append(f"{sign} {written}" if pieces else f"{'-' if sign == '-' else ''}{written}")
        return " ".join(pieces)

    @property
    def flat(self) -> bool:
        """True when it does not tilt: the same height everywhere."""
        return self.x1 == 0 and self.x2 == 0


def _number(x: Fraction) -> str:
    """A computed number for a reader: six significant digits at most ("0.333333", "12.5")."""
    return f"{float(x):.6g}"


def constant(value: Fraction) -> Plane:
    return Plane(Fraction(0), Fraction(0), value)


@dataclass(frozen=True)
class Crease:
    """Where one unit folds: its input minus its activation's bend is ``line``, 0 along the
    crease and above 0 where the unit is on."""

    unit: int  # counting from 0, in the network's order
    line: Plane
    ends: tuple[Point, Point] | None  # where it enters and leaves the rectangle; None if it does not
    splits: bool  # it cuts the rectangle in two (a crease along an edge, or outside, does not)


@dataclass(frozen=True)
class Region:
    """One convex region: its corners counter-clockwise, which units are on inside it, and the
    plane the output follows there before the output activation."""

    corners: tuple[Point, ...]
    pattern: tuple[bool, ...]  # per unit, in the network's order: on (input above the bend) or off
    plane: Plane
    area: Fraction

    def centroid(self) -> Point:
        """The region's centre of mass: a point inside it (it is convex and has an area)."""
        cx = cy = Fraction(0)
        for (x0, y0), (x1, y1) in _edges(self.corners):
            cross = x0 * y1 - x1 * y0
            cx += (x0 + x1) * cross
            cy += (y0 + y1) * cross
        return cx / (6 * self.area), cy / (6 * self.area)


def _edges(polygon: tuple[Point, ...] | list[Point]):
    return zip(polygon, [*polygon[1:], polygon[0]])


def area(polygon: tuple[Point, ...] | list[Point]) -> Fraction:
    """The signed area (shoelace): positive for corners counter-clockwise, 0 for fewer than three."""
    if len(polygon) < 3:
        return Fraction(0)
    return sum(((x0 * y1 - x1 * y0) for (x0, y0), (x1, y1) in _edges(polygon)), Fraction(0)) / 2


def _straightened(polygon: list[Point]) -> list[Point]:
    """``polygon`` without repeated corners and without corners on a straight edge."""
    points = [p for i, p in enumerate(polygon) if p != polygon[i - 1]] if len(polygon) > 1 else polygon
    kept = []
    for i, (x, y) in enumerate(points):
        (px, py), (nx, ny) = points[i - 1], points[(i + 1) % len(points)]
        if (x - px) * (ny - y) - (y - py) * (nx - x) != 0:
            kept.append((x, y))
    return kept


def cut(polygon: tuple[Point, ...], line: Plane) -> tuple[list[Point], list[Point]]:
    """The parts of a convex polygon where ``line`` is at least 0 and at most 0 (one pass of
    Sutherland-Hodgman clipping for each side; a corner on the line belongs to both)."""
    above: list[Point] = []
    below: list[Point] = []
    values = [line.exactly_at(p) for p in polygon]
    for (p, q), vp, vq in zip(_edges(polygon), values, [*values[1:], values[0]]):
        if vp >= 0:
            above.append(p)
        if vp <= 0:
            below.append(p)
        if (vp > 0 > vq) or (vp < 0 < vq):
            t = vp / (vp - vq)
            crossing = (p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1]))
            above.append(crossing)
            below.append(crossing)
    return _straightened(above), _straightened(below)


def rectangle_corners(weights: PlaneWeights) -> tuple[Point, ...]:
    """The input rectangle's corners, counter-clockwise from (x1 low, x2 low)."""
    (l1, h1), (l2, h2) = ((exact(low), exact(high)) for low, high in weights.rectangle)
    return ((l1, l2), (h1, l2), (h1, h2), (l1, h2))


def crease_lines(network: Network) -> tuple[Plane, ...]:
    """Each unit's input minus its activation's bend, exactly: 0 on its crease."""
    bend = exact(network.hidden_activation.bend_at)
    return tuple(Plane(exact(u.weight[0]), exact(u.weight[1]), exact(u.bias) - bend) for u in network.hidden)


def _ends(corners: tuple[Point, ...], line: Plane) -> tuple[Point, Point] | None:
    """Where ``line`` meets the rectangle: its two ends on the edges, or None when it misses it
    or only touches a corner."""
    if line.flat:
        return None
    met: list[Point] = []
    for p, q in _edges(corners):
        vp, vq = line.exactly_at(p), line.exactly_at(q)
        if vp == 0:
            met.append(p)
        elif (vp > 0 > vq) or (vp < 0 < vq):
            t = vp / (vp - vq)
            met.append((p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])))
    met = sorted(set(met))
    return (met[0], met[-1]) if len(met) >= 2 else None


def _splits(corners: tuple[Point, ...], line: Plane) -> bool:
    """True when some corner lies on each side of ``line`` (a convex polygon is then cut in two)."""
    values = [line.exactly_at(corner) for corner in corners]
    return min(values) < 0 < max(values)


def unit_planes(activation: Activation, line: Plane, output_weight: float) -> tuple[Plane, Plane]:
    """What one unit adds to the output where it is off and where it is on: the output weight
    times the activation, which is straight on each side of the bend (ReLU: 0, and the
    unit's own plane; leaky ReLU: a gentle slope, and the unit's own plane)."""
    at_bend = exact(float(activation.function(activation.bend_at)))
    scale = exact(output_weight)
    off, on = (exact(slope) for slope in activation.slopes_beside_bend())
    return tuple((constant(at_bend) + line.times(slope)).times(scale) for slope in (off, on))


def arrangement(weights: PlaneWeights) -> tuple[tuple[Crease, ...], tuple[Region, ...]]:
    """The creases and the regions, for hidden units whose activation is straight on each side
    of a bend (``regions`` says why other activations have none)."""
    network = weights.network
    corners = rectangle_corners(weights)
    lines = crease_lines(network)
    creases = tuple(Crease(i, line, _ends(corners, line), _splits(corners, line)) for i, line in enumerate(lines))
    pieces: list[tuple[tuple[Point, ...], tuple[bool, ...]]] = [(corners, ())]
    for line in lines:
        cut_pieces = []
        for polygon, pattern in pieces:
            if line.flat:  # w1 = w2 = 0: the unit's input is its bias everywhere, on or off throughout
                cut_pieces.append((polygon, (*pattern, line.constant > 0)))
                continue
            above, below = cut(polygon, line)
            if area(above) > 0 and area(below) > 0:
                cut_pieces += [(tuple(above), (*pattern, True)), (tuple(below), (*pattern, False))]
            else:  # the crease misses it, or runs along an edge or through a corner: it stays whole
                cut_pieces.append((polygon, (*pattern, area(above) > 0)))
        pieces = cut_pieces
    halves = [
        unit_planes(network.hidden_activation, line, unit.output_weight) for line, unit in zip(lines, network.hidden)
    ]
    bias = constant(exact(network.output_bias))
    regions = []
    for polygon, pattern in pieces:
        plane = sum((half[on] for half, on in zip(halves, pattern)), bias)
        start = polygon.index(min(polygon, key=lambda corner: (corner[1], corner[0])))
        from_lowest = (*polygon[start:], *polygon[:start])  # from the lowest corner (the leftmost of them)
        regions.append(Region(from_lowest, pattern, plane, area(polygon)))
    regions.sort(key=lambda region: (sum(region.pattern), [not on for on in region.pattern]))
    return creases, tuple(regions)


@dataclass(frozen=True)
class Regions:
    """A two-input network's creases and regions inside its input rectangle."""

    weights: PlaneWeights
    creases: tuple[Crease, ...]
    regions: tuple[Region, ...]

    @property
    def count(self) -> int:
        return len(self.regions)

    @property
    def largest(self) -> int:
        """The most regions this many units could make in the whole plane."""
        return largest_count(len(self.weights.network.hidden))

    def as_dict(self) -> dict[str, Any]:
        """Every number, as ``reluviz regions --json`` prints it (floats; corners counter-clockwise)."""
        weights, network = self.weights, self.weights.network
        names = network.unit_names()

        def point(p: Point) -> list[float]:
            return [float(p[0]), float(p[1])]

        return {
            "weights": weights.name,
            "path": str(weights.path),
            "inputs": [{"name": given.name, "low": given.low, "high": given.high} for given in weights.inputs],
            "hidden_activation": network.hidden_activation.name,
            "units": [
                {
                    "name": name,
                    "weight": list(unit.weight),
                    "bias": unit.bias,
                    "output_weight": unit.output_weight,
                    "crease": None if crease.ends is None else [point(p) for p in crease.ends],
                    "splits": crease.splits,
                }
                for name, unit, crease in zip(names, network.hidden, self.creases)
            ],
            "count": self.count,
            "largest": self.largest,
            "regions": [
                {
                    "on": [name for name, on in zip(names, region.pattern) if on],
                    "pattern": list(region.pattern),
                    "corners": [point(p) for p in region.corners],
                    "area": float(region.area),
                    "plane": {
                        "x1": float(region.plane.x1),
                        "x2": float(region.plane.x2),
                        "constant": float(region.plane.constant),
                    },
                }
                for region in self.regions
            ],
        }


def regions(weights: PlaneWeights) -> Regions:
    """The regions of a network whose hidden units fold (ReLU, leaky ReLU); any other hidden
    activation is an ``InputFileError`` naming ``hidden.activation`` and why it has none."""
    activation = weights.network.hidden_activation
    if not activation.piecewise_linear or activation.bend_at is None:
        why = (
            "is straight: no crease, the output is one plane"
            if activation.piecewise_linear
            else "curves smoothly: no crease line to cut along"
        )
        raise InputFileError(
            weights.path,
            [
                f"hidden.activation: regions are cut by the creases of relu and leaky_relu units; "
                f"{activation.name!r} {why}"
            ],
        )
    return Regions(weights, *arrangement(weights))
