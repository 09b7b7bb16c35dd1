"""The camera: short paths traced from plain floats, the rows each path reaches, depth
reference points in one numpy pass (see the package's docstring, "Paths" and "Depth")."""

from __future__ import annotations

import contextlib
import functools
import math
import struct

import numpy as np
from manim import Mobject, VMobject
from manim.camera.camera import Camera
from manim.camera.three_d_camera import ThreeDCamera
from manim.mobject.three_d.three_d_utils import (
    get_3d_vmob_end_corner,
    get_3d_vmob_end_corner_unit_normal,
    get_3d_vmob_start_corner,
    get_3d_vmob_start_corner_unit_normal,
)
from manim.utils.color import get_shaded_rgb

from reluviz.scenes.framework.manim_internals import versions
from reluviz.scenes.framework.yuv_rows import Box

#: Paths of at most this many points are traced from Python floats, the rest through manim's
#: own numpy split: numpy's cost per call outweighs its speed on a few points (a surface's
#: face, a tick, a short line), which are most of the paths a frame draws.
SHORT_PATH = 64


#: Pixels of margin past a path's box widened by its stroke's reach (rounded outwards, so
#: holding every pixel it touches): Cairo draws from the path in 24.8 fixed point and flattens
#: curves to within a tenth of a pixel.
MARGIN_PIXELS = 1
#: A filled path drawn again with the same points and colour over the same pixels paints the
#: same pixels: one whose box holds at most this many is remembered, pixels before and after,
#: and pasted when it meets those pixels again (plane_training's 400 data points, redrawn over
#: its moving map on every frame, mostly over the same colour).
REPAINTED_AREA = 48 * 48
#: What those memories may hold in all (bytes); past it they are forgotten and made again.
REPAINTED_MEMORY = 4 * 2**20


