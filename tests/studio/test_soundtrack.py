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


def _packets(path: Path, kind: str) -> list[bytes]:
    import av

    with av.open(str(path)) as container:
        return [bytes(p) for p in container.demux(**{kind: 0}) if p.size]


def test_beats_cut_as_the_clip_is_packed_are_the_beats_cut_from_the_packed_clip(tmp_path):
    """One run packs the clip and cuts its beats: the clip byte for byte as packed alone, each
    beat's pictures the same packets as cut from the packed clip, its sound as long and as loud
    (cut from the levelled track, not from the clip's AAC: one encoding fewer)."""
    from reluviz.studio.media import ffmpeg

    video = tmp_path / "clip.mp4"  # as manim writes it: no sound, a keyframe where each beat starts
    ffmpeg.run_ffmpeg(
        "-f", "lavfi", "-i", "testsrc2=size=160x90:rate=15:duration=6",
        "-c:v", "libx264", "-g", "15", "-keyint_min", "15", "-sc_threshold", "0", "-pix_fmt", "yuv420p", str(video),
    )  # fmt: skip
    audio = tmp_path / "narration.wav"
    ffmpeg.run_ffmpeg(
        "-f", "lavfi", "-i", "sine=f=330:r=48000:duration=6,tremolo=f=2:d=0.7,volume=6dB",
        "-c:a", "pcm_f32le", str(audio),
    )  # fmt: skip
    captions = tmp_path / "clip.srt"
    captions.write_text("1\n00:00:00,000 --> 00:00:02,000\nA tone.\n")
    spans = [(0.0, 1.0), (1.0, 3.0), (3.0, 6.0)]
    (tmp_path / "alone").mkdir()
    (tmp_path / "together").mkdir()
    alone = tmp_path / "alone" / "final.mp4"
    soundtrack.pack(video, audio, captions, alone, [], 15)
    old_beats = [(a, b, tmp_path / "alone" / f"{i}.mp4") for i, (a, b) in enumerate(spans)]
    ffmpeg.segments(alone, old_beats, 15, sound=True)
    together = tmp_path / "together" / "final.mp4"
    new_beats = [(a, b, tmp_path / "together" / f"{i}.mp4") for i, (a, b) in enumerate(spans)]
    soundtrack.pack(video, audio, captions, together, new_beats, 15)
    assert together.read_bytes() == alone.read_bytes()
    for (_, _, old), (start, end, new) in zip(old_beats, new_beats):
        assert _packets(new, "video") == _packets(old, "video") and len(_packets(new, "video")) == (end - start) * 15
        assert ffmpeg.probe(new).duration == pytest.approx(ffmpeg.probe(old).duration, abs=0.001)
        assert len(_packets(new, "audio")) == len(_packets(old, "audio"))
        new_levels, old_levels = loudness.measure(new), loudness.measure(old)
        assert abs(new_levels.integrated_lufs - old_levels.integrated_lufs) <= 0.1, (new_levels, old_levels)
