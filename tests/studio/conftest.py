"""One real render of the whole story at low quality, shared by the studio tests."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest


def render(out: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "reluviz", "render", "--quality", "low", "--out", str(out), *args],
        capture_output=True,
        text=True,
    )


@pytest.fixture(scope="session")
def run_render():
    return render


@pytest.fixture(scope="session")
def low_render(tmp_path_factory):
    """(out folder, the clips' folder, the command's result) after a full low-quality render."""
    out = tmp_path_factory.mktemp("out")
    result = render(out)
    assert result.returncode == 0, result.stderr
    return out, out / "relu" / "low", result


def ffprobe(path: Path, *show: str) -> dict:
    """ffprobe's own JSON about ``path`` (e.g. show="-show_chapters"): an independent look."""
    out = subprocess.run(
        ["ffprobe", "-v", "error", *show, "-of", "json", str(path)], capture_output=True, text=True, check=True
    ).stdout
    return json.loads(out)


@pytest.fixture(scope="session")
def probe_json():
    return ffprobe
