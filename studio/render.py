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
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from importlib.metadata import version
from pathlib import Path

from reluviz.data import DEFAULT_DATA
from reluviz.stages import Stage
from reluviz.weights import LESSON_FILE, Weights

from . import media
from .settings import ROOT, X264_OPTIONS, RenderSettings

SCENES_DIR = ROOT / "scenes"
#: Code every clip depends on besides its own scene module.
SHARED_CODE = (ROOT / "reluviz", ROOT / "studio" / "worker.py", ROOT / "studio" / "speedups.py")


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
    for path in SHARED_CODE:
        files += sorted(path.rglob("*.py")) if path.is_dir() else [path]
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


def stage_job(stage: Stage, settings: RenderSettings, weights: Weights, transparent: bool = False) -> ClipJob:
    key = clip_key(stage.name, stage.uses, settings, weights, extra={"transparent": True} if transparent else None)
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


def _run_worker(job: ClipJob, settings: RenderSettings, weights: Weights, progress: Progress, processes: dict) -> float:
    """Render ``job`` into the clip cache; returns seconds of video."""
    label = job.label
    work = settings.cache / "tmp" / f"{job.key}.{os.getpid()}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    log_path = settings.cache / "logs" / f"{job.stem}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    spec = {
        "scene": job.scene,
        "scene_args": job.scene_args,
        "weights": str(weights.path),
        "theme": settings.theme,
        "quality": settings.quality,
        "out_dir": str(work),
        "stem": "clip",
        "transparent": job.transparent,
        # TeX is shared (the worker takes turns compiling, see studio/speedups.py); text SVGs
        # are kept per scene, where parallel workers never write the same file
        "tex_dir": str(settings.cache / "latex"),
        "text_dir": str(settings.cache / "text" / job.scene),
    }
    started = time.monotonic()
    progress.say(label, "rendering")
    seconds, error = 0.0, None
    try:
        with open(log_path, "w") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "studio.worker", json.dumps(spec)],
                cwd=ROOT,
                stdout=subprocess.PIPE,
                stderr=log,
                text=True,
                start_new_session=True,
            )
            processes[job.stem] = process
            for line in process.stdout:
                try:
                    event = json.loads(line)
                except json.JSONDecodeError:
                    continue
                if event["event"] == "step":
                    seconds = event["seconds"]
                    progress.say(label, f"{seconds:5.1f} s of video  ({time.monotonic() - started:.0f} s)", force=False)
                elif event["event"] == "error":
                    error = event["message"]
            process.wait()
        if process.returncode != 0:
            raise RenderError(f"{job.stem}: {error or f'worker exited with {process.returncode}'} (log: {log_path})")
        if job.transparent:
            info = media.probe(work / "clip.webm")
        else:
            media.faststart(work / "clip.mp4", work / "final.mp4")
            os.replace(work / "final.mp4", work / "clip.mp4")
            info = media.probe(work / "clip.mp4")
        (work / "info.json").write_text(json.dumps({**asdict(info), "seconds": seconds}))
        for leftover in ("media", "partial_movie_files"):
            shutil.rmtree(work / leftover, ignore_errors=True)
        job.cached.parent.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(job.cached, ignore_errors=True)
        os.replace(work, job.cached)  # the whole clip appears at once, or not at all
    finally:
        shutil.rmtree(work, ignore_errors=True)
    elapsed = time.monotonic() - started
    progress.say(label, f"done: {info.duration:.1f} s of video in {elapsed:.0f} s")
    return elapsed


def render_clips(jobs: list[ClipJob], settings: RenderSettings, weights: Weights) -> dict[str, float]:
    """Make sure every job's clip is in the cache; returns wall seconds per rendered stem."""
    todo = [job for job in jobs if not (job.cached / "info.json").exists()]
    for job in jobs:
        if job not in todo:
            print(f"  {job.label:<22} unchanged", flush=True)
    if not todo:
        return {}
    media.tool("ffmpeg")
    progress, processes, timings = Progress(), {}, {}
    with ThreadPoolExecutor(max_workers=settings.jobs) as pool:
        futures = {job.stem: pool.submit(_run_worker, job, settings, weights, progress, processes) for job in todo}
        try:
            failures = []
            for stem, future in futures.items():
                try:
                    timings[stem] = future.result()
                except RenderError as error:
                    failures.append(str(error))
            if failures:
                raise RenderError("\n".join(failures))
        except KeyboardInterrupt:
            for future in futures.values():
                future.cancel()
            for process in processes.values():
                if process.poll() is None:
                    os.killpg(process.pid, 15)
            raise
    return timings
