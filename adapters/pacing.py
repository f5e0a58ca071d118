"""Pacing upstream calls inside the documented rate limits, per credential set, with the
`limits` library's moving windows (in memory, or in Redis so that replicas share one budget).

Productive allows 100 requests per 10 s and 4,000 per 30 min per token; Clockify 50 per
second (FACTS.md). A call waits for room in every window instead of collecting 429s. Reads
leave the last tenth of each window to writes, so a person's stop or approve is not queued
behind a page of reads. A call that could not start before its request's deadline fails at
once with RATE_LIMITED and the seconds after which to retry.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import time
from dataclasses import dataclass
from typing import Any

from limits import RateLimitItem, parse_many
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter

from adapters import telemetry
from adapters.errors import RateLimited

DOCUMENTED = {"productive": "100/10 seconds;4000/30 minutes", "clockify": "50/1 second"}
WRITE_RESERVE = 0.1  # the share of each window that only writes may use
POLL = 0.05  # the shortest wait for room
ARRIVAL_JITTER = 0.1  # seconds between a call counted here and its arrival upstream, at most


@dataclass(frozen=True, slots=True)
class Budget:
    platform: str
    windows: tuple[RateLimitItem, ...]  # the documented windows less their headroom
    configured: tuple[RateLimitItem, ...]  # as configured, for the operator's eyes


class Pacer:
    """One per gateway process; the storage decides whether replicas share the budget."""

    def __init__(
        self, limits: dict[str, str], storage_url: str = "memory", connections: int = 20
    ) -> None:
        self.budgets = {
            platform: Budget(
                platform,
                tuple(_headroom(w) for w in parse_many(text)),
                tuple(parse_many(text)),
            )
            for platform, text in limits.items()
            if text and text != "off"
        }
        storage: Storage
        if storage_url.startswith(("redis://", "rediss://")):
            storage = RedisStorage(
                storage_url, implementation="redispy", key_prefix="timebridge:budget"
            )
        else:
            storage = MemoryStorage()
        self.limiter = MovingWindowRateLimiter(storage)
        self.seen: set[tuple[str, str]] = set()  # (platform, credential digest) paced here
        # Reads hold a slot, one per pooled connection, from asking the budget until their
        # answer; writes take none, so they never wait behind reads for one.
        self.slots = {p: asyncio.Semaphore(max(1, connections)) for p in self.budgets}

    def slot(self, platform: str, write: bool) -> contextlib.AbstractAsyncContextManager[Any]:
        semaphore = self.slots.get(platform)
        if write or semaphore is None:
            return contextlib.nullcontext()
        return semaphore

    async def usage(self) -> list[tuple[str, str, str, float]]:
        """(platform, credential digest, window, share used) for every credential set this
        process paced: what the operator report logs and the budget gauge shows."""
        rows = []
        for platform, credential in sorted(self.seen):
            budget = self.budgets[platform]
            for window, shown in zip(budget.windows, budget.configured, strict=True):
                stats = await self.limiter.get_window_stats(window, platform, credential)
                used = 1 - stats.remaining / window.amount
                rows.append((platform, credential, _describe(shown), used))
                telemetry.BUDGET_USED.labels(platform, _describe(shown)).set(used)
        return rows

    async def acquire(self, platform: str, credential: str, write: bool, remaining: float) -> None:
        """Wait until every window of the platform has room for this call, or raise
        RATE_LIMITED when that would be after `remaining` seconds."""
        budget = self.budgets.get(platform)
        if budget is None:
            return
        self.seen.add((platform, credential))
        started = time.monotonic()
        waited = False
        while True:
            wait = await self._take(budget, credential, write)
            if wait <= 0:
                break
            elapsed = time.monotonic() - started
            if elapsed + wait > remaining:
                telemetry.PACING_REFUSALS.labels(platform).inc()
                raise RateLimited(
                    platform,
                    f"{platform.capitalize()}'s rate limit leaves no room before the deadline",
                    None,
                    round(wait, 1),
                )
            waited = True
            await asyncio.sleep(min(wait, 1.0))
        if waited:
            telemetry.PACING_WAITS.labels(platform).inc(time.monotonic() - started)

    async def _take(self, budget: Budget, credential: str, write: bool) -> float:
        """Take room in every window (0), or say how many seconds until there is some. A
        read first tests that the writes' reserve would stay free. Hitting one window after
        another can spend a slot of an earlier one when a later one is full: that errs on the
        side of fewer calls, never more."""
        ids = (budget.platform, credential)
        if not write:
            for window in budget.windows:
                reserve = int(window.amount * WRITE_RESERVE)
                if not await self.limiter.test(window, *ids, cost=reserve + 1):
                    return await self._until_room(window, ids)
        for window in budget.windows:
            if not await self.limiter.hit(window, *ids):
                return await self._until_room(window, ids)
        return 0.0

    async def _until_room(self, window: RateLimitItem, ids: tuple[str, str]) -> float:
        stats = await self.limiter.get_window_stats(window, *ids)
        return max(POLL, stats.reset_time - time.time())


def _headroom(window: RateLimitItem) -> RateLimitItem:
    """The limit less what may arrive late: upstream counts a call when it arrives, up to
    ARRIVAL_JITTER after it was counted here, so calls counted just before a window here can
    land inside upstream's. That is the rate times the jitter, and at least one call: 5 of
    Clockify's 50 a second (1 s windows are where it shows: a 50-person read once drew a 429
    with one call of headroom), 1 of Productive's 100 per 10 s and 4,000 per 30 min."""
    late = math.ceil(window.amount * ARRIVAL_JITTER / window.get_expiry())
    amount = max(1, window.amount - max(1, late))
    return type(window)(amount, window.multiples, window.namespace)


def _describe(window: RateLimitItem) -> str:
    """`100/10 seconds`, as configured."""
    unit = window.GRANULARITY.name + ("s" if window.multiples != 1 else "")
    return f"{window.amount}/{window.multiples} {unit}"
