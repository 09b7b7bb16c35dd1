"""Render stage clips on a Dask cluster (see ``studio.cluster``), only those whose inputs changed.

A clip's *key* hashes everything its pictures depend on: its scene module, the shared
scene code, reluviz, the worker's settings, manim's version, the quality and theme,
and (only for the stages that use them) the weights and data, or the lesson file.
Finished clips are kept in ``out/.cache/clips/<key>/``, checked against the sha256 sums
their worker sent, and copied into place under their final names; nothing half-written
ever carries a final name.
"""

from __future__ import annotations

import errno
import functools
import hashlib
import json
import os
import shutil
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import CancelledError
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from importlib.metadata import version
from pathlib import Path

import reluviz
import reluviz.scenes as scene_modules
from reluviz.data import DEFAULT_DATA, Dataset, load_dataset
from reluviz.drawn_data import DrawnData, drawn_data
from reluviz.stages import Stage
from reluviz.weights import LESSON_FILE, Weights

from . import cache, media
from .cluster import RenderError, connect
from .narration import RECORDING_TYPES, recordings_fingerprint, synthesized_voice
from .settings import X264_OPTIONS, RenderSettings
from .worker import ClipFailed, ClipTask, FinishedClip, code_fingerprint, render_clip, stop_event_name

SCENES_DIR = Path(scene_modules.__file__).parent
STUDIO_DIR = Path(__file__).parent
#: The studio modules that make a clip (the worker and every studio module it imports: to draw,
#: speak, level, pack, caption and store it): a change of coder or level must not reuse old clips.
CLIP_MODULES = (
    "worker",
    "settings",
    "cache",
    "narration",
    "voice",
    "soundtrack",
    "loudness",
    "media",
    "captions",
    "cues",
)
#: Code every clip depends on besides the scene modules: reluviz's own modules (not the
#: scenes and studio packages that an installed reluviz holds), and CLIP_MODULES.
SHARED_CODE = (
    *sorted(p for p in Path(reluviz.__file__).parent.glob("*.py")),
    *(STUDIO_DIR / f"{module}.py" for module in CLIP_MODULES),
)


@dataclass(frozen=True)
class ClipJob:
    """One clip to exist under ``stem`` in the output folder."""

    stem: str  # "01_definition"
    scene: str  # module in scenes/ that draws it
    key: str
    cached: Path  # the clip's folder in the cache
    scene_args: dict = field(default_factory=dict)
    transparent: bool = False  # a WebM with an alpha channel (clip.webm) instead of an MP4 (clip.mp4)
    weights: Weights | None = field(default=None, compare=False)  # the numbers it is drawn for
    uses: frozenset[str] = frozenset()  # the inputs its stage reads besides the code: weights, data, lesson
    tag: str = ""  # in a batch, the weights file a clip of its own belongs to
    # what its scene draws of the weights' data: filled in by render_clips, which reads each data file once
    drawn: DrawnData | None = field(default=None, compare=False)

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


def _stage_modules() -> set[str]:
    from reluviz.stages import STAGES

    return {s.name for s in STAGES}


def _code_files(scene: str) -> list[Path]:
    """The scene's own module, the shared scene modules (not other stages'), and SHARED_CODE."""
    stage_modules = _stage_modules()
    files = [SCENES_DIR / f"{scene}.py"]
    files += sorted(p for p in SCENES_DIR.glob("*.py") if p.stem not in stage_modules and p.stem != scene)
    files += SHARED_CODE
    return files


def _weights_fingerprint(weights: Weights) -> dict:
    """The numbers and data a Part II clip shows; not the file's name or comments."""
    values = asdict(weights)
    for ignored in ("name", "path", "digest", "data_path"):
        values.pop(ignored)
    if weights.data_path is not None:
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
    scene: str, uses: frozenset[str], settings: RenderSettings, weights: Weights, extra: dict | None = None
) -> str:
    digest = hashlib.sha256()
    header = {
        "scene": scene,
        "quality": settings.quality,
        "theme": settings.theme,
        "x264": X264_OPTIONS,
        "manim": version("manim"),
        "extra": extra or {},
    }
    if "weights" in uses:
        header["weights"] = _weights_fingerprint(weights)
    if "data" in uses:
        header["data"] = _file_digest(weights.data_path or DEFAULT_DATA)
    digest.update(json.dumps(header, sort_keys=True, default=str).encode())
    files = _code_files(scene) + ([LESSON_FILE] if "lesson" in uses else [])
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:24]


