"""Productive writes: timers, time entries, approvals, timesheets and policies.

Writes are sent once (never retried); a lost answer raises UnknownOutcome, and
`adapters/productive/verify.py` tells whether it landed (schema/mutations/attempts.py
decides). Bodies follow productive-*.txt. Approval takes the documented forms: one entry
`PATCH /time_entries/{id}/approve`, many `PATCH /time_entries/bulk_approve` with `{"ids"}`;
where that route is unknown (404), the reference's `PATCH /time_entries/approve` with
`ext=bulk`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from adapters.base import (
    PolicyRecord,
    TimeEntryRecord,
    TimerRecord,
)
from adapters.errors import NotFound, UpstreamIncompatible
from adapters.productive import translate
from adapters.productive.absence_translate import absence_policy
from adapters.productive.adapter import TIMER_INCLUDE, ProductiveAdapter
from adapters.productive.client import MEDIA_TYPE
from adapters.productive.entry_reads import entry_include
from adapters.productive.jsonapi import Document, document

BULK = f"{MEDIA_TYPE}; ext=bulk"
ALL_RELATIONS = frozenset({"service", "project", "task", "approver", "rejecter"})


class ProductiveWrites:
    """Write operations over one ProductiveAdapter's credentials."""

    def __init__(self, adapter: ProductiveAdapter) -> None:
        self.adapter = adapter
        self.http = adapter.http

    def _entry(self, doc: Document | None) -> TimeEntryRecord:
        assert doc is not None and doc.data
        return translate.time_entry(doc.data[0], doc)

    async def reread_entries(self, ids: list[str]) -> list[TimeEntryRecord | None]:
        """Entries with their relations, as a query would show them after the write."""
        records, related = await self.adapter.entries_with_related(ids, ALL_RELATIONS)
        self.adapter.share(related)
        return records

    async def timer(self, timer_id: str) -> TimerRecord:
        """A timer re-read with its entry: write answers do not say which entry it is."""
        doc = await self.http.get(f"/timers/{timer_id}", {"include": TIMER_INCLUDE})
        self.adapter.share(self.adapter.related_records(doc))
        self.adapter.share([translate.time_entry(r, doc) for r in doc.of_type("time_entries")])
        return translate.timer(doc.data[0])

    async def start_timer(
        self, person_id: str | None, service_id: str | None, entry_id: str | None
    ) -> TimerRecord:
        attributes: dict[str, Any] = {}
        relationships = {}
        if service_id:
            attributes["service_id"] = service_id
        if person_id:
            attributes["person_id"] = person_id
        if entry_id:
            relationships["time_entry"] = ("time_entries", entry_id)
        doc = await self.http.write(
            "POST", "/timers", document("timers", attributes, relationships)
        )
        assert doc is not None
        return await self.timer(translate.timer(doc.data[0]).remote_id)

    async def stop_timer(self, timer_id: str) -> TimerRecord:
        await self.http.write("PATCH", f"/timers/{timer_id}/stop")
        return await self.timer(timer_id)

    async def create_entry(
        self, attributes: dict[str, Any], relationships: dict[str, tuple[str, str]]
    ) -> str:
        doc = await self.http.write(
            "POST", "/time_entries", document("time_entries", attributes, relationships)
        )
        return self._entry(doc).remote_id

    async def update_entry(
        self, entry_id: str, attributes: dict[str, Any], relationships: dict[str, tuple[str, str]]
    ) -> str:
        body = document("time_entries", attributes, relationships, id_=entry_id)
        doc = await self.http.write("PATCH", f"/time_entries/{entry_id}", body)
        return self._entry(doc).remote_id

    async def delete_entry(self, entry_id: str) -> None:
        await self.http.write("DELETE", f"/time_entries/{entry_id}")

    async def bulk(self, action: str, entry_ids: list[str]) -> None:
        """Approve or unapprove entries in one request (all or nothing upstream). The entries
        were read just before, so a 404 from a bulk route means the route, not an entry."""
        if len(entry_ids) == 1:
            await self.http.write("PATCH", f"/time_entries/{entry_ids[0]}/{action}")
            return
        try:
            ids = {"ids": [int(i) for i in entry_ids]}
            await self.http.write("PATCH", f"/time_entries/bulk_{action}", ids)
            return
        except NotFound:
            pass
        body = {"data": [{"type": "time_entries", "id": i} for i in entry_ids]}
        try:
            await self.http.write("PATCH", f"/time_entries/{action}", body, content_type=BULK)
        except NotFound as error:
            raise UpstreamIncompatible(
                "productive",
                f"Productive knows neither bulk_{action} nor the ext=bulk {action} route",
                error.upstream_status,
            ) from None

    async def reject(self, entry_id: str, reason: str | None) -> None:
        body = document("time_entries", {"rejected_reason": reason}) if reason else None
        await self.http.write("PATCH", f"/time_entries/{entry_id}/reject", body)

    async def unreject(self, entry_id: str) -> None:
        await self.http.write("PATCH", f"/time_entries/{entry_id}/unreject")

    async def submit_timesheet(self, person_id: str, day: date) -> None:
        body = document("timesheets", {"date": day.isoformat()}, {"person": ("people", person_id)})
        await self.http.write("POST", "/timesheets", body)

    async def entries_of_day(self, person_id: str, day: date) -> list[TimeEntryRecord]:
        doc = await self.http.get_all(
            "/time_entries",
            {
                "filter[person_id]": person_id,
                "filter[date]": day.isoformat(),
                "include": entry_include(frozenset()),
            },
        )
        return [translate.time_entry(r, doc) for r in doc.data]

    async def save_policy(
        self, collection: str, attributes: dict[str, Any], policy_id: str | None = None
    ) -> PolicyRecord:
        body = document(collection, attributes, id_=policy_id)
        path = f"/{collection}" + (f"/{policy_id}" if policy_id else "")
        doc = await self.http.write("PATCH" if policy_id else "POST", path, body)
        return self._policy(doc)

    async def policy_action(self, collection: str, policy_id: str, action: str) -> PolicyRecord:
        doc = await self.http.write("PATCH", f"/{collection}/{policy_id}/{action}")
        return self._policy(doc)

    async def read_policy(self, collection: str, policy_id: str) -> PolicyRecord:
        return self._policy(await self.http.get(f"/{collection}/{policy_id}"))

    async def delete_policy(self, collection: str, policy_id: str) -> None:
        await self.http.write("DELETE", f"/{collection}/{policy_id}")

    @staticmethod
    def _policy(doc: Document | None) -> PolicyRecord:
        """A policy record: time tracking, approval, or an absence event (time off)."""
        assert doc is not None and doc.data
        resource = doc.data[0]
        if resource["type"] == "time_tracking_policies":
            return translate.time_tracking_policy(resource)
        if resource["type"] == "events":
            return absence_policy(resource)
        return translate.approval_policy(resource)
