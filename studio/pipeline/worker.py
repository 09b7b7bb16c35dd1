"""What a Dask worker runs: one stage clip, from a task that carries everything it needs.

A worker may sit on another machine, with no view of the client's out/ folder: the task
brings the weights (as numbers), what its scene draws of their data (a few hundred points at
most, whatever the size of the data file), the words a words file gives the clip and the
user's recordings as bytes, and
the finished clip goes back as bytes with the sha256 of every file, for the client to
check and put in its cache. When the task names a *store* (a folder this worker shares
with the client: out/.cache itself on a LocalCluster, or ``CACHE=``), the worker puts the
sealed entry there instead and only the sums travel.

The worker process stays up between tasks, so manim loads once per worker. Scenes render
through ``scenes.manim_internals.FastCairoRenderer`` on the manim versions it was checked against,
through manim's own renderer on any other (with one warning line in the clip's log).
"""

from __future__ import annotations

import ctypes
import functools
import gc
import io
import json
import os
import shutil
import socket
import sys
import tempfile
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import asdict, dataclass, field
from pathlib import Path

from reluviz.drawn_data import DrawnData
from reluviz.files.weights import Weights
from reluviz.model import PlaneWeights
from reluviz.studio.pipeline import cache, tex_format
from reluviz.studio.pipeline.fingerprint import clip_code
from reluviz.words.templates import NO_WORDS, ClipWords

#: Seconds between progress reports a worker sends while a clip renders.
PROGRESS_EVERY = 4.0


class ClipFailed(RuntimeError):
    """A clip that could not be made: one line for the user, the traceback for its log.

    Two causes lie in a folder rather than the clip, and the client says them once for the
    render: ``full_disk``, the file being written when its disk was full (the client names the
    disk by the user's folder on it), and ``cache_removed`` (the message says which folder)."""

    def __init__(self, message: str, log: str, full_disk: str = "", cache_removed: bool = False) -> None:
        super().__init__(message)
        self.log, self.full_disk, self.cache_removed = log, full_disk, cache_removed

    def __reduce__(self):  # travels back to the client with every part
        return (ClipFailed, (self.args[0], self.log, self.full_disk, self.cache_removed))


@dataclass(frozen=True)
class ClipTask:
    key: str  # the clip's content key: its cache entry's name
    clip: str  # "01_definition": names the beats' recordings and the log
    scene: str  # module in scenes/ that draws it
    weights: Weights | PlaneWeights  # Part III's clips carry the two-input network
    data: DrawnData | None  # what the scene draws of the weights' data, for a stage that uses them
    quality: str
    theme: str
    transparent: bool
    voice: str
    voice_command: str
    voice_timeout: float  # seconds the voice may take per sentence
    unrecorded_voice: str  # VOICE=recorded: who speaks the beats nobody recorded (settings.unrecorded_voice)
    code: str  # the client's digest of the code that makes the clip (fingerprint.clip_code)
    topic: str  # where progress reports go (the client subscribes to it)
    recordings: dict[str, bytes] = field(default_factory=dict)  # "<beat>.wav" -> bytes, VOICE=recorded
    recordings_named: str = ""  # the user's folder of them, voice/<weights>/, as messages name it
    scene_args: dict = field(default_factory=dict)
    words: ClipWords = NO_WORDS  # what a words file changes in the clip: its titles and beats
    store: str | None = None  # a folder shared with the client: the entry goes to <store>/clips/<key>
    # on a real cluster, ask between animations whether the client was stopped (a LocalCluster's
    # workers are stopped with it)
    asks_to_stop: bool = False


@dataclass(frozen=True)
class FinishedClip:
    key: str
    seconds: float  # of video
    elapsed: float  # wall seconds the worker took
    sums: dict[str, str]  # file name -> sha256, of every file of the entry
    files: dict[str, bytes]  # the files themselves; empty when they went to the store
    log: str
    worker: str


#: Festival kept running between a clip's sentences saves a third of each one's CPU, but holds
#: 54 MB meanwhile: beside 1080p frames, one per worker raised the render's highest memory from
#: 943 to 1042 MiB. So it is kept for clips with smaller frames only.
KEEP_VOICE_BELOW_PIXELS = 1920 * 1080


