"""Every place reluviz reaches into manim's private parts, in this one module: each is used
only on the manim versions it was read against and compared frame by frame with stock
manim (``CHECKED_MANIM_VERSIONS``); on any other version manim's own behaviour is used
(slower, the same pictures). Everything goes through subclasses and manim's own
parameters; nothing on manim's classes is replaced.

**The renderer** (speed). manim (0.22) copies each 8 MB RGBA picture (1080p) out of the
camera, again into a video frame, then converts it to YUV, once per repeat of a held
picture. ``FastCairoRenderer``'s camera draws into the memory of an RGBA video frame,
converted in place of the first copy; a held picture is converted once, and a long hold is
encoded only until x264 stops refining it, its last frame copied for the rest (held_video).
Within an animation, only the rows the moving mobjects were drawn in, this frame or the last,
are put back to the still picture and converted again (yuv_rows); the camera logs the rows
each path can reach (``FastPathCamera.log_painted_rows``), and any other drawing (images,
point clouds, a whole ``update_frame``) makes the next frame whole again.
Its ``FastFileWriter`` makes a ``FastSegmentEncoder`` in ``_create_segment_encoder``. Private
parts used: that factory, the ``VideoSegmentEncoder``'s array checks, PyAV stream and container;
overridden: ``CairoRenderer.update_frame`` (to know when the whole picture was drawn again).

**Paths** (speed). manim's camera finds each path's subpaths with numpy on every frame, more
than drawing a path of a few points costs (Part III: about 400 faces a frame).
``FastPathCamera`` (``fast_camera``; another camera through ``camera_like``) traces short
paths from plain floats: the same curves, in the same order. Overridden:
``Camera.set_cairo_context_path``.

**Depth** (speed). A 3-D camera orders shaded pieces by their centres; manim's ``get_center``
lists every anchor in Python first. ``depth_reference_point`` computes the same numbers in one
numpy pass, for classes that find their centre as ``VMobject`` does.

**Numbers** (speed). ``DigitCachedDecimal`` typesets each digit string once per process and
keeps a readout's glyphs while its digits stay the same. Private parts used:
``DecimalNumber._string_to_mob``, ``_set_submobjects_from_number`` and ``_get_num_string``.

**Glyph sources** (speed). A glyph keeps the parsed SVG path it was made from
(``VMobjectFromSVGPath.path_obj``), read only while its points are made, and every animation
that copies a text deep-copies it (half the CPU of building a stage of formulas).
``without_glyph_sources`` drops it from what reluviz typesets. Private part used: that
attribute, and that nothing reads it later.

**Building without pictures** (speed). A scene built for its words (``make script``, the
tests) skips its animations, yet manim's renderer still draws and copies each one's still
part. ``BuildingRenderer`` draws nothing while it skips, on the smallest picture of the
frame's aspect, and resets a 3-D camera's rotation as drawing would. Overridden:
``CairoRenderer.update_frame``, ``render``, ``save_static_frame_data``, ``freeze_current_frame``.

**Still pictures** (speed). ``StillAwareScene`` splits a frame into what an animation
redraws and what is drawn once underneath, counting a curve that follows only some trackers
as still unless one of them moves. Overridden: ``Scene.get_moving_and_static_mobjects``.

tests/scenes/test_manim_internals.py compares the frames of each with stock manim's (the
paths: pixel for pixel, with manim's own camera).
"""

from __future__ import annotations

import functools
import math
import sys
from fractions import Fraction
from importlib.metadata import version
from pathlib import Path
from typing import IO, Any

import av
import numpy as np
from manim import DecimalNumber, Mobject, Scene, VMobject, VMobjectFromSVGPath, config
from manim.camera.camera import Camera
from manim.renderer.cairo_renderer import CairoRenderer
from manim.scene.scene_file_writer import SceneFileWriter
from manim.scene.video_segment_encoder import VideoSegmentEncoder
from manim.utils.family import extract_mobject_family_members
from manim.utils.iterables import list_update

