"""Productive JSON:API resources -> domain records. Pure: no I/O, no clock beyond parsing."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from adapters.base import (
    ApprovalKind,
    ApprovalPolicyRecord,
    ApprovalRecord,
    ApprovalState,
    PersonRecord,
    Platform,
    ProjectRecord,
    ServiceRecord,
    TaskRecord,
    TimeEntryRecord,
    TimerRecord,
    TimeTrackingPolicyRecord,
)
from adapters.productive.jsonapi import Document, Resource, ref_in, relationship_id

P = Platform.PRODUCTIVE
LIMITS = (
    "working_day_limit",
    "non_working_day_limit",
    "holiday_limit",
    "full_day_absence_limit",
    "half_day_absence_limit",
)
FLAGS = (
    "note_mandatory",
    "restrict_future_tracking",
    "restrict_tracking_over_budget",
    "restrict_time_entry_overlap",
    "task_mandatory",
    "time_range_mandatory",
)
# Status filter values (FACTS.md): 1 approved, 3 rejected, 5 submitted, 6 draft.
# `filter[status]` codes (productive-time-entries.txt: 1 approved, 2 unapproved, 3 rejected,
# 5 submitted, 6 draft). Whether an unapproved entry is PENDING or DRAFT depends on its person's
# timesheet submission setting, which no status tells: those two ask for every unapproved
# entry (2) and the adapter keeps the ones whose translated state matches.
STATUS_FILTER = {
    ApprovalState.APPROVED: "1",
    ApprovalState.REJECTED: "3",
    ApprovalState.PENDING: "2",
    ApprovalState.DRAFT: "2",
}
AMBIGUOUS_STATES = frozenset({ApprovalState.PENDING, ApprovalState.DRAFT})


def timestamp(raw: Any) -> datetime | None:
    return datetime.fromisoformat(raw) if isinstance(raw, str) and raw else None


def person(resource: Resource, doc: Document) -> PersonRecord:
    a = resource["attributes"]
    first, last = a.get("first_name"), a.get("last_name")
    name = " ".join(p for p in (first, last) if p) or (a.get("email") or resource["id"])
    return PersonRecord(
        platform=P,
        remote_id=str(resource["id"]),
        first_name=first,
        last_name=last,
        name=name,
        email=a.get("email"),
        active=not a.get("deactivated_at") and not a.get("archived_at"),
        time_zone=a.get("time_zone"),
        avatar_url=a.get("avatar_url"),
        raw=resource,
        time_tracking_policy_id=effective_policy_id(resource, doc),
        subsidiary_id=relationship_id(resource, "subsidiary"),
    )


def effective_policy_id(resource: Resource, doc: Document) -> str | None:
    """Person, then subsidiary, then organization (the documented hierarchy)."""
    for holder in (
        resource,
        doc.related(resource, "subsidiary"),
        doc.related(resource, "organization"),
    ):
        value = (holder or {}).get("attributes", {}).get("time_tracking_policy_id")
        if value is not None:
            return str(value)
    return None


def project(resource: Resource) -> ProjectRecord:
    a = resource["attributes"]
    return ProjectRecord(
        P, str(resource["id"]), a.get("name") or "", resource, archived=bool(a.get("archived_at"))
    )


def task(resource: Resource) -> TaskRecord:
    a = resource["attributes"]
    return TaskRecord(
        P,
        str(resource["id"]),
        a.get("title") or "",
        resource,
        project_id=relationship_id(resource, "project"),
        done=bool(a.get("closed")),
    )


def service(resource: Resource, doc: Document) -> ServiceRecord:
    a = resource["attributes"]
    project_res = doc.follow(resource, "deal.project")
    billing = a.get("billing_type_id")
    return ServiceRecord(
        P,
        str(resource["id"]),
        a.get("name") or "",
        resource,
        project_id=str(project_res["id"]) if project_res else None,
        billable=None if billing is None else billing != 3,
    )


def approval_state(a: dict[str, Any], submission_enabled: bool) -> tuple[ApprovalState, str]:
    if a.get("approved"):
        return ApprovalState.APPROVED, "approved"
    if a.get("rejected"):
        return ApprovalState.REJECTED, "rejected"
    if a.get("submitted"):
        return ApprovalState.PENDING, "submitted"
    # Without timesheet submission an unapproved entry already waits for approval.
    return (ApprovalState.DRAFT if submission_enabled else ApprovalState.PENDING), "unapproved"


def _submission(doc: Document, person_ref: tuple[str, str] | None) -> bool:
    """Whether the entry's person submits timesheets (entries of one person share it)."""
    key = ("submission", person_ref)
    if key not in doc.derived:
        owner = doc.index.get(person_ref) if person_ref else None
        disabled = (owner or {}).get("attributes", {}).get("timesheet_submission_disabled")
        doc.derived[key] = not disabled
    found: bool = doc.derived[key]
    return found


def _service_project(doc: Document, service_ref: tuple[str, str] | None) -> str | None:
    """The project a service's deal belongs to (entries of one service share it)."""
    key = ("project", service_ref)
    if key not in doc.derived:
        service_res = doc.index.get(service_ref) if service_ref else None
        project_res = doc.follow(service_res, "deal.project") if service_res else None
        doc.derived[key] = str(project_res["id"]) if project_res else None
    found: str | None = doc.derived[key]
    return found


