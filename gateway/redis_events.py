"""The event bus across replicas (TIMEBRIDGE_EVENTS=redis://…): a change published on any
replica goes out on one Redis channel, and every replica's listener hands it to its own
subscribers. A change carries ids and a tenant digest only, never data or secrets."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

import orjson
from redis.asyncio import Redis
from redis.exceptions import RedisError

from schema.events import Change, MemoryBus

CHANNEL = "timebridge:events"
log = logging.getLogger("timebridge.events")


class RedisBus:
    """Publishes to Redis; a listener task delivers what arrives to local subscribers."""

    def __init__(self, url: str, channel: str = CHANNEL) -> None:
        self.redis: Redis = Redis.from_url(url, socket_connect_timeout=2)
        self.channel = channel
        self.local = MemoryBus()
        self.listener: asyncio.Task[None] | None = None
        self.listening = asyncio.Event()

    @property
    def subscribers(self) -> int:
        return self.local.subscribers

    async def start(self) -> None:
        self.listener = asyncio.create_task(self._listen())
        await asyncio.wait_for(self.listening.wait(), 5)

    async def _listen(self) -> None:
        while True:
            try:
                async with self.redis.pubsub() as pubsub:
                    await pubsub.subscribe(self.channel)
                    self.listening.set()
                    async for message in pubsub.listen():
                        if message.get("type") == "message":
                            self._deliver(message["data"])
            except RedisError as error:
                log.error("the event bus lost Redis (%s); reconnecting", error)
                await asyncio.sleep(1.0)  # back off before reconnecting, not to wait for a test

    def _deliver(self, data: bytes) -> None:
        try:
            change = Change.from_json(orjson.loads(data))
        except (ValueError, KeyError, TypeError):
            log.warning("an event on %s was not a change; ignored", self.channel)
            return
        self.local.deliver(change)

    async def publish(self, change: Change) -> None:
        try:
            await self.redis.publish(self.channel, orjson.dumps(change.to_json()))
        except RedisError as error:
            # The write itself happened; this replica's subscribers still hear of it.
            log.error("a change could not reach the other replicas: %s", error)
            self.local.deliver(change)

    @contextlib.asynccontextmanager
    async def subscribe(self) -> AsyncIterator[asyncio.Queue[Change]]:
        async with self.local.subscribe() as queue:
            yield queue

    async def close(self) -> None:
        if self.listener is not None:
            self.listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.listener
        await self.redis.aclose()
