"""latex's format (the LaTeX kernel as pdfTeX dumped it), kept uncompressed beside the TeX
folder a worker's clips share (not in it: manim deletes whatever there is not an SVG or a
TeX file), for their latex to load.

TeX Live gzips its formats, and pdfTeX inflates latex.fmt (18 MB) every time it starts:
most of a formula's typesetting (0.14 s of CPU against 0.09 s loading it uncompressed, for
the same DVI, byte for byte; a cold render typesets about 70). pdfTeX reads a format through
zlib, which takes a file that is not gzipped as it is, so the format itself is unchanged:
only where latex finds it (``TEXFORMATS``, searched before TeX's own places).

A worker goes one step further (``preloaded_formats``): its latex.fmt is the kernel with the
story's template already read (its class and packages: babel, amsmath, Helvetica...), which
every formula's file reads again otherwise: 0.09 -> 0.045 s of CPU a formula, the same DVI,
byte for byte. The file still begins with the class and packages; in this format the class is
taken as read (any other class stops latex with a message) and a package read again is skipped.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

#: How every gzip file starts.
GZIP_MAGIC = b"\x1f\x8b"
#: What the folder of uncompressed formats (one folder in it per source) adds to the TeX
#: folder's name, beside it.
FORMAT_FOLDER_SUFFIX = "-format"


@functools.cache
def _system_format() -> tuple[Path, str] | None:
    """(TeX's own latex.fmt, a digest of its path, size and time) if it is gzipped; None where
    there is nothing to gain or no TeX to ask. Asked once per process: TeX is not updated
    under a running worker."""
    kpsewhich = shutil.which("kpsewhich")
    if kpsewhich is None:
        return None
    environment = {key: value for key, value in os.environ.items() if key != "TEXFORMATS"}
    found = subprocess.run([kpsewhich, "-engine=pdftex", "latex.fmt"], capture_output=True, text=True, env=environment)
    source = Path(found.stdout.strip())
    if found.returncode != 0 or not source.is_file():
        return None
    with open(source, "rb") as handle:
        if handle.read(2) != GZIP_MAGIC:
            return None
    digest = hashlib.sha256(f"{source}\0{source.stat().st_size}\0{source.stat().st_mtime_ns}".encode())
    return source, digest.hexdigest()[:16]


def uncompressed_formats(tex: Path) -> Path | None:
    """The folder beside the TeX folder ``tex`` holding latex.fmt uncompressed, made from TeX's own
    if missing (written whole, then renamed: workers may make it at once); None if TeX's own is
    not gzipped or cannot be found, or the copy cannot be written (latex then loads its own)."""
    system = _system_format()
    if system is None:
        return None
    source, digest = system
    folder = tex.with_name(tex.name + FORMAT_FOLDER_SUFFIX) / digest
    target = folder / "latex.fmt"
    if target.is_file():
        return folder
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=".latex.", suffix=".fmt", dir=folder)
    except OSError:
        return None
    try:
        with os.fdopen(fd, "wb") as written, gzip.open(source, "rb") as compressed:
            shutil.copyfileobj(compressed, written, 1 << 20)
        os.replace(name, target)
    except OSError:  # a full disk: the clip says so where it writes its own files
        return None
    finally:
        Path(name).unlink(missing_ok=True)
    return folder


#: A template's class line: its options and its class.
CLASS_LINE = re.compile(r"\\documentclass(\[[^\]]*\])?\{([^}]*)\}\s*")
#: After the template's class and preamble, before the format is dumped: \documentclass, asked
#: again by each formula's file, does nothing for the class the format holds, and stops latex for
#: any other (whose formulas this format would set in the story's packages).
CLASS_KEPT = r"""\makeatletter
\def\reluviz@class{%s}
\renewcommand\documentclass[2][]{\def\reluviz@asked{[#1]{#2}}%%
  \ifx\reluviz@asked\reluviz@class\else
    \errmessage{reluviz: this latex format holds the class \reluviz@class, not [#1]{#2}}\fi}
\makeatother
\dump
"""


def preloaded_formats(tex: Path, documentclass: str, preamble: str) -> Path | None:
    """The folder beside the TeX folder ``tex`` holding a latex.fmt (uncompressed) that has read
    ``documentclass`` and ``preamble`` (a TexTemplate's) after the kernel, made if missing (each
    maker writes its own, then renames it into place); the kernel's own folder
    (``uncompressed_formats``) if the template's class line is not one this reads or TeX cannot
    make the format."""
    kernel = uncompressed_formats(tex)
    system = _system_format()
    line = CLASS_LINE.fullmatch(documentclass)
    if kernel is None or system is None or line is None:
        return kernel
    source = f"{documentclass}\n{preamble}\n" + CLASS_KEPT % f"{line.group(1) or '[]'}{{{line.group(2)}}}"
    digest = hashlib.sha256(f"{system[1]}\0{source}".encode()).hexdigest()[:16]
    folder = kernel.parent / digest
    if (folder / "latex.fmt").is_file():
        return folder
    try:
        with tempfile.TemporaryDirectory(prefix=".making-", dir=kernel.parent) as making:
            (Path(making) / "story.ini").write_text(source, encoding="utf-8")
            made = subprocess.run(
                ["latex", "-ini", "-interaction=batchmode", "-halt-on-error", "-jobname=latex", "&latex", "story.ini"],
                cwd=making,
                capture_output=True,
                env={**os.environ, "TEXFORMATS": f"{kernel}:"},
            )
            dumped = Path(making) / "latex.fmt"
            if made.returncode != 0 or not dumped.is_file():
                return kernel
            with open(dumped, "rb") as handle:
                gzipped = handle.read(2) == GZIP_MAGIC
            written = Path(making) / "latex.fmt.plain"
            with gzip.open(dumped, "rb") if gzipped else open(dumped, "rb") as read, open(written, "wb") as out:
                shutil.copyfileobj(read, out, 1 << 20)
            folder.mkdir(exist_ok=True)
            os.replace(written, folder / "latex.fmt")
    except (OSError, subprocess.SubprocessError):  # a full disk, no latex: the kernel's format
        return kernel
    return folder


@contextmanager
def formats_from(folder: Path | None) -> Iterator[None]:
    """Within: latex (and any TeX started) looks for its format in ``folder`` first, then where
    it looked before; None changes nothing."""
    if folder is None:
        yield
        return
    before = os.environ.get("TEXFORMATS")
    # an empty element (the trailing colon when it was unset) stands for TeX's own places
    os.environ["TEXFORMATS"] = f"{folder}:{before if before is not None else ''}"
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("TEXFORMATS", None)
        else:
            os.environ["TEXFORMATS"] = before
