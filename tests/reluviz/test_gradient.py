"""One gradient step (reluviz.gradient, `reluviz gradient`): against finite differences for
every size and activation, against a calculation done by hand, and the lesson's point."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
from instruments.networks import random_weights

from reluviz.files.data import DEFAULT_DATA, load_dataset
from reluviz.files.weights import load_weights
from reluviz.gradient import gradient_step, lesson_step, teaching_point
from reluviz.network import parameter_vector, trace, with_parameters

ALL_ACTIVATIONS = ["identity", "leaky_relu", "relu", "sigmoid", "softplus", "tanh"]


def off_every_corner(rng, weights) -> tuple[float, float]:
    """A dosage and target drawn until no node's input and not the output's lies within 1e-4 of a
    corner (finite differences of step 1e-6 then cross none)."""
    while True:
        dosage, target = rng.uniform(0.0, 1.0), rng.uniform(0.0, 1.0)
        t = trace(weights, dosage)
        inputs = [float(node.pre_activation) for node in t.hidden] + [float(t.biased)]
        if min(abs(x) for x in inputs) > 1e-4:
            return dosage, target


@pytest.mark.parametrize("nodes", range(1, 7))
@pytest.mark.parametrize("activation", ALL_ACTIVATIONS)
def test_every_gradient_matches_finite_differences(rng, nodes, activation):
    output = "relu" if nodes % 2 else "sigmoid"
    weights = random_weights(rng, nodes, activation, output)
    dosage, target = off_every_corner(rng, weights)
    step = gradient_step(weights, dosage, target, rate=0.01)

    def loss(vector) -> float:
        return float((trace(with_parameters(weights, vector), dosage).output - target) ** 2)

    theta = parameter_vector(weights)
    numeric = [(loss(theta + h) - loss(theta - h)) / 2e-6 for h in np.eye(len(theta)) * 1e-6]
    np.testing.assert_allclose(step.gradient, numeric, rtol=1e-5, atol=1e-8)
    np.testing.assert_allclose(parameter_vector(step.stepped), theta - 0.01 * step.gradient)
    assert step.new_loss == pytest.approx(loss(parameter_vector(step.stepped)), rel=1e-12)


MINE = """\
[dosage]
low = 0.0
high = 1.0

[hidden]
activation = "relu"

[[hidden.nodes]]
weight = 2.0
bias = -1.0
output_weight = 1.5

[[hidden.nodes]]
weight = -1.0
bias = 0.5
output_weight = 2.0

