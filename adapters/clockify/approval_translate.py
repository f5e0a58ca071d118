"""Clockify approvals and time off -> domain records. Pure: no I/O. An approval request decides
a period of tracked time; its state is carried onto the entries it covers."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from adapters.base import (
    ApprovalKind,
    ApprovalRecord,
    ApprovalState,
    Platform,
    TimeEntryRecord,
    TimeOffPolicyRecord,
)
from adapters.clockify.translate import duration_seconds, time_entry, timestamp, zone

C = Platform.CLOCKIFY
APPROVAL_STATES = {
    "PENDING": ApprovalState.PENDING,
    "APPROVED": ApprovalState.APPROVED,
    "REJECTED": ApprovalState.REJECTED,
    "WITHDRAWN_SUBMISSION": ApprovalState.WITHDRAWN,
    "WITHDRAWN_APPROVAL": ApprovalState.WITHDRAWN,
}
# What an approval request's state means for the entries it covers.
ENTRY_STATES = {
    "PENDING": ApprovalState.PENDING,
    "APPROVED": ApprovalState.APPROVED,
    "REJECTED": ApprovalState.REJECTED,
}


def _local_date(raw: Any, time_zone: str | None) -> date | None:
    moment = timestamp(raw)
    return moment.astimezone(zone(time_zone)).date() if moment else None


def approval_request(details: dict[str, Any]) -> ApprovalRecord:
    """An approval request for a period (the list answers ApprovalDetailsDtoV1)."""
    req = details.get("approvalRequest") or details
    status = req.get("status") or {}
    owner = req.get("owner") or {}
    raw_state = str(status.get("state") or "PENDING")
    state = APPROVAL_STATES.get(raw_state, ApprovalState.PENDING)
    decided = state in (ApprovalState.APPROVED, ApprovalState.REJECTED, ApprovalState.WITHDRAWN)
    tracked = details.get("trackedTime")
    entries = details.get("entries") or []
    tz = owner.get("timeZone")
    end = _local_date((req.get("dateRange") or {}).get("end"), tz)
    covered = [
        time_entry(
            {
                **e,
                "userId": owner.get("userId"),
                "projectId": (e.get("project") or {}).get("id"),
                "taskId": (e.get("task") or {}).get("id"),
                "tagIds": [t.get("id") for t in e.get("tags") or []],
            },
            tz,
        )
        for e in entries
    ]
    record = ApprovalRecord(
        platform=C,
        remote_id=str(req["id"]),
        kind=ApprovalKind.TIMESHEET,
        state=state,
        state_raw=raw_state,
        requester_id=owner.get("userId"),
        period_start=_local_date((req.get("dateRange") or {}).get("start"), tz),
        period_end=end,
        raw=details,
        time_entry_ids=tuple(str(e["id"]) for e in entries if e.get("id")),
        total_seconds=duration_seconds(tracked) if tracked is not None else None,
        decided_by_id=status.get("updatedBy") if decided else None,
        decided_at=timestamp(status.get("updatedAt")) if decided else None,
        note=status.get("note"),
    )
    return replace(record, entries=tuple(with_approval(e, record) for e in covered))


def time_off_request(dto: dict[str, Any]) -> ApprovalRecord:
    status = dto.get("status") or {}
    raw_state = str(status.get("statusType") or "PENDING")
    state = APPROVAL_STATES.get(raw_state, ApprovalState.PENDING)
    period = (dto.get("timeOffPeriod") or {}).get("period") or {}
    tz = dto.get("userTimeZone")
    start, end = timestamp(period.get("start")), timestamp(period.get("end"))
    seconds = int((end - start).total_seconds()) + 1 if start and end else None
    return ApprovalRecord(
        platform=C,
        remote_id=str(dto["id"]),
        kind=ApprovalKind.TIME_OFF,
        state=state,
        state_raw=raw_state,
        requester_id=dto.get("userId"),
        period_start=_local_date(period.get("start"), tz),
        period_end=_local_date(period.get("end"), tz),
        raw=dto,
        total_seconds=seconds,
        decided_by_id=status.get("changedByUserId"),
        decided_at=timestamp(status.get("changedAt")),
        note=dto.get("note") or status.get("note"),
        policy_id=dto.get("policyId"),
    )


def time_off_policy(dto: dict[str, Any]) -> TimeOffPolicyRecord:
    approve = dto.get("approve") or {}
    negative = dto.get("negativeBalance") or {}
    return TimeOffPolicyRecord(
        platform=C,
        remote_id=str(dto["id"]),
        name=dto.get("name") or "",
        archived=bool(dto.get("archived")),
        raw=dto,
        time_unit=dto.get("timeUnit") or "DAYS",
        allow_half_day=bool(dto.get("allowHalfDay")),
        allow_negative_balance=bool(dto.get("allowNegativeBalance")),
        negative_balance_limit=negative.get("amount"),
        requires_approval=bool(approve.get("requiresApproval")),
        approver_ids=tuple(approve.get("userIds") or ()),
        team_managers_approve=bool(approve.get("teamManagers")),
        everyone=bool(dto.get("everyoneIncludingNew")),
        user_ids=tuple(dto.get("userIds") or ()),
        group_ids=tuple(dto.get("userGroupIds") or ()),
    )


def covering(
    requests: list[ApprovalRecord], person_id: str | None, day: date
) -> ApprovalRecord | None:
    """The newest approval request covering a person's day that still decides it."""
    for request in requests:
        if (
            request.requester_id == person_id
            and request.period_start
            and request.period_end
            and request.period_start <= day <= request.period_end
            and request.state_raw in ENTRY_STATES
        ):
            return request
    return None


def with_approval(entry: TimeEntryRecord, request: ApprovalRecord | None) -> TimeEntryRecord:
    """An entry takes its approval state, decider and note from the request covering it."""
    if request is None or request.state_raw not in ENTRY_STATES:
        return entry
    state = ENTRY_STATES[request.state_raw]
    decided: dict[str, Any] = {}
    if state is ApprovalState.APPROVED:
        decided = {"approved_by_id": request.decided_by_id, "approved_at": request.decided_at}
    elif state is ApprovalState.REJECTED:
        decided = {
            "rejected_by_id": request.decided_by_id,
            "rejected_at": request.decided_at,
            "rejection_reason": request.note,
        }
    return replace(
        entry,
        approval_state=state,
        approval_state_raw=request.state_raw,
        approval_request_id=request.remote_id,
        **decided,
    )
