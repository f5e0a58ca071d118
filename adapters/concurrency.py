"""Concurrent upstream calls that never outlive the request that made them.

`asyncio.gather` lets the other calls run on when one fails, so a request could answer while
its siblings still talk to an upstream. `gather` here cancels and awaits them first.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any


async def gather(*calls: Awaitable[Any]) -> list[Any]:
    """Results in order; on the first failure the others are cancelled before it propagates."""
    tasks = [asyncio.ensure_future(call) for call in calls]
    try:
        return list(await asyncio.gather(*tasks))
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise
