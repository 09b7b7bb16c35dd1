"""Dosage data sets: a CSV with a ``dosage`` and an ``effectiveness`` column.

The file is streamed: rows are checked one by one and gathered into float arrays a chunk
at a time, so a file of millions of rows costs little more memory than its numbers.
``read_csv`` and ``read_columns`` are that machinery, for any named columns of numbers:
``reluviz.files.plane_data`` reads two-input data with them.
"""

from __future__ import annotations

import csv
import io
import math
import operator
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

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

Read = TypeVar("Read")


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


def read_header(path: Path, reader, expected: str) -> tuple[list[str], list[str]]:
    """The first line that is not blank, as written and as compared (stripped, lower case);
    an empty file is an InputFileError saying ``expected`` (the header line wanted)."""
    header_row = next((row for row in reader if any(cell.strip() for cell in row)), None)
    if header_row is None:
        raise InputFileError(path, [f"empty: expected a header line {expected} and data rows"])
    return header_row, [cell.strip().lower() for cell in header_row]


def missing_columns_problem(missing: list[str], header_row: list[str]) -> str:
    columns = " and ".join(repr(c) for c in missing)
    plural = "s" if len(missing) > 1 else ""
    return f"missing column{plural} {columns} (header is {quoted(','.join(header_row))})"


def read_columns(
    reader, columns: dict[str, int], progress: Callable[[int], None] | None
) -> tuple[list[np.ndarray], list[str]]:
    """The rows after the header: one float array per column named (``columns``: two or more,
    name -> its index in a row), and a line per problem, naming the line and the column."""
    width = len(columns)  # two or more: itemgetter then gives a tuple
    cells = operator.itemgetter(*columns.values())
    chunks: list[np.ndarray] = []
    values: list[float] = []
    problems: list[str] = []
    problem_count = 0
    last_report = time.monotonic()
    isfinite = math.isfinite
    for row in reader:
        # The common case first and cheaply: finite numbers where the header says.
        try:
            numbers = list(map(float, cells(row)))
            fine = all(map(isfinite, numbers))
        except (ValueError, IndexError):
            fine = False
        if fine:
            values += numbers
            if len(values) == CHUNK_ROWS * width:
                chunks.append(np.array(values).reshape(-1, width))
                values = []
                if progress is not None and time.monotonic() - last_report >= PROGRESS_SECONDS:
                    progress(CHUNK_ROWS * len(chunks))
                    last_report = time.monotonic()
            continue
        if not any(cell.strip() for cell in row):
            continue  # a blank line
        for column, index in columns.items():
            problem = _cell_problem(column, row[index].strip() if index < len(row) else "")
            if problem:
                problem_count += 1
                if problem_count <= MAX_PROBLEMS:
                    problems.append(f"line {reader.line_num}: {problem}")
    if problem_count > MAX_PROBLEMS:
        unlisted = problem_count - MAX_PROBLEMS
        problems.append(f"... and {unlisted} more problems like these (the first {MAX_PROBLEMS} are listed)")
    chunks.append(np.array(values, dtype=float).reshape(-1, width))
    table = np.concatenate(chunks)
    return [table[:, column] for column in range(width)], problems


def read_csv(path: Path | str, read: Callable[[Path, object], Read]) -> Read:
    """``read(path, reader)`` on a csv reader of the file at ``path``, which must be a file on
    disk in UTF-8; whatever stops the reading is an InputFileError in one line."""
    path = Path(path)
    # Any size of file on disk is read (it streams), but never a pipe, a device or a system file.
    handle = io.TextIOWrapper(open_input(path), newline="", encoding="utf-8")
    try:
        with handle:
            reader = csv.reader(handle)
            try:
                return read(path, reader)
            except csv.Error as error:  # a NUL byte, a field past the csv module's size limit
                raise InputFileError(path, [f"line {reader.line_num}: not readable as CSV ({error})"]) from None
    except UnicodeDecodeError as error:
        raise InputFileError(path, [f"cannot read as a UTF-8 CSV file ({error.reason})"]) from None
    except OSError as error:
        raise InputFileError(path, [os_error_problem(error, path)]) from None


def dosage_columns(path: Path, header_row: list[str], header: list[str]) -> dict[str, int]:
    """Where a dosage file's two columns are, in any order among others."""
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise InputFileError(path, [missing_columns_problem(missing, header_row)])
    return {column: header.index(column) for column in COLUMNS}


def checked_dataset(path: Path, columns: list[np.ndarray], problems: list[str]) -> Dataset:
    """The dosage data read, or every problem found in it as one InputFileError."""
    dosage, effectiveness = columns
    if not problems and len(dosage) < MIN_ROWS:
        problems.append(f"too few rows: {len(dosage)} data rows, at least {MIN_ROWS} needed")
    if not problems and dosage.min() == dosage.max():
        problems.append("every row has the same dosage: nothing to fit a curve to")
    if problems:
        raise InputFileError(path, problems)
    return Dataset(path, dosage, effectiveness)


def load_dataset(path: Path | str, progress: Callable[[int], None] | None = None) -> Dataset:
    """The data in ``path``, or an InputFileError naming the line and column of each problem.

    ``progress(rows_read)`` is called every few seconds while a large file is read."""

    def read(path: Path, reader) -> tuple[list[np.ndarray], list[str]]:
        header_row, header = read_header(path, reader, f"'{','.join(COLUMNS)}'")
        return read_columns(reader, dosage_columns(path, header_row, header), progress)

    return checked_dataset(Path(path), *read_csv(path, read))