class Repaints:
    """Small fills remembered (``FastPathCamera._filled``): each one's key (its points, colour
    and Cairo's matrix) and its box's pixels before and after, all in one buffer, forgotten all
    at once when it is full. (An array each pinned the heap among the video frames: a 1080p
    plane_training peaked 130 MB higher.) An index entry is found by the key's hash and
    trusted only if the whole key matches."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.buffer: np.ndarray | None = None  # made when first needed
        self.used = 0
        self.index: dict[int, tuple[Box, int, int, int]] = {}  # hash: (box, key at, key length, pixels at)

    def pasted(self, key: bytes, pixels: np.ndarray) -> Box | None:
        """Where ``key``'s fill was remembered over the pixels there now: its pixels after it put
        back, and its box returned; else None."""
        found = self.index.get(hash(key))
        if found is None:
            return None
        (top, bottom, left, right), at, length, pictures = found
        if length != len(key) or not np.array_equal(self.buffer[at : at + length], np.frombuffer(key, np.uint8)):
            return None
        region = pixels[top:bottom, left:right]
        before = self.buffer[pictures : pictures + region.size].reshape(region.shape)
        if not np.array_equal(region, before):
            return None
        region[...] = self.buffer[pictures + region.size : pictures + 2 * region.size].reshape(region.shape)
        return top, bottom, left, right

    @contextlib.contextmanager
    def remembered(self, key: bytes, box: Box, pixels: np.ndarray):
        """Remember the pixels of ``box`` before and after what the block draws, for ``key``."""
        top, bottom, left, right = box
        region = pixels[top:bottom, left:right]
        needed = len(key) + 2 * region.size
        if needed > self.size:
            yield
            return
        if self.buffer is None:
            self.buffer = np.empty(self.size, np.uint8)
        if self.used + needed > self.size:
            self.index.clear()
            self.used = 0
        at, pictures = self.used, self.used + len(key)
        self.buffer[at:pictures] = np.frombuffer(key, np.uint8)
        self.buffer[pictures : pictures + region.size].reshape(region.shape)[...] = region
        yield
        self.buffer[pictures + region.size : pictures + 2 * region.size].reshape(region.shape)[...] = region
        self.used += needed
        self.index[hash(key)] = (box, at, len(key), pictures)


class FastPathCamera:
    """Mixed into a camera class (``fast_camera``): traces each path into Cairo as manim's
    ``Camera.set_cairo_context_path`` does (the same subpaths, curves and closings, from the
    same numbers), with plain floats where a path is short; and, while asked
    (``log_painted``), notes the box of pixels each path's drawing can reach."""

    _painted: list[Box] | None = None  # the boxes drawn in since the log began; None: no log
    _painted_unknown = False  # something was drawn whose reach is not known

    def log_painted(self) -> None:
        """Note the box every drawing reaches from now on, until ``painted_boxes``."""
        self._painted, self._painted_unknown = [], False

    def painted_boxes(self) -> list[Box] | None:
        """The boxes of pixels (top, bottom, left, right) drawn in since ``log_painted``, within
        the picture, or None if something was drawn that the log cannot place; ends the log."""
        painted, self._painted = self._painted, None
        if painted is None or self._painted_unknown:
            return None
        return painted

    def transform_points_pre_display(self, mobject, points):
        """manim's ``Camera.transform_points_pre_display`` where the camera's class keeps it (a
        3-D camera projects its own way): ``flat_points``."""
        if _flat_like_camera(type(self)):
            return flat_points(self, mobject, points)
        return super().transform_points_pre_display(mobject, points)

    def display_vectorized(self, vmobject, ctx):
        """manim's ``Camera.display_vectorized`` (the path, its background stroke, fill and
        stroke), making the same Cairo calls with the same numbers; a stroke of width 0 (most
        paths: faces, dots, glyphs) is skipped here instead of inside ``apply_stroke``, and a
        fill of one colour is set without ``set_cairo_context_color``'s generality. A camera
        drawing its own way (``_draws_as_camera_does``) draws as it does."""
        if not _draws_as_camera_does(type(self)):
            super().display_vectorized(vmobject, ctx)
            widest = max(vmobject.get_stroke_width(), vmobject.get_stroke_width(True))
            self._log_box(ctx, widest)
            return self
        background, width = vmobject.get_stroke_width(True), vmobject.get_stroke_width()
        rgbas = self.get_fill_rgbas(vmobject)  # (a getter: found before the path as after it)
        if background == 0 and width == 0 and len(rgbas) == 1:
            return self._filled(vmobject, ctx, rgbas[0])
        self.set_cairo_context_path(ctx, vmobject)
        if background != 0:
            self.apply_stroke(ctx, vmobject, background=True)
        if len(rgbas) == 1:
            red, green, blue, alpha = rgbas[0]
            ctx.set_source_rgba(blue, green, red, alpha)  # swapped, as manim does: Cairo's pixels are BGRA
        else:
            self.set_cairo_context_color(ctx, rgbas, vmobject)
        ctx.fill_preserve()
        if width != 0:
            self.apply_stroke(ctx, vmobject)
        self._log_box(ctx, max(width, background))
        return self

    def _filled(self, vmobject, ctx, rgba):
        """``display_vectorized`` of a path filled with one colour and no stroke: the same calls,
        or, over the pixels it was drawn over before (``REPAINTED_AREA``), what it made of them."""
        points = self.transform_points_pre_display(vmobject, vmobject.points)
        pixels = self.pixel_array
        key = None
        if len(points) <= SHORT_PATH and ctx is self.get_cached_cairo_context(pixels):
            key = points.tobytes() + rgba.tobytes() + struct.pack("6d", *ctx.get_matrix())
            box = self._repaints.pasted(key, pixels)
            if box is not None:
                ctx.new_path()
                if self._painted is not None:
                    self._painted.append(box)
                return self
        self._trace(ctx, vmobject, points)
        red, green, blue, alpha = rgba
        ctx.set_source_rgba(blue, green, red, alpha)  # swapped, as manim does: Cairo's pixels are BGRA
        if key is None:
            ctx.fill_preserve()
            self._log_box(ctx, 0)
            return self
        box = self._clipped(self._box_reached(ctx, 0))  # (the box the log notes, found once)
        if box is not None and (box[1] - box[0]) * (box[3] - box[2]) <= REPAINTED_AREA:
            with self._repaints.remembered(key, box, pixels):
                ctx.fill_preserve()
        else:
            ctx.fill_preserve()
        if self._painted is not None and box is not None:
            self._painted.append(box)
        return self

    @functools.cached_property
    def _repaints(self) -> Repaints:
        return Repaints(REPAINTED_MEMORY)

    def _log_box(self, ctx, width: float) -> None:
        if self._painted is not None:  # the path is still Cairo's: filled and stroked with preserve
            box = self._clipped(self._box_reached(ctx, width))
            if box is not None:
                self._painted.append(box)

    def _clipped(self, box: Box) -> Box | None:
        """``box`` within the picture; None if none of it is."""
        top, bottom, left, right = box
        top, bottom = max(0, top), min(self.pixel_height, bottom)
        left, right = max(0, left), min(self.pixel_width, right)
        return (top, bottom, left, right) if bottom > top and right > left else None

    def _box_reached(self, ctx, width: float) -> Box:
        """The pixels the path on ``ctx`` can have painted: its box (Cairo's own, in the
        frame's units), widened by the farthest a stroke of ``width`` reaches past a point (half
        its width times the miter limit, which bounds joins and square caps alike) and
        ``MARGIN_PIXELS``."""
        low_x, low_y, high_x, high_y = ctx.path_extents()
        reach = width * self.cairo_line_width_multiple / 2 * max(ctx.get_miter_limit(), math.sqrt(2))
        corners = [
            ctx.user_to_device(x, y) for x in (low_x - reach, high_x + reach) for y in (low_y - reach, high_y + reach)
        ]
        xs, ys = [x for x, _ in corners], [y for _, y in corners]
        return (
            math.floor(min(ys)) - MARGIN_PIXELS,
            math.ceil(max(ys)) + MARGIN_PIXELS,
            math.floor(min(xs)) - MARGIN_PIXELS,
            math.ceil(max(xs)) + MARGIN_PIXELS,
        )

    def type_or_raise(self, mobject):
        """manim's answer, remembered for each class: manim makes its table of drawing
        functions again and tests it class by class for every mobject of every frame."""
        kinds = self.__dict__.setdefault("_kind_of_class", {})
        kind = kinds.get(type(mobject))
        if kind is None:  # (manim's call also makes the table capture_mobjects reads)
            kind = kinds[type(mobject)] = super().type_or_raise(mobject)
        return kind

    def _unplaced(self) -> None:
        if self._painted is not None:
            self._painted_unknown = True

    def display_multiple_background_colored_vmobjects(self, vmobjects, pixel_array):
        self._unplaced()
        return super().display_multiple_background_colored_vmobjects(vmobjects, pixel_array)

    def display_multiple_point_cloud_mobjects(self, pmobjects, pixel_array):
        if any(self._draws_pixels(p) for p in pmobjects):
            self._unplaced()
        return super().display_multiple_point_cloud_mobjects(pmobjects, pixel_array)

    def _draws_pixels(self, pmobject) -> bool:
        """Whether a point cloud draws any pixel: not one too thin (a 3-D camera's frame centre,
        moved, so drawn, by every camera move), by manim's own reckoning of its thickness."""
        thickness = self.adjusted_thickness(pmobject.stroke_width)
        return bool(len(pmobject.points)) and bool(len(self.get_thickening_nudges(thickness)))

    def display_multiple_image_mobjects(self, image_mobjects, pixel_array):
        self._unplaced()
        return super().display_multiple_image_mobjects(image_mobjects, pixel_array)

    def set_cairo_context_path(self, ctx, vmobject):
        return self._trace(ctx, vmobject, self.transform_points_pre_display(vmobject, vmobject.points))

    def _trace(self, ctx, vmobject, points):
        count, per_curve = len(points), vmobject.n_points_per_cubic_curve
        if count == 0:
            return self
        ctx.new_path()
        if count < per_curve:
            return self
        xy = points[:, :2].tolist()
        same = vmobject.consider_points_equals_2d  # manim's own test of two anchors
        if count > SHORT_PATH:
            spans = vmobject.get_subpath_split_indices_from_points(points, n_dims=2).tolist()
        else:  # a new subpath wherever a curve does not start where the one before ended
            starts = [0, *(k for k in range(per_curve, count, per_curve) if not same(xy[k - 1], xy[k]))]
            spans = zip(starts, [*starts[1:], count])
        for start, end in spans:
            if end - start < per_curve:
                continue
            ctx.new_sub_path()
            ctx.move_to(*xy[start])
            for k in range(start + 1, end - per_curve + 2, per_curve):  # each curve's two handles and its end
                (x1, y1), (x2, y2), (x3, y3) = xy[k : k + 3]
                ctx.curve_to(x1, y1, x2, y2, x3, y3)
            if same(xy[start], xy[end - 1]):
                ctx.close_path()
        return self


