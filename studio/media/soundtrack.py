"""A clip's sound: every beat's speech placed at the beat's start, brought to broadcast
loudness, and packed into the MP4 with the captions as a soft subtitle track."""

from __future__ import annotations

import wave
from decimal import Decimal
from pathlib import Path

import numpy as np

from reluviz.studio.media import ffmpeg, loudness


def narration_track(beats: list[dict], seconds: float, work: Path) -> Path | None:
    """One WAV as long as the clip: each beat's speech at its start, silence between, at
    -16 LUFS with true peaks under -1 dBTP; None when no beat has a voice."""
    spoken = [beat for beat in beats if beat.get("audio")]
    if not spoken:
        return None
    mixed = work / "narration-mixed.wav"
    samples = _mixed_here(spoken, seconds)
    if samples is None:
        levels = _mixed_by_ffmpeg(spoken, seconds, mixed)
    else:
        with wave.open(str(mixed), "wb") as written:
            written.setnchannels(1)
            written.setsampwidth(2)
            written.setframerate(ffmpeg.SAMPLE_RATE)
            written.writeframes(samples.astype("<i2").tobytes())
        levels = loudness.levels_to_start_from(samples / 32768)
    track = work / "narration.wav"
    loudness.normalize(mixed, track, levels=levels)
    mixed.unlink()
    return track


def _mixed_by_ffmpeg(spoken: list[dict], seconds: float, mixed: Path) -> loudness.Loudness:
    """The beats' speech mixed by ffmpeg into ``mixed`` (16-bit mono), measured as it is written."""
    inputs, delays = [], []
    for index, beat in enumerate(spoken):
        inputs += ["-i", beat["audio"]]
        delay = round(beat["start"] * 1000)
        delays.append(f"[{index}:a]aresample={ffmpeg.SAMPLE_RATE},adelay={delay}:all=1[s{index}]")
    mix = "".join(f"[s{index}]" for index in range(len(spoken)))
    graph = ";".join(
        [*delays, f"{mix}amix=inputs={len(spoken)}:normalize=0:dropout_transition=0,apad,atrim=0:{seconds:.6f}"]
    )
    return loudness.write_measured(inputs, graph, "s16", ["-ac", "1", "-ar", str(ffmpeg.SAMPLE_RATE), str(mixed)])


def _speech(path: Path) -> np.ndarray | None:
    """A beat's speech as 16-bit samples, if it is what the voices write (16-bit mono PCM WAV at
    48 kHz: every voice's speech is converted so); None for anything else."""
    try:
        with wave.open(str(path), "rb") as take:
            if (take.getnchannels(), take.getsampwidth(), take.getframerate()) != (1, 2, ffmpeg.SAMPLE_RATE):
                return None
            raw = take.readframes(take.getnframes())
    except (wave.Error, EOFError, OSError):
        return None
    return np.frombuffer(raw[: len(raw) // 2 * 2], "<i2")


def _delayed(milliseconds: int) -> int:
    """The sample adelay starts a delay of ``milliseconds`` on: it reckons in single precision
    and cuts the fraction off (49267 ms at 48 kHz: sample 2364815, not 2364816)."""
    rate, per_second = np.float32(ffmpeg.SAMPLE_RATE), np.float32(1000)
    return int(np.float32(milliseconds) * rate / per_second)


def _mixed_here(spoken: list[dict], seconds: float) -> np.ndarray | None:
    """The 16-bit samples ``_mixed_by_ffmpeg`` writes, mixed here (no ffmpeg started: 0.2 s of
    CPU a clip): each beat's speech from its start, to the millisecond as adelay places it,
    summed where two meet and clipped as amix's float sum is, cut where atrim ends the clip;
    None if a beat's speech is not what the voices write."""
    speech = [_speech(Path(beat["audio"])) for beat in spoken]
    if any(samples is None for samples in speech):
        return None
    microseconds = round(Decimal(f"{seconds:.6f}") * 1_000_000)  # atrim's end as ffmpeg reads it
    length = (microseconds * ffmpeg.SAMPLE_RATE + 500_000) // 1_000_000  # to the nearest sample
    total = np.zeros(length, np.int32)
    for beat, samples in zip(spoken, speech):
        start = _delayed(round(beat["start"] * 1000))
        part = samples[: max(0, length - start)]
        total[start : start + len(part)] += part
    return np.clip(total, -32768, 32767).astype(np.int16)


def pack(
    video: Path, audio: Path | None, captions: Path, target: Path, beats: list[tuple[float, float, Path]], fps: float
) -> None:
    """``video`` (copied as it is) with ``audio`` as AAC 48 kHz and ``captions`` as a mov_text
    subtitle track, its index at the front so players start at once; and, in the same run, each
    of ``beats`` (start, end, file) as a clip of its own, its sound cut from ``audio``
    (``ffmpeg.segment_arguments``: one ffmpeg started a clip, not two, and no sound decoded)."""
    inputs = ["-i", str(video)] + (["-i", str(audio)] if audio else []) + ["-i", str(captions)]
    subtitles = 2 if audio else 1
    maps = ["-map", "0:v"] + (["-map", "1:a"] if audio else []) + ["-map", f"{subtitles}:s"]
    sound = list(ffmpeg.AAC) if audio else []
    beat_inputs, beat_outputs = ffmpeg.segment_arguments(video, audio, beats, fps, first_input=subtitles + 1)
    ffmpeg.run_ffmpeg(
        *inputs,
        *beat_inputs,
        *maps,
        "-c:v",
        "copy",
        *sound,
        "-c:s",
        "mov_text",
        "-metadata:s:s:0",
        "language=eng",
        "-movflags",
        "+faststart",
        "-f",
        "mp4",
        str(target),
        *beat_outputs,
    )
