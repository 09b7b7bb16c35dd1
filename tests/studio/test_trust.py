"""Outputs you can trust: a damaged cache is healed, not published; a subset render keeps
the whole kit; renders running at once into one out/ all finish; odd paths and odd
settings are handled or refused in one line."""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pytest
from instruments.cache_entries import hand_made_entry

from reluviz.studio.media import ffmpeg
from reluviz.studio.media.film import Chapter, assemble
from reluviz.studio.pipeline import cache
from reluviz.words.stages import STAGES

#: Renders whose sound is not the point run silent: paced the same, and quicker.
SILENT = ("--voice", "none")


def decodes_to_the_end(path: Path) -> bool:
    """ffmpeg decodes every frame without an error (a truncated MP4 does not)."""
    result = subprocess.run(
        ["ffmpeg", "-v", "error", "-xerror", "-i", str(path), "-f", "null", "-"], capture_output=True, text=True
    )
    return result.returncode == 0 and not result.stderr.strip()


def cached_clip(out: Path, stem: str) -> Path:
    """The cache entry behind a published clip: the one whose recorded sum the clip has."""
    published = cache.sha256(out / "relu" / "low" / f"{stem}.mp4")
    (entry,) = [e for e in (out / ".cache" / "clips").iterdir() if cache.recorded_sum(e, "clip.mp4") == published]
    return entry


def test_a_damaged_cache_entry_is_rendered_again_not_published(tmp_path, run_render):
    out = tmp_path / "out"
    assert run_render(out, *SILENT, "--stages", "bias").returncode == 0
    entry = cached_clip(out, "11_bias")
    with open(entry / "clip.mp4", "r+b") as handle:
        handle.truncate(2000)
    result = run_render(out, *SILENT, "--stages", "bias")
    assert result.returncode == 0, result.stderr
    assert "11 bias                damaged in the cache: rendering it again" in result.stdout
    published = out / "relu" / "low" / "11_bias.mp4"
    assert decodes_to_the_end(published) and ffmpeg.probe(published).duration > 8
    assert decodes_to_the_end(cached_clip(out, "11_bias") / "clip.mp4")


def test_a_published_file_edited_in_place_leaves_the_cache_alone(tmp_path, run_render):
    out = tmp_path / "out"
    assert run_render(out, *SILENT, "--stages", "bias").returncode == 0
    srt = out / "relu" / "low" / "11_bias.srt"
    original = srt.read_text()
    entry = cached_clip(out, "11_bias")
    with open(srt, "a") as handle:  # an editor writing into the file, not replacing it
        handle.write("\n99\n00:00:01,000 --> 00:00:02,000\nedited\n")
    assert (entry / "clip.srt").read_text() == original, "the cache changed with the published file"
    result = run_render(out, *SILENT, "--stages", "bias")
    assert result.returncode == 0 and "unchanged" in result.stdout
    assert srt.read_text() == original, "the next render puts the clip's own captions back"


def test_a_subset_render_keeps_the_whole_kit(low_render, run_render):
    out, clips, _ = low_render
    for options in (["--stages", "bias"], ["--stages", "bias", "--transparent", "1"]):
        result = run_render(out, *options)
        assert result.returncode == 0, result.stderr
        manifest = json.loads((clips / "manifest.json").read_text())
        assert [c["name"] for c in manifest["clips"]] == [s.name for s in STAGES], options
        assert manifest["film"]["files"]["video"] == "00_relu_story.mp4"
        assert all((clips / f"{s.file_stem}.mp4").is_file() for s in STAGES), options
    assert (clips / "index.html").read_text().count("<video") == len(STAGES) + 1


@pytest.mark.heavy  # a render of its own: make test-heavy
def test_clips_of_changed_weights_leave_the_kit(tmp_path, run_render, write_weights):
    weights = write_weights(name="mine")
    out = tmp_path / "out"
    assert run_render(out, *SILENT, "--weights", str(weights), "--stages", "summing bias").returncode == 0
    weights.write_text(weights.read_text().replace("bias = -16", "bias = -12.0"))
    result = run_render(out, *SILENT, "--weights", str(weights), "--stages", "bias")
    assert result.returncode == 0, result.stderr
    folder = out / "mine" / "low"
    assert "10 summing             out of date for these weights or voice: removed from the kit" in result.stdout
    assert not list(folder.glob("10_summing.*"))
    assert [c["name"] for c in json.loads((folder / "manifest.json").read_text())["clips"]] == ["bias"]
    assert "\u221212" in (folder / "11_bias.srt").read_text()  # the new bias, with a true minus sign


