"""Two-input weights files: weight = [w1, w2] in [[hidden.nodes]], an optional [inputs] table;
each kind of bad file is one line naming the file and the key; one-input files are unchanged."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from reluviz.activations import LeakyReLU, ReLU
from reluviz.files.errors import InputFileError
from reluviz.files.plane_weights import load_any_weights, load_plane_weights
from reluviz.files.weights import PRESETS, load_weights
from reluviz.model import Input, PlaneWeights, Weights
from reluviz.plane.network import on_pattern, trace
from reluviz.words.numbers import format_number

PLATEAU = PRESETS / "plateau.toml"


def plane_file(units, hidden="relu", output="relu", output_bias="1", inputs="", extra_hidden="") -> str:
    """A two-input weights file; ``units`` are (weight, bias, output_weight) as the file writes
    them, the weight as a pair "[1, -2]" (or anything else, to test what is refused)."""
    nodes = "".join(f"\n[[hidden.nodes]]\nweight = {w}\nbias = {b}\noutput_weight = {v}\n" for w, b, v in units)
    return (
        f'{inputs}\n[hidden]\nactivation = "{hidden}"\n{extra_hidden}{nodes}\n'
        f'[output]\nactivation = "{output}"\nbias = {output_bias}\n'
    )


THREE = [("[1.5, -2]", "0.25", "2.0"), ("[0, 1]", "-0.5", "-1"), ("[-3, 0.5]", "1", "0.75")]


@pytest.fixture
def write_plane(tmp_path):
    def write(text: str, name: str = "plane") -> object:
        path = tmp_path / f"{name}.toml"
        path.write_text(text)
        return path

    return write


def problems_of(path, loader=load_plane_weights) -> list[str]:
    with pytest.raises(InputFileError) as caught:
        loader(path)
    lines = str(caught.value).splitlines()
    assert all(line.startswith(f"{path}: ") for line in lines), lines
    return [line.removeprefix(f"{path}: ") for line in lines]


def test_the_plateau_preset_is_a_two_input_network_of_three_relu_units():
    weights = load_plane_weights("plateau")
    assert isinstance(weights, PlaneWeights) and weights.name == "plateau"
    assert weights.inputs == (Input("x1", 0.0, 1.0), Input("x2", 0.0, 1.0))
    net = weights.network
    assert net.inputs == 2 and len(net.hidden) == 3 and net.hidden_activation == ReLU()
    assert [unit.weight for unit in net.hidden] == [(0, -4), (-4, 2), (4, 2)]
    assert [unit.bias for unit in net.hidden] == [1, 0.5, -3.5]
    assert weights.rectangle == ((0.0, 1.0), (0.0, 1.0))
    assert weights.key(2, "weight") == "hidden.nodes[3].weight"


def test_without_inputs_the_inputs_are_x1_and_x2_from_0_to_1(write_plane):
    weights = load_plane_weights(write_plane(plane_file(THREE, output_bias="-0.5")))
    assert weights.inputs == (Input("x1", 0.0, 1.0), Input("x2", 0.0, 1.0))
    assert [format_number(x) for x in weights.network.hidden[0].weight] == ["1.5", "-2"]  # as the file writes them
    assert weights.network.output_bias == -0.5


def test_inputs_name_the_axes_and_give_their_ranges(write_plane):
    inputs = '[inputs]\nnames = ["hours", "sleep"]\nlow = [-1.0, 2]\nhigh = [1.0, 10]\n'
    weights = load_plane_weights(write_plane(plane_file(THREE, inputs=inputs)))
    assert weights.inputs == (Input("hours", -1.0, 1.0), Input("sleep", 2.0, 10.0))
    assert weights.rectangle == ((-1.0, 1.0), (2.0, 10.0))
    only_names = load_plane_weights(write_plane(plane_file(THREE, inputs='[inputs]\nnames = ["a", "b"]\n'), "names"))
    assert only_names.inputs == (Input("a", 0.0, 1.0), Input("b", 0.0, 1.0))


def test_leaky_relu_and_every_other_activation_load(write_plane):
    leaky = load_plane_weights(
        write_plane(plane_file(THREE, hidden="leaky_relu", extra_hidden="negative_slope = 0.2\n"), "leaky")
    )
    assert leaky.network.hidden_activation == LeakyReLU(0.2)
    for activation in ("softplus", "sigmoid", "tanh", "identity"):
        weights = load_plane_weights(write_plane(plane_file(THREE, hidden=activation, output=activation), activation))
        assert weights.network.hidden_activation.name == activation


@pytest.mark.parametrize("count", [1, 6])
def test_one_to_six_units_load(write_plane, count):
    units = [(f"[{i + 1}, {-i}]", "0.1", "1") for i in range(count)]
    weights = load_plane_weights(write_plane(plane_file(units)))
    assert len(weights.network.hidden) == count and weights.network.unit_names()[0] in ("node 1", "top")


ONE = [("[1, 2]", "0", "1")]


@pytest.mark.parametrize(
    ("units", "inputs", "expected"),
    [
        (
            [THREE[0], ("1.5", "-0.5", "-1")],
            "",
            "hidden.nodes[2].weight: expected a pair [w1, w2], one weight per input, as this two-input network's "
            "other nodes have, got one number, 1.5",
        ),
        (
            [("[1, 2, 3]", "0", "1")],
            "",
            "hidden.nodes[1].weight: expected a pair [w1, w2], one weight per input, got 3 numbers "
            "(there are two inputs)",
        ),
        ([("[1, nan]", "0", "1")], "", "hidden.nodes[1].weight: w2: expected a finite number, got nan"),
        ([("[1, 'a']", "0", "1")], "", "hidden.nodes[1].weight: w2: expected a number, got 'a'"),
        ([("[1, 5000]", "0", "1")], "", "hidden.nodes[1].weight: w2: 5000 is too large to draw"),
        ([*ONE, ("'x'", "0", "1")], "", "hidden.nodes[2].weight: expected a pair [w1, w2]"),
        (ONE, '[inputs]\nnames = ["x", "x"]\n', "inputs.names: the two inputs need two names, got 'x' twice"),
        (ONE, '[inputs]\nnames = ["x"]\n', 'inputs.names: expected two names in quotes, e.g. ["x1", "x2"]'),
        (ONE, '[inputs]\nnames = ["", "y"]\n', "inputs.names: item 1: expected a name of 1 to 20"),
        (
            ONE,
            "[inputs]\nlow = [0, 1]\nhigh = [1, 0.5]\n",
            "inputs.high: x2's (item 2) must be larger than its low (1), got 0.5",
        ),
        (ONE, "[inputs]\nlow = [0, 1, 2]\n", "inputs.low: expected 2 numbers, got 3"),
        (ONE, "[inputs]\nlo = [0, 1]\n", "inputs.lo: unknown key (valid keys here: names, low, high, data)"),
        (ONE, "[dosage]\nlow = 0\nhigh = 1\n", "dosage: a two-input network (its weights are pairs [w1, w2])"),
        (ONE * 7, "", "hidden.nodes: 7 given; give 1 to 6"),
        (ONE, "inputs = 3\n", "inputs: expected a table [inputs], got 3"),
        (
            [("[900, 900]", "0", "1")],
            "[inputs]\nhigh = [1000, 1000]\n",
            "hidden.nodes[1].weight, hidden.nodes[1].bias: node 1's input reaches 1.8e+06 at x1 = 1000, x2 = 1000, "
            "past the +-100000",
        ),
    ],
)
def test_each_problem_is_one_line_naming_the_key(write_plane, units, inputs, expected):
    lines = problems_of(write_plane(plane_file(units, inputs=inputs)))
    assert any(line.startswith(expected) for line in lines), lines


def test_the_rest_is_checked_as_for_one_input(write_plane):
    path = write_plane(
        plane_file(THREE, hidden="gelu", extra_hidden="negative_slope = 0.5\n").replace("bias = 1\n", "")
    )
    lines = problems_of(path)
    assert (
        "hidden.activation: expected one of 'identity', 'leaky_relu', 'relu', 'sigmoid', 'softplus', 'tanh', "
        "got 'gelu' (did you mean 'relu'?)"
    ) in lines
    assert "output.bias: missing key" in lines
    slope = problems_of(write_plane(plane_file(THREE, extra_hidden="negative_slope = 0.5\n"), "slope"))
    assert slope[0].startswith("hidden.negative_slope: only leaky_relu has a negative slope")


def test_every_problem_is_reported_not_just_the_first(write_plane):
    units = [("[1, nan]", "0", "1"), ("2", "0", "1")]
    lines = problems_of(write_plane(plane_file(units, inputs="[inputs]\nnames = 1\n").replace("bias = 1\n", "")))
    assert [line.split(":")[0] for line in lines] == [
        "inputs.names",
        "hidden.nodes[1].weight",
        "hidden.nodes[2].weight",
        "output.bias",
    ]


def test_one_input_commands_refuse_a_two_input_file_in_one_line(write_plane):
    path = write_plane(plane_file([("[1, 2]", "0", "1"), ("3", "0", "1"), ("[1, 2]", "0", "1")]))
    (line,) = problems_of(path, load_weights)
    assert line.startswith("hidden.nodes[1].weight: [w1, w2] makes a two-input network: `make render` tells Parts I")
    (line,) = problems_of(PLATEAU, load_weights)
    assert "tables, gradients and batches take one input" in line


def test_a_one_input_file_is_not_a_two_input_one(write_weights):
    (line,) = problems_of(PRESETS / "relu.toml")
    assert line.startswith("hidden: a one-input network (each node's weight is a number, for the dosage)")
    lines = problems_of(
        write_weights(text=(PRESETS / "wide.toml").read_text() + "\n[inputs]\nlow = [0, 0]\n"), load_weights
    )
    assert lines == [
        "inputs: only a two-input network has [inputs] (its nodes' weights are pairs [w1, w2]); "
        "a one-input network's input is [dosage]"
    ]


def test_load_any_weights_reads_both_kinds():
    assert isinstance(load_any_weights("plateau"), PlaneWeights)
    one = load_any_weights("wide")
    assert isinstance(one, Weights) and one.network == load_weights("wide").network and one.network.inputs == 1


def test_the_forward_pass_adds_each_units_folded_plane():
    weights = load_plane_weights("plateau")
    x1, x2 = np.meshgrid(np.linspace(0, 1, 11), np.linspace(0, 1, 11))
    t = trace(weights, x1, x2)
    by_hand = 1 - sum(
        np.maximum(0, w1 * x1 + w2 * x2 + b) for (w1, w2), b in [((0, -4), 1), ((-4, 2), 0.5), ((4, 2), -3.5)]
    )
    assert np.allclose(t.biased, by_hand) and np.allclose(t.output, np.maximum(0, by_hand))
    assert t.output[5, 5] == 1.0  # (0.5, 0.5): inside the triangle, every unit off: the plateau's top
    assert on_pattern(weights, 0.5, 0.5).tolist() == [False, False, False]
    assert on_pattern(weights, 0.0, 0.0).tolist() == [True, True, False]
    assert set(t.columns()) >= {"x1", "x2", "node1_pre_activation", "node3_scaled", "summed", "biased", "output"}


def run_reluviz(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "reluviz", *args], capture_output=True, text=True)


def test_check_accepts_a_two_input_file_and_table_refuses_it_in_one_line():
    checked = run_reluviz("check", "--weights", "plateau")
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.startswith(f"{PLATEAU}: ok (a two-input network")
    result = run_reluviz("table", "--weights", "plateau")  # a render tells Parts I and III for it (tests/studio)
    assert result.returncode == 2 and result.stdout == ""
    (line,) = result.stderr.splitlines()  # no traceback
    assert line.startswith(f"reluviz: {PLATEAU}: hidden.nodes[1].weight: [w1, w2] makes a two-input network")


def test_inputs_may_name_the_data_file_relative_to_the_weights_file(write_plane, tmp_path):
    (tmp_path / "points.csv").write_text("x1,x2,target\n0,0,0\n1,0,0\n0,1,0\n1,1,1\n")
    named = load_plane_weights(write_plane(plane_file(THREE, inputs='[inputs]\ndata = "points.csv"\n')))
    assert named.data_path == tmp_path / "points.csv"
    assert load_plane_weights(write_plane(plane_file(THREE))).data_path is None  # no key: no data
    path = write_plane(plane_file(THREE, inputs='[inputs]\ndata = "gone.csv"\n'), name="gone")
    (line,) = problems_of(path)
    assert line.startswith("inputs.data: no such file 'gone.csv' (looked for ")
    assert line.endswith("remove the key (the file then names no data)")
