"""Weights files: the presets load; each kind of bad file is one clear line per problem."""

from __future__ import annotations

import dataclasses
import subprocess
import sys

import pytest

from reluviz.errors import InputFileError
from reluviz.schema import VALUE_LIMIT
from reluviz.weights import load_weights, preset_names


def problems_of(path) -> list[str]:
    with pytest.raises(InputFileError) as caught:
        load_weights(path)
    lines = str(caught.value).splitlines()
    assert all(line.startswith(f"{path}: ") for line in lines), lines
    return lines


def test_presets_hold_storys_numbers():
    assert preset_names() == ["relu", "softplus"]
    w = load_weights("relu")
    assert (w.top.weight, w.top.bias, w.bottom.weight, w.bottom.bias) == (1.70, -0.85, 12.6, 0.0)
    assert (w.top_output_weight, w.bottom_output_weight, w.output_bias) == (-40.8, 2.70, -16.0)
    assert (w.hidden_activation, w.output_activation, w.dosage_range) == ("relu", "relu", (0.0, 1.0))
    s = load_weights("softplus")
    assert (s.top.weight, s.top.bias, s.bottom.weight, s.bottom.bias) == (-34.4, 2.14, -2.52, 1.29)
    assert (s.top_output_weight, s.bottom_output_weight, s.output_bias) == (-1.30, 2.28, -0.58)


def test_a_path_works_like_a_preset(write_weights):
    w = load_weights(write_weights(name="mine"))
    assert w.name == "mine" and w.top.weight == 1.70
    with pytest.raises(dataclasses.FrozenInstanceError):
        w.top = None  # immutable


@pytest.mark.parametrize(
    ("replacements", "expected"),
    [
        ({"bias = -0.85 ": "# bias removed "}, "hidden.top.bias: missing key"),
        ({"weight = 12.6": 'weight = "twelve"'}, "hidden.bottom.weight: expected a number, got 'twelve'"),
        ({"weight = 12.6": "weight = nan"}, "hidden.bottom.weight: expected a finite number, got nan"),
        ({"bias = -16.0": "bias = -inf"}, "output.bias: expected a finite number, got -inf"),
        ({"weight = 12.6": "weight = true"}, "hidden.bottom.weight: expected a number, got true"),
        ({"top_weight = -40.8": "top_wieght = -40.8"}, "output.top_wieght: unknown key"),
        (
            {'activation = "relu"          # activation of both': 'activation = "relru"          # activation of both'},
            "hidden.activation: expected one of",
        ),
        ({"weight = 12.6": f"weight = {VALUE_LIMIT * 10}"}, "hidden.bottom.weight: 10000.0 is too large to draw"),
        ({"high = 1.0 ": "high = -1.0 "}, "dosage.high: must be larger than dosage.low"),
    ],
)
def test_each_problem_is_named_with_its_key(write_weights, replacements, expected):
    lines = problems_of(write_weights(replacements))
    assert any(expected in line for line in lines), lines


def test_typos_get_the_nearest_valid_name(write_weights):
    lines = problems_of(write_weights({"top_weight = -40.8": "top_wieght = -40.8"}))
    assert any("did you mean 'top_weight'" in line for line in lines)
    lines = problems_of(
        write_weights(
            {'activation = "relu"          # activation in front': 'activation = "Relu"          # activation in front'}
        )
    )
    assert any("did you mean 'relu'" in line for line in lines)


def test_every_problem_is_reported_not_just_the_first(write_weights):
    lines = problems_of(write_weights({"weight = 12.6": "weight = nan", "bias = -16.0": "bais = -16.0"}))
    assert len(lines) == 3  # nan, unknown 'bais', missing 'bias'


def test_malformed_toml_and_missing_files(write_weights, tmp_path):
    (line,) = problems_of(write_weights(text="[hidden\nweight = 1"))
    assert "malformed TOML" in line
    (line,) = problems_of(tmp_path / "absent.toml")
    assert "no such file" in line
    (line,) = problems_of(write_weights({'data = "../data/dosage.csv"': 'data = "nowhere.csv"'}))
    assert "dosage.data: no such file" in line


def test_unknown_preset_lists_the_presets():
    with pytest.raises(InputFileError, match="presets: relu, softplus"):
        load_weights("relu2")
    with pytest.raises(InputFileError):
        load_weights("lesson")  # Part I's file is not a network


def test_command_line_exits_nonzero_with_one_line(write_weights):
    path = write_weights({"weight = 12.6": "weight = nan"})
    result = subprocess.run(
        [sys.executable, "-m", "reluviz", "table", "--weights", str(path)], capture_output=True, text=True
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.strip() == f"{path}: hidden.bottom.weight: expected a finite number, got nan"
