"""Widgets typeset TeX under the lock of the TeX folder that render workers share."""

from __future__ import annotations

import fcntl

import pytest
from manim import tempconfig
from manim.mobject.text import numbers, tex_mobject

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
        monkeypatch.setattr(numbers, "string_to_mob_map", {})  # manim's digits, typeset again
        widgets._typeset.cache_clear()  # and formula pieces
        typeset()
    assert held and all(held), held
