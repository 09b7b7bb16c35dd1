"""The clip cache under ``out/.cache/``: entries that prove themselves, and locks that let
several renders share it.

An entry is a folder named by a content key (``clips/<key>/``, ``films/<key>/``). When it
is made, the sha256 of every file in it goes into ``sums.json`` before the folder takes
its name; files made from it later (captions as WebVTT, a WebM) are added to the sums
under the entry's lock. An entry is trusted only while every file matches its sum, so a
truncated or edited file is noticed and the clip rendered again, never published. A file
whose sum matched is not read again while its size, times and inode are those it had then
(``.checked.json`` beside the sums): any write, truncation or ``touch`` changes its ctime.

Renders running at once (two ``make render`` into one out/) take a lock per entry before
making it and per output folder before publishing into it; each re-checks after taking
the lock, so one renders and the other reuses.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import re
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

SUMS = "sums.json"
#: Each file's stamp (size, mtime, ctime, inode) and sum when its sum last matched: a render with
#: nothing to do read every clip again (150 MB at 1080p, 0.2 s of its 0.9 s).
CHECKED = ".checked.json"
#: A stamp this recent is not kept: a file written again within the filesystem's clock tick
#: could keep its times (git's "racy clean" files), so it is read again next time.
SETTLED_NS = 2_000_000_000


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def entry_sums(folder: Path) -> dict[str, str]:
    """The sha256 of every file of an entry, as recorded when it was made."""
    return _read_sums(folder)


def _read_sums(folder: Path) -> dict[str, str]:
    try:
        return json.loads((folder / SUMS).read_text())
    except (OSError, ValueError):
        return {}


def _write_sums(folder: Path, sums: dict[str, str]) -> None:
    temporary = folder / f".{SUMS}.{os.getpid()}"
    temporary.write_text(json.dumps(sums, indent=1, sort_keys=True))
    os.replace(temporary, folder / SUMS)


def seal(folder: Path) -> None:
    """Record the sum of every file in a new entry (before it is renamed into place)."""
    _write_sums(folder, {p.name: sha256(p) for p in sorted(folder.iterdir()) if p.is_file() and p.name != SUMS})


def recorded_sum(folder: Path, name: str) -> str | None:
    return _read_sums(folder).get(name)


def file_ok(folder: Path, name: str) -> bool:
    """``folder/name`` exists and still has the content recorded when it was made."""
    expected = recorded_sum(folder, name)
    return expected is not None and _all_match(folder, {name: expected})


def entry_ok(folder: Path) -> bool:
    """A finished entry whose every recorded file is intact (info.json included)."""
    sums = _read_sums(folder)
    return "info.json" in sums and _all_match(folder, sums)


def _stamp(status: os.stat_result) -> list[int]:
    return [status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino]


def _all_match(folder: Path, sums: dict[str, str]) -> bool:
    """Every file of ``sums`` in ``folder`` has its sum: read only where its stamp changed since
    its sum last matched (the stamps that now match are kept for next time)."""
    try:
        checked = json.loads((folder / CHECKED).read_text())
    except (OSError, ValueError):
        checked = {}
    if not isinstance(checked, dict):
        checked = {}
    fresh = {}
    try:
        for name, digest in sums.items():
            status = (folder / name).stat()
            stamp = [*_stamp(status), digest]
            if checked.get(name) == stamp:
                continue
            if sha256(folder / name) != digest:
                return False
            if time.time_ns() - max(status.st_mtime_ns, status.st_ctime_ns) > SETTLED_NS:
                fresh[name] = stamp
    except OSError:
        return False
    if fresh:
        temporary = folder / f".{os.getpid()}.{threading.get_ident()}{CHECKED}"
        try:
            temporary.write_text(json.dumps({**checked, **fresh}))
            os.replace(temporary, folder / CHECKED)
        except OSError:  # a cache this process may read but not write: checked again next time
            temporary.unlink(missing_ok=True)
    return True


@contextmanager
def locked(cache: Path, name: str) -> Iterator[None]:
    """Hold an exclusive lock called ``name`` (an entry's key, an output folder's name)."""
    folder = cache / "locks"
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / f"{name}.lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def lock_name(path: Path) -> str:
    """A lock name for any folder (an output folder may sit anywhere)."""
    return hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:24]


def install(work: Path, entry: Path) -> None:
    """Seal ``work`` and rename it to ``entry``: the whole entry appears at once, or not at all."""
    seal(work)
    entry.parent.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(entry, ignore_errors=True)  # a damaged entry being healed
    os.replace(work, entry)


def derived(folder: Path, name: str, make: Callable[[Path], None]) -> Path:
    """``folder/name`` made from the entry by ``make(temporary path)`` the first time it is
    asked for (and again whenever it no longer matches its sum)."""
    target = folder / name
    if file_ok(folder, name):
        return target
    with locked(folder.parent.parent, folder.name):  # entries sit in <cache>/<kind>/<key>
        if not file_ok(folder, name):
            temporary = folder / f".{os.getpid()}.{name}"
            try:
                make(temporary)
                digest = sha256(temporary)
                os.replace(temporary, target)
            finally:
                temporary.unlink(missing_ok=True)
            _write_sums(folder, {**_read_sums(folder), name: digest})
    return target


#: Characters every tool reads in a file's path without trouble: a quote, a percent sign or
#: a backslash ends or escapes a file name in TeX, and a quote one in the file lists manim
#: hands to ffmpeg.
_PLAIN_PATH = re.compile(r"[A-Za-z0-9_./+ -]*")


def plain_path(path: Path) -> bool:
    return bool(_PLAIN_PATH.fullmatch(str(path)))


#: The TeX folder's name in a cache (it may be a link to a folder shared with other caches).
TEX_FOLDER = "latex"


def tex_folder(cache: Path) -> Path:
    """The TeX folder every render shares, by a path TeX can read. An out/ under a folder
    named like o'brien gets it through a link in the temporary folder, named after it."""
    folder = cache / TEX_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    if plain_path(folder):
        return folder
    link = Path(tempfile.gettempdir()) / f"reluviz-tex-{hashlib.sha256(str(folder).encode()).hexdigest()[:16]}"
    if not link.is_dir():
        temporary = link.with_name(f"{link.name}.{os.getpid()}")
        temporary.unlink(missing_ok=True)
        temporary.symlink_to(folder, target_is_directory=True)
        os.replace(temporary, link)  # renders starting at once each leave a whole link
    return link


