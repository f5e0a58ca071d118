"""Productive has no webhooks for timers, so its timers are polled: while anyone subscribes to
`timerChanged`, one poll per credential set reads the running timers every interval and
publishes what started and stopped since the last read.

Subscribers with the same credentials share one poller (a thousand subscribers are one poll
an interval); the poller stops with its last subscriber. Across replicas, a lease decides
which one polls a credential set, and another takes over when the holder stops renewing it.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Protocol

from adapters.base import Platform, TimerRecord
from adapters.errors import AdapterError
from schema.context import Context
from schema.events import Change, EventBus, once_key
from schema.ids import encode

log = logging.getLogger("timebridge.polls")


class Lease(Protocol):
    async def hold(self, name: str, owner: str, seconds: float) -> bool:
        """Take or renew the lease `name` for `owner`; False while another holds it."""

    async def release(self, name: str, owner: str) -> None: ...


class MemoryLease:
    """One process: it always holds its own leases."""

    async def hold(self, name: str, owner: str, seconds: float) -> bool:
        return True

    async def release(self, name: str, owner: str) -> None:
        return None


@dataclass
class Poller:
    """One credential set's poll: its subscribers, its task, what it saw last."""

    renew: Callable[[], Context]
    subscribers: int = 0
    task: asyncio.Task[None] | None = None
    running: dict[str, TimerRecord] | None = None
    polls: int = 0


@dataclass
class TimerPolls:
    """Every poller of this process, by credential scope."""

    bus: EventBus
    lease: Lease = field(default_factory=MemoryLease)
    interval: float = 10.0
    owner: str = field(default_factory=lambda: uuid.uuid4().hex)  # this process, for leases
    pollers: dict[str, Poller] = field(default_factory=dict)

    @contextlib.asynccontextmanager
    async def watching(self, scope: str, renew: Callable[[], Context]) -> AsyncIterator[None]:
        """Keep a poll of `scope`'s Productive timers running while inside."""
        poller = self.pollers.setdefault(scope, Poller(renew))
        poller.subscribers += 1
        if poller.task is None:
            poller.task = asyncio.create_task(self._run(scope, poller))
        try:
            yield
        finally:
            poller.subscribers -= 1
            if poller.subscribers == 0:
                self.pollers.pop(scope, None)
                if poller.task is not None:
                    poller.task.cancel()
                await self.lease.release(_lease_name(scope), self.owner)

    async def _run(self, scope: str, poller: Poller) -> None:
        name = _lease_name(scope)
        while True:
            if await self.lease.hold(name, self.owner, self.interval * 3):
                await self.poll(poller)
            else:
                poller.running = None  # another replica polls; start afresh if it stops
            await asyncio.sleep(self.interval)  # the poll interval itself, not a wait for a test

    async def poll(self, poller: Poller) -> None:
        ctx = poller.renew()
        if ctx.productive is None:
            return
        try:
            timers = await ctx.productive.running_timers(None)
        except AdapterError as error:
            log.warning("polling Productive timers failed: %s", error.message)
            return
        poller.polls += 1
        now = {str(t.remote_id): t for t in timers}
        before, poller.running = poller.running, now
        if before is None:
            return  # the first look is the baseline
        tenant = ctx.productive.tenant()
        moves = (("STARTED", now.keys() - before.keys()), ("STOPPED", before.keys() - now.keys()))
        for kind, ids in moves:
            for remote in sorted(ids):
                timer = now.get(remote) or before[remote]
                object_id = encode("Timer", Platform.PRODUCTIVE, remote)
                person = str(timer.person_id) if timer.person_id else None
                await self.bus.publish(
                    Change(
                        topic="timer",
                        kind=kind,
                        platform=Platform.PRODUCTIVE.value,
                        object_id=object_id,
                        person_id=encode("Person", Platform.PRODUCTIVE, person) if person else None,
                        tenant=tenant,
                        change_id=once_key("timer", kind, object_id) or "",
                    )
                )


def _lease_name(scope: str) -> str:
    return "poll:" + hashlib.sha256(scope.encode()).hexdigest()[:32]
