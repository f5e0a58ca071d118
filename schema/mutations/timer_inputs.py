"""What a timer start sends, per platform, validated before any upstream call: Productive takes
a service or a time entry to resume; Clockify a project, task, tags, note and billable."""

from __future__ import annotations

from typing import Any

from adapters.base import Platform
from schema.context import Context
from schema.mutations.common import (
    decode_input,
    invalid,
)
from schema.mutations.targets import (
    unsupported,
)
from schema.mutations.timer_types import (
    TimerStartFields,
)


def start_plan(ctx: Context, platform: Platform, value: TimerStartFields) -> dict[str, Any]:
    """Validate platform-specific inputs into what the start request needs."""
    if platform is Platform.PRODUCTIVE:
        unsupported(
            platform,
            projectId=value.project_id,
            taskId=value.task_id,
            tagIds=value.tag_ids,
            note=value.note,
            billable=value.billable,
        )
        if (value.service_id is None) == (value.time_entry_id is None):
            raise invalid(("serviceId",), "give either `serviceId` or `timeEntryId` on Productive")
        plan: dict[str, Any] = {}
        if value.service_id is not None:
            key = decode_input(value.service_id, ("serviceId",), "Service")
            plan["service"] = key.remote_id
        if value.time_entry_id is not None:
            key = decode_input(value.time_entry_id, ("timeEntryId",), "TimeEntry")
            if key.platform is not platform:
                raise invalid(("timeEntryId",), "this time entry is not on Productive")
            plan["entry"] = key.remote_id
        return plan
    unsupported(platform, serviceId=value.service_id, timeEntryId=value.time_entry_id)
    body: dict[str, Any] = {}
    if value.project_id is not None:
        key = decode_input(value.project_id, ("projectId",), "Project")
        if key.platform is not platform:
            raise invalid(("projectId",), "this project is not on Clockify")
        body["projectId"] = key.remote_id
    if value.task_id is not None:
        if value.project_id is None:
            raise invalid(("taskId",), "a Clockify task needs its `projectId`")
        key = decode_input(value.task_id, ("taskId",), "Task")
        project_id, _, task_id = key.remote_id.rpartition("/")
        if project_id != body["projectId"]:
            raise invalid(("taskId",), "this task belongs to another project")
        body["taskId"] = task_id
    if value.tag_ids:
        body["tagIds"] = [decode_input(t, ("tagIds",), "Tag").remote_id for t in value.tag_ids]
    if value.note is not None:
        body["description"] = value.note
    if value.billable is not None:
        body["billable"] = value.billable
    return body