#: How manim's camera draws a path once it is traced: ``FastPathCamera.display_vectorized``
#: makes the same calls only for cameras that draw with these as ``Camera`` has them.
_DRAWING = ("display_vectorized", "apply_fill", "apply_stroke", "set_cairo_context_color")


def flat_points(camera: Camera, mobject, points):
    """``Camera.transform_points_pre_display(camera, mobject, points)``, the same answer: the points
    as they are, or one point at the origin if any is not finite; asked ``isfinite(...).all()``
    rather than through ``np.all``'s wrapper (half the cost, on every path of every frame)."""
    if not versions.checked():
        return Camera.transform_points_pre_display(camera, mobject, points)
    return points if np.isfinite(points).all() else np.zeros((1, 3))


def _after_fast_path(kind: type, name: str):
    """The method ``name`` of the first class after ``FastPathCamera`` in ``kind``'s order that has one."""
    beyond = kind.__mro__[kind.__mro__.index(FastPathCamera) + 1 :]
    return next(vars(owner)[name] for owner in beyond if name in vars(owner))


@functools.cache
def _draws_as_camera_does(kind: type) -> bool:
    return all(_after_fast_path(kind, name) is vars(Camera)[name] for name in _DRAWING)


@functools.cache
def _flat_like_camera(kind: type) -> bool:
    name = "transform_points_pre_display"
    return _after_fast_path(kind, name) is vars(Camera)[name]


