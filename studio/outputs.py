"""Putting files in place so that a final name only ever holds a finished file."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path


def publish(source: Path, target: Path) -> None:
    """Put ``source`` at ``target`` atomically (a hard link where possible, else a copy)."""
    if target.exists() and target.stat().st_ino == source.stat().st_ino:
        return
    temporary = target.with_name(f".{target.name}.tmp")
    temporary.unlink(missing_ok=True)
    try:
        os.link(source, temporary)
    except OSError:
        shutil.copyfile(source, temporary)
    os.replace(temporary, target)


def write_text(target: Path, text: str) -> None:
    """Write ``text`` under a temporary name, then rename it into place (unless unchanged)."""
    if target.exists() and target.read_text(encoding="utf-8") == text:
        return
    temporary = target.with_name(f".{target.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, target)


def derived(folder: Path, name: str, make: Callable[[Path], None]) -> Path:
    """``folder/name``, made by ``make(temporary path)`` the first time it is asked for."""
    target = folder / name
    if not target.exists():
        temporary = folder / f".{os.getpid()}.{name}"
        try:
            make(temporary)
            os.replace(temporary, target)
        finally:
            temporary.unlink(missing_ok=True)
    return target
