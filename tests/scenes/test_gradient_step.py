"""Stage 14, one gradient step: its captions and ledger carry the numbers `reluviz gradient
--json` prints for the same point, for the lesson, a four-node network and a sigmoid one, and
it reads cleanly (the frame check after every animation)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from reluviz.scenes.framework.inputs import StoryInputs


def gradient_json(weights: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "reluviz", "gradient", "--json", "--weights", weights],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


def written(value: float) -> str:
    """Three significant digits, a true minus sign: how a reader writes a gradient by hand."""
    return f"{value:.3g}".replace("-", "\u2212")


@pytest.fixture
def sigmoid_weights(tmp_path, relu_toml_text):
    path = tmp_path / "sigmoid_nodes.toml"
    # sigmoid hidden nodes, and output numbers that keep the output's gate open on the data
    text = relu_toml_text.replace('activation = "relu"          # activation of both', 'activation = "sigmoid" #')
    text = text.replace("top_weight = -40.8", "top_weight = -1.5").replace("bias = -16", "bias = 0.5")
    assert 'activation = "sigmoid"' in text and "-1.5" in text and "0.5 " in text, "test setup: the file was edited"
    path.write_text(text)
    return str(path)


def test_the_lessons_captions_say_every_gradient_the_command_prints(construct):
    result = gradient_json("relu")
    run = construct("gradient_step")
    captions = " ".join(beat.caption for beat in run.scene.beats)
    top, bottom = result["gradient"]["nodes"]
    assert top["gate"] == 0, "the top node sits on its kink: closed"
    for value in (result["gradient"]["output_bias"], bottom["bias"], bottom["weight"], bottom["output_weight"]):
        assert written(value) in captions, f"{written(value)} not in: {captions}"
    assert "gate is closed" in captions and "stage 13" in captions
    assert written(result["rate"]) in captions
    # the top node's weight and bias are shown unchanged after the step; the bottom's moved
    after = result["after"]["nodes"]
    assert (after[0]["weight"], after[0]["bias"]) == (1.70, -0.85)
    assert after[1]["output_weight"] < 2.70
    assert result["after"]["loss"] < result["loss"]


@pytest.mark.heavy  # 13 s; make test reads the stage for the lesson (dark) and softplus (light) in test_stages
@pytest.mark.parametrize("weights", ["wide", "sigmoid"])
def test_other_networks_show_their_own_gradients(construct, sigmoid_weights, weights):
    path = sigmoid_weights if weights == "sigmoid" else weights
    result = gradient_json(path)
    run = construct("gradient_step", StoryInputs(weights=path, theme="light"))
    for step in run.steps:
        assert step.problems == [], f"at {step.time:.1f} s: {step.problems}"
    captions = " ".join(beat.caption for beat in run.scene.beats)
    assert written(result["gradient"]["output_bias"]) in captions
    shown = run.numbers_shown()
    for node in result["gradient"]["nodes"]:
        for key in ("weight", "bias", "output_weight"):
            value = node[key]
            if abs(value) >= 1e-4:  # the ledger writes smaller ones as 0
                assert any(abs(s - value) <= 0.005 * abs(value) for s in shown), f"{node['node']} {key} {value}"
