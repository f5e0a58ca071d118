"""Changes the gateway publishes and subscriptions receive: a timer started or stopped, a time
entry created, updated or deleted.

A change names what changed by global ID and the tenant it belongs to (a digest of the
platform's base URL and organization or workspace), never its data: every subscriber loads
the object with its own credentials, so it sees only what those may read. The bus is
in-memory by default; `gateway/redis_events.py` carries changes between replicas.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from prometheus_client import Gauge

log = logging.getLogger("timebridge.events")
QUEUE_SIZE = 1000  # changes a slow subscriber may fall behind by before it loses the oldest
SUBSCRIBERS = Gauge(
    "timebridge_subscribers",
    "Subscriptions open on this gateway (each listens on the event bus)",
    multiprocess_mode="livesum",
)


@dataclass(frozen=True, slots=True)
class Change:
    """One change: `topic` is "timer" or "time_entry", `kind` what happened to it."""

    topic: str
    kind: str
    platform: str
    object_id: str
    person_id: str | None
    tenant: str
    change_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    at: float = field(default_factory=time.time)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @staticmethod
    def from_json(data: dict[str, Any]) -> Change:
        return Change(**{k: data[k] for k in Change.__dataclass_fields__})


def once_key(topic: str, kind: str, object_id: str) -> str | None:
    """The change id of what can happen to an object only once (a timer starts and stops
    once; an entry is created and deleted once), so that a mutation, a webhook and a poll
    reporting the same change publish it once. Updates have no such key."""
    if topic == "timer" or kind in ("CREATED", "DELETED"):
        return f"{topic}:{object_id}:{kind}"
    return None


def approval_key(object_id: str, kind: str, moment: datetime | None) -> str | None:
    """The change id of an approval reaching a state at a moment (upstream's own stamp of the
    decision): the gateway's mutation and the platform's webhook about it publish it once."""
    if moment is None:
        return None
    return f"approval:{object_id}:{kind}:{moment.astimezone(UTC).isoformat(timespec='seconds')}"


class EventBus(Protocol):
    async def publish(self, change: Change) -> None: ...

    def subscribe(self) -> contextlib.AbstractAsyncContextManager[asyncio.Queue[Change]]: ...

    @property
    def subscribers(self) -> int: ...

    async def close(self) -> None: ...


class MemoryBus:
    """Fan-out to this process's subscribers, each with its own bounded queue."""

    def __init__(self) -> None:
        self.queues: set[asyncio.Queue[Change]] = set()
        self.seen: dict[str, float] = {}  # change ids delivered lately: each goes out once

    @property
    def subscribers(self) -> int:
        return len(self.queues)

    async def publish(self, change: Change) -> None:
        self.deliver(change)

    def deliver(self, change: Change) -> None:
        if change.change_id in self.seen:
            return
        now = time.monotonic()
        self.seen[change.change_id] = now
        if len(self.seen) > 10_000:
            self.seen = {k: t for k, t in self.seen.items() if now - t < 600}
        for queue in self.queues:
            if queue.full():
                queue.get_nowait()  # the oldest goes: a stuck client must not stall the rest
                log.warning(
                    "a subscriber fell %d changes behind; the oldest was dropped", QUEUE_SIZE
                )
            queue.put_nowait(change)

    @contextlib.asynccontextmanager
    async def subscribe(self) -> AsyncIterator[asyncio.Queue[Change]]:
        queue: asyncio.Queue[Change] = asyncio.Queue(QUEUE_SIZE)
        self.queues.add(queue)
        SUBSCRIBERS.inc()
        try:
            yield queue
        finally:
            self.queues.discard(queue)
            SUBSCRIBERS.dec()

    async def close(self) -> None:
        return None
