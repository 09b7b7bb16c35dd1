"""Dosage data sets: a CSV with a ``dosage`` and an ``effectiveness`` column."""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .errors import InputFileError

COLUMNS = ("dosage", "effectiveness")
#: The lesson's data set, used when a weights file names none.
DEFAULT_DATA = Path(__file__).resolve().parent.parent / "assets" / "data" / "dosage.csv"
#: Fewer points than this cannot show a rise and a fall for the network to fit.
MIN_ROWS = 3


@dataclass(frozen=True)
class Dataset:
    path: Path
    dosage: np.ndarray
    effectiveness: np.ndarray


def load_dataset(path: Path | str) -> Dataset:
    path = Path(path)
    try:
        with open(path, newline="", encoding="utf-8") as handle:
            rows = list(csv.reader(handle))
    except FileNotFoundError:
        raise InputFileError(path, ["no such file"]) from None
    except (UnicodeDecodeError, IsADirectoryError) as error:
        raise InputFileError(path, [f"cannot read as a UTF-8 CSV file ({error})"]) from None
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows:
        raise InputFileError(path, [f"empty: expected a header line '{','.join(COLUMNS)}' and data rows"])
    header = [cell.strip().lower() for cell in rows[0]]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise InputFileError(path, [f"missing column {c!r} (header is {','.join(rows[0])})" for c in missing])
    index = {c: header.index(c) for c in COLUMNS}
    problems, values = [], {c: [] for c in COLUMNS}
    for line, row in enumerate(rows[1:], start=2):
        for column, i in index.items():
            cell = row[i].strip() if i < len(row) else ""
            try:
                value = float(cell)
            except ValueError:
                problems.append(f"line {line}: {column}: expected a number, got {cell!r}")
                continue
            if not math.isfinite(value):
                problems.append(f"line {line}: {column}: expected a finite number, got {cell!r}")
            values[column].append(value)
    if not problems and len(rows) - 1 < MIN_ROWS:
        problems.append(f"too few rows: {len(rows) - 1} data rows, at least {MIN_ROWS} needed")
    if not problems and len(set(values["dosage"])) < 2:
        problems.append("every row has the same dosage: nothing to fit a curve to")
    if problems:
        raise InputFileError(path, problems)
    return Dataset(path, np.array(values["dosage"]), np.array(values["effectiveness"]))
