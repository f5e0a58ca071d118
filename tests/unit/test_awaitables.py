"""The type-kept awaitable check (schema/awaitables.py) answers as graphql-core's would."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any

from schema.awaitables import is_awaitable


class Plain:
    """A record-like object: never awaitable."""


class Awaitable:
    def __await__(self) -> Any:
        return iter(())


class Sometimes:
    """Answers `__await__` through `__getattr__` for some instances only, as graphql-core's
    hasattr sees it: its type alone does not tell."""

    def __init__(self, ready: bool) -> None:
        self.ready = ready

    def __getattr__(self, name: str) -> Any:
        if name == "__await__" and self.ready:
            return lambda: iter(())
        raise AttributeError(name)


async def _coroutine() -> int:
    return 1


def test_each_kind_is_answered_the_same_the_first_time_and_after() -> None:
    for _ in range(2):  # the second round is answered from the kept types
        assert not is_awaitable(Plain())
        assert not is_awaitable(date(2026, 12, 7))
        assert not is_awaitable(None) and not is_awaitable("x") and not is_awaitable({})
        assert is_awaitable(Awaitable())
        assert not is_awaitable(Sometimes(ready=False))
        assert is_awaitable(Sometimes(ready=True))
        coroutine = _coroutine()
        assert is_awaitable(coroutine)
        coroutine.close()


async def test_futures_are_awaitable() -> None:
    future = asyncio.get_running_loop().create_future()
    assert is_awaitable(future) and is_awaitable(future)
    future.cancel()
