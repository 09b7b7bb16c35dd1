"""The clips a render needs, as jobs: each one's content *key* and what travels to the worker.

A clip's key hashes everything its pictures and sound depend on: the code it is made with
(``fingerprint.clip_code``: its scene's module, the scenes' framework, the worker's modules),
manim's version, the quality and theme, the voice, and only the inputs its stage uses (the
weights' numbers and data, the data alone, or the lesson file), and the words a words file
changes in it (only its own: changing one beat's words re-renders only its clip).
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import asdict, dataclass, field, replace
from importlib.metadata import version
from pathlib import Path

from reluviz.drawn_data import DrawnData, drawn_data
from reluviz.files.data import DEFAULT_DATA, Dataset, load_dataset
from reluviz.files.weights import Weights
from reluviz.model import PlaneWeights
from reluviz.studio.media.narration import RECORDING_TYPES, recordings_fingerprint, synthesized_voice
from reluviz.studio.pipeline import cache
from reluviz.studio.pipeline.fingerprint import clip_code
from reluviz.studio.pipeline.worker import ClipTask
from reluviz.studio.settings import X264_OPTIONS, RenderSettings
from reluviz.words.stages import PLANE_USE, Stage
from reluviz.words.templates import NO_WORDS, ClipWords


@dataclass(frozen=True)
class ClipJob:
    """One clip to exist under ``stem`` in the output folder."""

    stem: str  # "01_definition"
    scene: str  # module in scenes/ that draws it
    key: str
    cached: Path  # the clip's folder in the cache
    scene_args: dict = field(default_factory=dict)
    transparent: bool = False  # a WebM with an alpha channel (clip.webm) instead of an MP4 (clip.mp4)
    weights: Weights | PlaneWeights | None = field(default=None, compare=False)  # the numbers it is drawn for
    # the render's weights file, whose name the recordings' folder has (voice/<weights>/): Part III's
    # clips are drawn for the two-input file but narrated within the render they belong to
    narrated_for: str = ""
    uses: frozenset[str] = frozenset()  # the inputs its stage reads besides the code: weights, data, lesson
    tag: str = ""  # in a batch, the weights file a clip of its own belongs to
    # what its scene draws of the weights' data: filled in by render_clips, which reads each data file once
    drawn: DrawnData | None = field(default=None, compare=False)
    words: ClipWords = NO_WORDS  # what a words file changes in it

    @property
    def draws_data(self) -> bool:
        return bool(self.uses & {"weights", "data"})

    @property
    def video(self) -> Path:
        return self.cached / ("clip.webm" if self.transparent else "clip.mp4")

    @property
    def label(self) -> str:
        label = self.stem.replace("_", " ", 1) if self.stem[:2].isdigit() else self.stem.replace("_", " ")
        return f"{label} [{self.tag}]" if self.tag else label


def _weights_fingerprint(weights: Weights | PlaneWeights) -> dict:
    """The numbers and data a Part II or III clip shows; not the file's name or comments."""
    values = asdict(weights)
    for ignored in ("name", "path", "digest", "data_path"):
        values.pop(ignored, None)
    if getattr(weights, "data_path", None) is not None:
        values["data"] = _file_digest(weights.data_path)
    return values


def _file_digest(path: Path) -> str:
    """The sha256 of a data file: read once while it is unchanged, though every Part II clip's
    key covers it and it may hold millions of rows."""
    status = path.stat()
    return _digest_of(path.resolve(), status.st_size, status.st_mtime_ns)


@functools.lru_cache(maxsize=16)
def _digest_of(path: Path, size: int, modified_ns: int) -> str:
    return cache.sha256(path)


def clip_key(
    scene: str,
    uses: frozenset[str],
    settings: RenderSettings,
    weights: Weights | PlaneWeights,
    extra: dict | None = None,
) -> str:
    digest = hashlib.sha256()
    header = {
        "scene": scene,
        "quality": settings.quality,
        "theme": settings.theme,
        "x264": X264_OPTIONS,
        "manim": version("manim"),
        "code": clip_code(scene),  # its scene's module, the framework, the worker's: see fingerprint.py
        "extra": extra or {},
        **clip_inputs_fingerprint(uses, weights),
    }
    digest.update(json.dumps(header, sort_keys=True, default=str).encode())
    return digest.hexdigest()[:24]


def clip_inputs_fingerprint(uses: frozenset[str], weights: Weights | PlaneWeights) -> dict:
    """The inputs a stage that reads ``uses`` is drawn from, as its key covers them."""
    found = {}
    if uses & {"weights", PLANE_USE}:  # a stage draws one network: the one its job carries
        found["weights"] = _weights_fingerprint(weights)
    if "data" in uses:
        found["data"] = _file_digest(weights.data_path or DEFAULT_DATA)
    return found