def voice_fingerprint(settings: RenderSettings, weights: Weights, clip: str) -> dict:
    """What decides a clip's sound: the voice, and with recordings the very files it would use."""
    voice = synthesized_voice(settings.voice, settings.voice_command)
    found = {}
    if settings.voice == "recorded":
        found = recordings_fingerprint(settings.recordings_dir(weights.name), clip)
    return {"voice": settings.voice, "speaker": voice.identity, "recordings": found}


def stage_job(stage: Stage, settings: RenderSettings, weights: Weights, transparent: bool = False) -> ClipJob:
    # an alpha clip is silent, but paced by the same voice as its opaque twin
    extra = {"sound": voice_fingerprint(settings, weights, stage.file_stem), "transparent": transparent}
    key = clip_key(stage.name, stage.uses, settings, weights, extra=extra)
    stem = f"{stage.file_stem}.alpha" if transparent else stage.file_stem
    cached = settings.cache / "clips" / key
    return ClipJob(stem, stage.name, key, cached, transparent=transparent, weights=weights, uses=stage.uses)


class Progress:
    """One line per event and stage, never interleaved; long renders report every few seconds."""

    def __init__(self, every: float = 8.0) -> None:
        self.every = every
        self.lock = threading.Lock()
        self.last: dict[str, float] = {}

    def say(self, label: str, message: str, force: bool = True) -> None:
        now = time.monotonic()
        with self.lock:
            if not force and now - self.last.get(label, 0.0) < self.every:
                return
            self.last[label] = now
            print(f"  {label:<22} {message}", flush=True)


class FolderProblem(RenderError):
    """A render stopped by a folder rather than a clip (its disk full, the cache removed while
    rendering): said once for the whole render, naming the folder as the user set it."""


def no_space(written: Path, settings: RenderSettings) -> str | None:
    """A full disk, named by the user's folder on it (RENDER_OUT, or CACHE when the cache is
    elsewhere), not by the cache file being written; None for a disk of neither."""
    written = written.absolute()
    for variable, folder in (("CACHE", settings.store), ("RENDER_OUT", settings.out)):
        if folder is not None and written.is_relative_to(folder.absolute()):
            return (
                f"{variable}={folder}: its disk is full (No space left on device); free some space there (or set "
                f"{variable} to a folder on another disk) and run again; finished clips are kept"
            )
    return None


def folder_problem(error: OSError, settings: RenderSettings, writing: Path) -> str | None:
    """``error``'s cause when it lies in a folder rather than a clip; ``writing``: the folder being
    written, for an error that names no file."""
    full_disk = cache.full_disk_at(error, writing)
    if full_disk is not None:
        return no_space(full_disk, settings)
    if error.errno == errno.ENOENT and error.filename:
        return cache.removed_while_rendering(Path(error.filename).parent, settings.cache)
    return None


@contextmanager
def folder_problems_said(settings: RenderSettings, writing: Path) -> Iterator[None]:
    """Errors whose cause is a folder raised as a FolderProblem that names it."""
    try:
        yield
    except OSError as error:
        problem = folder_problem(error, settings, writing)
        if problem is None:
            raise
        raise FolderProblem(problem) from None


def _named(job: ClipJob) -> str:
    """The clip in a message: its file's stem, and in a batch the weights file it belongs to."""
    return f"{job.stem} [{job.tag}]" if job.tag else job.stem


def _log_name(job: ClipJob) -> str:
    return f"{job.stem}@{job.tag}" if job.tag else job.stem


def _logged(settings: RenderSettings, job: ClipJob, log: str) -> str:
    """`` (log: path)`` after writing a failed clip's log; nothing when even that fails (a full disk)."""
    path = _log_path(settings, _log_name(job))
    try:
        path.write_text(log)
    except OSError:
        return ""
    return f" (log: {path})"


def _log_path(settings: RenderSettings, name: str) -> Path:
    """A log of this process only: renders running at once never write the same log."""
    path = settings.cache / "logs" / f"{name}.{os.getpid()}.log"
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def _recordings(settings: RenderSettings, job: ClipJob) -> dict[str, bytes]:
    """VOICE=recorded: the user's recordings for this clip, sent along (workers may be elsewhere)."""
    if settings.voice != "recorded":
        return {}
    folder = settings.recordings_dir(job.weights.name) / job.stem
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
        code=code_fingerprint(),
        topic=topic,
        recordings=_recordings(settings, job),
        recordings_named=str(settings.recordings_dir(weights.name)),
        scene_args=job.scene_args,
        store=store,
        asks_to_stop=bool(settings.scheduler),
    )


