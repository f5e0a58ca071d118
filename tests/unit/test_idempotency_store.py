"""The key state machine, the same on both stores: fresh, busy, taken over once uncertain or
once a dead attempt's lease ran out, done, mismatched; updates only by the key's owner."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest

from gateway.redis_store import RedisStore
from schema.idempotency import ClaimKind, IdempotencyStore, KeyState, MemoryStore
from tests.mutations.conftest import REDIS_URL, require_redis


@pytest.fixture(params=["memory", "redis"])
async def store(request: pytest.FixtureRequest) -> AsyncIterator[IdempotencyStore]:
    if request.param == "memory":
        yield MemoryStore()
        return
    require_redis()
    redis_store = RedisStore(REDIS_URL, prefix=f"test:{uuid.uuid4().hex}:")
    yield redis_store
    await redis_store.close()


async def test_claims_follow_the_key_state(store: IdempotencyStore) -> None:
    assert (await store.claim("k", "print", "a", lease=30, ttl=60)).kind is ClaimKind.FRESH
    assert (await store.claim("k", "print", "b", lease=30, ttl=60)).kind is ClaimKind.BUSY
    assert (await store.claim("k", "other", "b", lease=30, ttl=60)).kind is ClaimKind.MISMATCH
    assert not await store.update("k", "b", {"state": KeyState.DONE}, ttl=60)  # not b's
    intent = {"create": {"at": 1.0, "body": {"start": "2026-11-19T08:00:00Z"}}}
    changes = {"state": KeyState.UNCERTAIN, "intent": intent, "settle_until": 5.0}
    assert await store.update("k", "a", changes, ttl=60)
    taken = await store.claim("k", "print", "b", lease=30, ttl=60)
    assert taken.kind is ClaimKind.TAKEOVER and taken.record is not None
    assert (taken.record.intent, taken.record.settle_until) == (intent, 5.0)
    assert (await store.claim("k", "print", "c", lease=30, ttl=60)).kind is ClaimKind.BUSY
    outcome = {"refs": {}, "problems": [], "extra": {}}
    assert await store.update("k", "b", {"state": KeyState.DONE, "outcome": outcome}, ttl=60)
    done = await store.claim("k", "print", "c", lease=30, ttl=60)
    assert done.kind is ClaimKind.DONE and done.record is not None
    assert done.record.outcome == outcome


async def test_a_dead_attempts_lease_runs_out_and_the_key_is_taken_over(
    store: IdempotencyStore,
) -> None:
    # A lease already over when taken stands for a gateway that died mid-attempt.
    assert (await store.claim("k", "print", "a", lease=-1, ttl=60)).kind is ClaimKind.FRESH
    record = await store.get("k")
    assert record is not None and record.state is KeyState.PENDING
    assert (await store.claim("k", "print", "b", lease=30, ttl=60)).kind is ClaimKind.TAKEOVER
    assert not await store.update("k", "a", {"state": KeyState.DONE}, ttl=60)  # a lost it


async def test_release_frees_the_key_only_for_its_owner(store: IdempotencyStore) -> None:
    await store.claim("k", "print", "a", lease=30, ttl=60)
    await store.release("k", "b")
    assert await store.get("k") is not None
    await store.release("k", "a")
    assert await store.get("k") is None
