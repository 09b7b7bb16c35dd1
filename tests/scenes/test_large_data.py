"""The stages that draw the data, given a data file of millions of rows: each constructs in
seconds with a few hundred dots at most, and its captions are true of every row."""

from __future__ import annotations

import time

import numpy as np
import pytest
from conftest import LARGE_DATA_ROWS

from reluviz.drawn_data import MAX_DRAWN_POINTS
from reluviz.files.data import load_dataset
from reluviz.files.weights import load_weights
from reluviz.network import trace
from reluviz.scenes.framework.inputs import StoryInputs
from reluviz.scenes.framework.plots import Plot
from reluviz.words.numbers import shown

#: At most this many dots a stage draws besides the data's (stage 12's on the activation's
#: plot and its first output dot).
OTHER_DOTS = 5
#: Seconds a stage may take to construct with the large data file (a few on an idle machine).
CONSTRUCT_SECONDS = 60


@pytest.fixture
def counted_dots(monkeypatch) -> list[tuple[float, float]]:
    """Every dot a plot makes; making more than the data may draw fails at once (a dot per row
    of millions would take the test's machine down)."""
    made = []
    make_dot = Plot.dot

    def dot(plot, x, y, *args, **kwargs):
        made.append((x, y))
        assert len(made) <= MAX_DRAWN_POINTS + OTHER_DOTS, "a dot for every row"
        return make_dot(plot, x, y, *args, **kwargs)

    monkeypatch.setattr(Plot, "dot", dot)
    return made


@pytest.fixture
def build(construct, large_data_weights, counted_dots):
    """build(stage) -> (its first caption, its last, the number of points drawn), checked to
    construct in seconds, inside the frame, with no more dots than the data may draw."""

    def built(stage_name: str) -> tuple[str, str, int]:
        inputs = StoryInputs(weights=large_data_weights)
        started = time.monotonic()
        construction = construct(stage_name, inputs)
        assert time.monotonic() - started < CONSTRUCT_SECONDS
        assert not [problem for step in construction.steps for problem in step.outside]
        drawn = len(inputs.data.points.dosage)
        assert 100 <= drawn <= MAX_DRAWN_POINTS
        assert drawn <= len(counted_dots) <= drawn + OTHER_DOTS
        beats = construction.scene.beats
        return beats[0].caption, beats[-1].caption, drawn

    return built


@pytest.mark.heavy  # two million rows: make test-heavy
def test_stage_5_says_the_data_has_every_one_of_its_rows(build):
    first, _, drawn = build("network")
    assert first.startswith(f"The data: {LARGE_DATA_ROWS:,} dosages from 0 to 1,")
    assert first.endswith(f"A sample of {drawn} of them is drawn.")


@pytest.mark.heavy  # two million rows: make test-heavy
def test_stage_12_measures_the_fit_on_every_row(build, large_data_weights):
    _, last, _ = build("output_relu")
    weights = load_weights(large_data_weights, check_data=False)
    data = load_dataset(weights.data_path)
    worst = np.max(np.abs(trace(weights, data.dosage).output - data.effectiveness))
    assert f"off by up to {shown(worst)} at a measured dosage" in last


@pytest.mark.heavy  # two million rows: make test-heavy
def test_stage_15_says_it_trains_on_a_sample(build):
    first, _, drawn = build("training")
    assert first.startswith(f"The data (a sample of {drawn} of its {LARGE_DATA_ROWS:,} rows) and")
