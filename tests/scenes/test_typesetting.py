"""TeX compiles in each process's own folder; its SVGs are shared through one folder."""

from __future__ import annotations

import errno
import multiprocessing
import os
from pathlib import Path

import pytest
from manim import tempconfig
from manim.utils import tex_file_writing

from reluviz.scenes.framework import manim_internals, widgets
from reluviz.scenes.framework.widgets import Formula, Number, TickLabel, svgs_shared_through, tex

WHITE = "#ffffff"


def svgs(folder: Path) -> set[str]:
    return {p.name for p in folder.glob("*.svg")}


def compiles_counted(monkeypatch) -> list[str]:
    """From now on, the TeX files manim compiles; nothing typeset before is remembered."""
    compiled, compile_tex = [], tex_file_writing.compile_tex
    monkeypatch.setattr(
        tex_file_writing, "compile_tex", lambda f, *a, **k: compiled.append(f.name) or compile_tex(f, *a, **k)
    )
    monkeypatch.setattr(manim_internals.DigitCachedDecimal, "_typeset", {})  # the story's digits, typeset again
    widgets._typeset.cache_clear()  # and formula pieces
    return compiled


def new_digits():
    """A readout changing value, as an updater does: it typesets digits it did not show."""
    shown = Number(1.25, WHITE, places=2)
    return lambda: shown.set_value(7.75)


@pytest.mark.parametrize(
    "prepare",  # returns the typesetting to watch
    [
        lambda: lambda: Number(3.25, WHITE),
        lambda: lambda: TickLabel(2.5, num_decimal_places=1),
        lambda: lambda: tex(r"\frac{dL}{dZ}", WHITE),
        lambda: lambda: Formula([r"\max(0,\,", 3.5, ")"], WHITE),
        new_digits,
    ],
    ids=["Number", "TickLabel", "tex", "Formula", "set_value"],
)
def test_what_each_widget_compiles_is_shared_and_another_process_compiles_nothing(prepare, tmp_path, monkeypatch):
    shared = tmp_path / "latex"
    with tempconfig({"tex_dir": str(tmp_path / "one")}), svgs_shared_through(shared):
        typeset = prepare()
        compiled = compiles_counted(monkeypatch)
        typeset()
    assert compiled, "nothing was compiled: the test would show nothing"
    assert svgs(tmp_path / "one") <= svgs(shared) and len(svgs(shared)) >= len(compiled)
    with tempconfig({"tex_dir": str(tmp_path / "another")}), svgs_shared_through(shared):
        typeset = prepare()
        compiled = compiles_counted(monkeypatch)
        typeset()
    assert compiled == []


def _typeset_in_turn(own: str, shared: str, sources: list[str]) -> list[str]:
    """A worker process typesetting ``sources``: the SVG names it ends with in its own folder."""
    with tempconfig({"tex_dir": own, "verbosity": "ERROR"}), svgs_shared_through(Path(shared)):
        for source in sources:
            tex(source, WHITE)
    return sorted(svgs(Path(own)))


def test_two_processes_typesetting_the_same_formulas_at_once_both_finish_with_the_same_svgs(tmp_path):
    """What a lock prevented before: compiles of one formula at once, in one folder, deleting each
    other's files. In their own folders they cannot; each ends with every SVG, shared."""
    sources = [rf"x_{{{n}}} = \frac{{{n}}}{{7}}" for n in range(6)]
    shared = tmp_path / "latex"
    with multiprocessing.get_context("fork").Pool(2) as pool:
        made = pool.starmap(_typeset_in_turn, [(str(tmp_path / name), str(shared), sources) for name in ("a", "b")])
    assert made[0] == made[1] and len(made[0]) == len(sources)
    assert set(made[0]) == svgs(shared)
    for name in made[0]:
        assert (
            (shared / name).read_bytes() == (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
        )


def test_scratch_copies_and_empty_svgs_are_not_shared(tmp_path):
    own, shared = tmp_path / "own", tmp_path / "shared"
    own.mkdir()
    (own / "a.svg").write_text("<svg/>")
    (own / "a_.svg").write_text("<svg/>")  # manim's scratch copy while it reads a.svg
    (own / "b.svg").write_text("")  # dvisvgm on a full disk
    (own / "a.tex").write_text("x")
    with tempconfig({"tex_dir": str(own)}), svgs_shared_through(shared), widgets.typesetting():
        pass
    assert sorted(p.name for p in shared.iterdir()) == ["a.svg"]


def test_svgs_are_copied_whole_where_they_cannot_be_linked(tmp_path, monkeypatch):
    own, shared = tmp_path / "own", tmp_path / "shared"
    own.mkdir()
    (own / "a.svg").write_text("<svg>a</svg>")

    def across_disks(source, target):
        raise OSError(errno.EXDEV, os.strerror(errno.EXDEV))

    monkeypatch.setattr(os, "link", across_disks)
    with tempconfig({"tex_dir": str(own)}), svgs_shared_through(shared), widgets.typesetting():
        pass
    assert [p.name for p in shared.iterdir()] == ["a.svg"]  # no scratch copy left
    assert (shared / "a.svg").read_text() == "<svg>a</svg>"


def test_a_shared_folder_reached_through_a_link_gets_the_svgs_itself(tmp_path):
    (tmp_path / "latex").mkdir()
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "latex").symlink_to(tmp_path / "latex", target_is_directory=True)
    with tempconfig({"tex_dir": str(tmp_path / "own")}), svgs_shared_through(tmp_path / "out" / "latex"):
        tex(r"\frac{dL}{dW}", WHITE)
    assert svgs(tmp_path / "latex") and svgs(tmp_path / "latex") == svgs(tmp_path / "own")


def test_without_a_shared_folder_typesetting_compiles_where_manim_says(tmp_path):
    with tempconfig({"tex_dir": str(tmp_path / "latex")}):
        tex(r"\frac{dL}{db}", WHITE)
    assert svgs(tmp_path / "latex") and [p.name for p in tmp_path.iterdir()] == ["latex"]