@pytest.mark.heavy  # three renders at once: make test-heavy
def test_renders_running_at_once_into_one_folder_all_finish(tmp_path, write_weights):
    out = tmp_path / "out"
    other = write_weights({"bias = -16": "bias = -10.0"}, name="other")
    command = [sys.executable, "-m", "reluviz", "render", "--quality", "low", "--out", str(out), *SILENT]
    runs = [
        subprocess.Popen([*command, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for args in (
            ["--stages", "definition bias"],
            ["--stages", "definition scaling"],  # another subset: neither kit may drop the other's clip
            ["--stages", "bias", "--weights", str(other)],
        )
    ]
    results = [(*run.communicate(timeout=300), run.returncode) for run in runs]  # (stdout, stderr, code)
    for _, stderr, code in results:
        assert code == 0, stderr
    relu_stems = ("01_definition", "08_scaling", "11_bias")
    for folder, stems in ((out / "relu" / "low", relu_stems), (out / "other" / "low", ("11_bias",))):
        for stem in stems:
            assert decodes_to_the_end(folder / f"{stem}.mp4"), stem
        listed = {
            f"{clip['stage']:02d}_{clip['name']}"
            for clip in json.loads((folder / "manifest.json").read_text())["clips"]
        }
        # Part I's clip is the same for any weights: "other" lists it too if it was ready when it published
        assert set(stems) <= listed <= {*stems, "01_definition"}, listed
    # the clip both relu renders need was rendered once: the other waited for it and reused it
    assert sum(stdout.count("01 definition          done") for stdout, _, _ in results) == 1
    logs = sorted(p.name for p in (out / ".cache" / "logs").iterdir())
    assert len(logs) == len(set(logs)) and all(p.split(".")[-2].isdigit() for p in logs), logs


def test_an_apostrophe_in_the_path_does_not_break_the_film(tmp_path):
    cache_dir = tmp_path / "o'brien's out" / ".cache"
    chapters = [
        Chapter("One", hand_made_entry(cache_dir / "clips" / "a", 1.0, "first")),
        Chapter("Two", hand_made_entry(cache_dir / "clips" / "b", 2.0, "second")),
    ]
    film = assemble(chapters, cache_dir)
    assert ffmpeg.probe(film / "film.mp4").duration == pytest.approx(3.0, abs=0.1)
    assert cache.entry_ok(film)


@pytest.mark.heavy  # a render of its own: make test-heavy
def test_a_render_into_a_folder_named_with_quotes_and_percent_signs(tmp_path, run_render):
    out = tmp_path / "o'brien's 100% \"out\""  # TeX and manim's own ffmpeg lists read such paths wrongly
    result = run_render(out, *SILENT, "--stages", "definition")
    assert result.returncode == 0, result.stderr
    assert decodes_to_the_end(out / "relu" / "low" / "01_definition.mp4")


def test_scratch_left_by_a_killed_render_is_cleaned(tmp_path, run_render):
    out = tmp_path / "out"
    assert run_render(out, *SILENT, "--stages", "bias").returncode == 0
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    abandoned = out / ".cache" / "tmp" / f"0123456789abcdef.{dead.stdout.strip()}"
    (abandoned / "media").mkdir(parents=True)
    mine = out / ".cache" / "tmp" / f"0123456789abcdef.{os.getpid()}"  # a live process's: kept
    mine.mkdir()
    assert run_render(out, *SILENT, "--stages", "bias").returncode == 0
    assert not abandoned.exists() and mine.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--jobs", "0"], "reluviz: JOBS=0: expected a whole number of at least 1"),
        (["--jobs", "two"], "reluviz: JOBS=two: expected a whole number of at least 1"),
        (["--transparent", "maybe"], "reluviz: TRANSPARENT=maybe: expected 1 (or yes) to turn it on, 0 (or leave"),
    ],
)
def test_odd_settings_are_refused_in_one_line(tmp_path, run_render_alone, args, message):
    result = run_render_alone(tmp_path / "out", *args)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and result.stderr.startswith(message)
    assert not (tmp_path / "out").exists()


@pytest.fixture
def small_disk(tmp_path):
    """A 400 KB file system: enough to start a render, too small to finish one."""
    if os.geteuid() != 0:
        pytest.fail("mounting a small file system needs root (make test runs as root on CI)")
    mount = tmp_path / "small"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=400k", "tmpfs", str(mount)], check=True)
    yield mount
    subprocess.run(["umount", str(mount)], check=True)


#: What a render says when the disk of its output folder fills up, after naming the folder.
FULL_DISK = (
    "its disk is full (No space left on device); free some space there (or set RENDER_OUT to a folder on another "
    "disk) and run again; finished clips are kept"
)


