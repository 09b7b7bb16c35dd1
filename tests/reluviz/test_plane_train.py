"""Training a two-input network: our backward against finite differences, fits to data a known
network made, determinism, restarts that start alive, snapshots, the command, and the cone preset."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import tomllib
from pathlib import Path

import numpy as np
import pytest

from reluviz.activations import make_activation
from reluviz.files.paths import ASSETS
from reluviz.files.plane_data import DEFAULT_PLANE_DATA, load_plane_dataset
from reluviz.files.plane_weights import load_plane_weights
from reluviz.model import HiddenUnit, Input, Network, PlaneWeights
from reluviz.network import backward_through, parameter_vector, with_parameters
from reluviz.plane.network import trace
from reluviz.plane.regions import regions
from reluviz.plane.train import snapshot_epochs, snapshots, train_plane, training_snapshots
from reluviz.train import TrainingSettings, fit_summary

SEED = 20261126
QUICK = TrainingSettings(nodes=3, epochs=2000, restarts=8)


def plane_weights(units, activation: str = "relu", output_bias: float = 0.5, rectangle=((0, 1), (0, 1))):
    """A two-input network from (w1, w2, b, output weight) per unit, output ReLU."""
    hidden = tuple(HiddenUnit((float(w1), float(w2)), float(b), float(v)) for w1, w2, b, v in units)
    net = Network(hidden, make_activation(activation), make_activation("relu"), output_bias)
    inputs = tuple(Input(name, float(low), float(high)) for name, (low, high) in zip(("x1", "x2"), rectangle))
    return PlaneWeights("test", Path("test.toml"), "", inputs, net)


def numpy_output(vector: np.ndarray, x1: np.ndarray, x2: np.ndarray, hidden) -> np.ndarray:
    """The network written out in numpy from its 4N + 1 numbers (w1, w2, b per unit, then the
    output weights, then the output bias), independently of reluviz's forward pass."""
    nodes = (len(vector) - 1) // 4
    units = vector[: 3 * nodes].reshape(nodes, 3)
    pre = units[:, :1] * x1 + units[:, 1:2] * x2 + units[:, 2:]
    return np.maximum(0.0, vector[3 * nodes : 4 * nodes] @ hidden(pre) + vector[-1])


HIDDEN = {
    "relu": lambda z: np.maximum(0.0, z),
    "leaky_relu": lambda z: np.where(z > 0, z, 0.01 * z),
    "softplus": lambda z: np.log1p(np.exp(z)),
}


@pytest.mark.parametrize("activation", sorted(HIDDEN))
def test_backward_matches_central_differences_of_the_two_input_loss(activation):
    rng = np.random.default_rng(SEED)
    units = [(*rng.normal(0, 2, 2), rng.normal(0, 1), rng.normal(0, 1)) for _ in range(4)]
    weights = plane_weights(units, activation, output_bias=1.0)
    x1, x2 = rng.uniform(0, 1, 60), rng.uniform(0, 1, 60)
    target = rng.uniform(0, 1, 60)
    theta = parameter_vector(weights)
    assert len(theta) == 4 * 4 + 1

    def loss(vector):
        return np.mean((numpy_output(vector, x1, x2, HIDDEN[activation]) - target) ** 2)

    out = trace(weights, x1, x2)
    assert np.allclose(out.output, numpy_output(theta, x1, x2, HIDDEN[activation]), atol=1e-12)
    assert np.count_nonzero(out.biased > 0) > 20  # the output ReLU is open at many points: gradients flow
    gradient = backward_through(
        weights.network, out.hidden, out.biased, (out.x1, out.x2), 2 * (out.output - target) / 60
    )
    h = 1e-6
    numeric = [(loss(theta + h * e) - loss(theta - h * e)) / (2 * h) for e in np.eye(len(theta))]
    np.testing.assert_allclose(gradient, numeric, rtol=1e-5, atol=1e-8)


def test_with_parameters_puts_the_numbers_back_where_parameter_vector_took_them():
    weights = plane_weights([(1, 2, 3, 4), (5, 6, 7, 8)], output_bias=9)
    assert parameter_vector(weights).tolist() == [1, 2, 3, 5, 6, 7, 4, 8, 9]
    assert with_parameters(weights, np.arange(9.0)).network.hidden[1] == HiddenUnit((3.0, 4.0), 5.0, 7.0)


