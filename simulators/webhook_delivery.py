"""Sending webhook deliveries, for both simulators: after the answer that caused them, with
the configured faults (a delay, a delivery sent twice, one dropped)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

import httpx

from simulators.faults import WebhookFaults

log = logging.getLogger("simulators.webhooks")


def send_later(
    faults: WebhookFaults,
    deliveries: set[asyncio.Task[None]],
    url: str,
    raw: bytes,
    headers: Callable[[], dict[str, str]],
) -> None:
    """Schedule one delivery of `raw` to `url`; `headers` are made when it goes out (a
    signature's timestamp is the sending time)."""
    if faults.rng.random() < faults.drop_rate:
        return
    times = 2 if faults.rng.random() < faults.duplicate_rate else 1
    task = asyncio.get_running_loop().create_task(_deliver(faults, url, raw, headers, times))
    deliveries.add(task)
    task.add_done_callback(deliveries.discard)


async def _deliver(
    faults: WebhookFaults,
    url: str,
    raw: bytes,
    headers: Callable[[], dict[str, str]],
    times: int,
) -> None:
    if faults.delay:
        await asyncio.sleep(faults.delay)  # the configured delivery delay
    async with httpx.AsyncClient(timeout=10) as client:
        for _ in range(times):
            try:
                await client.post(url, content=raw, headers=headers())
            except httpx.HTTPError as error:
                log.info("a webhook delivery to %s failed: %s", url, error)
