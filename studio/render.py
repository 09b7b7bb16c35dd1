"""Render stage clips: in parallel worker processes, only those whose inputs changed.

A clip's *key* hashes everything its pictures depend on: its scene module, the shared
scene code, reluviz, the worker's settings, manim's version, the quality and theme,
and (only for the stages that use them) the weights and data, or the lesson file.
Finished clips are kept in ``out/.cache/clips/<key>/`` and linked into place under
their final names; nothing half-written ever carries a final name.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from importlib.metadata import version
from pathlib import Path

import reluviz
import reluviz.scenes as scene_modules
from reluviz.data import DEFAULT_DATA
from reluviz.stages import Stage
from reluviz.weights import LESSON_FILE, Weights

from . import cache, captions, media, soundtrack
from .narration import recordings_fingerprint, synthesized_voice
from .settings import X264_OPTIONS, RenderSettings

SCENES_DIR = Path(scene_modules.__file__).parent
STUDIO_DIR = Path(__file__).parent
#: Code every clip depends on besides the scene modules: reluviz's own modules (not the
#: scenes and studio packages that an installed reluviz holds), and the worker's.
SHARED_CODE = (
    *sorted(p for p in Path(reluviz.__file__).parent.glob("*.py")),
    STUDIO_DIR / "worker.py",
    STUDIO_DIR / "speedups.py",
    STUDIO_DIR / "narration.py",
)


class RenderError(RuntimeError):
    pass


@dataclass(frozen=True)
class ClipJob:
    """One clip to exist under ``stem`` in the output folder."""

    stem: str  # "01_definition"
    scene: str  # module in scenes/ that draws it
    key: str
    cached: Path  # the clip's folder in the cache
    scene_args: dict = field(default_factory=dict)
    transparent: bool = False  # a WebM with an alpha channel (clip.webm) instead of an MP4 (clip.mp4)

    @property
    def video(self) -> Path:
        return self.cached / ("clip.webm" if self.transparent else "clip.mp4")

    @property
    def label(self) -> str:
        return self.stem.replace("_", " ", 1) if self.stem[:2].isdigit() else self.stem.replace("_", " ")


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
        values["data"] = hashlib.sha256(weights.data_path.read_bytes()).hexdigest()
    return values


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
        header["data"] = hashlib.sha256((weights.data_path or DEFAULT_DATA).read_bytes()).hexdigest()
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
    return ClipJob(stem, stage.name, key, settings.cache / "clips" / key, transparent=transparent)


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


class Worker:
    """One ``studio.worker`` process, fed jobs one at a time (manim loads once per process)."""

    def __init__(self, settings: RenderSettings, number: int) -> None:
        log = _log_path(settings, f"worker-{number}")
        self.log_path = log
        self._log = open(log, "a")  # noqa: SIM115  (closed in close())
        self.process = subprocess.Popen(
            [sys.executable, "-m", "reluviz.studio.worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log,
            text=True,
            start_new_session=True,  # Ctrl-C reaches the parent only, which then stops us
        )

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        if self.alive():
            os.killpg(self.process.pid, signal.SIGTERM)

    def close(self) -> None:
        if self.alive():
            self.process.stdin.close()
            self.process.wait()
        self._log.close()

    def run(self, spec: dict, on_step) -> float:
        """Send one job and wait for it; returns seconds of video, or raises RenderError."""
        self.process.stdin.write(json.dumps(spec) + "\n")
        self.process.stdin.flush()
        for line in self.process.stdout:
            try:
                event = json.loads(line)
            except json.JSONDecodeError:
                continue
            if event["event"] == "step":
                on_step(event["seconds"])
            elif event["event"] == "done":
                return event["seconds"]
            elif event["event"] == "error":
                raise RenderError(f"{event['message']} (log: {spec['log']})")
        status = self.process.wait()
        raise RenderError(f"the worker stopped (exit status {status}){self._last_words()} (log: {self.log_path})")

    def _last_words(self) -> str:
        """The last line the worker wrote to its log (a traceback's last line says why it stopped)."""
        try:
            lines = [line.strip() for line in self.log_path.read_text(errors="replace").splitlines() if line.strip()]
        except OSError:
            return ""
        return f": {lines[-1]}" if lines else ""


def _log_path(settings: RenderSettings, name: str) -> Path:
    """A log of this process only: renders running at once never write the same log."""
    path = settings.cache / "logs" / f"{name}.{os.getpid()}.log"
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def _render_one(job: ClipJob, worker: Worker, settings: RenderSettings, weights: Weights, progress: Progress) -> float:
    """Render ``job`` into the clip cache through ``worker``; returns the wall seconds it took."""
    label = job.label
    work = cache.scratch(settings.cache, job.key)
    log_path = _log_path(settings, job.stem)
    log_path.unlink(missing_ok=True)
    spec = {
        "scene": job.scene,
        "scene_args": job.scene_args,
        "weights": os.path.abspath(weights.path),  # the worker runs in another folder
        "theme": settings.theme,
        "quality": settings.quality,
        "out_dir": str(work),
        "stem": "clip",
        "clip": job.stem,
        "voice": {
            "kind": settings.voice,
            "command": settings.voice_command,
            "recordings": str(settings.recordings_dir(weights.name)),
            "cache": str(settings.cache / "voice"),
        },
        "transparent": job.transparent,
        "log": str(log_path),
        # TeX is shared (workers take turns typesetting, see scenes/widgets.py); text SVGs
        # are made per job, so renders running at once never write the same file
        "tex_dir": str(cache.tex_folder(settings.cache)),
        "text_dir": str(work / "text"),
    }
    started = time.monotonic()
    progress.say(label, "rendering")

    def on_step(seconds: float) -> None:
        progress.say(label, f"{seconds:5.1f} s of video  ({time.monotonic() - started:.0f} s)", force=False)

    try:
        seconds = worker.run(spec, on_step)
        beats = json.loads((work / "beats.json").read_text())
        (work / "clip.srt").write_text(captions.to_srt(captions.from_beats(beats["beats"])), encoding="utf-8")
        if job.transparent:  # an overlay for video editors: no sound
            info = media.probe(work / "clip.webm")
        else:
            track = soundtrack.narration_track(beats["beats"], seconds, work)
            soundtrack.pack(work / "clip.mp4", track, work / "clip.srt", work / "final.mp4")
            os.replace(work / "final.mp4", work / "clip.mp4")
            if track is not None:
                track.unlink()
            info = media.probe(work / "clip.mp4")
        (work / "info.json").write_text(json.dumps({**asdict(info), "seconds": seconds}))
        for leftover in ("media", "partial_movie_files", "text"):
            shutil.rmtree(work / leftover, ignore_errors=True)
        cache.install(work, job.cached)
    except RenderError as error:
        raise RenderError(f"{job.stem}: {error}") from None
    finally:
        shutil.rmtree(work, ignore_errors=True)
    elapsed = time.monotonic() - started
    progress.say(label, f"done: {info.duration:.1f} s of video in {elapsed:.0f} s")
    return elapsed


def _timings_file(settings: RenderSettings) -> Path:
    return settings.cache / "timings.json"


def _expected_seconds(settings: RenderSettings) -> dict[str, float]:
    """Wall seconds each scene took last time at this quality: longest first keeps both cores busy."""
    try:
        return json.loads(_timings_file(settings).read_text()).get(settings.quality, {})
    except (OSError, ValueError):
        return {}


def render_clips(jobs: list[ClipJob], settings: RenderSettings, weights: Weights) -> dict[str, float]:
    """Make sure every job's clip is in the cache, intact; returns wall seconds per rendered stem.

    Every job gets a closing line: unchanged, done, failed, or not rendered (after Ctrl-C or
    another clip's failure stopped the render).
    """
    cache.remove_abandoned_scratch(settings.cache)
    todo = []
    for job in jobs:
        if cache.entry_ok(job.cached):
            print(f"  {job.label:<22} unchanged", flush=True)
        else:
            if (job.cached / "info.json").exists():
                print(f"  {job.label:<22} damaged in the cache: rendering it again", flush=True)
            todo.append(job)
    if not todo:
        return {}
    for name in media.TOOLS:  # a missing program stops the render here, named, not inside a worker
        media.tool(name)
    synthesized_voice(settings.voice, settings.voice_command).check()  # and so does a voice that cannot speak
    expected = _expected_seconds(settings)
    queue = sorted(todo, key=lambda job: -expected.get(job.scene, 0.0))  # stable: story order without hints
    lock, progress, timings, failures = threading.Lock(), Progress(), {}, []
    workers = [Worker(settings, n) for n in range(min(settings.jobs, len(todo)))]
    finished = [threading.Event() for _ in workers]

    def render_or_reuse(job: ClipJob, worker: Worker) -> None:
        # Another render into the same out/ may be making this very clip: one renders, the other waits and reuses.
        with cache.locked(settings.cache, job.key):
            if cache.entry_ok(job.cached):
                progress.say(job.label, "made by another render: reused")
                return
            timings[job.stem] = (job.scene, _render_one(job, worker, settings, weights, progress))

    def serve(slot: int, done: threading.Event) -> None:
        try:
            while True:
                with lock:
                    if not queue:
                        return
                    job = queue.pop(0)
                    if not workers[slot].alive():  # replaced in the list, so Ctrl-C reaches it too
                        workers[slot].close()
                        workers[slot] = Worker(settings, len(workers) + slot)
                    worker = workers[slot]
                try:
                    render_or_reuse(job, worker)
                except RenderError as error:
                    failures.append((job, str(error)))
                except OSError as error:  # a full disk, a name too long: said once, in a line
                    failures.append((job, f"{job.stem}: {error.strerror or error} ({error.filename or 'writing'})"))
                except Exception as error:  # never end a serving thread silently
                    failures.append((job, f"{job.stem}: {type(error).__name__}: {error}"))
        finally:
            done.set()

    def wait_for_all() -> None:
        # Events, not Thread.join: a join interrupted by Ctrl-C can stop waiting for good.
        for done in finished:
            while not done.wait(0.2):
                pass

    for slot, done in enumerate(finished):
        threading.Thread(target=serve, args=(slot, done), daemon=True).start()
    try:
        wait_for_all()
    except KeyboardInterrupt:
        with lock:
            left = list(queue)
            queue.clear()
            for worker in workers:
                worker.stop()
        wait_for_all()  # each thread removes its half-made clip before it ends
        for job in left:
            progress.say(job.label, "not rendered (interrupted)")
        raise
    finally:
        for worker in workers:
            worker.close()
    _remember(settings, timings)
    for job, _ in failures:
        progress.say(job.label, "failed")
    if failures:
        raise RenderError("\n".join(message for _, message in failures))
    return {stem: seconds for stem, (_, seconds) in timings.items()}


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