def scratch(cache: Path, name: str) -> Path:
    """A fresh folder for one process to make an entry in (``tmp/<name>@<host>.<pid>``: a
    cache shared by several machines holds scratch of processes that are not this one's)."""
    work = cache / "tmp" / f"{name}@{socket.gethostname()}.{os.getpid()}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    return work


#: A step that fails with less free space than this where it writes failed for want of it,
#: whatever it says: a program that runs out of room often tells of something else (dvisvgm
#: leaves an empty SVG for manim to misread, ffmpeg "cannot initialize its output").
NEARLY_FULL_BYTES = 64 * 1024


def _free_bytes(folder: Path) -> int:
    """Free space on the disk of ``folder`` (or of its nearest folder that exists)."""
    for existing in (folder, *folder.parents):
        try:
            return shutil.disk_usage(existing).free
        except OSError:
            continue
    return NEARLY_FULL_BYTES


def full_disk_at(error: BaseException, writing: Path) -> Path | None:
    """Where a write found its disk (or quota) full, if that is why ``error`` happened: the file
    it names (a copy's destination), else ``writing``, the folder being written (a failed write
    names no file)."""
    if isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT):
        return Path(error.filename2 or error.filename or writing)
    if _free_bytes(Path(writing).absolute()) < NEARLY_FULL_BYTES:
        return Path(writing)
    return None


def removed_while_rendering(folder: Path, cache: Path) -> str | None:
    """What to say when ``cache``, or a folder of it on the way to ``folder``, is gone: someone
    deleted it while a render used it (TeX, manim and ffmpeg then fail with advice about
    themselves). None while they are all there."""
    try:
        inside = Path(folder).absolute().relative_to(Path(cache).absolute())
    except ValueError:
        return None
    if not Path(cache).is_dir():
        return f"the cache folder {cache} was removed while rendering; run again"
    for depth in range(1, len(inside.parts) + 1):
        on_the_way = Path(cache, *inside.parts[:depth])
        if not on_the_way.is_dir():
            return f"the cache folder {cache}, or a part of it ({on_the_way}), was removed while rendering; run again"
    return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _process_gone(pid: str, host: str = "") -> bool:
    """The process ``pid`` of this machine (``host`` empty or ours) has ended."""
    return pid.isdigit() and host in ("", socket.gethostname()) and not _alive(int(pid))


def remove_abandoned_scratch(cache: Path) -> None:
    """Delete what renders that were killed left behind: ``tmp/<key>.<pid>/`` folders and
    ``.<pid>.<name>`` files inside entries, where that process no longer runs."""
    tmp = cache / "tmp"
    if tmp.is_dir():
        for path in tmp.iterdir():
            made_by, _, pid = path.name.rpartition(".")
            if _process_gone(pid, made_by.partition("@")[2]):
                shutil.rmtree(path, ignore_errors=True)
    for kind in ("clips", "films"):
        for leftover in (cache / kind).glob("*/.[0-9]*.*"):
            if _process_gone(leftover.name.split(".")[1]):
                leftover.unlink(missing_ok=True)