#: The methods that decide a depth reference point, and the class each must come from for
#: ``depth_reference_point`` to compute it directly.
_CENTRE_METHODS = {"get_points_defining_boundary": VMobject, "get_anchors": VMobject} | dict.fromkeys(
    ("get_z_index_reference_point", "get_center", "get_critical_point", "get_extremum_along_dim", "get_family"), Mobject
)


@functools.cache
def _centred_like_vmobject(kind: type) -> bool:
    return issubclass(kind, VMobject) and all(
        getattr(kind, name) is getattr(owner, name) for name, owner in _CENTRE_METHODS.items()
    )


def depth_reference_point(mob: Mobject) -> np.ndarray:
    """``mob.get_z_index_reference_point()``, the same numbers: the middle of the box around the
    anchors of its (or its ``z_index_group``'s) family."""
    group = getattr(mob, "z_index_group", mob)
    if not versions.checked() or not _centred_like_vmobject(type(mob)) or not _centred_like_vmobject(type(group)):
        return mob.get_z_index_reference_point()
    anchors = []
    for part in group.get_family():
        points = part.points
        if len(points) == 1:
            anchors.append(points)
            continue
        per_curve = part.n_points_per_cubic_curve
        starts, ends = points[::per_curve], points[per_curve - 1 :: per_curve]
        if len(starts) != len(ends):  # manim's get_anchors refuses these: let it say so
            return mob.get_z_index_reference_point()
        anchors += (starts, ends)
    every = np.concatenate(anchors) if anchors else ()
    if len(every) == 0:
        return np.zeros(group.dim)
    return (every.min(axis=0) + every.max(axis=0)) / 2


