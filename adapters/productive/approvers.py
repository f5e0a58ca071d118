"""Productive's side of approvers and absences: the entries awaiting an approver, holidays by
calendar, approval policy assignments, and assigning policies (people's time tracking policy,
approval policies on people and budgets).

Reads: one `/time_entries` request with `filter[awaiting_approval_from_approver_id]` for an
inbox; `/holidays` filtered by the calendars of the people asked about; every assignment in
one list. Writes are sent once (adapters/http.py); each has a look for schema/mutations.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from adapters.approver_records import AssignmentTarget, HolidayRecord, PolicyAssignmentRecord
from adapters.base import ApprovalRecord, ApprovalState, EntryQuery, PersonRecord, Platform
from adapters.concurrency import gather
from adapters.errors import NotFound
from adapters.productive import translate
from adapters.productive.absence_translate import BOOKING_INCLUDE, booking_approval
from adapters.productive.adapter import ProductiveAdapter
from adapters.productive.jsonapi import Document, Resource, document, relationship_id

P = Platform.PRODUCTIVE
TARGETS = {"Person": AssignmentTarget.PERSON, "Quote": AssignmentTarget.BUDGET}
TARGET_TYPES = {v: k for k, v in TARGETS.items()}


_relation_id = relationship_id


def assignment(resource: Resource) -> PolicyAssignmentRecord:
    a = resource.get("attributes") or {}
    return PolicyAssignmentRecord(
        platform=P,
        remote_id=str(resource["id"]),
        policy_id=_relation_id(resource, "approval_policy"),
        target=TARGETS.get(str(a.get("target_type")), AssignmentTarget.BUDGET),
        target_id=str(a.get("target_id")),
        raw=resource,
    )


def holiday(resource: Resource, doc: Document, person_ids: tuple[str, ...] | None) -> HolidayRecord:
    a = resource.get("attributes") or {}
    day = date.fromisoformat(str(a["date"]))
    calendar_id = _relation_id(resource, "holiday_calendar")
    calendar = doc.index.get(("holiday_calendars", calendar_id or ""))
    return HolidayRecord(
        platform=P,
        remote_id=str(resource["id"]),
        name=str(a.get("name") or ""),
        start=day,
        end=day,
        occurs_annually=False,
        raw=resource,
        person_ids=person_ids,
        calendar=str((calendar.get("attributes") or {}).get("name")) if calendar else None,
    )


class ProductiveApprovers:
    """Approver and absence reads and writes over one ProductiveAdapter's credentials."""

    def __init__(self, adapter: ProductiveAdapter) -> None:
        self.adapter = adapter
        self.http = adapter.http

    async def inbox(
        self, approver_ids: Sequence[str], start: date | None = None, end: date | None = None
    ) -> list[ApprovalRecord]:
        """Entries whose approval waits on any of these people, newest first: one request."""
        query = EntryQuery(
            states=frozenset({ApprovalState.PENDING}), descending=True, start=start, end=end
        )
        params = self.adapter.entry_params(query, frozenset({"approver", "rejecter"}))
        params["filter[awaiting_approval_from_approver_id]"] = ",".join(approver_ids)
        doc = await self.http.get_all("/time_entries", params)
        self.adapter.share(self.adapter.related_records(doc))
        # Upstream says they wait for approval; an unsubmitted one of a person without
        # timesheet submission is pending too, whatever the entry alone suggests.
        return [translate.entry_approval(translate.time_entry(r, doc)) for r in doc.data]

    async def holidays(
        self, start: date, end: date, person_ids: Sequence[str] | None
    ) -> list[HolidayRecord]:
        """Holidays in the range, with their calendars; with people asked about, those of the
        calendars they follow, found per calendar by `/people?filter[holiday_calendar_id]`
        (the documented filter: a person's calendar is not among the documented includes)."""
        params = {
            "filter[after]": start.isoformat(),
            "filter[before]": end.isoformat(),
            "include": "holiday_calendar",
            "sort": "date",
        }
        doc = await self.http.get_all("/holidays", params)
        if person_ids is None:
            return [holiday(r, doc, None) for r in doc.data]
        calendars = sorted({_relation_id(r, "holiday_calendar") or "" for r in doc.data} - {""})

        async def followers(calendar: str) -> tuple[str, tuple[str, ...]]:
            found = await self.http.get_all(
                "/people",
                {"filter[holiday_calendar_id]": calendar, "filter[id]": ",".join(person_ids)},
            )
            return calendar, tuple(str(r["id"]) for r in found.data)

        who = dict(await gather(*(followers(c) for c in calendars)))
        out = []
        for r in doc.data:
            people = who.get(_relation_id(r, "holiday_calendar") or "", ())
            if people:
                out.append(holiday(r, doc, people))
        return out

    async def booking(self, booking_id: str) -> ApprovalRecord | None:
        """One absence booking as an approval, or None when it is gone."""
        try:
            doc = await self.http.get(f"/bookings/{booking_id}", {"include": BOOKING_INCLUDE})
        except NotFound:
            return None
        return booking_approval(doc.data[0]) if doc.data else None

    async def book_absence(
        self, person_id: str, event_id: str, start: date, end: date, minutes: int, note: str | None
    ) -> ApprovalRecord:
        attributes: dict[str, object] = {
            "started_on": start.isoformat(),
            "ended_on": end.isoformat(),
            "time": minutes,
        }
        if note:
            attributes["note"] = note
        body = document(
            "bookings",
            attributes,
            {"person": ("people", person_id), "event": ("events", event_id)},
        )
        doc = await self.http.write("POST", "/bookings", body)
        assert doc is not None and doc.data
        made = booking_approval(doc.data[0])
        # A write's answer includes nothing: whose and which event are what was sent.
        return replace(
            made,
            requester_id=made.requester_id or person_id,
            policy_id=made.policy_id or event_id,
        )

    async def booked(self, person_id: str, event_id: str, start: date) -> ApprovalRecord | None:
        """The look after a lost answer: the person's booking on that event from that day."""
        doc = await self.http.get_all(
            "/bookings",
            {
                "filter[person_id]": person_id,
                "filter[event_id]": event_id,
                "filter[started_on]": start.isoformat(),
                "include": BOOKING_INCLUDE,
            },
        )
        found = [booking_approval(r) for r in doc.data]
        return found[0] if found else None

    async def delete_booking(self, booking_id: str) -> None:
        await self.http.write("DELETE", f"/bookings/{booking_id}")

    async def unapprove_booking(self, booking_id: str) -> ApprovalRecord:
        doc = await self.http.write("PATCH", f"/bookings/{booking_id}/unapprove")
        assert doc is not None and doc.data
        return booking_approval(doc.data[0])

    async def assignments(self) -> list[PolicyAssignmentRecord]:
        doc = await self.http.get_all(
            "/approval_policy_assignments", {"sort": "id", "include": "approval_policy"}
        )
        return [assignment(r) for r in doc.data]

    async def people_assigned(self, policy_id: str) -> list[PersonRecord]:
        """People whose own time tracking policy is this one (not those who inherit it)."""
        doc = await self.http.get_all(
            "/people", {"filter[time_tracking_policy_id]": policy_id, "sort": "id"}
        )
        return [translate.person(r, doc) for r in doc.data]

    async def set_person_policy(self, person_id: str, policy_id: str | None) -> PersonRecord:
        body = document(
            "people", {"time_tracking_policy_id": int(policy_id) if policy_id else None}
        )
        await self.http.write("PATCH", f"/people/{person_id}", body)
        # Re-read with the subsidiary and organization: the effective policy needs them.
        found = (await self.adapter.get_people([person_id]))[0]
        if found is None:
            raise NotFound(P.value, f"no Productive person {person_id}")
        return found

    async def person_policy_is(self, person_id: str, policy_id: str | None) -> PersonRecord | None:
        """The look after a lost answer: whether the person now carries that policy."""
        found = (await self.adapter.get_people([person_id]))[0]
        own = (
            None
            if found is None
            else (found.raw.get("attributes") or {}).get("time_tracking_policy_id")
        )
        return (
            found
            if found is not None and (None if own is None else str(own)) == policy_id
            else None
        )

    async def assign(
        self, policy_id: str, target: AssignmentTarget, target_id: str
    ) -> PolicyAssignmentRecord:
        body = document(
            "approval_policy_assignments",
            {"target_type": TARGET_TYPES[target], "target_id": int(target_id)},
            {"approval_policy": ("approval_policies", policy_id)},
        )
        doc = await self.http.write("POST", "/approval_policy_assignments", body)
        assert doc is not None and doc.data
        made = assignment(doc.data[0])
        # The answer need not include the policy it names: it is the one just sent.
        return made if made.policy_id else replace(made, policy_id=policy_id)

    async def assigned(
        self, policy_id: str, target: AssignmentTarget, target_id: str
    ) -> PolicyAssignmentRecord | None:
        for found in await self.assignments():
            if (found.policy_id, found.target, found.target_id) == (policy_id, target, target_id):
                return found
        return None

    async def unassign(self, assignment_id: str) -> None:
        await self.http.write("DELETE", f"/approval_policy_assignments/{assignment_id}")

    async def assignment_gone(self, assignment_id: str) -> bool | None:
        remaining = {a.remote_id for a in await self.assignments()}
        return True if assignment_id not in remaining else None
