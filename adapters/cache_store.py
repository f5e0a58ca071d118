"""Where cached upstream answers live: this process's memory, or Redis for replicas to share.

A store keeps three things, all by opaque key: entries (one upstream answer each), generation
counters (a write bumps the counters of what it changed; an entry stored under an older
generation is dead) and small revalidation marks (when a delta last found nothing changed).
It never sees a secret: entry keys are digests, and the caller builds every key.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from typing import Protocol

from redis.asyncio import Redis
from redis.exceptions import RedisError

PREFIX = "timebridge:cache:"
log = logging.getLogger("timebridge.cache")


class CacheStore(Protocol):
    async def load(self, entry: str, generation: str) -> tuple[bytes | None, int]:
        """The entry (None if absent or expired) and the generation it must match, at once."""

    async def generation(self, key: str) -> int:
        """The current generation of one thing a write can change (0 before any write)."""

    async def save(self, entry: str, value: bytes, ttl: float) -> None: ...

    async def bump(self, generations: list[str]) -> None:
        """Kill every entry stored under the current generation of each key."""

    async def mark(self, key: str) -> bytes | None: ...

    async def set_mark(self, key: str, value: bytes, ttl: float) -> None: ...

    async def close(self) -> None: ...


class MemoryCacheStore:
    """Least-recently-used entries, bounded so a busy gateway's memory stays flat."""

    def __init__(self, max_entries: int = 10_000) -> None:
        self.max_entries = max_entries
        self.entries: OrderedDict[str, tuple[float, bytes]] = OrderedDict()
        self.generations: dict[str, int] = {}
        self.marks: dict[str, tuple[float, bytes]] = {}

    async def load(self, entry: str, generation: str) -> tuple[bytes | None, int]:
        found = self.entries.get(entry)
        if found is not None and found[0] <= time.monotonic():
            del self.entries[entry]
            found = None
        if found is not None:
            self.entries.move_to_end(entry)
        return (found[1] if found else None), self.generations.get(generation, 0)

    async def generation(self, key: str) -> int:
        return self.generations.get(key, 0)

    async def save(self, entry: str, value: bytes, ttl: float) -> None:
        self.entries[entry] = (time.monotonic() + ttl, value)
        self.entries.move_to_end(entry)
        while len(self.entries) > self.max_entries:
            self.entries.popitem(last=False)

    async def bump(self, generations: list[str]) -> None:
        for key in generations:
            self.generations[key] = self.generations.get(key, 0) + 1

    async def mark(self, key: str) -> bytes | None:
        found = self.marks.get(key)
        if found is None or found[0] <= time.monotonic():
            return None
        return found[1]

    async def set_mark(self, key: str, value: bytes, ttl: float) -> None:
        self.marks[key] = (time.monotonic() + ttl, value)

    async def close(self) -> None:
        return None


class RedisCacheStore:
    """The same in Redis: entries expire by themselves, a bump is one INCR per key. Redis
    failing is a cache miss, never a failed read (the upstream still answers)."""

    def __init__(self, url: str, prefix: str = PREFIX) -> None:
        self.redis: Redis = Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
        self.prefix = prefix

    async def load(self, entry: str, generation: str) -> tuple[bytes | None, int]:
        try:
            value, counter = await self.redis.mget(self.prefix + entry, self.prefix + generation)
        except RedisError:
            return None, -1  # no generation matches -1: nothing is served, nothing stored
        return (value if isinstance(value, bytes) else None), int(counter or 0)

    async def generation(self, key: str) -> int:
        try:
            return int(await self.redis.get(self.prefix + key) or 0)
        except RedisError:
            return -1

    async def save(self, entry: str, value: bytes, ttl: float) -> None:
        try:
            await self.redis.set(self.prefix + entry, value, px=max(1, int(ttl * 1000)))
        except RedisError:
            return

    async def bump(self, generations: list[str]) -> None:
        try:
            async with self.redis.pipeline(transaction=False) as pipe:
                for key in generations:
                    pipe.incr(self.prefix + key)
                await pipe.execute()
        except RedisError as error:
            # The write itself landed; failing it now would invite a retry that doubles it.
            # Entries it should have killed live on for their TTL at most, and a Redis that
            # cannot take an INCR is not serving them either (load() misses on errors).
            log.error("the read cache could not record a write (%s): %s", generations, error)

    async def mark(self, key: str) -> bytes | None:
        try:
            value = await self.redis.get(self.prefix + key)
        except RedisError:
            return None
        return value if isinstance(value, bytes) else None

    async def set_mark(self, key: str, value: bytes, ttl: float) -> None:
        try:
            await self.redis.set(self.prefix + key, value, px=max(1, int(ttl * 1000)))
        except RedisError:
            return

    async def close(self) -> None:
        await self.redis.aclose()


def cache_store(url: str) -> CacheStore | None:
    """`off`, `memory` or a redis:// URL (TIMEBRIDGE_READ_CACHE)."""
    if url == "off":
        return None
    if url.startswith(("redis://", "rediss://")):
        return RedisCacheStore(url)
    return MemoryCacheStore()