class FastShadingCamera:
    """Mixed before a 3-D camera's ``FastPathCamera`` (``fast_camera``): a shaded piece's fill
    and its stroke are lit from the same two corners and normals, found once for the piece
    drawn rather than once for each (manim's ``ThreeDCamera.modified_rgbas``, with its own
    helpers and numbers)."""

    _lit: tuple | None = None  # (the path being drawn, its corners and their normals, once found)

    def display_vectorized(self, vmobject, ctx):
        self._lit = (vmobject, None)
        try:
            return super().display_vectorized(vmobject, ctx)
        finally:
            self._lit = None

    def modified_rgbas(self, vmobject, rgbas):
        drawing = self._lit is not None and self._lit[0] is vmobject
        if not (drawing and self.should_apply_shading and vmobject.shade_in_3d and vmobject.get_num_points() > 0):
            return super().modified_rgbas(vmobject, rgbas)
        corners = self._lit[1]
        if corners is None:  # the points cannot change while the piece is drawn
            corners = (
                (get_3d_vmob_start_corner(vmobject), get_3d_vmob_start_corner_unit_normal(vmobject)),
                (get_3d_vmob_end_corner(vmobject), get_3d_vmob_end_corner_unit_normal(vmobject)),
            )
            self._lit = (vmobject, corners)
        light = self.light_source.points[0]
        shaded = rgbas.repeat(2, axis=0) if len(rgbas) < 2 else np.array(rgbas[:2])
        for row, (point, normal) in zip(shaded, corners):
            row[:3] = get_shaded_rgb(row[:3], point, normal, light)
        return shaded


class FastProjectionCamera:
    """Mixed into a 3-D camera (``fast_camera``): manim's ``ThreeDCamera.project_points``, the same
    numbers, with the perspective's factor found once rather than once for x and again for y (a
    3-D piece is projected every frame it moves: 400 dots and a surface's faces in a tilt).
    (Keeping what was projected for the view, by the points' bytes, saved a tenth of it more, but
    its thousands of small arrays, kept while the video frames come and go, pinned glibc's heap: a
    worker's peak for plane_sum and gradient_step at 1080p rose from 317 to 867 MB.)"""

    def project_points(self, points):
        if not versions.checked() or self.exponential_projection:
            return super().project_points(points)
        focal_distance = self.get_focal_distance()
        zoom = self.get_zoom()
        points = np.dot(points - self.frame_center, self.get_rotation_matrix().T)
        zs = points[:, 2]
        factor = focal_distance / (focal_distance - zs)
        factor[(focal_distance - zs) < 0] = 10**6  # behind the viewer, as manim puts it
        scale = factor * zoom
        points[:, 0] *= scale
        points[:, 1] *= scale
        return points


@functools.cache
def fast_camera(camera_class: type[Camera]) -> type[Camera]:
    """``camera_class`` with ``FastPathCamera`` before it (and ``FastShadingCamera`` and
    ``FastProjectionCamera`` for a 3-D camera), once per class."""
    three_d = (FastShadingCamera, FastPathCamera, FastProjectionCamera)
    mixins = three_d if issubclass(camera_class, ThreeDCamera) else (FastPathCamera,)
    return type(f"FastPath{camera_class.__name__}", (*mixins, camera_class), {})


def camera_like(current: Camera, wanted: type[Camera]) -> Camera:
    """A new camera of class ``wanted``, fast if the renderer's ``current`` one is, with its picture's
    size (a scene that needs another camera than the one its renderer made)."""
    made = fast_camera(wanted) if isinstance(current, FastPathCamera) else wanted
    return made(pixel_width=current.pixel_width, pixel_height=current.pixel_height)
