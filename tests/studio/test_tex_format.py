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


def typeset(folder: Path) -> tuple[bytes, bytes, str]:
    """(the DVI, the SVG manim reads, the format latex says it loaded) of FORMULA, made in ``folder``."""
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
    return (folder / "f.dvi").read_bytes(), (folder / "f.svg").read_bytes(), next(r for r in read if r.endswith(".fmt"))


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
    assert Path(loaded) == system[0] and Path(ours_loaded) == folder / "latex.fmt"
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
