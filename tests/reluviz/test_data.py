"""Dosage CSV files: the lesson's data loads; each kind of broken file is a clear error."""

from __future__ import annotations

import numpy as np
import pytest

from reluviz.files.data import CHUNK_ROWS, DEFAULT_DATA, MAX_PROBLEMS, MIN_ROWS, load_dataset
from reluviz.files.errors import InputFileError

SEED = 20261126


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


def test_line_numbers_count_blank_lines(tmp_path):
    path = tmp_path / "gaps.csv"
    path.write_text("dosage,effectiveness\n0,0\n\n0.5,high\n1,0\n")
    with pytest.raises(InputFileError, match="line 4: effectiveness: expected a number, got 'high'"):
        load_dataset(path)


def write_rows(path, rows: int, broken: dict[int, str] | None = None):
    """A valid CSV of ``rows`` rows (seeded numbers), with some data rows replaced: {row: text}."""
    values = np.random.default_rng(SEED).uniform(0, 1, (rows, 2))
    lines = [f"{d:.4f},{e:.4f}" for d, e in values]
    for row, text in (broken or {}).items():
        lines[row] = text
    path.write_text("dosage,effectiveness\n" + "\n".join(lines) + "\n")
    return values


def test_a_large_file_streams_in_chunks_with_its_numbers_and_progress(tmp_path, monkeypatch):
    path = tmp_path / "large.csv"
    rows = 2 * CHUNK_ROWS + 100
    values = write_rows(path, rows)
    monkeypatch.setattr("reluviz.files.data.PROGRESS_SECONDS", 0.0)  # report after every chunk
    reported = []
    data = load_dataset(path, progress=reported.append)
    assert reported == [CHUNK_ROWS, 2 * CHUNK_ROWS]
    assert len(data.dosage) == rows
    assert np.allclose(data.dosage, values[:, 0], atol=5e-5) and np.allclose(
        data.effectiveness, values[:, 1], atol=5e-5
    )


def test_a_problem_past_the_first_chunk_names_its_line(tmp_path):
    path = tmp_path / "large.csv"
    write_rows(path, CHUNK_ROWS + 500, broken={CHUNK_ROWS + 10: "0.5,lots"})
    with pytest.raises(InputFileError) as caught:
        load_dataset(path)
    # data row r (from 0) is on line r + 2, after the header
    assert str(caught.value) == f"{path}: line {CHUNK_ROWS + 12}: effectiveness: expected a number, got 'lots'"


def test_a_file_broken_everywhere_lists_the_first_problems_and_counts_the_rest(tmp_path):
    path = tmp_path / "words.csv"
    write_rows(path, 1000, broken={row: "many,words" for row in range(1000)})
    with pytest.raises(InputFileError) as caught:
        load_dataset(path)
    lines = str(caught.value).splitlines()
    assert len(lines) == MAX_PROBLEMS + 1
    assert lines[0] == f"{path}: line 2: dosage: expected a number, got 'many'"
    assert lines[-1] == f"{path}: ... and {2000 - MAX_PROBLEMS} more problems like these (the first 20 are listed)"


def test_a_line_the_csv_module_refuses_names_its_line(tmp_path):
    path = tmp_path / "huge_field.csv"
    path.write_text("dosage,effectiveness\n0,0\n0.5," + "1" * 200_000 + "\n1,0\n")
    with pytest.raises(InputFileError) as caught:
        load_dataset(path)
    (line,) = str(caught.value).splitlines()
    assert line.startswith(f"{path}: line 3: not readable as CSV (field larger than field limit"), line[-120:]


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda folder: folder, "is a folder, not a file"),
        (lambda folder: folder / ("d" * 300 + ".csv"), "file name too long (304 bytes"),
        (lambda folder: folder / "bytes.csv", "cannot read as a UTF-8 CSV file (invalid start byte)"),
    ],
)
def test_files_that_cannot_be_read_are_one_line(tmp_path, make, expected):
    (tmp_path / "bytes.csv").write_bytes(b"dosage,effectiveness\n0,\xff\n")
    path = make(tmp_path)
    with pytest.raises(InputFileError) as caught:
        load_dataset(path)
    (line,) = str(caught.value).splitlines()
    # A path too long for one line is shown by its start and its end, where the file's name is.
    assert line.startswith(str(tmp_path)[:40]) and f"{path.name[-20:]}: {expected}" in line, line
    assert len(f"reluviz: {line}") <= 300, line


def test_a_long_header_is_quoted_once_and_short(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text("dosis," + "x" * 50_000 + "\x00,effect\n0,0\n0.5,1\n1,0\n")
    with pytest.raises(InputFileError) as caught:
        load_dataset(path)
    (line,) = str(caught.value).splitlines()
    assert len(f"reluviz: {line}") <= 300 and line.isprintable(), line[:400]
    assert line.startswith(f"{path}: missing columns 'dosage' and 'effectiveness' (header is 'dosis,xxx"), line
    assert line.endswith("xxx\\x00,effect')"), line


def test_a_long_cell_is_quoted_short(tmp_path):
    path = tmp_path / "cell.csv"
    path.write_text("dosage,effectiveness\n0,0\n0.5," + "\x01" * 100_000 + "\n1,0\n")
    with pytest.raises(InputFileError) as caught:
        load_dataset(path)
    (line,) = str(caught.value).splitlines()
    assert len(f"reluviz: {line}") <= 300 and line.isprintable(), line[:400]
    assert line.startswith(f"{path}: line 3: effectiveness: expected a number, got '\\x01\\x01"), line


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/dev/null", "/dev/null: is a device, not a file"),
        ("/proc/self/environ", "/proc/self/environ: is a system file (its size reads as 0, yet it has content)"),
    ],
)
def test_a_device_or_a_system_file_is_not_data(path, expected):
    with pytest.raises(InputFileError) as caught:
        load_dataset(path)
    assert str(caught.value).startswith(expected), str(caught.value)[:400]
