"""Once: a read made at most once per adapter, that is, per GraphQL request."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

T = TypeVar("T")


class Once:
    """An awaitable computed at most once per adapter (that is, per GraphQL request)."""

    def __init__(self, make: Callable[[], Awaitable[T]]) -> None:
        self._make = make
        self._task: asyncio.Task[Any] | None = None

    async def get(self) -> Any:
        if self._task is None:
            self._task = asyncio.ensure_future(self._make())
        return await self._task