#: A known network the data comes from: two units folding along the same line, x2 = 0.1 x1 - 1
#: (from (10, 0) to (20, 1)), making a ridge along it, and a third folding along x1 = 20, lifting
#: the right half; on the rectangle x1 in [10, 30], x2 in [-1, 1] (not the unit square, so the
#: trainer's rescaling is tried too).
TEACHER = plane_weights(
    [(0.1, -1.0, -1.0, -1.0), (-0.1, 1.0, 1.0, -1.0), (0.1, 0.0, -2.0, 0.5)],
    output_bias=2.0,
    rectangle=((10, 30), (-1, 1)),
)


@pytest.fixture(scope="module")
def teacher_data(tmp_path_factory):
    rng = np.random.default_rng(SEED)
    x1, x2 = rng.uniform(10, 30, 300), rng.uniform(-1, 1, 300)
    target = trace(TEACHER, x1, x2).output
    path = tmp_path_factory.mktemp("data") / "teacher.csv"
    path.write_text("x1,x2,target\n" + "".join(f"{a:.17g},{b:.17g},{t:.17g}\n" for a, b, t in zip(x1, x2, target)))
    return load_plane_dataset(path)


@pytest.fixture(scope="module")
def teacher_trained(teacher_data):
    return train_plane(teacher_data, QUICK)


#: Data a three-unit network made can be fitted by three units almost exactly: its variance (a
#: flat plane's error) is 0.37; two units, one crease short, stay at 0.0043 or more (measured,
#: seeds 0 to 3); three reached 0.00002 or less from seeds 0 to 3 (measured). Below this every
#: crease is found.
TEACHER_ERROR = 0.0001


def test_training_recovers_data_a_known_network_made(teacher_data, teacher_trained):
    assert teacher_data.target.var() > 50 * TEACHER_ERROR
    summary = fit_summary(teacher_trained.weights, teacher_data)
    assert summary.mean_squared_error < TEACHER_ERROR
    assert summary.mean_squared_error == pytest.approx(teacher_trained.loss[-1], rel=1e-9)
    two_units = train_plane(teacher_data, dataclasses.replace(QUICK, nodes=2))
    assert two_units.loss[-1] > 20 * TEACHER_ERROR  # three creases are needed: two cannot make it


def test_the_recorded_loss_is_the_error_of_the_recorded_weights_in_the_datas_units(teacher_data, teacher_trained):
    for epoch in (0, 50, QUICK.epochs):
        weights = teacher_trained.weights_at(epoch)
        output = numpy_output(parameter_vector(weights), teacher_data.x1, teacher_data.x2, HIDDEN["relu"])
        error = np.mean((output - teacher_data.target) ** 2)
        assert error == pytest.approx(teacher_trained.loss[epoch], rel=1e-9, abs=1e-12)


def test_deterministic_for_a_seed_and_different_for_another(teacher_data, teacher_trained):
    again = train_plane(teacher_data, QUICK)
    assert np.array_equal(again.path, teacher_trained.path)
    other = train_plane(teacher_data, dataclasses.replace(QUICK, seed=7))
    assert not np.array_equal(other.path[0], teacher_trained.path[0])


@pytest.mark.parametrize("seed", range(5))
def test_every_unit_starts_with_its_crease_across_the_rectangle(teacher_data, seed):
    start = train_plane(teacher_data, dataclasses.replace(QUICK, seed=seed, epochs=0)).weights_at(0)
    assert start.rectangle == teacher_data.rectangle  # the data's own ranges
    assert all(crease.splits for crease in regions(start).creases)
    on = np.array([trace(start, teacher_data.x1, teacher_data.x2).hidden[i].activation > 0 for i in range(3)])
    assert np.all(on.any(axis=1)) and not np.any(on.all(axis=1))  # each unit on at some points, off at others


def test_snapshots_show_the_winner_at_a_few_epochs(teacher_data, teacher_trained):
    # 0, then seven epochs evenly spaced on a log scale from 1 to 3000: 3000 ** (k / 6), rounded
    assert snapshot_epochs(3000) == (0, *(round(3000 ** (k / 6)) for k in range(7)))
    kept = snapshots(teacher_trained)
    assert [snap.epoch for snap in kept] == list(snapshot_epochs(QUICK.epochs))
    for snap in kept:
        assert isinstance(snap.weights, PlaneWeights)
        assert snap.loss == teacher_trained.loss[snap.epoch]
        assert snap.weights == teacher_trained.weights_at(snap.epoch)
    assert kept[-1].loss < kept[0].loss / 100
    chosen = training_snapshots(teacher_data, QUICK, epochs=[0, 10, QUICK.epochs])
    assert [snap.loss for snap in chosen] == [teacher_trained.loss[e] for e in (0, 10, QUICK.epochs)]


