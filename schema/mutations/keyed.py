"""`perform`: a mutation's work, run once per idempotency key, with typed user errors.

With an `idempotencyKey` the key is claimed first (schema/idempotency.py):
- FRESH: the work runs; its outcome is stored and the key is DONE;
- DONE: the stored outcome is replayed (objects re-read by ID), nothing is sent;
- BUSY: the same key is at work elsewhere (another request or replica): wait for it;
- TAKEOVER: an earlier attempt's write may have landed: the work runs *reconciling*, each
  write first looking upstream for the earlier attempt's (schema/mutations/attempts.py);
- MISMATCH: the key was used with another input: CONFLICT on `idempotencyKey`.

A lost answer never frees a key: it becomes UNCERTAIN. A failure before any write was sent
frees it, so the client may simply retry.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
import uuid
from collections.abc import Awaitable, Callable, Mapping
from enum import Enum
from typing import Any

import strawberry

from adapters import telemetry
from adapters.errors import AdapterError
from schema.context import Context
from schema.errors import GatewayError, from_adapter
from schema.idempotency import (
    Claim,
    ClaimKind,
    IdempotencyStore,
    KeyRecord,
    KeyState,
    MemoryStore,
    StoreUnavailable,
    fingerprint,
    scoped_key,
)
from schema.mutations.attempts import Attempt, LostWrite
from schema.mutations.common import (
    Outcome,
    Problem,
    Refused,
    UserErrorCode,
    is_user_facing,
    map_rejection,
)
from schema.mutations.published import publishing

log = logging.getLogger("timebridge.mutations")
POLL = 0.05  # seconds between looks at a key another attempt holds
LEASE_MARGIN = 5.0  # a lease outlives its request's deadline by this much


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            k: _plain(v) for k, v in dataclasses.asdict(value).items() if k != "idempotency_key"
        }
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


async def perform(
    info: strawberry.Info[Context, None],
    input_value: Any,
    work: Callable[[], Awaitable[Outcome]],
    fields: Mapping[str, str] | None = None,
) -> Outcome:
    """Run a mutation's work once per idempotency key, mapping upstream 4xx to user errors."""
    ctx = info.context
    work = publishing(ctx, info.field_name, work)
    key = getattr(input_value, "idempotency_key", None)
    if key is None:
        ctx.attempt = Attempt(remaining=ctx.remaining)
        try:
            return await _run(work, fields)
        except LostWrite as lost:
            return _unknown(lost, keyed=False)
    store: IdempotencyStore = ctx.services.setdefault("idempotency", MemoryStore())
    ttl = float(ctx.services.get("idempotency_ttl", 86400.0))
    settle = float(ctx.services.get("write_settle", 10.0))
    print_ = fingerprint([info.field_name, _plain(input_value)])
    scoped = scoped_key(ctx.scope, info.field_name, key)
    owner = uuid.uuid4().hex
    try:
        claim = await _claim(ctx, store, scoped, print_, owner, ttl)
    except StoreUnavailable as error:
        raise _store_down(error) from error
    if claim.kind is ClaimKind.DONE:
        assert claim.record is not None and claim.record.outcome is not None
        telemetry.IDEMPOTENCY_REPLAYS.labels(info.field_name).inc()
        return await _replay(ctx, claim.record.outcome)
    if claim.kind is ClaimKind.MISMATCH:
        return Outcome(
            problems=[
                Problem(
                    UserErrorCode.CONFLICT,
                    "This idempotencyKey was used with a different input",
                    ("input", "idempotencyKey"),
                )
            ]
        )
    earlier = claim.record if claim.kind is ClaimKind.TAKEOVER else None
    attempt = Attempt(
        store,
        scoped,
        owner,
        ttl,
        prior=earlier.intent if earlier else None,
        settle_until=earlier.settle_until if earlier else 0.0,
        remaining=ctx.remaining,
    )
    ctx.attempt = attempt
    try:
        if attempt.reconciling:
            await attempt.settle()  # before any read: an earlier write may still be landing
        outcome = await _run(work, fields)
    except LostWrite as lost:
        until = time.time() + (settle if lost.in_flight else 0.0)
        await _uncertain(store, attempt, until)
        return _unknown(lost, keyed=True)
    except StoreUnavailable as error:
        # Only `attempt.record` talks to the store mid-work, and it fails before its write;
        # an earlier step of the same mutation may have been sent all the same.
        raise _store_down(error, some_sent=attempt.sent) from error
    except BaseException as error:
        if attempt.sent or attempt.reconciling:
            # A cancelled request may have left its write in flight: give it time to land.
            in_flight = isinstance(error, asyncio.CancelledError) and attempt.sent
            await _uncertain(store, attempt, time.time() + (settle if in_flight else 0.0))
        else:
            await _quietly(store.release(scoped, owner))
        raise
    changes = {"state": KeyState.DONE, "outcome": outcome.to_json()}
    await _quietly(store.update(scoped, owner, changes, ttl))
    return outcome


