"""Property test: for any drawable weights (1 to 6 hidden nodes, every activation), every
weight-dependent scene constructs, stays inside the frame with nothing small, faint or
touching, and shows only numbers reluviz computes.

Seeded. ``make test`` runs a quick sample; ``make test-props`` runs a few hundred weight
sets (the "thorough" profile below).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, assume, find, given, settings
from hypothesis import strategies as st

from reluviz.activations import make_activation
from reluviz.files.data import DEFAULT_DATA
from reluviz.limits import drawing_problems
from reluviz.model import HiddenUnit, Network, Weights
from reluviz.network import bends, trace
from reluviz.scenes.framework.inputs import StoryInputs
from reluviz.scenes.framework.style import LONGEST_CLIP
from reluviz.words.stages import STAGES

WEIGHT_STAGES = [s.name for s in STAGES if "weights" in s.uses]

_SLOW = [HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.function_scoped_fixture]
#: quick: part of `make test`; thorough: `make test-props`, a few hundred weight sets.
PROFILES = {
    name: settings(
        max_examples=count,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=_SLOW,
        phases=[Phase.explicit, Phase.generate],
    )  # no shrinking: each example builds eight scenes
    for name, count in (("quick", 2), ("thorough", 300))
}


def magnitude() -> st.SearchStrategy[float]:
    """Zero, or a signed number from 0.01 to about 300: small, story-sized and large weights."""
    spread = st.floats(-2.0, 2.5).map(lambda e: round(10.0**e, 3))
    return st.one_of(st.just(0.0), st.tuples(st.sampled_from([-1.0, 1.0]), spread).map(lambda p: p[0] * p[1]))


HIDDEN_ACTIVATIONS = ["relu", "leaky_relu", "softplus", "sigmoid", "tanh", "identity"]
OUTPUT_ACTIVATIONS = ["relu", "identity", "softplus", "leaky_relu"]


def network_weights(low, span, data_path, activation, units, output_activation, output_bias) -> Weights:
    return Weights(
        name="generated",
        path=Path("generated.toml"),
        digest="",
        dosage_low=low,
        dosage_high=low + span,
        data_path=data_path,
        network=Network(
            hidden_activation=activation,
            hidden=tuple(HiddenUnit(*unit) for unit in units),
            output_activation=output_activation,
            output_bias=output_bias,
        ),
    )


@st.composite
def any_weights(draw) -> Weights:
    """Any network the files allow: 1 to 6 hidden nodes, every activation."""
    low = draw(st.sampled_from([0.0, -1.0, 2.0]))
    span = draw(st.sampled_from([1.0, 0.25, 10.0]))
    data_path = draw(st.sampled_from([DEFAULT_DATA, None]))
    name = draw(st.sampled_from(HIDDEN_ACTIVATIONS))
    slope = draw(st.sampled_from([0.01, 0.1, 0.3])) if name == "leaky_relu" else None
    count = draw(st.integers(1, 6))
    units = [(draw(magnitude()), draw(magnitude()), draw(magnitude())) for _ in range(count)]
    output_activation = make_activation(draw(st.sampled_from(OUTPUT_ACTIVATIONS)))
    return network_weights(
        low, span, data_path, make_activation(name, slope), units, output_activation, draw(magnitude())
    )


@settings(PROFILES[os.environ.get("RELUVIZ_PROPERTY_PROFILE", "quick")])
@given(weights=any_weights())
def test_any_drawable_weights_draw_cleanly(construct, computed_numbers, weights):
    assume(not drawing_problems(weights))
    allowed = computed_numbers(weights)
    for name in WEIGHT_STAGES:
        run = construct(name, StoryInputs(weights=weights))
        for step in run.steps:
            assert step.problems == [], f"{name} at {step.time:.1f} s: {step.problems} with {weights}"
        strays = run.numbers_shown() - allowed
        assert not strays, f"{name} shows {sorted(strays)}, not computed by reluviz for {weights}"
        assert 8.0 <= run.duration <= LONGEST_CLIP, f"{name} lasts {run.duration:.1f} s with {weights}"


@pytest.mark.parametrize(
    "case",
    [
        lambda w: w.network.hidden[0].output_weight < 0,  # a flip instead of a stretch
        lambda w: w.network.hidden[0].weight == 0,  # a flat top node
        lambda w: bends(w).hidden[0] is not None and not (w.dosage_low < bends(w).hidden[0] < w.dosage_high),
        lambda w: w.network.hidden_activation.smooth and w.network.output_activation.name == "identity",  # squiggle
        lambda w: len(w.network.hidden) == 1,  # one node: nothing to add
        lambda w: len(w.network.hidden) == 6 and w.network.hidden_activation.name == "leaky_relu",  # crowded, leaky
        lambda w: np.all(trace(w, np.linspace(w.dosage_low, w.dosage_high, 50)).output == 0),  # output all 0
    ],
)
def test_generated_weights_reach_the_interesting_cases(case):
    # find() raises NoSuchExample when no generated weights reach the case: that is the failure
    find(
        any_weights(),
        lambda w: not drawing_problems(w) and case(w),
        settings=settings(database=None, derandomize=True, max_examples=2000),
    )


@pytest.mark.heavy
@pytest.mark.parametrize(
    "count, activation",
    list(zip(range(1, 7), HIDDEN_ACTIVATIONS)),
    ids=lambda v: str(v),
)
def test_every_size_of_network_and_activation_draws_cleanly(construct, computed_numbers, count, activation):
    """N = 1 to 6, each with another activation, on story-sized seeded weights."""
    rng = np.random.default_rng(count)
    for _ in range(200):
        units = [(rng.uniform(-8, 8), rng.uniform(-3, 3), rng.uniform(-3, 3)) for _ in range(count)]
        weights = network_weights(
            0.0, 1.0, DEFAULT_DATA, make_activation(activation), units, make_activation("relu"), 0.5
        )
        if not drawing_problems(weights):
            break
    allowed = computed_numbers(weights)
    for name in WEIGHT_STAGES:
        run = construct(name, StoryInputs(weights=weights))
        for step in run.steps:
            assert step.problems == [], f"{name} at {step.time:.1f} s: {step.problems} with {weights}"
        assert not run.numbers_shown() - allowed, f"{name} shows numbers reluviz did not compute"
        assert 8.0 <= run.duration <= LONGEST_CLIP, f"{name} lasts {run.duration:.1f} s with {count} nodes"


#: Three hidden nodes (weight, bias, output weight): the first's input at dosage 0 is -1.2.
THREE_NODES = [(-4.4, -1.2, 2.24), (-7.92, 1.93, 1.78), (-0.51, -1.18, -1.33)]


def captions(construct, weights: Weights, stages) -> str:
    return " ".join(b.caption for name in stages for b in construct(name, StoryInputs(weights=weights)).scene.beats)


@pytest.mark.heavy  # 17 s, moved out of make test for its time (three nodes' captions, every stage)
def test_captions_name_nodes_by_place_unless_there_are_two(construct):
    """ "top" and "bottom" are the lesson's two nodes: three are "first", "second", "third"."""
    weights = network_weights(0.0, 1.0, None, make_activation("relu"), THREE_NODES, make_activation("relu"), 0.5)
    words = captions(construct, weights, WEIGHT_STAGES)
    assert "first path" in words and "first node" in words
    assert not re.search(r"\b(top|bottom) (node|path)", words), words


def test_identity_nodes_pass_their_input_on_as_straight_lines(construct):
    weights = network_weights(0.0, 1.0, None, make_activation("identity"), THREE_NODES, make_activation("relu"), 0.5)
    words = captions(construct, weights, ["input_to_x_axis", "relu_clipping", "bottom_node"])
    assert "the first node's identity function" in words
    assert "identity(−1.2) = −1.2: the y-axis coordinate" in words
    assert "The two other nodes do the same with their own weights and biases: two straight lines" in words


def test_summing_keeps_every_stack_in_the_view(construct):
    """Found by make test-props: a stack of two negative values (-0.5 and -1) under a positive
    line (2.35) reached below the view into the axis numbers; the view holds every partial sum."""
    units = [(0.0, 0.0, 0.0), (1.995, -5.81, -1.0), (4.691, 0.0, -1.0), (0.0, 0.0, 4.691)]
    weights = network_weights(2.0, 1.0, None, make_activation("sigmoid"), units, make_activation("relu"), 0.0)
    for step in construct("summing", StoryInputs(weights=weights)).steps:
        assert step.problems == [], f"at {step.time:.1f} s: {step.problems}"