from reluviz.scenes.framework.held_video import held_packets
from reluviz.scenes.framework.yuv_rows import RowConverter, merged

#: manim versions whose private parts used here were read and compared frame by frame with
#: stock manim (tests/scenes/test_manim_internals.py).
CHECKED_MANIM_VERSIONS = frozenset({"0.22.0"})


@functools.cache
def checked() -> bool:
    """Whether this manim is one the code below was checked against (asked once per process)."""
    return version("manim") in CHECKED_MANIM_VERSIONS


def fast_renderer_class(log: IO[str] | None = None) -> type[CairoRenderer] | None:
    """``FastCairoRenderer`` on a checked manim; otherwise None (scenes make manim's own
    renderer) and one warning line on ``log`` (stderr: the worker's log)."""
    if checked():
        return FastCairoRenderer
    print(
        f"warning: manim {version('manim')} is not one the render speed-ups were checked against "
        f"({', '.join(sorted(CHECKED_MANIM_VERSIONS))}); rendering with stock manim",
        file=log or sys.stderr,
        flush=True,
    )
    return None


class BuildingRenderer(CairoRenderer):
    """manim's Cairo renderer drawing no picture while it skips, on the smallest picture of the
    frame's aspect (see the module's docstring). Made by ``building_renderer``."""

    def __init__(self, **kwargs: Any) -> None:
        shape = Fraction(config.pixel_width, config.pixel_height)  # the smallest picture of this aspect
        size = {"pixel_width": shape.numerator, "pixel_height": shape.denominator}
        super().__init__(**{**kwargs, "camera_class": functools.partial(kwargs.get("camera_class") or Camera, **size)})

    def update_frame(self, scene, mobjects=None, include_submobjects=True, ignore_skipping=True, **kwargs) -> None:
        if not self.skip_animations:
            return super().update_frame(scene, mobjects, include_submobjects, ignore_skipping, **kwargs)
        getattr(self.camera, "reset_rotation_matrix", lambda: None)()  # a 3-D camera resets it as it draws

    def render(self, scene, time: float, moving_mobjects=None) -> None:
        if not self.skip_animations:
            return super().render(scene, time, moving_mobjects)
        self.update_frame(scene, moving_mobjects)  # (the frame manim would hand on is dropped)

    def save_static_frame_data(self, scene, static_mobjects):
        if not self.skip_animations:
            return super().save_static_frame_data(scene, static_mobjects)
        self.static_image = None
        if static_mobjects:
            self.update_frame(scene, mobjects=static_mobjects)
        return None

    def freeze_current_frame(self, duration: float) -> None:
        if not self.skip_animations:
            super().freeze_current_frame(duration)


def building_renderer() -> CairoRenderer | None:
    """A renderer for a scene built without its video (``Scene(renderer=..., skip_animations=True)``):
    a ``BuildingRenderer`` on a checked manim, else None (manim makes its own)."""
    return BuildingRenderer(skip_animations=True) if checked() else None


#: A held picture longer than this is encoded for at most this long (``held_video``): until a
#: frame copies the one before, then that frame is written again; failing that, the whole run
#: of frames (a keyframe and the frames after it) is written again.
HOLD_RUN_SECONDS = 1.0
#: Codecs whose packets are known to play when written again (H.264 without B-frames: a run
#: starts with an IDR frame, so no frame refers to one outside its run).
REPEATABLE_CODECS = frozenset({"libx264"})


