"""The renderers: ``FastCairoRenderer`` for videos, ``BuildingRenderer`` for scenes built
without pictures (see the package's docstring, "The renderer" and "Building without pictures")."""

from __future__ import annotations

import functools
import sys
from fractions import Fraction
from typing import IO, Any

import av
import numpy as np
from manim import config
from manim.camera.camera import Camera
from manim.renderer.cairo_renderer import CairoRenderer
from manim.utils.iterables import list_update

from reluviz.scenes.framework.manim_internals import versions
from reluviz.scenes.framework.manim_internals.camera import fast_camera
from reluviz.scenes.framework.manim_internals.encoder import FastFileWriter
from reluviz.scenes.framework.yuv_rows import Box, RowConverter, merged


def fast_renderer_class(log: IO[str] | None = None) -> type[CairoRenderer] | None:
    """``FastCairoRenderer`` on a checked manim; otherwise None (scenes make manim's own
    renderer) and one warning line on ``log`` (stderr: the worker's log)."""
    if versions.checked():
        return FastCairoRenderer
    print(
        f"warning: manim {versions.version('manim')} is not one the render speed-ups were checked against "
        f"({', '.join(sorted(versions.CHECKED_MANIM_VERSIONS))}); rendering with stock manim",
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
    return BuildingRenderer(skip_animations=True) if versions.checked() else None


class FastCairoRenderer(CairoRenderer):
    """manim's Cairo renderer, whose camera draws into the memory of an RGBA video frame: each
    animated picture reaches the encoder as one YUV frame converted from there, not copied;
    and whose camera traces short paths faster (``FastPathCamera``)."""

    #: A scene may draw still parts underneath that lie over moving ones (save_static_frame_data).
    redraws_where_stills_over_moving_meet = True

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("file_writer_class", FastFileWriter)
        kwargs["camera_class"] = fast_camera(kwargs.get("camera_class") or Camera)
        super().__init__(**kwargs)
        self._view: np.ndarray | None = None  # the camera's pixel_array, read in place
        self._rgba: av.VideoFrame | None = None  # the video frame it is the memory of (see _camera_frame)
        self._converter: RowConverter | None = None
        # (the picture under the last frame, the boxes its moving mobjects were drawn in): outside
        # them the camera's picture is that one, and the last frame converted shows it
        self._drawn_over: tuple[np.ndarray, list[Box]] | None = None
        self._painted: list[Box] | None = None  # the boxes this frame's moving mobjects were drawn in
        # the boxes of still parts drawn underneath that lie over moving ones (see save_static_frame_data)
        self._stills_over: np.ndarray | None = None

    def update_frame(self, scene, mobjects=None, include_submobjects=True, ignore_skipping=True, **kwargs) -> None:
        self._drawn_over = None  # the whole picture is drawn again
        super().update_frame(scene, mobjects, include_submobjects, ignore_skipping, **kwargs)

    def render(self, scene, time: float, moving_mobjects=None) -> None:
        spec = self._video_spec()
        if spec is None or self.skip_animations:
            return super().render(scene, time, moving_mobjects)
        under = self.static_image if self.static_image is not None else self.camera.background
        frame = None  # the camera's picture as a video frame, if converted whole
        converter = self._converter_for(spec.pixel_format)
        if self._stills_over is not None and not converter.by_rows:  # (no boxes logged to check them by)
            frame, converted = self._drawn_whole_in_order(scene, converter)
        elif self._drawn_over is not None and self._drawn_over[0] is under and self.reads_picture_in_place:
            converted = self._draw_changed_boxes(scene, moving_mobjects, under)
        else:
            if converter.by_rows:  # (else the boxes drawn are of no use)
                self.camera.log_painted()
            self.update_frame(scene, moving_mobjects)
            painted = self._painted = self.camera.painted_boxes()  # None without a log
            frame = self._camera_frame()
            converted = None if frame is None else converter.whole(frame)
            if painted is None or converted is None:
                self._drawn_over = None
            else:
                self._drawn_over = (under, merged(painted, *self.camera.pixel_array.shape[:2]))
        if self._stills_over is not None and converter.by_rows and _reaches(self._painted, self._stills_over):
            frame, converted = self._drawn_whole_in_order(scene, converter)
        if converted is None or converted is frame:  # the encoder must own what it is handed
            self._drawn_over = None
            self.add_frame(self.get_frame())
        else:
            self.add_frame(converted)

    def _draw_changed_boxes(self, scene, moving_mobjects, under: np.ndarray) -> av.VideoFrame:
        """This frame drawn as ``update_frame`` would, and converted, only where it can differ
        from the last: the boxes the last frame's moving mobjects were drawn in are put back to
        the picture underneath, the moving mobjects drawn again, and the boxes either frame drew
        in converted (``RowConverter.rows``)."""
        pixels = self.camera.pixel_array
        height, width = pixels.shape[:2]
        _, last_boxes = self._drawn_over  # (merged)
        for top, bottom, left, right in last_boxes:
            pixels[top:bottom, left:right] = under[top:bottom, left:right]
        self.camera.log_painted()
        # update_frame's own choice: no moving mobjects given means every one on screen
        drawn = moving_mobjects or list_update(scene.mobjects, scene.foreground_mobjects)
        self.camera.capture_mobjects(drawn, include_submobjects=True)
        painted = self._painted = self.camera.painted_boxes()
        converter = self._converter
        if painted is None:
            self._drawn_over = None
            return converter.whole(self._camera_frame())
        painted = merged(painted, height, width)
        self._drawn_over = (under, painted)
        return converter.rows(pixels, merged(last_boxes + painted, height, width))

    def save_static_frame_data(self, scene, static_mobjects):
        """manim's still picture under an animation. A scene may draw still parts underneath
        that lie over moving ones in its true order (``PlaneScene``: the words' column, over
        the 3-D picture it never meets): it says so with ``stills_over_moving``, their boxes
        are logged as they are drawn, and a frame whose moving parts reach one is drawn whole,
        in order (``_drawn_whole_in_order``), so every frame is what drawing it whole makes."""
        guarded = getattr(scene, "stills_over_moving", False) and bool(static_mobjects)
        if guarded:
            self.camera.log_painted()
        picture = super().save_static_frame_data(scene, static_mobjects)
        boxes = self.camera.painted_boxes() if guarded else None
        if not guarded:
            self._stills_over = None
        elif boxes is None:  # drawn where the log cannot place it: anywhere
            self._stills_over = np.array([[0, self.camera.pixel_height, 0, self.camera.pixel_width]])
        else:
            self._stills_over = np.array(boxes, dtype=np.int64).reshape(-1, 4)
        return picture

    def _drawn_whole_in_order(self, scene, converter: RowConverter) -> tuple[av.VideoFrame | None, Any]:
        """This frame drawn from the background, every mobject in the camera's order (the still
        parts too), converted whole: (the camera's frame, the converted one)."""
        still, self.static_image = self.static_image, None
        try:
            self.update_frame(scene)
        finally:
            self.static_image = still
        self._drawn_over = None  # the next frame starts again from the still picture
        frame = self._camera_frame()
        return frame, None if frame is None else converter.whole(frame)

    def _converter_for(self, pixel_format: str) -> RowConverter:
        if self._converter is None or self._converter.pixel_format != pixel_format:
            self._converter = RowConverter(pixel_format)
        return self._converter

    @property
    def reads_picture_in_place(self) -> bool:
        """Whether the camera's picture is the memory ``_camera_frame`` reads now."""
        return self._view is not None and self.camera.pixel_array is self._view

    def _video_spec(self):
        """The segments' encoder settings if our encoder writes them, else None."""
        writer = getattr(self, "file_writer", None)
        output = getattr(writer, "output_spec", None)
        if not isinstance(writer, FastFileWriter) or not output.is_video or output.is_image_sequence:
            return None
        return writer.video_encoder

    def _camera_frame(self) -> av.VideoFrame | None:
        """The camera's picture as an RGBA video frame, read in place (None where it cannot be).

        Where a video frame's rows are as long as the picture's, the camera draws into the
        memory of one (the camera resets its picture by copying into it, so it keeps drawing
        there; should it replace the array, the new picture is adopted the same way). Where a
        video frame pads its rows (854 pixels at low quality), the camera keeps its own memory
        and each frame wraps it: swscale reads it as it is, the same pixels either way.
        """
        pixels = self.camera.pixel_array
        if pixels is not self._view:
            height, width, depth = pixels.shape
            if depth != 4 or pixels.dtype != np.uint8 or not pixels.flags.c_contiguous:
                return None
            frame = av.VideoFrame(width, height, "rgba")
            if frame.planes[0].line_size == width * 4:
                view = np.frombuffer(frame.planes[0], dtype=np.uint8).reshape(height, width, 4)
                view[:] = pixels
                self.camera.pixel_array = view
                self._rgba, self._view = frame, view
            else:
                self._rgba, self._view = None, pixels
        return self._rgba or av.VideoFrame.from_numpy_buffer(self._view, format="rgba")


def _reaches(painted: list[Box] | None, stills: np.ndarray) -> bool:
    """Whether any of the boxes ``painted`` (None: unknown, anywhere) meets any of ``stills``."""
    if painted is None:
        return True
    if not painted or not len(stills):
        return False
    moving = np.array(painted, dtype=np.int64)
    top, bottom, left, right = moving[:, 0:1], moving[:, 1:2], moving[:, 2:3], moving[:, 3:4]
    return bool(((top < stills[:, 1]) & (stills[:, 0] < bottom) & (left < stills[:, 3]) & (stills[:, 2] < right)).any())
