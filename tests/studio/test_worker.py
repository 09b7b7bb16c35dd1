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
