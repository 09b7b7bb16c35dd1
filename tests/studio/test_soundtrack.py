"""A clip's sound (studio/media/soundtrack.py): the beats' speech mixed without ffmpeg, as
ffmpeg mixed it."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pytest

from reluviz.studio.media import loudness, soundtrack


def speech_like(path: Path, seconds: float, seed: int, scale: float = 9000.0) -> str:
    """A 16-bit mono 48 kHz WAV of ``seconds`` of noise shaped in bursts, like a sentence."""
    rng = np.random.default_rng(seed)
    n = round(seconds * 48000)
    envelope = np.abs(np.sin(np.linspace(0, 7 * np.pi, n)))
    samples = np.clip(rng.normal(0, scale, n) * envelope, -32768, 32767).astype("<i2")
    with wave.open(str(path), "wb") as written:
        written.setnchannels(1)
        written.setsampwidth(2)
        written.setframerate(48000)
        written.writeframes(samples.tobytes())
    return str(path)


def samples_of(path: Path) -> np.ndarray:
    with wave.open(str(path), "rb") as read:
        return np.frombuffer(read.readframes(read.getnframes()), "<i2")


@pytest.mark.parametrize(
    "starts",
    [
        (0.0, 2.5, 5.0),  # apart
        (0.0, 1.2004, 2.0),  # a start between milliseconds; the second and third overlap the first
        (0.5, 3.9),  # the last runs past the clip's end
        (0.0, 49.267),  # where adelay's single precision starts a sample early (a real clip's beat)
    ],
)
def test_the_beats_mixed_here_are_the_samples_ffmpeg_mixed(starts, tmp_path):
    beats = [
        {"start": start, "audio": speech_like(tmp_path / f"{i}.wav", 1.8, i, scale=20000.0 if i == 1 else 9000.0)}
        for i, start in enumerate(starts)
    ]
    seconds = max(starts) + 0.6337
    by_ffmpeg = tmp_path / "ffmpeg.wav"
    levels = soundtrack._mixed_by_ffmpeg(beats, seconds, by_ffmpeg)
    here = soundtrack._mixed_here(beats, seconds)
    assert np.array_equal(here, samples_of(by_ffmpeg))
    if starts == (0.0, 1.2004, 2.0):  # the loud take over another: summed past full scale, clipped
        assert here.max() == 32767 or here.min() == -32768
    assert loudness.levels_of(here / 32768) == levels


def test_a_clips_narration_is_the_one_ffmpegs_mix_made(tmp_path, monkeypatch):
    beats = [{"start": s, "audio": speech_like(tmp_path / f"{i}.wav", 2.2, i)} for i, s in enumerate((0.3, 3.1))]
    (tmp_path / "here").mkdir()
    (tmp_path / "ffmpeg").mkdir()
    here = soundtrack.narration_track(beats, 6.0, tmp_path / "here")
    monkeypatch.setattr(soundtrack, "_mixed_here", lambda spoken, seconds: None)  # a voice's file not as expected
    by_ffmpeg = soundtrack.narration_track(beats, 6.0, tmp_path / "ffmpeg")
    assert here.read_bytes() == by_ffmpeg.read_bytes()
    assert sorted(p.name for p in (tmp_path / "here").iterdir()) == ["narration.wav"]
