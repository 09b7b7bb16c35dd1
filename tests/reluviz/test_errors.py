"""Hostile input files: a pipe, a device or a system file is refused before it is read, and
every message names the user's file in one printable line of at most 300 characters."""

from __future__ import annotations

import os
import resource
import subprocess
import sys

import pytest

from reluviz.files.errors import InputFileError, excerpt
from reluviz.files.weights import PRESETS, load_weights

#: The longest line a message may print, prefix and all (issue 21).
LINE_CHARACTERS = 300
#: A command that reads a file without end is stopped here rather than fill the machine.
MEMORY_BYTES = 2 * 1024**3
SECONDS = 30


def run_reluviz(*args: str, cwd=None) -> subprocess.CompletedProcess:
    """The reluviz command line, as a user runs it; one that hangs fails the test (TimeoutExpired)
    and one that reads forever stops at MEMORY_BYTES."""
    return subprocess.run(
        [sys.executable, "-m", "reluviz", *args],
        capture_output=True,
        text=True,
        errors="backslashreplace",
        timeout=SECONDS,
        cwd=cwd,
        preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES)),
    )


def the_one_line(output: str, names: str) -> str:
    """The single line of ``output``, checked to name ``names`` and be short and printable."""
    (line,) = output.splitlines()
    assert len(line) <= LINE_CHARACTERS and line.isprintable(), line[:1000]
    assert names in line, line
    return line


def weights_naming_data(folder, data: str):
    """A weights file in ``folder``: the relu preset with ``dosage.data = data``."""
    path = folder / "mine.toml"
    text = (PRESETS / "relu.toml").read_text().replace('# data = "my_dosages.csv"', f'data = "{data}"')
    path.write_text(text)
    return path


def test_an_excerpt_escapes_what_is_unprintable():
    assert excerpt("a\x00b\nc\u202ed", 40) == "a\\x00b\\nc\\u202ed"
    assert excerpt("dosage", 40) == "dosage"


def test_a_long_excerpt_keeps_its_start_and_end():
    shown = excerpt("dosis," + "\x00" * 50_000 + ",effect", 40)
    assert len(shown) == 40 and shown.startswith("dosis,\\x00") and shown.endswith("\\x00,effect"), shown
    assert "..." in shown


def test_every_line_of_an_input_file_error_is_short_and_printable():
    path = "/tmp/" + "folder/" * 200 + "mine.toml"
    error = InputFileError(path, ["hidden.top.weight: expected a number, got " + "\x00\n" * 10_000, "missing key"])
    lines = str(error).splitlines()
    assert len(lines) == 2
    for line in lines:
        assert len(f"reluviz: {line}") <= LINE_CHARACTERS and line.isprintable(), line
        assert line.startswith("/tmp/folder/") and "/mine.toml: " in line, line


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda folder: "/dev/zero", "is a device, not a file"),
        (lambda folder: os.mkfifo(folder / "f.toml") or folder / "f.toml", "is a named pipe (FIFO), not a file"),
    ],
)
def test_a_weights_file_that_never_ends_is_refused_before_reading(tmp_path, make, expected):
    path = make(tmp_path)
    result = run_reluviz("check", "--weights", str(path))
    assert result.returncode == 2
    assert the_one_line(result.stderr, f"reluviz: {path}: ") == f"reluviz: {path}: {expected}"


def test_a_pipe_given_to_train_is_refused_before_reading(tmp_path):
    fifo = tmp_path / "points.csv"
    os.mkfifo(fifo)
    result = run_reluviz("train", str(fifo), str(tmp_path / "out.toml"))
    assert result.returncode == 2
    assert the_one_line(result.stderr, f"reluviz: {fifo}: ").endswith("is a named pipe (FIFO), not a file")
    assert not (tmp_path / "out.toml").exists()


def test_the_process_environment_as_data_is_not_printed(tmp_path):
    path = weights_naming_data(tmp_path, "/proc/self/environ")
    result = run_reluviz("check", "--weights", str(path), cwd=tmp_path)
    assert result.returncode == 2
    line = the_one_line(result.stderr, "/environ: ")
    assert line.endswith("is a system file (its size reads as 0, yet it has content), not a file on disk"), line
    assert "PATH=" not in line


def test_a_system_file_as_the_weights_file_is_refused():
    with pytest.raises(InputFileError) as caught:
        load_weights("/proc/self/environ")
    assert the_one_line(str(caught.value), "/proc/self/environ: ").endswith("not a file on disk")
