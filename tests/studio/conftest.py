"""One real render of the whole story at low quality, shared by the studio tests."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import typesets_into


def render_command(out: Path, *args: str, quality: str = "low") -> list[str]:
    """The command line of a render into ``out`` (the quality first, so ``args`` may override it)."""
    return [sys.executable, "-m", "reluviz", "render", "--quality", quality, "--out", str(out), *args]


def render(out: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(render_command(out, *args), capture_output=True, text=True)


@pytest.fixture(scope="session")
def run_render(shared_tex):
    """render(out, *args); a new out/ typesets into the run's shared TeX folder."""
    return lambda out, *args: render(typesets_into(out, shared_tex), *args)


@pytest.fixture(scope="session")
def run_render_alone():
    """render(out, *args) with nothing made in out/ beforehand: for what a render leaves there."""
    return render


#: A process started in the background by a non-interactive shell (``make test &``, a CI
#: runner's job) inherits SIGINT ignored, and so does every program it starts. Python keeps
#: an inherited "ignore" (rightly: ``nohup make render &`` asks for it), so a render a test
#: started that way would never see the test's Ctrl-C and would finish with exit 0. This
#: gives the render Ctrl-C's default disposition and then becomes it (same pid).
_WITH_CTRL_C = (
    "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execv(sys.argv[1], sys.argv[1:])"
)


def interruptible(command: list[str]) -> list[str]:
    """``command`` (its program a full path), run so that a Ctrl-C the test sends reaches it."""
    return [sys.executable, "-c", _WITH_CTRL_C, *command]


@pytest.fixture(scope="session")
def render_command_line(shared_tex):
    """For a render a test starts itself (to press Ctrl-C in it): its command line (a new out/
    typesets into the run's shared TeX folder)."""

    def command_line(out: Path, *args: str, quality: str = "low") -> list[str]:
        return interruptible(render_command(typesets_into(out, shared_tex), *args, quality=quality))

    return command_line


@pytest.fixture
def started_in_the_background():
    """This test runs as under ``make test &``: SIGINT ignored here, and inherited by what it starts."""
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def claim_the_one_shared_render(tmp_path_factory) -> None:
    """Fail if another test process of this run has made the shared render already: every test
    using it must run in one process (tests/conftest.py groups them), else make test pays for the
    whole render twice, as it silently did when pytest 9.2 undid xdist's groups."""
    if "PYTEST_XDIST_WORKER" not in os.environ:
        return
    run_folder = tmp_path_factory.getbasetemp().parent  # shared by this run's test processes
    try:
        os.close(os.open(run_folder / "low_render.claimed", os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        pytest.fail("a second test process is making the full low render: its tests are not grouped (xdist_group)")


@pytest.fixture(scope="session")
def low_render(tmp_path_factory, shared_tex):
    """(out folder, the clips' folder, the command's result) after a full low-quality render."""
    claim_the_one_shared_render(tmp_path_factory)
    out = typesets_into(tmp_path_factory.mktemp("out"), shared_tex)
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


@contextmanager
def served(folder: Path, page: str) -> Iterator[str]:
    """``folder`` served by ``python -m http.server`` on a free port: yields the page's URL
    once the server answers (polled, not guessed), and stops the server after."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/{page}"
    try:
        deadline = time.monotonic() + 20
        while True:
            assert server.poll() is None, "http.server stopped"
            try:
                urllib.request.urlopen(url, timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, f"{url} did not answer in 20 s"
                time.sleep(0.05)
        yield url
    finally:
        server.terminate()
        server.wait()


@pytest.fixture(scope="session")
def serve():
    return served


#: Debian's Chromium, headless, as root, on a machine with no network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--autoplay-policy=no-user-gesture-required",
]


@pytest.fixture(scope="session")
def launch_chromium():
    """launch_chromium(playwright) -> a browser, or the test fails when Chromium is missing."""
    path = shutil.which("chromium")

    def launch(playwright):
        assert path is not None, "Debian's chromium is not installed (make test installs it)"
        return playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)

    return launch
