"""Run ASGI apps on loopback sockets bound up front, in the foreground or a background thread.

Binding first means a URL is valid the moment it is printed or handed to a test: connections
wait in the listen backlog until uvicorn, after its lifespan start-up, accepts them.

Every accepted socket gets TCP_NODELAY: uvicorn writes headers and body separately, and
without it the body waits for the client's delayed ACK (~40 ms per keep-alive answer). The
HTTP protocol is uvicorn's httptools one with what it lacks against slow clients: a deadline
for a request's headers (also for connections that never send a byte), one for its body, and a
cap on open connections.

`serve` handles SIGTERM and SIGINT itself: apps with a Drain (the gateway) drain first, then
every server stops; a second signal stops everything at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import signal
import socket
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

import uvicorn
from starlette.types import ASGIApp
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from gateway.drain import Drain
from gateway.event_loop import run


@dataclass(frozen=True, slots=True)
class ClientLimits:
    """How long a client may take, and how many connections may be open at once."""

    header_timeout: float = 10.0
    body_timeout: float = 30.0
    keep_alive: float = 5.0
    max_connections: int = 1000


@dataclass(slots=True)
class Listener:
    """One app on one bound socket."""

    app: ASGIApp
    sock: socket.socket
    limits: ClientLimits = field(default_factory=ClientLimits)

    @property
    def url(self) -> str:
        host, port = self.sock.getsockname()[:2]
        return f"http://{host}:{port}"

    @property
    def drain(self) -> Drain | None:
        state = getattr(self.app, "state", None)
        found = getattr(state, "drain", None) if state is not None else None
        return found if isinstance(found, Drain) else None


def bind(
    host: str = "127.0.0.1", port: int = 0, *, shared: bool = False, listen: bool = True
) -> socket.socket:
    """A listening TCP socket; port 0 picks a free one. `shared` sockets (SO_REUSEPORT) bind
    one port together, and the kernel spreads new connections across those that listen."""
    # IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY on accepted sockets only for that protocol.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if shared:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    if listen:
        sock.listen(1024)
    sock.setblocking(False)
    return sock


def can_share_ports() -> bool:
    """Whether the kernel balances connections across sockets sharing a port (Linux)."""
    return hasattr(socket, "SO_REUSEPORT") and sys.platform.startswith("linux")


class GuardedHttpProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol (llhttp: a third of h11's CPU per request) with header
    and body deadlines and a connection cap."""

    limits = ClientLimits()

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        sock = transport.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._timer: asyncio.TimerHandle | None = None
        if len(self.connections) > self.limits.max_connections:
            self.logger.info("refusing a connection: %d open", len(self.connections))
            transport.abort()
            return
        self._arm(self.limits.header_timeout)

    def _arm(self, seconds: float) -> None:
        self._disarm()
        self._timer = self.loop.call_later(seconds, self._too_slow)

    def _disarm(self) -> None:
        timer = getattr(self, "_timer", None)
        if timer is not None:
            timer.cancel()
            self._timer = None

    def _too_slow(self) -> None:
        self._timer = None
        if not self.transport.is_closing():
            self.logger.info("closing a connection that was too slow to send its request")
            self.transport.abort()

    def on_message_begin(self) -> None:
        super().on_message_begin()
        if getattr(self, "_timer", None) is None:
            self._arm(self.limits.header_timeout)  # a keep-alive connection's next request

    def on_headers_complete(self) -> None:
        super().on_headers_complete()
        self._arm(self.limits.body_timeout)  # disarmed as soon as the body is in

    def on_message_complete(self) -> None:
        # The whole request is in: the app's deadline governs from here. An upgrade's request
        # completes too before it becomes a WebSocket, which the deadlines do not cover.
        self._disarm()
        super().on_message_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)


def _protocol(limits: ClientLimits) -> type[GuardedHttpProtocol]:
    return type("GuardedHttp", (GuardedHttpProtocol,), {"limits": limits})


class _Server(uvicorn.Server):
    """A uvicorn server whose signals `serve` handles (several servers share one process)."""

    def capture_signals(self) -> Any:
        return contextlib.nullcontext()


