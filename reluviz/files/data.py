"""Dosage data sets: a CSV with a ``dosage`` and an ``effectiveness`` column.

The file is streamed: rows are checked one by one and gathered into float arrays a chunk
at a time, so a file of millions of rows costs little more memory than its numbers.
"""

from __future__ import annotations

import csv
import io
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import numpy as np

from reluviz.files.errors import InputFileError, open_input, os_error_problem, quoted
from reluviz.files.paths import ASSETS

COLUMNS = ("dosage", "effectiveness")
#: The lesson's data set, used when a weights file names none.
DEFAULT_DATA = ASSETS / "data" / "dosage.csv"
#: Fewer points than this cannot show a rise and a fall for the network to fit.
MIN_ROWS = 3
#: Rows gathered as Python floats before they join the numpy arrays.
CHUNK_ROWS = 65_536
#: Problems listed one per line; past this a file is plainly not a dosage CSV, and the
#: rest are counted rather than printed (a broken million-row file stays readable).
MAX_PROBLEMS = 20
#: Seconds between progress reports while a large file is read.
PROGRESS_SECONDS = 2.0


@dataclass(frozen=True)
class Dataset:
    path: Path
    dosage: np.ndarray
    effectiveness: np.ndarray


def _cell_problem(column: str, cell: str) -> str | None:
    try:
        value = float(cell)
    except ValueError:
        return f"{column}: expected a number, got {quoted(cell)}"
    if not math.isfinite(value):
        return f"{column}: expected a finite number, got {quoted(cell)}"
    return None


def _read_rows(path: Path, reader, progress: Callable[[int], None] | None) -> tuple[np.ndarray, np.ndarray, list[str]]:
    header_row = next((row for row in reader if any(cell.strip() for cell in row)), None)
    if header_row is None:
        raise InputFileError(path, [f"empty: expected a header line '{','.join(COLUMNS)}' and data rows"])
    header = [cell.strip().lower() for cell in header_row]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        columns = " and ".join(repr(c) for c in missing)
        plural = "s" if len(missing) > 1 else ""
        raise InputFileError(path, [f"missing column{plural} {columns} (header is {quoted(','.join(header_row))})"])
    dosage_at, effectiveness_at = header.index("dosage"), header.index("effectiveness")
    dosage_chunks: list[np.ndarray] = []
    effectiveness_chunks: list[np.ndarray] = []
    dosages: list[float] = []
    effectivenesses: list[float] = []
    problems: list[str] = []
    problem_count = 0
    last_report = time.monotonic()
    isfinite = math.isfinite
    for row in reader:
        # The common case first and cheaply: two finite numbers where the header says.
        try:
            dosage, effectiveness = float(row[dosage_at]), float(row[effectiveness_at])
            fine = isfinite(dosage) and isfinite(effectiveness)
        except (ValueError, IndexError):
            fine = False
        if fine:
            dosages.append(dosage)
            effectivenesses.append(effectiveness)
            if len(dosages) == CHUNK_ROWS:
                dosage_chunks.append(np.array(dosages))
                effectiveness_chunks.append(np.array(effectivenesses))
                dosages, effectivenesses = [], []
                if progress is not None and time.monotonic() - last_report >= PROGRESS_SECONDS:
                    progress(CHUNK_ROWS * len(dosage_chunks))
                    last_report = time.monotonic()
            continue
        if not any(cell.strip() for cell in row):
            continue  # a blank line
        for column, at in (("dosage", dosage_at), ("effectiveness", effectiveness_at)):
            problem = _cell_problem(column, row[at].strip() if at < len(row) else "")
            if problem:
                problem_count += 1
                if problem_count <= MAX_PROBLEMS:
                    problems.append(f"line {reader.line_num}: {problem}")
    if problem_count > MAX_PROBLEMS:
        unlisted = problem_count - MAX_PROBLEMS
        problems.append(f"... and {unlisted} more problems like these (the first {MAX_PROBLEMS} are listed)")
    dosage_chunks.append(np.array(dosages, dtype=float))
    effectiveness_chunks.append(np.array(effectivenesses, dtype=float))
    return np.concatenate(dosage_chunks), np.concatenate(effectiveness_chunks), problems


def _read_csv(
    path: Path, handle: TextIO, progress: Callable[[int], None] | None
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    reader = csv.reader(handle)
    try:
        return _read_rows(path, reader, progress)
    except csv.Error as error:  # a NUL byte, a field past the csv module's size limit
        raise InputFileError(path, [f"line {reader.line_num}: not readable as CSV ({error})"]) from None


def load_dataset(path: Path | str, progress: Callable[[int], None] | None = None) -> Dataset:
    """The data in ``path``, or an InputFileError naming the line and column of each problem.

    ``progress(rows_read)`` is called every few seconds while a large file is read."""
    path = Path(path)
    # Any size of file on disk is read (it streams), but never a pipe, a device or a system file.
    handle = io.TextIOWrapper(open_input(path), newline="", encoding="utf-8")
    try:
        with handle:
            dosage, effectiveness, problems = _read_csv(path, handle, progress)
    except UnicodeDecodeError as error:
        raise InputFileError(path, [f"cannot read as a UTF-8 CSV file ({error.reason})"]) from None
    except OSError as error:
        raise InputFileError(path, [os_error_problem(error, path)]) from None
    if not problems and len(dosage) < MIN_ROWS:
        problems.append(f"too few rows: {len(dosage)} data rows, at least {MIN_ROWS} needed")
    if not problems and dosage.min() == dosage.max():
        problems.append("every row has the same dosage: nothing to fit a curve to")
    if problems:
        raise InputFileError(path, problems)
    return Dataset(path, dosage, effectiveness)
