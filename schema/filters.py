"""Filter inputs and their validation into unified queries, before any upstream call."""

from __future__ import annotations

import datetime as dt
from enum import Enum

import strawberry

from adapters.base import ApprovalState, EntryQuery, Platform
from schema.enums import (
    ApprovalKind,
    ApprovalStatus,
    OrderDirection,
    PlatformName,
    TimeEntryOrderField,
    TimeEntryType,
)
from schema.errors import bad_input
from schema.ids import decode_as


@strawberry.input(description="An inclusive range of calendar days.")
class DateRange:
    start: dt.date = strawberry.field(description="First day, included.")
    end: dt.date = strawberry.field(description="Last day, included; not before `start`.")


@strawberry.input(description="Which of one person's time entries to return.")
class PersonTimeEntryFilter:
    date_range: DateRange | None = strawberry.field(
        default=None,
        description="Only entries dated in this range (each person's local day on Clockify). "
        "Without it Clockify is read for the last 366 days.",
    )
    approval_statuses: list[ApprovalStatus] | None = strawberry.field(
        default=None, description="Only entries in these approval states."
    )
    running: bool | None = strawberry.field(
        default=None, description="Only running (true) or only finished (false) entries."
    )
    project_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Only entries on these projects (Project IDs)."
    )
    service_ids: list[strawberry.ID] | None = strawberry.field(
        default=None,
        description="Only entries on these services (Service IDs; Productive: Clockify has no "
        "services, so its entries are left out).",
    )
    task_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Only entries on these tasks (Task IDs)."
    )
    tag_ids: list[strawberry.ID] | None = strawberry.field(
        default=None,
        description="Only entries with at least one of these tags (Tag IDs; Clockify: "
        "Productive entries have no tags, so they are left out).",
    )
    billable: bool | None = strawberry.field(
        default=None, description="Only billable (true) or only non-billable (false) entries."
    )
    types: list[TimeEntryType] | None = strawberry.field(
        default=None,
        description="Only entries of these types (every Productive entry is REGULAR).",
    )
    updated_after: dt.datetime | None = strawberry.field(
        default=None,
        description="Only entries changed at or after this instant, for incremental sync "
        "(Productive only: Clockify entries carry no update time). Pair it with "
        "`orderBy: {field: UPDATED_AT}`.",
    )
    text: str | None = strawberry.field(
        default=None, description="Only entries whose note contains this text (any case)."
    )


@strawberry.input(description="Which time entries to return.")
class TimeEntryFilter(PersonTimeEntryFilter):
    platforms: list[PlatformName] | None = strawberry.field(
        default=None, description="Only these platforms (default: every configured one)."
    )
    person_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Only entries of these people (Person IDs)."
    )


@strawberry.input(description="How time entries are ordered.")
class TimeEntryOrder:
    field: TimeEntryOrderField = strawberry.field(
        default=TimeEntryOrderField.DATE, description="What to order by."
    )
    direction: OrderDirection = strawberry.field(
        default=OrderDirection.ASC, description="Ascending or descending."
    )


@strawberry.input(description="Which people to return.")
class PersonFilter:
    platforms: list[PlatformName] | None = strawberry.field(
        default=None, description="Only these platforms (default: every configured one)."
    )
    text: str | None = strawberry.field(
        default=None, description="Name or email contains this text (any case)."
    )
    emails: list[str] | None = strawberry.field(
        default=None, description="Only people with one of these emails (any case)."
    )
    active: bool | None = strawberry.field(
        default=None, description="Only active (true) or only deactivated (false) people."
    )


@strawberry.input(description="Which running timers to return.")
class TimerFilter:
    platforms: list[PlatformName] | None = strawberry.field(
        default=None, description="Only these platforms."
    )
    person_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Only timers of these people (Person IDs)."
    )


@strawberry.enum(description="The kinds of policy.")
class PolicyKind(Enum):
    TIME_TRACKING = strawberry.enum_value(
        "time_tracking", description="Productive time tracking policies."
    )
    APPROVAL = strawberry.enum_value("approval", description="Productive approval policies.")
    TIME_OFF = strawberry.enum_value("time_off", description="Clockify time-off policies.")


@strawberry.input(description="Which policies to return.")
class PolicyFilter:
    platforms: list[PlatformName] | None = strawberry.field(
        default=None, description="Only these platforms."
    )
    kinds: list[PolicyKind] | None = strawberry.field(
        default=None, description="Only these kinds of policy."
    )
    archived: bool | None = strawberry.field(
        default=None, description="Only archived (true) or only active (false) policies."
    )


