"""The folders are the architecture (docs/architecture.md): small folders of small modules,
no import cycle, and the numbers' package usable without manim, the scenes or the studio."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import reluviz

ROOT = Path(reluviz.__file__).resolve().parent.parent
#: The repository's folders and the package names they install as.
PACKAGES = {"reluviz": ROOT / "reluviz", "reluviz.scenes": ROOT / "scenes", "reluviz.studio": ROOT / "studio"}
MAX_MODULES_PER_FOLDER = 12
MAX_MODULE_LINES = 450


def modules() -> dict[str, Path]:
    """Every module of the project by its installed name."""
    found = {}
    for package, folder in PACKAGES.items():
        for path in folder.rglob("*.py"):
            parts = list(path.relative_to(folder).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join([package, *parts])] = path
    return found


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """The project's modules ``name`` imports anywhere in it (TYPE_CHECKING blocks and
    function bodies too), each resolved to the module itself, not its package."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]
        else:
            continue
        found |= {target for target in targets if target in known and target != name}
    return found


def test_no_folder_holds_more_than_twelve_modules_side_by_side():
    crowded = {}
    for folder in {path.parent for path in modules().values()}:
        count = len([p for p in folder.glob("*.py") if p.name != "__init__.py"])
        if count > MAX_MODULES_PER_FOLDER:
            crowded[str(folder.relative_to(ROOT))] = count
    assert crowded == {}


def test_no_module_is_longer_than_450_lines():
    long = {name: n for name, path in modules().items() if (n := len(path.read_text().splitlines())) > MAX_MODULE_LINES}
    assert long == {}


def test_no_import_cycle():
    found = modules()
    graph = {name: imports_of(name, path, set(found)) for name, path in found.items()}
    # a package imports its own modules when they are named through it; only cycles between modules count
    graph = {name: {t for t in targets if not name.startswith(t + ".")} for name, targets in graph.items()}
    cycles, state = [], {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = "open"
        for target in sorted(graph[node]):
            if state.get(target) == "open":
                cycles.append(" -> ".join([*trail[trail.index(target) :], target]))
            elif target not in state:
                visit(target, [*trail, target])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert cycles == []


BLOCKER = """
import importlib.abc, sys
class Unavailable(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        blocked = name.split(".")[0] in ("manim", "manimpango", "cairo")
        if blocked or name.startswith(("reluviz.scenes", "reluviz.studio")):
            raise ImportError(f"{name} is not available here")
sys.meta_path.insert(0, Unavailable())
"""


def test_the_numbers_package_imports_without_manim_scenes_or_studio():
    core = sorted(name for name in modules() if not name.startswith(("reluviz.scenes", "reluviz.studio")))
    core.remove("reluviz.__main__")  # the command line, which is the studio's
    program = BLOCKER + "import importlib\n" + "".join(f"importlib.import_module({name!r})\n" for name in core)
    program += "import reluviz; print(len(reluviz.table('wide')['rows']), reluviz.load_weights('softplus').name)\n"
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["3", "softplus"]
    blocked = subprocess.run([sys.executable, "-c", BLOCKER + "import reluviz.studio"], capture_output=True, text=True)
    assert "reluviz.studio is not available here" in blocked.stderr  # the blocker does block


#: What a folder's modules may not import (docs/architecture.md, "What each folder may import").
FORBIDDEN = {
    "reluviz.scenes": ("reluviz.studio",),
    "reluviz.studio.pipeline": ("reluviz.studio.publishing", "reluviz.studio.cli"),
    "reluviz.studio.media": ("reluviz.studio.publishing", "reluviz.studio.cli"),
    "reluviz.studio.publishing": ("reluviz.studio.cli",),
}


def test_each_folder_imports_only_the_layers_above_it():
    found = modules()
    crossings = []
    for name, path in found.items():
        for layer, forbidden in FORBIDDEN.items():
            if name == layer or name.startswith(layer + "."):
                crossings += [
                    f"{name} imports {target}"
                    for target in imports_of(name, path, set(found))
                    if target.startswith(forbidden)
                ]
    stages = {name for name in found if name.startswith(("reluviz.scenes.part1.", "reluviz.scenes.part2."))}
    crossings += [f"{name} imports {target}" for name in stages for target in imports_of(name, found[name], stages)]
    assert crossings == []