def voice_fingerprint(settings: RenderSettings, narrated_for: str, clip: str) -> dict:
    """What decides a clip's sound: the voice, and with recordings the very files it would use
    (in voice/<narrated_for>/, the render's weights file's name)."""
    voice = synthesized_voice(settings.voice, settings.voice_command, unrecorded=settings.unrecorded_voice)
    found = {}
    if settings.voice == "recorded":
        found = recordings_fingerprint(settings.recordings_dir(narrated_for), clip)
    return {"voice": settings.voice, "speaker": voice.identity, "recordings": found}


def stage_job(
    stage: Stage,
    settings: RenderSettings,
    weights: Weights | PlaneWeights,
    transparent: bool = False,
    narrated_for: str = "",
    words: ClipWords = NO_WORDS,
) -> ClipJob:
    """The job of ``stage`` drawn for ``weights``; ``narrated_for``: the render's weights file's name
    (by default ``weights``'), where its recordings are; ``words``: what a words file changes in it."""
    narrated_for = narrated_for or weights.name
    # an alpha clip is silent, but paced by the same voice as its opaque twin
    extra = {"sound": voice_fingerprint(settings, narrated_for, stage.file_stem), "transparent": transparent}
    if words:  # without a words file (or with one that changes nothing here) the key stays as it was
        extra["words"] = words.as_key()
    key = clip_key(stage.name, stage.uses, settings, weights, extra=extra)
    stem = f"{stage.file_stem}.alpha" if transparent else stage.file_stem
    cached = settings.cache / "clips" / key
    return ClipJob(
        stem,
        stage.name,
        key,
        cached,
        transparent=transparent,
        weights=weights,
        narrated_for=narrated_for,
        uses=stage.uses,
        words=words,
    )


def _recordings(settings: RenderSettings, job: ClipJob) -> dict[str, bytes]:
    """VOICE=recorded: the user's recordings for this clip, sent along (workers may be elsewhere)."""
    if settings.voice != "recorded":
        return {}
    folder = settings.recordings_dir(job.narrated_for or job.weights.name) / job.stem
    if not folder.is_dir():
        return {}
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.suffix.lstrip(".") in RECORDING_TYPES}


def _read_for_drawing(path: Path) -> Dataset:
    """A data file's rows, read once for every clip that draws them; a large file says how far
    it has got every few seconds, as ``reluviz train`` does."""
    return load_dataset(path, lambda rows: print(f"  {path.name:<22} read {rows:,} rows so far", flush=True))


def with_drawn_data(jobs: list[ClipJob]) -> list[ClipJob]:
    """``jobs``, each one whose scene draws the data with what it draws: a few hundred points at
    most and the facts its captions state, never the table itself (see ``reluviz.drawn_data``)."""
    by_file: dict[Path, set[Weights]] = {}
    for job in jobs:
        if job.draws_data:
            by_file.setdefault(job.weights.data_path or DEFAULT_DATA, set()).add(job.weights)
    drawn: dict[Weights, DrawnData] = {}
    for path, every_weights in by_file.items():
        data = _read_for_drawing(path)
        for weights in every_weights:
            drawn[weights] = drawn_data(data, weights)
        if drawn[weights].thinned:  # the same points for any weights
            points = len(drawn[weights].points.dosage)
            print(f"  {path.name:<22} {len(data.dosage):,} rows, {points:,} of them drawn", flush=True)
    return [replace(job, drawn=drawn[job.weights]) if job.draws_data else job for job in jobs]


def clip_task(job: ClipJob, settings: RenderSettings, store: str | None, topic: str) -> ClipTask:
    """Everything a worker anywhere needs for ``job``: the numbers, what the scene draws of the
    data, the recordings."""
    weights = job.weights
    return ClipTask(
        key=job.key,
        clip=job.stem,
        scene=job.scene,
        weights=weights,
        data=job.drawn,
        quality=settings.quality,
        theme=settings.theme,
        transparent=job.transparent,
        voice=settings.voice,
        voice_command=settings.voice_command,
        voice_timeout=settings.voice_timeout,
        unrecorded_voice=settings.unrecorded_voice,
        code=clip_code(job.scene),
        topic=topic,
        recordings=_recordings(settings, job),
        recordings_named=str(settings.recordings_dir(job.narrated_for or weights.name)),
        scene_args=job.scene_args,
        words=job.words,
        store=store,
        asks_to_stop=bool(settings.scheduler),
    )
