"""latex's format kept uncompressed for the workers (studio/pipeline/tex_format.py)."""

from __future__ import annotations

import gzip
import os
import subprocess
from pathlib import Path

from reluviz.scenes.framework.widgets import TEMPLATE
from reluviz.studio.pipeline import tex_format

#: A formula as manim writes it for our template, with the groups manim marks substrings by.
FORMULA = r"\special{dvisvgm:raw <g id='unique000'>}\frac{dL}{dA} = -0.85\special{dvisvgm:raw </g>}"


def typeset(folder: Path) -> tuple[bytes, bytes, list[str]]:
    """(the DVI, the SVG manim reads, every file latex read, its format first) of FORMULA, made in ``folder``."""
    folder.mkdir()
    (folder / "f.tex").write_text(TEMPLATE.get_texcode_for_expression_in_env(FORMULA, "align*"))
    # the DVI's own date, pinned: the two runs may fall in different minutes
    environment = {**os.environ, "SOURCE_DATE_EPOCH": "0", "FORCE_SOURCE_DATE": "1"}
    latex = ["latex", "-interaction=batchmode", "-halt-on-error", "-recorder", "f.tex"]
    subprocess.run(latex, cwd=folder, env=environment, check=True, capture_output=True)
    subprocess.run(
        ["dvisvgm", "--page=1", "--no-fonts", "--verbosity=0", "--output=f.svg", "f.dvi"],
        cwd=folder,
        check=True,
        capture_output=True,
    )
    # -recorder lists every file latex read, its format first
    read = [line[6:] for line in (folder / "f.fls").read_text().splitlines() if line.startswith("INPUT ")]
    return (folder / "f.dvi").read_bytes(), (folder / "f.svg").read_bytes(), read


def loaded_format(read: list[str]) -> Path:
    return Path(next(path for path in read if path.endswith(".fmt")))


def test_latex_loads_the_uncompressed_format_and_typesets_the_same(tmp_path):
    system = tex_format._system_format()
    assert system is not None  # Debian's TeX Live gzips latex.fmt: nothing would be gained otherwise
    folder = tex_format.uncompressed_formats(tmp_path / "tex")
    assert folder is not None and folder.parent == tmp_path / f"tex{tex_format.FORMAT_FOLDER_SUFFIX}"
    kept = (folder / "latex.fmt").read_bytes()
    assert kept[:2] != tex_format.GZIP_MAGIC and kept == gzip.decompress(system[0].read_bytes())

    before = os.environ.get("TEXFORMATS")
    dvi, svg, loaded = typeset(tmp_path / "system")
    with tex_format.formats_from(folder):
        ours_dvi, ours_svg, ours_loaded = typeset(tmp_path / "ours")
    assert os.environ.get("TEXFORMATS") == before  # as it was, after
    assert loaded_format(loaded) == system[0] and loaded_format(ours_loaded) == folder / "latex.fmt"
    assert ours_dvi == dvi and ours_svg == svg
    assert b"unique000" in svg  # manim's groups survive


def test_the_uncompressed_format_is_made_once_and_not_where_it_cannot_be(tmp_path, monkeypatch):
    folder = tex_format.uncompressed_formats(tmp_path / "tex")
    made = (folder / "latex.fmt").stat().st_mtime_ns
    assert tex_format.uncompressed_formats(tmp_path / "tex") == folder
    assert (folder / "latex.fmt").stat().st_mtime_ns == made
    assert [p.name for p in folder.iterdir()] == ["latex.fmt"]  # no half-written copy left
    (tmp_path / f"full{tex_format.FORMAT_FOLDER_SUFFIX}").write_text("a file where its folder would be")
    assert tex_format.uncompressed_formats(tmp_path / "full") is None  # latex loads its own instead
    monkeypatch.setattr(tex_format, "_system_format", lambda: None)  # TeX's own not gzipped, or no TeX
    assert tex_format.uncompressed_formats(tmp_path / "other") is None
    before = os.environ.get("TEXFORMATS")
    with tex_format.formats_from(None):
        assert os.environ.get("TEXFORMATS") == before


def _read_with(folder: Path | None, tmp_path: Path, name: str) -> tuple[bytes, bytes, list[str]]:
    """``typeset`` in ``tmp_path / name``, latex finding its format in ``folder``."""
    with tex_format.formats_from(folder):
        return typeset(tmp_path / name)


def test_the_preloaded_format_has_read_the_template_and_typesets_the_same(tmp_path):
    folder = tex_format.preloaded_formats(tmp_path / "tex", TEMPLATE.documentclass, TEMPLATE.preamble)
    kernel = tex_format.uncompressed_formats(tmp_path / "tex")
    assert folder is not None and folder != kernel and folder.parent == kernel.parent
    assert (folder / "latex.fmt").read_bytes()[:2] != tex_format.GZIP_MAGIC
    dvi, svg, read = _read_with(kernel, tmp_path, "kernel")
    ours_dvi, ours_svg, ours_read = _read_with(folder, tmp_path, "preloaded")
    assert ours_dvi == dvi and ours_svg == svg
    # the template's class and what its packages bring in are read by latex with the kernel alone,
    # not with ours (a package asked for again is only looked up, not read through)
    for name in ("standalone.cls", "preview.sty", "english.ldf", "amsopn.sty", "amsfonts.sty", "xkeyval.sty"):
        assert any(path.endswith("/" + name) for path in read), name
        assert not any(path.endswith("/" + name) for path in ours_read), name
    assert loaded_format(ours_read) == folder / "latex.fmt"


def test_the_preloaded_format_is_made_once_and_stops_latex_for_another_class(tmp_path):
    folder = tex_format.preloaded_formats(tmp_path / "tex", TEMPLATE.documentclass, TEMPLATE.preamble)
    made = (folder / "latex.fmt").stat().st_mtime_ns
    assert tex_format.preloaded_formats(tmp_path / "tex", TEMPLATE.documentclass, TEMPLATE.preamble) == folder
    assert (folder / "latex.fmt").stat().st_mtime_ns == made
    assert [p.name for p in folder.iterdir()] == ["latex.fmt"]  # nothing of its making left
    (tmp_path / "other.tex").write_text(r"\documentclass{article}\begin{document}x\end{document}")
    with tex_format.formats_from(folder):
        other = subprocess.run(
            ["latex", "-interaction=batchmode", "-halt-on-error", "other.tex"], cwd=tmp_path, capture_output=True
        )
    assert other.returncode != 0
    said = (tmp_path / "other.log").read_text().replace("\n", "")  # TeX breaks its log's lines
    assert "reluviz: this latex format holds the class [preview]{standalone}, not []{article}" in said


def test_a_template_latex_cannot_preload_gets_the_kernel_alone(tmp_path):
    kernel = tex_format.uncompressed_formats(tmp_path / "tex")
    broken = TEMPLATE.preamble + "\n\\usepackage{no-such-package-anywhere}"
    assert tex_format.preloaded_formats(tmp_path / "tex", TEMPLATE.documentclass, broken) == kernel
    assert tex_format.preloaded_formats(tmp_path / "tex", r"\documentclass", TEMPLATE.preamble) == kernel
    assert sorted(p.name for p in kernel.parent.iterdir()) == [kernel.name]  # no format half made
