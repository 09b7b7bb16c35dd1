"""Clip cache entries made by hand, as a worker leaves them (clip.mp4, clip.srt, info.json,
sealed): a test pattern, and a warbling tone when the clip needs sound."""

from __future__ import annotations

import json
from pathlib import Path

from reluviz.studio.media import ffmpeg
from reluviz.studio.pipeline import cache


def hand_made_entry(folder: Path, seconds: float, caption: str, tone_db: float | None = None) -> Path:
    """A sealed cache entry in ``folder``: ``seconds`` of a test pattern, one caption, and with
    ``tone_db`` a 440 Hz tone at that gain (ffmpeg's sine is -18 dBFS: +8.5 dB is about -16 LUFS)."""
    folder.mkdir(parents=True)
    sources = ["-f", "lavfi", "-i", f"testsrc=size=160x90:rate=15:duration={seconds}"]
    sound: list[str] = []
    if tone_db is not None:
        tone = f"sine=frequency=440:duration={seconds}:sample_rate=48000,tremolo=f=3:d=0.6,volume={tone_db}dB"
        sources += ["-f", "lavfi", "-i", tone]
        sound = [*ffmpeg.AAC, "-shortest"]
    ffmpeg.run_ffmpeg(*sources, "-pix_fmt", "yuv420p", "-c:v", "libx264", *sound, str(folder / "clip.mp4"))
    (folder / "clip.srt").write_text(f"1\n00:00:00,000 --> 00:00:01,000\n{caption}\n")
    (folder / "info.json").write_text(json.dumps({"duration": ffmpeg.probe(folder / "clip.mp4").duration}))
    cache.seal(folder)
    return folder
