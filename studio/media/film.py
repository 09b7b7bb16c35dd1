"""The whole film: title cards and stage clips played in order, with merged captions and
a chapter per clip, assembled from the finished clips without rendering anything again."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from reluviz.studio.media import captions, ffmpeg, loudness
from reluviz.studio.pipeline import cache
from reluviz.words.kit import KIT

#: Programs the film runs at once beside its own packing (two cores; see _make_film).
FILM_PROGRAMS = 2
#: The size frames are looked at while the poster is chosen: enough to weigh the ink of a title.
INK_SAMPLE = (192, 108)


@dataclass(frozen=True)
class Chapter:
    title: str
    clip: Path  # the cached clip folder (clip.mp4, clip.srt, info.json)


def film_key(chapters: list[Chapter], title: str) -> str:
    digest = hashlib.sha256()
    digest.update(Path(__file__).read_bytes())  # how a film is made: a change makes new films
    digest.update(title.encode())
    for chapter in chapters:
        digest.update(chapter.title.encode())
        digest.update(chapter.clip.name.encode())  # the clip's content key
    return digest.hexdigest()[:24]


def _metadata_text(text: str) -> str:
    """``text`` as a value of ffmpeg's metadata file: its special characters escaped."""
    return text.replace("\\", "\\\\").replace("=", "\\=").replace(";", "\\;").replace("#", "\\#")


def _ffmetadata(chapters: list[tuple[str, float, float]], film_title: str) -> str:
    lines = [";FFMETADATA1", f"title={_metadata_text(film_title)}"]
    for title, start, end in chapters:
        escaped = _metadata_text(title)
        lines += [
            "[CHAPTER]",
            "TIMEBASE=1/1000",
            f"START={round(start * 1000)}",
            f"END={round(end * 1000)}",
            f"title={escaped}",
        ]
    return "\n".join(lines) + "\n"


def _concat_line(path: Path) -> str:
    """A line of ffmpeg's concat list: quoted, with a quote inside the path closed, escaped
    and reopened (an apostrophe in a folder name, like o'brien, would end the quote)."""
    return "file '" + str(path).replace("'", "'\\''") + "'\n"


def assemble(chapters: list[Chapter], cache_dir: Path, title: str = KIT["title"]) -> Path:
    """The film's folder in the cache (film.mp4, film.srt, info.json), made if missing or damaged;
    ``title``: the film's own, in its metadata (the kit's words)."""
    folder = cache_dir / "films" / film_key(chapters, title)
    if cache.entry_ok(folder):
        return folder
    with cache.locked(cache_dir, folder.name):
        if not cache.entry_ok(folder):
            _make_film(chapters, cache_dir, folder, title)
    return folder


def fullest_frame(clip: Path) -> int:
    """The index of the clip's frame with the most ink: how far its grey levels lie from the
    background's (which the top-left corner shows), summed, so a word half faded in weighs
    half. A title card fades in, holds and fades out: this finds a frame of its hold."""
    width, height = INK_SAMPLE
    raw = subprocess.run(
        [
            ffmpeg.tool("ffmpeg"),
            "-nostdin",
            "-v",
            "error",
            "-i",
            str(clip),
            "-vf",
            f"scale={width}:{height},format=gray",
        ]
        + ["-f", "rawvideo", "-"],
        capture_output=True,
        check=True,
    ).stdout
    frames = np.frombuffer(raw, np.uint8).reshape(-1, height, width).astype(int)
    background = frames[:, :1, :1]
    ink = np.abs(frames - background).sum(axis=(1, 2))
    return int(np.argmax(ink))


def title_poster(card: Path, target: Path) -> None:
    """The film's poster: its opening title card as it holds, in full (a PNG)."""
    index = fullest_frame(card)
    ffmpeg.run_ffmpeg("-i", str(card), "-vf", f"select=eq(n\\,{index})", "-frames:v", "1", "-update", "1", str(target))


def _joined(clips: list[Path], durations: list[float], first_input: int = 0) -> tuple[list[str], str]:
    """ffmpeg's inputs and filter graph for the clips' sound end to end as one track, each cut or
    padded to its clip's exact length (so sound and picture never drift apart), with no gap or
    click where clips meet: 16-bit samples at 48 kHz, what the joined WAV holds, on the output
    pad [joined]. ``first_input``: the index the first clip takes among the run's inputs."""
    inputs, parts = [], []
    for index, (clip, duration) in enumerate(zip(clips, durations), start=first_input):
        inputs += ["-i", str(clip)]
        parts.append(f"[{index}:a]apad=whole_dur={duration:.6f},atrim=0:{duration:.6f},asetpts=N/SR/TB[a{index}]")
    joined = "".join(f"[a{index}]" for index in range(first_input, first_input + len(clips)))
    ending = f"aresample={ffmpeg.SAMPLE_RATE},aformat=sample_fmts=s16[joined]"
    graph = ";".join([*parts, f"{joined}concat=n={len(clips)}:v=0:a=1,{ending}"])
    return inputs, graph


