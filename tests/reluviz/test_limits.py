"""Networks too large to draw are refused with the keys behind the problem."""

from __future__ import annotations

import numpy as np
import pytest

from reluviz.files.errors import InputFileError
from reluviz.files.weights import load_weights
from reluviz.limits import DRAW_LIMIT, drawing_problems
from reluviz.network import trace


@pytest.mark.parametrize("preset", ["relu", "softplus"])
def test_story_weights_are_far_inside_the_limit(preset):
    weights = load_weights(preset)
    assert drawing_problems(weights) == []
    dosages = np.linspace(weights.dosage_low, weights.dosage_high, 1001)
    largest = max(float(np.max(np.abs(values))) for values in trace(weights, dosages).columns().values())
    assert largest < DRAW_LIMIT / 100  # every stage of the story stays in the tens


def test_product_past_the_limit_names_the_output_weight(write_weights):
    # bottom node reaches 900 at dosage 1; times 900 it is 810000, past the limit
    path = write_weights({"weight = 12.6": "weight = 900", "bottom_weight = 2.70": "bottom_weight = 900"})
    with pytest.raises(InputFileError) as caught:
        load_weights(path)
    (line,) = str(caught.value).splitlines()
    assert line.startswith(f"{path}: output.bottom_weight: ")
    assert "8.1e+05 at dosage 1" in line and f"{DRAW_LIMIT:g}" in line


def test_wide_dosage_range_is_caught_at_the_first_stage(write_weights):
    path = write_weights({"high = 1.0 ": "high = 900.0 ", "weight = 12.6": "weight = 500"})
    with pytest.raises(InputFileError, match="hidden.bottom.weight, hidden.bottom.bias: the bottom node's input"):
        load_weights(path)


def test_a_node_past_the_limit_is_named_by_its_place_in_the_list(tmp_path):
    nodes = "".join(
        f"\n[[hidden.nodes]]\nweight = {w}\nbias = 0.0\noutput_weight = {v}\n" for w, v in [(1, 1), (2, 1), (900, 900)]
    )
    path = tmp_path / "three.toml"
    path.write_text(
        f'[dosage]\nlow = 0.0\nhigh = 1.0\n[hidden]\nactivation = "relu"\n{nodes}'
        '[output]\nactivation = "relu"\nbias = 0\n'
    )
    with pytest.raises(InputFileError) as caught:
        load_weights(path)
    (line,) = str(caught.value).splitlines()
    # node 3 reaches 900 at dosage 1; times 900 it is 810000
    assert line.startswith(
        f"{path}: hidden.nodes[3].output_weight: node 3's path times its output weight reaches 8.1e+05"
    )