class FastSegmentEncoder(VideoSegmentEncoder):
    """Takes YUV video frames made by ``FastCairoRenderer`` as they are, and converts an RGBA
    array (a held picture) once, however many times it repeats. A long hold (a still while the
    voice speaks: manim writes a wait as a segment of its own, in one call) is encoded for at
    most ``HOLD_RUN_SECONDS``, then written as copies (``held_video.held_packets``)."""

    def __init__(self, *, target: Path, spec: Any) -> None:
        super().__init__(target=target, spec=spec)
        self._frames_written = 0  # the next frame's pts
        self._time_base = Fraction(spec.frame_rate.denominator, spec.frame_rate.numerator)
        self._flushed = False  # a hold's run was encoded to its end: the segment is complete

    def write_frame(self, pixels: np.ndarray | av.VideoFrame, *, repeat: int = 1) -> None:
        if self._flushed:
            raise RuntimeError(f"Video segment {self.target}: a held picture ends its segment")
        if isinstance(pixels, av.VideoFrame):
            frame = pixels  # converted by the renderer, from the camera's own memory
        else:
            self._validate_frame(pixels, repeat)  # manim's own checks of an array
            frame = av.VideoFrame.from_ndarray(pixels, format="rgba").reformat(format=self.spec.pixel_format)
        run = round(HOLD_RUN_SECONDS * self.spec.frame_rate)
        try:
            # manim 0.22 keeps the PyAV stream and container here (see the module docstring)
            if self._frames_written == 0 and repeat > run and self.spec.codec in REPEATABLE_CODECS:
                self._write_hold(frame, repeat, run)
                return
            for _ in range(repeat):
                for packet in self._stream.encode(self._stamped(frame)):
                    self._container.mux(packet)
        except BaseException as error:
            raise RuntimeError(f"Failed to encode video segment {self.target}: {error}") from error

    def _stamped(self, frame: av.VideoFrame) -> av.VideoFrame:
        frame.pts = self._frames_written
        frame.time_base = self._time_base
        self._frames_written += 1
        return frame

    def _write_hold(self, frame: av.VideoFrame, repeat: int, run: int) -> None:
        """``repeat`` frames of one picture (see held_video; a muxed packet is the container's,
        so each is written from its bytes)."""

        def encode() -> list[av.Packet]:
            return self._stream.encode(self._stamped(frame))

        packets = held_packets(encode, lambda: self._stream.encode(None), self._stream, repeat, run)
        self._flushed = True
        for pts, (data, keyframe) in enumerate(packets):
            packet = av.Packet(data)
            packet.pts = packet.dts = pts
            packet.time_base = self._time_base
            packet.is_keyframe = keyframe
            packet.stream = self._stream
            self._container.mux(packet)
        self._frames_written = repeat

    def finish(self) -> None:
        if not self._flushed:
            return super().finish()
        self._closed = True  # encoded and flushed already: only the container is left to close
        try:
            self._container.close()
        except Exception as error:
            raise self._operation_error("finish", error) from error


class FastFileWriter(SceneFileWriter):
    """A file writer whose video segments are encoded by ``FastSegmentEncoder``."""

    def _create_segment_encoder(self, target: Path) -> VideoSegmentEncoder:
        if self.video_encoder is None:
            return super()._create_segment_encoder(target)  # manim's own error
        return FastSegmentEncoder(target=target, spec=self.video_encoder)


#: Paths of at most this many points are traced from Python floats, the rest through manim's
#: own numpy split: numpy's cost per call outweighs its speed on a few points (a surface's
#: face, a tick, a short line), which are most of the paths a frame draws.
SHORT_PATH = 64


#: Pixel rows of margin past a path's box widened by its stroke's reach (rounded outwards, so
#: holding every pixel it touches): Cairo draws from the path in 24.8 fixed point and flattens
#: curves to within a tenth of a pixel.
MARGIN_ROWS = 1


