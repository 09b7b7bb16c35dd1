"""Widgets: numbers, formulas and tick labels as a viewer reads them."""

from __future__ import annotations

import pytest
from manim import tempconfig

from reluviz.scenes.framework.widgets import Formula, Number

WHITE = "#ffffff"


def test_the_story_font_is_installed_so_pango_does_not_fall_back():
    import manimpango

    from reluviz.scenes.framework import style

    assert style.FONT in manimpango.list_fonts()


def test_type_scale_sizes_are_cap_heights_at_1080p():
    """A capital H set at a style size stands that many pixels tall in a 1080p frame."""
    from manim import tempconfig

    from reluviz.scenes.framework import style
    from reluviz.scenes.framework.widgets import Formula, words

    with tempconfig({"format": "none"}):
        for size in (style.SMALLEST_READABLE, style.EQUATION_SIZE):
            in_words = words("H", "#FFFFFF", size).height * style.PIXELS_PER_UNIT
            in_maths = Formula([r"\mathrm{H}"], "#FFFFFF", size).height * style.PIXELS_PER_UNIT
            assert abs(in_words - size) < 1.0 and abs(in_maths - size) < 1.0, (size, in_words, in_maths)


def test_path_colours_stay_apart_for_colour_blind_viewers_and_read_on_both_themes():
    """Two nodes stay the story's blue and orange; all six paths stay distinguishable under
    simulated protanopia and deuteranopia (Machado et al. 2009, severity 1), and none is the
    sums' green."""
    import itertools

    import numpy as np

    from reluviz.scenes.framework import style

    simulations = {
        "protanopia": np.array([[0.152, 1.053, -0.205], [0.115, 0.786, 0.099], [-0.004, -0.048, 1.052]]),
        "deuteranopia": np.array([[0.367, 0.861, -0.228], [0.280, 0.673, 0.047], [-0.012, 0.043, 0.969]]),
        "none": np.eye(3),
    }

    def linear(colour: str) -> np.ndarray:
        c = np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)]) / 255
        return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)

    assert style.DARK.paths[:2] == ("#4EA8FF", "#FF9F1C")
    for theme in style.THEMES.values():
        assert len(set(theme.paths)) == 6 and theme.total not in theme.paths
        for colour in theme.paths:
            assert style.contrast(colour, theme.background) >= style.FOCUS_CONTRAST, (theme.name, colour)
        for name, matrix in simulations.items():
            for a, b in itertools.combinations([*theme.paths, theme.total], 2):
                seen_a, seen_b = (np.clip(matrix @ linear(c), 0, 1) ** (1 / 2.2) for c in (a, b))
                assert np.linalg.norm(seen_a - seen_b) > 0.12, (theme.name, name, a, b)


def test_a_readout_draws_again_only_when_its_digits_change(tmp_path):
    """An updater sets a readout's value every frame: the same digits keep their glyphs, new
    ones are drawn where a new Number would draw them, its left edge kept."""
    import numpy as np
    from manim import DL

    with tempconfig({"tex_dir": str(tmp_path / "latex")}):
        readout = Number(1.25, WHITE, places=2)
        glyphs = list(readout.submobjects)
        readout.set_value(1.2549)
        assert readout.get_value() == 1.2549 and readout.shown == 1.25
        assert all(a is b for a, b in zip(readout.submobjects, glyphs, strict=True))
        left = readout.get_left()
        readout.set_value(17.5)
        fresh = Number(17.5, WHITE, places=2)
    assert readout.shown == 17.5 and len(readout.submobjects) == 5
    assert np.allclose(readout.get_left(), left)
    assert np.allclose(readout.get_all_points() - readout.get_corner(DL), fresh.get_all_points() - fresh.get_corner(DL))


def test_a_piece_starting_with_a_quad_keeps_its_space(tmp_path):
    """Each piece is typeset alone, where TeX drops a leading \\quad: "= 1 \\quad for x > 0" kept
    "1" and "for" as close as any two pieces (a viewer read "1for"). The space kept is the quad
    TeX sets inside one formula."""
    from manim import WHITE, MathTex

    from reluviz.scenes.framework import style

    with tempconfig({"tex_dir": str(tmp_path / "latex")}):
        spaced = Formula(["1", r"\quad \text{for}"], WHITE)
        plain = Formula(["1", r"\text{for}"], WHITE)
        quad = MathTex(r"a\quad b", font_size=style.BODY_SIZE).width - MathTex("ab", font_size=style.BODY_SIZE).width
    gap = lambda f: f[1].get_left()[0] - f[0].get_right()[0]  # noqa: E731
    assert gap(spaced) - gap(plain) == pytest.approx(quad, rel=0.02)


def test_a_plot_measures_its_box_again_only_when_the_box_moves(tmp_path, monkeypatch):
    """A plot, its curves and dots read the box's corner and size on every frame; manim finds
    them by looking at every point. Still, the box is measured once and a dot is not moved;
    moved, both again, and what is placed on it follows the box as manim's measures place it."""
    import numpy as np
    from manim import DL, RIGHT, UP, Mobject, ValueTracker

    from reluviz.scenes.framework import style
    from reluviz.scenes.framework.plots import Plot

    with tempconfig({"tex_dir": str(tmp_path / "latex"), "format": "none"}):
        plot = Plot([0, 2], [0, 1], style.DARK, 4.0, 2.0, x_ticks=2, y_ticks=2)
        where = ValueTracker(0.5)
        dot = plot.dot(lambda: where.get_value(), 0.5, style.DARK.total, follows=(where,))
        curve = plot.curve([0, 1, 2], [0, 1, 0], style.DARK.total)
        measured = []
        corner = Mobject.get_corner
        monkeypatch.setattr(Mobject, "get_corner", lambda m, d: measured.append(m) or corner(m, d))
        moved = []  # dots moved (manim's move_to measures the dot on every call)
        move_to = Mobject.move_to
        monkeypatch.setattr(Mobject, "move_to", lambda m, *a, **k: moved.append(m) or move_to(m, *a, **k))
        for _ in range(5):  # five frames with nothing moving
            for mob in (plot.box, dot, curve):
                mob.update()
        assert [m for m in measured if m is plot.box] == [] and moved == []
        plot.shift(RIGHT + UP)
        where.set_value(1.5)
        for mob in (plot.box, dot, curve):
            mob.update()
        assert [m for m in measured if m is plot.box] == [plot.box] and [m for m in moved if m is dot] == [dot]
        left, bottom = corner(plot.box, DL)[:2]
    assert np.allclose(dot.get_center()[:2], (left + 1.5 / 2 * plot.box.width, bottom + 0.5 * plot.box.height))
    assert np.allclose(curve.points[0][:2], (left, bottom))
