"""Stage 1: the definition scene shows the ramp, the lesson's probe inputs and their outputs."""

from __future__ import annotations

from manim import ManimColor

from reluviz.activations import relu
from reluviz.files.lesson import load_lesson
from reluviz.scenes.framework.inputs import StoryInputs
from reluviz.scenes.framework.plots import Curve, Plot
from reluviz.scenes.framework.style import LONGEST_CLIP
from reluviz.words.numbers import format_number, rounded


def test_constructs_inside_the_frame_without_overlapping_words(construct):
    run = construct("definition")
    assert len(run.steps) > 5
    for step in run.steps:
        assert step.problems == [], f"at {step.time:.1f} s: {step.problems}"
    assert 8 <= run.duration <= LONGEST_CLIP


def test_shows_each_probe_and_what_relu_makes_of_it(construct):
    run = construct("definition")
    probes = load_lesson().probe_inputs
    expected = {rounded(x) for x in probes} | {rounded(float(relu(x))) for x in probes}
    assert run.numbers_shown() == expected
    captions = " ".join(b.caption for b in run.scene.beats)
    for x in probes:
        said = f"max(0, {format_number(x)}) = {format_number(float(relu(x)))}".replace("-", "\u2212")  # true minus
        assert said in captions


def test_the_ramp_is_drawn_through_exact_corners(construct):
    run = construct("definition", StoryInputs(theme="light"))
    scene = run.scene
    plot = next(m for m in scene.mobjects if isinstance(m, Plot))
    ramps = [m for m in scene.mobjects if isinstance(m, Curve)]
    assert len(ramps) == 1, "the ramp is on screen at the end"
    corners = [plot.p2c(p) for p in ramps[0].get_anchors()]
    for x, y in corners:
        assert abs(y - max(0.0, x)) < 1e-6
    assert any(abs(x) < 1e-9 and abs(y) < 1e-9 for x, y in corners)
    assert ManimColor(scene.camera.background_color).to_hex().upper() == scene.theme.background.upper()