[output]
activation = "relu"
bias = 0.1
"""


def test_the_command_matches_a_calculation_by_hand(tmp_path):
    # By hand, at dosage 0.3, target 1, rate 0.01:
    #   node 1: x = 2 * 0.3 - 1 = -0.4 -> ReLU 0, gate closed; node 2: x = -0.3 + 0.5 = 0.2 -> 0.2, gate open
    #   sum = 1.5 * 0 + 2 * 0.2 = 0.4; + 0.1 = 0.5 > 0, so the output gate is open; output 0.5
    #   loss (0.5 - 1)^2 = 0.25; dloss/doutput = 2 * (0.5 - 1) = -1
    #   output bias: -1; output weights: -1 * 0 = 0 and -1 * 0.2 = -0.2
    #   node 2: -1 * 2 (its output weight) * 1 (gate) = -2 for its bias, -2 * 0.3 = -0.6 for its weight
    #   node 1: closed gate, 0 and 0
    #   after: node 2 weight -1 + 0.006 = -0.994, bias 0.52, output weight 2.002, output bias 0.11
    #   new output: (-0.994 * 0.3 + 0.52) * 2.002 + 0.11 = 0.5540436; loss 0.4459564^2 = 0.19887711
    (tmp_path / "mine.toml").write_text(MINE)
    done = subprocess.run(
        [sys.executable, "-m", "reluviz", "gradient", "--json", "--weights", str(tmp_path / "mine.toml"),
         "--dosage", "0.3", "--target", "1", "--rate", "0.01"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    result = json.loads(done.stdout)
    approx = lambda x: pytest.approx(x, abs=1e-9)  # noqa: E731
    assert [n["x"] for n in result["forward"]["nodes"]] == [approx(-0.4), approx(0.2)]
    assert [n["output"] for n in result["forward"]["nodes"]] == [0, approx(0.2)]
    assert result["forward"]["sum_plus_bias"] == approx(0.5)
    assert result["loss"] == approx(0.25)
    assert result["gradient"]["output"] == approx(-1)
    assert result["gradient"]["output_bias"] == approx(-1)
    nodes = result["gradient"]["nodes"]
    assert [n["gate"] for n in nodes] == [0, 1]
    assert [(n["weight"], n["bias"], n["output_weight"]) for n in nodes] == [
        (0, 0, 0),
        (approx(-0.6), approx(-2), approx(-0.2)),
    ]
    after = result["after"]["nodes"]
    assert (after[0]["weight"], after[0]["bias"], after[0]["output_weight"]) == (2.0, -1.0, 1.5)
    assert (after[1]["weight"], after[1]["bias"], after[1]["output_weight"]) == (
        approx(-0.994), approx(0.52), approx(2.002),
    )  # fmt: skip
    assert result["after"]["output_bias"] == approx(0.11)
    assert result["after"]["output"] == approx(0.5540436)
    assert result["after"]["loss"] == approx(0.19887711)


def test_relu_on_its_kink_passes_no_gradient_as_stage_13_defines():
    # the lesson's top node: 1.70 * 0.5 - 0.85 is exactly 0
    step = gradient_step(load_weights("relu"), 0.5, 1.0, 0.01)
    top, bottom = step.nodes
    assert top.x == 0 and top.gate == 0 and top.closed
    assert (top.weight, top.bias, top.output_weight) == (0, 0, 0)
    assert bottom.gate == 1 and not bottom.closed


def test_the_lesson_step_is_at_dosage_half_and_lowers_the_loss():
    weights, data = load_weights("relu"), load_dataset(DEFAULT_DATA)
    step = lesson_step(weights, data.dosage, data.effectiveness)
    # dosages 0 and 1: the output ReLU's gate is closed (the sum plus bias is -16 and -16.7), so
    # nothing learns from them; at 0.5 the output 1.01 misses the target 1
    assert (step.dosage, step.target) == (0.5, 1.0)
    assert step.output == pytest.approx(1.01) and step.loss == pytest.approx(1e-4)
    # the rate removes about half the error: one significant digit
    assert step.rate == 0.005
    assert 0.4 < (step.new_output - step.target) / (step.output - step.target) < 0.6


def test_the_point_with_open_and_closed_gates_teaches_most(rng):
    weights = random_weights(rng, 3, "relu", "identity")
    dosages = np.linspace(0.0, 1.0, 11)
    targets = trace(weights, dosages).output + 0.1
    gates = np.array([[node.pre_activation > 0 for node in trace(weights, d).hidden] for d in dosages])
    mixed = gates.any(axis=1) & ~gates.all(axis=1)
    assert mixed.any() and not mixed.all(), "test setup: some points with mixed gates, some without"
    assert mixed[teaching_point(weights, dosages, targets)]


@pytest.mark.parametrize(
    "options, problem",
    [
        (["--rate", "-0.1"], "--rate must be above 0"),
        (["--dosage", "nan"], "--dosage must be a finite number"),
        (["--weights", "no_such_preset"], "no_such_preset"),
    ],
)
def test_bad_options_are_one_line_and_exit_2(options, problem):
    done = subprocess.run([sys.executable, "-m", "reluviz", "gradient", *options], capture_output=True, text=True)
    assert done.returncode == 2
    assert problem in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert done.stdout == ""
