"""The worker between clips (studio/pipeline/worker.py)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

#: Run in a process of its own: freezing is for a whole process's life.
BETWEEN_CLIPS = textwrap.dedent(
    """
    import gc, weakref
    from reluviz.studio.pipeline.worker import _give_back_memory

    class Node:
        pass

    kept = [Node() for _ in range(1000)]  # what outlives the first clip (modules, caches)
    _give_back_memory()
    first = gc.get_freeze_count()
    a, b = Node(), Node()
    a.other, b.other = b, a  # a cycle the next clip leaves behind
    gone = weakref.ref(a)
    del a, b
    _give_back_memory()
    print(first, gc.get_freeze_count(), gone() is None)
    """
)


def test_what_outlives_the_first_clip_is_frozen_and_later_cycles_are_still_collected():
    result = subprocess.run([sys.executable, "-c", BETWEEN_CLIPS], capture_output=True, text=True, check=True)
    first, later, collected = result.stdout.split()
    assert int(first) >= 1000  # the kept objects are out of the collector's sight
    assert int(later) == int(first)  # frozen once: what later clips leave is scanned, and freed
    assert collected == "True"


#: A clip rendered as a worker renders it, in a process of its own, watching its scene.
A_CLIP = textwrap.dedent(
    """
    import gc, sys, weakref
    from pathlib import Path
    from reluviz.files.weights import load_weights
    from reluviz.studio.pipeline import jobs, worker
    from reluviz.studio.settings import RenderSettings
    from reluviz.words.stages import STAGES

    scenes = []
    made = worker.render_scene
    worker.render_scene = lambda *args: scenes.append(weakref.ref(made(*args))) or scenes[-1]()
    settings = RenderSettings(quality="low", out=Path(sys.argv[1]) / "out", voice="none")
    job = jobs.stage_job(STAGES[1], settings, load_weights("relu"))
    worker.render_clip(jobs.clip_task(job, settings, str(Path(sys.argv[1]) / "store"), "test"))
    print(len(scenes), scenes[0]() is None, gc.get_freeze_count())
    """
)


def test_a_finished_clips_scene_is_freed_not_frozen(tmp_path):
    """The first clip's scene is gone when its worker freezes what outlived it: frozen, its
    pictures and mobjects (a cycle) would stay for the worker's life."""
    result = subprocess.run([sys.executable, "-c", A_CLIP, str(tmp_path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
    rendered, freed, frozen = result.stdout.split()
    assert (rendered, freed) == ("1", "True") and int(frozen) > 10_000
