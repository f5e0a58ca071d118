"""Domain records every adapter returns, the unified queries they take, and the adapter Protocol.

Records are immutable (`@record`: frozen to the type checker, plain slotted dataclasses at run
time) and know nothing of strawberry or httpx; `raw` keeps the upstream record as received
for fields the unified model lacks. The queries are frozen dataclasses: keys of loaders.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from typing import Any, Protocol

from adapters.record import record

Raw = dict[str, Any]


class Platform(Enum):
    """The upstreams Timebridge unifies."""

    PRODUCTIVE = "productive"
    CLOCKIFY = "clockify"


class ApprovalState(Enum):
    """One small set of approval states both platforms map into."""

    DRAFT = "draft"
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


@record
class PersonRecord:
    platform: Platform
    remote_id: str
    first_name: str | None
    last_name: str | None
    name: str
    email: str | None
    active: bool
    time_zone: str | None
    avatar_url: str | None
    raw: Raw
    time_tracking_policy_id: str | None = None
    subsidiary_id: str | None = None


@record
class WorkScheduleRecord:
    """What a person is expected to work: hours per day, on which days, from which weekday."""

    capacity_seconds: int | None
    working_days: tuple[str, ...]
    week_start: str | None
    raw: Raw


@record
class ProjectRecord:
    platform: Platform
    remote_id: str
    name: str
    raw: Raw
    color: str | None = None
    billable: bool | None = None
    archived: bool = False
    # Only what an entry carried (a Clockify report's projectName and projectColor): the
    # other fields are read in full when asked.
    partial: bool = False


@record
class TaskRecord:
    platform: Platform
    remote_id: str
    name: str
    raw: Raw
    project_id: str | None = None
    done: bool = False
    partial: bool = False  # only the name an entry carried (a Clockify report's taskName)


@record
class ServiceRecord:
    platform: Platform
    remote_id: str
    name: str
    raw: Raw
    project_id: str | None = None
    billable: bool | None = None


@record
class TagRecord:
    platform: Platform
    remote_id: str
    name: str
    raw: Raw
    archived: bool = False


@record
class TimeEntryRecord:
    platform: Platform
    remote_id: str
    person_id: str | None
    date: date
    started_at: datetime | None
    ended_at: datetime | None
    duration_seconds: int | None
    billable: bool
    billable_seconds: int | None
    note: str | None
    running: bool
    approval_state: ApprovalState
    approval_state_raw: str
    locked: bool
    raw: Raw
    project_id: str | None = None
    task_id: str | None = None
    service_id: str | None = None
    tag_ids: tuple[str, ...] = ()
    approved_by_id: str | None = None
    approved_at: datetime | None = None
    rejected_by_id: str | None = None
    rejected_at: datetime | None = None
    rejection_reason: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    approval_request_id: str | None = None
    entry_type: str = "REGULAR"


@record
class TimerRecord:
    platform: Platform
    remote_id: str
    person_id: str | None
    time_entry_id: str | None
    started_at: datetime
    stopped_at: datetime | None
    raw: Raw


@record
class TimeTrackingPolicyRecord:
    platform: Platform
    remote_id: str
    name: str
    description: str | None
    archived_at: datetime | None
    raw: Raw
    limits: dict[str, float | None] = field(default_factory=dict)
    flags: dict[str, bool] = field(default_factory=dict)
    disabled_tracking_message: str | None = None
    limited_tracking_message: str | None = None
    assigned_people_count: int | None = None


@record
class ApprovalPolicyRecord:
    platform: Platform
    remote_id: str
    name: str
    description: str | None
    archived_at: datetime | None
    raw: Raw
    type_id: int | None = None
    custom: bool = False
    default: bool = False


@record
class TimeOffPolicyRecord:
    platform: Platform
    remote_id: str
    name: str
    archived: bool
    raw: Raw
    time_unit: str = "DAYS"
    allow_half_day: bool = False
    allow_negative_balance: bool = False
    negative_balance_limit: float | None = None
    requires_approval: bool = True
    approver_ids: tuple[str, ...] = ()
    team_managers_approve: bool = False
    everyone: bool = False
    user_ids: tuple[str, ...] = ()
    group_ids: tuple[str, ...] = ()


PolicyRecord = TimeTrackingPolicyRecord | ApprovalPolicyRecord | TimeOffPolicyRecord


class ApprovalKind(Enum):
    """What an approval decides on."""

    TIME_ENTRY = "time_entry"
    TIMESHEET = "timesheet"
    TIME_OFF = "time_off"


@record
class ApprovalRecord:
    platform: Platform
    remote_id: str
    kind: ApprovalKind
    state: ApprovalState
    state_raw: str
    requester_id: str | None
    period_start: date | None
    period_end: date | None
    raw: Raw
    time_entry_ids: tuple[str, ...] = ()
    total_seconds: int | None = None
    decided_by_id: str | None = None
    decided_at: datetime | None = None
    note: str | None = None
    policy_id: str | None = None
    entries: tuple[TimeEntryRecord, ...] = ()


@dataclass(frozen=True, slots=True)
class EntryQuery:
    """Unified time entry filters, as resolvers pass them to every adapter."""

    person_ids: tuple[str, ...] | None = None
    start: date | None = None
    end: date | None = None
    states: frozenset[ApprovalState] | None = None
    running: bool | None = None
    project_ids: tuple[str, ...] | None = None
    text: str | None = None
    descending: bool = False
    by_start_time: bool = False
    by_updated: bool = False
    service_ids: tuple[str, ...] | None = None
    task_ids: tuple[str, ...] | None = None
    tag_ids: tuple[str, ...] | None = None
    billable: bool | None = None
    types: frozenset[str] | None = None
    updated_after: datetime | None = None


@dataclass(frozen=True, slots=True)
class EntryWindow:
    """Entries from one platform's ordered stream, each with the stream position after it."""

    entries: list[tuple[TimeEntryRecord, int]]
    total: int | None
    exhausted: bool
    related: tuple[Any, ...] = ()


class TimeTrackingAdapter(Protocol):
    """What the schema asks of each platform: batch-shaped, results in key order."""

    platform: Platform

    def tenant(self) -> str: ...

    async def get_people(self, ids: Sequence[str]) -> list[PersonRecord | None]: ...

    async def list_people(
        self, *, text: str | None, emails: Sequence[str] | None, active: bool | None
    ) -> list[PersonRecord]: ...

    async def viewer(self) -> PersonRecord: ...

    async def entry_window(self, query: EntryQuery, offset: int, limit: int) -> EntryWindow: ...

    async def get_time_entries(self, ids: Sequence[str]) -> list[TimeEntryRecord | None]: ...

    async def running_timers(self, person_ids: Sequence[str] | None) -> list[TimerRecord]: ...

    async def list_policies(self) -> list[PolicyRecord]: ...

    async def list_approvals(
        self,
        *,
        states: frozenset[ApprovalState] | None,
        person_ids: Sequence[str] | None,
        start: date | None = None,
        end: date | None = None,
        kinds: frozenset[ApprovalKind] | None = None,
    ) -> list[ApprovalRecord]: ...
