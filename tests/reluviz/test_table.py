"""`python -m reluviz table`: the stage table the videos show, as text and JSON."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from reluviz.words.numbers import format_number


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "reluviz", "table", *args], capture_output=True, text=True)


def test_json_holds_the_lessons_numbers():
    result = run("--json")
    assert result.returncode == 0, result.stderr
    table = json.loads(result.stdout)
    rows = {row["dosage"]: row for row in table["rows"]}
    assert sorted(rows) == [0.0, 0.5, 1.0]
    assert rows[0.0]["top_pre_activation"] == pytest.approx(-0.85)
    assert rows[0.0]["top_activation"] == 0.0
    assert [round(rows[d]["output"], 2) for d in (0.0, 0.5, 1.0)] == [0.0, 1.01, 0.0]
    assert table["bends"]["hidden"]["top"] == pytest.approx(0.5)
    assert table["neuron"]["pre_activation"] == pytest.approx(1.69)
    assert table["neuron"]["output"] == pytest.approx(1.69)
    assert len(table["weights"]["sha256"]) == 64


def test_dosage_option_and_softplus_preset():
    table = json.loads(run("--weights", "softplus", "--dosage", "0", "0.25", "0.5", "1", "--json").stdout)
    outputs = [row["output"] for row in table["rows"]]
    assert outputs[0] == pytest.approx(0.0, abs=0.02) and outputs[2] == pytest.approx(1.03, abs=0.01)
    assert table["activations"] == {"hidden": "softplus", "output": "identity"}


def test_text_table_writes_numbers_as_the_videos_do():
    text = run("--dosage", "0", "0.5").stdout
    assert "-0.85" in text and "1.01" in text and "-16" in text
    assert "top node dosage 0.5" in text


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (1.70, "1.7"),
        (-0.85, "-0.85"),
        (12.6, "12.6"),
        (-40.8, "-40.8"),
        (-16.0, "-16"),
        (1.0099999, "1.01"),
        (-34.68, "-34.7"),
        (0.004, "0"),
        (-0.0001, "0"),
        (0.99, "0.99"),
        (1234.5, "1234"),
    ],
)
def test_numbers_have_three_significant_digits_and_at_most_two_decimals(value, written):
    assert format_number(value) == written


def test_table_for_a_network_of_four_nodes_has_a_column_set_per_node():
    table = json.loads(run("--weights", "wide", "--dosage", "0.25", "0.5", "--json").stdout)
    assert list(table["bends"]["hidden"]) == ["node 1", "node 2", "node 3", "node 4"]
    assert len(table["rows"][0]) == 1 + 3 * 4 + 3  # dosage, three per node, sum, sum+bias, output
    # by hand at dosage 0.25: node 2 is 4.14 * 0.25 - 1.12 = -0.085, so ReLU gives 0
    assert table["rows"][0]["node2_pre_activation"] == pytest.approx(4.14 * 0.25 - 1.12)
    assert table["rows"][0]["node2_activation"] == 0.0
    assert table["bends"]["hidden"]["node 1"] == pytest.approx(1.38 / 6.04)
    text = run("--weights", "wide", "--dosage", "0.25").stdout
    assert "node 4 f(x)" in text and "node 1 dosage 0.23, node 2 dosage 0.27" in text
