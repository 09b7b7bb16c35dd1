"""The project as a package: a wheel built from the repository installs one import name,
its presets and data, metadata, and the ``reluviz`` command."""

from __future__ import annotations

import ast
import email
import importlib.metadata
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import reluviz

ROOT = Path(reluviz.__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The wheel built from this checkout, installed (not editable) into a folder of its own."""
    work = tmp_path_factory.mktemp("package")
    build = [
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "-q",
        "--no-deps",
        "--no-build-isolation",
        "-w",
        str(work),
        str(ROOT),
    ]
    subprocess.run(build, check=True, capture_output=True)
    (wheel,) = work.glob("reluviz-*.whl")
    target = work / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    return target


def run_installed(site: Path, *command: str) -> subprocess.CompletedProcess:
    """Run with the installed copy first on the path, from a folder that is not the checkout."""
    environment = {**os.environ, "PYTHONPATH": str(site)}
    return subprocess.run(command, capture_output=True, text=True, cwd=site.parent, env=environment)


def test_one_import_name_of_ours_in_site_packages(installed):
    ours = {p.name for p in installed.iterdir() if not p.name.endswith(".dist-info") and p.name != "bin"}
    assert ours == {"reluviz"}
    assert (installed / "reluviz" / "scenes" / "part1" / "definition.py").is_file()
    assert (installed / "reluviz" / "studio" / "pipeline" / "worker.py").is_file()
    assert (installed / "reluviz" / "words" / "stages.py").is_file()


def test_presets_and_data_travel_with_the_package(installed):
    result = run_installed(installed, sys.executable, "-m", "reluviz", "table", "--weights", "softplus")
    assert result.returncode == 0, result.stderr
    assert f"({installed / 'reluviz' / 'assets' / 'weights' / 'softplus.toml'})" in result.stdout
    plane = run_installed(
        installed, sys.executable, "-m", "reluviz", "regions", "--weights", "plateau"
    )  # reluviz.plane
    assert plane.returncode == 0 and "7 regions inside the rectangle" in plane.stdout, plane.stderr
    check = run_installed(
        installed, sys.executable, "-c", "from reluviz.files.data import DEFAULT_DATA; print(DEFAULT_DATA)"
    )
    assert check.stdout.strip() == str(installed / "reluviz" / "assets" / "data" / "dosage.csv")


def test_one_console_command_with_every_subcommand(installed):
    result = run_installed(installed, str(installed / "bin" / "reluviz"), "--help")
    assert result.returncode == 0, result.stderr
    for command in ("render", "preview", "deck", "script", "list", "table", "regions", "check", "weights", "train"):
        assert command in result.stdout
    listing = run_installed(installed, str(installed / "bin" / "reluviz"), "list")
    assert listing.stdout.splitlines()[0].split()[:2] == ["1", "definition"]


def test_metadata_is_filled_in(installed):
    (info,) = installed.glob("reluviz-*.dist-info")
    metadata = email.message_from_string((info / "METADATA").read_text())
    assert metadata["License-Expression"] == "MIT"
    assert (info / "licenses" / "LICENSE").is_file()
    assert metadata["Summary"] and metadata["Requires-Python"] == ">=3.11"
    assert any(r.startswith("manim") for r in metadata.get_all("Requires-Dist"))
    assert "Topic :: Education" in metadata.get_all("Classifier")
    entry_points = (info / "entry_points.txt").read_text()
    assert "reluviz = reluviz.studio.cli.main:main" in entry_points


def test_the_wheel_holds_no_tests_benchmarks_or_media(installed):
    files = [p.relative_to(installed).as_posix() for p in installed.rglob("*") if p.is_file()]
    assert not [f for f in files if f.startswith(("tests/", "bench/", "out/")) or f.endswith((".mp4", ".wav"))]


def test_a_listing_piped_into_head_ends_quietly():
    """The reader closing the pipe early is no error (and no traceback)."""
    import subprocess
    import sys

    dosages = " ".join(str(i / 1000) for i in range(2000))
    result = subprocess.run(
        f"{sys.executable} -m reluviz table --dosage {dosages} | head -n 1",
        shell=True,
        capture_output=True,
        text=True,
        executable="/bin/bash",
    )
    assert result.stdout.startswith("weights: relu")
    assert result.stderr == ""


def _declared(requirements: list[str]) -> set[str]:
    """Distribution names of requirement strings, normalised as PyPI does ("python-pptx")."""
    return {
        re.split(r"[\s<>=!~;\[]", requirement, maxsplit=1)[0].lower().replace("_", "-") for requirement in requirements
    }


def _imported_top_level(folders: list[Path]) -> dict[str, str]:
    """Every module name imported at the top of an absolute import in ``folders``: name -> a file using it."""
    found = {}
    for folder in folders:
        for path in sorted(folder.rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                else:
                    continue
                for name in names:
                    found.setdefault(name.split(".")[0], str(path.relative_to(ROOT)))
    return found


def test_every_third_party_import_is_a_declared_dependency():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    shipped = _declared(project["dependencies"])
    for_tests = _declared(project["optional-dependencies"]["test"])
    providers = importlib.metadata.packages_distributions()

    def undeclared(folders: list[Path], allowed: set[str]) -> list[str]:
        missing = []
        for module, where in _imported_top_level(folders).items():
            ours = any((folder / module).is_dir() or (folder / f"{module}.py").is_file() for folder in folders)
            if ours or module in sys.stdlib_module_names or module in ("reluviz", "__future__"):
                continue
            distributions = {name.lower().replace("_", "-") for name in providers.get(module, [module])}
            if not distributions & allowed:
                missing.append(f"{module} ({where})")
        return missing

    package = [ROOT / "reluviz", ROOT / "scenes", ROOT / "studio"]
    assert undeclared(package, shipped) == [], "imported by the package, not in [project] dependencies"
    assert undeclared([ROOT / "tests", ROOT / "bench"], shipped | for_tests) == [], "not in the test extra either"
