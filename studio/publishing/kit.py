"""One render of the story, start to finish: the stage clips and the film with their
captions (.srt and .vtt), posters and extra formats, the manifest and the lecture page,
all put in place under ``out/<weights>/<quality>/``."""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from reluviz.files.weights import Weights
from reluviz.model import PlaneWeights
from reluviz.studio.media import captions, clip_files, ffmpeg
from reluviz.studio.media.film import Chapter, assemble
from reluviz.studio.media.narration import find_recording
from reluviz.studio.pipeline import cache
from reluviz.studio.pipeline.cache import derived
from reluviz.studio.pipeline.jobs import ClipJob, clip_key, stage_job, voice_fingerprint
from reluviz.studio.pipeline.render import folder_problems_said, render_clips
from reluviz.studio.publishing.deck import DECK_NAME, build_deck, deck_kind
from reluviz.studio.publishing.manifest import Published, build_manifest
from reluviz.studio.publishing.outputs import publish, write_text
from reluviz.studio.publishing.page import build_page
from reluviz.studio.publishing.present import PRESENT_PAGE, build_presentation
from reluviz.studio.publishing.script import with_words
from reluviz.studio.publishing.story import Story, load_story
from reluviz.studio.settings import RenderSettings
from reluviz.words.stages import PARTS, STAGES, Stage

FILM_STEM = "00_relu_story"


def card_job(part: int, settings: RenderSettings, story: Story) -> ClipJob:
    stem = PARTS[part].card_stem
    weights = story.weights_for(part=part)
    titles = story.part_titles(part)  # the card lists them: the lesson's words or the network's own
    narrated_for = story.weights.name
    extra = {"part": part, "titles": titles, "sound": voice_fingerprint(settings, narrated_for, stem)}
    words = story.card_words(PARTS[part])
    if words:
        extra["words"] = words.as_key()
    key = clip_key("title_card", frozenset(), settings, weights, extra=extra)
    return ClipJob(
        stem,
        "title_card",
        key,
        settings.cache / "clips" / key,
        {"part": part},
        weights=weights,
        narrated_for=narrated_for,
        words=words,
    )


def chosen_stages(settings: RenderSettings, story: Story) -> list[Stage]:
    return [s for s in story.stages if not settings.stages or s.name in settings.stages]


def _publish_video(
    folder: Path, video: str, srt: str, stem: str, target: Path, settings: RenderSettings, gif: bool
) -> dict[str, str]:
    """Copy a video (from the cache) and everything made from it into the output folder."""
    source = folder / video
    made = {
        "video": source,
        "srt": folder / srt,
        "vtt": derived(folder, clip_files.VTT, clip_files.vtt_maker(folder, srt)),
        "poster": derived(folder, "poster.png", lambda p: ffmpeg.poster(source, p)),
    }
    if "webm" in settings.formats:
        made["webm"] = derived(folder, "clip.webm", lambda p: ffmpeg.webm(source, p))
    if "gif" in settings.formats and gif:
        made["gif"] = derived(folder, "clip.gif", lambda p: ffmpeg.gif(source, p))
    names = {
        "video": f"{stem}.mp4",
        "srt": f"{stem}.srt",
        "vtt": f"{stem}.vtt",
        "poster": f"{stem}.png",
        "webm": f"{stem}.webm",
        "gif": f"{stem}.gif",
    }
    for kind, path in made.items():
        publish(path, target / names[kind], cache.recorded_sum(folder, path.name))
    return {kind: names[kind] for kind in made}


