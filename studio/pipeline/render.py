"""Make the clips a render needs on a Dask cluster (see ``cluster.py``): those whose cache
entry is missing or damaged, longest first, each one's progress and closing line said.

Finished clips are kept in ``out/.cache/clips/<key>/`` (``jobs.py`` says what a key covers),
checked against the sha256 sums their worker sent; nothing half-written ever carries a
final name.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import CancelledError
from contextlib import contextmanager
from pathlib import Path

from reluviz.studio.media import ffmpeg
from reluviz.studio.media.narration import synthesized_voice
from reluviz.studio.pipeline import cache
from reluviz.studio.pipeline.cluster import RenderError, connect
from reluviz.studio.pipeline.jobs import ClipJob, clip_task, with_drawn_data
from reluviz.studio.pipeline.worker import ClipFailed, FinishedClip, render_clip, stop_event_name
from reluviz.studio.settings import RenderSettings


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


#: Wall seconds each scene took in `make bench` (2026-12-05 07:39, 1080p60, two workers): the order
#: of a render before this out/ has timings of its own. Only the order matters, and a first
#: render in story order could leave one core idle for most of the last long clip.
FIRST_RENDER_SECONDS = {
    "definition": 29.0,
    "neuron": 20.0,
    "derivative": 20.0,
    "forward_backward": 25.0,
    "network": 19.0,
    "input_to_x_axis": 33.0,
    "relu_clipping": 21.0,
    "scaling": 19.0,
    "bottom_node": 25.0,
    "summing": 17.0,
    "bias": 14.0,
    "output_relu": 19.0,
    "kink_derivative": 22.0,
    "gradient_step": 59.0,
    "training": 22.0,
    # Part III's, estimated from their low renders until a bench times them at 1080p
    "plane_unit": 30.0,
    "plane_regions": 30.0,
    "plane_sum": 35.0,
    "plane_output": 30.0,
    "plane_training": 30.0,
    "title_card": 8.0,
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
    for name in ffmpeg.TOOLS:  # a missing program stops the render here, named, not inside a worker
        ffmpeg.tool(name)
    # and so does a voice that cannot speak
    synthesized_voice(settings.voice, settings.voice_command, settings.voice_timeout, settings.unrecorded_voice).check()
    expected = _expected_seconds(settings, {job.scene for job in todo})
    queue = sorted(todo, key=lambda job: -expected.get(job.scene, 0.0))  # stable: story order among equals
    try:
        with connect(settings, min(settings.jobs, len(todo))) as (client, store):
            with folder_problems_said(settings, settings.cache):
                _render_on(client, store, queue, settings, expected)
    finally:  # half-made clips of the LocalCluster's workers stopped by Ctrl-C: theirs are gone with them
        cache.remove_abandoned_scratch(settings.cache)


#: Every clip's Dask key starts so: Dask queues a large group of tasks of one key prefix on the
#: scheduler and hands each to the first free worker, longest first (their priority), all but the
#: first few; a prefix of its own made each clip a group of one, given to a worker when submitted,
#: by a guess of its length (make bench, 2026-12-05: a core idle for 96 s while the other rendered).
CLIP_KEY_PREFIX = "clip"


#: Seconds a clip waits for the one before it in the queue to be submitted: clips go to the
#: cluster longest first, unless the one before waits on another render (one out/, two renders).
SUBMIT_TURN_WAIT = 5.0


def clip_task_key(job: ClipJob) -> str:
    """The clip's task key on the cluster: the shared prefix, then its name and cache key."""
    return f"{CLIP_KEY_PREFIX}-{job.stem}-{job.key}-{uuid.uuid4().hex[:8]}"


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

    def make(job: ClipJob, turn: threading.Event, submitted: threading.Event) -> None:
        # Another render into the same out/ may be making this very clip: one renders, the other waits and reuses.
        with cache.locked(settings.cache, job.key):
            try:
                if stopping.is_set():
                    return
                if cache.entry_ok(job.cached):
                    progress.say(job.label, "made by another render: reused")
                    return
                task = clip_task(job, settings, store, topic)
                # The first clips submitted go straight to the workers, whatever their priority:
                # submitted as their threads got there, a short clip could take a core before the longest.
                turn.wait(SUBMIT_TURN_WAIT)
                with lock:
                    if stopping.is_set():
                        return
                    futures[job.key] = client.submit(
                        render_clip,
                        task,
                        key=clip_task_key(job),
                        priority=round(expected.get(job.scene, 0.0) * 10),  # longest first
                        pure=False,
                    )
            finally:
                submitted.set()
            finished = futures[job.key].result()
            _log_path(settings, _log_name(job)).write_text(finished.log)
            _take(job, finished, settings)
        timings[job.key] = (job.scene, finished.elapsed)
        info = json.loads((job.cached / "info.json").read_text())
        progress.say(job.label, f"done: {info['duration']:.1f} s of video in {finished.elapsed:.0f} s")

    def serve(job: ClipJob, turn: threading.Event, submitted: threading.Event, done: threading.Event) -> None:
        try:
            with folder_problems_said(settings, settings.cache):
                make(job, turn, submitted)
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
            submitted.set()  # (a failure before submitting: the next clip's turn all the same)
            done.set()

    finished = []
    turn = threading.Event()
    turn.set()
    for job in queue:
        submitted, done = threading.Event(), threading.Event()
        finished.append(done)
        threading.Thread(target=serve, args=(job, turn, submitted, done), daemon=True).start()
        turn = submitted
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
