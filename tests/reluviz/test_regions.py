"""The regions of a two-input ReLU network, exactly: checked against dense sampling of the
forward pass for random networks of 1 to 6 units, against an independent count of the
arrangement, and on the degenerate cases (parallel, coincident, concurrent creases, a crease
through a corner, along an edge or outside the rectangle, a unit with w1 = w2 = 0)."""

from __future__ import annotations

import json
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from reluviz.activations import LeakyReLU, ReLU, make_activation
from reluviz.files.errors import InputFileError
from reluviz.files.plane_weights import load_plane_weights
from reluviz.files.weights import PRESETS
from reluviz.model import DEFAULT_INPUTS, HiddenUnit, Input, Network, PlaneWeights
from reluviz.plane.network import on_pattern, trace
from reluviz.plane.regions import Regions, exact, largest_count, regions

#: Grid points along each side of the rectangle, and random points besides.
GRID, RANDOM_POINTS = 241, 20000


def network(units, activation=None, output_bias=0.5, inputs=DEFAULT_INPUTS) -> PlaneWeights:
    """A two-input network; ``units`` are (w1, w2, b) or (w1, w2, b, output weight)."""
    hidden = tuple(HiddenUnit((u[0], u[1]), u[2], u[3] if len(u) > 3 else 1.0) for u in units)
    net = Network(hidden, activation or ReLU(), ReLU(), output_bias)
    return PlaneWeights("test", Path("test.toml"), "", tuple(inputs), net)


def independent_count(weights: PlaneWeights) -> int:
    """Regions of the creases inside the rectangle, counted another way: 1, plus 1 for each
    distinct line that crosses the inside, plus k - 1 for each point strictly inside where k
    distinct lines meet. Exact, from the numbers alone (no polygons)."""
    (l1, h1), (l2, h2) = ((exact(low), exact(high)) for low, high in weights.rectangle)
    corners = [(l1, l2), (h1, l2), (h1, h2), (l1, h2)]
    lines = set()
    for unit in weights.network.hidden:
        a, b, c = exact(unit.weight[0]), exact(unit.weight[1]), exact(unit.bias)
        if a == b == 0:
            continue
        scale = a if a != 0 else b
        line = (a / scale, b / scale, c / scale)
        values = [line[0] * x + line[1] * y + line[2] for x, y in corners]
        if min(values) < 0 < max(values):
            lines.add(line)
    meeting: dict[tuple[Fraction, Fraction], set] = {}
    ordered = sorted(lines)
    for i, (a1, b1, c1) in enumerate(ordered):
        for a2, b2, c2 in ordered[i + 1 :]:
            det = a1 * b2 - a2 * b1
            if det == 0:
                continue  # parallel: they never meet
            point = ((b1 * c2 - b2 * c1) / det, (a2 * c1 - a1 * c2) / det)
            if l1 < point[0] < h1 and l2 < point[1] < h2:
                meeting.setdefault(point, set()).update({(a1, b1, c1), (a2, b2, c2)})
    return 1 + len(lines) + sum(len(through) - 1 for through in meeting.values())


def sample_points(weights: PlaneWeights, rng) -> tuple[np.ndarray, np.ndarray]:
    (l1, h1), (l2, h2) = weights.rectangle
    g1, g2 = np.meshgrid(np.linspace(l1, h1, GRID), np.linspace(l2, h2, GRID))
    r1, r2 = rng.uniform(l1, h1, RANDOM_POINTS), rng.uniform(l2, h2, RANDOM_POINTS)
    return np.concatenate([g1.ravel(), r1]), np.concatenate([g2.ravel(), r2])


def inside(region, x1, x2, tolerance=1e-12) -> np.ndarray:
    """Which points lie in the convex region (its edges included)."""
    corners = [(float(x), float(y)) for x, y in region.corners]
    result = np.ones(x1.shape, dtype=bool)
    for (px, py), (qx, qy) in zip(corners, [*corners[1:], corners[0]]):
        result &= (qx - px) * (x2 - py) - (qy - py) * (x1 - px) >= -tolerance
    return result


def width(region, weights) -> float:
    """The region's smallest width, with the rectangle scaled to the unit square (a convex
    polygon is narrowest across one of its edges)."""
    (l1, h1), (l2, h2) = weights.rectangle
    corners = np.array([((float(x) - l1) / (h1 - l1), (float(y) - l2) / (h2 - l2)) for x, y in region.corners])
    narrowest = np.inf
    for p, q in zip(corners, np.roll(corners, -1, axis=0)):
        edge = (q - p) / np.linalg.norm(q - p)
        distances = np.abs(edge[0] * (corners[:, 1] - p[1]) - edge[1] * (corners[:, 0] - p[0]))
        narrowest = min(narrowest, distances.max())
    return narrowest


