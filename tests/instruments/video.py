"""Reading a video back for tests, by ffmpeg and PyAV rather than by the code that wrote it:
its frames, how far two pictures are apart, its packets as the file holds them."""

from __future__ import annotations

import subprocess
from pathlib import Path

import av
import numpy as np


def frames(video: Path, width: int, height: int) -> np.ndarray:
    """Every frame of ``video``, decoded by ffmpeg to RGB."""
    raw = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(video), "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"],
        capture_output=True,
        check=True,
    ).stdout
    return np.frombuffer(raw, dtype=np.uint8).reshape(-1, height, width, 3)


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2)
    return float("inf") if mse == 0 else 10 * np.log10(255**2 / mse)


def packets(video: Path) -> list[tuple[int, bool, bytes]]:
    """(frame number, keyframe, bytes) of each video packet, as the file holds them."""
    with av.open(str(video)) as container:
        frame_rate = container.streams.video[0].average_rate
        return [
            (round(p.pts * p.time_base * frame_rate), p.is_keyframe, bytes(p))
            for p in container.demux(video=0)
            if p.size
        ]