def run_reluviz(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "reluviz", *map(str, args)], capture_output=True, text=True)


def test_the_command_trains_on_two_input_data_and_writes_a_file_check_and_regions_accept(tmp_path, teacher_data):
    data = tmp_path / "teacher.csv"
    data.write_bytes(teacher_data.path.read_bytes())
    out = tmp_path / "fit.toml"
    result = run_reluviz("train", data, out, "--nodes", "3", "--epochs", "2000", "--restarts", "8")
    assert result.returncode == 0, result.stderr
    assert "3 relu hidden nodes and two inputs (x1, x2)" in result.stdout and "epoch   2000/2000" in result.stdout
    text = out.read_text()
    assert text.count("[[hidden.nodes]]") == 3 and "[inputs]" in text and 'data = "teacher.csv"' in text
    weights = load_plane_weights(out)
    assert weights.data_path == data
    assert fit_summary(weights, load_plane_dataset(data)).mean_squared_error < TEACHER_ERROR
    checked = run_reluviz("check", "--weights", out)
    assert checked.returncode == 0 and checked.stdout.startswith(f"{out}: ok (a two-input network"), checked
    cut = run_reluviz("regions", "--weights", out)
    assert cut.returncode == 0 and "regions inside the rectangle" in cut.stdout, cut.stderr


def test_the_command_refuses_broken_two_input_data_in_one_line_and_writes_nothing(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("x1,x2,target\n0,0,0\n1,0,0\n0,1,high\n1,1,1\n")
    out = tmp_path / "fit.toml"
    result = run_reluviz("train", bad, out)
    assert result.returncode == 2
    assert result.stderr.strip() == f"reluviz: {bad}: line 4: target: expected a number, got 'high'"
    assert list(tmp_path.iterdir()) == [bad]


CONE = ASSETS / "weights" / "cone.toml"
#: The cone preset's error on the cone data. Fair because: the data's variance (a flat plane's
#: error) is 0.062; one unit (a roof) reaches 0.052 at best, two 0.031 (measured), and three
#: flat-faced units around the peak reach 0.0006 (the preset) against a round cone.
CONE_ERROR = 0.001


def test_the_cone_preset_fits_the_cone_data_computed_independently():
    table = np.loadtxt(DEFAULT_PLANE_DATA, delimiter=",", skiprows=1)
    x1, x2, target = table.T
    preset = tomllib.loads(CONE.read_text())
    assert preset["inputs"]["data"] == "../data/cone.csv" and preset["inputs"]["low"] == [0, 0]
    nodes = preset["hidden"]["nodes"]
    assert len(nodes) == 3 and preset["hidden"]["activation"] == "relu"
    hidden = [np.maximum(0.0, n["weight"][0] * x1 + n["weight"][1] * x2 + n["bias"]) for n in nodes]
    output = np.maximum(0.0, sum(n["output_weight"] * h for n, h in zip(nodes, hidden)) + preset["output"]["bias"])
    error = np.mean((output - target) ** 2)
    assert target.var() > 50 * CONE_ERROR
    assert error < CONE_ERROR
    assert error == pytest.approx(
        fit_summary(load_plane_weights("cone"), load_plane_dataset(DEFAULT_PLANE_DATA)).mean_squared_error
    )


def test_the_cone_preset_has_the_seven_regions_its_comment_names():
    """Counted without reluviz.plane.regions: the activation patterns on a fine grid (the
    smallest region, the triangle at the peak, is about 0.01 across: 10 grid steps)."""
    preset = tomllib.loads(CONE.read_text())
    x1, x2 = np.meshgrid(np.linspace(0, 1, 1001), np.linspace(0, 1, 1001))
    on = [n["weight"][0] * x1 + n["weight"][1] * x2 + n["bias"] > 0 for n in preset["hidden"]["nodes"]]
    patterns = {tuple(pattern) for pattern in np.stack(on, axis=-1).reshape(-1, 3).tolist()}
    assert len(patterns) == 7
    assert regions(load_plane_weights("cone")).count == 7
    assert "the 7 regions" in CONE.read_text()