def check_regions(weights: PlaneWeights, rng) -> Regions:
    """Every check of the regions against the network itself; returns them."""
    found = regions(weights)
    net = weights.network
    n = len(net.hidden)
    assert found.largest == largest_count(n) == 1 + n + n * (n - 1) // 2
    assert 1 <= found.count <= found.largest
    # exact: the regions tile the rectangle; each has an area, a distinct pattern, and its
    # pattern holds at its centre, exactly
    (l1, h1), (l2, h2) = ((exact(low), exact(high)) for low, high in weights.rectangle)
    assert sum(region.area for region in found.regions) == (h1 - l1) * (h2 - l2)
    assert all(region.area > 0 for region in found.regions)
    assert len({region.pattern for region in found.regions}) == found.count
    for region in found.regions:
        centre = region.centroid()
        for crease, on in zip(found.creases, region.pattern):
            assert (crease.line.exactly_at(centre) > 0) == on
    assert found.count == independent_count(weights)
    # sampled: every point away from the creases lies in exactly one region, whose pattern is
    # the point's and whose plane gives the forward pass's value there
    x1, x2 = sample_points(weights, rng)
    t = trace(weights, x1, x2)
    patterns = on_pattern(weights, x1, x2).T
    spans = (h1 - l1, h2 - l2)
    near = np.zeros(x1.shape, dtype=bool)
    for unit, node in zip(net.hidden, t.hidden):
        if unit.weight != (0, 0):
            scale = abs(unit.weight[0]) * float(spans[0]) + abs(unit.weight[1]) * float(spans[1]) + abs(unit.bias)
            near |= np.abs(node.pre_activation) < 1e-9 * scale
    membership = np.array([inside(region, x1, x2) for region in found.regions])
    away = ~near
    assert (membership[:, away].sum(axis=0) == 1).all()
    which = membership.argmax(axis=0)
    region_patterns = np.array([region.pattern for region in found.regions])
    assert (region_patterns[which[away]] == patterns[away]).all()
    planes = np.array([region.plane.at(x1, x2) for region in found.regions])[which, np.arange(len(x1))]
    scale = 1 + np.abs(t.biased).max()
    assert np.allclose(planes[away], t.biased[away], rtol=0, atol=1e-9 * scale)
    # every pattern sampling finds is a region's; a region sampling misses is too thin for the
    # grid to hit (a convex region at least 2.2 grid steps wide holds a grid point)
    sampled = {tuple(p) for p in patterns[away]}
    assert sampled <= {region.pattern for region in found.regions}
    missed = [region for region in found.regions if region.pattern not in sampled]
    assert all(width(region, weights) < 2.2 / (GRID - 1) for region in missed), missed
    return found


def random_network(rng, units: int) -> PlaneWeights:
    """Weights as a file writes them (two decimals), creases mostly through the square."""
    rows = []
    for _ in range(units):
        w1, w2 = np.round(rng.uniform(-4, 4, 2), 2)
        through = rng.uniform(-0.3, 1.3, 2)  # a point on the crease: some miss the square
        rows.append((w1, w2, round(-(w1 * through[0] + w2 * through[1]), 2), round(rng.uniform(-2, 2), 2)))
    activation = ReLU() if rng.random() < 0.5 else LeakyReLU(round(rng.uniform(0.05, 0.5), 2))
    return network(rows, activation, output_bias=round(rng.uniform(-1, 1), 2))


@pytest.mark.parametrize("units", range(1, 7))
def test_random_networks_match_dense_sampling(units, rng):
    counts = []
    for _ in range(6):
        found = check_regions(random_network(rng, units), rng)
        counts.append(found.count)
    assert max(counts) > 1  # the creases do cut the square


