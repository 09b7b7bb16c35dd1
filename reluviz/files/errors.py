"""Errors about the user's input files, phrased for the person who edits them, and the one
way such a file is opened: only a file on disk, never a pipe or a device that reads forever."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import BinaryIO

#: The longest single file or folder name most file systems allow, in bytes.
NAME_MAX_BYTES = 255
#: The longest line a message may print: "reluviz: " (or another prefix of up to 20
#: characters), the file's path and the problem, so a message stays one line on a terminal.
MESSAGE_CHARACTERS = 300 - 20
#: A path is shown at most this long (its start and its end, where the file's name is).
PATH_CHARACTERS = 120
#: Text quoted from a file (a cell, a header, a value) is shown at most this long.
QUOTE_CHARACTERS = 60
#: Marks where an excerpt leaves text out.
CUT = "..."
#: What a file that is not a regular file is, by its type in ``st_mode``.
NOT_A_FILE = {
    stat.S_IFDIR: "a folder",
    stat.S_IFIFO: "a named pipe (FIFO)",
    stat.S_IFCHR: "a device",
    stat.S_IFBLK: "a device",
    stat.S_IFSOCK: "a socket",
}


def _printable(text: str) -> str:
    """``text`` with each unprintable character (a NUL, a line break, a control) written as an escape."""
    return "".join(character if character.isprintable() else repr(character)[1:-1] for character in text)


def excerpt(text: str, limit: int) -> str:
    """``text`` from the user (a path, a key, a value) as at most ``limit`` printable characters:
    unprintable ones escaped (``\\x00``, ``\\n``), and a longer text cut in the middle, keeping its
    start and its end around "...", so a message quoting it stays one short line."""
    if len(text) <= limit:
        shown = _printable(text)
        if len(shown) <= limit:
            return shown
    kept = limit - len(CUT)
    head = _printable(text[:kept])[: (kept + 1) // 2]
    tail = _printable(text[-kept:])
    return head + CUT + tail[len(tail) - kept // 2 :]


def quoted(text: str) -> str:
    """Text from the user's file as a short, printable quotation for a message: 'dose'."""
    return f"'{excerpt(text, QUOTE_CHARACTERS)}'"


class InputFileError(Exception):
    """One or more problems in a file the user edits (weights, lesson, data).

    Each problem is one line naming the file, the key (or row) and what was expected,
    so ``str(error)`` can be printed as it is.
    """

    def __init__(self, path: Path | str, problems: list[str]) -> None:
        self.path = Path(path)
        self.problems = list(problems)
        shown_path = excerpt(str(self.path), PATH_CHARACTERS)
        room = MESSAGE_CHARACTERS - len(shown_path) - len(": ")
        # Each problem quotes the user's text only in short excerpts; this bound holds whatever a
        # problem quotes (a key name, a parser's message), so a line is never longer.
        super().__init__("\n".join(f"{shown_path}: {excerpt(problem, room)}" for problem in self.problems))


def os_error_problem(error: OSError, path: Path | str, action: str = "read") -> str:
    """What went wrong trying to ``action`` (read, write) ``path``, as one line for the person who named it."""
    if isinstance(error, FileNotFoundError):
        return "no such file"
    if isinstance(error, IsADirectoryError):
        return not_a_file_problem(stat.S_IFDIR)
    if isinstance(error, PermissionError):
        return f"permission denied: this user may not {action} it"
    if error.errno == errno.ENAMETOOLONG:
        longest = max((len(os.fsencode(part)) for part in Path(path).parts), default=0)
        return (
            f"file name too long ({longest} bytes; a file or folder name may have at most {NAME_MAX_BYTES}); "
            "use a shorter name"
        )
    return f"cannot {action}: {error.strerror or error}"


def not_a_file_problem(mode: int) -> str:
    """Why a path whose ``st_mode`` is ``mode`` (a folder, a pipe, a device) cannot be read as a file."""
    return f"is {NOT_A_FILE.get(stat.S_IFMT(mode), 'a special file')}, not a file"


def _opened_problem(descriptor: int) -> str | None:
    """Why an open file is not one on disk to read, or None."""
    status = os.fstat(descriptor)
    if not stat.S_ISREG(status.st_mode):
        return not_a_file_problem(status.st_mode)
    if status.st_size == 0 and os.pread(descriptor, 1, 0):
        return "is a system file (its size reads as 0, yet it has content), not a file on disk"
    return None


def open_input(path: Path | str) -> BinaryIO:
    """``path`` opened for reading, if it is a file on disk; anything else is an InputFileError.

    A named pipe would block the opening, and a device (/dev/zero) or a system file
    (/proc/self/environ) reads on whatever its size says, so only a regular file is opened,
    and one whose size is 0 must be empty: the system files under /proc say 0 and are not.
    """
    try:
        # Looked at before opening: opening a pipe waits for a writer, a device may act on being opened.
        mode = os.stat(path).st_mode
        if not stat.S_ISREG(mode):
            raise InputFileError(path, [not_a_file_problem(mode)])
        # Opened without waiting, and looked at again once open, in case the path changed in between.
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as error:
        raise InputFileError(path, [os_error_problem(error, path)]) from None
    handle = os.fdopen(descriptor, "rb")
    try:
        problem = _opened_problem(descriptor)
    except OSError as error:
        problem = os_error_problem(error, path)
    if problem:
        handle.close()
        raise InputFileError(path, [problem])
    return handle
