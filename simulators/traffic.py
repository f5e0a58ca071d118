"""What every simulator shares: request log (simulators/request_log.py), rate limits and
injected faults, as ASGI middleware.

Rate limits and faults are applied before the upstream's own handlers run, the way a real
API gateway in front of Productive or Clockify would answer 429 or 5xx without touching data.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from simulators.faults import FaultSettings, ScriptedFault
from simulators.request_log import RequestLog, RequestRecord

__all__ = [
    "CONTROL_PREFIX",
    "RateLimiter",
    "RequestLog",
    "RequestRecord",
    "TrafficMiddleware",
    "Window",
]

CONTROL_PREFIX = "/_sim"


@dataclass(frozen=True, slots=True)
class Window:
    """At most `limit` requests per `seconds`, per key."""

    limit: int
    seconds: float


class RateLimiter:
    """Sliding-window limits per key (a token, an API key, a workspace)."""

    def __init__(self, windows: list[Window], clock: Callable[[], float] = time.monotonic) -> None:
        self.windows = windows
        self.clock = clock
        self._hits: dict[str, deque[float]] = {}

    def reset(self) -> None:
        self._hits.clear()

    def hit(self, key: str) -> float | None:
        """Record a request; return seconds to wait when over a limit (the request is refused)."""
        if not self.windows:
            return None
        now = self.clock()
        hits = self._hits.setdefault(key, deque())
        longest = max(w.seconds for w in self.windows)
        while hits and now - hits[0] > longest:
            hits.popleft()
        for window in self.windows:
            inside = [t for t in hits if now - t < window.seconds]
            if len(inside) >= window.limit:
                return max(window.seconds - (now - inside[0]), 0.001)
        hits.append(now)
        return None


ErrorBody = Callable[[int, str], tuple[dict[str, Any], dict[str, str]]]


class TrafficMiddleware:
    """Logs, rate-limits and injects faults in front of one simulator app."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        log: RequestLog,
        limiter: RateLimiter,
        limit_key: Callable[[Scope], str | None],
        faults: FaultSettings,
        error_body: ErrorBody,
    ) -> None:
        self.app = app
        self.log = log
        self.limiter = limiter
        self.limit_key = limit_key
        self.faults = faults
        self.error_body = error_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(CONTROL_PREFIX):
            await self.app(scope, receive, send)
            return
        method, path = scope["method"], scope["path"]
        query = scope.get("query_string", b"").decode()
        cookie = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"cookie"), "")
        started = time.time()
        status_seen = 0
        logged = False
        body_chunks: list[bytes] = []

        async def logging_receive() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                body_chunks.append(message.get("body", b""))
            return message

        def record(status: int) -> None:
            nonlocal logged
            if not logged:
                logged = True
                self.log.add(
                    RequestRecord(
                        method,
                        path,
                        query,
                        status,
                        started,
                        b"".join(body_chunks),
                        time.time(),
                        cookie,
                    )
                )

        async def logging_send(message: Message) -> None:
            nonlocal status_seen
            if message["type"] == "http.response.start":
                status_seen = message["status"]
                if self.faults.set_cookie:
                    headers = [
                        *message.get("headers", []),
                        (b"set-cookie", self.faults.set_cookie.encode()),
                    ]
                    message = {**message, "headers": headers}
            elif message["type"] == "http.response.body" and not message.get("more_body"):
                # Logged before the answer completes: whoever got the answer finds the record.
                record(status_seen)
            await send(message)

        self.log.began()
        try:
            if self.faults.latency:
                await asyncio.sleep(self.faults.latency)
            fault = (
                self.faults.take_outage()
                or self.faults.take_scripted(method, path, False)
                or self.faults.draw_random()
            )
            if fault is not None and fault.kind == "slow":
                # A real upstream has the request once it is sent: it goes on with it even
                # when the client gives up waiting, so the body is read before the delay.
                receive = await _buffered(receive)
                await asyncio.sleep(fault.delay)
                fault = None
            if fault is not None:
                if fault.kind in ("drop", "truncate", "garbage"):
                    record(0)  # logged before the connection goes: the client may look at once
                await self._apply(fault, scope, receive, logging_send)
                return
            key = self.limit_key(scope)
            retry_after = self.limiter.hit(key) if key else None
            if retry_after is not None:
                body, headers = self.error_body(429, "Too many requests")
                headers = {**headers, "Retry-After": str(max(1, round(retry_after + 0.5)))}
                await _send_json(logging_send, 429, body, headers)
                return
            late = self.faults.take_scripted(method, path, True)
            if late is None and self.log.is_write(method, path):
                late = self.faults.draw_lost_answer()
            if late is None:
                await self.app(scope, logging_receive, logging_send)
                return
            # The handler runs (the write lands, and is logged), then its answer is lost.
            handled = 0
            answer: list[Message] = []

            async def capture(message: Message) -> None:
                nonlocal handled
                if message["type"] == "http.response.start":
                    handled = message["status"]
                answer.append(message)

            await self.app(scope, logging_receive, capture)
            record(handled)
            if late.kind == "slow":
                await asyncio.sleep(late.delay)
            self.faults.outage_left = late.outage_after
            await self._apply(late, scope, receive, send, answer)
        finally:
            record(status_seen)
            self.log.ended()

    async def _apply(
        self,
        fault: ScriptedFault,
        scope: Scope,
        receive: Receive,
        send: Send,
        answer: list[Message] | None = None,
    ) -> None:
        if fault.kind == "truncate" and answer:
            # The answer's head (its Content-Length the whole body's) and half its body, then
            # the connection goes: a proxy or link cut mid-answer.
            whole = b"".join(m.get("body", b"") for m in answer[1:])
            await send(answer[0])
            await send(
                {"type": "http.response.body", "body": whole[: len(whole) // 2], "more_body": True}
            )
            _abort_connection(receive)
            return
        if fault.kind == "garbage":
            _answer_raw(receive, b"HTTP/1.1 2OO Okay?\r\nno colon here\r\n\r\n")
            return
        if fault.kind in ("drop", "truncate"):
            _abort_connection(receive)
            return
        body, headers = self.error_body(fault.status, "Service unavailable")
        await _send_json(send, fault.status, body, headers)


async def _buffered(receive: Receive) -> Receive:
    """Read the whole request body now; replay it to the handler later."""
    messages: list[Message] = []
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request" or not message.get("more_body"):
            break

    async def replay() -> Message:
        if messages:
            return messages.pop(0)
        return await receive()

    return replay


def _answer_raw(receive: Receive, data: bytes) -> None:
    """Bytes that are not HTTP in place of an answer, then the connection closes (a captive
    portal's or a broken proxy's answer)."""
    cycle = getattr(receive, "__self__", None)
    transport = getattr(cycle, "transport", None)
    if transport is None:
        raise ConnectionAbortedError("simulated malformed answer")
    transport.write(data)
    transport.close()


def _abort_connection(receive: Receive) -> None:
    """Close the TCP connection without an answer, as a crashed upstream or proxy would."""
    cycle = getattr(receive, "__self__", None)
    transport = getattr(cycle, "transport", None)
    if transport is None:
        raise ConnectionAbortedError("simulated dropped connection")
    transport.abort()


async def _send_json(send: Send, status: int, body: Any, headers: dict[str, str]) -> None:
    raw = json.dumps(body).encode()
    header_list = [(k.lower().encode(), v.encode()) for k, v in headers.items()]
    header_list.append((b"content-length", str(len(raw)).encode()))
    await send({"type": "http.response.start", "status": status, "headers": header_list})
    await send({"type": "http.response.body", "body": raw})
