"""Two changes to manim 0.22's internals, made by the render worker only.

* TeX: one cache folder shared by all workers. manim's compile deletes every non-SVG
  file in the folder when it finishes, including another worker's half-made .dvi, and
  reading an SVG writes and deletes a scratch copy beside it (``<name>_.svg``), so both
  take turns under a file lock. Each formula then compiles once per render, not once per
  scene that shows it.
* Frames: manim hands the encoder a new 8 MB RGBA picture per frame and converts a held
  picture (a wait) to YUV once per repeat; here one buffer is reused and a held picture
  is converted once.
"""

from __future__ import annotations

import fcntl
from contextlib import contextmanager
from fractions import Fraction
from pathlib import Path

import av
import numpy as np


@contextmanager
def _locked(path: Path):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


_shared_tex: dict[str, Path] = {}


def share_tex_cache(tex_dir: Path) -> None:
    """Compile and read TeX in ``tex_dir`` under a lock (setting it again only moves the folder)."""
    installed = "dir" in _shared_tex
    _shared_tex["dir"] = tex_dir
    if installed:
        return
    from manim.mobject.svg.svg_mobject import SVGMobject
    from manim.mobject.text import tex_mobject

    compile_svg = tex_mobject.tex_to_svg_file
    read_svg = SVGMobject.generate_mobject

    def lock() -> Path:
        folder = _shared_tex["dir"]
        return folder.with_name(folder.name + ".lock")  # beside it: manim empties the folder of non-SVG files

    def locked_tex_to_svg_file(*args, **kwargs):
        with _locked(lock()):
            return compile_svg(*args, **kwargs)

    def locked_generate_mobject(self):
        if self.get_file_path().parent != _shared_tex["dir"]:
            return read_svg(self)
        with _locked(lock()):
            return read_svg(self)

    tex_mobject.tex_to_svg_file = locked_tex_to_svg_file
    SVGMobject.generate_mobject = locked_generate_mobject


def encode_frames_faster() -> None:
    """Hand x264 each picture with fewer copies of its 8 MB (at 1080p).

    manim copies every finished picture out of the camera, the encoder copies it again into
    a new frame, then converts it to YUV. Here the camera draws straight into the memory of
    an RGBA video frame, which is converted to YUV in place of the first copy; the second
    copy is gone. Pictures that still arrive as arrays (a held frame) are copied into one
    reused RGBA frame and converted once, however many times they repeat.
    """
    from manim.renderer.cairo_renderer import CairoRenderer
    from manim.scene.video_segment_encoder import VideoSegmentEncoder

    def camera_frame(camera) -> av.VideoFrame | None:
        """An RGBA video frame whose memory is the camera's picture (None where rows are padded)."""
        frame = getattr(camera, "_video_frame", None)
        if frame is None:
            height, width, depth = camera.pixel_array.shape
            frame = av.VideoFrame(width, height, "rgba")
            plane = frame.planes[0]
            if depth != 4 or camera.pixel_array.dtype != np.uint8 or plane.line_size != width * 4:
                camera._video_frame = False
                return None
            view = np.frombuffer(plane, dtype=np.uint8).reshape(height, width, 4)
            view[:] = camera.pixel_array
            camera.pixel_array, camera._video_frame = view, frame
        return frame or None

    def render(self, scene, time, moving_mobjects=None) -> None:
        frame = camera_frame(self.camera)
        self.update_frame(scene, moving_mobjects)
        encoder = self.file_writer.video_encoder
        if frame is None or encoder is None or self.skip_animations:
            self.add_frame(self.get_frame())
        else:
            self.add_frame(frame.reformat(format=encoder.pixel_format))

    def write_frame(self, pixels, *, repeat: int = 1) -> None:
        time_base = Fraction(self.spec.frame_rate.denominator, self.spec.frame_rate.numerator)
        try:
            if isinstance(pixels, av.VideoFrame):
                frame = pixels  # converted by the renderer, from the camera's own memory
            else:
                self._validate_frame(pixels, repeat)
                height, width = self.spec.height, self.spec.width
                rgba = getattr(self, "_rgba", None)
                if rgba is None:
                    rgba = self._rgba = av.VideoFrame(width, height, "rgba")
                plane = rgba.planes[0]
                rows = np.frombuffer(plane, dtype=np.uint8).reshape(height, plane.line_size)
                rows[:, : width * 4] = pixels.reshape(height, width * 4)
                frame = rgba.reformat(format=self.spec.pixel_format)
            for _ in range(repeat):
                frame.pts = self._next_pts
                frame.time_base = time_base
                self._next_pts += 1
                for packet in self._stream.encode(frame):
                    self._container.mux(packet)
        except BaseException as error:
            raise self._operation_error("encode", error) from error

    CairoRenderer.render = render
    VideoSegmentEncoder.write_frame = write_frame
