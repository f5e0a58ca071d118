"""Clean drains: on SIGTERM the gateway stops taking work, finishes what it has, then exits.

`Drain` is the app's shutdown state and `DrainGuard` the outermost ASGI middleware:
- before a drain, it counts the requests in flight;
- once a drain begins, `/readyz` answers 503 (a load balancer takes the replica out) and every
  new request but `/healthz` gets a JSON 503 with `Connection: close`, while requests in
  flight go on;
- at the drain's deadline, a request still running is cancelled and answered with a JSON 503,
  never a cut connection or a text/plain 500.
`gateway/servers.py` begins the drain on the signal and stops the server once nothing is in
flight or the deadline has passed.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("timebridge.drain")


class Drain:
    """Whether the gateway is draining, and which requests it still has in flight."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self.draining = False
        self._tasks: set[asyncio.Task[Any]] = set()
        self._cut: set[asyncio.Task[Any]] = set()
        self._idle: asyncio.Event | None = None

    @property
    def in_flight(self) -> int:
        return len(self._tasks)

    def _idle_event(self) -> asyncio.Event:
        if self._idle is None:
            self._idle = asyncio.Event()
            if not self._tasks:
                self._idle.set()
        return self._idle

    def begin(self) -> None:
        """Start draining (call from the event loop's thread)."""
        if self.draining:
            return
        self.draining = True
        log.info(
            "draining: %d request(s) in flight, %.0f s to finish", self.in_flight, self.timeout
        )
        asyncio.get_running_loop().call_later(self.timeout, self._expire)

    def _expire(self) -> None:
        if self._tasks:
            log.warning("drain deadline: answering %d unfinished request(s)", len(self._tasks))
        for task in list(self._tasks):
            self._cut.add(task)
            task.cancel()

    async def finished(self) -> None:
        """Return once nothing is in flight (past the deadline, once the cut ones answered)."""
        await self._idle_event().wait()

    def enter(self, task: asyncio.Task[Any]) -> None:
        self._tasks.add(task)
        self._idle_event().clear()

    def leave(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        self._cut.discard(task)
        if not self._tasks:
            self._idle_event().set()

    def was_cut(self, task: asyncio.Task[Any]) -> bool:
        return task in self._cut


class DrainGuard:
    """Refuses new work while draining; answers JSON when the drain's deadline cuts a request."""

    def __init__(self, app: ASGIApp, drain: Drain) -> None:
        self.app = app
        self.drain = drain

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        task = asyncio.current_task()
        if scope["type"] != "http" or task is None:
            await self.app(scope, receive, send)
            return
        if self.drain.draining and scope["path"] != "/healthz":
            await _json(send, 503, "The gateway is shutting down; retry on another replica")
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        self.drain.enter(task)
        try:
            await self.app(scope, receive, tracking_send)
        except asyncio.CancelledError:
            if not self.drain.was_cut(task):
                raise
            task.uncancel()  # we cancelled it to answer it, not to end the connection
            if not started:
                await _json(send, 503, "The gateway shut down before this request finished")
        finally:
            self.drain.leave(task)


async def _json(send: Send, status: int, message: str) -> None:
    body = json.dumps({"errors": [{"message": message, "extensions": {"code": "SHUTTING_DOWN"}}]})
    raw = body.encode()
    headers: list[Any] = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(raw)).encode()),
        (b"connection", b"close"),
        (b"retry-after", b"1"),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": raw})
