from __future__ import annotations

import dataclasses

import pytest

from reluviz.files.errors import InputFileError
from reluviz.files.lesson import load_lesson


def test_probe_reach_is_the_farthest_probe_from_zero_on_either_side():
    lesson = load_lesson()
    assert dataclasses.replace(lesson, probe_inputs=(-3.0, 0.5)).probe_reach == 3.0
    assert dataclasses.replace(lesson, probe_inputs=(-0.25, 0.0, 2.5)).probe_reach == 2.5


def test_a_lesson_file_that_cannot_be_read_is_one_line(tmp_path):
    for path, expected in [
        (tmp_path / ("l" * 260 + ".toml"), "file name too long (265 bytes"),
        (tmp_path, "is a folder, not a file"),
    ]:
        with pytest.raises(InputFileError) as caught:
            load_lesson(path)
        (line,) = str(caught.value).splitlines()
        # A path too long for one line is shown by its start and its end, where the file's name is.
        assert line.startswith(str(tmp_path)[:40]) and f"{path.name[-20:]}: {expected}" in line, line
        assert len(f"reluviz: {line}") <= 300, line