@strawberry.input(description="Which approvals to return.")
class ApprovalFilter:
    platforms: list[PlatformName] | None = strawberry.field(
        default=None, description="Only these platforms."
    )
    kinds: list[ApprovalKind] | None = strawberry.field(
        default=None, description="Only these kinds of approval."
    )
    statuses: list[ApprovalStatus] | None = strawberry.field(
        default=None,
        description="Only approvals in these states (default: every state).",
    )
    person_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Only approvals requested by these people (Person IDs)."
    )
    date_range: DateRange | None = strawberry.field(
        default=None, description="Only approvals whose period overlaps this range."
    )
    awaiting_approver_ids: list[strawberry.ID] | None = strawberry.field(
        default=None,
        description="Only what waits for these approvers (Person IDs): Productive entries "
        "awaiting their approval (by the approval policy of the entry's budget), Clockify "
        "timesheet and time-off requests of the people they manage, and time off whose policy "
        "names them. Implies pending; the approvers' own requests are left out on Clockify.",
    )


def platforms_of(chosen: list[PlatformName] | None, configured: list[Platform]) -> list[Platform]:
    if chosen is None:
        return configured
    return [p for p in configured if PlatformName.of(p) in chosen] + [
        c.domain for c in chosen if c.domain not in configured
    ]


def people_by_platform(
    ids: list[strawberry.ID] | None, argument: str
) -> dict[Platform, tuple[str, ...]] | None:
    return ids_by_platform(ids, argument, "Person")


def states_of(statuses: list[ApprovalStatus] | None) -> frozenset[ApprovalState] | None:
    return None if statuses is None else frozenset(s.domain for s in statuses)


def check_range(date_range: DateRange | None, argument: str) -> None:
    if date_range is not None and date_range.end < date_range.start:
        raise bad_input(argument, f"ends ({date_range.end}) before it starts ({date_range.start})")


def ids_by_platform(
    ids: list[strawberry.ID] | None, argument: str, type_name: str
) -> dict[Platform, tuple[str, ...]] | None:
    """IDs of one type, checked and grouped by platform; None when the filter is not given."""
    if ids is None:
        return None
    grouped: dict[Platform, list[str]] = {p: [] for p in Platform}
    for value in ids:
        key = decode_as(value, argument, type_name)
        grouped[key.platform].append(key.remote_id)
    return {p: tuple(v) for p, v in grouped.items()}


# Filters whose IDs name upstream records: (input attribute, GraphQL name, type, query field).
ID_FILTERS = (
    ("project_ids", "projectIds", "Project", "project_ids"),
    ("service_ids", "serviceIds", "Service", "service_ids"),
    ("task_ids", "taskIds", "Task", "task_ids"),
    ("tag_ids", "tagIds", "Tag", "tag_ids"),
)
IdScopes = dict[str, dict[Platform, tuple[str, ...]]]


def entry_query(
    flt: TimeEntryFilter | PersonTimeEntryFilter | None,
    order: TimeEntryOrder | None,
    argument: str = "filter",
) -> tuple[EntryQuery, IdScopes]:
    """Validate a filter and order; return the query and, per ID filter given, the ids each
    platform is to match (a platform with none of them has no matching entries)."""
    order = order or TimeEntryOrder()
    date_range = flt.date_range if flt else None
    check_range(date_range, f"{argument}.dateRange")
    scopes: IdScopes = {}
    for attribute, name, type_name, field in ID_FILTERS:
        grouped = ids_by_platform(
            getattr(flt, attribute) if flt else None, f"{argument}.{name}", type_name
        )
        if grouped is not None:
            scopes[field] = grouped
    updated_after = flt.updated_after if flt else None
    if updated_after is not None and updated_after.tzinfo is None:
        raise bad_input(f"{argument}.updatedAfter", "needs a UTC offset, e.g. 2026-11-16T09:00Z")
    types = flt.types if flt else None
    query = EntryQuery(
        start=date_range.start if date_range else None,
        end=date_range.end if date_range else None,
        states=states_of(flt.approval_statuses) if flt else None,
        running=flt.running if flt else None,
        text=(flt.text or None) if flt else None,
        billable=flt.billable if flt else None,
        types=None if types is None else frozenset(t.name for t in types),
        updated_after=updated_after,
        descending=order.direction is OrderDirection.DESC,
        by_start_time=order.field is TimeEntryOrderField.START_TIME,
        by_updated=order.field is TimeEntryOrderField.UPDATED_AT,
    )
    return query, scopes
