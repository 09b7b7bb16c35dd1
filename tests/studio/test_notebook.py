"""The Python API a notebook uses (reluviz.render, load_weights, table), run as the README shows it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import reluviz

README = Path(reluviz.__file__).resolve().parent.parent / "README.md"


def readme_example() -> str:
    """The Python block of the README's "From Python (a notebook)" section."""
    section = README.read_text().split("### From Python (a notebook)", 1)[1]
    return re.search(r"```python\n(.*?)```", section, re.DOTALL).group(1)


def test_the_readme_example_renders_and_returns_the_kit(tmp_path):
    check = """
kit_html = kit._repr_html_()
clip_html = kit.clip("bias")._repr_html_()
assert clip_html.startswith("<figure><video") and "data:video/mp4;base64," in clip_html, clip_html[:200]
assert [entry["name"] for entry in kit.manifest["clips"]] == ["bias"]
assert kit.page.is_file() and kit.presenter.is_file() and kit.manifest_path.is_file()
print("loaded:", sorted(m for m in ("manim", "reluviz.studio", "reluviz.scenes") if m in sys.modules))
"""
    program = "import sys\n" + readme_example() + check
    result = subprocess.run([sys.executable, "-c", program], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "11 bias" in result.stdout and "done" in result.stdout, result.stdout  # the render's own progress lines
    clip = tmp_path / "out" / "relu" / "low" / "11_bias.mp4"
    assert f"{clip} " in result.stdout, result.stdout  # kit.clip("bias").path, printed by the example
    assert "'rows'" not in result.stdout and "'relu'" not in result.stdout  # a row of numbers, not the table
    assert "loaded: ['reluviz.scenes', 'reluviz.studio']" in result.stdout  # manim loads in the workers


def test_importing_reluviz_loads_no_manim_and_exports_only_its_api():
    program = (
        "import sys, reluviz; reluviz.table('relu'); reluviz.load_weights('softplus');"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'manim' or m.startswith(('reluviz.studio', "
        "'reluviz.scenes')))); print(reluviz.__all__)"
    )
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True)
    loaded, exported = result.stdout.splitlines()
    assert loaded == "[]"
    assert exported == "['InputFileError', 'Weights', 'load_weights', 'render', 'table']"


def test_a_render_option_the_command_line_does_not_have_is_one_line():
    result = subprocess.run(
        [sys.executable, "-c", "import reluviz; reluviz.render('relu', stage=['bias'])"], capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "ValueError: unknown render option 'stage'" in result.stderr.splitlines()[-1]
