"""Errors about the user's input files, phrased for the person who edits them."""

from __future__ import annotations

from pathlib import Path


class InputFileError(Exception):
    """One or more problems in a file the user edits (weights, lesson, data).

    Each problem is one line naming the file, the key (or row) and what was expected,
    so ``str(error)`` can be printed as it is.
    """

    def __init__(self, path: Path | str, problems: list[str]) -> None:
        self.path = Path(path)
        self.problems = list(problems)
        super().__init__("\n".join(f"{self.path}: {problem}" for problem in self.problems))
