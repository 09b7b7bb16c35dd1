"""make setup's check of the Debian packages (tools/ensure-debian-packages): what it finds
missing, with dpkg and the user's id stood in for by stubs (it installs as root)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import reluviz

CHECK = Path(reluviz.__file__).resolve().parent.parent / "tools" / "ensure-debian-packages"


def check(tmp_path: Path, installed: str, *packages: str) -> subprocess.CompletedProcess:
    """The check run as an ordinary user on a machine where dpkg lists ``installed``
    (``${db:Status-Abbrev}${Package} ``, as dpkg-query writes it)."""
    stubs = tmp_path / "stubs"
    stubs.mkdir(exist_ok=True)
    (stubs / "dpkg-query").write_text(f"#!/bin/sh\nprintf '%s' '{installed}'\n")
    (stubs / "id").write_text("#!/bin/sh\necho 1000\n")
    for stub in stubs.iterdir():
        stub.chmod(0o755)
    env = {**os.environ, "PATH": f"{stubs}:{os.environ['PATH']}"}
    return subprocess.run([str(CHECK), *packages], capture_output=True, text=True, env=env)


def test_only_the_packages_not_installed_are_named_with_the_command_to_install_them(tmp_path):
    # festival removed with its settings kept (rc): not installed
    asked = ("ffmpeg", "festival", "dvisvgm", "festvox-us-slt-hts")
    result = check(tmp_path, "ii ffmpeg rc festival ii dvisvgm ", *asked)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "reluviz: missing system packages: festival festvox-us-slt-hts",
        "run as root: apt-get update && apt-get install -y --no-install-recommends festival festvox-us-slt-hts",
    ]


def test_nothing_missing_says_nothing(tmp_path):
    result = check(tmp_path, "ii ffmpeg ii festival ", "ffmpeg", "festival")
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def planned_check(venv: Path) -> str:
    """The package check ``make setup`` would run with its venv at ``venv`` (make -n: not run)."""
    repo = CHECK.parent.parent
    result = subprocess.run(
        ["make", "-n", "--no-print-directory", "-C", str(repo), "system-packages", f"VENV={venv}"],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def test_what_building_the_venv_needs_is_checked_only_until_it_is_built(tmp_path):
    venv = tmp_path / "venv"
    assert "--python" in planned_check(venv)  # no venv yet: venv and Python's headers are needed
    venv.mkdir()
    (venv / ".installed").touch()
    assert "--python" not in planned_check(venv)
    os.utime(venv / ".installed", (0, 0))  # older than pyproject.toml: to be built again
    assert "--python" in planned_check(venv)
