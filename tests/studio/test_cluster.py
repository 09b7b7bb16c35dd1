"""The LocalCluster's workers: processes that render as fast as a plain Python process; a
scheduler's address: refused at once when malformed or when nothing listens there."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import warnings
from pathlib import Path

import pytest

from reluviz.studio.pipeline.cluster import connect
from reluviz.studio.settings import RenderSettings, scheduler_endpoint


def picture_page_faults() -> int:
    """Page faults taken while a 1080p RGBA picture is made and dropped 50 times, as a
    render does every frame (the first one, before counting, may map its memory)."""
    import numpy as np

    def faults() -> int:
        return int(Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()[7])

    np.ones((1080, 1920, 4), np.uint8)
    before = faults()
    for _ in range(50):
        np.ones((1080, 1920, 4), np.uint8)
    return faults() - before


def test_local_workers_reuse_the_memory_of_their_pictures(tmp_path):
    settings = RenderSettings(out=tmp_path / "out", jobs=1, voice="none")
    with connect(settings, 1) as (client, _):
        (environment,) = client.run(lambda: os.environ.get("MALLOC_TRIM_THRESHOLD_")).values()
        (faults,) = client.run(picture_page_faults).values()
    assert environment is None, "glibc keeps its own thresholds in a worker, as in plain manim"
    # mapped fresh every time, 50 pictures fault 50 x 2,025 pages in; reused, a few hundred
    assert faults < 5_000, faults
    assert "MALLOC_TRIM_THRESHOLD_" not in os.environ, "the client's own later programs are not changed either"


def _busy(seconds: float) -> int:
    end, turns = time.perf_counter() + seconds, 0
    while time.perf_counter() < end:
        turns += 1
    return turns


def test_local_workers_do_not_sample_their_own_stacks(tmp_path):
    """Dask's statistical profiler (for a dashboard a render never opens) is off: a task that
    keeps a worker busy for half a second leaves no samples."""
    with connect(RenderSettings(out=tmp_path / "out", jobs=1, voice="none"), 1) as (client, _):
        assert client.submit(_busy, 0.5, pure=False).result() > 0
        (samples,) = client.run(lambda dask_worker: dask_worker.profile_recent["count"]).values()
        (keys,) = client.run(lambda dask_worker: len(dask_worker.profile_keys)).values()
    assert (samples, keys) == (0, 0)


def _cpu_seconds(pid: int) -> float:
    """The CPU a process has used, read from outside it (asking it would cost it some)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def test_an_idle_local_worker_wakes_far_less_than_with_dasks_defaults(tmp_path):
    """A worker waiting for its next clip, beside one started with Dask's defaults (which wake it
    every 20 ms to time its event loop and every 0.1 s to check its memory), over the same
    seconds: it uses less than half as much CPU (measured 0.09 against 0.45 CPU-s in 30 s), so a
    rendering worker's own event loop takes almost nothing from its clip. Side by side, since
    this machine's speed moves both."""
    from distributed import Client, LocalCluster

    stock_cluster = LocalCluster(
        n_workers=1,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
        scheduler_port=0,
    )
    with stock_cluster, Client(stock_cluster, set_as_default=False) as stock_client:
        with connect(RenderSettings(out=tmp_path / "out", jobs=1, voice="none"), 1) as (client, _):
            workers = [next(iter(c.run(os.getpid).values())) for c in (client, stock_client)]
            time.sleep(1)  # both started
            before = [_cpu_seconds(pid) for pid in workers]
            time.sleep(8)
            ours, stock = (_cpu_seconds(pid) - used for pid, used in zip(workers, before))
    assert stock >= 0.05, stock  # Dask's defaults do wake a worker
    assert ours < 0.5 * stock, (ours, stock)


def _held(seconds: float) -> float:
    time.sleep(seconds)
    return seconds


