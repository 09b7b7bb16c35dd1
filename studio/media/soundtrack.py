"""A clip's sound: every beat's speech placed at the beat's start, brought to broadcast
loudness, and packed into the MP4 with the captions as a soft subtitle track."""

from __future__ import annotations

from pathlib import Path

from reluviz.studio.media import ffmpeg, loudness


def narration_track(beats: list[dict], seconds: float, work: Path) -> Path | None:
    """One WAV as long as the clip: each beat's speech at its start, silence between, at
    -16 LUFS with true peaks under -1 dBTP; None when no beat has a voice."""
    spoken = [beat for beat in beats if beat.get("audio")]
    if not spoken:
        return None
    inputs, delays = [], []
    for index, beat in enumerate(spoken):
        inputs += ["-i", beat["audio"]]
        delay = round(beat["start"] * 1000)
        delays.append(f"[{index}:a]aresample={ffmpeg.SAMPLE_RATE},adelay={delay}:all=1[s{index}]")
    mix = "".join(f"[s{index}]" for index in range(len(spoken)))
    graph = ";".join(
        [*delays, f"{mix}amix=inputs={len(spoken)}:normalize=0:dropout_transition=0,apad,atrim=0:{seconds:.6f}"]
    )
    mixed = work / "narration-mixed.wav"
    # 16-bit mono, as ffmpeg writes a WAV unless told otherwise; measured as it is written
    levels = loudness.write_measured(inputs, graph, "s16", ["-ac", "1", "-ar", str(ffmpeg.SAMPLE_RATE), str(mixed)])
    track = work / "narration.wav"
    loudness.normalize(mixed, track, levels=levels)
    mixed.unlink()
    return track


def pack(video: Path, audio: Path | None, captions: Path, target: Path) -> None:
    """``video`` (copied as it is) with ``audio`` as AAC 48 kHz and ``captions`` as a mov_text
    subtitle track, its index at the front so players start at once."""
    inputs = ["-i", str(video)] + (["-i", str(audio)] if audio else []) + ["-i", str(captions)]
    subtitles = 2 if audio else 1
    maps = ["-map", "0:v"] + (["-map", "1:a"] if audio else []) + ["-map", f"{subtitles}:s"]
    sound = list(ffmpeg.AAC) if audio else []
    ffmpeg.run_ffmpeg(
        *inputs,
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
    )
