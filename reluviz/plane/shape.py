"""What the output activation makes of the regions' planes: the pieces it keeps and the pieces it
folds down, the new fold lines where a region's plane crosses its bend, and the shape of the top
(a plateau, a ridge or a peak), all from the exact regions.

The output activation of a piecewise-planar sum is one increasing function of it, so the output
is highest where the sum is: at a region's corner, along an edge, or over a whole region that
is flat there.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from reluviz.model import PlaneWeights
from reluviz.plane.network import trace
from reluviz.plane.regions import Point, Regions, area, constant, cut, exact, rectangle_corners


@dataclass(frozen=True)
class Piece:
    """Part of a region on one side of the output activation's bend: ``below`` is True where the
    sum lies under it (ReLU sets the output there to 0)."""

    corners: tuple[Point, ...]
    region: int  # the region it is part of, as ``Regions.regions`` orders them
    below: bool


@dataclass(frozen=True)
class Shape:
    """The top of the output: how high, where, and what it looks like; and how much of the
    rectangle lies below the output activation's bend."""

    #: "plateau" (flat over a region), "ridge" (along a segment), "peak" (at one point), "peaks" (at
    #: several apart), "flat" (nothing above the bend)
    kind: str
    top: float  # the highest sum, before the output activation
    region: int | None  # for a plateau: the region flat at the top
    points: tuple[Point, ...]  # for a ridge, a peak or peaks: where the top is reached (a ridge's two ends)
    below_share: Fraction  # the share of the rectangle where the sum is below the bend
    inside: bool  # the top keeps off the rectangle's edges


def pieces(found: Regions) -> list[Piece]:
    """Every region cut along the line where its plane crosses the output activation's bend (an
    activation with no bend leaves them whole, none below)."""
    bend = found.weights.network.output_activation.bend_at
    result = []
    for index, region in enumerate(found.regions):
        if bend is None:
            result.append(Piece(region.corners, index, False))
            continue
        line = region.plane + constant(-exact(bend))
        above, below = cut(region.corners, line)
        for part, is_below in ((above, False), (below, True)):
            if area(part) > 0:
                result.append(Piece(tuple(part), index, is_below))
    return result


def fold_lines(found: Regions) -> list[tuple[Point, Point]]:
    """Where the output activation folds the sum: in each region, the segment along which its plane
    crosses the bend (none for an activation without one)."""
    bend = found.weights.network.output_activation.bend_at
    if bend is None:
        return []
    segments = []
    for region in found.regions:
        line = region.plane + constant(-exact(bend))
        above, below = cut(region.corners, line)
        if area(above) > 0 and area(below) > 0:
            on = sorted({p for p in above if line.exactly_at(p) == 0})
            if len(on) >= 2:
                segments.append((on[0], on[-1]))
    return segments


def shape(found: Regions) -> Shape:
    """The top of the output and the share of the rectangle below the bend, exactly."""
    weights: PlaneWeights = found.weights
    bend = weights.network.output_activation.bend_at
    heights = {corner: region.plane.exactly_at(corner) for region in found.regions for corner in region.corners}
    top = max(heights.values())
    total = area(rectangle_corners(weights))
    below = sum((area(p.corners) for p in pieces(found) if p.below), Fraction(0))
    share = below / total
    edges = _on_edge(weights)
    if bend is not None and top <= exact(bend):
        return Shape("flat", float(top), None, (), share, False)
    for index, region in enumerate(found.regions):
        if region.plane.flat and region.plane.constant == top:
            inside = not any(edges(corner) for corner in region.corners)
            return Shape("plateau", float(top), index, (), share, inside)
    points = tuple(sorted(corner for corner, height in heights.items() if height == top))
    inside = not any(edges(p) for p in points)
    if len(points) == 1:
        return Shape("peak", float(top), None, points, share, inside)
    if _level_between(weights, points, float(top)):
        return Shape("ridge", float(top), None, (points[0], points[-1]), share, inside)
    return Shape("peaks", float(top), None, points, share, inside)


def _level_between(weights: PlaneWeights, points: tuple[Point, ...], top: float) -> bool:
    """Whether ``points`` lie on one line and the sum stays at ``top`` between each two (a ridge)."""
    (x0, y0), (x1, y1) = points[0], points[-1]
    if any((x - x0) * (y1 - y0) - (y - y0) * (x1 - x0) != 0 for x, y in points):
        return False
    middles = [((a[0] + b[0]) / 2, (a[1] + b[1]) / 2) for a, b in zip(points, points[1:])]
    xs, ys = (np.array([float(m[i]) for m in middles]) for i in (0, 1))
    return bool(np.allclose(trace(weights, xs, ys).biased, top, rtol=0, atol=1e-9))


def _on_edge(weights: PlaneWeights):
    (l1, l2), _, (h1, h2), _ = rectangle_corners(weights)
    return lambda p: p[0] in (l1, h1) or p[1] in (l2, h2)
