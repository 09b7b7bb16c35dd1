"""One render of the story, start to finish: the stage clips, the film, all put in place
under ``out/<weights>/<quality>/``."""

from __future__ import annotations

import time
from pathlib import Path

from reluviz.stages import PARTS, STAGES, Stage
from reluviz.weights import Weights, load_weights

from .film import Chapter, assemble
from .render import ClipJob, clip_key, publish, render_clips, stage_job
from .settings import RenderSettings

FILM_STEM = "00_relu_story"
ROMAN = {1: "I", 2: "II"}


def card_job(part: int, settings: RenderSettings, weights: Weights) -> ClipJob:
    key = clip_key("title_card", frozenset(), settings, weights, extra={"part": part})
    return ClipJob(f"part_{part}_title", "title_card", key, settings.cache / "clips" / key, {"part": part})


def chosen_stages(settings: RenderSettings) -> list[Stage]:
    return [s for s in STAGES if not settings.stages or s.name in settings.stages]


def render_story(settings: RenderSettings) -> Path:
    """Render what is missing, assemble the film when every stage is asked for, publish; returns the folder."""
    weights = load_weights(settings.weights)
    stages = chosen_stages(settings)
    whole = len(stages) == len(STAGES)
    q = settings.resolution
    target = settings.output_dir(weights.name)
    print(
        f"reluviz: {len(stages)} stage(s){' and the film' if whole else ''}, weights {weights.name} "
        f"({weights.path}), {q.name} quality {q.width}x{q.height} at {q.fps} fps, {settings.jobs} job(s) "
        f"-> {target}/",
        flush=True,
    )
    started = time.monotonic()
    jobs = {s.name: stage_job(s, settings, weights) for s in stages}
    cards = {part: card_job(part, settings, weights) for part in PARTS} if whole else {}
    render_clips([*jobs.values(), *cards.values()], settings, weights)
    target.mkdir(parents=True, exist_ok=True)
    for job in jobs.values():
        for suffix in (".mp4", ".srt"):
            publish(job.cached / f"clip{suffix}", target / f"{job.stem}{suffix}")
    if whole:
        chapters = []
        for part in PARTS:
            chapters.append(Chapter(f"Part {ROMAN[part]}: {PARTS[part]}", cards[part].cached))
            chapters += [Chapter(f"{s.number}. {s.title}", jobs[s.name].cached) for s in STAGES if s.part == part]
        film = assemble(chapters, settings.cache)
        for suffix in (".mp4", ".srt"):
            publish(film / f"film{suffix}", target / f"{FILM_STEM}{suffix}")
        print(f"  {'00 relu story':<22} film of {len(chapters)} clips", flush=True)
    print(f"reluviz: done in {time.monotonic() - started:.1f} s; clips in {target}/", flush=True)
    return target
