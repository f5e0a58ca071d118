"""A cache of upstream reads that the gateway's own writes keep true.

Entries are keyed by everything a read asks, the credentials' digest included, so two
credential sets never share one. Invalidation is by generation: every read belongs to a
family (time entries with timers, reports and approvals; time off; policies; people; ...)
of one tenant (a Productive organization, a Clockify workspace, at one base URL). A write
bumps the generations of the families it changes, for every credential of that tenant, and
an entry stored under an older generation is never served again. A read remembers the
generation it started under, so an answer that raced a write is stored dead.

An entry is served while younger than its TTL: short for entries, timers, approvals and time
off, which others change all day; longer for reference data (people, projects, tasks, tags,
policies), which changes rarely and which the gateway's own writes invalidate anyway. Past
the TTL, where the upstream can say what changed (Productive's `filter[updated_at]`,
Clockify's Entity Changes API), a few one-row delta reads per credential set revalidate every
entry list of the family at once, up to a maximum age (a guard against a change a delta
missed: a clock far off, an upstream bug).
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import orjson

from adapters import telemetry
from adapters.cache_store import CacheStore

ENTRY_WORDS = frozenset(
    {"time_entries", "timers", "timesheets", "time-entries", "reports", "approval-requests"}
)
# A policy's assignment shows on the people it applies to.
ALSO_CHANGES = {"policies": ("people",), "time-off": ("users",)}
DROPPED_HEADERS = frozenset(
    {"content-length", "content-encoding", "transfer-encoding", "connection", "set-cookie"}
)
# What changes often, and by others: served for the short TTL. Everything else (people, projects,
# tasks, services, tags, policies...) is reference data, served for the reference TTL.
LIVELY = frozenset({"entries", "time-off"})
CLOCK_MARGIN = 5.0  # seconds of disagreement between our clock and upstream's we allow for

# Whether anything in a family changed after a wall-clock time, given what the last look
# remembered (None at first); returns the answer and what to remember for the next look.
ChangedSince = Callable[[float, Any], Awaitable[tuple[bool, Any]]]


@dataclass(frozen=True, slots=True)
class Revalidation:
    """A platform's delta read: which paths it answers for, and the read itself."""

    applies: Callable[[str], bool]
    changed_since: ChangedSince
    # What a first look compares with, where a look needs one (Productive: the count of all
    # entries, since deletions leave no trace in `filter[updated_at]`). It is taken before a
    # family's first full read, so that read's first look can answer "unchanged" instead of
    # sending every list of the family to be read again.
    baseline: Callable[[], Awaitable[Any]] | None = None


def family(path: str) -> str:
    """What a path reads or writes, coarsely enough that a write names every list it can
    change: an entry's create, timer start and approval all change the same lists."""
    segments = [s for s in path.split("/") if s]
    if ENTRY_WORDS.intersection(segments):
        return "entries"
    if "time-off" in segments:
        return "time-off"
    if any(s.endswith("policies") for s in segments):
        return "policies"
    rest = segments[2:] if segments[:1] == ["workspaces"] else segments
    return rest[0] if rest else "root"


@dataclass(frozen=True, slots=True)
class Place:
    """Whose reads these are: the platform, the tenant (a digest of base URL and organization
    or workspace) and the credentials (a digest, never the secret)."""

    platform: str
    tenant: str
    credentials: str

    @staticmethod
    def of(platform: str, base_url: str, tenant: str, credentials: str) -> Place:
        return Place(platform, _tenant_digest(base_url, tenant), credentials)

    def generation(self, name: str) -> str:
        return f"gen:{self.platform}:{self.tenant}:{name}"


@functools.lru_cache(maxsize=1024)
def _tenant_digest(base_url: str, tenant: str) -> str:
    """Every request builds its places: the digest of the same base URL and tenant is kept."""
    return hashlib.sha256(f"{base_url}|{tenant}".encode()).hexdigest()[:16]


@dataclass(slots=True)
class CacheUse:
    """One GraphQL request's use of the cache: whether it must read fresh, and what it got."""

    fresh: bool = False
    hits: int = 0
    misses: int = 0
    oldest: float | None = None  # wall-clock time of the oldest answer served from the cache

    def served(self, stored_at: float) -> None:
        self.hits += 1
        self.oldest = stored_at if self.oldest is None else min(self.oldest, stored_at)

    def report(self) -> dict[str, Any] | None:
        """For the response's `extensions.cache`: how old the oldest data in it is."""
        if not (self.hits or self.misses):
            return None
        age = 0.0 if self.oldest is None else max(0.0, time.time() - self.oldest)
        return {"hits": self.hits, "misses": self.misses, "ageSeconds": round(age, 1)}


@dataclass(frozen=True, slots=True)
class Ticket:
    """A miss: where its answer goes, and the generation the read started under."""

    entry: str
    generation: int
    started: float
    revalidate: bool
    keep: float  # seconds the store keeps the answer


