"""Productive's resources as the simulator keeps them: typed records with JSON:API relationships."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

Ref = tuple[str, str]


@dataclass(slots=True)
class Resource:
    """One JSON:API resource: attributes plus named relationships (to-one refs or to-many lists)."""

    type: str
    id: str
    attributes: dict[str, Any]
    relationships: dict[str, Ref | list[Ref] | None] = field(default_factory=dict)

    def ref(self, name: str) -> Ref | None:
        value = self.relationships.get(name)
        return value if isinstance(value, tuple) else None

    def ref_id(self, name: str) -> str | None:
        ref = self.ref(name)
        return ref[1] if ref else None


@dataclass(frozen=True, slots=True)
class Kind:
    """What the API renders for one resource type: its relationships and permitted includes."""

    type: str
    relationships: tuple[str, ...]
    includes: frozenset[str]
    targets: dict[str, str]


def _kind(type_: str, rels: dict[str, str], includes: set[str]) -> Kind:
    return Kind(type_, tuple(rels), frozenset(includes), rels)


TIME_ENTRY_RELATIONSHIPS = {
    "organization": "organizations",
    "person": "people",
    "service": "services",
    "task": "tasks",
    "approver": "people",
    "updater": "people",
    "rejecter": "people",
    "creator": "people",
    "last_actor": "people",
    "person_subsidiary": "subsidiaries",
    "deal_subsidiary": "subsidiaries",
    "timesheet": "timesheets",
    "approval_statuses": "approval_statuses",
}

KINDS: dict[str, Kind] = {
    k.type: k
    for k in (
        _kind(
            "time_entries",
            TIME_ENTRY_RELATIONSHIPS,
            set(TIME_ENTRY_RELATIONSHIPS) | {"invoice_attribution"},
        ),
        _kind(
            "timers",
            {"organization": "organizations", "time_entry": "time_entries"},
            {"time_entry", "organization"},
        ),
        _kind(
            "people",
            {
                "organization": "organizations",
                "subsidiary": "subsidiaries",
                "holiday_calendar": "holiday_calendars",
            },
            {"organization", "subsidiary", "holiday_calendar"},
        ),
        _kind(
            "approval_policy_assignments",
            {"approval_policy": "approval_policies"},
            {"approval_policy"},
        ),
        _kind("approval_workflows", {"approval_policy": "approval_policies"}, {"approval_policy"}),
        _kind("holiday_calendars", {"organization": "organizations"}, {"organization"}),
        _kind("events", {"organization": "organizations"}, {"organization"}),
        _kind(
            "bookings",
            {"person": "people", "event": "events", "approver": "people", "rejecter": "people"},
            {"person", "event", "approver", "rejecter"},
        ),
        _kind("holidays", {"holiday_calendar": "holiday_calendars"}, {"holiday_calendar"}),
        _kind("organizations", {}, set()),
        _kind("webhooks", {}, set()),
        _kind("subsidiaries", {"organization": "organizations"}, {"organization"}),
        _kind(
            "services",
            {"organization": "organizations", "deal": "deals"},
            {"deal", "organization"},
        ),
        _kind(
            "deals",
            {"organization": "organizations", "project": "projects"},
            {"project", "organization"},
        ),
        _kind("projects", {"organization": "organizations"}, {"organization"}),
        _kind(
            "tasks",
            {"organization": "organizations", "project": "projects", "service": "services"},
            {"project", "service", "organization"},
        ),
        _kind(
            "timesheets",
            {"organization": "organizations", "person": "people", "creator": "people"},
            {"person", "creator", "organization"},
        ),
        _kind(
            "time_tracking_policies",
            {"organization": "organizations", "last_actor": "people", "creator": "people"},
            {"last_actor", "creator", "organization"},
        ),
        _kind("approval_policies", {"organization": "organizations"}, {"organization"}),
        _kind("approval_statuses", {}, set()),
    )
}


class Store:
    """All resources of one organization, with the clock and offset its timestamps carry."""

    def __init__(self, organization_id: str, utc_offset: timedelta) -> None:
        self.organization_id = organization_id
        self.tz = timezone(utc_offset)
        self.resources: dict[str, dict[str, Resource]] = {kind: {} for kind in KINDS}
        self.ids = itertools.count(1000)

    @property
    def organization_ref(self) -> Ref:
        return ("organizations", self.organization_id)

    def now(self) -> datetime:
        return datetime.now(self.tz)

    def stamp(self, moment: datetime | None = None) -> str:
        """A timestamp as Productive writes it: milliseconds and the organization's offset."""
        moment = (moment or self.now()).astimezone(self.tz)
        return moment.isoformat(timespec="milliseconds")

    def next_id(self) -> str:
        return str(next(self.ids))

    def add(self, resource: Resource) -> Resource:
        if resource.type in KINDS and "organization" in KINDS[resource.type].relationships:
            resource.relationships.setdefault("organization", self.organization_ref)
        self.resources[resource.type][resource.id] = resource
        return resource

    def get(self, type_: str, id_: str) -> Resource | None:
        return self.resources.get(type_, {}).get(id_)

    def all(self, type_: str) -> list[Resource]:
        return list(self.resources[type_].values())

    def delete(self, type_: str, id_: str) -> None:
        self.resources[type_].pop(id_, None)

    def follow(self, resource: Resource, path: str) -> Resource | None:
        """Walk a dotted relationship path (`service.deal.project`) from a resource."""
        current: Resource | None = resource
        for name in path.split("."):
            if current is None:
                return None
            ref = current.ref(name)
            current = self.get(*ref) if ref else None
        return current


