"""The clips use the screen (issue 23): no stage clip leaves half of its picture below the title
empty for more than a quarter of its time, measured on the rendered clips as a viewer sees them
(2 samples a second, a 4 x 3 grid: tests/instruments/fill.py)."""

from __future__ import annotations

import numpy as np
import pytest
from instruments import fill

from reluviz.scenes.framework.style import DARK
from reluviz.words.stages import STAGES

#: The longest share of a clip's time its picture may be half empty.
LIMIT = 0.25


def half_empty_shares(clips) -> dict[str, float]:
    return {s.name: fill.half_empty_share(clips / f"{s.file_stem}.mp4", DARK.background) for s in STAGES}


def assert_filled(shares: dict[str, float], weights: str) -> None:
    print(f"\nhalf-empty share of each clip, {weights}:")
    for name, share in shares.items():
        print(f"  {name:18s} {share:4.0%}")
    over = {name: f"{share:.0%}" for name, share in shares.items() if share > LIMIT}
    assert not over, f"{weights}: half empty for more than {LIMIT:.0%} of the clip: {over}"


def test_the_measure_counts_cells_with_ink():
    """Ink in a cell makes it full, the title's band does not count, compression noise does not either."""
    background = np.array([0x11, 0x15, 0x1C], dtype=np.uint8)
    frame = np.tile(background, (480, 854, 1))
    frame[:50, 300:500] = 255  # the title: above the picture
    frame += np.random.default_rng(0).integers(0, 8, frame.shape, dtype=np.uint8)  # H.264's few levels
    assert fill.empty_cells(frame, DARK.background).all()
    top = round(480 / 8)  # the title's line, 3 units above the centre of a frame 8 units tall
    cell_h, cell_w = (480 - top) / 3, 854 / 4
    for index in range(6):  # one pixel in each of six cells: half empty still
        row, column = divmod(index, 4)
        frame[top + int(cell_h * row) + 5, int(cell_w * column) + 5] = (0x3A, 0x42, 0x50)  # a grid line's colour
    assert fill.empty_cells(frame, DARK.background).sum() == 6
    assert fill.half_empty(frame, DARK.background)
    frame[top + int(cell_h * 2) + 5, int(cell_w * 3) + 5] = (0x3A, 0x42, 0x50)
    assert not fill.half_empty(frame, DARK.background)


def test_no_clip_is_half_empty_for_more_than_a_quarter_of_its_time(low_render):
    _, clips, _ = low_render
    assert_filled(half_empty_shares(clips), "relu")


@pytest.mark.heavy  # a render of its own (Part II again, with four nodes): make test-heavy
def test_nor_with_four_hidden_nodes(low_render, run_render):
    out, _, _ = low_render
    result = run_render(out, "--weights", "wide")
    assert result.returncode == 0, result.stderr
    assert_filled(half_empty_shares(out / "wide" / "low"), "wide")