def test_a_full_disk_is_one_line_and_nothing_half_written(small_disk, run_render):
    result = run_render(small_disk / "out", *SILENT, "--stages", "definition bias")
    assert result.returncode == 2
    # the output folder the user chose, not the cache file being written when the disk filled up
    assert result.stderr == f"reluviz: RENDER_OUT={small_disk / 'out'}: {FULL_DISK}\n"
    for stage in ("01 definition", "11 bias"):  # every stage asked for gets a closing line
        assert any(line.startswith(f"  {stage}") and line.endswith("failed") for line in result.stdout.splitlines())
    finished = small_disk / "out" / "relu" / "low"
    assert not finished.exists() or not list(finished.glob("*.mp4"))


def worker_pids(parent: int) -> set[int]:
    """The LocalCluster workers the render process ``parent`` runs now (multiprocessing
    children; its resource tracker is one too, but not a worker)."""
    found = set()
    for entry in Path("/proc").iterdir():
        try:
            status = (entry / "status").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, ValueError):
            continue
        if f"\nPPid:\t{parent}\n" in status and "spawn_main" in command:
            found.add(int(entry.name))
    return found


def ended(pid: int) -> bool:
    status = Path(f"/proc/{pid}/status")
    return not status.exists() or "zombie" in status.read_text()


@pytest.mark.usefixtures("started_in_the_background")
def test_a_lost_workers_clip_is_taken_up_by_its_replacement_and_ctrl_c_stops_that_too(tmp_path, render_command_line):
    command = render_command_line(tmp_path / "out", "--voice", "none", "--jobs", "1", "--stages", "definition neuron")
    render = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    first = replacement = lost = None
    for line in render.stdout:
        if first is None and line.rstrip().endswith("rendering"):
            (first,) = worker_pids(render.pid)
            os.kill(first, signal.SIGKILL)  # the only worker dies in the middle of a clip
            lost = line.split("rendering")[0]
        elif lost and line.startswith(f"{lost}rendering again (its worker was lost)"):
            (replacement,) = worker_pids(render.pid)
            render.send_signal(signal.SIGINT)  # Ctrl-C while the replacement works on it
            break
    _, errors = render.communicate(timeout=60)
    assert replacement is not None and replacement != first, "the lost clip was not rendered again"
    assert render.returncode == 130, errors
    assert errors.startswith("reluviz: interrupted") and len(errors.splitlines()) == 1, errors
    assert ended(replacement)
    # half-made clips left are the stopped workers' own: the next render removes them
    assert all(ended(int(p.name.rsplit(".", 1)[1])) for p in (tmp_path / "out" / ".cache" / "tmp").iterdir())


class InProcessClient:
    """Dask's client, as render_clips uses it, running tasks in this process (one at a time)."""

    def __init__(self) -> None:
        self.pool = ThreadPoolExecutor(1)

    def subscribe_topic(self, topic, handler) -> None:
        pass

    def submit(self, function, task, **options):
        return self.pool.submit(function, task)

    def cancel(self, futures, force=False) -> None:
        for future in futures:
            future.cancel()


def test_an_unexpected_error_in_a_clip_is_reported_not_lost(tmp_path, monkeypatch):
    from reluviz.files.weights import load_weights
    from reluviz.studio.pipeline import jobs as jobs_module
    from reluviz.studio.pipeline import render as render_module
    from reluviz.studio.pipeline.worker import FinishedClip
    from reluviz.studio.settings import RenderSettings

    settings = RenderSettings(quality="low", out=tmp_path / "out", jobs=1, voice="none")
    weights = load_weights("relu")
    jobs = [jobs_module.stage_job(s, settings, weights) for s in STAGES[:2]]
    made = []

    def flaky(task):
        if task.key == jobs[0].key:
            raise ValueError("a surprise in the pipeline")
        entry = hand_made_entry(Path(task.store) / "clips" / task.key, 1.0, "made")
        made.append(task.clip)
        return FinishedClip(task.key, 1.0, 1.0, cache.entry_sums(entry), {}, "", "this process")

    @contextmanager
    def in_process(settings, workers):
        yield InProcessClient(), str(settings.cache)

    monkeypatch.setattr(render_module, "connect", in_process)
    monkeypatch.setattr(render_module, "render_clip", flaky)
    with pytest.raises(render_module.RenderError, match="01_definition: ValueError: a surprise in the pipeline"):
        render_module.render_clips(jobs, settings)
    assert made == ["02_neuron"], "the other clip was still made"