class FastPathCamera:
    """Mixed into a camera class (``fast_camera``): traces each path into Cairo as manim's
    ``Camera.set_cairo_context_path`` does (the same subpaths, curves and closings, from the
    same numbers), with plain floats where a path is short; and, while asked
    (``log_painted_rows``), notes the pixel rows each path's drawing can reach."""

    _painted: bytearray | None = None  # a byte per pixel row, 1 where a path reached it; None: no log
    _painted_unknown = False  # something was drawn whose reach is not known

    def log_painted_rows(self) -> None:
        """Note the rows every drawing reaches from now on, until ``painted_rows``."""
        self._painted, self._painted_unknown = bytearray(self.pixel_height), False
        self._all_rows = memoryview(b"\x01" * self.pixel_height)

    def painted_rows(self) -> list[tuple[int, int]] | None:
        """The runs of rows [top, bottom) drawn since ``log_painted_rows``, or None if
        something was drawn that the log cannot place; ends the log."""
        painted, self._painted = self._painted, None
        if painted is None or self._painted_unknown:
            return None
        edges = np.flatnonzero(np.diff(np.frombuffer(b"\x00" + painted + b"\x00", np.uint8)))
        return list(zip(edges[::2].tolist(), edges[1::2].tolist()))

    def display_vectorized(self, vmobject, ctx):
        super().display_vectorized(vmobject, ctx)
        if self._painted is not None:  # the path is still Cairo's: filled and stroked with preserve
            top, bottom = self._rows_reached(ctx, vmobject)
            top, bottom = max(0, top), min(self.pixel_height, bottom)
            if bottom > top:
                self._painted[top:bottom] = self._all_rows[: bottom - top]
        return self

    def _rows_reached(self, ctx, vmobject) -> tuple[int, int]:
        """The pixel rows the path on ``ctx`` can have painted: its box (Cairo's own, in the
        frame's units), widened by the farthest its stroke reaches past a point (half its width
        times the miter limit, which bounds joins and square caps alike) and ``MARGIN_ROWS``."""
        _, low, _, high = ctx.path_extents()
        width = max(vmobject.get_stroke_width(), vmobject.get_stroke_width(background=True))
        reach = width * self.cairo_line_width_multiple / 2 * max(ctx.get_miter_limit(), math.sqrt(2))
        rows = (ctx.user_to_device(0, low - reach)[1], ctx.user_to_device(0, high + reach)[1])
        return math.floor(min(rows)) - MARGIN_ROWS, math.ceil(max(rows)) + MARGIN_ROWS

    def _unplaced(self) -> None:
        if self._painted is not None:
            self._painted_unknown = True

    def display_multiple_background_colored_vmobjects(self, vmobjects, pixel_array):
        self._unplaced()
        return super().display_multiple_background_colored_vmobjects(vmobjects, pixel_array)

    def display_multiple_point_cloud_mobjects(self, pmobjects, pixel_array):
        self._unplaced()
        return super().display_multiple_point_cloud_mobjects(pmobjects, pixel_array)

    def display_multiple_image_mobjects(self, image_mobjects, pixel_array):
        self._unplaced()
        return super().display_multiple_image_mobjects(image_mobjects, pixel_array)

    def set_cairo_context_path(self, ctx, vmobject):
        points = self.transform_points_pre_display(vmobject, vmobject.points)
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
    if not checked() or not _centred_like_vmobject(type(mob)) or not _centred_like_vmobject(type(group)):
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


@functools.cache
def fast_camera(camera_class: type[Camera]) -> type[Camera]:
    """``camera_class`` with ``FastPathCamera`` before it, once per class."""
    return type(f"FastPath{camera_class.__name__}", (FastPathCamera, camera_class), {})


def camera_like(current: Camera, wanted: type[Camera]) -> Camera:
    """A new camera of class ``wanted``, fast if the renderer's ``current`` one is, with its picture's
    size (a scene that needs another camera than the one its renderer made)."""
    made = fast_camera(wanted) if isinstance(current, FastPathCamera) else wanted
    return made(pixel_width=current.pixel_width, pixel_height=current.pixel_height)


