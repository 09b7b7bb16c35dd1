"""TeX typeset in a folder of this process's own, its SVGs shared with other processes.

Render workers typeset the same formulas (a digit, "ReLU(x)"), so what one compiles the
others should find. They cannot compile in one folder: manim's compile deletes every
non-SVG file in its folder when it finishes (another worker's half-made .dvi too), and
reading an SVG writes and deletes a scratch copy beside it (``<name>_.svg``). Taking turns
on a lock made a worker wait for the other's typesetting and reading (a cold preview: 5.8 s
of the two workers' time). So each process compiles and reads in its own folder (manim's
``tex_dir``), and ``typesetting()`` links what the shared folder has into it before, and
what it made into the shared folder after: a formula compiles once, unless two processes
want it at the same moment (each then compiles its own, the same).

Everything that typesets TeX does it inside ``typesetting()``; without a shared folder
(plain manim, one process) it does nothing.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from manim import config

_shared: Path | None = None
_depth = 0


@contextmanager
def svgs_shared_through(folder: Path | None) -> Iterator[None]:
    """Within: typesetting shares its SVGs with other processes through ``folder`` (None: no one)."""
    global _shared
    before, _shared = _shared, folder
    try:
        yield
    finally:
        _shared = before


def _svgs(folder: Path) -> set[str]:
    """The finished SVGs in ``folder`` by name (not manim's scratch copies, not empty ones: on a
    full disk dvisvgm leaves an empty SVG)."""
    try:
        entries = list(os.scandir(folder))
    except FileNotFoundError:
        return set()
    return {
        entry.name
        for entry in entries
        if entry.name.endswith(".svg") and not entry.name.endswith("_.svg") and entry.stat().st_size > 0
    }


def _link_missing(source: Path, target: Path) -> None:
    """Every finished SVG of ``source`` that ``target`` lacks, put there whole: linked, or copied
    and renamed where a link cannot be made (another disk)."""
    for name in _svgs(source) - _svgs(target):
        try:
            os.link(source / name, target / name)
        except FileExistsError:  # another process put it there meanwhile
            pass
        except OSError:
            scratch = target / f".{name}.{os.getpid()}"
            try:
                shutil.copyfile(source / name, scratch)
                os.replace(scratch, target / name)
            except OSError:  # not shared (a full disk, the folder gone): compiled again where needed
                scratch.unlink(missing_ok=True)


@contextmanager
def typesetting() -> Iterator[None]:
    """Around anything that compiles TeX or reads its SVGs: the shared folder's SVGs are found
    in manim's ``tex_dir`` within, and the ones made within are in the shared folder after.
    Nested uses (a ``Formula`` making ``Number``s) share once."""
    global _depth
    if _depth or _shared is None:
        yield
        return
    own = config.get_dir("tex_dir")
    own.mkdir(parents=True, exist_ok=True)
    _shared.mkdir(parents=True, exist_ok=True)
    _link_missing(_shared, own)
    _depth += 1
    try:
        yield
    finally:
        _depth -= 1
        _link_missing(own, _shared)
