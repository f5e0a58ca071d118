"""Leases in Redis, so that one replica of many polls a credential set's timers: a lease is a
key holding its owner, set only when absent and renewed only by its owner, expiring on its own
when the owner stops (a replica that dies hands its polls over within a lease's length)."""

from __future__ import annotations

from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError

PREFIX = "timebridge:lease:"
# Take the lease when free, or renew it when ours: one atomic step.
HOLD = """
local holder = redis.call('GET', KEYS[1])
if holder == false or holder == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0
"""
RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


class RedisLease:
    def __init__(self, url: str) -> None:
        self.redis: Redis = Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
        self._hold: Any = self.redis.register_script(HOLD)
        self._release: Any = self.redis.register_script(RELEASE)

    async def hold(self, name: str, owner: str, seconds: float) -> bool:
        try:
            return bool(await self._hold(keys=[PREFIX + name], args=[owner, int(seconds * 1000)]))
        except RedisError:
            return False  # unsure who holds it: better no poll this round than two

    async def release(self, name: str, owner: str) -> None:
        try:
            await self._release(keys=[PREFIX + name], args=[owner])
        except RedisError:
            return  # it expires on its own

    async def close(self) -> None:
        await self.redis.aclose()
