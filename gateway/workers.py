"""`timebridge serve --workers N`: N processes serving one port, so the gateway uses every
core. The parent binds the port and supervises; each worker is a fresh process (spawned, not
forked) that listens on the port with a socket of its own (SO_REUSEPORT, so the kernel spreads
connections across the workers; elsewhere they share the parent's socket) and drains on
SIGTERM. The address is printed once every worker serves, SIGTERM handled. A worker that
dies unasked stops the others and the gateway (exit code 1), for its supervisor to start it
again whole.

Workers share nothing in memory, so an idempotency key must live in Redis (refused at start
otherwise); metrics use prometheus-client's multiprocess mode under one directory, so any
worker's `/metrics` answers for all of them.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import socket
import tempfile
from collections.abc import Callable
from multiprocessing.connection import wait
from multiprocessing.synchronize import Event
from types import FrameType

from gateway.config import ConfigError, Settings
from gateway.event_loop import run

log = logging.getLogger("timebridge.workers")


def check_workers(settings: Settings, workers: int) -> None:
    if workers < 1:
        raise ConfigError(f"TIMEBRIDGE_WORKERS must be 1 or more, got {workers}")
    if workers > 1 and settings.idempotency_store == "memory":
        raise ConfigError(
            f"TIMEBRIDGE_WORKERS={workers} needs TIMEBRIDGE_IDEMPOTENCY_STORE set to a redis:// "
            "URL: in memory, each worker would keep its own idempotency keys"
        )
    if workers > 1 and settings.read_cache == "memory":
        raise ConfigError(
            f"TIMEBRIDGE_WORKERS={workers} needs TIMEBRIDGE_READ_CACHE set to a redis:// URL "
            "or 'off': in memory, a worker would not see another's writes and answer stale"
        )
    if workers > 1 and settings.events == "memory":
        raise ConfigError(
            f"TIMEBRIDGE_WORKERS={workers} needs TIMEBRIDGE_EVENTS set to a redis:// URL: in "
            "memory, a subscriber on one worker would not hear of changes made on another"
        )


def _worker(settings: Settings, sock: socket.socket, ready: Event) -> None:
    from gateway.access import configure_logging
    from gateway.app import gateway_listener
    from gateway.servers import bind, serve
    from gateway.tracing import configure_tracing

    configure_logging(logging.INFO)
    configure_tracing()
    if sock.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN):
        own = sock  # one socket for all (no SO_REUSEPORT here)
    else:
        # The parent only holds the port: this worker listens on it with a socket of its own.
        host, port = sock.getsockname()[:2]
        own = bind(host, port, shared=True)
        sock.close()
    # Ready only once SIGTERM drains: set at bind, a SIGTERM while the app was still being
    # built killed the worker outright (exit -15) instead of letting it stop cleanly.
    listener = gateway_listener(settings, own)
    run(serve([listener], log_level="info", handling_signals=ready.set), settings.event_loop)


def run_workers(
    settings: Settings, sock: socket.socket, workers: int, announce: Callable[[], None]
) -> int:
    """Start the workers on `sock`'s port, `announce` once each listens, pass SIGTERM/SIGINT
    on, and wait for them all."""
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # Set before the workers import prometheus-client, which decides its mode then.
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="timebridge-metrics-")
    context = multiprocessing.get_context("spawn")
    readiness = [context.Event() for _ in range(workers)]
    processes = [
        context.Process(target=_worker, args=(settings, sock, ready), name=f"timebridge-worker-{i}")
        for i, ready in enumerate(readiness)
    ]
    for process in processes:
        process.start()
    for process, ready in zip(processes, readiness, strict=True):
        while not ready.wait(0.5):
            if not process.is_alive():
                log.error("%s ended before it listened", process.name)
                for other in processes:
                    other.terminate()
                return 1
    announce()
    stopping = unasked = False

    def forward(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True
        for process in processes:
            if process.is_alive() and process.pid is not None:
                os.kill(process.pid, signum)

    previous = {s: signal.signal(s, forward) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        running = list(processes)
        while running:
            ended = wait([p.sentinel for p in running])
            running = [p for p in running if p.sentinel not in ended]
            if not stopping:
                unasked = True
                # A worker that dies unasked would leave the port served at part capacity
                # with nobody told: the rest drain and the gateway ends, for its supervisor
                # (systemd, Kubernetes) to start it again whole.
                dead = [p for p in processes if p.sentinel in ended]
                for process in dead:
                    process.join()  # ended already: reaped, so its exit code is known
                log.error(
                    "%s ended unexpectedly (exit code %s): stopping the other workers",
                    ", ".join(p.name for p in dead),
                    ", ".join(str(p.exitcode) for p in dead),
                )
                forward(signal.SIGTERM, None)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    failed = [p.name for p in processes if p.exitcode not in (0, -signal.SIGTERM)]
    if failed:
        log.error("workers ended with an error: %s", ", ".join(failed))
    # A worker that ended unasked fails the gateway whatever its own exit code (a worker sent
    # SIGTERM from outside drains and exits 0): the supervisor is to start it again.
    return 1 if failed or unasked else 0
