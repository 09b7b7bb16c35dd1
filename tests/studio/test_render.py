"""A real low-quality render through the command line: ffprobe checks what came out."""

from __future__ import annotations

import math
import subprocess
import sys

import pytest

from studio import media


def render(out, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "studio", "render", "--quality", "low", "--out", str(out), *args],
        capture_output=True,
        text=True,
    )


@pytest.fixture(scope="module")
def definition_render(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    result = render(out, "--stages", "definition")
    assert result.returncode == 0, result.stderr
    return out, result


def test_definition_clip_is_h264_at_the_chosen_size_and_length(definition_render, construct):
    out, result = definition_render
    clip = out / "relu" / "low" / "01_definition.mp4"
    info = media.probe(clip)
    assert (info.codec, info.pixel_format) == ("h264", "yuv420p")
    assert (info.width, info.height, round(info.fps)) == (854, 480, 15)
    # manim renders each animation as a whole number of frames (its run time rounded up)
    times = [0.0] + [step.time for step in construct("definition").steps]
    frames = sum(math.ceil(round((b - a) * 15, 6)) for a, b in zip(times, times[1:]))
    assert abs(info.duration - frames / 15) <= 1 / 15
    assert info.faststart
    srt = (out / "relu" / "low" / "01_definition.srt").read_text()
    assert "max(0, -1.5) = 0" in srt
    assert "01 definition" in result.stdout and "done" in result.stdout  # progress was shown


def test_second_render_reuses_the_clip(definition_render):
    out, _ = definition_render
    clip = out / "relu" / "low" / "01_definition.mp4"
    before = clip.stat().st_mtime_ns
    result = render(out, "--stages", "definition")
    assert result.returncode == 0
    assert "unchanged" in result.stdout
    assert clip.stat().st_mtime_ns == before


def test_bad_input_stops_before_rendering(tmp_path):
    result = render(tmp_path, "--stages", "no_such_stage")
    assert result.returncode == 2 and "unknown stage 'no_such_stage'" in result.stderr
    result = render(tmp_path, "--weights", "missing_preset")
    assert result.returncode == 2 and "no such weights preset" in result.stderr
    assert list(tmp_path.iterdir()) == []
