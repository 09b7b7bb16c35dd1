"""Part III's stages (16 to 19) say the network's numbers, each computed here with numpy from the
weights file's own numbers: the first unit's plane and crease, the regions counted from a grid
of activation patterns, a region's plane fitted by least squares to sampled outputs, the
output's top and the share of the inputs where it is 0; stage 20's errors at the start and end of
its training, each the mean squared error on the data's CSV. For the plateau preset and for a
second network (four leaky ReLU units over a rectangle, one crease outside it); every frame
checked on both themes; the 3-D stages construct in reasonable time."""

from __future__ import annotations

import re
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from reluviz.files.weights import PRESETS
from reluviz.scenes.framework.inputs import StoryInputs
from reluviz.words.numbers import MINUS, Written, rounded, term
from reluviz.words.numbers import shown as num

STAGES = ("plane_unit", "plane_regions", "plane_sum", "plane_output", "plane_training")
THREE_D = ("plane_unit", "plane_sum", "plane_output", "plane_training")
#: Seconds a 3-D stage may take to construct (skipping animations) on a shared two-core machine.
CONSTRUCT_SECONDS = 60.0
#: Grid points along each side of the rectangle for sampling.
GRID = 1201

FOUR = """
[inputs]
names = ["x1", "x2"]
low = [0.0, 0.0]
high = [2.0, 1.0]

[hidden]
activation = "leaky_relu"
negative_slope = 0.1

[[hidden.nodes]]
weight = [2.0, 1.0]
bias = -1.5
output_weight = 1.0

[[hidden.nodes]]
weight = [-1.0, 2.0]
bias = 0.4
output_weight = -0.8

[[hidden.nodes]]
weight = [1.0, -3.0]
bias = 0.6
output_weight = 0.5

[[hidden.nodes]]
weight = [0.5, 0.5]
bias = 0.1
output_weight = -0.6

[output]
activation = "relu"
bias = 0.3
"""


@dataclass
class Net:
    """A two-input file's numbers, read with tomllib (keeping how the file writes them)."""

    weights: np.ndarray  # (units, 2)
    biases: np.ndarray
    out: np.ndarray
    out_bias: float
    slope: float  # below the bend: 0 for ReLU
    low: np.ndarray
    high: np.ndarray
    written: dict

    def forward(self, x1: np.ndarray, x2: np.ndarray):
        pre = self.weights[:, :1, None] * x1 + self.weights[:, 1:, None] * x2 + self.biases[:, None, None]
        hidden = np.where(pre > 0, pre, self.slope * pre)
        biased = np.tensordot(self.out, hidden, axes=1) + self.out_bias
        return pre, biased, np.maximum(biased, 0.0)

    def grid(self):
        x1, x2 = np.meshgrid(np.linspace(self.low[0], self.high[0], GRID), np.linspace(self.low[1], self.high[1], GRID))
        return x1, x2, *self.forward(x1, x2)


def read(path: Path) -> Net:
    doc = tomllib.loads(path.read_text(), parse_float=Written.parse)
    nodes = doc["hidden"]["nodes"]
    inputs = doc.get("inputs", {})
    return Net(
        np.array([n["weight"] for n in nodes], dtype=float),
        np.array([n["bias"] for n in nodes], dtype=float),
        np.array([n["output_weight"] for n in nodes], dtype=float),
        float(doc["output"]["bias"]),
        float(doc["hidden"].get("negative_slope", 0.1)) if doc["hidden"]["activation"] == "leaky_relu" else 0.0,
        np.array(inputs.get("low", [0.0, 0.0]), dtype=float),
        np.array(inputs.get("high", [1.0, 1.0]), dtype=float),
        doc,
    )


