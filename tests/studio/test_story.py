"""What a render tells: the parts and stages its weights files make, each drawn for its network."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from reluviz.files.errors import InputFileError
from reluviz.studio.publishing.kit import plan_kit
from reluviz.studio.publishing.story import load_story
from reluviz.studio.settings import RenderSettings

PLANE_TEXT = """
[hidden]
activation = "relu"
[[hidden.nodes]]
weight = [1, -1]
bias = 0
output_weight = 2
[[hidden.nodes]]
weight = [0.5, 1]
bias = -0.5
output_weight = -1
[output]
activation = "relu"
bias = 0.25
"""


@pytest.fixture
def settings(tmp_path) -> RenderSettings:
    return RenderSettings(quality="low", out=tmp_path / "out", voice="none")


def test_one_input_weights_tell_three_parts_and_part_three_is_drawn_for_the_plane_preset(settings):
    story = load_story(settings)
    assert [part.title for part in story.parts] == [
        "Part I: What ReLU is",
        "Part II: ReLU in action",
        "Part III: Two inputs",
    ]
    assert [s.number for s in story.stages] == list(range(1, 21))
    for stage in story.stages:
        drawn = story.weights_for(stage)
        assert drawn.name == ("plateau" if stage.part == 3 else "relu"), stage.name
    plan = plan_kit(settings, story)
    assert {job.narrated_for for job in plan.jobs.values()} == {"relu"}, "recordings: voice/relu/ for every clip"
    assert sorted(plan.cards) == [1, 2, 3]


def test_a_two_input_weights_file_tells_parts_one_and_three_for_itself(settings, tmp_path):
    mine = tmp_path / "my_plane.toml"
    mine.write_text(PLANE_TEXT)
    story = load_story(replace(settings, weights=str(mine), plane="no-such-preset"))  # PLANE_WEIGHTS unused
    assert [part.number for part in story.parts] == [1, 3]
    assert [s.part for s in story.stages] == [1] * 4 + [3] * 5
    assert story.plane is story.weights and story.weights.name == "my_plane"
    titles = story.part_titles(3)
    assert titles[0] == "16. One unit, two inputs" and len(titles) == 5
    plan = plan_kit(settings, story)
    assert settings.output_dir(story.weights.name) == settings.out / "my_plane" / "low"
    assert "bias" not in plan.jobs and "plane_regions" in plan.jobs


def test_part_three_clips_follow_the_plane_file_and_not_the_one_input_weights(settings, tmp_path, write_weights):
    mine = tmp_path / "my_plane.toml"
    mine.write_text(PLANE_TEXT)
    other_bias = write_weights({"bias = -16": "bias = -10"}, name="other_bias")
    plateau = plan_kit(settings, load_story(settings)).jobs
    moved = plan_kit(settings, load_story(replace(settings, weights=str(other_bias)))).jobs
    mine_jobs = plan_kit(settings, load_story(replace(settings, plane=str(mine)))).jobs
    assert moved["plane_sum"].key == plateau["plane_sum"].key, "another one-input network: Part III is the same"
    assert moved["bias"].key != plateau["bias"].key
    assert mine_jobs["plane_sum"].key != plateau["plane_sum"].key, "another plane file: Part III again"
    assert mine_jobs["bias"].key == plateau["bias"].key


def test_plane_weights_that_do_not_fold_or_have_one_input_are_refused_naming_the_file(settings, tmp_path):
    smooth = tmp_path / "smooth.toml"
    smooth.write_text(PLANE_TEXT.replace('activation = "relu"', 'activation = "sigmoid"', 1))
    with pytest.raises(InputFileError, match="hidden.activation"):
        load_story(replace(settings, plane=str(smooth)))
    with pytest.raises(InputFileError, match="two inputs"):
        load_story(replace(settings, plane="relu"))


def test_make_render_with_a_two_input_file_tells_parts_one_and_three_into_its_own_folder(tmp_path, run_render):
    mine = tmp_path / "my_plane.toml"
    mine.write_text(PLANE_TEXT)
    result = run_render(tmp_path / "out", "--weights", str(mine), "--voice", "none", "--stages", "neuron plane_regions")
    assert result.returncode == 0, result.stderr
    clips = tmp_path / "out" / "my_plane" / "low"
    manifest = json.loads((clips / "manifest.json").read_text())
    assert [(c["stage"], c["part"]) for c in manifest["clips"]] == [(2, 1), (17, 3)]
    assert manifest["render"]["inputs"] == 2 and manifest["render"]["plane_weights"]["name"] == "my_plane"
    regions = manifest["clips"][1]["captions"]
    # two creases x1 = x2 and x1/2 + x2 = 1/2 cross inside the square: 1 + 2 + 1 = 4 regions
    assert any("4 regions" in cue for cue in regions), regions
    page = (clips / "index.html").read_text()
    assert "The regions (Part III)" in page and "dosage" not in page.split("<h2>The regions")[1]


def test_a_render_refuses_plane_weights_with_one_input_in_one_line(tmp_path, run_render):
    result = run_render(tmp_path / "out", "--plane-weights", "relu", "--voice", "none", "--stages", "neuron")
    assert result.returncode == 2
    (line,) = result.stderr.strip().splitlines()
    assert "relu.toml" in line and "two inputs" in line
    assert not (tmp_path / "out" / "relu").exists()
