"""The worker between clips (studio/pipeline/worker.py)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from reluviz.files.weights import load_weights
from reluviz.studio.media import narration
from reluviz.studio.pipeline import jobs, worker
from reluviz.studio.settings import RenderSettings
from reluviz.words.stages import STAGES

#: Run in a process of its own: freezing is for a whole process's life.
SETTLED = textwrap.dedent(
    """
    import gc, weakref
    from reluviz.studio.pipeline.worker import _give_back_memory, _settle_imports

    _settle_imports("neuron")
    first = gc.get_freeze_count()
    _settle_imports("plane_unit")

    class Node:
        pass

    a, b = Node(), Node()
    a.other, b.other = b, a  # a cycle a clip leaves behind
    gone = weakref.ref(a)
    del a, b
    _give_back_memory()
    print(first, gc.get_freeze_count(), gone() is None)
    """
)


def test_what_imports_made_is_frozen_once_and_a_clips_cycles_are_still_collected():
    result = subprocess.run([sys.executable, "-c", SETTLED], capture_output=True, text=True, check=True)
    first, later, collected = result.stdout.split()
    assert int(first) > 50_000  # manim and the scenes, out of the collector's sight
    assert int(later) == int(first)  # frozen once, before the first clip
    assert collected == "True"


#: A clip rendered as a worker renders it, in a process of its own, watching its scene and
#: how much is frozen as it starts and after it.
A_CLIP = textwrap.dedent(
    """
    import gc, sys, weakref
    from pathlib import Path
    from reluviz.files.weights import load_weights
    from reluviz.studio.pipeline import jobs, worker
    from reluviz.studio.settings import RenderSettings
    from reluviz.words.stages import STAGES

    from reluviz.studio.media import soundtrack

    scenes, frozen, gone_at_sound = [], [], []
    made, sound = worker.render_scene, soundtrack.narration_track

    def watched(*args):
        frozen.append(gc.get_freeze_count())
        scenes.append(weakref.ref(made(*args)))
        return scenes[-1]()

    def narrated(*args):
        gone_at_sound.append(scenes[0]() is None)
        return sound(*args)

    worker.render_scene, soundtrack.narration_track = watched, narrated
    settings = RenderSettings(quality="low", out=Path(sys.argv[1]) / "out", voice="none")
    job = jobs.stage_job(STAGES[1], settings, load_weights("relu"))
    worker.render_clip(jobs.clip_task(job, settings, str(Path(sys.argv[1]) / "store"), "test"))
    print(len(scenes), scenes[0]() is None, gone_at_sound, frozen[0], gc.get_freeze_count())
    """
)


def test_a_clip_is_freed_before_its_sound_and_nothing_of_it_frozen(tmp_path):
    """The scene is gone before its clip's sound is made (its pictures and mobjects given back
    while an ffmpeg packs the clip beside the other worker's drawing), and what is frozen was
    frozen before it began: frozen, a clip's cycles would stay for the worker's life."""
    result = subprocess.run([sys.executable, "-c", A_CLIP, str(tmp_path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
    rendered, freed, gone_at_sound, frozen_before, frozen_after = result.stdout.split()
    assert (rendered, freed, gone_at_sound) == ("1", "True", "[True]")
    # (fewer after: frozen objects a clip let go without a cycle are freed as ever)
    assert int(frozen_after) <= int(frozen_before) and int(frozen_before) > 50_000


def test_festival_is_kept_running_between_sentences_only_for_frames_smaller_than_1080p(tmp_path, monkeypatch):
    """A kept festival saves a third of each sentence's CPU, but its 54 MB beside 1080p frames
    raised the render's highest memory past its mark."""

    class Asked(Exception):
        pass

    kept = []

    def voice(*args, keep_running=True):
        kept.append(keep_running)
        raise Asked  # nothing rendered: the question was all

    monkeypatch.setattr(narration, "synthesized_voice", voice)
    place = worker.Workplace(tmp_path / "work", tmp_path / "tex", tmp_path / "voice", tmp_path / "recordings")
    for quality in ("low", "medium", "high", "4k"):
        settings = RenderSettings(quality=quality, out=tmp_path / "out", voice="festival")
        task = jobs.clip_task(jobs.stage_job(STAGES[1], settings, load_weights("relu")), settings, None, "test")
        with pytest.raises(Asked):
            worker.render_scene(task, place)
    assert kept == [True, True, False, False]