@pytest.fixture(scope="session")
def four(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("plane") / "four.toml"
    path.write_text(FOUR)
    return path


@pytest.fixture(scope="session")
def plane_built(construct, four):
    """A Part III stage constructed once per network and theme, with how long it took."""
    cache = {}

    def get(stage: str, network: str = "plateau", theme: str = "dark"):
        if (stage, network, theme) not in cache:
            plane = four if network == "four" else network
            start = time.perf_counter()
            run = construct(stage, StoryInputs(plane=plane, theme=theme))
            run.seconds = time.perf_counter() - start
            cache[stage, network, theme] = run
        return cache[stage, network, theme]

    return get


@pytest.fixture(scope="session")
def nets(four):
    return {"plateau": read(PRESETS / "plateau.toml"), "cone": read(PRESETS / "cone.toml"), "four": read(four)}


def captions(run) -> str:
    return " ".join(beat.caption for beat in run.scene.beats)


@pytest.mark.parametrize("network, theme", [("four", "dark"), ("plateau", "light")])
@pytest.mark.parametrize("stage", STAGES)
def test_every_frame_reads_for_another_network_and_the_light_theme(plane_built, stage, network, theme):
    run = plane_built(stage, network, theme)
    assert len(run.steps) >= 5
    for step in run.steps:
        assert step.problems == [], f"{stage} ({network}, {theme}) at {step.time:.1f} s: {step.problems}"


@pytest.mark.parametrize("stage", THREE_D)
def test_the_3d_stages_construct_in_reasonable_time(plane_built, stage):
    assert plane_built(stage).seconds < CONSTRUCT_SECONDS


@pytest.mark.parametrize("network", ["plateau", "four"])
def test_plane_unit_says_the_first_units_plane_and_crease(plane_built, nets, network):
    net = nets[network]
    node = net.written["hidden"]["nodes"][0]
    (w1, w2), b = node["weight"], node["bias"]
    said = captions(plane_built("plane_unit", network))
    assert f"{num(w1)} x1 {term(w2)} x2 {term(b)} = 0" in said
    corners = np.array([[x, y] for x in (net.low[0], net.high[0]) for y in (net.low[1], net.high[1])])
    heights = corners @ net.weights[0] + net.biases[0]
    assert f"from {num(heights.min())} to {num(heights.max())}" in said
    # where the crease meets the rectangle's edges, solved here for each edge
    ends = set()
    for axis in (0, 1):
        for fixed in (net.low[axis], net.high[axis]):
            other = 1 - axis
            if net.weights[0][other] != 0:
                t = -(net.biases[0] + net.weights[0][axis] * fixed) / net.weights[0][other]
                if net.low[other] - 1e-12 <= t <= net.high[other] + 1e-12:
                    point = [0.0, 0.0]
                    point[axis], point[other] = fixed, t
                    ends.add((round(point[0], 9) + 0.0, round(point[1], 9) + 0.0))
    first, last = sorted(ends)[0], sorted(ends)[-1]
    assert f"from ({num(first[0])}, {num(first[1])}) to ({num(last[0])}, {num(last[1])})" in said


@pytest.mark.parametrize("network", ["plateau", "four"])
def test_plane_regions_counts_the_activation_patterns(plane_built, nets, network):
    net = nets[network]
    pre = net.grid()[2]
    patterns = np.unique((pre > 0).reshape(len(net.biases), -1).T, axis=0)
    count, units = len(patterns), len(net.biases)
    largest = 1 + units + units * (units - 1) // 2
    said = captions(plane_built("plane_regions", network))
    assert f"into {count} regions" in said and f"Counted: {count} regions." in said
    assert f"at most {largest} regions" in said
    assert ("All" in said) == (count == largest), said
    assert {float(count), float(largest)} <= plane_built("plane_regions", network).numbers_shown()


def fitted_planes(net: Net) -> list[tuple[np.ndarray, np.ndarray, int]]:
    """Each activation pattern found on the grid, the plane a x1 + b x2 + c fitted by least squares
    to the sum (before the output activation) there, and how many grid points it holds."""
    x1, x2, pre, biased, _ = net.grid()
    on = (pre > 0).reshape(len(net.biases), -1).T
    found = []
    for pattern in np.unique(on, axis=0):
        inside = np.all(on == pattern, axis=1)
        design = np.column_stack([x1.ravel()[inside], x2.ravel()[inside], np.ones(inside.sum())])
        plane, *_ = np.linalg.lstsq(design, biased.ravel()[inside], rcond=None)
        assert np.allclose(design @ plane, biased.ravel()[inside], atol=1e-9), "not one plane"
        found.append((pattern, np.where(np.abs(plane) < 1e-9, 0.0, plane), int(inside.sum())))
    return found


def plane_said(plane: np.ndarray) -> str:
    """A plane as a reader writes it, built here: terms of 0 left out, a coefficient of 1 unwritten."""
    pieces = []
    for value, name in zip(plane, ("x1", "x2", "")):
        if value == 0 and (name or pieces):
            continue
        size = "" if name and abs(value) == 1 else num(abs(value))
        text = f"{size} {name}".strip()
        sign = MINUS if value < 0 else "+"
        pieces.append(f"{sign} {text}" if pieces else ("" if value >= 0 else MINUS) + text)
    return " ".join(pieces)


@pytest.mark.parametrize("network", ["plateau", "four"])
def test_plane_sum_writes_each_regions_fitted_plane(plane_built, nets, network):
    net = nets[network]
    run = plane_built("plane_sum", network)
    fits = fitted_planes(net)
    on_screen = run.numbers_shown()
    for _, plane, _ in fits:
        assert {rounded(v) for v in plane if v != 0} <= on_screen, f"{plane} not written on the map's legend"
    said = captions(run)
    if network == "plateau":
        none = next(plane for pattern, plane, _ in fits if not pattern.any())
        assert f"Where no unit is on, only the bias is left: {plane_said(none)}." in said
    else:
        largest = max(fits, key=lambda fit: fit[2])[1]
        assert f"the largest, it is {plane_said(largest)}." in said


def test_plane_sum_says_a_single_units_region_of_the_plateau(plane_built, nets):
    net = nets["plateau"]
    fits = [(size, pattern, plane) for pattern, plane, size in fitted_planes(net) if pattern.sum() == 1]
    _, pattern, plane = max(fits, key=lambda fit: fit[0])
    unit = int(pattern.argmax())
    place = ("first", "second", "third")[unit]
    said = captions(plane_built("plane_sum"))
    expected = f"Where only the {place} unit is on: {num(net.out[unit])} × its plane {term(net.out_bias)} = "
    assert expected + plane_said(plane) + "." in said


@pytest.mark.parametrize("network", ["plateau", "four"])
def test_plane_output_names_the_shape_from_sampled_outputs(plane_built, nets, network):
    net = nets[network]
    x1, x2, _, _, output = net.grid()
    run = plane_built("plane_output", network)
    said = captions(run)
    top = float(output.max())
    assert rounded(top) in run.numbers_shown()
    share = float(np.mean(output <= 0)) * 100
    written = re.search(r"0 on the red parts, ([\d.]+)%", said)
    assert written and abs(float(written.group(1)) - share) < 0.5, (said, share)
    highest = np.isclose(output, top, atol=1e-9)
    if network == "plateau":
        # flat at the top over a whole region (a triangle strictly inside the square): a plateau
        assert highest.mean() > 0.05
        assert not (highest[0].any() or highest[-1].any() or highest[:, 0].any() or highest[:, -1].any())
        assert f"a plateau: flat at {num(top)} on the middle triangle, falling to 0 beyond." in said
    else:
        # highest at one grid point: a peak, there
        assert highest.sum() == 1
        i = np.unravel_index(np.argmax(output), output.shape)
        assert f"a peak: {num(top)} at ({num(x1[i])}, {num(x2[i])})" in said


def test_the_inputs_are_said_as_names(plane_built):
    spoken = " ".join(beat.spoken for beat in plane_built("plane_regions").scene.beats)
    assert "x one" in spoken and "x two" in spoken
    assert "times one" not in spoken and "times two" not in spoken


def data_rows(network: str) -> np.ndarray:
    """The CSV a network is trained on in stage 20 (the file's [inputs] data, else the shipped
    cone), read here with numpy: rows of x1, x2, target."""
    data = read(PRESETS / f"{network}.toml").written.get("inputs", {}).get("data")
    path = (PRESETS / data) if data else PRESETS.parent / "data" / "cone.csv"
    return np.loadtxt(path, delimiter=",", skiprows=1)


def squared_error(weights, rows: np.ndarray) -> float:
    """The mean squared error of a snapshot's network (ReLU units, ReLU output) on ``rows``."""
    net = weights.network
    w = np.array([unit.weight for unit in net.hidden])
    b = np.array([unit.bias for unit in net.hidden])
    v = np.array([unit.output_weight for unit in net.hidden])
    hidden = np.maximum(rows[:, :2] @ w.T + b, 0.0)
    return float(np.mean((np.maximum(hidden @ v + net.output_bias, 0.0) - rows[:, 2]) ** 2))


@pytest.mark.parametrize("network", ["plateau", "cone"])
def test_plane_training_says_the_error_falling_on_the_data(plane_built, nets, network):
    run = plane_built("plane_training", network)
    rows = data_rows(network)
    first, last = run.scene.snapshots[0], run.scene.snapshots[-1]
    assert first.epoch == 0 and last.epoch > 0
    assert len(first.weights.network.hidden) == len(nets[network].biases)
    start, end = squared_error(first.weights, rows), squared_error(last.weights, rows)
    assert end < start / 10, "the error falls"
    said = captions(run)
    assert f"The data: {len(rows):,} points" in said
    assert f"mean squared error {start:.4f}." in said
    assert f"After {last.epoch} epochs the error has fallen from {start:.4f} to {end:.4f}." in said
    assert {round(end, 4), float(last.epoch)} <= run.numbers_shown()
