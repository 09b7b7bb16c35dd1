"""Where clips render: a Dask cluster, started or reached only when something needs rendering.

By default a ``LocalCluster`` on this machine: one single-threaded worker process per job
(``JOBS``, one per core), sharing this machine's cache, so finished clips go straight into
out/.cache. With ``SCHEDULER=tcp://host:8786``, the ``dask worker`` processes of a real
cluster: they send finished clips back, or put them in ``CACHE=`` when every machine
mounts it (see docs/batches.md).
"""

from __future__ import annotations

import logging
import signal
import socket
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from reluviz.files.errors import QUOTE_CHARACTERS, excerpt
from reluviz.studio.settings import RenderSettings, scheduler_endpoint

#: Seconds to wait for a scheduler to answer before saying it is unreachable.
CONNECT_TIMEOUT = 10
TRACKER_WARNING = "ignore::UserWarning:multiprocessing.resource_tracker"
#: Dask starts its workers with MALLOC_TRIM_THRESHOLD_=65536, which also stops glibc from
#: raising its mmap threshold: every large array (an 8 MB picture at 1080p, every frame) is
#: then mapped fresh and its pages faulted in again. A 1080p clip took 400,000 page faults
#: and 15% more CPU in such a worker than in a plain process (45,000); our workers keep
#: glibc's own behaviour, as plain manim has it.
WORKER_ENVIRONMENT = {"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}
#: Dask's workers sample their own stacks every 10 ms for its dashboard (which a render never
#: opens): about 1.5% of a worker's CPU, measured on a busy Python loop. Every Dask process also
#: wakes every 20 ms to time its event loop, every 0.5 s to sample its own CPU and memory (and a
#: worker every 0.1 s to check its memory against limits a render never nears): an idle worker
#: used 1.5% of a core, the client 3%; with these once a second or less often, 0.3% and 0.7%.
WORKER_CONFIG = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "5s",
    "distributed.worker.memory.monitor-interval": "1s",
}
#: Clips queued on the scheduler (render.CLIP_KEY_PREFIX) go to a worker only when it is free:
#: clips take from 5 s to 2 minutes, and with Dask's default (1.1: a second clip waiting on each
#: worker) a clip could wait behind a long one while the other core sat idle. Queued so, a clip
#: is never on a worker that is not running it: work stealing (a check every 0.1 s) has nothing
#: to move.
SCHEDULER_CONFIG = {"distributed.scheduler.worker-saturation": 1.0, "distributed.scheduler.work-stealing": False}


class RenderError(RuntimeError):
    pass


def dask_setup(worker) -> None:
    """Run in every LocalCluster worker as it starts (its preload): Ctrl-C reaches the whole
    process group, and only the client should act on it, stopping the workers in order."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _unanswered(address: str, reason: str) -> RenderError:
    shown = excerpt(address, QUOTE_CHARACTERS)
    return RenderError(f"SCHEDULER={shown}: no scheduler answered there ({excerpt(reason, QUOTE_CHARACTERS)})")


def _reach(address: str) -> None:
    """A RenderError unless something listens at ``address``, asked once with a plain socket:
    Dask's own client would try a refused port again and again for CONNECT_TIMEOUT seconds."""
    host, port = scheduler_endpoint(address)
    try:
        socket.create_connection((host, port), timeout=CONNECT_TIMEOUT).close()
    except OSError as error:  # refused, an unknown host, or no answer in time
        raise _unanswered(address, error.strerror or f"nothing within {CONNECT_TIMEOUT} s") from None


@contextmanager
def connect(settings: RenderSettings, workers: int) -> Iterator[tuple[object, str | None]]:
    """(a Dask client, the store workers put finished entries in or None to send them back);
    a LocalCluster of ``workers`` processes is stopped, with its workers, on the way out."""
    import dask
    from distributed import Client, LocalCluster

    if settings.scheduler:
        _reach(settings.scheduler)
        try:
            client = Client(settings.scheduler, timeout=CONNECT_TIMEOUT, set_as_default=False)
        except OSError as error:  # it went away since it was reached (TimeoutError is an OSError too)
            said = str(error).splitlines()
            raise _unanswered(settings.scheduler, said[0] if said else type(error).__name__) from None
        try:
            yield client, str(settings.store) if settings.store else None
        finally:
            client.close()
        return
    # Ctrl-C stops workers in the middle of a clip, and multiprocessing's resource tracker (a
    # process of its own, started with our warning options) would report their semaphores as
    # leaked; the workers are gone with them, so that is not news either.
    if TRACKER_WARNING not in sys.warnoptions:
        sys.warnoptions.append(TRACKER_WARNING)
    # read by each nanny as it is made and handed to its worker, kept for its restarts; the
    # scheduler runs in this process
    with dask.config.set({**WORKER_ENVIRONMENT, **WORKER_CONFIG, **SCHEDULER_CONFIG}):
        cluster = LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            # its scheduler serves HTTP even without a dashboard, on port 8787 unless told: with two
            # renders at once, the second would print four lines of warning that the port is taken
            scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
            scheduler_port=0,
            silence_logs=logging.CRITICAL,  # a worker stopped by Ctrl-C is not news
            preload=[__name__],
        )
    client = Client(cluster, set_as_default=False)
    try:
        yield client, str(settings.cache)
    finally:
        client.close()
        cluster.close()
