"""Putting files in place so that a final name only ever holds a finished file."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from reluviz.studio.pipeline.cache import sha256


def _temporary(target: Path) -> Path:
    """A scratch name beside ``target``, private to this process (renders may run at once)."""
    return target.with_name(f".{target.name}.{os.getpid()}.tmp")


def publish(source: Path, target: Path, digest: str) -> bool:
    """Put a copy of ``source`` (whose sha256 is ``digest``) at ``target`` atomically; returns
    whether anything was written.

    A copy, never a link: a published file edited in place must not change the cache
    entry behind it (and through it every other folder that shares the clip). A target
    that already has the content is left alone, so a render with nothing new rewrites nothing.
    """
    try:
        if target.stat().st_size == source.stat().st_size and sha256(target) == digest:
            return False
    except FileNotFoundError:
        pass
    temporary = _temporary(target)
    try:
        shutil.copyfile(source, temporary)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    return True


def write_text(target: Path, text: str) -> bool:
    """Write ``text`` under a temporary name, then rename it into place (unless unchanged);
    returns whether anything was written."""
    if target.exists() and target.read_text(encoding="utf-8") == text:
        return False
    temporary = _temporary(target)
    try:
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    return True
