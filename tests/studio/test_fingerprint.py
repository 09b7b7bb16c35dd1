"""The imports a clip's code digest follows (studio/pipeline/fingerprint.py), read from each
module's text, against Python's own parser on every module of the project."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from reluviz.studio.pipeline import fingerprint


def module_names() -> list[str]:
    names = []
    for package, folder in fingerprint.PACKAGES.items():
        for path in sorted(folder.rglob("*.py")):
            parts = path.relative_to(folder).with_suffix("").parts
            name = ".".join([package, *(parts[:-1] if parts[-1] == "__init__" else parts)])
            if fingerprint._file(name) == path:  # not a folder another package claims
                names.append(name)
    return names


def parsed_imports(module: str) -> set[str]:
    """The project modules ``module`` imports, as Python's parser finds the statements."""
    path = fingerprint._file(module)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(
                    [*package.split(".")[: len(package.split(".")) - node.level + 1], *filter(None, [base])]
                )
            found |= {f"{base}.{a.name}" if fingerprint._file(f"{base}.{a.name}") else base for a in node.names}
    return {name for name in found if name != fingerprint.FRONT_DOOR and fingerprint._file(name) is not None}


def test_every_project_module_is_found():
    names = module_names()
    assert len(names) > 80 and "reluviz.scenes.part3.space" in names and "reluviz.words.templates" in names


@pytest.mark.parametrize("module", module_names())
def test_the_imports_read_from_the_text_are_the_ones_python_parses(module):
    assert set(fingerprint._imported(module)) == parsed_imports(module)


def test_imports_over_lines_in_brackets_with_comments_and_names_given_another_name(tmp_path, monkeypatch):
    source = tmp_path / "module.py"
    source.write_text(
        "import reluviz.network as net, reluviz.limits\n"
        "from reluviz.words import (  # the words\n    numbers,\n    spoken as said,  # said\n)\n"
        "def later():\n    from reluviz.plane import regions\n"
        "from reluviz.files.weights import \\\n    PRESETS\n"
        'TEXT = "no import here"\n'
    )
    modules = {"reluviz.network", "reluviz.limits", "reluviz.words", "reluviz.words.numbers", "reluviz.words.spoken"}
    modules |= {"reluviz.plane", "reluviz.plane.regions", "reluviz.files.weights"}
    monkeypatch.setattr(
        fingerprint,
        "_file",
        lambda module: source if module == "reluviz.probe" else Path(module) if module in modules else None,
    )
    fingerprint._imported.cache_clear()
    try:
        found = set(fingerprint._imported("reluviz.probe"))
    finally:
        fingerprint._imported.cache_clear()
    # PRESETS is a name in a module, not a module: the module is what the digest follows
    assert found == modules - {"reluviz.words", "reluviz.plane"}