@dataclass(frozen=True)
class KitPlan:
    """What one render makes and what its kit holds: the stages asked for, the others whose
    clips for these settings are already in the cache, and whether that is the whole story."""

    story: Story
    jobs: dict[str, ClipJob]  # every stage's clip for these settings
    alpha: dict[str, ClipJob]  # its alpha WebM, when asked for
    cards: dict[int, ClipJob]  # the part title cards the film puts before each part
    asked: list[Stage]
    kept: list[Stage]  # not asked for, but rendered earlier for these settings: stay in the kit

    @property
    def stages(self) -> list[Stage]:
        return [s for s in self.story.stages if s in self.asked or s in self.kept]

    @property
    def whole(self) -> bool:
        return len(self.stages) == len(self.story.stages)

    @property
    def film_ready(self) -> bool:
        """Every stage and every part's title card are in the cache: the film can be put together."""
        return self.whole and all(cache.entry_ok(card.cached) for card in self.cards.values())

    @property
    def to_render(self) -> list[ClipJob]:
        """The clips this render makes: the stages asked for (and their alpha WebMs), and the
        title cards when the kit is whole."""
        asked = [self.jobs[s.name] for s in self.asked] + [self.alpha[s.name] for s in self.asked if self.alpha]
        return asked + (list(self.cards.values()) if self.whole else [])

    def refreshed(self) -> KitPlan:
        """The plan again, as the cache stands now: another render into this folder may have
        finished clips since this one started, and they belong in the kit too."""
        return replace(self, kept=_ready(self.story, self.jobs, self.asked))


def _ready(story: Story, jobs: dict[str, ClipJob], asked: list[Stage]) -> list[Stage]:
    # a stage stays in the kit when its clip is ready; its alpha WebM joins it if that is ready too
    return [s for s in story.stages if s not in asked and cache.entry_ok(jobs[s.name].cached)]


def plan_kit(settings: RenderSettings, story: Story) -> KitPlan:
    def job(stage: Stage, transparent: bool = False) -> ClipJob:
        weights, words = story.weights_for(stage), story.stage_words(stage)
        return stage_job(stage, settings, weights, transparent, narrated_for=story.weights.name, words=words)

    jobs = {s.name: job(s) for s in story.stages}
    alpha = {s.name: job(s, transparent=True) for s in story.stages} if settings.transparent else {}
    cards = {part.number: card_job(part.number, settings, story) for part in story.parts}
    asked = chosen_stages(settings, story)
    return KitPlan(story, jobs, alpha, cards, asked, _ready(story, jobs, asked))


def _remove_outdated(target: Path, plan: KitPlan) -> None:
    """Files of stages the kit no longer holds (rendered for other numbers) and a film that
    is no longer whole: a folder never shows clips its page and manifest do not describe."""
    outdated = [s.file_stem for s in STAGES if s not in plan.stages]  # a two-input render has no Part II
    cards = [part.card_stem for part in PARTS.values()]
    for stem in [*outdated, *([] if plan.film_ready else [FILM_STEM, *cards])]:
        stale = sorted([*target.glob(f"{stem}.*"), *(target / BEATS_FOLDER).glob(f"{stem}.*")])
        for path in stale:
            path.unlink()
        if stale:
            why = (
                "out of date for these weights or voice"
                if stem in outdated
                else "not every stage is rendered for these weights"
            )
            if not stem.startswith("part_"):
                print(f"  {stem.replace('_', ' '):<22} {why}: removed from the kit", flush=True)


def render_story(settings: RenderSettings) -> Path:
    """Render what is missing, then publish the whole kit for these settings: every stage
    rendered now or earlier, and the film once every stage is there."""
    story = with_words(settings, load_story(settings))  # a words file is checked before anything renders
    weights = story.weights
    check_recordings(settings, weights)
    plan = plan_kit(settings, story)
    q = settings.resolution
    target = settings.output_dir(weights.name)
    extras = " ".join([*settings.formats, *(["transparent"] if settings.transparent else [])])
    kept = f" (+{len(plan.kept)} kept from earlier renders)" if plan.kept and settings.stages else ""
    print(
        f"reluviz: {len(plan.asked)} stage(s){kept}{' and the film' if plan.whole else ''}, weights {weights.name} "
        f"({weights.path}){_plane_named(story)}, {q.name} quality {q.width}x{q.height} at {q.fps} fps, "
        f"{settings.theme} theme"
        f"{', ' + extras if extras else ''}, {settings.where} -> {target}/",
        flush=True,
    )
    started = time.monotonic()
    render_clips(plan.to_render, settings)
    publish_kit(settings, weights, plan)
    print(f"reluviz: done in {time.monotonic() - started:.1f} s; open {target / 'index.html'}", flush=True)
    return target


