"""make bench's timeline of a render, read from when its progress lines came (bench/run.py)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench" / "run.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_run", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_timeline_splits_a_render_into_start_clips_idle_cores_and_publishing(bench):
    stamped = [
        (0.5, "reluviz: 2 stage(s), weights relu, high quality -> out/relu/high/\n"),
        (2.0, "  20 plane_training      rendering\n"),
        (3.0, "  01 definition          rendering\n"),
        (20.0, "  01 definition           15.6 s of video  (17 s)\n"),
        (40.0, "  01 definition          done: 35.5 s of video in 37 s\n"),
        (70.0, "  20 plane_training      done: 43.7 s of video in 68 s\n"),
        (75.0, "  00 relu story          film of 2 clips\n"),
    ]
    found = bench.timeline(stamped, wall=76.0, cores=2)
    # by hand: clips from 2 s to 70 s; 2 cores x 68 s, of which the clips used 68 + 37 s
    assert found["before_first_clip_seconds"] == 2.0
    assert found["clips_seconds"] == 68.0
    assert found["idle_core_seconds_during_clips"] == 31.0
    assert found["after_last_clip_seconds"] == 6.0
    assert found["clips"] == {"20 plane_training": [2.0, 70.0], "01 definition": [3.0, 40.0]}


def test_a_render_with_nothing_to_render_has_no_timeline(bench):
    assert bench.timeline([(0.2, "reluviz: done in 0.9 s\n")], wall=1.0, cores=2) == {}


def test_clips_whose_lines_come_late_leave_no_core_idle_rather_than_less_than_none(bench):
    stamped = [  # the second clip's start is printed a tenth of a second after the first ends
        (1.0, "  14 gradient_step       rendering\n"),
        (1.0, "  18 plane_sum           rendering\n"),
        (30.0, "  14 gradient_step       done: 66.7 s of video in 29 s\n"),
        (29.9, "  06 input_to_x_axis     rendering\n"),
        (40.0, "  18 plane_sum           done: 29.3 s of video in 39 s\n"),
        (40.0, "  06 input_to_x_axis     done: 38.9 s of video in 10 s\n"),
    ]
    # by hand: 2 cores x 39 s, and the clips' lines add up to 29 + 39 + 10.1 s
    assert bench.timeline(stamped, wall=41.0, cores=2)["idle_core_seconds_during_clips"] == 0.0


def test_peak_memory_counts_a_child_between_fork_and_exec_once_and_a_program_it_runs(bench):
    """A forked child still running its parent's program shares its pages (the bench's peak
    had counted a worker twice when a sample caught one starting ffmpeg); a program it runs
    has memory of its own, and counts."""
    import os
    import signal
    import subprocess
    import sys
    import time

    mib = 2**20
    ballast = b"x" * (200 * mib)  # resident in this process
    alone = bench._tree_rss(os.getpid())
    child = os.fork()
    if child == 0:  # the child: as a worker between fork and exec
        time.sleep(5)
        os._exit(0)
    try:
        time.sleep(0.3)
        assert bench._tree_rss(os.getpid()) - alone < 50 * mib
    finally:
        os.kill(child, signal.SIGKILL)
        os.waitpid(child, 0)
    program = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; kept = b'y' * (150 * 2**20); print(flush=True); time.sleep(5)"],
        stdout=subprocess.PIPE,
    )
    try:
        program.stdout.readline()  # its memory is made
        assert bench._tree_rss(os.getpid()) - alone > 140 * mib
    finally:
        program.kill()
        program.wait()
    assert len(ballast) == 200 * mib