def _take(job: ClipJob, finished: FinishedClip, settings: RenderSettings) -> None:
    """Check a finished clip against the sums its worker sent and put it in the cache: the
    entry the worker put in the store, or the files that travelled, written here."""
    if not finished.files:
        removed = cache.removed_while_rendering(job.cached, settings.cache)
        if removed:
            raise FolderProblem(removed)
        if cache.entry_sums(job.cached) != finished.sums or not cache.entry_ok(job.cached):
            raise RenderError(f"{_named(job)}: the entry {finished.worker} put in {job.cached} does not match its sums")
        return
    work = cache.scratch(settings.cache, job.key)
    try:
        for name, content in finished.files.items():
            (work / name).write_bytes(content)
            if cache.sha256(work / name) != finished.sums.get(name):
                raise RenderError(f"{_named(job)}: {name} from {finished.worker} arrived damaged (sha256 differs)")
        cache.install(work, job.cached)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _timings_file(settings: RenderSettings) -> Path:
    return settings.cache / "timings.json"


#: Wall seconds each scene took in `make bench` (2026-11-27 11:32, 1080p60, two workers): the order
#: of a render before this out/ has timings of its own. Only the order matters, and a first
#: render in story order could leave one core idle for most of the last long clip.
FIRST_RENDER_SECONDS = {
    "definition": 22.0,
    "neuron": 16.0,
    "derivative": 15.0,
    "forward_backward": 12.0,
    "network": 18.0,
    "input_to_x_axis": 19.0,
    "relu_clipping": 14.0,
    "scaling": 15.0,
    "bottom_node": 17.0,
    "summing": 17.0,
    "bias": 8.0,
    "output_relu": 17.0,
    "kink_derivative": 12.0,
    "training": 17.0,
    "title_card": 4.0,
}


def _expected_seconds(settings: RenderSettings, scenes: set[str]) -> dict[str, float]:
    """Wall seconds each scene took last time at this quality, if every one of ``scenes`` has
    been timed (else FIRST_RENDER_SECONDS): longest first keeps both cores busy."""
    try:
        known = json.loads(_timings_file(settings).read_text()).get(settings.quality, {})
    except (OSError, ValueError):
        known = {}
    return known if scenes <= known.keys() else FIRST_RENDER_SECONDS


def render_clips(jobs: list[ClipJob], settings: RenderSettings) -> None:
    """Make sure every job's clip is in the cache, intact.

    Jobs with one key (a Part I clip of several weights files) are made once. Clips are made
    on a Dask cluster, started only when something needs rendering. Every job gets a closing
    line: unchanged, done, failed, or not rendered (after Ctrl-C).
    """
    cache.remove_abandoned_scratch(settings.cache)
    todo, seen = [], set()
    for job in jobs:
        if job.key in seen:
            continue
        seen.add(job.key)
        if cache.entry_ok(job.cached):
            print(f"  {job.label:<22} unchanged", flush=True)
        else:
            if (job.cached / "info.json").exists():
                print(f"  {job.label:<22} damaged in the cache: rendering it again", flush=True)
            todo.append(job)
    if not todo:
        return
    todo = with_drawn_data(todo)
    for name in media.TOOLS:  # a missing program stops the render here, named, not inside a worker
        media.tool(name)
    # and so does a voice that cannot speak
    synthesized_voice(settings.voice, settings.voice_command, settings.voice_timeout).check()
    expected = _expected_seconds(settings, {job.scene for job in todo})
    queue = sorted(todo, key=lambda job: -expected.get(job.scene, 0.0))  # stable: story order among equals
    try:
        with connect(settings, min(settings.jobs, len(todo))) as (client, store):
            with folder_problems_said(settings, settings.cache):
                _render_on(client, store, queue, settings, expected)
    finally:  # half-made clips of the LocalCluster's workers stopped by Ctrl-C: theirs are gone with them
        cache.remove_abandoned_scratch(settings.cache)


