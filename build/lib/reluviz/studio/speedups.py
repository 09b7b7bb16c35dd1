"""Fewer copies of each picture between manim's camera and x264, through subclasses that the
render worker hands to its scenes; only on the manim versions they were checked against.

manim (0.22) hands the encoder a new 8 MB RGBA picture per frame (at 1080p): the renderer
copies it out of the camera, the segment encoder copies it again into a new video frame,
then converts it to YUV; a held picture (a wait) is copied and converted once per repeat.
Here the camera draws straight into the memory of an RGBA video frame, which is converted
to YUV in place of the first copy, and the second copy is gone; a picture that still
arrives as an array (a held frame) is converted once, however many times it repeats.

How it is wired, all through manim's own parameters, nothing replaced on manim's classes:

* ``Scene(renderer=FastCairoRenderer())``: ``render`` (one call per animated frame) hands
  the file writer a YUV video frame instead of a copy of the camera's array;
* ``CairoRenderer(file_writer_class=FastFileWriter)``: its segment encoder factory
  (``_create_segment_encoder``) makes a ``FastSegmentEncoder``;
* ``FastSegmentEncoder.write_frame`` takes those video frames as they are, and converts
  a held array once.

This still leans on private parts of manim: the file writer's encoder factory, and the
``VideoSegmentEncoder``'s array checks and PyAV stream and container (its ``write_frame``
only takes RGBA arrays). So ``fast_renderer_class`` offers all this only on
``CHECKED_MANIM_VERSIONS``; any other manim renders stock, and the worker logs why.
``tests/studio/test_speedups.py`` compares the frames with stock manim's.

The other speed-up of the worker, one TeX folder shared by all workers, needs no manim
internals: ``scenes/widgets.py`` typesets under a file lock (``typesetting()``).
"""

from __future__ import annotations

import sys
from fractions import Fraction
from importlib.metadata import version
from pathlib import Path
from typing import IO, Any

import av
import numpy as np
from manim.renderer.cairo_renderer import CairoRenderer
from manim.scene.scene_file_writer import SceneFileWriter
from manim.scene.video_segment_encoder import VideoSegmentEncoder

#: manim versions whose renderer, file writer and segment encoder the classes below were
#: read against and compared frame by frame with (tests/studio/test_speedups.py).
CHECKED_MANIM_VERSIONS = frozenset({"0.22.0"})


def fast_renderer_class(log: IO[str] | None = None) -> type[CairoRenderer] | None:
    """``FastCairoRenderer`` on a checked manim; otherwise None (scenes make manim's own
    renderer) and one warning line on ``log`` (stderr: the worker's log)."""
    found = version("manim")
    if found in CHECKED_MANIM_VERSIONS:
        return FastCairoRenderer
    print(
        f"warning: manim {found} is not one the render speed-ups were checked against "
        f"({', '.join(sorted(CHECKED_MANIM_VERSIONS))}); rendering with stock manim",
        file=log or sys.stderr,
        flush=True,
    )
    return None


class FastSegmentEncoder(VideoSegmentEncoder):
    """Takes YUV video frames made by ``FastCairoRenderer`` as they are, and converts an RGBA
    array (a held picture) once, however many times it repeats."""

    def __init__(self, *, target: Path, spec: Any) -> None:
        super().__init__(target=target, spec=spec)
        self._frames_written = 0  # the next frame's pts

    def write_frame(self, pixels: np.ndarray | av.VideoFrame, *, repeat: int = 1) -> None:
        if isinstance(pixels, av.VideoFrame):
            frame = pixels  # converted by the renderer, from the camera's own memory
        else:
            self._validate_frame(pixels, repeat)  # manim's own checks of an array
            frame = av.VideoFrame.from_ndarray(pixels, format="rgba").reformat(format=self.spec.pixel_format)
        time_base = Fraction(self.spec.frame_rate.denominator, self.spec.frame_rate.numerator)
        try:
            for _ in range(repeat):
                frame.pts = self._frames_written
                frame.time_base = time_base
                self._frames_written += 1
                # manim 0.22 keeps the PyAV stream and container here (see the module docstring)
                for packet in self._stream.encode(frame):
                    self._container.mux(packet)
        except BaseException as error:
            raise RuntimeError(f"Failed to encode video segment {self.target}: {error}") from error


class FastFileWriter(SceneFileWriter):
    """A file writer whose video segments are encoded by ``FastSegmentEncoder``."""

    def _create_segment_encoder(self, target: Path) -> VideoSegmentEncoder:
        if self.video_encoder is None:
            return super()._create_segment_encoder(target)  # manim's own error
        return FastSegmentEncoder(target=target, spec=self.video_encoder)


class FastCairoRenderer(CairoRenderer):
    """manim's Cairo renderer, whose camera draws into the memory of an RGBA video frame: each
    animated picture reaches the encoder as one YUV frame converted from there, not copied."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("file_writer_class", FastFileWriter)
        super().__init__(**kwargs)
        self._rgba: av.VideoFrame | None = None  # the video frame the camera draws into
        self._view: np.ndarray | None = None  # its memory, as the camera's pixel_array
        self._unaligned = False  # rows padded in a video frame: the camera cannot draw there

    def render(self, scene, time: float, moving_mobjects=None) -> None:
        spec = self._video_spec()
        if spec is None or self.skip_animations:
            return super().render(scene, time, moving_mobjects)
        self.update_frame(scene, moving_mobjects)
        frame = self._camera_frame()
        converted = None if frame is None else frame.reformat(format=spec.pixel_format)
        if converted is None or converted is frame:  # the encoder must own what it is handed
            self.add_frame(self.get_frame())
        else:
            self.add_frame(converted)

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
