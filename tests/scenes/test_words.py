"""A clip's words from a words file reach its scene: the caption, the voice's words, the pace
and the title follow; the numbers stay the scene's."""

from __future__ import annotations

import pytest
from manim import Text, tempconfig

from reluviz.scenes.framework import style
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


def _shown_words(scene) -> tuple[set[str], str]:
    """(every Text's glyphs, every TeX piece's source joined) among the mobjects a scene ever showed."""
    texts, sources = set(), []
    for mob in scene.mobjects:
        for part in mob.get_family():
            if isinstance(part, Text):
                texts.add(part.text)
            sources.append(getattr(part, "tex_string", "") or "")
    return texts, " ".join(sources)


def test_a_changed_label_reaches_the_plots_readouts_and_formulas(construct):
    """Spanish words for the training stage's axis names and readouts, one with TeX's special characters."""
    labels = (("epoch", "época"), ("error", "error 100% & más_1"), ("mean_squared_error", "error cuadrático medio"))
    plain, changed = construct("training"), construct("training", StoryInputs(words=ClipWords(labels=labels)))
    texts, sources = _shown_words(changed.scene)
    assert {"época", "errorcuadráticomedio"} <= texts  # the loss plot's axis names
    assert r"\text{época}" in sources and r"\text{error 100\% \& más\_1}" in sources  # the readouts
    plain_texts, plain_sources = _shown_words(plain.scene)
    assert "epoch" in plain_texts and "época" not in plain_texts and r"\text{epoch}" in plain_sources
    assert changed.scene.labels_shown >= {"epoch", "error", "mean_squared_error", "dosage", "output"}
    assert [b.caption for b in changed.scene.beats] == [b.caption for b in plain.scene.beats]


def test_a_label_with_a_line_break_stands_on_two_lines(construct):
    labels = (("needs_slope", "el descenso necesita\nuna pendiente"),)
    built = construct("kink_derivative", StoryInputs(words=ClipWords(labels=labels)))
    (note,) = [p for m in built.scene.mobjects for p in m.get_family() if isinstance(p, Text) and "descenso" in p.text]
    one_line = Text("Ay", font=style.FONT, font_size=note.font_size)  # a capital's height and a descender's depth
    assert note.height > 1.8 * one_line.height  # two lines


def test_the_nodes_places_are_labels_that_reach_captions_and_the_ledger(construct):
    """The lesson's "top" and "bottom" renamed: the gradient step's ledger rows and its captions follow."""
    labels = (("place_top", "superior"), ("place_bottom", "inferior"), ("output", "salida"))
    built = construct("gradient_step", StoryInputs(words=ClipWords(labels=labels)))
    texts, _ = _shown_words(built.scene)
    assert {"superior", "inferior", "salida"} <= texts and not {"top", "bottom"} & texts
    said = " ".join(beat.caption for beat in built.scene.beats)
    assert "superior" in said and "top" not in said
