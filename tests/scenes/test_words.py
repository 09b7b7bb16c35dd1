"""A clip's words from a words file reach its scene: the caption, the voice's words, the pace
and the title follow; the numbers stay the scene's."""

from __future__ import annotations

import pytest
from manim import tempconfig

from reluviz.scenes.framework.base import StoryScene
from reluviz.scenes.framework.inputs import StoryInputs
from reluviz.words.templates import BeatWords, ClipWords

LONGER = "Now the output node adds {bias} to every single point of the green shape, all the way along it."


def test_a_changed_beat_and_title_reach_the_scene_and_its_pace(construct):
    words = ClipWords(titles=(("bias", "The bias moves it"),), beats=(("bias", BeatWords("bias", LONGER)),))
    plain, changed = construct("bias"), construct("bias", StoryInputs(words=words))
    before, after = plain.scene.beats, changed.scene.beats
    assert (
        after[1].caption
        == "Now the output node adds −16 to every single point of the green shape, all the way along it."
    )
    assert after[1].spoken.startswith("Now the output node adds minus sixteen to every single point")
    assert (
        after[1].words == before[1].words == BeatWords("bias", "The output node adds its bias, {bias}, to every point.")
    )
    assert after[1].values == before[1].values == {"bias": "−16"}
    assert [b.caption for b in after[::2]] == [b.caption for b in before[::2]]  # the other beats as they were
    assert after[1].end - after[1].start > before[1].end - before[1].start  # the longer words take longer
    assert changed.scene.title().text == "Thebiasmovesit"  # manim keeps a Text's glyphs, not its spaces


def test_a_beat_name_is_written_one_way(tex_dir):
    class Twice(StoryScene):
        stage_name = "bias"

        def construct(self) -> None:
            with self.beat("same", "One {x}.", x="1"):
                pass
            with self.beat("same", "Another {x}.", x="2"):
                pass

    with tempconfig({"format": "none", "media_dir": str(tex_dir), "verbosity": "ERROR"}):
        scene = Twice(inputs=StoryInputs(), skip_animations=True)
        with pytest.raises(ValueError, match="the beat 'same' is written two ways"):
            scene.render()


def test_a_placeholder_value_is_text_written_as_shown(tex_dir):
    class Number(StoryScene):
        stage_name = "bias"

        def construct(self) -> None:
            with self.beat("number", "{x}", x=1.5):
                pass

    with tempconfig({"format": "none", "media_dir": str(tex_dir), "verbosity": "ERROR"}):
        with pytest.raises(TypeError, match=r"beat 'number': \{x\} is 1.5; give it as text"):
            Number(inputs=StoryInputs(), skip_animations=True).render()
