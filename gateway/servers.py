"""Run ASGI apps on loopback sockets bound up front, in the foreground or a background thread.

Binding first means a URL is valid the moment it is printed or handed to a test: connections
wait in the listen backlog until uvicorn, after its lifespan start-up, accepts them.
"""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from types import TracebackType

import uvicorn
from starlette.types import ASGIApp


@dataclass(slots=True)
class Listener:
    """One app on one bound socket."""

    app: ASGIApp
    sock: socket.socket

    @property
    def url(self) -> str:
        host, port = self.sock.getsockname()[:2]
        return f"http://{host}:{port}"


def bind(host: str = "127.0.0.1", port: int = 0) -> socket.socket:
    """A listening TCP socket; port 0 picks a free one."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(128)
    sock.setblocking(False)
    return sock


def _server(listener: Listener, log_level: str) -> uvicorn.Server:
    config = uvicorn.Config(
        listener.app,
        log_level=log_level,
        lifespan="on",
        access_log=False,
        timeout_graceful_shutdown=2,
    )
    return uvicorn.Server(config)


async def serve(listeners: Sequence[Listener], log_level: str = "warning") -> None:
    """Serve every listener until interrupted."""
    servers = [_server(listener, log_level) for listener in listeners]
    await asyncio.gather(
        *(s.serve(sockets=[listener.sock]) for s, listener in zip(servers, listeners, strict=True))
    )


class BackgroundServers:
    """Serve listeners from a thread with its own event loop (tests and benchmarks)."""

    def __init__(self, listeners: Sequence[Listener], log_level: str = "error") -> None:
        self.listeners = list(listeners)
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

        asyncio.run(main())

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