class FastCairoRenderer(CairoRenderer):
    """manim's Cairo renderer, whose camera draws into the memory of an RGBA video frame: each
    animated picture reaches the encoder as one YUV frame converted from there, not copied;
    and whose camera traces short paths faster (``FastPathCamera``)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("file_writer_class", FastFileWriter)
        kwargs["camera_class"] = fast_camera(kwargs.get("camera_class") or Camera)
        super().__init__(**kwargs)
        self._rgba: av.VideoFrame | None = None  # the video frame the camera draws into
        self._view: np.ndarray | None = None  # its memory, as the camera's pixel_array
        self._unaligned = False  # rows padded in a video frame: the camera cannot draw there
        self._converter: RowConverter | None = None
        # (the picture under the last frame, the rows its moving mobjects were drawn in): outside
        # those rows the camera's picture is that one, and the last frame converted shows it
        self._drawn_over: tuple[np.ndarray, list[tuple[int, int]]] | None = None

    def update_frame(self, scene, mobjects=None, include_submobjects=True, ignore_skipping=True, **kwargs) -> None:
        self._drawn_over = None  # the whole picture is drawn again
        super().update_frame(scene, mobjects, include_submobjects, ignore_skipping, **kwargs)

    def render(self, scene, time: float, moving_mobjects=None) -> None:
        spec = self._video_spec()
        if spec is None or self.skip_animations:
            return super().render(scene, time, moving_mobjects)
        under = self.static_image if self.static_image is not None else self.camera.background
        if self._drawn_over is not None and self._drawn_over[0] is under and self.draws_into_video_frame:
            converted = self._draw_changed_rows(scene, moving_mobjects, under)
        else:
            self.camera.log_painted_rows()
            self.update_frame(scene, moving_mobjects)
            painted = self.camera.painted_rows()
            frame = self._camera_frame()
            converter = self._converter_for(spec.pixel_format)
            converted = None if frame is None else converter.whole(frame)
            by_rows = painted is not None and converted is not None and converter.by_rows
            self._drawn_over = (under, painted) if by_rows else None
        if converted is None or converted is self._rgba:  # the encoder must own what it is handed
            self._drawn_over = None
            self.add_frame(self.get_frame())
        else:
            self.add_frame(converted)

    def _draw_changed_rows(self, scene, moving_mobjects, under: np.ndarray) -> av.VideoFrame:
        """This frame drawn as ``update_frame`` would, and converted, only where it can differ
        from the last: the rows the last frame's moving mobjects were drawn in are put back to
        the picture underneath, the moving mobjects drawn again, and the rows either frame drew
        in converted (``RowConverter.rows``)."""
        pixels = self.camera.pixel_array
        _, last_rows = self._drawn_over
        for top, bottom in last_rows:
            pixels[top:bottom] = under[top:bottom]
        self.camera.log_painted_rows()
        # update_frame's own choice: no moving mobjects given means every one on screen
        drawn = moving_mobjects or list_update(scene.mobjects, scene.foreground_mobjects)
        self.camera.capture_mobjects(drawn, include_submobjects=True)
        painted = self.camera.painted_rows()
        converter = self._converter
        if painted is None:
            self._drawn_over = None
            return converter.whole(self._rgba)
        self._drawn_over = (under, painted)
        return converter.rows(pixels, merged(last_rows + painted, pixels.shape[0]))

    def _converter_for(self, pixel_format: str) -> RowConverter:
        if self._converter is None or self._converter.pixel_format != pixel_format:
            self._converter = RowConverter(pixel_format)
        return self._converter

    @property
    def draws_into_video_frame(self) -> bool:
        """Whether the camera's picture is the memory of a video frame now."""
        return self._view is not None and self.camera.pixel_array is self._view

    def _video_spec(self):
        """The segments' encoder settings if our encoder writes them, else None."""
        writer = getattr(self, "file_writer", None)
        output = getattr(writer, "output_spec", None)
        if not isinstance(writer, FastFileWriter) or not output.is_video or output.is_image_sequence:
            return None
        return writer.video_encoder

    def _camera_frame(self) -> av.VideoFrame | None:
        """The RGBA video frame whose memory is the camera's picture (None where it cannot be).

        The camera resets its picture by copying into it, so it keeps drawing into our
        memory; should it replace the array, the new picture is adopted the same way.
        """
        pixels = self.camera.pixel_array
        if pixels is self._view:
            return self._rgba
        height, width, depth = pixels.shape
        if self._unaligned or depth != 4 or pixels.dtype != np.uint8:
            return None
        frame = av.VideoFrame(width, height, "rgba")
        plane = frame.planes[0]
        if plane.line_size != width * 4:
            self._unaligned = True
            return None
        view = np.frombuffer(plane, dtype=np.uint8).reshape(height, width, 4)
        view[:] = pixels
        self.camera.pixel_array = view
        self._rgba, self._view = frame, view
        return frame


