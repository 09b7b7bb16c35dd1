"""What the scenes draw of a data set, and the facts their captions state about all of it.

A plot of millions of points is not a picture, and a table of millions of rows is nothing
to send a render worker. A data set of more rows than ``MAX_DRAWN_POINTS`` is drawn as a
thinned set of its own rows: the dosage range is cut into equal bins and each bin keeps up
to the same number of rows, picked at random with a fixed seed (so every part of the range
keeps its points, its spread included, and a render draws the same points every time); the
rows holding the smallest and largest dosage and effectiveness are always among them, so
the axes span exactly what the data spans. A data set that small is drawn whole, row for
row, as its file lists it.

The captions say what is true of every row: how many there are, and how far the network's
output is from the farthest of them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from reluviz.files.data import Dataset
from reluviz.model import Weights
from reluviz.train import fit_summary

#: The most points a plot of the data draws: enough to show its shape and spread, few enough
#: to be seen as points, to animate one by one, and to travel with every clip's task.
MAX_DRAWN_POINTS = 200
#: The thinning's random picks within each dosage bin are seeded: the same points every render.
THINNING_SEED = 0


@dataclass(frozen=True)
class DrawnData:
    points: Dataset  # the rows drawn: every row, or the thinned set of a large data set (in file order)
    rows: int  # rows in the data set
    largest_miss: float  # the farthest any row lies from the network's output (vertically)
    rows_outside: int  # rows whose dosage lies outside the weights' dosage range

    @property
    def thinned(self) -> bool:
        return len(self.points.dosage) < self.rows


def _extreme_rows(data: Dataset) -> np.ndarray:
    columns = (data.dosage, data.effectiveness)
    return np.unique([find(column) for column in columns for find in (np.argmin, np.argmax)])


def _thinned_rows(data: Dataset, budget: int) -> np.ndarray:
    """At most ``budget`` rows, as evenly spread over the dosage range as the data allows: each
    of ``budget`` equal dosage bins keeps up to ``per_bin`` rows, the largest number for which
    they fit (a bin with fewer keeps them all)."""
    low, span = data.dosage.min(), np.ptp(data.dosage)
    bins = np.minimum(((data.dosage - low) / span * budget).astype(np.int64), budget - 1).astype(np.int16)
    counts = np.bincount(bins, minlength=budget)
    per_bin = 1
    while np.minimum(counts, per_bin + 1).sum() <= budget:
        per_bin += 1
    shuffled = np.random.default_rng(THINNING_SEED).permutation(len(bins))
    grouped = shuffled[np.argsort(bins[shuffled], kind="stable")]  # by bin, in random order within each
    starts = np.cumsum(counts) - counts
    return np.concatenate([grouped[start : start + min(count, per_bin)] for start, count in zip(starts, counts)])


def drawn_rows(data: Dataset) -> np.ndarray:
    """The rows of ``data`` a plot draws, in file order: all of them up to ``MAX_DRAWN_POINTS``,
    else a thinned set of at most that many, the extremes among them."""
    if len(data.dosage) <= MAX_DRAWN_POINTS:
        return np.arange(len(data.dosage))
    extremes = _extreme_rows(data)
    return np.union1d(_thinned_rows(data, MAX_DRAWN_POINTS - len(extremes)), extremes)


def drawn_data(data: Dataset, weights: Weights) -> DrawnData:
    """What the scenes draw of ``data`` and state about it, for the network of ``weights``."""
    rows = drawn_rows(data)
    outside = (data.dosage < weights.dosage_low) | (data.dosage > weights.dosage_high)
    return DrawnData(
        points=Dataset(data.path, data.dosage[rows], data.effectiveness[rows]),
        rows=len(data.dosage),
        largest_miss=fit_summary(weights, data).largest_miss,
        rows_outside=int(np.count_nonzero(outside)),
    )