def _render_on(client, store: str | None, queue: list[ClipJob], settings: RenderSettings, expected: dict) -> None:
    """Render ``queue`` on ``client``'s cluster, longest first, and remember how long each took."""
    from distributed import KilledWorker

    topic = f"reluviz-{uuid.uuid4().hex}"
    progress, lock, stopping = Progress(), threading.Lock(), threading.Event()
    by_key = {job.key: job for job in queue}
    started: dict[str, float] = {}
    timings, failures, futures = {}, [], {}
    folder_causes: list[str] = []  # of failures whose cause is a folder (a full disk, the cache removed)

    def on_event(event) -> None:
        _, message = event
        job = by_key.get(message["key"])
        if job is None:
            return
        if message["event"] == "start":
            again = job.key in started
            started[job.key] = time.monotonic()
            progress.say(job.label, "rendering again (its worker was lost)" if again else "rendering")
        elif message["event"] == "step":
            elapsed = time.monotonic() - started.get(job.key, time.monotonic())
            progress.say(job.label, f"{message['seconds']:5.1f} s of video  ({elapsed:.0f} s)", force=False)

    client.subscribe_topic(topic, on_event)

    def make(job: ClipJob) -> None:
        # Another render into the same out/ may be making this very clip: one renders, the other waits and reuses.
        with cache.locked(settings.cache, job.key):
            if stopping.is_set():
                return
            if cache.entry_ok(job.cached):
                progress.say(job.label, "made by another render: reused")
                return
            task = clip_task(job, settings, store, topic)
            with lock:
                if stopping.is_set():
                    return
                futures[job.key] = client.submit(
                    render_clip,
                    task,
                    key=f"{job.stem}-{job.key}-{uuid.uuid4().hex[:8]}",
                    priority=round(expected.get(job.scene, 0.0) * 10),  # longest first
                    pure=False,
                )
            finished = futures[job.key].result()
            _log_path(settings, _log_name(job)).write_text(finished.log)
            _take(job, finished, settings)
        timings[job.key] = (job.scene, finished.elapsed)
        info = json.loads((job.cached / "info.json").read_text())
        progress.say(job.label, f"done: {info['duration']:.1f} s of video in {finished.elapsed:.0f} s")

    def serve(job: ClipJob, done: threading.Event) -> None:
        try:
            with folder_problems_said(settings, settings.cache):
                make(job)
        except CancelledError:  # Ctrl-C: said below with the others not rendered
            pass
        except FolderProblem as error:
            failures.append((job, str(error)))
            folder_causes.append(str(error))
        except ClipFailed as error:
            cause = str(error) if error.cache_removed else error.full_disk and no_space(Path(error.full_disk), settings)
            failures.append((job, cause or f"{_named(job)}: {error}{_logged(settings, job, error.log)}"))
            if cause:
                folder_causes.append(cause)
        except KilledWorker:
            failures.append((job, f"{_named(job)}: every worker that rendered it died (see the workers' own logs)"))
        except RenderError as error:
            failures.append((job, str(error)))
        except OSError as error:  # a full disk, a name too long: said once, in a line
            failures.append((job, f"{_named(job)}: {error.strerror or error} ({error.filename or 'writing'})"))
        except Exception as error:  # never end a clip's thread silently
            failures.append((job, f"{_named(job)}: {type(error).__name__}: {error}"))
        finally:
            done.set()

    finished = []
    for job in queue:
        done = threading.Event()
        finished.append(done)
        threading.Thread(target=serve, args=(job, done), daemon=True).start()
    try:
        _wait(finished)
    except KeyboardInterrupt:
        with lock:
            stopping.set()
            if settings.scheduler:  # a LocalCluster's workers stop with it
                stop_workers(client, topic)
            client.cancel(list(futures.values()), force=True)
        _wait([done for job, done in zip(queue, finished) if job.key in futures])
        for job in queue:
            if not cache.entry_ok(job.cached):
                progress.say(job.label, "not rendered (interrupted)")
        raise
    _remember(settings, timings)
    for job, _ in failures:
        progress.say(job.label, "failed")
    if folder_causes:  # every clip's cause, not one clip's: said once
        raise FolderProblem(folder_causes[0])
    if failures:
        raise RenderError("\n".join(message for _, message in failures))


def stop_workers(client, topic: str) -> None:
    """Tell workers rendering this client's clips to drop them (they ask between animations)."""
    from distributed import Event

    Event(stop_event_name(topic), client=client).set()


def _wait(events: list[threading.Event]) -> None:
    # Events, not Thread.join: a join interrupted by Ctrl-C can stop waiting for good.
    for done in events:
        while not done.wait(0.2):
            pass


def _remember(settings: RenderSettings, timings: dict[str, tuple[str, float]]) -> None:
    path = _timings_file(settings)
    try:
        known = json.loads(path.read_text())
    except (OSError, ValueError):
        known = {}
    known.setdefault(settings.quality, {}).update({scene: round(seconds, 1) for scene, seconds in timings.values()})
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    temporary.write_text(json.dumps(known, indent=1))
    os.replace(temporary, path)  # renders finishing at once each leave a whole file
