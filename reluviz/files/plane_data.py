"""Two-input data sets: a CSV with a column for each input and one named ``target``.

The header names the inputs: ``x1,x2,target``, or any two names and ``target`` in any
order (``width,height,target``); the inputs are the two other columns, left to right, and
their names become the inputs' names in a weights file trained on the data (so they follow
the weights file's rule: 1 to 20 printable characters, two different ones). Read with the
dosage files' machinery (``reluviz.files.data``): streamed, one line per problem naming the
line and the column.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from reluviz.files.data import (
    COLUMNS,
    Dataset,
    checked_dataset,
    dosage_columns,
    missing_columns_problem,
    read_columns,
    read_csv,
    read_header,
)
from reluviz.files.errors import InputFileError, quoted
from reluviz.files.paths import ASSETS
from reluviz.files.plane_weights import names_problem

TARGET = "target"
#: The two-input data set shipped: a cone over the unit square (tools/make_cone_data.py).
DEFAULT_PLANE_DATA = ASSETS / "data" / "cone.csv"
#: Three points always lie on one plane, which a network without creases draws: a fit needs more.
MIN_PLANE_ROWS = 4
#: What a header of either kind looks like, for a message about one that is neither.
HEADERS = f"'{','.join(COLUMNS)}' (one input) or two input names and '{TARGET}', e.g. 'x1,x2,{TARGET}' (two inputs)"


@dataclass(frozen=True)
class PlaneDataset:
    path: Path
    names: tuple[str, str]  # the inputs' names, as the header writes them
    x1: np.ndarray
    x2: np.ndarray
    target: np.ndarray

    @property
    def rectangle(self) -> tuple[tuple[float, float], tuple[float, float]]:
        """((x1 low, x1 high), (x2 low, x2 high)): the smallest rectangle holding every point."""
        return ((float(self.x1.min()), float(self.x1.max())), (float(self.x2.min()), float(self.x2.max())))


def plane_columns(path: Path, header_row: list[str], header: list[str]) -> tuple[tuple[str, str], dict[str, int]]:
    """The inputs' names and where the two inputs and the target are; a header of another
    shape is an InputFileError in one line."""
    written = ",".join(header_row)
    if TARGET not in header:
        problem = missing_columns_problem([TARGET], header_row)
        raise InputFileError(path, [f"{problem}: two-input data has a column per input and one named '{TARGET}'"])
    inputs = [index for index, name in enumerate(header) if name != TARGET]
    if len(inputs) != 2 or header.count(TARGET) != 1:
        others = ", ".join(quoted(header_row[index].strip()) for index in inputs) or "none"
        raise InputFileError(
            path,
            [
                f"expected one '{TARGET}' column and two input columns beside it, got {header.count(TARGET)} and "
                f"{len(inputs)} ({others}; header is {quoted(written)})"
            ],
        )
    names = tuple(header_row[index].strip() for index in inputs)
    problem = names_problem(list(names))
    if problem:
        raise InputFileError(path, [f"header: the inputs' names (they name the axes): {problem}"])
    return names, {names[0]: inputs[0], names[1]: inputs[1], TARGET: header.index(TARGET)}


def checked_plane_dataset(
    path: Path, names: tuple[str, str], columns: list[np.ndarray], problems: list[str]
) -> PlaneDataset:
    """The two-input data read, or every problem found in it as one InputFileError."""
    x1, x2, target = columns
    if not problems and len(target) < MIN_PLANE_ROWS:
        problems.append(f"too few rows: {len(target)} data rows, at least {MIN_PLANE_ROWS} needed")
    for name, values in zip(names, (x1, x2)):
        if not problems and values.min() == values.max():
            problems.append(f"every row has the same {name}: the inputs must span a rectangle")
    if problems:
        raise InputFileError(path, problems)
    return PlaneDataset(path, names, x1, x2, target)


def load_plane_dataset(path: Path | str, progress: Callable[[int], None] | None = None) -> PlaneDataset:
    """The two-input data in ``path``, or an InputFileError naming the line and column of each
    problem. ``progress(rows_read)`` is called every few seconds while a large file is read."""
    dataset = load_any_dataset(path, progress, inputs=2)
    assert isinstance(dataset, PlaneDataset)
    return dataset


def load_any_dataset(
    path: Path | str, progress: Callable[[int], None] | None = None, inputs: int | None = None
) -> Dataset | PlaneDataset:
    """The data in ``path``: two-input when its header has a ``target`` column, else dosage
    data. ``inputs`` (1 or 2) insists on one kind, whose messages a file of the other gets."""

    def read(path: Path, reader):
        header_row, header = read_header(path, reader, HEADERS if inputs is None else _header_wanted(inputs))
        two = TARGET in header if inputs is None else inputs == 2
        if inputs is None and not two and not set(COLUMNS) & set(header):
            raise InputFileError(path, [f"expected a header {HEADERS}, got {quoted(','.join(header_row))}"])
        if two:
            names, columns = plane_columns(path, header_row, header)
            return names, *read_columns(reader, columns, progress)
        return None, *read_columns(reader, dosage_columns(path, header_row, header), progress)

    names, columns, problems = read_csv(path, read)
    if names is None:
        return checked_dataset(Path(path), columns, problems)
    return checked_plane_dataset(Path(path), names, columns, problems)


def _header_wanted(inputs: int) -> str:
    return f"'{','.join(COLUMNS)}'" if inputs == 1 else f"'x1,x2,{TARGET}' (any two input names, then '{TARGET}')"
