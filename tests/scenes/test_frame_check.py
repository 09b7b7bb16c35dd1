"""The picture checks the scene tests rely on do catch what they claim to catch."""

from __future__ import annotations

from types import SimpleNamespace

from manim import LEFT, RIGHT, Circle, tempconfig

from reluviz.scenes.style import DARK
from reluviz.scenes.widgets import Number, words


def scene_with(*mobjects):
    return SimpleNamespace(mobjects=list(mobjects), time=1.0)


def test_flags_a_word_past_the_frame_edge(frame_check):
    with tempconfig({"format": "none"}):
        inside = frame_check(scene_with(words("inside", DARK.text)))
        outside = frame_check(scene_with(words("far right", DARK.text).move_to(RIGHT * 7.0)))
    assert inside.outside == []
    assert outside.outside and "far" in outside.outside[0]


def test_flags_words_drawn_over_words_but_not_neighbours(frame_check):
    with tempconfig({"format": "none"}):
        a = words("alpha", DARK.text)
        over = words("beta", DARK.text).move_to(a.get_center() + RIGHT * 0.2)
        apart = words("gamma", DARK.text).next_to(a, RIGHT, buff=0.1)
        assert frame_check(scene_with(a, over)).overlaps
        assert frame_check(scene_with(a, apart)).overlaps == []


def test_invisible_things_are_ignored_and_numbers_are_read(frame_check):
    with tempconfig({"format": "none"}):
        hidden = Circle().move_to(LEFT * 9).set_stroke(opacity=0)
        result = frame_check(scene_with(hidden, Number(-0.854, DARK.text)))
    assert result.outside == []
    assert result.numbers == [-0.85]