TIME_ENTRY_DEFAULTS: dict[str, Any] = {
    "note": None,
    "track_method_id": 1,
    "started_at": None,
    "timer_started_at": None,
    "timer_stopped_at": None,
    "approved": False,
    "approved_at": None,
    "calendar_event_id": None,
    "invoice_attribution_id": None,
    "invoiced": False,
    "overhead": False,
    "rejected": False,
    "rejected_reason": None,
    "rejected_at": None,
    "submitted": False,
    "currency": "EUR",
    "currency_default": "EUR",
    "currency_normalized": "EUR",
    "jira_issue_id": None,
    "jira_issue_status": None,
    "jira_issue_summary": None,
    "jira_worklog_id": None,
    "jira_organization": None,
}

COST_FIELDS = (
    "cost",
    "work_cost",
    "overhead_cost",
    "internal_overhead_cost",
    "facility_overhead_cost",
)

# The attribute order of the documented time entry example, which responses follow.
TIME_ENTRY_ATTRIBUTE_ORDER = [
    "date",
    "created_at",
    "time",
    "billable_time",
    "note",
    "track_method_id",
    "started_at",
    "timer_started_at",
    "timer_stopped_at",
    "approved",
    "approved_at",
    "updated_at",
    "calendar_event_id",
    "invoice_attribution_id",
    "invoiced",
    "overhead",
    "rejected",
    "rejected_reason",
    "rejected_at",
    "last_activity_at",
    "submitted",
    "currency",
    "currency_default",
    "currency_normalized",
] + [f"{c}{s}" for c in COST_FIELDS for s in ("", "_default", "_normalized")]

POLICY_DEFAULTS: dict[str, Any] = {
    "description": None,
    "disabled_tracking_message": None,
    "limited_tracking_message": None,
    "full_day_absence_limit": None,
    "half_day_absence_limit": None,
    "holiday_limit": None,
    "non_working_day_limit": None,
    "note_mandatory": False,
    "restrict_future_tracking": False,
    "restrict_tracking_over_budget": False,
    "restrict_time_entry_overlap": False,
    "task_mandatory": False,
    "time_range_mandatory": False,
    "working_day_limit": None,
    "archived_at": None,
    "assigned_people_count": 0,
}

APPROVAL_POLICY_DEFAULTS: dict[str, Any] = {
    "archived_at": None,
    "custom": False,
    "default": False,
    "description": None,
    "name": None,
    "type_id": 1,
}


def time_entry_attributes(store: Store, values: dict[str, Any]) -> dict[str, Any]:
    """A full attribute set for a new time entry, costs derived from minutes at a flat rate."""
    stamp = store.stamp()
    merged: dict[str, Any] = {
        **TIME_ENTRY_DEFAULTS,
        "created_at": stamp,
        "updated_at": stamp,
        "last_activity_at": stamp,
        **values,
    }
    merged.setdefault("billable_time", merged.get("time", 0))
    refresh_costs(merged)
    return merged


def refresh_costs(attributes: dict[str, Any]) -> None:
    """Costs in cents at 50 EUR an hour, so reports add up; overheads stay zero."""
    work = int(attributes.get("time") or 0) * 5000 // 60
    for name in COST_FIELDS:
        value = work if name in ("cost", "work_cost") else 0
        for suffix in ("", "_default", "_normalized"):
            attributes[f"{name}{suffix}"] = value


def ordered_time_entry(attributes: dict[str, Any]) -> dict[str, Any]:
    ordered = {k: attributes[k] for k in TIME_ENTRY_ATTRIBUTE_ORDER if k in attributes}
    return ordered