def _store_down(error: StoreUnavailable, some_sent: bool = False) -> GatewayError:
    log.error("idempotency store unavailable: %s", error)
    if some_sent:
        message = (
            "The idempotency store became unreachable mid-request; part of the change was "
            "sent: retry with the same idempotencyKey once the store is back"
        )
    else:
        message = "The idempotency store is unreachable, so nothing was sent; retry later"
    return GatewayError(message, "SERVICE_UNAVAILABLE")


async def _quietly(step: Awaitable[Any]) -> None:
    """A store update after the work: if the store is gone, the lease runs out and a retry
    reconciles, which is still exactly once; the answer itself must not be lost."""
    try:
        await step
    except StoreUnavailable as error:
        log.warning("could not record an idempotency outcome: %s", error)


async def _run(work: Callable[[], Awaitable[Outcome]], fields: Mapping[str, str] | None) -> Outcome:
    try:
        return await work()
    except Refused as refused:
        return Outcome(problems=refused.problems)
    except AdapterError as error:
        if not is_user_facing(error):
            raise from_adapter(error) from error
        return Outcome(problems=map_rejection(error, fields or {}))


async def _uncertain(store: IdempotencyStore, attempt: Attempt, settle_until: float) -> None:
    # Never shorten a window an earlier attempt set: its write may still be landing.
    until = max(settle_until, attempt.settle_until)
    changes = {"state": KeyState.UNCERTAIN, "intent": attempt.intent, "settle_until": until}
    # Shielded: a client that hangs up must not leave the key looking like a live attempt.
    await _quietly(asyncio.shield(store.update(attempt.key, attempt.owner, changes, attempt.ttl)))


def _unknown(lost: LostWrite, keyed: bool) -> Outcome:
    advice = (
        "retry with the same idempotencyKey: the gateway looks upstream before writing again"
        if keyed
        else "check before retrying, or send an idempotencyKey next time"
    )
    return Outcome(
        objects=lost.objects,
        problems=[Problem(UserErrorCode.UNKNOWN_OUTCOME, f"{lost.message}; {advice}")],
    )


async def _claim(
    ctx: Context, store: IdempotencyStore, key: str, print_: str, owner: str, ttl: float
) -> Claim:
    """Claim the key, waiting while another attempt holds a live lease on it."""
    lease = ctx.remaining() + LEASE_MARGIN
    while True:
        claim = await store.claim(key, print_, owner, lease, ttl)
        if claim.kind is not ClaimKind.BUSY:
            return claim
        if not await _wait_for_holder(ctx, store, key):
            raise GatewayError(
                "A request with this idempotencyKey is still in progress; retry shortly",
                "RETRY_LATER",
                retryAfter=1,
            )


async def _wait_for_holder(ctx: Context, store: IdempotencyStore, key: str) -> bool:
    """True once the key is no longer held by a live attempt, False at the deadline."""
    while ctx.remaining() > LEASE_MARGIN / 5:
        record: KeyRecord | None = await store.get(key)
        if record is None or record.state is not KeyState.PENDING:
            return True
        if record.expired_lease(time.time()):
            return True
        await asyncio.sleep(POLL)
    return False


async def _replay(ctx: Context, stored: dict[str, Any]) -> Outcome:
    from schema.nodes import resolve_node

    outcome = Outcome(extra=stored.get("extra", {}))
    for name, ref in stored["refs"].items():
        if isinstance(ref, list):
            nodes = [await resolve_node(ctx, r, "idempotencyKey") for r in ref]
            outcome.objects[name] = [n for n in nodes if n is not None]
        else:
            outcome.objects[name] = await resolve_node(ctx, ref, "idempotencyKey")
    outcome.problems = [
        Problem(UserErrorCode(p["code"]), p["message"], tuple(p["field"]) if p["field"] else None)
        for p in stored["problems"]
    ]
    return outcome
