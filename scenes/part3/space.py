"""Part III's 3-D view: a scene with manim's 3-D camera, and the input rectangle on the floor with
values standing above it.

``PlaneScene`` is a ``StoryScene`` and a ``ThreeDScene`` (manim's ``ThreeDCamera``, the Cairo
renderer). Only what is marked ``in_space`` is seen through the tilted camera; everything
else (the title, formulas, the view from above) stays where it is put in the frame, as
``add_fixed_in_frame_mobjects`` would keep it, without having to register every part.

The floor is laid where the view from above puts the input square (``square.SQUARE``): with
the camera looking straight down (``from_above``) a point on the floor is drawn exactly where
the same point of the 2-D map is, so the 3-D view gives way to the map without a jump.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from fractions import Fraction

import numpy as np
from manim import DEGREES, DOWN, LEFT, ORIGIN, RIGHT, UP, UR, Line, Polygon, ThreeDScene, VGroup, VMobject
from manim.camera.camera import Camera
from manim.camera.three_d_camera import ThreeDCamera
from manim.utils.iterables import list_update

from reluviz.model import PlaneWeights
from reluviz.plane.regions import Crease, Plane, Point, area, cut, rectangle_corners
from reluviz.scenes.framework import style
from reluviz.scenes.framework.base import StoryScene
from reluviz.scenes.framework.manim_internals import camera_like, depth_reference_point, flat_points
from reluviz.scenes.framework.style import Theme
from reluviz.scenes.framework.widgets import TickLabel, label
from reluviz.scenes.part3.square import NAME_SIZE, NUMBERED, SQUARE, input_name
from reluviz.ticks import axis_range, tick_values
from reluviz.words.numbers import decimals
from reluviz.words.spoken import LANGUAGES, spoken

#: The camera tilted: looking down at ``PHI`` from the vertical, from ``THETA`` around it
#: (manim's angles: the view from above is phi 0, theta -90 degrees).
PHI, THETA = 62 * DEGREES, -62 * DEGREES
#: Far enough for a gentle perspective: lengths change little with depth.
FOCAL_DISTANCE = 40.0
#: Where the middle of the 3-D picture stands on screen, tilted (left of the words' column).
TILTED_AT = np.array([-3.05, -0.75, 0.0])
#: The tilted picture drawn smaller than the floor's map: the square turned on its corner is wider.
ZOOM = 0.85
#: How tall the range of values stands, in scene units.
HEIGHT = 3.0
#: Faces are cut into pieces this many to a side of the rectangle, so the camera's painter
#: (which orders whole faces by their centres) draws near pieces over far ones.
PIECES = 4


def mark_in_space(*mobjects) -> None:
    """Seen through the 3-D camera from now on (every part, as it is now)."""
    for mob in mobjects:
        for part in mob.get_family():
            part.in_space = True


class SpaceCamera(ThreeDCamera):
    """manim's 3-D camera, projecting only what is marked ``in_space`` (and what it keeps facing
    the viewer); the rest is drawn in the frame as it is."""

    def transform_points_pre_display(self, mobject, points):
        # (``mark_in_space`` marks each part itself: read from the part's own attributes, not through
        # manim's ``__getattr__``, ten times slower for a part not marked, most of them)
        if mobject.__dict__.get("in_space", False) or mobject in self.fixed_orientation_mobjects:
            return super().transform_points_pre_display(mobject, points)
        return flat_points(self, mobject, points)

    def get_cairo_context(self, pixel_array):
        """The picture's frame stays centred on the origin: the frame centre moves what the camera
        looks at (``project_points``), not the frame words are drawn in (manim's context would keep
        the centre it had when it was first made, and shift everything by it)."""
        here = self.frame_center.copy()
        self.frame_center = ORIGIN
        try:
            return super().get_cairo_context(pixel_array)
        finally:
            self.frame_center = here

    def get_mobjects_to_display(self, *args, **kwargs):
        """As manim's, and lines in space (axes) are ordered by depth too, unshaded."""
        mobjects = Camera.get_mobjects_to_display(self, *args, **kwargs)
        rotation = self.get_rotation_matrix()

        def depth(mob) -> float:
            if getattr(mob, "shade_in_3d", False) or getattr(mob, "by_depth", False):
                return float(np.dot(depth_reference_point(mob), rotation.T)[2])
            return np.inf

        return sorted(mobjects, key=depth)


