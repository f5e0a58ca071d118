"""The idempotency store in Redis, shared by gateway replicas (TIMEBRIDGE_IDEMPOTENCY_STORE).

Each key is a hash holding a KeyRecord. Claims and owner-checked updates run as optimistic
transactions (WATCH/MULTI): the claim rule itself is `schema.idempotency.decide_claim`, the
same function the memory store applies, so both stores cannot drift apart.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any, TypeVar, cast

from redis.asyncio import Redis
from redis.exceptions import RedisError, WatchError

from schema.idempotency import Claim, KeyRecord, StoreUnavailable, decide_claim

PREFIX = "timebridge:idempotency:"
T = TypeVar("T")


class RedisStore:
    """Key records as Redis hashes that expire with the idempotency window."""

    def __init__(self, url: str, prefix: str = PREFIX) -> None:
        self.redis: Redis = Redis.from_url(
            url, decode_responses=True, socket_connect_timeout=2, socket_timeout=5
        )
        self.prefix = prefix

    async def _transaction(
        self, key: str, step: Callable[[Any, KeyRecord | None], Awaitable[T]]
    ) -> T:
        name = self.prefix + key
        # Typed loosely: redis-py leaves multi() and unwatch() unannotated.
        pipeline: Any = self.redis.pipeline()
        try:
            async with pipeline as pipe:
                while True:
                    try:
                        await pipe.watch(name)
                        raw = await pipe.hgetall(name)
                        fields = cast(dict[str, str], raw)
                        return await step(pipe, KeyRecord.from_fields(fields) if raw else None)
                    except WatchError:
                        continue  # another replica changed the key meanwhile: decide again
        except RedisError as error:
            raise StoreUnavailable(f"the idempotency store did not answer: {error}") from error

    async def _write(self, pipe: Any, key: str, record: KeyRecord, ttl: float) -> None:
        name = self.prefix + key
        pipe.multi()
        pipe.delete(name)
        pipe.hset(name, mapping=cast(Any, record.to_fields()))
        pipe.pexpire(name, int(ttl * 1000))
        await pipe.execute()

    async def claim(
        self, key: str, fingerprint: str, owner: str, lease: float, ttl: float
    ) -> Claim:
        async def step(pipe: Any, existing: KeyRecord | None) -> Claim:
            claim, write = decide_claim(existing, fingerprint, owner, time.time(), lease)
            if write is None:
                await pipe.unwatch()
            else:
                await self._write(pipe, key, write, ttl)
            return claim

        return await self._transaction(key, step)

    async def get(self, key: str) -> KeyRecord | None:
        try:
            raw = cast(dict[str, str], await self.redis.hgetall(self.prefix + key))
        except RedisError as error:
            raise StoreUnavailable(f"the idempotency store did not answer: {error}") from error
        return KeyRecord.from_fields(raw) if raw else None

    async def update(self, key: str, owner: str, changes: dict[str, Any], ttl: float) -> bool:
        async def step(pipe: Any, existing: KeyRecord | None) -> bool:
            if existing is None or existing.owner != owner:
                await pipe.unwatch()
                return False
            await self._write(pipe, key, replace(existing, **changes), ttl)
            return True

        return await self._transaction(key, step)

    async def release(self, key: str, owner: str) -> None:
        async def step(pipe: Any, existing: KeyRecord | None) -> None:
            if existing is None or existing.owner != owner:
                await pipe.unwatch()
                return
            pipe.multi()
            pipe.delete(self.prefix + key)
            await pipe.execute()

        await self._transaction(key, step)

    async def ping(self) -> None:
        await self.redis.ping()

    async def close(self) -> None:
        await self.redis.aclose()
