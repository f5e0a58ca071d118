"""The idempotency store in Redis, shared by gateway replicas (TIMEBRIDGE_IDEMPOTENCY_STORE)."""

from __future__ import annotations

import json
from typing import Any

from redis.asyncio import Redis

from schema.idempotency import Stored

PREFIX = "timebridge:idempotency:"


class RedisStore:
    """SET NX reserves a key; the value is JSON {fingerprint, outcome}; keys expire by TTL."""

    def __init__(self, url: str, prefix: str = PREFIX) -> None:
        self.redis: Redis = Redis.from_url(url, decode_responses=True)
        self.prefix = prefix

    async def reserve(self, key: str, fingerprint: str, ttl: float) -> Stored | None:
        value = json.dumps({"fingerprint": fingerprint, "outcome": None})
        if await self.redis.set(self.prefix + key, value, nx=True, px=int(ttl * 1000)):
            return None
        return await self.get(key)

    async def get(self, key: str) -> Stored | None:
        raw = await self.redis.get(self.prefix + key)
        if raw is None:
            return None
        data = json.loads(raw)
        return Stored(data["fingerprint"], data["outcome"])

    async def finish(self, key: str, fingerprint: str, outcome: dict[str, Any], ttl: float) -> None:
        value = json.dumps({"fingerprint": fingerprint, "outcome": outcome})
        await self.redis.set(self.prefix + key, value, px=int(ttl * 1000))

    async def release(self, key: str) -> None:
        await self.redis.delete(self.prefix + key)

    async def close(self) -> None:
        await self.redis.aclose()
