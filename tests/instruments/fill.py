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

    ``picture`` is a whole frame, (height, width, 3 or 4) uint8 (an alpha channel is ignored).
    """
    height, width = picture.shape[:2]
    top = round((FRAME_HEIGHT / 2 - TITLE_LINE) / FRAME_HEIGHT * height)
    ink = np.abs(picture[top:, :, :3].astype(np.int16) - _rgb(background)).max(axis=2) > TOLERANCE
    rows = np.linspace(0, height - top, ROWS + 1).round().astype(int)
    columns = np.linspace(0, width, COLUMNS + 1).round().astype(int)
    return np.array(
        [
            [not ink[rows[r] : rows[r + 1], columns[c] : columns[c + 1]].any() for c in range(COLUMNS)]
            for r in range(ROWS)
        ]
    )


def half_empty(picture: np.ndarray, background: str) -> bool:
    return int(empty_cells(picture, background).sum()) >= HALF


def samples(clip: Path, per_second: int = SAMPLES_PER_SECOND):
    """The clip's frames at ``per_second`` a second (ffmpeg's fps filter), as RGB arrays."""
    probe = subprocess.run(
        ["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height", "-of", "csv=p=0"]
        + [str(clip)],
        capture_output=True,
        text=True,
        check=True,
    )
    width, height = (int(v) for v in probe.stdout.strip().split(","))
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
    return sum(half_empty(frame, background) for frame in frames) / len(frames)