class PlaneScene(StoryScene, ThreeDScene):
    """Base of the Part III stages: the two-input network, its units' names and colours, and a
    3-D camera (looking straight down until a stage tilts it)."""

    def __init__(self, inputs=None, narrator=None, renderer=None, **kwargs) -> None:
        if renderer is not None and not isinstance(renderer.camera, SpaceCamera):
            # a renderer made for flat scenes (the render pipeline's) draws with a flat camera
            renderer.camera = camera_like(renderer.camera, SpaceCamera)
        super().__init__(inputs, narrator, renderer=renderer, camera_class=SpaceCamera, **kwargs)

    def setup(self) -> None:
        super().setup()
        self.plane: PlaneWeights = self.inputs.plane
        self.network = self.plane.network
        count = len(self.network.hidden)
        self.places = self.node_places(count)
        self.colours = self.theme.paths[:count]
        self.names = tuple(given.name for given in self.plane.inputs)
        self.set_camera_orientation(phi=0, theta=-90 * DEGREES, focal_distance=FOCAL_DISTANCE)

    def say(self, text: str) -> str:
        """``StoryScene.say``, the inputs' names said as names ("x one", not "times one")."""
        language = self.inputs.words.language
        for name in self.names:
            if NUMBERED.fullmatch(name):
                text = re.sub(rf"\b{name}\b", f"{name[0]} {LANGUAGES[language].ones[int(name[1])]}", text)
        return spoken(text, language)

    # -- the camera --------------------------------------------------------------------

    def tilted_centre(self, middle: np.ndarray, phi: float = PHI, theta: float = THETA) -> np.ndarray:
        """The frame centre that shows the world point ``middle`` at ``TILTED_AT`` on screen."""
        camera = self.renderer.camera
        before = camera.get_phi(), camera.get_theta()
        camera.set_phi(phi)
        camera.set_theta(theta)
        rotation = camera.generate_rotation_matrix()
        camera.set_phi(before[0])
        camera.set_theta(before[1])
        return middle - rotation.T @ TILTED_AT / ZOOM

    def tilt(self, space: Space, run_time: float = 2.0, theta: float = THETA, **kwargs) -> None:
        """Tilt the camera (from above, or from another angle) to look at ``space`` from the side."""
        centre = self.tilted_centre(space.middle(), PHI, theta)
        self.move_camera(phi=PHI, theta=theta, zoom=ZOOM, frame_center=centre, run_time=run_time, **kwargs)

    def set_tilted(self, space: Space, theta: float = THETA) -> None:
        centre = self.tilted_centre(space.middle(), PHI, theta)
        self.set_camera_orientation(phi=PHI, theta=theta, zoom=ZOOM, frame_center=centre)

    def from_above(self, run_time: float = 2.0, **kwargs) -> None:
        """Look straight down: the floor meets the 2-D map of the input square."""
        self.move_camera(phi=0, theta=-90 * DEGREES, zoom=1, frame_center=ORIGIN, run_time=run_time, **kwargs)

    def face_viewer(self, *mobjects) -> None:
        """Words standing in space (an axis's name): placed by the camera, always upright."""
        self.add_fixed_orientation_mobjects(*mobjects, use_static_center_func=True)

    def move_camera(self, *args, **kwargs) -> None:
        self._camera_moves = True
        try:
            super().move_camera(*args, **kwargs)
        finally:
            self._camera_moves = False

    def get_moving_and_static_mobjects(self, animations):
        """As ``StillAwareScene``, except that when the camera or anything in space moves,
        everything seen through the camera is redrawn: it orders the 3-D parts by depth, which
        a still picture drawn once could not follow. What stays in the frame (the words'
        column) is drawn once underneath, though the camera draws it over the 3-D parts: where
        a frame's 3-D parts reach it, the renderer draws that frame whole, in order
        (``stills_over_moving``: ``FastCairoRenderer.save_static_frame_data``); a renderer
        that cannot tell redraws everything."""
        in_space = getattr(self, "_camera_moves", False) or any(_moves_in_space(a) for a in animations)
        self.stills_over_moving = in_space and getattr(self.renderer, "redraws_where_stills_over_moving_meet", False)
        if in_space and not self.stills_over_moving:
            return list(self.mobjects), []
        moving, static = super().get_moving_and_static_mobjects(animations)
        if not in_space:
            return moving, static
        kept = {id(mob) for mob in moving}
        on_screen = list_update(self.mobjects, self.foreground_mobjects)
        moving = [mob for mob in on_screen if id(mob) in kept or self._seen_in_space(mob)]
        redrawn = {id(part) for mob in moving for part in mob.get_family()}
        return moving, [part for part in static if id(part) not in redrawn]

    def _seen_in_space(self, mob) -> bool:
        """Whether the camera places any part of ``mob`` (in space, or kept facing the viewer)."""
        placed = self.renderer.camera.fixed_orientation_mobjects
        return any(getattr(part, "in_space", False) or part in placed for part in mob.get_family())


