"""Real renders through the command line: ffprobe checks what came out."""

from __future__ import annotations

import json
import sys
import time

import pytest

from reluviz.scenes.framework.style import LONGEST_CLIP
from reluviz.studio.media import ffmpeg
from reluviz.words.stages import PARTS, STAGES


def test_every_stage_clip_is_h264_at_the_chosen_size(low_render):
    _, clips, result = low_render
    for stage in STAGES:
        info = ffmpeg.probe(clips / f"{stage.file_stem}.mp4")
        assert (info.codec, info.pixel_format) == ("h264", "yuv420p"), stage.name
        assert (info.width, info.height, round(info.fps)) == (854, 480, 15), stage.name
        assert 8 <= info.duration <= LONGEST_CLIP, stage.name
        assert info.faststart, stage.name
        assert (clips / f"{stage.file_stem}.srt").read_text().strip(), stage.name
        assert f"{stage.number:02d} {stage.name}" in result.stdout  # progress was shown


def test_definition_clip_lasts_what_the_scene_plays(low_render):
    _, clips, _ = low_render
    info = ffmpeg.probe(clips / "01_definition.mp4")
    clip = json.loads((clips / "manifest.json").read_text())["clips"][0]
    assert clip["name"] == "definition"
    # the scene's own clock when it ended (its last beat, the closing still, ends the clip)
    assert abs(info.duration - clip["beats"][-1]["end"]) <= 1 / 15
    assert "max(0, \u22121.5) = 0" in (clips / "01_definition.srt").read_text()  # a true minus sign


def test_second_render_reuses_every_clip(low_render, run_render):
    out, clips, _ = low_render
    assert run_render(out).returncode == 0  # the same options as the render being repeated
    before = {p.name: p.stat().st_mtime_ns for p in clips.iterdir()}
    result = run_render(out)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("unchanged") == len(STAGES) + len(PARTS)  # the stages and each part's title card
    assert {p.name: p.stat().st_mtime_ns for p in clips.iterdir()} == before, "nothing rewritten"


def test_bad_input_stops_before_rendering(tmp_path, run_render):
    result = run_render(tmp_path, "--stages", "no_such_stage")
    assert result.returncode == 2 and "unknown stage 'no_such_stage'" in result.stderr
    result = run_render(tmp_path, "--weights", "missing_preset")
    assert result.returncode == 2 and "no such weights preset" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_missing_program_is_named_before_anything_renders(tmp_path, run_render, monkeypatch):
    bare = tmp_path / "bin"
    bare.mkdir()
    (bare / "python3").symlink_to(sys.executable)
    monkeypatch.setenv("PATH", str(bare))
    result = run_render(tmp_path / "out", "--stages", "definition")
    assert result.returncode == 2
    assert result.stderr.strip() == "reluviz: ffmpeg is not installed (Debian package ffmpeg): run 'make setup'"
    assert not (tmp_path / "out" / "relu").exists()


def test_a_clips_code_is_exactly_what_draws_speaks_and_packs_it(monkeypatch):
    """Editing the command line's help or the lecture page's HTML re-renders nothing; editing a
    stage's module re-renders that stage alone; the shared drawing and the voice, every clip."""
    from reluviz.scenes import TITLE_CARD, scene_module
    from reluviz.studio.pipeline import fingerprint

    scenes = [stage.name for stage in STAGES] + [TITLE_CARD]
    before = {scene: fingerprint.clip_code(scene) for scene in scenes}
    read = fingerprint._contents

    def changed_keys(edited: str) -> set[str]:
        """The scenes whose code digest changes when the file of module ``edited`` gets one more line."""
        target = fingerprint._file(edited)
        assert target is not None and target.is_file(), edited
        monkeypatch.setattr(
            fingerprint, "_contents", lambda path: read(path) + (b"# edited" if path == target else b"")
        )
        fingerprint.clip_code.cache_clear()
        try:
            return {scene for scene in scenes if fingerprint.clip_code(scene) != before[scene]}
        finally:
            monkeypatch.setattr(fingerprint, "_contents", read)
            fingerprint.clip_code.cache_clear()

    assert changed_keys("reluviz.studio.cli.main") == set()  # its help text
    assert changed_keys("reluviz.studio.publishing.page") == set()  # the lecture page's HTML
    assert changed_keys("reluviz.studio.publishing.kit") == set()
    assert changed_keys(scene_module("bias")) == {"bias"}
    assert changed_keys(scene_module("definition")) == {"definition"}
    assert changed_keys(scene_module(TITLE_CARD)) == {TITLE_CARD}
    assert changed_keys("reluviz.scenes.framework.style") == set(scenes)
    assert changed_keys("reluviz.studio.media.voice") == set(scenes)  # every clip speaks
    assert changed_keys("reluviz.network") >= {"bias", "summing", "training"}


DATA_STAGES = ("network", "output_relu", "training")


