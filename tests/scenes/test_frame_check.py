"""The picture checks the scene tests rely on do catch what they claim to catch."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from manim import DL, DOWN, DR, LEFT, RIGHT, UP, Circle, Dot, Line, SurroundingRectangle, tempconfig

from reluviz.scenes.framework import style
from reluviz.scenes.framework.glyphs import cap_height, glyph_cap_heights
from reluviz.scenes.framework.plots import Plot
from reluviz.scenes.framework.style import DARK
from reluviz.scenes.framework.widgets import Formula, Number, Term, place, tex, words


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


def themed(*mobjects):
    return SimpleNamespace(mobjects=list(mobjects), time=1.0, theme=DARK)


def test_flags_a_line_through_words_but_not_one_beside_them(frame_check):
    with tempconfig({"format": "none"}):
        label = words("dosage", DARK.text)
        through = Line(label.get_left() + LEFT, label.get_right() + RIGHT, color=DARK.muted)
        beside = Line(label.get_corner(DL) + DOWN * 0.1 + LEFT, label.get_corner(DR) + DOWN * 0.1 + RIGHT)
        dot_on_it = Dot(label.get_center(), radius=0.05)
        box = SurroundingRectangle(label, buff=0.1)
        assert frame_check(themed(label, through)).touches
        assert frame_check(themed(label, dot_on_it)).touches
        assert frame_check(themed(label, beside, box)).touches == []


def test_flags_words_too_small_to_read_from_the_back_row(frame_check):
    with tempconfig({"format": "none"}):
        readable = words("readable", DARK.text, style.SMALLEST_READABLE)
        shrunk = words("shrunk", DARK.text, style.SMALLEST_READABLE).scale(0.8).shift(DOWN * 2)
        ticks = Formula([1.5], DARK.muted, style.TICK_SIZE).shift(UP * 2).scale(0.85)
        result = frame_check(themed(readable, shrunk, ticks))
    assert len(result.small) == 2 and "shrunk" in result.small[0]


def test_glyphs_are_measured_as_drawn_capitals_digits_and_ascenders():
    """The measure reads the glyphs' outlines: a capital H set at a size stands that tall;
    lowercase letters are measured in proportion; a scaled word measures scaled."""
    with tempconfig({"format": "none"}):
        assert cap_height(words("H", DARK.text, 32)) == pytest.approx(32, abs=0.5)
        assert cap_height(words("effectiveness", DARK.text, 32).scale(0.69)) == pytest.approx(22, abs=0.5)
        assert cap_height(Number(0.85, DARK.text, style.TICK_SIZE)) == pytest.approx(28, abs=0.5)
        assert cap_height(tex("x", DARK.text, 40)) == pytest.approx(40, abs=0.5)
        seen = dict(glyph_cap_heights(words("Hdfx", DARK.text, 30)))
        assert set(seen) == set("Hdfx") and all(abs(size - 30) < 0.5 for size in seen.values())
        assert cap_height(tex("=", DARK.text)) is None


def test_a_plots_label_shrunk_with_its_plot_is_flagged(frame_check):
    """Stage 5's way of drawing the data: a plot placed into a region shrinks its axis names
    and numbers with it; measured on the glyphs, the names fall below the smallest size."""
    with tempconfig({"format": "none"}):
        plot = Plot([0, 0.5, 1], [0, 1], DARK, 3.0, 2.8, "dosage", "effectiveness", x_ticks=2, y_ticks=2)
        roomy = frame_check(themed(place(plot.copy(), (1.9, 6.85, -3.0, 2.6))))
        cramped = frame_check(themed(place(plot, (3.6, 6.85, -3.0, 2.6))))
    assert roomy.small == []
    assert any("effectiveness" in entry for entry in cramped.small), cramped.small
    assert cramped.smallest is not None and cramped.smallest[0] < style.SMALLEST_READABLE


def test_glyphs_shrunk_inside_a_word_that_keeps_its_height_are_flagged(frame_check):
    """manim's font size follows the word's height: shrink all but its tallest letter and
    the size argument still reads 32; the glyphs a viewer sees stand at 22."""
    with tempconfig({"format": "none"}):
        label = words("dosage", DARK.text, style.LABEL_SIZE)
        label[1:].scale(0.7, about_edge=DL)
        result = frame_check(themed(label))
    assert label.font_size * style.TEXT_CAP_PER_POINT == pytest.approx(style.LABEL_SIZE, abs=0.5)
    assert len(result.small) == 1 and "22." in result.small[0], result.small


def test_an_exponent_typeset_smaller_is_flagged(frame_check):
    """TeX sets an exponent at 70%: in a formula at the body size it stands at 25 px."""
    with tempconfig({"format": "none"}):
        result = frame_check(themed(tex("e^{x}", DARK.text, style.BODY_SIZE)))
    assert len(result.small) == 1 and "MathTex" in result.small[0], result.small


def test_a_word_turned_on_its_side_is_reported_not_passed(frame_check):
    """A word turned on its side is not measured as if upright (its height is its length):
    its glyphs are not known, and the check says so."""
    with tempconfig({"format": "none"}):
        turned = frame_check(themed(words("effectiveness", DARK.text, style.LABEL_SIZE).rotate(1.5708)))
    assert turned.small == [] and turned.unmeasured and "effectiveness" in turned.unmeasured[0]


def test_flags_faint_words_by_their_contrast(frame_check):
    with tempconfig({"format": "none"}):
        focus = words("focus", DARK.text)
        dimmed_enough = (
            words("context", DARK.paths[0])
            .shift(DOWN * 2)
            .set_opacity(style.readable_opacity(DARK.paths[0], DARK.background))
        )
        too_dim = words("lost", DARK.paths[0]).shift(UP * 2).set_opacity(0.25)
        dull = words("dull", DARK.faint).shift(RIGHT * 4)
        result = frame_check(themed(focus, dimmed_enough, too_dim, dull))
    assert [entry.split()[0] for entry in result.faint] == ["Text('lost')", "Text('dull')"]


def test_flags_a_formula_that_adds_a_negative_number(frame_check):
    with tempconfig({"format": "none"}):
        folded = Formula(["x", Term(-0.85)], DARK.text)
        unfolded = Formula(["x", "+", -0.85], DARK.text).shift(DOWN * 2)
        bracketed = Formula(["x", "+", "(", -0.85, ")"], DARK.text).shift(UP * 2)
        assert frame_check(themed(folded)).folded == []
        assert len(frame_check(themed(unfolded, bracketed)).folded) == 2


def test_a_glyph_cut_for_a_transform_is_still_known():
    """A glyph whose curves were cut into more pieces (as a transform does) is recognised."""
    with tempconfig({"format": "none"}):
        cut = words("H2", DARK.text, 30)
        for glyph in cut:
            glyph.insert_n_curves(7)
        assert [c for c, _ in glyph_cap_heights(cut)] == ["H", "2"]
        assert cap_height(cut) == pytest.approx(30, abs=0.5)
