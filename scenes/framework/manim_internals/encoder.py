"""The video segments' encoder: frames taken as the renderer converted them, held pictures
encoded only until x264 settles (see the package's docstring, "The renderer")."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import numpy as np
from manim.scene.scene_file_writer import SceneFileWriter
from manim.scene.video_segment_encoder import VideoSegmentEncoder

from reluviz.scenes.framework.held_video import held_packets

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
