"""Time entry inputs translated per API, checked before any upstream call: Productive takes a date
and minutes (and `started_at`); Clockify takes start and end instants."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from adapters.base import Platform
from adapters.clockify import translate as clockify_translate
from schema.context import Context
from schema.enums import PlatformName
from schema.mutations.common import (
    decode_input,
    invalid,
)
from schema.mutations.targets import (
    unsupported,
)
from schema.mutations.time_entry_types import (
    CreateTimeEntryInput,
    UpdateTimeEntryInput,
)

PRODUCTIVE_FIELDS = {
    "date": "date",
    "time": "durationMinutes",
    "billable_time": "billable",
    "note": "note",
    "service": "serviceId",
    "person": "personId",
    "task": "taskId",
    "started_at": "startedAt",
}


CLOCKIFY_FIELDS = {
    "start": "startedAt",
    "end": "endedAt",
    "description": "note",
    "projectId": "projectId",
    "taskId": "taskId",
    "tagIds": "tagIds",
    "billable": "billable",
}


WORKDAY_START = dt.time(9, 0)


def check_times(value: CreateTimeEntryInput | UpdateTimeEntryInput, creating: bool) -> None:
    if value.duration_minutes is not None and not 0 <= value.duration_minutes <= 1440:
        raise invalid(
            ("durationMinutes",), f"must be between 0 and 1440, got {value.duration_minutes}"
        )
    for name, moment in (("startedAt", value.started_at), ("endedAt", value.ended_at)):
        if moment is not None and moment.tzinfo is None:
            raise invalid((name,), "needs a UTC offset, e.g. 2026-11-16T09:00:00+01:00")
    if value.started_at and value.ended_at and value.ended_at <= value.started_at:
        raise invalid(("endedAt",), "ends before (or when) it starts")
    if (value.date or value.duration_minutes is not None) and (value.started_at or value.ended_at):
        raise invalid(
            ("date",), "give date with durationMinutes, or startedAt with endedAt, not both"
        )
    if creating:
        by_day = value.date is not None and value.duration_minutes is not None
        by_time = value.started_at is not None and value.ended_at is not None
        if not (by_day or by_time):
            missing = (
                "durationMinutes"
                if value.date
                else "date"
                if value.duration_minutes is not None
                else ("endedAt" if value.started_at else "startedAt" if value.ended_at else "date")
            )
            raise invalid(
                (missing,), "required: give date with durationMinutes, or startedAt with endedAt"
            )


def same_platform(value: str, path: tuple[str, ...], platform: Platform, *types: str) -> str:
    key = decode_input(value, path, *types)
    if key.platform is not platform:
        raise invalid(
            path, f"this {types[0].lower()} is on {key.platform.name}, not {platform.name}"
        )
    return key.remote_id


def productive_changes(
    value: CreateTimeEntryInput | UpdateTimeEntryInput,
) -> tuple[dict[str, Any], dict[str, tuple[str, str]]]:
    p = Platform.PRODUCTIVE
    unsupported(p, projectId=value.project_id, tagIds=value.tag_ids)
    attributes: dict[str, Any] = {}
    relationships: dict[str, tuple[str, str]] = {}
    if value.date is not None:
        attributes["date"] = value.date.isoformat()
    if value.duration_minutes is not None:
        attributes["time"] = value.duration_minutes
    if value.started_at is not None and value.ended_at is not None:
        attributes["date"] = value.started_at.date().isoformat()
        attributes["time"] = int((value.ended_at - value.started_at).total_seconds() // 60)
        attributes["started_at"] = value.started_at.isoformat()
    if value.note is not None:
        attributes["note"] = value.note
    if value.billable is not None:
        # Productive has no billable flag: its billable time is minutes of their own. Billable
        # means all of the entry's time; without a new duration the caller knows the current.
        if not value.billable:
            attributes["billable_time"] = 0
        elif "time" in attributes:
            attributes["billable_time"] = attributes["time"]
    if value.service_id is not None:
        relationships["service"] = (
            "services",
            same_platform(value.service_id, ("serviceId",), p, "Service"),
        )
    if value.task_id is not None:
        relationships["task"] = ("tasks", same_platform(value.task_id, ("taskId",), p, "Task"))
    return attributes, relationships


def clockify_refs(value: CreateTimeEntryInput | UpdateTimeEntryInput) -> dict[str, Any]:
    c = Platform.CLOCKIFY
    unsupported(c, serviceId=value.service_id)
    body: dict[str, Any] = {}
    if value.project_id is not None:
        body["projectId"] = same_platform(value.project_id, ("projectId",), c, "Project")
    if value.task_id is not None:
        if value.project_id is None:
            raise invalid(("taskId",), "a Clockify task needs its `projectId`")
        task = same_platform(value.task_id, ("taskId",), c, "Task")
        project_id, _, task_id = task.rpartition("/")
        if project_id != body["projectId"]:
            raise invalid(("taskId",), "this task belongs to another project")
        body["taskId"] = task_id
    if value.tag_ids is not None:
        body["tagIds"] = [same_platform(t, ("tagIds",), c, "Tag") for t in value.tag_ids]
    if value.note is not None:
        body["description"] = value.note
    if value.billable is not None:
        body["billable"] = value.billable
    return body


def utc_text(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


async def person_zone(ctx: Context, person: str) -> ZoneInfo:
    people = await ctx.adapter(Platform.CLOCKIFY).users()
    found = people.get(person)
    return clockify_translate.zone(found.time_zone if found else None)


def relation_pairs(raw: dict[str, Any]) -> dict[str, tuple[str, str]]:
    # Intents come back from the key store as JSON: pairs are lists there.
    return {name: (str(pair[0]), str(pair[1])) for name, pair in raw.items()}


def fields_for(value: Any) -> dict[str, str]:
    platform = getattr(value, "platform", None)
    if platform is not None:
        return PRODUCTIVE_FIELDS if platform is PlatformName.PRODUCTIVE else CLOCKIFY_FIELDS
    return {**PRODUCTIVE_FIELDS, **CLOCKIFY_FIELDS}
