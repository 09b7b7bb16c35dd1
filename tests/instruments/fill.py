"""How much of a clip's picture is used, as a lecturer projecting it sees it (issue 23).

A clip is sampled at 2 frames a second; the picture below the title (the frame under the
title's line, 3 scene units above the centre of a frame 8 units tall) is cut into a grid
of 4 columns and 3 rows; a cell is empty when every pixel in it is the background colour
(within ``TOLERANCE``, for video compression); a frame is half empty when at least half of
its cells are. A clip's figure is the share of its samples that are half empty: a share of
its time, holds included.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np

from reluviz.studio.media import ffmpeg

COLUMNS, ROWS = 4, 3
#: The title sits above this line (scene units; the frame runs from -4 to 4).
TITLE_LINE = 3.0
FRAME_HEIGHT = 8.0
SAMPLES_PER_SECOND = 2
#: How far (0-255, in any channel) a pixel may stray from the background and still be
#: background: H.264 at low quality moves flat colour by a few levels, and rings a little
#: beside sharp edges. The faintest ink the scenes draw (grid lines, dimmed edges) differs by 36
#: or more.
TOLERANCE = 24
#: A frame with this many empty cells or more is half empty.
HALF = COLUMNS * ROWS // 2


def _rgb(color: str) -> np.ndarray:
    code = color.lstrip("#")
    return np.array([int(code[i : i + 2], 16) for i in (0, 2, 4)], dtype=np.int16)


def empty_cells(picture: np.ndarray, background: str) -> np.ndarray:
    """(ROWS, COLUMNS) booleans: which cells of the picture below the title hold only background.

    ``picture`` is a whole frame, (height, width, 3 or 4) uint8 (an alpha channel is ignored);
    a stack of frames (n, height, width, channels) gives (n, ROWS, COLUMNS).
    """
    height, width = picture.shape[-3:-1]
    top = round((FRAME_HEIGHT / 2 - TITLE_LINE) / FRAME_HEIGHT * height)
    colour = _rgb(background)
    low, high = (np.clip(colour + d, 0, 255).astype(np.uint8) for d in (-TOLERANCE, TOLERANCE))
    below = picture[..., top:, :, :3]
    rows = np.linspace(0, height - top, ROWS + 1).round().astype(int)
    columns = np.linspace(0, width, COLUMNS + 1).round().astype(int)

    cells = []
    for r in range(ROWS):
        band = below[..., rows[r] : rows[r + 1], :, :]
        # each column's extremes down the band, then each cell's: every pixel within the tolerance
        highest, lowest = band.max(axis=-3), band.min(axis=-3)
        cells.append(
            [
                (highest[..., c0:c1, :].max(axis=-2) <= high).all(axis=-1)
                & (lowest[..., c0:c1, :].min(axis=-2) >= low).all(axis=-1)
                for c0, c1 in zip(columns[:-1], columns[1:])
            ]
        )
    return np.moveaxis(np.array(cells), (0, 1), (-2, -1))


def half_empty(picture: np.ndarray, background: str) -> bool:
    return int(empty_cells(picture, background).sum()) >= HALF


def samples(clip: Path, per_second: int = SAMPLES_PER_SECOND):
    """The clip's frames at ``per_second`` a second (ffmpeg's fps filter), as RGB arrays."""
    video = ffmpeg.probe(clip)
    width, height = video.width, video.height
    raw = subprocess.run(
        ["ffmpeg", "-nostdin", "-v", "error", "-i", str(clip), "-vf", f"fps={per_second}"]
        + ["-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
        capture_output=True,
        check=True,
    ).stdout
    frames = np.frombuffer(raw, dtype=np.uint8)
    return frames.reshape(-1, height, width, 3)


def half_empty_share(clip: Path, background: str) -> float:
    """The share of the clip's time (its samples at 2 a second) that is half empty."""
    frames = samples(clip)
    return float(np.mean(empty_cells(frames, background).sum(axis=(-2, -1)) >= HALF))
