"""Idempotency keys: the same key with the same input returns the first result, once.

The store is an interface: in memory by default (one gateway process), Redis when several
replicas must share it (gateway/redis_store.py). Records hold a fingerprint of the input and,
once finished, the outcome (global IDs and user errors), never upstream data or credentials.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True, slots=True)
class Stored:
    """What a key holds: whose input it was for, and the outcome once the work is done."""

    fingerprint: str
    outcome: dict[str, Any] | None

    @property
    def pending(self) -> bool:
        return self.outcome is None


class IdempotencyStore(Protocol):
    """Reserve a key atomically, then finish it with an outcome, or release it on failure."""

    async def reserve(self, key: str, fingerprint: str, ttl: float) -> Stored | None:
        """None when this call reserved the key; otherwise what the key already holds."""
        ...

    async def get(self, key: str) -> Stored | None: ...

    async def finish(
        self, key: str, fingerprint: str, outcome: dict[str, Any], ttl: float
    ) -> None: ...

    async def release(self, key: str) -> None: ...


class MemoryStore:
    """The default store: a dict with expiry, for a single gateway process."""

    def __init__(self, clock: Any = time.monotonic) -> None:
        self.clock = clock
        self._items: dict[str, tuple[float, Stored]] = {}

    def _live(self, key: str) -> Stored | None:
        item = self._items.get(key)
        if item is None:
            return None
        expires, stored = item
        if expires <= self.clock():
            del self._items[key]
            return None
        return stored

    async def reserve(self, key: str, fingerprint: str, ttl: float) -> Stored | None:
        existing = self._live(key)
        if existing is not None:
            return existing
        self._items[key] = (self.clock() + ttl, Stored(fingerprint, None))
        return None

    async def get(self, key: str) -> Stored | None:
        return self._live(key)

    async def finish(self, key: str, fingerprint: str, outcome: dict[str, Any], ttl: float) -> None:
        self._items[key] = (self.clock() + ttl, Stored(fingerprint, outcome))

    async def release(self, key: str) -> None:
        self._items.pop(key, None)


def scoped_key(scope: str, mutation: str, key: str) -> str:
    """Keys are scoped to the caller's credentials: one user's key never finds another's."""
    return hashlib.sha256(f"{scope}\x00{mutation}\x00{key}".encode()).hexdigest()


def fingerprint(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()
