"""The code a clip is made with, as one digest: exactly the project's modules that draw,
speak and pack it, found by following the imports of its scene's module and of the worker.

A clip's key covers this digest, so editing the command line's help or the lecture page's
HTML re-renders nothing, and editing one stage's module re-renders that stage alone; a
worker whose own digest for a clip differs refuses it (it would make another clip under the
same key). The lesson file is part of the code of the stages that show it.
"""

from __future__ import annotations

import functools
import hashlib
import re
from pathlib import Path

import reluviz
import reluviz.scenes as scene_modules
import reluviz.studio as studio_modules
from reluviz.files.weights import LESSON_FILE
from reluviz.scenes import scene_module
from reluviz.words.stages import BY_NAME

#: The repository's folders by the package names they install as.
PACKAGES = {
    "reluviz.scenes": Path(scene_modules.__file__).parent,
    "reluviz.studio": Path(studio_modules.__file__).parent,
    "reluviz": Path(reluviz.__file__).parent,
}
#: The module every clip is made by, besides its scene's.
WORKER = "reluviz.studio.pipeline.worker"
#: Not followed: the package's front door (the Python API, which loads the studio when asked).
FRONT_DOOR = "reluviz"


def _file(module: str) -> Path | None:
    """The file of a project module, or None for anything else (numpy, manim, a name in a module)."""
    for package, folder in PACKAGES.items():
        if module == package or module.startswith(package + "."):
            parts = module[len(package) :].lstrip(".").split(".") if module != package else []
            candidate = folder.joinpath(*parts)
            if (candidate / "__init__.py").is_file():
                return candidate / "__init__.py"
            if candidate.with_suffix(".py").is_file() and parts:
                return candidate.with_suffix(".py")
            return None
    return None


#: Import statements, read from the source's text: parsing every module the clips use took
#: 0.4 s of a render with nothing to do. A statement in a string counts too (an extra file in
#: a digest re-renders more, never less); tests/studio/test_fingerprint.py checks the project's
#: modules against Python's own parser.
_IMPORT = re.compile(r"^[ \t]*import[ \t]+([\w. \t,]+)", re.MULTILINE)
_FROM_IMPORT = re.compile(r"^[ \t]*from[ \t]+(\.*[\w.]*)[ \t]+import[ \t]*(\([^)]*\)|[^\n]*)", re.MULTILINE)


def _names(listed: str) -> list[str]:
    """The names of ``a as b, c`` (in brackets, over lines, with comments)."""
    listed = re.sub(r"#[^\n]*", "", listed).strip("() \t\n")
    return [name.split()[0] for name in listed.split(",") if name.strip() and name.split()[0] != "*"]


@functools.cache
def _imported(module: str) -> tuple[str, ...]:
    """The project modules ``module`` imports anywhere in it (function bodies too)."""
    path = _file(module)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    source = path.read_text().replace("\\\n", " ")  # a statement continued over lines
    found = [name for match in _IMPORT.finditer(source) for name in _names(match[1])]
    for match in _FROM_IMPORT.finditer(source):
        dots, base = len(match[1]) - len(match[1].lstrip(".")), match[1].lstrip(".")
        if dots:
            anchor = package.split(".")[: len(package.split(".")) - dots + 1]
            base = ".".join([*anchor, *([base] if base else [])])
        found += [f"{base}.{name}" if _file(f"{base}.{name}") else base for name in _names(match[2])]
    return tuple(sorted({name for name in found if name != FRONT_DOOR and _file(name) is not None}))


@functools.cache
def clip_code_files(scene: str) -> tuple[Path, ...]:
    """Every project file a clip of ``scene`` is drawn, spoken and packed with."""
    seen: set[str] = set()
    todo = [scene_module(scene), WORKER]
    while todo:
        module = todo.pop()
        if module not in seen:
            seen.add(module)
            todo += _imported(module)
    files = sorted({_file(module) for module in seen})
    uses_lesson = scene in BY_NAME and "lesson" in BY_NAME[scene].uses
    return (*files, *([LESSON_FILE] if uses_lesson else []))


@functools.cache
def clip_code(scene: str) -> str:
    """The digest of ``scene``'s code (see the module's docstring)."""
    digest = hashlib.sha256()
    for path in clip_code_files(scene):
        for package, folder in PACKAGES.items():
            if path.is_relative_to(folder):
                digest.update(f"{package}:{path.relative_to(folder)}".encode())
                break
        else:
            digest.update(path.name.encode())
        digest.update(_contents(path))
    return digest.hexdigest()[:24]


def _contents(path: Path) -> bytes:
    return path.read_bytes()
