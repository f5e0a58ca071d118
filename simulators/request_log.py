"""Every request a simulator answered, in order, with what tests and benches count: method,
path, query, status, body, when it began and ended, and the Cookie it sent."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class RequestRecord:
    """One request a simulator answered."""

    method: str
    path: str
    query: str
    status: int
    at: float
    body: bytes = b""
    ended: float = 0.0  # when the answer went out (benches count dependent round trips)
    cookie: str = ""  # the request's Cookie header, if it sent one

    def to_json(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "status": self.status,
            "at": self.at,
            "ended": self.ended,
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

    def wait_idle(self, timeout: float) -> bool:
        """Block until no request is being handled (a slow one has landed and is logged)."""
        with self._changed:
            return self._changed.wait_for(lambda: self.in_flight == 0, timeout)

    def wait_in_flight(self, count: int, timeout: float) -> bool:
        """Block until at least `count` requests are being handled (tests await this)."""
        with self._changed:
            return self._changed.wait_for(lambda: self.in_flight >= count, timeout)

    def add(self, record: RequestRecord) -> None:
        with self._changed:
            self.records.append(record)
            self._changed.notify_all()

    def wait_count(self, count: int, method: str, path_contains: str, timeout: float) -> bool:
        """Block until `count` matching requests are logged (tests await a poll with this)."""
        with self._changed:
            return self._changed.wait_for(
                lambda: self.count(method, path_contains) >= count, timeout
            )

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
