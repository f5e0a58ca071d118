"""Reads that tell whether a Productive write landed, for a retry after a lost answer.

Each returns what the write would have answered (an id, a record, True) when upstream shows
its effect, and None when it does not. They follow the same documents as the writes
(productive-time-entries.txt, productive-timers.txt, productive-*-policies.txt): a created
record is recognised by its attributes and relationships and by `created_at` not being older
than the attempt (less CLOCK_SKEW, since the two clocks differ).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from adapters.base import TimerRecord
from adapters.errors import NotFound
from adapters.productive import translate
from adapters.productive.jsonapi import Resource
from adapters.productive.writes import ProductiveWrites

CLOCK_SKEW = 60.0  # seconds a created_at may precede the attempt's own clock
Relations = dict[str, tuple[str, str]]


def _same_value(actual: Any, wanted: Any) -> bool:
    if wanted is None or actual is None:
        return (wanted or None) == (actual or None)
    if isinstance(wanted, str) and isinstance(actual, str) and "T" in wanted and "T" in actual:
        try:
            return datetime.fromisoformat(actual) == datetime.fromisoformat(wanted)
        except ValueError:
            pass
    if isinstance(wanted, bool | int | float) and not isinstance(actual, str):
        return bool(actual == wanted)
    return str(actual) == str(wanted)


def matches(resource: Resource, attributes: dict[str, Any], relations: Relations) -> bool:
    """Whether a resource carries every attribute and relationship a write sent."""
    have = resource.get("attributes") or {}
    if not all(_same_value(have.get(k), v) for k, v in attributes.items()):
        return False
    links = resource.get("relationships") or {}
    for name, (_, wanted_id) in relations.items():
        data = (links.get(name) or {}).get("data")
        if not isinstance(data, dict) or str(data.get("id")) != str(wanted_id):
            return False
    return True


def _not_older(resource: Resource, since: float) -> bool:
    created = translate.timestamp((resource.get("attributes") or {}).get("created_at"))
    return created is None or created.timestamp() >= since - CLOCK_SKEW


class ProductiveVerify:
    """Did it land? One read per question, over the same credentials as the writes."""

    def __init__(self, writes: ProductiveWrites) -> None:
        self.writes = writes
        self.http = writes.http

    async def created_entry(
        self, person: str, attributes: dict[str, Any], relations: Relations, since: float
    ) -> str | None:
        include = ",".join(sorted({"person", *relations}))
        doc = await self.http.get_all(
            "/time_entries",
            {
                "filter[person_id]": person,
                "filter[date]": str(attributes["date"]),
                "include": include,
            },
        )
        found = [r for r in doc.data if matches(r, attributes, relations) and _not_older(r, since)]
        # The newest match: an identical entry made earlier by hand is older than ours.
        return str(max(found, key=lambda r: int(r["id"]))["id"]) if found else None

    async def entry_has(
        self, entry_id: str, attributes: dict[str, Any], relations: Relations
    ) -> str | None:
        include = ",".join(sorted(relations)) or None
        try:
            doc = await self.http.get(
                f"/time_entries/{entry_id}", {"include": include} if include else None
            )
        except NotFound:
            return None
        return entry_id if doc.data and matches(doc.data[0], attributes, relations) else None

    async def gone(self, path: str) -> bool | None:
        try:
            await self.http.get(path)
        except NotFound:
            return True
        return None

    async def started_timer(
        self, person: str, entry_id: str | None, since: float
    ) -> TimerRecord | None:
        timers = await self.writes.adapter.running_timers([person])
        for timer in timers:
            recent = timer.started_at.timestamp() >= since - CLOCK_SKEW
            if recent and (entry_id is None or timer.time_entry_id == entry_id):
                return await self.writes.timer(timer.remote_id)
        return None

    async def stopped_timer(self, timer_id: str) -> TimerRecord | None:
        timer = await self.writes.timer(timer_id)
        return timer if timer.stopped_at is not None else None

    async def timesheet(self, person: str, day: str) -> bool | None:
        doc = await self.http.get("/timesheets", {"filter[person_id]": person, "filter[date]": day})
        return True if doc.data else None

    async def created_policy(
        self, collection: str, attributes: dict[str, Any], since: float
    ) -> str | None:
        doc = await self.http.get_all(f"/{collection}", {})
        found = [r for r in doc.data if matches(r, attributes, {}) and _not_older(r, since)]
        return str(max(found, key=lambda r: int(r["id"]))["id"]) if found else None

    async def policy_has(
        self, collection: str, policy_id: str, attributes: dict[str, Any]
    ) -> str | None:
        doc = await self.http.get(f"/{collection}/{policy_id}")
        return policy_id if doc.data and matches(doc.data[0], attributes, {}) else None

    async def policy_archived(self, collection: str, policy_id: str, archived: bool) -> str | None:
        doc = await self.http.get(f"/{collection}/{policy_id}")
        is_archived = bool((doc.data[0].get("attributes") or {}).get("archived_at"))
        return policy_id if is_archived == archived else None
