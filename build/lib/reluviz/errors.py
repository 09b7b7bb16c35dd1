"""Errors about the user's input files, phrased for the person who edits them."""

from __future__ import annotations

import errno
import os
from pathlib import Path

#: The longest single file or folder name most file systems allow, in bytes.
NAME_MAX_BYTES = 255


class InputFileError(Exception):
    """One or more problems in a file the user edits (weights, lesson, data).

    Each problem is one line naming the file, the key (or row) and what was expected,
    so ``str(error)`` can be printed as it is.
    """

    def __init__(self, path: Path | str, problems: list[str]) -> None:
        self.path = Path(path)
        self.problems = list(problems)
        super().__init__("\n".join(f"{self.path}: {problem}" for problem in self.problems))


def os_error_problem(error: OSError, path: Path | str, action: str = "read") -> str:
    """What went wrong trying to ``action`` (read, write) ``path``, as one line for the person who named it."""
    if isinstance(error, FileNotFoundError):
        return "no such file"
    if isinstance(error, IsADirectoryError):
        return "is a folder, not a file"
    if isinstance(error, PermissionError):
        return f"permission denied: this user may not {action} it"
    if error.errno == errno.ENAMETOOLONG:
        longest = max((len(os.fsencode(part)) for part in Path(path).parts), default=0)
        return (
            f"file name too long ({longest} bytes; a file or folder name may have at most {NAME_MAX_BYTES}); "
            "use a shorter name"
        )
    return f"cannot {action}: {error.strerror or error}"