#: The folder in a clip's scratch where its TeX compiles (its SVGs are shared beside, in the TeX folder).
OWN_TEX = "tex"


@dataclass(frozen=True)
class Workplace:
    """Where a worker makes a clip: its scratch folder (the video, poster and beats land
    there), the TeX folder its clips share, the speech cache, and the task's recordings."""

    out: Path
    tex: Path
    speech: Path
    recordings: Path


def story_inputs(task: ClipTask):
    """The scene's inputs: the network the task carries, in the place its kind is read from."""
    from reluviz.scenes.framework.inputs import StoryInputs

    if isinstance(task.weights, PlaneWeights):
        return StoryInputs(plane=task.weights, theme=task.theme, words=task.words)
    return StoryInputs(weights=task.weights, theme=task.theme, data=task.data, words=task.words)


def render_scene(task: ClipTask, place: Workplace, renderer_class: type | None = None, on_step=None):
    """Render ``task``'s scene into ``place.out``; returns the scene. ``renderer_class`` None:
    manim's own renderer."""
    from manim import config, tempconfig
    from PIL import Image

    from reluviz.scenes import scene_class
    from reluviz.scenes.framework.widgets import TEMPLATE, svgs_shared_through
    from reluviz.studio.media.narration import VoiceNarrator, synthesized_voice
    from reluviz.studio.settings import QUALITIES, VP9_ALPHA_OPTIONS, X264_OPTIONS

    quality = QUALITIES[task.quality]
    options = {
        "pixel_width": quality.width,
        "pixel_height": quality.height,
        "frame_rate": quality.fps,
        "media_dir": str(place.out / "media"),
        "text_dir": str(place.out / "text"),
        "video_dir": str(place.out),
        "output_file": "clip",
        "format": "webm" if task.transparent else "mp4",
        "transparent": task.transparent,
        "disable_caching": True,  # our own keys decide what re-renders; hashing every frame's mobjects costs time
        "progress_bar": "none",
        # frames waiting for x264 (manim's default is 8; a 1080p frame is 3 MB): six 1080p clips,
        # the workers' highest 415 and 411 MiB with 8, 395 and 377 with 2, in the same CPU time
        "encoder_queue_size": 2,
        "verbosity": "WARNING",
        "video_encoder_options": dict(VP9_ALPHA_OPTIONS if task.transparent else X264_OPTIONS),
    }
    recorded = task.voice == "recorded"
    narrator = VoiceNarrator(
        synthesized_voice(
            task.voice,
            task.voice_command,
            task.voice_timeout,
            task.unrecorded_voice,
            keep_running=quality.width * quality.height < KEEP_VOICE_BELOW_PIXELS,
        ),
        place.speech,
        task.clip,
        place.recordings if recorded else None,
        Path(task.recordings_named) if recorded else None,
    )
    # manim lists the animations' movies for ffmpeg in quotes: a quote in out/'s path would end
    # them, so they go elsewhere then (only then: a killed worker leaves its temporary folder)
    elsewhere = nullcontext() if cache.plain_path(place.out) else tempfile.TemporaryDirectory(prefix="reluviz-parts-")
    with (
        elsewhere as parts,
        tempconfig(options),
        # latex loads a format that has read the story's template already (studio/pipeline/tex_format.py)
        tex_format.formats_from(tex_format.preloaded_formats(place.tex, TEMPLATE.documentclass, TEMPLATE.preamble)),
        svgs_shared_through(place.tex),
    ):
        if parts is not None:
            config.partial_movie_dir = parts
        # TeX compiles in the clip's own folder, its SVGs shared through place.tex (scenes/framework/widgets.py)
        config.tex_dir = str(Path(parts or place.out) / OWN_TEX)
        scene = scene_class(task.scene)(
            inputs=story_inputs(task),
            renderer=None if renderer_class is None else renderer_class(),
            narrator=narrator,
            **task.scene_args,
        )
        if on_step is not None:
            scene.on_step = on_step
        scene.render()
        # The closing frame is still on the camera: the poster, without decoding the video again.
        pixels = scene.renderer.get_frame()
        Image.fromarray(pixels if task.transparent else pixels[..., :3]).save(place.out / "poster.png")
        beats = {"beats": [beat.as_dict() for beat in scene.beats], "missing_recordings": narrator.missing}
        (place.out / "beats.json").write_text(json.dumps(beats, indent=1))
    return scene