def _plane_named(story: Story) -> str:
    """Part III's network in the line a render starts with, when it is another file."""
    if story.plane is story.weights:
        return ""
    return f", Part III {story.plane.name} ({story.plane.path})"


def check_recordings(settings: RenderSettings, weights: Weights | PlaneWeights) -> None:
    recordings = settings.recordings_dir(weights.name)
    if settings.voice == "recorded" and not recordings.is_dir():
        raise ValueError(f"VOICE=recorded: no folder {recordings} (make script lists the files to record there)")


def publish_kit(settings: RenderSettings, weights: Weights | PlaneWeights, plan: KitPlan) -> Path:
    """Put the kit in ``out/<weights>/<quality>/`` as the cache stands now."""
    target = settings.output_dir(weights.name)
    with folder_problems_said(settings, target):  # a full disk is RENDER_OUT's, not the file's being copied
        with cache.locked(settings.cache, cache.lock_name(target)):  # renders into one folder publish in turn
            target.mkdir(parents=True, exist_ok=True)
            _publish_kit(settings, weights, plan.refreshed(), target)
    return target


BEATS_FOLDER = "beats"


def _beats(entry: Path, stem: str, target: Path, fps: float) -> list[dict]:
    """What a clip's beats say and when, as the worker recorded them, each also published as
    a clip of its own (``beats/<stem>.<beat>.mp4``, cut from the clip without encoding its
    pictures again) with its caption cues, timed from the beat's start: what presenting one
    point at a time plays."""
    beats = json.loads((entry / "beats.json").read_text())["beats"]
    cues = captions.read(entry / "clip.srt")
    found = []
    makers = clip_files.beat_makers(entry, fps)  # the worker cut them, unless the entry is older
    for number, beat in enumerate(beats, start=1):
        start, end = beat["start"], beat["end"]
        name = clip_files.beat_file(number)
        segment = derived(entry, name, makers[name])
        published = f"{BEATS_FOLDER}/{stem}.{number:02d}.mp4"
        publish(segment, target / published, cache.recorded_sum(entry, name))
        own = [c for c in cues if start - 0.01 <= c.start.total_seconds() < end - 0.01]
        found.append(
            {
                **{k: beat[k] for k in ("start", "end", "caption", "spoken")},
                "file": published,
                "cues": [
                    {
                        "start": round(c.start.total_seconds() - start, 3),
                        "end": round(min(c.end.total_seconds(), end) - start, 3),
                        "text": c.content,
                    }
                    for c in own
                ],
            }
        )
    return found


def _warn_of_missing_recordings(settings: RenderSettings, weights: Weights | PlaneWeights, jobs: list[ClipJob]) -> None:
    """VOICE=recorded: one line naming every beat the synthesized voice spoke instead, and one
    naming recordings no beat uses (a beat or clip that does not exist, a second format)."""
    if settings.voice != "recorded":
        return
    folder = settings.recordings_dir(weights.name)
    missing, used = [], set()
    for job in jobs:
        beats = json.loads((job.cached / "beats.json").read_text())
        missing += beats["missing_recordings"]
        for number in range(1, len(beats["beats"]) + 1):
            found = find_recording(folder, job.stem, number)
            if found is not None:
                used.add(found)
    unused = sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file() and p not in used)
    silent = settings.unrecorded_voice == "none" and not settings.voice_command
    instead = "are silent (no voice speaks their language)" if silent else "are spoken by the synthesized voice"
    for kind, names in ((f"have no recording and {instead}", missing), ("", unused)):
        if not names:
            continue
        shown = ", ".join(names[:6]) + (f" and {len(names) - 6} more" if len(names) > 6 else "")
        if kind:
            print(f"reluviz: warning: {len(names)} beat(s) {kind}: {shown} (make script lists them all)", flush=True)
        else:
            print(
                f"reluviz: warning: {len(names)} file(s) in {folder}/ match no beat and are not used: {shown} "
                "(names are <clip>/<beat>.wav, .flac or .mp3, one per beat; make script lists them)",
                flush=True,
            )


