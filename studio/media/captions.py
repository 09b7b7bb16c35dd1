"""Caption files: SubRip (.srt, made from a clip's beats) and WebVTT (.vtt, what browsers read)."""

from __future__ import annotations

import datetime
from pathlib import Path

import srt

from reluviz.studio.media.cues import reading_seconds, split_cues


def read(path: Path) -> list[srt.Subtitle]:
    return list(srt.parse(path.read_text(encoding="utf-8"))) if path.exists() else []


def joined(parts: list[tuple[Path, float]]) -> list[srt.Subtitle]:
    """Captions of clips played one after another: each (srt, clip duration) shifted by what came before."""
    merged, offset = [], 0.0
    for path, duration in parts:
        shift = datetime.timedelta(seconds=offset)
        for subtitle in read(path):
            merged.append(srt.Subtitle(len(merged) + 1, subtitle.start + shift, subtitle.end + shift, subtitle.content))
        offset += duration
    return merged


def from_beats(beats: list[dict]) -> list[srt.Subtitle]:
    """A clip's cues: each beat's caption in cues of two lines of 42 characters, spread over
    its speech (or its reading time, if longer), the last one held to the beat's end."""
    subtitles = []
    for beat in beats:
        start, end, text = beat["start"], beat["end"], beat["caption"]
        spoken_until = start + max(beat["speech_seconds"], reading_seconds(text))
        cues = split_cues(text, start, min(end, spoken_until))
        for index, cue in enumerate(cues):
            until = end if index == len(cues) - 1 else cue.end
            subtitles.append(srt.Subtitle(len(subtitles) + 1, _delta(cue.start), _delta(until), cue.text))
    return subtitles


def _delta(seconds: float) -> datetime.timedelta:
    return datetime.timedelta(seconds=round(seconds, 3))


def to_srt(subtitles: list[srt.Subtitle]) -> str:
    return srt.compose(subtitles, reindex=True)


def _vtt_time(delta: datetime.timedelta) -> str:
    millis = round(delta.total_seconds() * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}"


def to_vtt(subtitles: list[srt.Subtitle]) -> str:
    cues = [f"{i}\n{_vtt_time(s.start)} --> {_vtt_time(s.end)}\n{s.content}" for i, s in enumerate(subtitles, 1)]
    return "WEBVTT\n\n" + "\n\n".join(cues) + ("\n" if cues else "")