@functools.cache
def _renderer_class() -> tuple[type | None, str]:
    """Chosen once per worker process: (the renderer class, the warning about it, if any)."""
    from reluviz.scenes.framework.manim_internals import fast_renderer_class

    warning = io.StringIO()
    return fast_renderer_class(warning), warning.getvalue()


def _folder() -> Path:
    """This worker's own folder for TeX, speech and scratch: under the folder ``dask worker
    --local-directory`` gave it, so workers on one machine never share half-made files."""
    try:
        from distributed import get_worker

        base = Path(get_worker().local_directory)
    except ValueError:  # called outside a worker (a test): a folder of this process
        base = Path(tempfile.gettempdir()) / f"reluviz-worker-{os.getpid()}"
    folder = base / "reluviz"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@contextmanager
def _stderr_kept(kept: list[str]) -> Iterator[None]:
    """What a scene's programs print on stderr while it renders (latex, dvisvgm, manim's own
    warnings) goes into ``kept``, for the clip's log, not onto the render's terminal: the client
    says what went wrong, in one line."""
    sys.stderr.flush()
    terminal = os.dup(2)
    with tempfile.TemporaryFile() as said:
        os.dup2(said.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(terminal, 2)
            os.close(terminal)
            said.seek(0)
            kept.append(said.read().decode(errors="replace"))


def _report(topic: str, message: dict) -> None:
    try:
        from distributed import get_worker

        get_worker().log_event(topic, message)
    except ValueError:  # not in a worker: nobody to tell
        pass


class ClipStopped(Exception):
    """The client was stopped (Ctrl-C): the clip is abandoned between two animations."""


def stop_event_name(topic: str) -> str:
    return f"{topic}-stop"


def _stopped(topic: str) -> bool:
    """Whether the client that sent the task has been stopped: Dask cannot interrupt a task
    once it runs, so a worker of a real cluster asks, every few seconds."""
    from distributed import Event

    return Event(stop_event_name(topic)).is_set()


def _worker_name() -> str:
    try:
        from distributed import get_worker

        return get_worker().address
    except ValueError:
        return f"{socket.gethostname()} pid {os.getpid()}"


def render_clip(task: ClipTask) -> FinishedClip:
    """Make ``task``'s cache entry: render, add the captions and the narration, probe it; then
    put it in the store or send it back."""
    from reluviz.studio.media import captions, clip_files, ffmpeg, soundtrack
    from reluviz.studio.settings import QUALITIES

    name = _worker_name()
    if task.code != clip_code(task.scene):
        raise ClipFailed(
            f"the worker {name} runs other reluviz code than this client; install the same version on every machine",
            "",
        )
    renderer_class, warning = _renderer_class()
    home = Path(task.store) if task.store else _folder()
    work = cache.scratch(home, task.key)
    # TeX's SVGs are shared by the clips of this worker and of the others (see
    # scenes/framework/widgets.py); text SVGs are made per clip
    tex = cache.tex_folder(home)
    started = time.monotonic()
    last_report = [0.0]

    def on_step(scene) -> None:
        now = time.monotonic()
        if now - last_report[0] >= PROGRESS_EVERY:
            last_report[0] = now
            _report(task.topic, {"key": task.key, "event": "step", "seconds": round(scene.time, 1)})
            if task.asks_to_stop and _stopped(task.topic):
                raise ClipStopped()

    _report(task.topic, {"key": task.key, "event": "start"})
    said: list[str] = []  # what the scene's programs printed on stderr
    try:
        recordings = work / "recordings"
        for beat, content in task.recordings.items():
            (recordings / task.clip).mkdir(parents=True, exist_ok=True)
            (recordings / task.clip / beat).write_bytes(content)
        place = Workplace(work, tex, home / "voice", recordings)
        _settle_imports(task.scene)
        with _stderr_kept(said):
            # only its length is kept: the scene (its pictures and mobjects, tens of MB) is freed below
            seconds = round(render_scene(task, place, renderer_class, on_step).time, 3)
        # the drawing's memory back before the sound is made and packed (an ffmpeg of 50 to 90 MB
        # beside this worker): the other worker may be drawing at its highest meanwhile
        _give_back_memory()
        beats = json.loads((work / "beats.json").read_text())
        (work / "clip.srt").write_text(captions.to_srt(captions.from_beats(beats["beats"])), encoding="utf-8")
        if task.transparent:  # an overlay for video editors: no sound
            info = ffmpeg.probe(work / "clip.webm")
        else:
            track = soundtrack.narration_track(beats["beats"], seconds, work)
            cuts = clip_files.beat_cuts(work)
            soundtrack.pack(
                work / "clip.mp4", track, work / "clip.srt", work / "final.mp4", cuts, QUALITIES[task.quality].fps
            )
            os.replace(work / "final.mp4", work / "clip.mp4")
            if track is not None:
                track.unlink()
            info = ffmpeg.probe(work / "clip.mp4")
            clip_files.make_captions(work)
        (work / "info.json").write_text(json.dumps({**asdict(info), "seconds": seconds}))
        for leftover in ("media", "partial_movie_files", "text", OWN_TEX, "recordings"):
            shutil.rmtree(work / leftover, ignore_errors=True)
        elapsed = time.monotonic() - started
        log = f"{warning}{''.join(said)}rendered by {name} in {elapsed:.1f} s\n"
        if task.store:
            cache.install(work, Path(task.store) / "clips" / task.key)
            sums = cache.entry_sums(Path(task.store) / "clips" / task.key)
            return FinishedClip(task.key, seconds, elapsed, sums, {}, log, name)
        cache.seal(work)
        sums = cache.entry_sums(work)
        files = {file: (work / file).read_bytes() for file in sums}
        return FinishedClip(task.key, seconds, elapsed, sums, files, log, name)
    except Exception as error:  # the client prints one line; the traceback goes to the clip's log
        log = f"{warning}{''.join(said)}on {name}:\n{traceback.format_exc()}"
        failure = _failure(error, log, name, home, work, tex)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        _give_back_memory()
    # Raised here, not in the handler, to travel without the error it replaces: Dask pickles an
    # exception's whole chain, and one of PyAV's (a full disk while encoding) does not unpickle.
    raise failure


def _settle_imports(scene: str) -> None:
    """Once per worker, before its first clip: what importing manim and the scenes made (about
    128,000 objects, there for the worker's life) is frozen out of the collector's sight. Every
    collection, Python's own as a clip renders and ``_give_back_memory``'s, scanned them all
    again: about 0.1 s of CPU a clip. Only what imports made: what a clip makes, frozen, is never
    freed once it is part of a cycle (frozen after the first clip, a worker grew 15 MiB a clip)."""
    if gc.get_freeze_count():
        return
    import manim  # noqa: F401

    from reluviz.scenes import scene_class

    scene_class(scene)  # its module and what it imports
    gc.collect()
    gc.freeze()


def _give_back_memory() -> None:
    """Hand the memory a finished clip freed back to the system: the worker waits for its next
    clip beside the other worker's, and each clip left its own freed pages in glibc's heap (the
    workers' memory grew clip by clip, about 30 MiB each over six 1080p clips)."""
    gc.collect()
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (AttributeError, OSError):  # not glibc: nothing to trim this way
        pass


def _failure(error: Exception, log: str, worker: str, home: Path, work: Path, tex: Path) -> ClipFailed:
    """``error``, which stopped a clip made in ``work`` with TeX in ``tex`` (both in the cache
    ``home``), as the user is told it."""
    # whatever failed in a removed cache (TeX, manim, ffmpeg) failed for that: its own words would mislead
    removed = cache.removed_while_rendering(work, home) or cache.removed_while_rendering(tex, home)
    if removed:
        return ClipFailed(removed, log, cache_removed=True)
    full_disk = cache.full_disk_at(error, work)
    if isinstance(error, OSError) and error.strerror:  # a full disk, a name too long: said as such
        message = f"{error.strerror} ({error.filename or 'writing'}) on {worker}"
    else:
        message = f"{type(error).__name__}: {error}"
    return ClipFailed(message, log, str(full_disk or ""))