def without_glyph_sources(mobject: Mobject) -> Mobject:
    """``mobject`` with its glyphs' parsed SVG paths dropped (see the module's docstring): the
    same points, cheaper to copy. Kept on an unchecked manim, which may read them later."""
    if checked():
        for part in mobject.get_family():
            if isinstance(part, VMobjectFromSVGPath):
                part.path_obj = None
    return mobject


class DigitCachedDecimal(DecimalNumber):
    """A DecimalNumber that typesets each digit string once per process (``glyphs`` makes it)
    and keeps its glyphs while the digits it shows stay the same; stock DecimalNumber on an
    unchecked manim."""

    #: Digits typeset once per process, like manim's own map (which is keyed by the string
    #: only, so sharing it would mix our font with a plain DecimalNumber's).
    _typeset: dict[str, VMobject] = {}

    def glyphs(self, string: str, **kwargs) -> VMobject:
        """The string typeset (a subclass says how)."""
        raise NotImplementedError

    def _string_to_mob(self, string: str, mob_class=None, **kwargs) -> VMobject:
        if not checked():
            return super()._string_to_mob(string, mob_class, **kwargs)
        if string not in self._typeset:
            self._typeset[string] = without_glyph_sources(self.glyphs(string, **kwargs))
        mob = self._typeset[string].copy()
        mob.font_size = self._font_size
        return mob

    def _set_submobjects_from_number(self, number: float) -> None:
        super()._set_submobjects_from_number(number)
        self._drawn = self._get_num_string(number) if checked() else None

    def shows_digits_of(self, number: float) -> bool:
        """Whether the glyphs drawn now are those of ``number`` (always False on an unchecked manim)."""
        return checked() and self._get_num_string(number) == self._drawn


class StillAwareScene(Scene):
    """A scene whose still parts are drawn once under each animation (see the module's docstring)."""

    def get_moving_and_static_mobjects(self, animations):
        """Split the picture into what an animation redraws on every frame and what is drawn
        once, underneath.

        Unlike manim's own split, a mobject whose updater only follows some trackers (a
        curve on a plot: ``follows()``) counts as still unless one of those is animated; and
        whole mobjects are handed to the camera, which expands families on every frame, so
        parts replaced mid-animation (new tick labels as a view moves) are drawn, old ones not.
        """
        if not checked():
            return super().get_moving_and_static_mobjects(animations)
        animated = {id(part) for animation in animations for part in _animated_mobjects(animation)}

        def moving(mob) -> bool:
            for part in mob.get_family():
                if id(part) in animated or part in self.foreground_mobjects:
                    return True
                if part.updaters:
                    follows = getattr(part, "follows", None)
                    if follows is None or any(id(dependency) in animated for dependency in follows()):
                        return True
            return False

        on_screen = list_update(self.mobjects, self.foreground_mobjects)
        roots = [m for m in on_screen if moving(m)]
        root_parts = {id(part) for root in roots for part in root.get_family()}
        static = extract_mobject_family_members(
            on_screen, use_z_index=self.renderer.camera.use_z_index, only_those_with_points=True
        )
        return roots, [m for m in static if id(m) not in root_parts]


def _animated_mobjects(animation) -> list:
    """Every mobject an animation (or a group of them) changes, with their families."""
    found = list(animation.mobject.get_family()) if animation.mobject is not None else []
    for inner in getattr(animation, "animations", ()):
        found += _animated_mobjects(inner)
    return found