def test_a_large_data_file_travels_to_the_workers_as_the_points_drawn(large_data_weights, tmp_path, capsys):
    """Millions of rows (a 37 MB file) are read once, here, and each clip's task carries only
    what its scene draws: never the table through the scheduler."""
    import pickle

    from conftest import LARGE_DATA_ROWS

    from reluviz.drawn_data import MAX_DRAWN_POINTS
    from reluviz.files.weights import load_weights
    from reluviz.studio.pipeline import jobs
    from reluviz.studio.settings import RenderSettings

    settings = RenderSettings(quality="low", out=tmp_path / "out", voice="none")
    weights = load_weights(large_data_weights, check_data=False)
    planned = jobs.with_drawn_data([jobs.stage_job(s, settings, weights) for s in STAGES if s.name in DATA_STAGES])
    tasks = [jobs.clip_task(job, settings, None, "progress") for job in planned]
    assert max(len(pickle.dumps(task)) for task in tasks) < 20_000
    assert {task.data.rows for task in tasks} == {LARGE_DATA_ROWS}
    drawn = len(tasks[0].data.points.dosage)
    assert drawn <= MAX_DRAWN_POINTS
    assert capsys.readouterr().out.count(f"{'big.csv':<22} {LARGE_DATA_ROWS:,} rows, {drawn} of them drawn") == 1


def test_a_clips_key_covers_every_row_of_its_data(large_data_weights, tmp_path):
    import shutil

    from reluviz.files.weights import load_weights
    from reluviz.studio.pipeline import jobs
    from reluviz.studio.settings import RenderSettings

    for name in ("big.toml", "big.csv"):
        shutil.copy(large_data_weights.with_name(name), tmp_path / name)
    settings = RenderSettings(quality="low", out=tmp_path / "out", voice="none")
    weights = load_weights(tmp_path / "big.toml", check_data=False)
    keys = [jobs.stage_job(s, settings, weights).key for s in STAGES if s.name in DATA_STAGES]
    with open(tmp_path / "big.csv", "a") as data:
        data.write("0.5,0.5\n")  # one more row of two million
    assert all(jobs.stage_job(s, settings, weights).key not in keys for s in STAGES if s.name in DATA_STAGES)


def test_the_worker_cuts_each_beat_and_writes_the_captions_beside_its_clip(tmp_path):
    """So that publishing, after the last clip, has only copies and the film left to make."""
    from reluviz.files.weights import load_weights
    from reluviz.studio.media import captions
    from reluviz.studio.pipeline import cache, jobs
    from reluviz.studio.pipeline.worker import render_clip
    from reluviz.studio.settings import RenderSettings

    settings = RenderSettings(quality="low", out=tmp_path / "out", voice="none")
    job = jobs.stage_job(STAGES[1], settings, load_weights("relu"))  # neuron: six beats
    store = tmp_path / "store"
    render_clip(jobs.clip_task(job, settings, str(store), "test"))
    entry = store / "clips" / job.key
    beats = json.loads((entry / "beats.json").read_text())["beats"]
    sums = cache.entry_sums(entry)
    assert len(beats) >= 3
    for number, beat in enumerate(beats, start=1):
        name = f"beat-{number:02d}.mp4"
        assert cache.file_ok(entry, name), f"{name} is not sealed in the entry"
        info = ffmpeg.probe(entry / name)
        assert info.codec == "h264"
        assert abs(info.duration - (beat["end"] - beat["start"])) < 1.5 / 15, name
    assert cache.file_ok(entry, "captions.vtt")
    vtt = (entry / "captions.vtt").read_text(encoding="utf-8")
    assert vtt.startswith("WEBVTT\n\n1\n00:00:")
    assert vtt.count(" --> ") == len(captions.read(entry / "clip.srt"))
    assert set(sums) >= {"clip.mp4", "clip.srt", "beats.json", "poster.png"}


def test_clips_reach_the_cluster_longest_first_however_long_each_takes_to_prepare(tmp_path, monkeypatch):
    """The first clips submitted go straight to the workers, whatever their priority: the
    queue's order (longest first) must be the order they are submitted in, even when the
    longest clip's task is the slowest to prepare."""
    from concurrent.futures import Future
    from contextlib import contextmanager

    from reluviz.files.weights import load_weights
    from reluviz.studio.pipeline import jobs as jobs_module
    from reluviz.studio.pipeline import render as render_module
    from reluviz.studio.settings import RenderSettings

    settings = RenderSettings(quality="low", out=tmp_path / "out", jobs=2, voice="none")
    jobs = [jobs_module.stage_job(s, settings, load_weights("relu")) for s in STAGES[:5]]
    seconds = {job.scene: float(n) for n, job in enumerate(jobs)}  # the story's last is the longest
    prepared = render_module.clip_task

    def slowest_for_the_longest(job, *args):
        time.sleep(0.1 * seconds[job.scene])
        return prepared(job, *args)

    submitted = []

    class Recording:
        def subscribe_topic(self, topic, handler) -> None:
            pass

        def submit(self, function, task, **options):
            submitted.append(task.clip)
            failed = Future()
            failed.set_exception(render_module.RenderError("not rendered here"))
            return failed

    @contextmanager
    def recording(settings, workers):
        yield Recording(), str(settings.cache)

    monkeypatch.setattr(render_module, "connect", recording)
    monkeypatch.setattr(render_module, "clip_task", slowest_for_the_longest)
    monkeypatch.setattr(render_module, "_expected_seconds", lambda settings, scenes: seconds)
    with pytest.raises(render_module.RenderError):
        render_module.render_clips(jobs, settings)
    assert submitted == [job.stem for job in reversed(jobs)]
