"""Widgets typeset TeX under the lock of the TeX folder that render workers share."""

from __future__ import annotations

import fcntl

import pytest
from manim import tempconfig
from manim.mobject.text import tex_mobject

from reluviz.scenes import widgets
from reluviz.scenes.widgets import Formula, Number, TickLabel, tex

WHITE = "#ffffff"


def new_digits():
    """A readout changing value, as an updater does: it typesets digits it did not show."""
    shown = Number(1.25, WHITE, places=2)
    return lambda: shown.set_value(7.75)


@pytest.mark.parametrize(
    "prepare",  # returns the typesetting to watch
    [
        lambda: lambda: Number(1.25, WHITE),
        lambda: lambda: TickLabel(2.5, num_decimal_places=1),
        lambda: lambda: tex(r"\frac{dL}{dZ}", WHITE),
        lambda: lambda: Formula([r"\max(0,\,", 3.5, ")"], WHITE),
        new_digits,
    ],
    ids=["Number", "TickLabel", "tex", "Formula", "set_value"],
)
def test_every_tex_compile_holds_the_tex_lock(prepare, tmp_path, monkeypatch):
    lock = tmp_path / "latex.lock"  # beside the folder: manim empties it of non-SVG files
    compile_svg, held = tex_mobject.tex_to_svg_file, []

    def watched(*args, **kwargs):
        """manim compiling (or finding) a formula's SVG: is the lock taken, as another worker sees it?"""
        with open(lock, "a") as other:
            try:
                fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
                held.append(False)
            except BlockingIOError:
                held.append(True)
        return compile_svg(*args, **kwargs)

    with tempconfig({"tex_dir": str(tmp_path / "latex")}):
        typeset = prepare()
        monkeypatch.setattr(tex_mobject, "tex_to_svg_file", watched)
        monkeypatch.setattr(widgets, "_DIGITS", {})  # the story's digits, typeset again
        widgets._typeset.cache_clear()  # and formula pieces
        typeset()
    assert held and all(held), held


def test_the_story_font_is_installed_so_pango_does_not_fall_back():
    import manimpango

    from reluviz.scenes import style

    assert style.FONT in manimpango.list_fonts()


def test_type_scale_sizes_are_cap_heights_at_1080p():
    """A capital H set at a style size stands that many pixels tall in a 1080p frame."""
    from manim import tempconfig

    from reluviz.scenes import style
    from reluviz.scenes.widgets import Formula, words

    with tempconfig({"format": "none"}):
        for size in (style.SMALLEST_READABLE, style.EQUATION_SIZE):
            in_words = words("H", "#FFFFFF", size).height * style.PIXELS_PER_UNIT
            in_maths = Formula([r"\mathrm{H}"], "#FFFFFF", size).height * style.PIXELS_PER_UNIT
            assert abs(in_words - size) < 1.0 and abs(in_maths - size) < 1.0, (size, in_words, in_maths)