@dataclass(slots=True)
class ReadCache:
    """One per gateway process; the store decides whether replicas share it."""

    store: CacheStore
    ttl: float = 15.0
    max_age: float = 3600.0  # however often a delta confirms it: a guard against one it missed
    reference_ttl: float = 120.0
    # Baselines being taken, by mark: concurrent first reads of a family wait for one.
    _baselines: dict[str, asyncio.Task[None]] = field(default_factory=dict, repr=False)

    def ttl_of(self, name: str) -> float:
        return self.ttl if name in LIVELY else self.reference_ttl

    async def lookup(
        self,
        place: Place,
        key: bytes,
        path: str,
        request: httpx.Request,
        use: CacheUse,
        revalidation: Revalidation | None,
    ) -> tuple[httpx.Response | None, Ticket]:
        """The cached answer to the read of `path` (relative to the platform's base URL), or
        None and the ticket to store the real answer with."""
        name = family(path)
        entry = "entry:" + hashlib.sha256(key).hexdigest()
        raw, generation = await self.store.load(entry, place.generation(name))
        revalidate = revalidation is not None and revalidation.applies(path)
        ttl = self.ttl_of(name)
        keep = max(ttl, self.max_age) if revalidate else ttl
        ticket = Ticket(entry, generation, time.time(), revalidate, keep)
        if raw is None or use.fresh:
            ticket = await self._before_full_read(place, name, revalidation, ticket)
            return self._missed(place, use, "bypass" if use.fresh else "miss"), ticket
        meta_raw, content = raw.split(b"\n", 1)
        meta = orjson.loads(meta_raw)
        if meta["g"] != generation:
            ticket = await self._before_full_read(place, name, revalidation, ticket)
            return self._missed(place, use, "miss"), ticket
        stored_at = float(meta["t"])
        age = time.time() - stored_at
        outcome = "hit" if age < ttl else None
        if outcome is None and revalidation is not None and revalidate and age < self.max_age:
            if await self._unchanged(place, name, stored_at, revalidation.changed_since):
                outcome = "revalidated"
            else:
                # The delta found changes and killed this generation: the read that follows
                # starts under the new one.
                generation = await self.store.generation(place.generation(name))
                ticket = Ticket(entry, generation, time.time(), revalidate, keep)
        if outcome is None:
            ticket = await self._before_full_read(place, name, revalidation, ticket)
            return self._missed(place, use, "expired"), ticket
        telemetry.READ_CACHE.labels(place.platform, outcome).inc()
        use.served(stored_at)
        response = httpx.Response(
            meta["s"],
            headers=httpx.Headers(meta["h"]),
            content=content,
            request=request,
            extensions={"stored_at": stored_at},  # for reads that shared this one
        )
        return response, ticket

    async def save(self, ticket: Ticket, response: httpx.Response) -> None:
        """Keep a successful answer under the generation its read started with."""
        headers = [(k, v) for k, v in response.headers.items() if k not in DROPPED_HEADERS]
        meta = orjson.dumps(
            {"g": ticket.generation, "t": ticket.started, "s": response.status_code, "h": headers}
        )
        await self.store.save(ticket.entry, meta + b"\n" + response.content, ticket.keep)

    async def wrote(self, place: Place, path: str) -> None:
        """A write was sent to `path` (landed or not): its families are stale everywhere."""
        name = family(path)
        names = [name, *ALSO_CHANGES.get(name, ())]
        await self.store.bump([place.generation(n) for n in names])

    async def invalidate(self, place: Place, name: str) -> None:
        """Something outside the gateway changed a family (a webhook said so)."""
        await self.store.bump([place.generation(name)])

    def _mark_key(self, place: Place, name: str) -> str:
        return f"delta:{place.platform}:{place.tenant}:{place.credentials}:{name}"

    async def _before_full_read(
        self, place: Place, name: str, revalidation: Revalidation | None, ticket: Ticket
    ) -> Ticket:
        """The ticket of a read about to go upstream, once the family's delta baseline
        exists: the read then starts after it, so the baseline's look covers it."""
        if revalidation is None or revalidation.baseline is None or not ticket.revalidate:
            return ticket
        key = self._mark_key(place, name)
        if await self.store.mark(key) is not None:
            return ticket
        task = self._baselines.get(key)
        if task is None or task.get_loop() is not asyncio.get_running_loop():
            task = asyncio.ensure_future(self._take_baseline(key, revalidation.baseline))
            self._baselines[key] = task
            task.add_done_callback(lambda done: self._baselines.pop(key, None))
        await asyncio.shield(task)
        return Ticket(ticket.entry, ticket.generation, time.time(), True, ticket.keep)

    async def _take_baseline(self, key: str, baseline: Callable[[], Awaitable[Any]]) -> None:
        now = time.time()
        memo = await baseline()
        if memo is not None:  # a failed look leaves none: the first delta counts as a change
            mark = {"s": now, "c": now, "m": memo}
            await self.store.set_mark(key, orjson.dumps(mark), self.max_age)

    def _missed(self, place: Place, use: CacheUse, outcome: str) -> httpx.Response | None:
        telemetry.READ_CACHE.labels(place.platform, outcome).inc()
        use.misses += 1
        return None

    async def _unchanged(
        self, place: Place, name: str, stored_at: float, changed_since: ChangedSince
    ) -> bool:
        """Whether nothing in the family changed since `stored_at`, by the mark this
        credential's last delta left ("nothing changed from S to C") and, when the mark is
        older than the TTL, one more delta read from C on."""
        key = self._mark_key(place, name)
        raw = await self.store.mark(key)
        mark = orjson.loads(raw) if raw else None
        now = time.time()
        covered = mark is not None and mark["s"] <= stored_at
        if covered and mark is not None and now - mark["c"] < self.ttl:
            return True
        since = mark["c"] if covered and mark is not None else stored_at
        changed, memo = await changed_since(since - CLOCK_MARGIN, mark.get("m") if mark else None)
        if changed:
            telemetry.READ_CACHE.labels(place.platform, "changed").inc()
            await self.store.bump([place.generation(name)])
            fresh = {"s": now, "c": now, "m": memo}
            await self.store.set_mark(key, orjson.dumps(fresh), self.max_age)
            return False
        start = mark["s"] if covered and mark is not None else stored_at
        kept = {"s": start, "c": now, "m": memo}
        await self.store.set_mark(key, orjson.dumps(kept), self.max_age)
        return True