def _joined_sound(clips: list[Path], durations: list[float], work: Path) -> Path:
    """The clips' sound joined (``_joined``) as a WAV, to be levelled."""
    inputs, graph = _joined(clips, durations)
    raw = work / "film-sound.wav"
    ffmpeg.run_ffmpeg(*inputs, "-filter_complex", graph, "-map", "[joined]", str(raw))
    return raw


#: The inputs every packing of the film opens before its sound: the pictures, chapters, captions.
PACKED_INPUTS = 3


def _pack(work: Path, sound: tuple[list[str], str] | None) -> None:
    """film.mp4 in ``work``: the clips' pictures copied, with captions, chapters and ``sound``
    as AAC: (the options that bring it in, its inputs numbered from PACKED_INPUTS on; its map)."""
    inputs = ["-f", "concat", "-safe", "0", "-i", str(work / "clips.txt")]  # the pictures, copied
    inputs += ["-i", str(work / "chapters.txt"), "-i", str(work / "film.srt")]
    maps = ["-map", "0:v", "-map", "2:s", "-map_metadata", "1", "-map_chapters", "1"]
    if sound is not None:
        inputs += sound[0]
        maps += ["-map", sound[1], *ffmpeg.AAC]
    ffmpeg.run_ffmpeg(
        *inputs, *maps, "-c:v", "copy", "-c:s", "mov_text", "-movflags", "+faststart", str(work / "film.mp4")
    )


def _pack_with_sound(clips: list[Path], durations: list[float], work: Path, pool: ThreadPoolExecutor) -> None:
    """film.mp4 with the clips' sound joined, brought to -16 LUFS as a whole. The clips are on
    target each, so the joined track usually is too: it is packed as it is joined, while another
    run joins and measures it, and levelled and packed again only if the measure says so (the
    join is in both runs: writing it first, then reading it twice, kept a core idle)."""
    levels = pool.submit(loudness.measure_graph, *_joined(clips, durations))
    inputs, graph = _joined(clips, durations, first_input=PACKED_INPUTS)
    _pack(work, ([*inputs, "-filter_complex", graph], "[joined]"))
    if not loudness.kept_as_is(levels.result()):
        raw = _joined_sound(clips, durations, work)
        track = work / "film-narration.wav"
        loudness.normalize(raw, track, levels=levels.result())
        _pack(work, (["-i", str(track)], f"{PACKED_INPUTS}:a"))
        track.unlink()
        raw.unlink()


def _make_film(chapters: list[Chapter], cache_dir: Path, folder: Path, title: str) -> None:
    work = cache.scratch(cache_dir, folder.name)
    try:
        durations = [json.loads((c.clip / "info.json").read_text())["duration"] for c in chapters]
        (work / "clips.txt").write_text("".join(_concat_line(c.clip / "clip.mp4") for c in chapters))
        marks, start = [], 0.0
        for chapter, duration in zip(chapters, durations):
            marks.append((chapter.title, start, start + duration))
            start += duration
        (work / "chapters.txt").write_text(_ffmetadata(marks, title))
        merged = captions.joined([(c.clip / "clip.srt", d) for c, d in zip(chapters, durations)])
        (work / "film.srt").write_text(captions.to_srt(merged))
        clips = [c.clip / "clip.mp4" for c in chapters]
        # the film is made after the last clip, the workers gone: its programs run side by side,
        # a few at a time (each ffmpeg holds 50 to 90 MB: 23 at once outgrew the render's peak)
        with ThreadPoolExecutor(max_workers=FILM_PROGRAMS) as pool:
            # The poster is what a viewer sees before pressing play: the title, not how the story ends.
            poster = pool.submit(title_poster, chapters[0].clip / "clip.mp4", work / "poster.png")
            if all(pool.map(ffmpeg.has_audio, clips)):
                _pack_with_sound(clips, durations, work, pool)
            else:
                _pack(work, None)
            poster.result()
        info = ffmpeg.probe(work / "film.mp4")
        chapter_marks = [{"title": title, "start": start, "end": end} for title, start, end in marks]
        (work / "info.json").write_text(json.dumps({**asdict(info), "parts": durations, "chapters": chapter_marks}))
        for scratch in ("clips.txt", "chapters.txt"):
            (work / scratch).unlink()
        cache.install(work, folder)
    finally:
        shutil.rmtree(work, ignore_errors=True)
