"""Dosage CSV files: the lesson's data loads; each kind of broken file is a clear error."""

from __future__ import annotations

import pytest

from reluviz.data import DEFAULT_DATA, MIN_ROWS, load_dataset
from reluviz.errors import InputFileError


def test_lesson_data():
    data = load_dataset(DEFAULT_DATA)
    assert data.dosage.tolist() == [0.0, 0.5, 1.0]
    assert data.effectiveness.tolist() == [0.0, 1.0, 0.0]


def test_column_order_case_and_extra_columns_do_not_matter(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("Effectiveness,note,Dosage\n0,low,0\n1,mid,0.5\n0,high,1\n")
    assert load_dataset(path).dosage.tolist() == [0.0, 0.5, 1.0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("dose,effectiveness\n0,0\n0.5,1\n1,0\n", "missing column 'dosage'"),
        ("dosage,effectiveness\n0,0\n0.5,high\n1,0\n", "line 3: effectiveness: expected a number, got 'high'"),
        ("dosage,effectiveness\n0,0\nnan,1\n1,0\n", "line 3: dosage: expected a finite number, got 'nan'"),
        ("dosage,effectiveness\n0,0\n1,1\n", f"too few rows: 2 data rows, at least {MIN_ROWS} needed"),
        ("", "empty"),
        ("dosage,effectiveness\n0.5,0\n0.5,1\n0.5,0\n", "every row has the same dosage"),
        ("dosage,effectiveness\n0,0\n0.5\n1,0\n", "line 3: effectiveness: expected a number, got ''"),
    ],
)
def test_broken_files_name_the_line_and_column(tmp_path, text, expected):
    path = tmp_path / "bad.csv"
    path.write_text(text)
    with pytest.raises(InputFileError) as caught:
        load_dataset(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ") and expected in message, message


def test_missing_file(tmp_path):
    with pytest.raises(InputFileError, match="no such file"):
        load_dataset(tmp_path / "nowhere.csv")
