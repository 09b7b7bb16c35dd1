"""Converting only the rows of a picture that changed since the last frame into the video's
YUV, the rest copied from the frame before: the same pixels as converting the whole picture.

Converting a 1080p RGBA picture to YUV 4:2:0 costs about 2.5 ms, as much as drawing a
typical frame; most frames of an animation change a band of rows (a dot moving along a
curve, a readout's digits) under a still picture. A row of luma comes from its own row of
RGBA, a row of chroma from the two rows it halves and their neighbours (swscale's vertical
filter): so the chroma rows beside a changed band are converted again with it, from
``FILTER_ROWS`` more rows of RGBA above and below, which gives exactly the whole conversion's
rows (tests/scenes/test_yuv_rows.py compares them on noise).
"""

from __future__ import annotations

from collections import OrderedDict

import av
import numpy as np
from av.video.reformatter import VideoReformatter

#: Rows of RGBA above and below a band that its chroma reads, and rows of chroma beside a
#: changed band that read it (swscale's vertical chroma filter reaches one row of chroma;
#: measured exact with two on noise): even, so 4:2:0's chroma rows line up.
FILTER_ROWS = 4
#: Bands are converted in heights that are multiples of this (swscale's context is made for
#: one height: remaking it costs about as much as converting a third of a 1080p picture).
HEIGHT_STEP = 32
#: Contexts kept for the heights of the latest bands.
KEPT_HEIGHTS = 6
#: Bands closer than this many rows are converted as one (each conversion has a fixed cost).
JOIN_GAP = 32
#: Bands covering at least this share of the rows: the whole picture is converted instead (as
#: cheap, without the bands' extra rows).
WHOLE_SHARE = 0.9
#: Formats whose bands ``RowConverter.rows`` converts: planar 4:2:0, a plane of luma and two
#: of chroma at half the rows (others, like VP9's with alpha, are converted whole).
BY_ROWS = frozenset({"yuv420p"})


def merged(spans: list[tuple[int, int]], height: int, gap: int = JOIN_GAP) -> list[tuple[int, int]]:
    """``spans`` of rows [top, bottom) clipped to the picture, sorted, those at most ``gap``
    rows apart joined, each widened to even rows (4:2:0's chroma rows come in pairs)."""
    joined: list[list[int]] = []
    inside = ((max(0, top), min(height, bottom)) for top, bottom in spans)
    for top, bottom in sorted((top - top % 2, bottom + bottom % 2) for top, bottom in inside if top < bottom):
        if joined and top <= joined[-1][1] + gap:
            joined[-1][1] = max(joined[-1][1], bottom)
        else:
            joined.append([top, bottom])
    return [(top, bottom) for top, bottom in joined]


def planes(frame: av.VideoFrame) -> list[np.ndarray]:
    """A video frame's planes as writable arrays of rows (padding included)."""
    return [np.frombuffer(plane, np.uint8).reshape(-1, plane.line_size) for plane in frame.planes]


class RowConverter:
    """Converts an RGBA picture into video frames of ``pixel_format`` (a 4:2:0 format with
    planes: yuv420p), a whole picture or only the bands of rows that changed."""

    def __init__(self, pixel_format: str) -> None:
        self.pixel_format = pixel_format
        self.by_rows = pixel_format in BY_ROWS  # whether ``rows`` can convert bands of it
        self._last: av.VideoFrame | None = None  # the frame converted last
        self._contexts: OrderedDict[int, VideoReformatter] = OrderedDict()  # band height -> its converter

    def whole(self, picture: av.VideoFrame) -> av.VideoFrame:
        """The whole picture converted (a new frame)."""
        self._last = self._context(picture.height).reformat(picture, format=self.pixel_format, threads=1)
        return self._last

    def rows(self, pixels: np.ndarray, bands: list[tuple[int, int]]) -> av.VideoFrame:
        """A new frame: the last one converted, with the rows of ``bands`` (from ``merged``)
        converted again from ``pixels`` (the RGBA picture, rows by columns by 4, C-contiguous:
        read in place); the whole picture when the bands cover nearly all of it."""
        if self._last is None or not self.by_rows:
            raise RuntimeError(
                f"RowConverter.rows: no whole picture converted first, or {self.pixel_format} has no bands"
            )
        height = pixels.shape[0]
        # chroma rows beside a band read its rows too: they are converted again as well
        changed = merged([(top - FILTER_ROWS, bottom + FILTER_ROWS) for top, bottom in bands], height, gap=0)
        if sum(bottom - top for top, bottom in changed) >= WHOLE_SHARE * height:
            return self.whole(av.VideoFrame.from_numpy_buffer(pixels, format="rgba"))
        frame = av.VideoFrame(self._last.width, self._last.height, self.pixel_format)
        target, last = planes(frame), planes(self._last)
        for top, bottom in _between(changed, height):
            target[0][top:bottom] = last[0][top:bottom]
            for plane, old in zip(target[1:], last[1:]):
                plane[top // 2 : bottom // 2] = old[top // 2 : bottom // 2]
        for top, bottom in changed:
            start, end = self._read_rows(top, bottom, height)
            part = self._context(end - start).reformat(
                av.VideoFrame.from_numpy_buffer(pixels[start:end], format="rgba"), format=self.pixel_format, threads=1
            )
            luma, *chroma = planes(part)
            target[0][top:bottom] = luma[top - start : bottom - start]
            for plane, converted in zip(target[1:], chroma):
                plane[top // 2 : bottom // 2] = converted[(top - start) // 2 : (bottom - start) // 2]
        self._last = frame
        return frame

    @staticmethod
    def _read_rows(top: int, bottom: int, height: int) -> tuple[int, int]:
        """The rows converted for the band [top, bottom): ``FILTER_ROWS`` more on each side,
        grown to a multiple of ``HEIGHT_STEP`` within the picture."""
        start, end = max(0, top - FILTER_ROWS), min(height, bottom + FILTER_ROWS)
        wanted = min(height, -(-(end - start) // HEIGHT_STEP) * HEIGHT_STEP)
        end = min(height, start + wanted)
        return max(0, end - wanted), end

    def _context(self, height: int) -> VideoReformatter:
        if height in self._contexts:
            self._contexts.move_to_end(height)
        else:
            self._contexts[height] = VideoReformatter()
            if len(self._contexts) > KEPT_HEIGHTS:
                self._contexts.popitem(last=False)
        return self._contexts[height]


def _between(spans: list[tuple[int, int]], height: int) -> list[tuple[int, int]]:
    """The rows of a picture ``height`` rows high outside ``spans`` (sorted, apart)."""
    edges = [0, *(edge for span in spans for edge in span), height]
    return [(top, bottom) for top, bottom in zip(edges[::2], edges[1::2]) if bottom > top]