def _moves_in_space(animation) -> bool:
    """Whether ``animation`` (or one inside it) changes something seen through the 3-D camera."""
    mobject = getattr(animation, "mobject", None)
    if mobject is not None and any(getattr(part, "in_space", False) for part in mobject.get_family()):
        return True
    return any(_moves_in_space(inner) for inner in getattr(animation, "animations", ()))


class Space(VGroup):
    """Axes over the input rectangle, on the floor where the map of the square lies, and a
    vertical axis for the values (ticks on nice values covering ``values`` and 0)."""

    def __init__(self, weights: PlaneWeights, values: Sequence[float], theme: Theme, height: float = HEIGHT) -> None:
        super().__init__()
        self.weights, self.theme = weights, theme
        (self.l1, self.h1), (self.l2, self.h2) = weights.rectangle
        self.low, self.high, step = axis_range(values, 4)
        self.per_value = height / (self.high - self.low)
        axis = {"color": theme.muted, "stroke_width": style.AXIS_WIDTH}
        corners = [self.point(x, y) for x, y in rectangle_corners(weights)]
        # the floor's edges, each ordered by depth with the surfaces (a surface in front hides it)
        edges = zip(corners, [*corners[1:], corners[0]])
        self.floor = VGroup(*(Line(a, b, color=theme.faint, stroke_width=style.AXIS_WIDTH) for a, b in edges))
        self.x1_axis = Line(corners[0], corners[1] + RIGHT * 0.5, **axis)
        # x2 runs up the right edge: its name, beyond the corner drawn rightmost, is never behind a surface
        self.x2_axis = Line(corners[1], corners[2] + UP * 0.5, **axis)
        # the values' axis stands at the corner the x1 and x2 axes start from, left of the surfaces
        self.foot = (self.l1, self.l2)
        self.value_axis = Line(self.point(*self.foot, self.low), self.point(*self.foot, self.high), **axis)
        self.ticks = VGroup()
        self.tick_labels = VGroup()
        for value in tick_values(self.low, self.high, step):
            at = self.point(*self.foot, value)
            self.ticks.add(Line(at + LEFT * 0.08, at + RIGHT * 0.08, **axis))
            number = TickLabel(value, num_decimal_places=decimals(value), font_size=style.TICK_SIZE, color=theme.muted)
            self.tick_labels.add(number.move_to(at + (LEFT + DOWN) * (0.2 + number.width / 2) / np.sqrt(2)))
        first, second = weights.inputs
        self.axis_names = VGroup(
            label(input_name(first.name), theme.muted, NAME_SIZE).move_to(self.x1_axis.get_end() + RIGHT * 0.45),
            label(input_name(second.name), theme.muted, NAME_SIZE).move_to(self.x2_axis.get_end() + UR * 0.3),
        )
        self.lines = VGroup(self.floor, self.x1_axis, self.x2_axis, self.value_axis, self.ticks)
        self.add(self.lines, self.tick_labels, self.axis_names)
        mark_in_space(self.lines)
        for line in (*self.floor, self.x1_axis, self.x2_axis, self.value_axis):
            line.by_depth = True

    def point(self, x1: float, x2: float, value: float = 0.0) -> np.ndarray:
        """The world point over (x1, x2) at height ``value``."""
        left, right, bottom, top = SQUARE
        return np.array(
            [
                left + (float(x1) - self.l1) / (self.h1 - self.l1) * (right - left),
                bottom + (float(x2) - self.l2) / (self.h2 - self.l2) * (top - bottom),
                float(value) * self.per_value,
            ]
        )

    def middle(self) -> np.ndarray:
        """The middle of the box the values stand in."""
        return (self.point(self.l1, self.l2, self.low) + self.point(self.h1, self.h2, self.high)) / 2

    def labels(self) -> list:
        """The words standing in space (for ``PlaneScene.face_viewer``)."""
        return [*self.tick_labels, *self.axis_names]

    def face(self, corners: Sequence[Point], plane: Plane, colour: str, opacity: float = 0.85) -> VGroup:
        """A flat piece of surface: the polygon ``corners`` of the rectangle lifted onto
        ``plane``, cut into pieces (see ``PIECES``), shaded by the camera."""
        group = VGroup()
        for piece in _pieces(tuple(corners), self):
            points = [self.point(x, y, plane.at(float(x), float(y))) for x, y in piece]
            # a hairline of the same colour closes the seams between pieces
            polygon = Polygon(*points, stroke_color=colour, stroke_width=1, fill_color=colour, fill_opacity=opacity)
            polygon.set_shade_in_3d(True)
            polygon.flat_corners = piece  # where it lies on the rectangle: a lift can move it
            group.add(polygon)
        mark_in_space(group)
        return group

    def lift(self, face: VGroup, plane: Plane, function=None) -> VGroup:
        """A copy of ``face`` lifted onto another plane, or onto ``function`` of it at each corner
        (for a Transform: folds, the output activation)."""
        moved = face.copy()
        for polygon in moved:
            values = [plane.at(float(x), float(y)) for x, y in polygon.flat_corners]
            if function is not None:
                values = [float(function(v)) for v in values]
            lifted = [self.point(x, y, v) for (x, y), v in zip(polygon.flat_corners, values)]
            polygon.set_points_as_corners([*lifted, lifted[0]])
        mark_in_space(moved)
        return moved

    def path(self, points: Sequence[tuple[float, float]], heights: Sequence[float], colour: str) -> VMobject:
        """A line over the rectangle through ``points`` at ``heights`` (a crease on a folded surface)."""
        line = VMobject(color=colour, stroke_width=style.CURVE_WIDTH)
        line.set_points_as_corners([self.point(x, y, z) for (x, y), z in zip(points, heights)])
        mark_in_space(line)
        return line

    def segment(self, ends: tuple[Point, Point], plane: Plane, colour: str, width: float = style.CURVE_WIDTH) -> Line:
        """A straight line over the rectangle between two points, lying on ``plane`` (a crease)."""
        (a, b) = ((self.point(x, y, plane.at(float(x), float(y)))) for x, y in ends)
        line = Line(a, b, color=colour, stroke_width=width)
        mark_in_space(line)
        return line


