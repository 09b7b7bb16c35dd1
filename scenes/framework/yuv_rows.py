"""Converting only the boxes of a picture that changed since the last frame into the video's
YUV, the rest copied from the frame before: the same pixels as converting the whole picture.

Converting a 1080p RGBA picture to YUV 4:2:0 costs about 3.4 ms, as much as drawing a
typical frame; most frames of an animation change a band of rows (a dot moving along a
curve, a readout's digits) under a still picture, and within it a part of each row. A row of
luma comes from its own row of RGBA, a row of chroma from the two rows it halves and their
neighbours (swscale's vertical filter): so the chroma rows beside a changed band are converted
again with it, from ``FILTER_ROWS`` more rows of RGBA above and below. Across a row, swscale
halves RGBA's chroma pair by pair before any filter, so a band's columns need no margin, only
to start and end on a pair. That gives exactly the whole conversion's pixels
(tests/scenes/test_yuv_rows.py compares them on noise).
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
#: Bands are converted in heights and widths that are multiples of these (swscale's context is
#: made for one size: remaking it costs about as much as converting a third of a 1080p picture).
HEIGHT_STEP = 32
WIDTH_STEP = 128
#: A band's converted columns start on a multiple of this (swscale reads aligned rows faster).
COLUMN_STEP = 16
#: Contexts kept for the sizes of the latest bands.
KEPT_SIZES = 8
#: Boxes closer than this many rows are converted as one band (each conversion has a fixed cost).
JOIN_GAP = 32
#: Bands covering at least this share of the picture: the whole picture is converted instead (as
#: cheap, without the bands' extra rows).
WHOLE_SHARE = 0.9
#: Formats whose bands ``RowConverter.rows`` converts: planar 4:2:0, a plane of luma and two
#: of chroma at half the rows and columns (others, like VP9's with alpha, are converted whole).
BY_ROWS = frozenset({"yuv420p"})

#: Pixel rows [top, bottom) and columns [left, right) of a picture.
Box = tuple[int, int, int, int]


def merged(boxes: list[Box], height: int, width: int, gap: int = JOIN_GAP) -> list[Box]:
    """``boxes`` clipped to the picture, widened to even rows and columns (4:2:0's chroma comes
    in pairs both ways), those at most ``gap`` rows apart joined into one band as wide as
    both, sorted from the top."""
    joined: list[list[int]] = []
    inside = ((max(0, top), min(height, bottom), max(0, left), min(width, right)) for top, bottom, left, right in boxes)
    for top, bottom, left, right in sorted(
        (top - top % 2, bottom + bottom % 2, left - left % 2, right + right % 2)
        for top, bottom, left, right in inside
        if top < bottom and left < right
    ):
        if joined and top <= joined[-1][1] + gap:
            band = joined[-1]
            band[1], band[2], band[3] = max(band[1], bottom), min(band[2], left), max(band[3], right)
        else:
            joined.append([top, bottom, left, right])
    return [(top, bottom, left, right) for top, bottom, left, right in joined]


def planes(frame: av.VideoFrame) -> list[np.ndarray]:
    """A video frame's planes as writable arrays of rows (padding included)."""
    return [np.frombuffer(plane, np.uint8).reshape(-1, plane.line_size) for plane in frame.planes]


class RowConverter:
    """Converts an RGBA picture into video frames of ``pixel_format`` (a 4:2:0 format with
    planes: yuv420p), a whole picture or only the boxes that changed."""

    def __init__(self, pixel_format: str) -> None:
        self.pixel_format = pixel_format
        self.by_rows = pixel_format in BY_ROWS  # whether ``rows`` can convert bands of it
        self._last: av.VideoFrame | None = None  # the frame converted last
        self._contexts: OrderedDict[tuple[int, int], VideoReformatter] = OrderedDict()  # band size -> its converter

    def whole(self, picture: av.VideoFrame) -> av.VideoFrame:
        """The whole picture converted (a new frame)."""
        self._last = self._context(picture.width, picture.height).reformat(picture, format=self.pixel_format, threads=1)
        return self._last

    def rows(self, pixels: np.ndarray, bands: list[Box]) -> av.VideoFrame:
        """A new frame: the last one converted, with the boxes of ``bands`` (from ``merged``)
        converted again from ``pixels`` (the RGBA picture, rows by columns by 4, C-contiguous:
        read in place); the whole picture when the bands cover nearly all of it."""
        if self._last is None or not self.by_rows:
            raise RuntimeError(
                f"RowConverter.rows: no whole picture converted first, or {self.pixel_format} has no bands"
            )
        height, width = pixels.shape[:2]
        # chroma rows beside a band read its rows too: they are converted again as well
        changed = merged(
            [(top - FILTER_ROWS, bottom + FILTER_ROWS, left, right) for top, bottom, left, right in bands],
            height,
            width,
            gap=0,
        )
        if sum((bottom - top) * (right - left) for top, bottom, left, right in changed) >= WHOLE_SHARE * height * width:
            return self.whole(av.VideoFrame.from_numpy_buffer(pixels, format="rgba"))
        frame = av.VideoFrame(self._last.width, self._last.height, self.pixel_format)
        target = planes(frame)
        for plane, old in zip(target, planes(self._last), strict=True):
            # rows padded to the CPU's alignment by swscale's frames, to PyAV's by a new frame: they
            # differ where a row is not a multiple of both (854 pixels: 896 or 864 bytes on a CPU with
            # AVX-512), so only what both hold is copied (the picture's own columns are within it)
            columns = min(plane.shape[1], old.shape[1])
            np.copyto(plane[:, :columns], old[:, :columns])
        for top, bottom, left, right in changed:
            start, end = _read_span(top - FILTER_ROWS, bottom + FILTER_ROWS, height, HEIGHT_STEP, 2)
            first, last = _read_span(left, right, width, WIDTH_STEP, COLUMN_STEP)
            part = self._context(last - first, end - start).reformat(
                av.VideoFrame.from_numpy_buffer(pixels[start:end, first:last], format="rgba"),
                format=self.pixel_format,
                threads=1,
            )
            luma, *chroma = planes(part)
            target[0][top:bottom, left:right] = luma[top - start : bottom - start, left - first : right - first]
            rows, columns = slice(top // 2, bottom // 2), slice(left // 2, right // 2)
            for plane, converted in zip(target[1:], chroma):
                plane[rows, columns] = converted[
                    (top - start) // 2 : (bottom - start) // 2, (left - first) // 2 : (right - first) // 2
                ]
        self._last = frame
        return frame

    def _context(self, width: int, height: int) -> VideoReformatter:
        size = (width, height)
        if size in self._contexts:
            self._contexts.move_to_end(size)
        else:
            self._contexts[size] = VideoReformatter()
            if len(self._contexts) > KEPT_SIZES:
                self._contexts.popitem(last=False)
        return self._contexts[size]


def _read_span(start: int, end: int, size: int, step: int, align: int) -> tuple[int, int]:
    """The rows (or columns) read to convert [start, end) of ``size``: from a multiple of
    ``align`` at or before ``start``, as many as the next multiple of ``step``, within the picture."""
    start, end = max(0, start - start % align), min(size, end)
    wanted = min(size, -(-(end - start) // step) * step)
    end = min(size, start + wanted)
    return max(0, end - wanted), end