def _server(listener: Listener, log_level: str) -> uvicorn.Server:
    config = uvicorn.Config(
        listener.app,
        log_level=log_level,
        lifespan="on",
        access_log=False,
        http=_protocol(listener.limits),
        timeout_keep_alive=int(max(1, listener.limits.keep_alive)),
        # The Drain has already let requests finish; this only bounds the last goodbyes.
        timeout_graceful_shutdown=2,
    )
    return _Server(config)


async def _run(
    listeners: Sequence[Listener],
    servers: list[uvicorn.Server],
    handling_signals: Callable[[], None] | None,
) -> None:
    tasks = [
        asyncio.ensure_future(s.serve(sockets=[listener.sock]))
        for s, listener in zip(servers, listeners, strict=True)
    ]
    stop, forced = asyncio.Event(), asyncio.Event()

    def on_signal() -> None:
        if stop.is_set():
            forced.set()
            for server in servers:
                server.force_exit = server.should_exit = True
        stop.set()

    loop = asyncio.get_running_loop()
    in_main = threading.current_thread() is threading.main_thread()
    if in_main:
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, on_signal)
    if handling_signals is not None:
        handling_signals()
    try:
        await _first(stop.wait(), *tasks)
        # Drain the gateway while its upstreams (the demo's simulators) still answer.
        draining = [
            (s, t, d) for s, t, li in zip(servers, tasks, listeners, strict=True) if (d := li.drain)
        ]
        for _, _, drain in draining:
            drain.begin()
        await _first(asyncio.gather(*(d.finished() for _, _, d in draining)), forced.wait())
        for server, _, _ in draining:
            server.should_exit = True
        await asyncio.gather(*(t for _, t, _ in draining), return_exceptions=True)
        for server in servers:
            server.should_exit = True
        await asyncio.gather(*tasks, return_exceptions=True)
    finally:
        if in_main:
            for sig in (signal.SIGTERM, signal.SIGINT):
                loop.remove_signal_handler(sig)


async def _first(*awaitables: Any) -> None:
    futures = [asyncio.ensure_future(a) for a in awaitables]
    _, pending = await asyncio.wait(futures, return_when=asyncio.FIRST_COMPLETED)
    for future in pending:
        if future not in awaitables:
            future.cancel()


def tune_gc() -> None:
    """A GraphQL answer allocates many short-lived objects: with the default thresholds the
    cyclic collector runs every 700 allocations and, under concurrency, walks every request's
    live objects again and again. The long-lived objects made at start (the schema, the
    modules) are frozen out of its way, and it runs seventy times less often: a request
    leaves next to no cycles behind (Context.release), so little waits for it meanwhile."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)


async def serve(
    listeners: Sequence[Listener],
    log_level: str = "warning",
    handling_signals: Callable[[], None] | None = None,
) -> None:
    """Serve every listener until SIGTERM or SIGINT, draining the gateway first;
    `handling_signals` is called once a SIGTERM would drain rather than kill the process."""
    servers = [_server(listener, log_level) for listener in listeners]
    tune_gc()
    await _run(listeners, servers, handling_signals)


class BackgroundServers:
    """Serve listeners from a thread with its own event loop (tests and benchmarks)."""

    def __init__(
        self, listeners: Sequence[Listener], log_level: str = "error", event_loop: str = "auto"
    ) -> None:
        self.listeners = list(listeners)
        self.event_loop = event_loop
        self.servers = [_server(listener, log_level) for listener in self.listeners]
        self._thread = threading.Thread(target=self._run, name="timebridge-servers", daemon=True)

    def _run(self) -> None:
        async def main() -> None:
            await asyncio.gather(
                *(
                    s.serve(sockets=[listener.sock])
                    for s, listener in zip(self.servers, self.listeners, strict=True)
                )
            )

        run(main(), self.event_loop)

    def __enter__(self) -> BackgroundServers:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        for server in self.servers:
            server.should_exit = True
        self._thread.join(timeout=10)
        for listener in self.listeners:
            listener.sock.close()
