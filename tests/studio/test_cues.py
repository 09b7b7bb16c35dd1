"""split_cues(): captions as subtitle cues of at most 2 lines of 42 characters, read at no
more than 20 characters a second, broken where a reader would pause."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reluviz.studio.media.cues import MAX_CHARS_PER_SECOND, MAX_LINE, Cue, reading_seconds, split_cues

#: Real captions the scenes write (default weights and the softplus preset).
CAPTIONS = [
    "ReLU(x) is the larger of 0 and x.",
    "The input -1.5 lands on 0: max(0, -1.5) = 0.",
    "ReLU: max(0, x), outputs from 0 to infinity, a ramp made of two straight pieces.",
    "Each input is multiplied by the weight on its connection: 1.2 times 0.5 is 0.6, and -0.9 times -1.1 is 0.99.",
    "Then ReLU: ReLU(1.69) = 1.69; it is positive, so it passes unchanged. This output is what the next neurons "
    "receive.",
    "Left of 0 the ramp is flat: slope 0. Right of 0 it rises one for one: slope 1.",
    "Together: a step function, 1 for x > 0 and 0 for x <= 0 (at 0 itself, the lesson picks 0).",
    "A = max(0, Z), element by element: negative entries become 0, the rest pass unchanged.",
    "step(Z) is 1 where Z > 0 and 0 elsewhere (Z = 0 included): a mask.",
    "The network: the dosage goes to two hidden nodes, each using ReLU; their results meet in the output node, which "
    "uses ReLU.",
    "Into the output: the top node's result times -40.8, the bottom's times 2.7, added together with the bias -16.",
    "Every weight and bias is labelled. Next: follow one dosage through the network.",
    "The connection multiplies it by 1.7 and adds -0.85: (0 x 1.7) + -0.85 = -0.85.",
    "Every dosage from 0 to 1 lands somewhere between -0.85 and 0.85 on this axis: the connection picks that slice "
    "of the activation function.",
    "ReLU outputs the larger of 0 and -0.85: max(0, -0.85) = 0, a y-axis coordinate.",
    "At dosage 0 the line is at -16: an x-axis coordinate for the output's ReLU. ReLU(-16) = 0, so a green dot at 0.",
    "At dosage 0.5: 0 plus 17 is 17. Doing this everywhere gives the green wedge.",
    "Every line through the kink with a slope from 0 to 1 touches ReLU there without crossing it: no single slope.",
    "Gradient descent: ReLU's backward gives every weight's slope of the error, and each step moves all seven "
    "numbers a little downhill.",
    "This network has no activation before its output, so the green squiggle is the output itself: at dosage 0 it "
    "is -0.01.",
    "Part I: What ReLU is.",
]

#: Pieces no break may fall inside: formulas and signed numbers.
FORMULAS = re.compile(r"\w+\([^()]*\)|\S+ (?:<=|>=|=|<|>|\+|x) \S+|\(0 x [-\d.]+\)")


def lines(cues: list[Cue]) -> list[str]:
    return [line for cue in cues for line in cue.text.split("\n")]


def check_shape(text: str, cues: list[Cue], start: float, end: float) -> None:
    assert all(cue.text.count("\n") <= 1 for cue in cues)
    assert all(0 < len(line) <= MAX_LINE and line == line.strip() for line in lines(cues))
    assert " ".join(lines(cues)).split() == text.split()  # every word, in order, once
    assert cues[0].start == start and cues[-1].end == end
    assert all(a.end == b.start for a, b in zip(cues, cues[1:]))
    assert all(cue.end > cue.start for cue in cues) or end == start


@pytest.mark.parametrize("caption", CAPTIONS)
def test_real_captions_fit_two_lines_of_42_and_keep_formulas_whole(caption):
    cues = split_cues(caption, 3.0, 3.0 + reading_seconds(caption) + 1.0)
    check_shape(caption, cues, 3.0, 3.0 + reading_seconds(caption) + 1.0)
    for formula in FORMULAS.findall(caption):
        assert any(formula in line for line in lines(cues)), (formula, lines(cues))


def test_reading_seconds_is_20_characters_a_second():
    assert reading_seconds("x" * 42) == pytest.approx(2.1)
    assert reading_seconds("") == 0


def test_a_short_caption_is_one_cue_on_one_line():
    assert split_cues("ReLU(x) is the larger of 0 and x.", 1.0, 3.5) == [
        Cue(1.0, 3.5, "ReLU(x) is the larger of 0 and x.")
    ]
    assert split_cues("", 0.0, 1.0) == []
    assert split_cues("   ", 0.0, 1.0) == []


@pytest.mark.parametrize(
    ("caption", "first_cue"),
    [
        # After a colon, not inside the formula.
        ("The input -1.5 lands on 0: max(0, -1.5) = 0.", "The input -1.5 lands on 0:\nmax(0, -1.5) = 0."),
        (
            "ReLU outputs the larger of 0 and -0.85: max(0, -0.85) = 0, a y-axis coordinate.",
            "ReLU outputs the larger of 0 and -0.85:\nmax(0, -0.85) = 0, a y-axis coordinate.",
        ),
        # Between the sentences, as lines of one cue.
        (
            "Left of 0 the ramp is flat: slope 0. Right of 0 it rises one for one: slope 1.",
            "Left of 0 the ramp is flat: slope 0.\nRight of 0 it rises one for one: slope 1.",
        ),
        # Between the sentences, as cues.
        (
            "Then ReLU: ReLU(1.69) = 1.69; it is positive, so it passes unchanged. This output is what the next "
            "neurons receive.",
            "Then ReLU: ReLU(1.69) = 1.69;\nit is positive, so it passes unchanged.",
        ),
        (
            "Every weight and bias is labelled. Next: follow one dosage through the network.",
            "Every weight and bias is labelled.",
        ),
        (
            "At dosage 0.5: 0 plus 17 is 17. Doing this everywhere gives the green wedge.",
            "At dosage 0.5: 0 plus 17 is 17.",
        ),
        # After commas, before a conjunction.
        (
            "Each input is multiplied by the weight on its connection: 1.2 times 0.5 is 0.6, and -0.9 times -1.1 "
            "is 0.99.",
            "Each input is multiplied by the weight\non its connection: 1.2 times 0.5 is 0.6,",
        ),
        (
            "The network: the dosage goes to two hidden nodes, each using ReLU; their results meet in the output "
            "node, which uses ReLU.",
            "The network:\nthe dosage goes to two hidden nodes,",
        ),
        # A clause break rather than between "slope" and "of the error".
        (
            "Gradient descent: ReLU's backward gives every weight's slope of the error, and each step moves all "
            "seven numbers a little downhill.",
            "Gradient descent: ReLU's backward gives\nevery weight's slope of the error,",
        ),
    ],
)
def test_breaks_fall_at_natural_places(caption, first_cue):
    assert split_cues(caption, 0.0, 10.0)[0].text == first_cue


def test_no_line_ends_on_a_dangling_article_or_preposition_in_real_captions():
    for caption in CAPTIONS:
        for line in lines(split_cues(caption, 0.0, 10.0)):
            assert line.split()[-1].lower() not in {"the", "a", "an", "of", "to", "and", "or"}, line


def test_times_are_shared_in_proportion_to_length():
    caption = CAPTIONS[4]
    cues = split_cues(caption, 10.0, 16.0)
    assert len(cues) == 2
    rates = [len(c.text) / (c.end - c.start) for c in cues]
    assert rates[0] == pytest.approx(rates[1])


def test_a_word_longer_than_a_line_is_cut():
    word = "x" * 100
    cues = split_cues(f"see {word} here", 0.0, 10.0)
    assert all(len(line) <= MAX_LINE for line in lines(cues))
    assert "".join(lines(cues)).replace(" ", "") == f"see{word}here"


words = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789.,:;()-=<>'", min_size=1, max_size=20)


@given(st.lists(words, min_size=1, max_size=60), st.floats(0, 100), st.floats(0, 30))
def test_any_text_fits_and_is_read_at_most_20_characters_a_second(parts, start, slack):
    text = " ".join(parts)
    end = start + reading_seconds(text) + slack
    cues = split_cues(text, start, end)
    assert all(cue.text.count("\n") <= 1 for cue in cues)
    assert all(len(line) <= MAX_LINE for line in lines(cues))
    assert "".join(lines(cues)).replace(" ", "") == text.replace(" ", "")
    assert cues[0].start == start and cues[-1].end == end
    for cue in cues:
        assert len(cue.text) <= MAX_CHARS_PER_SECOND * (cue.end - cue.start) + 1e-6