def _service_billable(doc: Document, service_ref: tuple[str, str] | None) -> bool:
    """Without billable minutes of its own, an entry is billable when its service is."""
    service_res = doc.index.get(service_ref) if service_ref else None
    return service_res is not None and service(service_res, doc).billable is True


def time_entry(resource: Resource, doc: Document) -> TimeEntryRecord:
    a = resource["attributes"]
    rels = resource.get("relationships") or {}
    person_ref, service_ref = ref_in(rels, "person"), ref_in(rels, "service")
    state, raw_state = approval_state(a, _submission(doc, person_ref))
    minutes = int(a.get("time") or 0)
    started = timestamp(a.get("started_at"))
    timer_start, timer_stop = timestamp(a.get("timer_started_at")), a.get("timer_stopped_at")
    running = timer_start is not None and not timer_stop
    billable_minutes = a.get("billable_time")
    ended = timestamp(timer_stop) if timer_stop else None
    if ended is None and started is not None and not running:
        ended = started + timedelta(minutes=minutes)
    task_ref, approver_ref, rejecter_ref = (
        ref_in(rels, n) for n in ("task", "approver", "rejecter")
    )
    return TimeEntryRecord(
        platform=P,
        remote_id=str(resource["id"]),
        person_id=person_ref[1] if person_ref else None,
        date=date.fromisoformat(a["date"]),
        started_at=started,
        ended_at=ended,
        duration_seconds=None if running else minutes * 60,
        # Billable time is Productive's own minutes; only without it does the service tell.
        billable=bool(billable_minutes)
        if billable_minutes is not None
        else _service_billable(doc, service_ref),
        billable_seconds=None if billable_minutes is None else int(billable_minutes) * 60,
        note=a.get("note"),
        running=running,
        approval_state=state,
        approval_state_raw=raw_state,
        locked=bool(a.get("approved")) or bool(a.get("invoiced")),
        raw=resource,
        project_id=_service_project(doc, service_ref),
        task_id=task_ref[1] if task_ref else None,
        service_id=service_ref[1] if service_ref else None,
        approved_by_id=approver_ref[1] if approver_ref else None,
        approved_at=timestamp(a.get("approved_at")),
        rejected_by_id=rejecter_ref[1] if rejecter_ref else None,
        rejected_at=timestamp(a.get("rejected_at")),
        rejection_reason=a.get("rejected_reason"),
        created_at=timestamp(a.get("created_at")),
        updated_at=timestamp(a.get("updated_at")),
    )


def timer(resource: Resource) -> TimerRecord:
    a = resource["attributes"]
    started = timestamp(a.get("started_at"))
    assert started is not None, "a Productive timer always has started_at"
    return TimerRecord(
        platform=P,
        remote_id=str(resource["id"]),
        person_id=None if a.get("person_id") is None else str(a["person_id"]),
        time_entry_id=relationship_id(resource, "time_entry"),
        started_at=started,
        stopped_at=timestamp(a.get("stopped_at")),
        raw=resource,
    )


def time_tracking_policy(resource: Resource) -> TimeTrackingPolicyRecord:
    a = resource["attributes"]
    return TimeTrackingPolicyRecord(
        platform=P,
        remote_id=str(resource["id"]),
        name=a.get("name") or "",
        description=a.get("description"),
        archived_at=timestamp(a.get("archived_at")),
        raw=resource,
        limits={name: a.get(name) for name in LIMITS},
        flags={name: bool(a.get(name)) for name in FLAGS},
        disabled_tracking_message=a.get("disabled_tracking_message"),
        limited_tracking_message=a.get("limited_tracking_message"),
        assigned_people_count=a.get("assigned_people_count"),
    )


def approval_policy(resource: Resource) -> ApprovalPolicyRecord:
    a = resource["attributes"]
    return ApprovalPolicyRecord(
        platform=P,
        remote_id=str(resource["id"]),
        name=a.get("name") or "",
        description=a.get("description"),
        archived_at=timestamp(a.get("archived_at")),
        raw=resource,
        type_id=a.get("type_id"),
        custom=bool(a.get("custom")),
        default=bool(a.get("default")),
    )


def entry_approval(entry: TimeEntryRecord) -> ApprovalRecord:
    """A Productive approval is the decision on one time entry."""
    decided_by = entry.approved_by_id or entry.rejected_by_id
    return ApprovalRecord(
        platform=P,
        remote_id=entry.remote_id,
        kind=ApprovalKind.TIME_ENTRY,
        state=entry.approval_state,
        state_raw=entry.approval_state_raw,
        requester_id=entry.person_id,
        period_start=entry.date,
        period_end=entry.date,
        raw=entry.raw,
        time_entry_ids=(entry.remote_id,),
        total_seconds=entry.duration_seconds,
        decided_by_id=decided_by,
        decided_at=entry.approved_at or entry.rejected_at,
        note=entry.rejection_reason,
        entries=(entry,),
    )
