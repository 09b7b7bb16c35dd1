"""Every word a scene puts into a caption's placeholders comes from a label, so a words file can
translate it: with every label replaced by a marker, what is left of each beat's values is
numbers, signs and names (ReLU, x1), never an English word chosen in code."""

from __future__ import annotations

import re

import pytest

from reluviz.activations import ACTIVATIONS
from reluviz.scenes.framework.inputs import StoryInputs
from reluviz.words.labels import LABELS
from reluviz.words.stages import STAGES
from reluviz.words.templates import ClipWords, placeholders

#: A label's marker keeps its placeholders, so what the scene puts in them still shows.
OPEN, CLOSE = "@<", ">@"
MARKED = ClipWords(labels=tuple((key, OPEN + " ".join(f"{{{n}}}" for n in placeholders(text)) + CLOSE)
                                for key, text in LABELS.items()))  # fmt: skip
#: What may stay: the activations' names (every word of them, "leaky ReLU"), the inputs' names, a
#: formula's function.
NAMES = {word for name in ACTIVATIONS for word in name.replace("_", " ").split()} | {"relu", "max", "min"}
WORD = re.compile(r"[A-Za-z]{2,}\d*")


def english_left(values: dict[str, str]) -> list[str]:
    """The words of ``values`` no label gave: letters outside every marker, not a name."""
    left = []
    for name, value in values.items():
        outside = re.sub(f"{OPEN}.*?{CLOSE}", " ", value)
        left += [f"{{{name}}}: {w}" for w in WORD.findall(outside) if w.lower() not in NAMES and not w[-1].isdigit()]
    return left


def said_in_code(construction) -> list[str]:
    return [f"{beat.words.name} {word}" for beat in construction.scene.beats for word in english_left(beat.values)]


def test_the_check_finds_a_word_chosen_in_code():
    assert english_left({"fate": "lands on 0"}) == ["{fate}: lands", "{fate}: on"]
    assert english_left({"fate": "@<>@", "x": "−0.85", "f": "leaky ReLU", "c": "0 x1 − 4 x2 + 1"}) == []


@pytest.mark.parametrize("stage", [s.name for s in STAGES])
def test_no_word_of_a_beat_is_chosen_in_code(construct, stage):
    assert said_in_code(construct(stage, StoryInputs(words=MARKED))) == []


@pytest.mark.heavy
@pytest.mark.parametrize("weights", ["wide", "leaky_relu", "softplus"])
@pytest.mark.parametrize("stage", [s.name for s in STAGES if "weights" in s.uses])
def test_no_word_is_chosen_in_code_for_other_weights(construct, stage, weights):
    assert said_in_code(construct(stage, StoryInputs(weights=weights, words=MARKED))) == []


@pytest.mark.heavy
@pytest.mark.parametrize("stage", [s.name for s in STAGES if "plane" in s.uses])
def test_no_word_is_chosen_in_code_for_the_cone(construct, stage):
    assert said_in_code(construct(stage, StoryInputs(plane="cone", words=MARKED))) == []
