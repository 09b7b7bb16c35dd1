"""One render of the story, start to finish: the stage clips and the film with their
captions (.srt and .vtt), posters and extra formats, the manifest and the lecture page,
all put in place under ``out/<weights>/<quality>/``."""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from reluviz.stages import PARTS, STAGES, Stage
from reluviz.weights import Weights, load_weights

from . import captions, media
from .film import Chapter, assemble
from .manifest import build_manifest
from .outputs import derived, publish, write_text
from .page import build_page
from .render import ClipJob, clip_key, render_clips, stage_job
from .settings import RenderSettings

FILM_STEM = "00_relu_story"
ROMAN = {1: "I", 2: "II"}


@dataclass(frozen=True)
class Published:
    """A clip (or the film) as it now stands in the output folder."""

    stem: str
    stage: Stage | None  # None for the film
    files: dict[str, str]  # kind -> file name in the output folder
    info: dict  # ffprobe's view of the MP4: duration, size, frame rate, codec
    captions: list[str]  # the caption texts, in order


def card_job(part: int, settings: RenderSettings, weights: Weights) -> ClipJob:
    key = clip_key("title_card", frozenset(), settings, weights, extra={"part": part})
    return ClipJob(f"part_{part}_title", "title_card", key, settings.cache / "clips" / key, {"part": part})


def chosen_stages(settings: RenderSettings) -> list[Stage]:
    return [s for s in STAGES if not settings.stages or s.name in settings.stages]


def _publish_video(
    folder: Path, video: str, srt: str, stem: str, target: Path, settings: RenderSettings, gif: bool
) -> dict[str, str]:
    """Copy a video (from the cache) and everything made from it into the output folder."""
    source = folder / video
    made = {
        "video": folder / video,
        "srt": folder / srt,
        "vtt": derived(folder, "captions.vtt", lambda p: p.write_text(captions.to_vtt(captions.read(folder / srt)))),
        "poster": derived(folder, "poster.png", lambda p: media.poster(source, p)),
    }
    if "webm" in settings.formats:
        made["webm"] = derived(folder, "clip.webm", lambda p: media.webm(source, p))
    if "gif" in settings.formats and gif:
        made["gif"] = derived(folder, "clip.gif", lambda p: media.gif(source, p))
    names = {
        "video": f"{stem}.mp4",
        "srt": f"{stem}.srt",
        "vtt": f"{stem}.vtt",
        "poster": f"{stem}.png",
        "webm": f"{stem}.webm",
        "gif": f"{stem}.gif",
    }
    for kind, path in made.items():
        publish(path, target / names[kind])
    return {kind: names[kind] for kind in made}


def render_story(settings: RenderSettings) -> Path:
    """Render what is missing, assemble the film when every stage is asked for, publish the kit."""
    weights = load_weights(settings.weights)
    stages = chosen_stages(settings)
    whole = len(stages) == len(STAGES)
    q = settings.resolution
    target = settings.output_dir(weights.name)
    extras = " ".join([*settings.formats, *(["transparent"] if settings.transparent else [])])
    print(
        f"reluviz: {len(stages)} stage(s){' and the film' if whole else ''}, weights {weights.name} "
        f"({weights.path}), {q.name} quality {q.width}x{q.height} at {q.fps} fps, {settings.theme} theme"
        f"{', ' + extras if extras else ''}, {settings.jobs} job(s) -> {target}/",
        flush=True,
    )
    started = time.monotonic()
    jobs = {s.name: stage_job(s, settings, weights) for s in stages}
    alpha = {s.name: stage_job(s, settings, weights, transparent=True) for s in stages} if settings.transparent else {}
    cards = {part: card_job(part, settings, weights) for part in PARTS} if whole else {}
    render_clips([*jobs.values(), *alpha.values(), *cards.values()], settings, weights)

    target.mkdir(parents=True, exist_ok=True)

    def publish_stage(stage: Stage) -> Published:
        job = jobs[stage.name]
        files = _publish_video(job.cached, "clip.mp4", "clip.srt", job.stem, target, settings, gif=True)
        if stage.name in alpha:
            publish(alpha[stage.name].video, target / f"{job.stem}.alpha.webm")
            files["alpha_webm"] = f"{job.stem}.alpha.webm"
        info = json.loads((job.cached / "info.json").read_text())
        return Published(job.stem, stage, files, info, [c.content for c in captions.read(job.cached / "clip.srt")])

    with ThreadPoolExecutor(settings.jobs) as pool:  # WebM and GIF encodes run in ffmpeg, side by side
        published = list(pool.map(publish_stage, stages))
    film = None
    if whole:
        chapters = []
        for part in PARTS:
            chapters.append(Chapter(f"Part {ROMAN[part]}: {PARTS[part]}", cards[part].cached))
            chapters += [Chapter(f"{s.number}. {s.title}", jobs[s.name].cached) for s in STAGES if s.part == part]
        folder = assemble(chapters, settings.cache)
        files = _publish_video(folder, "film.mp4", "film.srt", FILM_STEM, target, settings, gif=False)
        info = json.loads((folder / "info.json").read_text())
        film = Published(FILM_STEM, None, files, info, [c.content for c in captions.read(folder / "film.srt")])
        print(f"  {'00 relu story':<22} film of {len(chapters)} clips", flush=True)

    manifest = build_manifest(settings, weights, published, film)
    write_text(target / "manifest.json", json.dumps(manifest, indent=2) + "\n")
    write_text(target / "index.html", build_page(manifest, weights, target))
    print(f"reluviz: done in {time.monotonic() - started:.1f} s; open {target / 'index.html'}", flush=True)
    return target
