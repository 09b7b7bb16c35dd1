"""What the scenes draw of a data set: the lesson's data row for row; millions of rows as a
few hundred of them that keep the data's extremes and spread, and captions true of every row."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from reluviz.drawn_data import MAX_DRAWN_POINTS, drawn_data
from reluviz.files.data import DEFAULT_DATA, Dataset, load_dataset
from reluviz.files.paths import ASSETS
from reluviz.files.plane_data import load_any_dataset
from reluviz.files.weights import load_weights
from reluviz.network import trace

ROWS = 2_000_000
#: The shipped dosage data sets (the two-input ones are drawn by Part III, not here).
DOSAGE_FILES = [path for path in sorted((ASSETS / "data").glob("*.csv")) if isinstance(load_any_dataset(path), Dataset)]


def noisy_wedge(dosage: np.ndarray, rng: np.random.Generator) -> Dataset:
    """Effectiveness rising to a peak at dosage 0.5 and falling again, with measurement noise."""
    effectiveness = np.clip(1 - 2 * np.abs(dosage - 0.5), 0, None) + rng.normal(0, 0.05, len(dosage))
    return Dataset(Path("big.csv"), dosage, effectiveness)


@pytest.fixture(scope="module")
def large() -> Dataset:
    return noisy_wedge(np.random.default_rng(5).uniform(0.0, 1.0, ROWS), np.random.default_rng(6))


@pytest.mark.parametrize("data_file", DOSAGE_FILES, ids=lambda p: p.name)
def test_a_small_data_set_is_drawn_row_for_row(data_file):
    data = load_dataset(data_file)
    drawn = drawn_data(data, load_weights("relu"))
    assert np.array_equal(drawn.points.dosage, data.dosage)
    assert np.array_equal(drawn.points.effectiveness, data.effectiveness)
    assert drawn.rows == len(data.dosage) and not drawn.thinned


def test_the_lessons_facts_are_those_of_its_rows():
    weights, data = load_weights("relu"), load_dataset(DEFAULT_DATA)
    drawn = drawn_data(data, weights)
    assert drawn.rows == 3 and drawn.rows_outside == 0
    assert drawn.largest_miss == np.max(np.abs(trace(weights, data.dosage).output - data.effectiveness))


def test_millions_of_rows_are_drawn_as_a_few_hundred_keeping_the_extremes(large):
    drawn = drawn_data(large, load_weights("relu"))
    points = drawn.points
    assert drawn.thinned and drawn.rows == ROWS
    assert 150 <= len(points.dosage) <= MAX_DRAWN_POINTS
    for drawn_column, column in ((points.dosage, large.dosage), (points.effectiveness, large.effectiveness)):
        assert (drawn_column.min(), drawn_column.max()) == (column.min(), column.max())
    # every point drawn is a row of the data, and they come in the file's order
    rows = np.flatnonzero(np.isin(large.dosage, points.dosage))
    assert len(rows) == len(points.dosage)
    assert np.array_equal(large.effectiveness[rows], points.effectiveness)


def test_the_points_drawn_spread_over_the_whole_dosage_range_and_keep_the_shape(large):
    points = drawn_data(large, load_weights("relu")).points
    tenths = np.histogram(points.dosage, bins=10, range=(0.0, 1.0))[0]
    assert tenths.min() >= 0.6 * tenths.mean(), tenths
    # the wedge: high in the middle, low at the ends, as in the full data
    middle = points.effectiveness[np.abs(points.dosage - 0.5) < 0.1]
    ends = points.effectiveness[np.abs(points.dosage - 0.5) > 0.4]
    assert middle.mean() > 0.8 and ends.mean() < 0.2


def test_a_sparse_part_of_the_range_keeps_its_points():
    rng = np.random.default_rng(7)
    dense, sparse = rng.uniform(0.0, 0.5, ROWS - 300), rng.uniform(0.5, 1.0, 300)
    data = noisy_wedge(np.concatenate([dense, sparse]), rng)
    points = drawn_data(data, load_weights("relu")).points
    # a random sample of the rows would leave the sparse half all but empty (300 in 2 million)
    assert np.count_nonzero(points.dosage > 0.5) >= 0.4 * len(points.dosage)


def test_the_same_points_every_time(large):
    first, second = (drawn_data(large, load_weights("relu")).points for _ in range(2))
    assert np.array_equal(first.dosage, second.dosage)


def test_the_fit_and_the_rows_outside_the_range_are_counted_on_every_row(large):
    weights = load_weights("relu")  # dosages 0 to 1
    shifted = Dataset(large.path, large.dosage + 0.25, large.effectiveness)  # a quarter beyond the range
    drawn = drawn_data(shifted, weights)
    assert drawn.rows_outside == np.count_nonzero(shifted.dosage > 1.0)
    assert drawn.largest_miss == np.max(np.abs(trace(weights, shifted.dosage).output - shifted.effectiveness))