@pytest.mark.parametrize(
    ("units", "count"),
    [
        ([(1, 0, -0.3), (2, 0, -1.2)], 3),  # parallel: x1 = 0.3 and x1 = 0.6 never meet
        ([(1, 0, -0.25), (1, 0, -0.5), (-1, 0, 0.75), (0, 1, -0.5)], 8),  # three parallel, one across
        ([(1, 1, 0)], 1),  # through the corner (0, 0) only: on everywhere inside
        ([(1, -1, 0)], 2),  # the diagonal, through two corners: two triangles
        ([(1, 1, -1), (1, -1, 0)], 4),  # both diagonals, meeting at the centre
        ([(0.1, 0.2, -0.3)], 1),  # through the corner (1, 1) as written in decimals: no sliver
        ([(1, 0, -2)], 1),  # outside the rectangle (x1 = 2): off everywhere
        ([(1, 0, -2), (0, 1, -0.5)], 2),  # one outside, one across
        ([(1, 0, -0.5), (-2, 0, 1)], 2),  # coincident, facing opposite ways
        ([(1, 0, -0.5), (3, 0, -1.5)], 2),  # coincident, facing the same way
        ([(0, 0, 0.5), (1, -1, 0)], 2),  # w1 = w2 = 0, bias above 0: on everywhere, no crease
        ([(0, 0, -0.5), (0, 0, 0), (1, -1, 0)], 2),  # w1 = w2 = 0, bias 0 or below: off everywhere
        ([(1, 0, -0.5), (0, 1, -0.5), (1, -1, 0)], 6),  # three through one point: 6, not 7
        ([(1, 0, 0), (0, 1, -1)], 1),  # along two edges: they cut nothing
        ([(0, -4, 1), (-4, 2, 0.5), (4, 2, -3.5)], 7),  # the plateau's triangle: 7 of 7
    ],
)
def test_degenerate_cases_are_counted_exactly(units, count, rng):
    for activation in (ReLU(), LeakyReLU(0.2)):
        found = check_regions(network(units, activation, output_bias=-0.25), rng)
        assert found.count == count


def test_a_rectangle_away_from_the_origin(rng):
    inputs = (Input("hours", -1.0, 3.0), Input("sleep", 2.0, 5.0))
    weights = network([(1, 1, -4), (2, -1, 1), (0, 1, -3.5), (1, 0, 0)], inputs=inputs)
    found = check_regions(weights, rng)
    assert found.count == independent_count(weights) > 4


def test_what_each_crease_says():
    found = regions(network([(1, 0, -0.5), (1, 1, 0), (1, 0, 0), (1, 0, -2), (0, 0, 1)]))
    across, corner, edge, outside, flat = found.creases
    assert (across.splits, across.ends) == (True, ((Fraction(1, 2), 0), (Fraction(1, 2), 1)))
    assert (corner.splits, corner.ends) == (False, None)
    assert (edge.splits, edge.ends) == (False, ((0, 0), (0, 1)))
    assert (outside.splits, outside.ends) == (False, None)
    assert flat.line.flat and flat.ends is None
    assert [region.pattern for region in found.regions] == [
        (False, True, True, False, True),
        (True, True, True, False, True),
    ]


def test_the_planes_add_the_active_units_planes():
    # leaky: an off unit still adds negative_slope times its plane
    weights = network([(2, 0, -1, 3.0), (0, 1, -0.5, -2.0)], LeakyReLU(0.1), output_bias=0.5)
    by_pattern = {region.pattern: region.plane for region in regions(weights).regions}
    # both on: 3 (2 x1 - 1) - 2 (x2 - 0.5) + 0.5
    assert by_pattern[(True, True)].text() == "6 x1 - 2 x2 - 1.5"
    # both off: 0.3 (2 x1 - 1) - 0.2 (x2 - 0.5) + 0.5
    assert by_pattern[(False, False)].text() == "0.6 x1 - 0.2 x2 + 0.3"
    relu = network([(2, 0, -1, 3.0), (0, 1, -0.5, -2.0)], ReLU(), output_bias=0.5)
    assert {r.pattern: r.plane.text() for r in regions(relu).regions}[(False, True)] == "-2 x2 + 1.5"


def test_the_plateau_preset_has_seven_regions_a_student_can_count(rng):
    weights = load_plane_weights("plateau")
    found = check_regions(weights, rng)
    assert (found.count, found.largest) == (7, 7)
    by_pattern = {region.pattern: region for region in found.regions}
    triangle = by_pattern[(False, False, False)]
    assert triangle.area == Fraction(1, 8) and triangle.plane.text() == "1"
    assert set(triangle.corners) == {
        (Fraction(1, 4), Fraction(1, 4)),
        (Fraction(3, 4), Fraction(1, 4)),
        (Fraction(1, 2), Fraction(3, 4)),
    }
    assert sorted(region.area for region in found.regions) == sorted(Fraction(n, 64) for n in (8, 10, 19, 19, 3, 3, 2))
    assert len({sum(region.pattern) for region in found.regions}) == 3  # none, one or two units on; never all three


