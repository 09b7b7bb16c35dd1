"""Two-input data files (x1,x2,target): the shipped cone loads; each kind of broken file is one
line naming the file, the line and the problem; the command tells the two kinds apart."""

from __future__ import annotations

import numpy as np
import pytest

from reluviz.files.data import DEFAULT_DATA, Dataset
from reluviz.files.errors import InputFileError
from reluviz.files.plane_data import (
    DEFAULT_PLANE_DATA,
    MIN_PLANE_ROWS,
    PlaneDataset,
    load_any_dataset,
    load_plane_dataset,
)


def test_the_cone_data_set_is_four_hundred_points_over_the_unit_square():
    data = load_plane_dataset(DEFAULT_PLANE_DATA)
    assert data.names == ("x1", "x2") and len(data.target) == 400
    assert data.rectangle == ((0.0, 1.0), (0.0, 1.0))
    # its target is the cone it says it is, to the three decimals it is written with
    cone = np.maximum(0.0, 1.0 - 2.0 * np.hypot(data.x1 - 0.5, data.x2 - 0.5))
    assert np.max(np.abs(data.target - cone)) <= 0.0005 + 1e-12
    assert (data.x1[:4].tolist(), data.x2[:4].tolist()) == ([0, 1, 0, 1], [0, 0, 1, 1])  # the corners first


def test_any_two_names_in_any_order_name_the_inputs(tmp_path):
    path = tmp_path / "sizes.csv"
    path.write_text("Target, width ,height\n1,0,0\n2,1,0\n3,0,1\n4,1,1\n")
    data = load_plane_dataset(path)
    assert data.names == ("width", "height")
    assert data.x1.tolist() == [0, 1, 0, 1] and data.x2.tolist() == [0, 0, 1, 1]
    assert data.target.tolist() == [1, 2, 3, 4]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("x1,x2,y\n0,0,0\n1,0,0\n0,1,0\n1,1,1\n", "missing column 'target' (header is 'x1,x2,y')"),
        ("x1,target\n0,0\n1,0\n0,1\n1,1\n", "expected one 'target' column and two input columns beside it, got 1"),
        ("a,b,c,target\n0,0,0,0\n", "two input columns beside it, got 1 and 3 ('a', 'b', 'c'"),
        ("x1,x2,target\n0,0,0\n1,0,0\n0,oops,0\n1,1,1\n", "line 4: x2: expected a number, got 'oops'"),
        ("x1,x2,target\n0,0,0\n1,0,0\n0,1,inf\n1,1,1\n", "line 4: target: expected a finite number, got 'inf'"),
        ("x1,x2,target\n0,0,0\n1,0,0\n\n0,1\n1,1,1\n", "line 5: target: expected a number, got ''"),
        (
            "x1,x2,target\n0,0,0\n1,0,0\n0,1,0\n",
            f"too few rows: 3 data rows, at least {MIN_PLANE_ROWS} needed",
        ),
        ("x1,x2,target\n0,0,0\n0,1,0\n0,0.5,1\n0,0.2,0\n", "every row has the same x1: the inputs must span"),
        ("x,x,target\n0,0,0\n1,0,0\n0,1,0\n1,1,1\n", "header: the inputs' names (they name the axes): the two inputs"),
        ("", "empty: expected a header line 'x1,x2,target' (any two input names, then 'target') and data rows"),
    ],
)
def test_broken_files_name_the_line_and_the_problem(tmp_path, text, expected):
    path = tmp_path / "bad.csv"
    path.write_text(text)
    with pytest.raises(InputFileError) as caught:
        load_plane_dataset(path)
    (line,) = str(caught.value).splitlines()
    assert line.startswith(f"{path}: ") and expected in line, line


def test_a_data_file_of_either_kind_is_read_as_its_kind(tmp_path):
    assert isinstance(load_any_dataset(DEFAULT_DATA), Dataset)
    assert isinstance(load_any_dataset(DEFAULT_PLANE_DATA), PlaneDataset)
    neither = tmp_path / "neither.csv"
    neither.write_text("a,b,y\n0,0,0\n")
    with pytest.raises(InputFileError) as caught:
        load_any_dataset(neither)
    assert str(caught.value) == (
        f"{neither}: expected a header 'dosage,effectiveness' (one input) or two input names and 'target', "
        "e.g. 'x1,x2,target' (two inputs), got 'a,b,y'"
    )
    # a dosage file missing a column keeps the dosage file's message
    half = tmp_path / "half.csv"
    half.write_text("dosage,effect\n0,0\n")
    with pytest.raises(InputFileError, match=r"missing column 'effectiveness' \(header is 'dosage,effect'\)$"):
        load_any_dataset(half)
