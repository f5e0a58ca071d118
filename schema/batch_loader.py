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
    record came along with an earlier answer resolves at once, with no coroutine per field."""

    def __init__(self, batch: Callable[[list[Any]], Coroutine[Any, Any, list[Any]]]) -> None:
        self.settled: dict[Any, asyncio.Future[Any]] = {}
        super().__init__(batch, cache_map=self.settled)

    def peek(self, key: Any) -> Any:
        """The value for `key` if it is already known, else MISSING."""
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
