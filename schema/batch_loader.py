"""A DataLoader that also tells what it already holds, and the helper that makes one from a
batch function returning results in key order."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from typing import Any, TypeVar

from aiodataloader import DataLoader

K = TypeVar("K")
V = TypeVar("V")

MISSING: Any = object()


class BatchLoader(DataLoader):  # type: ignore[type-arg]
    """A DataLoader whose settled values can be read without awaiting (`peek`): a field whose
    record came along with an earlier answer resolves at once, with no coroutine per field.

    A primed value is kept as it is until something loads it: a week's page primes a few
    hundred records, most of which are only peeked at or never asked for, and aiodataloader
    makes a settled future for each."""

    def __init__(self, batch: Callable[[list[Any]], Coroutine[Any, Any, list[Any]]]) -> None:
        self.settled: dict[Any, asyncio.Future[Any]] = {}
        self.primed: dict[Any, Any] = {}
        super().__init__(batch, cache_map=self.settled)

    def prime(self, key: Any, value: Any) -> BatchLoader:
        """As DataLoader's: a key already known keeps its value; an error is cached as one."""
        if isinstance(value, Exception):
            return super().prime(key, value)
        if key not in self.settled:
            self.primed.setdefault(key, value)
        return self

    def load(self, key: Any) -> asyncio.Future[Any]:
        primed = self.primed.pop(key, MISSING) if self.primed and key is not None else MISSING
        if primed is not MISSING and key not in self.settled:
            future = self.loop.create_future()
            future.set_result(primed)
            self.settled[key] = future
        return super().load(key)

    def clear(self, key: Any) -> BatchLoader:
        self.primed.pop(key, None)
        return super().clear(key)

    def clear_all(self) -> BatchLoader:
        self.primed.clear()
        return super().clear_all()

    def peek(self, key: Any) -> Any:
        """The value for `key` if it is already known, else MISSING."""
        primed = self.primed.get(key, MISSING)
        if primed is not MISSING:
            return primed
        future = self.settled.get(key)
        if future is None or not future.done() or future.cancelled():
            return MISSING
        if future.exception() is not None:
            return MISSING
        return future.result()


def loader(fn: Callable[[list[K]], Awaitable[Sequence[V]]]) -> BatchLoader:
    async def batch(keys: list[K]) -> list[V]:
        return list(await fn(keys))

    return BatchLoader(batch)
