"""The whole film: title cards and stage clips played in order, with merged captions and
a chapter per clip, assembled from the finished clips without rendering anything again."""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path

from . import cache, captions, media


@dataclass(frozen=True)
class Chapter:
    title: str
    clip: Path  # the cached clip folder (clip.mp4, clip.srt, info.json)


def film_key(chapters: list[Chapter]) -> str:
    digest = hashlib.sha256()
    for chapter in chapters:
        digest.update(chapter.title.encode())
        digest.update(chapter.clip.name.encode())  # the clip's content key
    return digest.hexdigest()[:24]


def _ffmetadata(chapters: list[tuple[str, float, float]]) -> str:
    lines = [";FFMETADATA1", "title=The ReLU activation function"]
    for title, start, end in chapters:
        escaped = title.replace("\\", "\\\\").replace("=", "\\=").replace(";", "\\;").replace("#", "\\#")
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


def assemble(chapters: list[Chapter], cache_dir: Path) -> Path:
    """The film's folder in the cache (film.mp4, film.srt, info.json), made if missing or damaged."""
    folder = cache_dir / "films" / film_key(chapters)
    if cache.entry_ok(folder):
        return folder
    with cache.locked(cache_dir, folder.name):
        if not cache.entry_ok(folder):
            _make_film(chapters, cache_dir, folder)
    return folder


def _make_film(chapters: list[Chapter], cache_dir: Path, folder: Path) -> None:
    work = cache.scratch(cache_dir, folder.name)
    try:
        durations = [json.loads((c.clip / "info.json").read_text())["duration"] for c in chapters]
        (work / "clips.txt").write_text("".join(_concat_line(c.clip / "clip.mp4") for c in chapters))
        marks, start = [], 0.0
        for chapter, duration in zip(chapters, durations):
            marks.append((chapter.title, start, start + duration))
            start += duration
        (work / "chapters.txt").write_text(_ffmetadata(marks))
        media.run_ffmpeg(
            "-f",
            "concat",
            "-safe",
            "0",
            "-i",
            str(work / "clips.txt"),
            "-i",
            str(work / "chapters.txt"),
            "-map",
            "0",
            "-map_metadata",
            "1",
            "-map_chapters",
            "1",
            "-c",
            "copy",
            "-movflags",
            "+faststart",
            str(work / "film.mp4"),
        )
        merged = captions.joined([(c.clip / "clip.srt", d) for c, d in zip(chapters, durations)])
        (work / "film.srt").write_text(captions.to_srt(merged))
        info = media.probe(work / "film.mp4")
        chapter_marks = [{"title": title, "start": start, "end": end} for title, start, end in marks]
        (work / "info.json").write_text(json.dumps({**asdict(info), "parts": durations, "chapters": chapter_marks}))
        if (chapters[-1].clip / "poster.png").exists():  # the film closes on its last clip's closing frame
            shutil.copyfile(chapters[-1].clip / "poster.png", work / "poster.png")
        for scratch in ("clips.txt", "chapters.txt"):
            (work / scratch).unlink()
        cache.install(work, folder)
    finally:
        shutil.rmtree(work, ignore_errors=True)