def _publish_kit(settings: RenderSettings, weights: Weights | PlaneWeights, plan: KitPlan, target: Path) -> dict:
    cards = plan.cards
    story = replace(plan.story, weights=weights)  # as published: a sweep's variants are named where they are kept
    fps = settings.resolution.fps

    def publish_stage(stage: Stage) -> Published:
        job = plan.jobs[stage.name]
        files = _publish_video(job.cached, "clip.mp4", "clip.srt", job.stem, target, settings, gif=True)
        alpha = plan.alpha.get(stage.name)
        if alpha is not None and (stage in plan.asked or cache.entry_ok(alpha.cached)):
            publish(alpha.video, target / f"{job.stem}.alpha.webm", cache.recorded_sum(alpha.cached, "clip.webm"))
            files["alpha_webm"] = f"{job.stem}.alpha.webm"
        info = json.loads((job.cached / "info.json").read_text())
        cues = [c.content for c in captions.read(job.cached / "clip.srt")]
        worded = story.worded(stage)  # stages are named for the network they draw (or by a words file)
        return Published(job.stem, worded, files, info, cues, _beats(job.cached, job.stem, target, fps))

    (target / BEATS_FOLDER).mkdir(exist_ok=True)
    _remove_outdated(target, plan)
    shown_cards = list(cards.values()) if plan.film_ready else []
    _warn_of_missing_recordings(settings, weights, [plan.jobs[s.name] for s in plan.stages] + shown_cards)
    chapters = []
    for part in story.parts if plan.film_ready else ():
        chapters.append(Chapter(story.part_title(part), cards[part.number].cached))
        chapters += [
            Chapter(f"{s.number}. {story.worded(s).title}", plan.jobs[s.name].cached)
            for s in story.stages
            if s.part == part.number
        ]
    # ffmpeg does the work, one run per core: the film first (one long chain: its sound joined,
    # measured, levelled and encoded), the stages' beat clips, WebMs and GIFs beside it
    with ThreadPoolExecutor(settings.jobs) as pool:
        made = pool.submit(assemble, chapters, settings.cache, story.kit("title")) if chapters else None
        published = list(pool.map(publish_stage, plan.stages))
    film = None
    if made is not None:
        folder = made.result()
        files = _publish_video(folder, "film.mp4", "film.srt", FILM_STEM, target, settings, gif=False)
        info = json.loads((folder / "info.json").read_text())
        cues = [c.content for c in captions.read(folder / "film.srt")]
        film = Published(FILM_STEM, None, files, info, cues, [])
        print(f"  {'00 relu story':<22} film of {len(chapters)} clips", flush=True)
    title_cards = [
        {
            "part": part.number,
            "title": story.part_title(part),
            "before_stage": min(s.number for s in story.stages if s.part == part.number),
            "beats": _beats(cards[part.number].cached, cards[part.number].stem, target, fps),
        }
        for part in (story.parts if plan.film_ready else ())
    ]

    manifest = build_manifest(settings, story, published, film, title_cards)
    changed = write_text(target / "manifest.json", json.dumps(manifest, indent=2) + "\n")
    write_text(target / "index.html", build_page(manifest, story, target))
    write_text(target / PRESENT_PAGE, build_presentation(manifest))
    if changed and (target / DECK_NAME).exists():  # a deck made earlier follows the kit
        build_deck(manifest, target, deck_kind(target / DECK_NAME))
    return manifest
