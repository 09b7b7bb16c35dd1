"""The files a clip's cache entry holds besides the clip, made from it for publishing: each
beat as a clip of its own (what presenting one point at a time plays) and the captions as
WebVTT.

The worker makes them as it packs its clip (the beats in the same ffmpeg run, see
``soundtrack.pack``), while the other worker is still rendering, so a render's tail is the
film and copies; publishing makes any that an entry from an older render lacks
(``cache.derived``), with the makers below."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from pathlib import Path

from reluviz.studio.media import captions, ffmpeg

VTT = "captions.vtt"


def beat_file(number: int) -> str:
    """The entry's file of a clip's ``number``-th beat (from 1)."""
    return f"beat-{number:02d}.mp4"


def _beats(entry: Path) -> list[tuple[str, float, float]]:
    """(file name, start, end) of each beat the entry's clip has."""
    beats = json.loads((entry / "beats.json").read_text())["beats"]
    return [(beat_file(number), beat["start"], beat["end"]) for number, beat in enumerate(beats, start=1)]


def beat_makers(entry: Path, fps: float) -> dict[str, Callable[[Path], None]]:
    """Each beat's file name in ``entry`` and how it is cut alone from ``clip.mp4`` (for an
    entry from an older render that lacks it): its pictures copied (every beat starts on a
    keyframe, since manim encodes each animation apart), its sound cut at the same times."""
    clip = entry / "clip.mp4"
    sound = functools.cache(lambda: ffmpeg.has_audio(clip))  # asked once, if a beat is cut at all
    return {
        name: lambda path, a=start, b=end: ffmpeg.segments(clip, [(a, b, path)], fps, sound())
        for name, start, end in _beats(entry)
    }


def vtt_maker(entry: Path, srt: str) -> Callable[[Path], None]:
    """How the entry's SubRip captions ``srt`` are written as WebVTT."""
    return lambda path: path.write_text(captions.to_vtt(captions.read(entry / srt)), encoding="utf-8")


def beat_cuts(entry: Path) -> list[tuple[float, float, Path]]:
    """(start, end, file) of each beat of the clip in ``entry`` (a clip's entry still being
    filled: no other process sees it), for ``soundtrack.pack`` to cut."""
    return [(start, end, entry / name) for name, start, end in _beats(entry)]


def make_captions(entry: Path) -> None:
    """The clip's captions as WebVTT beside its SubRip ones."""
    vtt_maker(entry, "clip.srt")(entry / VTT)
