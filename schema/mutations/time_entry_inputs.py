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
    "time": "minutes",
    "billable_time": "minutes",
    "note": "note",
    "service": "service",
    "person": "person",
    "task": "task",
    "started_at": "startedAt",
}


CLOCKIFY_FIELDS = {
    "start": "startedAt",
    "end": "endedAt",
    "description": "note",
    "projectId": "project",
    "taskId": "task",
    "tagIds": "tags",
}


WORKDAY_START = dt.time(9, 0)


def check_times(value: CreateTimeEntryInput | UpdateTimeEntryInput, creating: bool) -> None:
    if value.minutes is not None and not 0 <= value.minutes <= 1440:
        raise invalid(("minutes",), f"must be between 0 and 1440, got {value.minutes}")
    for name, moment in (("startedAt", value.started_at), ("endedAt", value.ended_at)):
        if moment is not None and moment.tzinfo is None:
            raise invalid((name,), "needs a UTC offset, e.g. 2026-11-16T09:00:00+01:00")
    if value.started_at and value.ended_at and value.ended_at <= value.started_at:
        raise invalid(("endedAt",), "ends before (or when) it starts")
    if (value.date or value.minutes is not None) and (value.started_at or value.ended_at):
        raise invalid(("date",), "give date with minutes, or startedAt with endedAt, not both")
    if creating:
        by_day = value.date is not None and value.minutes is not None
        by_time = value.started_at is not None and value.ended_at is not None
        if not (by_day or by_time):
            missing = (
                "minutes"
                if value.date
                else "date"
                if value.minutes is not None
                else ("endedAt" if value.started_at else "startedAt" if value.ended_at else "date")
            )
            raise invalid((missing,), "required: give date with minutes, or startedAt with endedAt")


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
    unsupported(p, project=value.project, tags=value.tags, billable=value.billable)
    attributes: dict[str, Any] = {}
    relationships: dict[str, tuple[str, str]] = {}
    if value.date is not None:
        attributes["date"] = value.date.isoformat()
    if value.minutes is not None:
        attributes["time"] = value.minutes
    if value.started_at is not None and value.ended_at is not None:
        attributes["date"] = value.started_at.date().isoformat()
        attributes["time"] = int((value.ended_at - value.started_at).total_seconds() // 60)
        attributes["started_at"] = value.started_at.isoformat()
    if value.note is not None:
        attributes["note"] = value.note
    if value.service is not None:
        relationships["service"] = (
            "services",
            same_platform(value.service, ("service",), p, "Service"),
        )
    if value.task is not None:
        relationships["task"] = ("tasks", same_platform(value.task, ("task",), p, "Task"))
    return attributes, relationships


def clockify_refs(value: CreateTimeEntryInput | UpdateTimeEntryInput) -> dict[str, Any]:
    c = Platform.CLOCKIFY
    unsupported(c, service=value.service)
    body: dict[str, Any] = {}
    if value.project is not None:
        body["projectId"] = same_platform(value.project, ("project",), c, "Project")
    if value.task is not None:
        if value.project is None:
            raise invalid(("task",), "a Clockify task needs its `project`")
        project_id, _, task_id = same_platform(value.task, ("task",), c, "Task").rpartition("/")
        if project_id != body["projectId"]:
            raise invalid(("task",), "this task belongs to another project")
        body["taskId"] = task_id
    if value.tags is not None:
        body["tagIds"] = [same_platform(t, ("tags",), c, "Tag") for t in value.tags]
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