def test_a_clip_that_arrives_damaged_never_enters_the_cache(tmp_path):
    from reluviz.files.weights import load_weights
    from reluviz.studio.pipeline import jobs as jobs_module
    from reluviz.studio.pipeline import render as render_module
    from reluviz.studio.pipeline.worker import FinishedClip
    from reluviz.studio.settings import RenderSettings

    settings = RenderSettings(quality="low", out=tmp_path / "out", voice="none")
    job = jobs_module.stage_job(STAGES[0], settings, load_weights("relu"))
    made = hand_made_entry(tmp_path / "made", 1.0, "sent")
    files = {name: (made / name).read_bytes() for name in cache.entry_sums(made)}
    files["clip.mp4"] = files["clip.mp4"][:2000]  # cut short on the way
    sent = FinishedClip(job.key, 1.0, 1.0, cache.entry_sums(made), files, "", "tcp://10.0.0.2:4000")
    with pytest.raises(render_module.RenderError, match="clip.mp4 from tcp://10.0.0.2:4000 arrived damaged"):
        render_module._take(job, sent, settings)
    assert not job.cached.exists() and not list((settings.cache / "tmp").iterdir())


def test_a_worker_with_other_code_refuses_the_clip(tmp_path):
    from reluviz.files.weights import load_weights
    from reluviz.studio.pipeline import jobs as jobs_module
    from reluviz.studio.pipeline.worker import ClipFailed, render_clip
    from reluviz.studio.settings import RenderSettings

    settings = RenderSettings(quality="low", out=tmp_path / "out", voice="none")
    job = jobs_module.stage_job(STAGES[0], settings, load_weights("relu"))
    task = jobs_module.clip_task(job, settings, None, "progress")
    with pytest.raises(ClipFailed, match="runs other reluviz code than this client"):
        render_clip(replace(task, code="0" * 24))


def _in_process(monkeypatch, render_module) -> None:
    """render_clips on a client that runs each clip in this process, with the cache as its store."""

    @contextmanager
    def in_process(settings, workers):
        yield InProcessClient(), str(settings.cache)

    monkeypatch.setattr(render_module, "connect", in_process)


def test_clips_stopped_by_a_full_disk_are_said_once_naming_the_output_folder(tmp_path, monkeypatch):
    from reluviz.files.weights import load_weights
    from reluviz.studio.pipeline import jobs as jobs_module
    from reluviz.studio.pipeline import render as render_module
    from reluviz.studio.pipeline.worker import ClipFailed
    from reluviz.studio.settings import RenderSettings

    settings = RenderSettings(quality="low", out=tmp_path / "out", jobs=1, voice="none")
    jobs = [jobs_module.stage_job(s, settings, load_weights("relu")) for s in STAGES[:2]]

    def full(task):  # what a worker sends when the disk under its scratch folder is full
        scratch = Path(task.store) / "tmp" / f"{task.key}@host.1" / "clip.mp4"
        raise ClipFailed(f"No space left on device ({scratch}) on a worker", "", full_disk=str(scratch))

    _in_process(monkeypatch, render_module)
    monkeypatch.setattr(render_module, "render_clip", full)
    with pytest.raises(render_module.RenderError) as error:
        render_module.render_clips(jobs, settings)
    assert str(error.value) == f"RENDER_OUT={settings.out}: {FULL_DISK}"


def test_a_cache_removed_while_rendering_is_said_in_one_line(tmp_path, monkeypatch):
    """out/.cache deleted in the middle of a clip: what then fails (here dvisvgm, whose missing
    SVG manim takes for an old dvisvgm) fails for that, and the render says so."""
    from reluviz.files.weights import load_weights
    from reluviz.studio.pipeline import jobs as jobs_module
    from reluviz.studio.pipeline import render as render_module
    from reluviz.studio.pipeline import worker
    from reluviz.studio.settings import RenderSettings

    settings = RenderSettings(quality="low", out=tmp_path / "out", jobs=1, voice="none")
    job = jobs_module.stage_job(STAGES[0], settings, load_weights("relu"))

    def render_while_the_cache_is_removed(task, *args):
        shutil.rmtree(settings.cache)
        raise ValueError("Your installation does not support converting .dvi files to SVG. Consider updating dvisvgm")

    _in_process(monkeypatch, render_module)
    monkeypatch.setattr(worker, "render_scene", render_while_the_cache_is_removed)
    with pytest.raises(render_module.RenderError) as error:
        render_module.render_clips([job], settings)
    assert str(error.value).startswith(f"the cache folder {settings.cache}")
    assert str(error.value).endswith("was removed while rendering; run again")


def test_the_worker_says_a_full_disk_by_the_file_it_was_writing(tmp_path):
    from reluviz.studio.pipeline.worker import _failure

    home = tmp_path / "cache"
    written, tex = home / "tmp" / "key@host.1" / "clip.mp4", home / "latex"
    for folder in (written.parent, tex):
        folder.mkdir(parents=True)
    error = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(written))
    failure = _failure(error, "log", "a worker", home, written.parent, tex)
    assert failure.full_disk == str(written) and not failure.cache_removed
    assert str(failure) == f"No space left on device ({written}) on a worker"
