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
    StartTimerInput,
)


def start_plan(ctx: Context, platform: Platform, value: StartTimerInput) -> dict[str, Any]:
    """Validate platform-specific inputs into what the start request needs."""
    if platform is Platform.PRODUCTIVE:
        unsupported(
            platform,
            project=value.project,
            task=value.task,
            tags=value.tags,
            description=value.description,
            billable=value.billable,
        )
        if (value.service is None) == (value.time_entry is None):
            raise invalid(("service",), "give either `service` or `timeEntry` on Productive")
        plan: dict[str, Any] = {}
        if value.service is not None:
            key = decode_input(value.service, ("service",), "Service")
            plan["service"] = key.remote_id
        if value.time_entry is not None:
            key = decode_input(value.time_entry, ("timeEntry",), "TimeEntry")
            if key.platform is not platform:
                raise invalid(("timeEntry",), "this time entry is not on Productive")
            plan["entry"] = key.remote_id
        return plan
    unsupported(platform, service=value.service, timeEntry=value.time_entry)
    body: dict[str, Any] = {}
    if value.project is not None:
        key = decode_input(value.project, ("project",), "Project")
        if key.platform is not platform:
            raise invalid(("project",), "this project is not on Clockify")
        body["projectId"] = key.remote_id
    if value.task is not None:
        if value.project is None:
            raise invalid(("task",), "a Clockify task needs its `project`")
        key = decode_input(value.task, ("task",), "Task")
        project_id, _, task_id = key.remote_id.rpartition("/")
        if project_id != body["projectId"]:
            raise invalid(("task",), "this task belongs to another project")
        body["taskId"] = task_id
    if value.tags:
        body["tagIds"] = [decode_input(t, ("tags",), "Tag").remote_id for t in value.tags]
    if value.description is not None:
        body["description"] = value.description
    if value.billable is not None:
        body["billable"] = value.billable
    return body
