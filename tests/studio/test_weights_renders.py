"""Rendering with other weights: its own folder, Part I reused, bad files refused up front."""

from __future__ import annotations

import json

import pytest

from reluviz.studio.media import ffmpeg
from reluviz.words.stages import STAGES


def snapshot(folder):
    return {p: (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def softplus_render(low_render, run_render):
    out, relu_clips, _ = low_render
    before = snapshot(relu_clips)
    result = run_render(out, "--weights", "softplus")
    assert result.returncode == 0, result.stderr
    return out, before, result


@pytest.mark.heavy  # a second full render: make test-heavy
def test_other_weights_get_their_own_folder_and_leave_others_alone(low_render, softplus_render):
    out, before, _ = softplus_render
    assert snapshot(low_render[1]) == before
    clips = out / "softplus" / "low"
    for stage in STAGES:
        assert ffmpeg.probe(clips / f"{stage.file_stem}.mp4").codec == "h264"
    assert (clips / "00_relu_story.mp4").exists()


@pytest.mark.heavy  # a second full render: make test-heavy
def test_only_the_stages_that_use_the_weights_render_again(softplus_render):
    _, _, result = softplus_render
    for stage in STAGES:
        line = next(line for line in result.stdout.splitlines() if f"{stage.number:02d} {stage.name} " in line)
        if "weights" in stage.uses:
            assert "unchanged" not in line, line
        else:
            assert "unchanged" in line, line  # Part I, the kink and training do not depend on the weights


@pytest.mark.heavy  # a second full render: make test-heavy
def test_softplus_captions_describe_smooth_curves(softplus_render):
    out, _, _ = softplus_render
    clips = out / "softplus" / "low"
    manifest = json.loads((clips / "manifest.json").read_text())
    said = {clip["name"]: " ".join(beat["caption"] for beat in clip["beats"]) for clip in manifest["clips"]}
    assert "curves instead of bending" in said["relu_clipping"]
    assert "no activation before its output" in said["output_relu"]
    assert "squiggle" in said["output_relu"]
    # and the captions file says the same, in cues broken across lines
    assert "no activation before its output" in " ".join((clips / "12_output_relu.srt").read_text().split())


BAD_FILES = {
    "malformed": ("[hidden\n", "malformed TOML"),
    "missing": ({"bias = -0.85 ": "# gone "}, "hidden.top.bias: missing key"),
    "unknown": ({"top_weight = -40.8": "top_wieght = -40.8"}, "output.top_wieght: unknown key"),
    "nan": ({"weight = 12.6": "weight = nan"}, "hidden.bottom.weight: expected a finite number"),
    "text": ({"weight = 12.6": 'weight = "12.6"'}, "hidden.bottom.weight: expected a number, got '12.6'"),
    "activation": (
        {'activation = "relu"          # activation in front': 'activation = "gelu"          # activation in front'},
        "output.activation: expected one of",
    ),
    "too_large": ({"weight = 12.6": "weight = 5000"}, "too large to draw"),
    "undrawable": (
        {"weight = 12.6": "weight = 900", "bottom_weight = 2.70": "bottom_weight = 900"},
        "output.bottom_weight:",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_weights_are_refused_before_anything_renders(low_render, run_render, write_weights, case):
    out, _, _ = low_render
    before = snapshot(out)
    change, expected = BAD_FILES[case]
    path = write_weights(text=change, name=case) if isinstance(change, str) else write_weights(change, name=case)
    result = run_render(out, "--weights", str(path))
    assert result.returncode == 2
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"reluviz: {path}: ") and expected in first, result.stderr
    assert snapshot(out) == before
    assert not (out / case).exists()


def test_a_broken_data_file_is_refused_too(low_render, run_render, write_weights, tmp_path):
    out, _, _ = low_render
    before = snapshot(out)
    csv = tmp_path / "broken.csv"
    csv.write_text("dosage,effectiveness\n0,0\n0.5,lots\n1,0\n")
    path = write_weights({'# data = "my_dosages.csv"': f'data = "{csv}"'}, name="with_broken_data")
    result = run_render(out, "--weights", str(path))
    assert result.returncode == 2
    assert result.stderr.strip() == f"reluviz: {csv}: line 3: effectiveness: expected a number, got 'lots'"
    assert snapshot(out) == before
