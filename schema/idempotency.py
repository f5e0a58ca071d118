"""Idempotency keys: one upstream change per key, even when an answer is lost.

A key moves through three states, atomically in every store:

    claim ──▶ PENDING (an attempt holds a lease) ──▶ DONE (outcome stored, replayed on retry)
                 │  ▲
      lost answer│  │ a retry (or a waiter) takes it over and reconciles
                 ▼  │
              UNCERTAIN (the write may have landed: never freed, never resent blindly)

A PENDING key whose lease ran out (the gateway died mid-attempt) counts as UNCERTAIN. Each
record keeps the input's fingerprint and the *intent* of every write the attempts sent (what
was sent, and when), so a retry on any replica can look upstream for the first attempt's write
before it writes again. Records never hold upstream data or credentials.

The store is an interface: in memory by default (one gateway process), Redis when replicas must
share it (gateway/redis_store.py).
"""

from __future__ import annotations

import enum
import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, Protocol


class StoreUnavailable(Exception):
    """The shared store did not answer: nothing was sent upstream for this key."""


class KeyState(enum.StrEnum):
    PENDING = "pending"
    UNCERTAIN = "uncertain"
    DONE = "done"


@dataclass(frozen=True, slots=True)
class KeyRecord:
    """What a key holds."""

    fingerprint: str
    state: KeyState
    owner: str = ""
    lease_until: float = 0.0
    settle_until: float = 0.0
    intent: dict[str, Any] = field(default_factory=dict)
    outcome: dict[str, Any] | None = None

    def expired_lease(self, now: float) -> bool:
        return self.state is KeyState.PENDING and self.lease_until < now

    def to_fields(self) -> dict[str, str]:
        return {
            "fingerprint": self.fingerprint,
            "state": self.state.value,
            "owner": self.owner,
            "lease_until": repr(self.lease_until),
            "settle_until": repr(self.settle_until),
            "intent": json.dumps(self.intent),
            "outcome": json.dumps(self.outcome),
        }

    @classmethod
    def from_fields(cls, raw: dict[str, str]) -> KeyRecord:
        return cls(
            fingerprint=raw["fingerprint"],
            state=KeyState(raw["state"]),
            owner=raw.get("owner", ""),
            lease_until=float(raw.get("lease_until") or 0),
            settle_until=float(raw.get("settle_until") or 0),
            intent=json.loads(raw.get("intent") or "{}"),
            outcome=json.loads(raw.get("outcome") or "null"),
        )


class ClaimKind(enum.Enum):
    FRESH = "fresh"  # nobody had the key: this attempt owns it
    TAKEOVER = "takeover"  # an earlier attempt's outcome is unknown: this one owns it, reconciles
    BUSY = "busy"  # another attempt holds a live lease
    DONE = "done"  # finished: replay the outcome
    MISMATCH = "mismatch"  # the key was used with another input


@dataclass(frozen=True, slots=True)
class Claim:
    kind: ClaimKind
    record: KeyRecord | None = None


class IdempotencyStore(Protocol):
    """Atomic claims and owner-checked updates of key records."""

    async def claim(
        self, key: str, fingerprint: str, owner: str, lease: float, ttl: float
    ) -> Claim:
        """Take the key for `owner` when it is free or uncertain; else say who has it."""
        ...

    async def get(self, key: str) -> KeyRecord | None: ...

    async def update(self, key: str, owner: str, changes: dict[str, Any], ttl: float) -> bool:
        """Apply changes (KeyRecord field names) only while `owner` holds the key."""
        ...

    async def release(self, key: str, owner: str) -> None:
        """Forget the key, only while `owner` holds it (nothing was sent)."""
        ...

    async def ping(self) -> None:
        """Raise when the store cannot be reached (readiness)."""
        ...


def decide_claim(
    existing: KeyRecord | None, fingerprint: str, owner: str, now: float, lease: float
) -> tuple[Claim, KeyRecord | None]:
    """The claim rule every store applies atomically: the claim, and the record to write."""
    if existing is None:
        fresh = KeyRecord(fingerprint, KeyState.PENDING, owner, now + lease)
        return Claim(ClaimKind.FRESH), fresh
    if existing.fingerprint != fingerprint:
        return Claim(ClaimKind.MISMATCH, existing), None
    if existing.state is KeyState.DONE:
        return Claim(ClaimKind.DONE, existing), None
    if existing.state is KeyState.UNCERTAIN or existing.expired_lease(now):
        taken = replace(existing, state=KeyState.PENDING, owner=owner, lease_until=now + lease)
        return Claim(ClaimKind.TAKEOVER, existing), taken
    return Claim(ClaimKind.BUSY, existing), None


class MemoryStore:
    """The default store: a dict with expiry, for a single gateway process."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self.clock = clock
        self._items: dict[str, tuple[float, KeyRecord]] = {}

    def _live(self, key: str) -> KeyRecord | None:
        item = self._items.get(key)
        if item is None:
            return None
        expires, record = item
        if expires <= self.clock():
            del self._items[key]
            return None
        return record

    async def claim(
        self, key: str, fingerprint: str, owner: str, lease: float, ttl: float
    ) -> Claim:
        now = self.clock()
        claim, write = decide_claim(self._live(key), fingerprint, owner, now, lease)
        if write is not None:
            self._items[key] = (now + ttl, write)
        return claim

    async def get(self, key: str) -> KeyRecord | None:
        return self._live(key)

    async def update(self, key: str, owner: str, changes: dict[str, Any], ttl: float) -> bool:
        record = self._live(key)
        if record is None or record.owner != owner:
            return False
        self._items[key] = (self.clock() + ttl, replace(record, **changes))
        return True

    async def release(self, key: str, owner: str) -> None:
        record = self._live(key)
        if record is not None and record.owner == owner:
            del self._items[key]

    async def ping(self) -> None:
        return None


def scoped_key(scope: str, mutation: str, key: str) -> str:
    """Keys are scoped to the caller's credentials: one user's key never finds another's."""
    return hashlib.sha256(f"{scope}\x00{mutation}\x00{key}".encode()).hexdigest()


def fingerprint(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()