@pytest.mark.parametrize("activation", ["softplus", "sigmoid", "tanh", "identity"])
def test_activations_without_a_crease_have_no_regions(activation):
    weights = network([(1, 0, -0.5)], make_activation(activation))
    with pytest.raises(InputFileError) as caught:
        regions(weights)
    (line,) = str(caught.value).splitlines()
    assert line.startswith("test.toml: hidden.activation: regions are cut by the creases of relu and leaky_relu units")


def run_reluviz(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "reluviz", *args], capture_output=True, text=True)


def test_the_regions_command_prints_them(tmp_path):
    text = run_reluviz("regions", "--weights", "plateau")
    assert text.returncode == 0, text.stderr
    assert "7 regions inside the rectangle; 3 units can make at most 7 in the whole plane" in text.stdout
    assert "node 2       -4 x1 + 2 x2 + 0.5 = 0, from (0.125, 0) to (0.625, 1)" in text.stdout
    as_json = run_reluviz("regions", "--weights", str(PRESETS / "plateau.toml"), "--json")
    data = json.loads(as_json.stdout)
    assert (data["count"], data["largest"], len(data["regions"])) == (7, 7, 7)
    assert sum(region["area"] for region in data["regions"]) == pytest.approx(1.0)
    assert data["regions"][0] == {
        "on": [],
        "pattern": [False, False, False],
        "corners": [[0.25, 0.25], [0.75, 0.25], [0.5, 0.75]],
        "area": 0.125,
        "plane": {"x1": 0.0, "x2": 0.0, "constant": 1.0},
    }
    assert data["units"][0]["crease"] == [[0.0, 0.25], [1.0, 0.25]]
    assert run_reluviz("regions").stdout == text.stdout  # the plateau is the default


def test_the_regions_command_refuses_in_one_line(tmp_path):
    soft = tmp_path / "soft.toml"
    soft.write_text(
        (PRESETS / "plateau.toml")
        .read_text()
        .replace('activation = "relu"          # activation of every', 'activation = "softplus"  # activation of every')
    )
    for weights, expected in [
        ("relu", f"{PRESETS / 'relu.toml'}: hidden: a one-input network"),
        (
            str(soft),
            f"{soft}: hidden.activation: regions are cut by the creases of relu and leaky_relu units; 'softplus'",
        ),
        (str(tmp_path / "none.toml"), f"{tmp_path / 'none.toml'}: no such file"),
    ]:
        result = run_reluviz("regions", "--weights", weights)
        assert result.returncode == 2 and result.stdout == ""
        (line,) = result.stderr.splitlines()
        assert line.startswith(f"reluviz: {expected}"), line


def test_the_regions_command_says_where_each_crease_is(tmp_path):
    units = [
        ("[1, 1]", "0", "1"),
        ("[1, 0]", "0", "1"),
        ("[0, 0]", "0.5", "2"),
        ("[1, 0]", "-3", "1"),
        ("[1, -1]", "0", "-1"),
    ]
    nodes = "".join(f"[[hidden.nodes]]\nweight = {w}\nbias = {b}\noutput_weight = {v}\n" for w, b, v in units)
    path = tmp_path / "edges.toml"
    path.write_text(
        f'[hidden]\nactivation = "leaky_relu"\nnegative_slope = 0.1\n{nodes}[output]\nactivation = "relu"\nbias = 0\n'
    )
    result = run_reluviz("regions", "--weights", str(path))
    assert result.returncode == 0, result.stderr
    for line in [
        "node 1       x1 + x2 = 0, touches the rectangle only at (0, 0): on throughout",
        "node 2       x1 = 0, along the edge: on throughout the inside",
        "node 3       no crease (w1 = w2 = 0): its input is 0.5 everywhere, on throughout",
        "node 4       x1 - 3 = 0, outside the rectangle: off throughout",
        "node 5       x1 - x2 = 0, from (0, 0) to (1, 1)",
        "2 regions inside the rectangle; 5 units can make at most 16 in the whole plane",
    ]:
        assert line in result.stdout, result.stdout
    # where node 5 is off (above the diagonal), leaky: x1 + x2 + x1 + 2 * 0.5 + 0.1 (x1 - 3) - 0.1 (x1 - x2)
    assert "2 x1 + 1.1 x2 + 0.7" in result.stdout
