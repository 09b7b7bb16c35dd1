"""The command line and the Makefile in front of it: every value reaches the command as the
user wrote it, and a mistake is one line and exit status 2 before anything is made."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reluviz.studio.cli.main import build_parser

ROOT = Path(__file__).resolve().parents[2]
#: Stands in for the reluviz command under make: prints the arguments it was given, as JSON.
ARGUMENTS_PRINTER = f"{sys.executable} -c 'import json, sys; print(json.dumps(sys.argv[1:]))'"
#: Values that start with a dash (read as an option unless passed as --out=VALUE), hold both
#: kinds of quotes, spaces, commas and a '#'; QUALITY, THEME and DECK are choices the parser checks.
AWKWARD = {
    "WEIGHTS": "-mine.toml",
    "QUALITY": "low",
    "THEME": "light",
    "SCENES": "-bias relu",
    "FORMAT": "-webm,gif",
    "TRANSPARENT": "-1",
    "JOBS": "-2",
    "RENDER_OUT": "-dashout",
    "VOICE": "-command",
    "VOICE_COMMAND": "say 'it' \"now\" # -o {wav}",
    "VOICE_TIMEOUT": "-5",
    "SCHEDULER": "-tcp://host:8786",
    "CACHE": "--cache",
    "WORDS": "-my words's.toml",
}
#: Each Make variable of a render and the option it becomes.
RENDER_OPTIONS = {
    "WEIGHTS": "weights",
    "QUALITY": "quality",
    "THEME": "theme",
    "SCENES": "stages",
    "FORMAT": "format",
    "TRANSPARENT": "transparent",
    "JOBS": "jobs",
    "RENDER_OUT": "out",
    "VOICE": "voice",
    "VOICE_COMMAND": "voice_command",
    "VOICE_TIMEOUT": "voice_timeout",
    "SCHEDULER": "scheduler",
    "CACHE": "cache",
    "WORDS": "words",
}

needs_make = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")


def arguments_from_make(target: str, variables: dict[str, str]) -> list[str]:
    """The arguments ``make <target>`` gives the reluviz command, as the command receives them."""
    result = subprocess.run(
        ["make", "-s", "-o", "setup", target, f"RELUVIZ={ARGUMENTS_PRINTER}"]
        + [f"{name}={value}" for name, value in variables.items()],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@needs_make
@pytest.mark.parametrize(
    ("target", "extra"),
    [
        ("render", {}),
        ("preview", {}),
        ("present", {}),
        ("script", {}),
        ("deck", {"DECK": "clips"}),
        ("batch", {"BATCH": "-course/", "SWEEP": "-output.bias=-20,-16"}),
    ],
)
def test_make_passes_every_render_variable_as_written(target, extra):
    parsed = vars(build_parser().parse_args(arguments_from_make(target, {**AWKWARD, **extra})))
    assert {option: parsed[option] for option in RENDER_OPTIONS.values()} == {
        option: AWKWARD[name] for name, option in RENDER_OPTIONS.items()
    }
    assert {name.lower(): parsed[name.lower()] for name in extra} == {
        name.lower(): value for name, value in extra.items()
    }


@needs_make
def test_make_passes_the_files_of_weights_and_train_as_written():
    parsed = build_parser().parse_args(arguments_from_make("weights", {"NEW": "-new 'mine'.toml"}))
    assert parsed.new == "-new 'mine'.toml"
    variables = {"DATA": "-my data.csv", "OUT": "-fit.toml", "NODES": "3", "ACTIVATION": "tanh"}
    parsed = build_parser().parse_args(arguments_from_make("train", variables))
    assert (parsed.data, parsed.out, parsed.nodes, parsed.activation) == ("-my data.csv", "-fit.toml", 3, "tanh")


def run_reluviz(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "reluviz", *arguments], capture_output=True, text=True)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            ["--format", "mp4"],
            "FORMAT=mp4: expected any of webm, gif (extra files; the MP4s are always made)",
        ),
        (
            ["--format", "webm avi"],
            "FORMAT=avi: expected any of webm, gif (extra files; the MP4s are always made)",
        ),
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