def crease_points(creases: Sequence[Crease], which: int) -> list[tuple[float, float]]:
    """Where crease ``which`` crosses the rectangle: its ends and every point where another
    crease meets it, in order along it (the surface above it bends there)."""
    crease = creases[which]
    if crease.ends is None:
        return []
    a, b = crease.ends
    along = {Fraction(0), Fraction(1)}
    for other in creases:
        va, vb = other.line.exactly_at(a), other.line.exactly_at(b)
        if (va < 0 < vb) or (vb < 0 < va):
            along.add(va / (va - vb))
    return [(float(a[0] + t * (b[0] - a[0])), float(a[1] + t * (b[1] - a[1]))) for t in sorted(along)]


def _pieces(corners: tuple[Point, ...], space: Space) -> list[tuple[Point, ...]]:
    """``corners`` cut along a grid of ``PIECES`` lines each way over the rectangle."""
    pieces = [corners]
    for axis, (low, high) in enumerate(((space.l1, space.h1), (space.l2, space.h2))):
        for k in range(1, PIECES):
            at = Fraction(repr(float(low))) + (Fraction(repr(float(high))) - Fraction(repr(float(low)))) * k / PIECES
            line = Plane(Fraction(1 - axis), Fraction(axis), -at)
            cut_pieces = []
            for piece in pieces:
                above, below = cut(piece, line)
                cut_pieces += [tuple(p) for p in (above, below) if area(p) > 0]
            pieces = cut_pieces
    return pieces
