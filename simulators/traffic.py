"""What every simulator shares: request log, rate limits and injected faults, as ASGI middleware.

Rate limits and faults are applied before the upstream's own handlers run, the way a real
API gateway in front of Productive or Clockify would answer 429 or 5xx without touching data.
"""

from __future__ import annotations

import asyncio
import json
import random
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTROL_PREFIX = "/_sim"


@dataclass(frozen=True, slots=True)
class RequestRecord:
    """One request a simulator answered."""

    method: str
    path: str
    query: str
    status: int
    at: float
    body: bytes = b""

    def to_json(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "status": self.status,
            "at": self.at,
        }


class RequestLog:
    """Every request a simulator answered, in order, for tests and benchmarks to count."""

    def __init__(self, read_posts: tuple[str, ...] = ()) -> None:
        self.records: list[RequestRecord] = []
        # Endpoints that read through POST (Clockify's report and list queries) are no writes.
        self.read_posts = read_posts
        self.in_flight = 0
        self._changed = threading.Condition()

    def began(self) -> None:
        with self._changed:
            self.in_flight += 1
            self._changed.notify_all()

    def ended(self) -> None:
        with self._changed:
            self.in_flight -= 1
            self._changed.notify_all()

    def wait_in_flight(self, count: int, timeout: float) -> bool:
        """Block until at least `count` requests are being handled (tests await this)."""
        with self._changed:
            return self._changed.wait_for(lambda: self.in_flight >= count, timeout)

    def add(self, record: RequestRecord) -> None:
        self.records.append(record)

    def clear(self) -> None:
        self.records.clear()

    def matching(self, method: str | None = None, path_contains: str = "") -> list[RequestRecord]:
        return [
            r
            for r in self.records
            if (method is None or r.method == method) and path_contains in r.path
        ]

    def count(self, method: str | None = None, path_contains: str = "") -> int:
        return len(self.matching(method, path_contains))

    def is_write(self, method: str, path: str) -> bool:
        return method in {"POST", "PUT", "PATCH", "DELETE"} and not (
            method == "POST" and path.endswith(self.read_posts)
        )

    def writes(self) -> list[RequestRecord]:
        return [r for r in self.records if self.is_write(r.method, r.path)]


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


@dataclass(slots=True)
class ScriptedFault:
    """A fault for the next matching request: a status, a dropped connection or a slow answer.

    `after_handler` makes the fault happen after the upstream has done its work, the way a
    timeout after sending leaves a write applied with its answer lost.
    """

    kind: str  # "status" | "drop" | "slow"
    status: int = 503
    delay: float = 0.0
    method: str | None = None
    path_contains: str = ""
    after_handler: bool = False
    times: int = 1  # how many matching requests it hits before it is used up
    outage_after: int = 0  # then answer this many further requests 503 (a short outage)

    def matches(self, method: str, path: str) -> bool:
        return (self.method is None or self.method == method) and self.path_contains in path


@dataclass
class FaultSettings:
    """Random and scripted faults; all off by default.

    Random faults, each a share of requests: `error_rate` answers 5xx and `drop_rate` closes
    the connection, both before the handler (nothing lands); `slow_rate` delays the request by
    `slow_delay` before the handler (a write lands late, after a client may have given up);
    `lost_answer_rate`, for writes only, runs the handler and then closes the connection (the
    write lands, its answer is lost).
    """

    latency: float = 0.0
    error_rate: float = 0.0
    drop_rate: float = 0.0
    slow_rate: float = 0.0
    slow_delay: float = 2.0
    lost_answer_rate: float = 0.0
    seed: int = 7
    script: list[ScriptedFault] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._random = random.Random(self.seed)
        self.outage_left = 0

    def clear(self) -> None:
        """Drop scripted faults and any outage under way (random rates stay as set)."""
        self.script.clear()
        self.outage_left = 0

    def take_outage(self) -> ScriptedFault | None:
        if self.outage_left <= 0:
            return None
        self.outage_left -= 1
        return ScriptedFault("status", status=503)

    def take_scripted(self, method: str, path: str, after_handler: bool) -> ScriptedFault | None:
        for i, fault in enumerate(self.script):
            if fault.after_handler == after_handler and fault.matches(method, path):
                fault.times -= 1
                if fault.times <= 0:
                    self.script.pop(i)
                return fault
        return None

    def draw_lost_answer(self) -> ScriptedFault | None:
        if self.lost_answer_rate and self._random.random() < self.lost_answer_rate:
            return ScriptedFault("drop", after_handler=True)
        return None

    def draw_random(self) -> ScriptedFault | None:
        roll = self._random.random()
        if roll < self.drop_rate:
            return ScriptedFault("drop")
        if roll < self.drop_rate + self.error_rate:
            return ScriptedFault("status", status=self._random.choice([500, 502, 503]))
        if roll < self.drop_rate + self.error_rate + self.slow_rate:
            return ScriptedFault("slow", delay=self.slow_delay)
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
        started = time.time()
        status_seen = 0
        logged = False
        body_chunks: list[bytes] = []

        async def logging_receive() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                body_chunks.append(message.get("body", b""))
            return message

        async def logging_send(message: Message) -> None:
            nonlocal status_seen
            if message["type"] == "http.response.start":
                status_seen = message["status"]
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

            async def capture(message: Message) -> None:
                nonlocal handled
                if message["type"] == "http.response.start":
                    handled = message["status"]

            await self.app(scope, logging_receive, capture)
            self.log.add(
                RequestRecord(method, path, query, handled, started, b"".join(body_chunks))
            )
            logged = True
            if late.kind == "slow":
                await asyncio.sleep(late.delay)
            self.faults.outage_left = late.outage_after
            await self._apply(late, scope, receive, send)
        finally:
            self.log.ended()
            if not logged:
                self.log.add(
                    RequestRecord(method, path, query, status_seen, started, b"".join(body_chunks))
                )

    async def _apply(
        self, fault: ScriptedFault, scope: Scope, receive: Receive, send: Send
    ) -> None:
        if fault.kind == "drop":
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