def test_clips_wait_on_the_scheduler_for_the_first_free_worker(tmp_path):
    """Clips keyed as a render keys them are one task group, which Dask queues on the scheduler
    and hands to the first free worker; only the first four (twice the workers) go straight to
    workers, one running and one waiting on each. Keyed each by its own name, as before, all ten
    were given to workers when submitted, five each, however long each would take."""
    from types import SimpleNamespace

    from reluviz.studio.pipeline.render import clip_task_key

    settings = RenderSettings(out=tmp_path / "out", jobs=2, voice="none")
    jobs = [SimpleNamespace(stem=f"{n:02d}_stage", key=f"{n:024x}") for n in range(10)]

    def placed(key) -> tuple[int, list[int]]:
        with connect(settings, 2) as (client, _):
            futures = [client.submit(_held, 2.0, key=key(job), pure=False) for job in jobs]
            # read once the scheduler has all ten (each holds its worker for 2 s: none is done yet)
            while client.run_on_scheduler(lambda dask_scheduler: len(dask_scheduler.tasks)) < len(jobs):
                time.sleep(0.02)
            found = client.run_on_scheduler(
                lambda dask_scheduler: (
                    len(dask_scheduler.queued),
                    sorted(len(w.processing) for w in dask_scheduler.workers.values()),
                )
            )
            client.cancel(futures)
        return found

    assert placed(clip_task_key) == (6, [2, 2])
    assert placed(lambda job: f"{job.stem}-{job.key}") == (0, [5, 5])


def test_a_local_cluster_is_quiet_when_the_dashboard_port_is_taken(tmp_path):
    """Two renders at once: the second one's scheduler finds Dask's HTTP port (8787) taken."""
    with socket.socket() as taken:
        try:
            taken.bind(("", 8787))
            taken.listen()
        except OSError:  # something holds it already, as well
            pass
        with warnings.catch_warnings(record=True) as said:
            warnings.simplefilter("always")
            with connect(RenderSettings(out=tmp_path / "out", jobs=1, voice="none"), 1):
                pass
    assert [str(warning.message) for warning in said if "already in use" in str(warning.message)] == []


def render_on(scheduler: str, out: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "reluviz", "render", "--quality=low", "--voice=none", f"--out={out}"]
        + [f"--scheduler={scheduler}"],
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("address", "problem"),
    [
        ("tcp://127.0.0.1:notaport", "the port 'notaport' is not a whole number from 1 to 65535"),
        ("tcp://127.0.0.1:", "no port after the colon"),
        ("tcp://127.0.0.1", "no port"),
        ("tcp://127.0.0.1:99999", "the port '99999' is not a whole number from 1 to 65535"),
        ("tcp://127.0.0.1:0", "the port '0' is not a whole number from 1 to 65535"),
        ("tcp://:8786", "no host"),
        (
            "tcp://user@host:8786",
            "the host 'user@host' is not a name or an IP address (an IPv6 address goes in brackets)",
        ),
        ("tls://127.0.0.1:1", "a render connects only to tcp:// addresses, not 'tls://'"),
        ("tcp://127.0.0.1:1/path", "nothing may follow the port, and '/path' does"),
        ("host:8786", "not an address"),
    ],
)
def test_a_malformed_scheduler_address_is_refused_before_connecting(tmp_path, address, problem):
    started = time.monotonic()
    result = render_on(address, tmp_path / "out")
    assert time.monotonic() - started < 8, "refused at once, not after Dask's 10 s of retries"
    expected = f"reluviz: SCHEDULER={address}: {problem}; expected a scheduler's address such as tcp://host:8786\n"
    assert (result.returncode, result.stdout, result.stderr) == (2, "", expected)
    assert not (tmp_path / "out").exists()


def test_a_long_scheduler_address_with_a_line_break_is_still_one_short_line(tmp_path):
    address = "tcp://" + "scheduler" * 100 + "\n:8786"
    result = render_on(address, tmp_path / "out")
    assert result.returncode == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith("reluviz: SCHEDULER=tcp://scheduler") and "is not a name or an IP address" in line
    assert len(line) <= 300 and line.isprintable(), line


def test_a_scheduler_address_where_nothing_listens_is_one_line_at_once(tmp_path):
    with socket.socket() as closed:  # a port that was free a moment ago: nothing listens there
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    started = time.monotonic()
    result = render_on(address, tmp_path / "out")
    assert time.monotonic() - started < 8, "a refused port is said at once, not after Dask's 10 s of retries"
    assert result.returncode == 2
    assert result.stderr == f"reluviz: SCHEDULER={address}: no scheduler answered there (Connection refused)\n"
    assert not (tmp_path / "out" / "relu" / "low").exists()


def test_well_formed_scheduler_addresses_name_their_host_and_port():
    assert scheduler_endpoint("tcp://scheduler-host.example.org:8786") == ("scheduler-host.example.org", 8786)
    assert scheduler_endpoint("tcp://10.0.0.7:1") == ("10.0.0.7", 1)
    assert scheduler_endpoint("tcp://[::1]:65535") == ("::1", 65535)
