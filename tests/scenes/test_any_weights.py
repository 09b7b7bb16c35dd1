"""Property test: for any drawable weights, every weight-dependent scene constructs, stays
inside the frame without words over words, and shows only numbers reluviz computes.

Seeded. ``make test`` runs a quick sample; ``make test-props`` runs a few hundred weight
sets (the "thorough" profile below).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, assume, find, given, settings
from hypothesis import strategies as st

from reluviz.activations import make_activation
from reluviz.data import DEFAULT_DATA
from reluviz.limits import drawing_problems
from reluviz.model import HiddenUnit, Network, Weights
from reluviz.network import bends, trace
from reluviz.scenes.inputs import StoryInputs
from reluviz.scenes.style import LONGEST_CLIP
from reluviz.stages import STAGES

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
    for name, count in (("quick", 3), ("thorough", 300))
}


def magnitude() -> st.SearchStrategy[float]:
    """Zero, or a signed number from 0.01 to about 300: small, story-sized and large weights."""
    spread = st.floats(-2.0, 2.5).map(lambda e: round(10.0**e, 3))
    return st.one_of(st.just(0.0), st.tuples(st.sampled_from([-1.0, 1.0]), spread).map(lambda p: p[0] * p[1]))


@st.composite
def any_weights(draw) -> Weights:
    low = draw(st.sampled_from([0.0, -1.0, 2.0]))
    span = draw(st.sampled_from([1.0, 0.25, 10.0]))
    # drawn in the order the examples were first drawn in, so the same seeds give the same networks
    data_path = draw(st.sampled_from([DEFAULT_DATA, None]))
    hidden_activation = make_activation(draw(st.sampled_from(["relu", "softplus"])))
    top = (draw(magnitude()), draw(magnitude()))
    bottom = (draw(magnitude()), draw(magnitude()))
    output_activation = make_activation(draw(st.sampled_from(["relu", "identity", "softplus"])))
    top_output_weight, bottom_output_weight = draw(magnitude()), draw(magnitude())
    return Weights(
        name="generated",
        path=Path("generated.toml"),
        digest="",
        dosage_low=low,
        dosage_high=low + span,
        data_path=data_path,
        network=Network(
            hidden_activation=hidden_activation,
            hidden=(HiddenUnit(*top, top_output_weight), HiddenUnit(*bottom, bottom_output_weight)),
            output_activation=output_activation,
            output_bias=draw(magnitude()),
        ),
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
        lambda w: w.top_output_weight < 0,  # a flip instead of a stretch
        lambda w: w.top.weight == 0,  # a flat top node
        lambda w: bends(w).top is not None and not (w.dosage_low < bends(w).top < w.dosage_high),  # bend outside
        lambda w: w.hidden_activation == "softplus" and w.output_activation == "identity",  # the squiggle
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
