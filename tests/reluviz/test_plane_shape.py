"""reluviz.plane.shape: what the output activation keeps of the regions' planes, checked against
sampling the forward pass: the pieces below the bend, the new folds, and the top's shape."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from reluviz.activations import Identity, LeakyReLU, ReLU
from reluviz.files.plane_weights import load_plane_weights
from reluviz.model import DEFAULT_INPUTS, HiddenUnit, Network, PlaneWeights
from reluviz.plane.network import trace
from reluviz.plane.regions import area, regions
from reluviz.plane.shape import fold_lines, pieces, shape


def network(units, output_bias=0.0, hidden=None, output=None) -> PlaneWeights:
    """A two-input network over the unit square; ``units`` are (w1, w2, b, output weight)."""
    net = Network(
        tuple(HiddenUnit((w1, w2), b, v) for w1, w2, b, v in units), hidden or ReLU(), output or ReLU(), output_bias
    )
    return PlaneWeights("test", Path("test.toml"), "", DEFAULT_INPUTS, net)


def sampled(weights: PlaneWeights, points: int = 401):
    x1, x2 = np.meshgrid(np.linspace(0, 1, points), np.linspace(0, 1, points))
    return x1, x2, trace(weights, x1, x2)


def test_the_plateau_preset_is_a_plateau_on_its_middle_triangle():
    found = regions(load_plane_weights("plateau"))
    top = shape(found)
    assert (top.kind, top.top, top.region, top.inside) == ("plateau", 1.0, 0, True)
    assert len(found.regions[top.region].corners) == 3
    assert top.below_share == pytest.approx(5 / 16)


@pytest.mark.parametrize(
    "units, kind, points",
    [
        ([(-1, -1, 1, 1)], "peak", ((0, 0),)),  # 1 - x1 - x2, highest at one corner
        ([(0, -2, 1, 1)], "ridge", ((0, 0), (1, 0))),  # 1 - 2 x2, highest along the edge x2 = 0
        ([(-2, 0, 1, 1), (2, 0, -1, 1)], "peaks", ((0, 0), (0, 1), (1, 0), (1, 1))),  # a valley between two ridges
    ],
)
def test_peaks_and_ridges(units, kind, points):
    top = shape(regions(network(units)))
    assert top.kind == kind
    assert [tuple(float(c) for c in p) for p in top.points] == [tuple(map(float, p)) for p in points]
    assert not top.inside


def test_nothing_above_the_bend_is_flat():
    top = shape(regions(network([(1, 1, -5, 1)], output_bias=-1)))
    assert top.kind == "flat" and top.below_share == 1


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("hidden", [ReLU(), LeakyReLU(0.1)])
def test_pieces_folds_and_share_agree_with_sampling(seed, hidden):
    rng = np.random.default_rng(seed)
    units = [tuple(np.round(rng.uniform(-3, 3, 4), 2)) for _ in range(int(rng.integers(1, 6)))]
    weights = network(units, output_bias=round(float(rng.uniform(-1, 1)), 2), hidden=hidden)
    found = regions(weights)
    parts = pieces(found)
    assert sum(area(p.corners) for p in parts) == 1  # they tile the square
    for part in parts:  # each piece lies on one side of the bend
        plane = found.regions[part.region].plane
        values = [plane.exactly_at(c) for c in part.corners]
        assert all(v <= 0 for v in values) if part.below else all(v >= 0 for v in values)
    for ends in fold_lines(found):
        xs, ys = (np.array([float(p[i]) for p in ends]) for i in (0, 1))
        np.testing.assert_allclose(trace(weights, xs, ys).biased, 0.0, atol=1e-9)
    _, _, at = sampled(weights)
    top = shape(found)
    assert float(top.below_share) == pytest.approx(float(np.mean(at.biased < 0)), abs=0.01)
    assert top.top == pytest.approx(float(at.biased.max()), abs=0.05)


def test_no_bend_leaves_the_regions_whole():
    found = regions(network([(1, -1, 0.2, 1)], output=Identity()))
    assert [p.below for p in pieces(found)] == [False] * found.count and fold_lines(found) == []
