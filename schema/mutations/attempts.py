"""One attempt at a mutation, and `once`: the rule every upstream write goes through.

    once(step, intent, look, send)
      1. an earlier attempt with this key sent this step and its outcome is unknown:
         `look` upstream for it (perform has waited until it can no longer be in flight);
         found → its result, and nothing is sent again;
      2. the intent (what is about to be sent, and when) is stored with the key first;
      3. the write is sent once (writes are never retried blindly);
      4. its answer is lost → `look` at once; found → its result; not found → LostWrite,
         and the key stays UNCERTAIN so that a retry with it reconciles (step 1).

Without a key the same happens minus the store: a lost answer that `look` cannot confirm is
answered UNKNOWN_OUTCOME with what the gateway found.

A mutation whose checks before writing read the very state its write changes (is the entry
still there, still pending?) asks `attempt.landed(step, look)` first: after a landed write
those checks would refuse what in fact succeeded.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from adapters.errors import AdapterError, UnknownOutcome
from schema.errors import GatewayError
from schema.idempotency import IdempotencyStore

T = TypeVar("T")
Intent = dict[str, Any]
SETTLE_MARGIN = 1.0  # seconds kept back from the deadline to answer after waiting


class LostWrite(Exception):
    """A write was sent, its answer lost, and upstream shows no sign of it (yet)."""

    def __init__(self, step: str, message: str, in_flight: bool) -> None:
        super().__init__(message)
        self.step = step
        self.message = message
        self.in_flight = in_flight
        self.objects: dict[str, Any] = {}  # what the mutation can still report


class Attempt:
    """What one mutation request knows of its key: earlier intents, and what it sends."""

    def __init__(
        self,
        store: IdempotencyStore | None = None,
        key: str = "",
        owner: str = "",
        ttl: float = 0.0,
        prior: Intent | None = None,
        settle_until: float = 0.0,
        remaining: Callable[[], float] = lambda: 30.0,
    ) -> None:
        self.store = store
        self.key = key
        self.owner = owner
        self.ttl = ttl
        self.prior: Intent = dict(prior or {})
        self.intent: Intent = dict(prior or {})
        self.settle_until = settle_until
        self.remaining = remaining
        self.sent = False
        self.reconciling = bool(prior)  # an earlier attempt's writes may have landed

    async def record(self, step: str, intent: Intent) -> None:
        """Store what is about to be sent before sending it: a retry looks for exactly this."""
        self.intent[step] = intent
        if self.store is not None:
            held = await self.store.update(self.key, self.owner, {"intent": self.intent}, self.ttl)
            if not held:
                # Our lease ran out and another attempt took the key: it decides, not us.
                raise GatewayError(
                    "Another request took over this idempotencyKey; retry to get its result",
                    "RETRY_LATER",
                    retryAfter=1,
                )
        self.sent = True

    async def landed(self, step: str, look: Callable[[Intent], Awaitable[T | None]]) -> T | None:
        """What an earlier attempt's write of this step left upstream, or None (then `once`
        does not look again)."""
        prior = self.prior.pop(step, None)
        return None if prior is None else await look(prior)

    def earlier(self, step: str) -> Intent | None:
        """The intent an earlier attempt recorded for this step, if any."""
        found: Intent | None = self.prior.get(step)
        return found

    async def settle(self) -> None:
        """Wait until an earlier attempt's write can no longer be in flight upstream."""
        wait = self.settle_until - time.time()
        if wait <= 0:
            return
        if wait > self.remaining() - SETTLE_MARGIN:
            raise GatewayError(
                "An earlier attempt with this idempotencyKey may still land upstream; "
                f"retry in {wait:.0f} s",
                "RETRY_LATER",
                retryAfter=round(wait + 0.5),
            )
        await asyncio.sleep(wait)


async def once(
    attempt: Attempt,
    step: str,
    intent: Intent,
    look: Callable[[Intent], Awaitable[T | None]],
    send: Callable[[Intent], Awaitable[T]],
) -> T:
    """Send one write at most once per key; see the module docstring for the rule."""
    prior = attempt.prior.pop(step, None)
    if prior is not None:
        found = await look(prior)
        if found is not None:
            return found
    stamped = {**intent, "at": time.time()}
    await attempt.record(step, stamped)
    try:
        return await send(stamped)
    except UnknownOutcome as lost:
        try:
            found = await look(stamped)
        except AdapterError:
            found = None  # the look failed too: still unknown
        if found is not None:
            return found
        raise LostWrite(
            step,
            "The write was sent but its answer was lost, and upstream shows no sign of it: "
            "it most likely did not land",
            lost.in_flight,
        ) from lost
