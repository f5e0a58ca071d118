"""Productive absences -> domain records. Pure: no I/O. An event (a kind of absence) is a
time-off policy; a booking of a person on an event is a time-off request."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from adapters.base import (
    ApprovalKind,
    ApprovalRecord,
    ApprovalState,
    Platform,
    TimeOffPolicyRecord,
)
from adapters.productive.jsonapi import Resource, relationship_id

P = Platform.PRODUCTIVE
# Without them a booking's relationships carry no ids: whose it is, on which event, who decided.
BOOKING_INCLUDE = "person,event,approver,rejecter"
# `limitation_type` (productive-api-reference.json): 2 limited by days, 3 limited by hours,
# 4 unlimited by hours.
HOURS_LIMITATIONS = frozenset({3, 4})
# `approval_status`: the time-entry codes, 1 approved, 2 pending, 3 rejected (5 is listed
# without a meaning: read as pending).
BOOKING_STATES = {1: ApprovalState.APPROVED, 3: ApprovalState.REJECTED}


def _stamp(raw: Any) -> datetime | None:
    return datetime.fromisoformat(raw) if isinstance(raw, str) and raw else None


def absence_policy(resource: Resource) -> TimeOffPolicyRecord:
    a = resource.get("attributes") or {}
    limitation = a.get("limitation_type_id") or a.get("limitation_type")
    return TimeOffPolicyRecord(
        platform=P,
        remote_id=str(resource["id"]),
        name=str(a.get("name") or ""),
        archived=bool(a.get("archived_at")),
        raw=resource,
        time_unit="HOURS" if limitation in HOURS_LIMITATIONS else "DAYS",
        allow_half_day=bool(a.get("half_day_bookings")),
        requires_approval=True,
        everyone=True,
    )


def booking_state(a: dict[str, Any]) -> tuple[ApprovalState, str]:
    if a.get("draft"):
        return ApprovalState.DRAFT, "draft"
    if a.get("approved"):
        return ApprovalState.APPROVED, "approved"
    if a.get("rejected"):
        return ApprovalState.REJECTED, "rejected"
    status = a.get("approval_status")
    if isinstance(status, int) and status in BOOKING_STATES:
        state = BOOKING_STATES[status]
        return state, state.value
    return ApprovalState.PENDING, "pending"


def booking_approval(resource: Resource) -> ApprovalRecord:
    a = resource.get("attributes") or {}
    state, raw_state = booking_state(a)
    start = date.fromisoformat(str(a["started_on"]))
    end = date.fromisoformat(str(a.get("ended_on") or a["started_on"]))
    days = (end - start).days + 1
    minutes = a.get("time") if isinstance(a.get("time"), int) else None
    decided_by = relationship_id(resource, "approver") or relationship_id(resource, "rejecter")
    return ApprovalRecord(
        platform=P,
        remote_id=str(resource["id"]),
        kind=ApprovalKind.TIME_OFF,
        state=state,
        state_raw=raw_state,
        requester_id=relationship_id(resource, "person"),
        period_start=start,
        period_end=end,
        raw=resource,
        total_seconds=None if minutes is None else minutes * 60 * days,
        decided_by_id=decided_by,
        decided_at=_stamp(a.get("approved_at")) or _stamp(a.get("rejected_at")),
        note=a.get("rejected_reason") or a.get("note"),
        policy_id=relationship_id(resource, "event"),
    )


def is_absence(resource: Resource) -> bool:
    a = resource.get("attributes") or {}
    return a.get("booking_type") == "absence" or relationship_id(resource, "event") is not None
