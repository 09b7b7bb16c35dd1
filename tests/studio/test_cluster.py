"""The LocalCluster's workers: processes that render as fast as a plain Python process."""

from __future__ import annotations

import os
from pathlib import Path

from reluviz.studio.cluster import connect
from reluviz.studio.settings import RenderSettings


def picture_page_faults() -> int:
    """Page faults taken while a 1080p RGBA picture is made and dropped 50 times, as a
    render does every frame (the first one, before counting, may map its memory)."""
    import numpy as np

    def faults() -> int:
        return int(Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()[7])

    np.ones((1080, 1920, 4), np.uint8)
    before = faults()
    for _ in range(50):
        np.ones((1080, 1920, 4), np.uint8)
    return faults() - before


def test_local_workers_reuse_the_memory_of_their_pictures(tmp_path):
    settings = RenderSettings(out=tmp_path / "out", jobs=1, voice="none")
    with connect(settings, 1) as (client, _):
        (environment,) = client.run(lambda: os.environ.get("MALLOC_TRIM_THRESHOLD_")).values()
        (faults,) = client.run(picture_page_faults).values()
    assert environment is None, "glibc keeps its own thresholds in a worker, as in plain manim"
    # mapped fresh every time, 50 pictures fault 50 x 2,025 pages in; reused, a few hundred
    assert faults < 5_000, faults
    assert "MALLOC_TRIM_THRESHOLD_" not in os.environ, "the client's own later programs are not changed either"
