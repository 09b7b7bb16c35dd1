"""The command line: a mistake is one line and exit status 2 before anything is made."""

from __future__ import annotations

import subprocess
import sys

import pytest


def run_reluviz(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "reluviz", *arguments], capture_output=True, text=True)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--voice-timeout", "soon"], "VOICE_TIMEOUT=soon: expected a number of seconds"),
        (
            ["--voice-timeout", "0"],
            "VOICE_TIMEOUT=0: expected seconds per sentence, more than 0 and at most 86400",
        ),
        (
            ["--voice-timeout", "nan"],
            "VOICE_TIMEOUT=nan: expected seconds per sentence, more than 0 and at most 86400",
        ),
        (
            ["--voice-timeout", "1e300"],
            "VOICE_TIMEOUT=1e+300: expected seconds per sentence, more than 0 and at most 86400",
        ),
    ],
)
def test_a_wrong_render_setting_is_one_line_before_anything_is_made(tmp_path, options, message):
    out = tmp_path / "out"
    result = run_reluviz("render", "--quality=low", "--stages=bias", "--voice=none", f"--out={out}", *options)
    assert (result.returncode, result.stdout, result.stderr) == (2, "", f"reluviz: {message}\n")
    assert not out.exists()
