"""Time entries and timers: per-user lists, get/create/update/delete, stop the running entry,
in-progress entries, and the 405 for the bare workspace list (FACTS.md, clockify-api-v1.txt)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response

from simulators.clockify.errors import ClockifyError, bad_request, forbidden, json, missing
from simulators.clockify.params import (
    flag,
    json_body,
    optional_timestamp,
    page_params,
    paged,
    timestamp,
)
from simulators.clockify.store import Entry, User
from simulators.clockify.webhooks import notify

if TYPE_CHECKING:
    from simulators.clockify.app import ClockifySimulator


def _dto(sim: ClockifySimulator, entry: Entry, with_rates: bool = True) -> dict[str, Any]:
    iso = sim.settings.duration_format == "iso"
    return sim.workspace.entry_dto(entry, with_rates=with_rates, iso=iso)


def _may_act_for(user: User, target_id: str) -> None:
    if user.id != target_id and not user.admin:
        raise forbidden("Only workspace admins can access other users' time entries")


async def list_for_user(sim: ClockifySimulator, request: Request) -> Response:
    user: User = request.state.user
    target = request.path_params["userId"]
    if target not in sim.workspace.users:
        raise missing("User", target)
    _may_act_for(user, target)
    q = request.query_params
    if flag(request, "hydrated"):
        raise bad_request("hydrated=true is not simulated")
    start = optional_timestamp(q.get("start"), "start")
    end = optional_timestamp(q.get("end"), "end")
    in_progress = flag(request, "in-progress")
    page, size = page_params(request, 50, sim.settings.max_page_size)
    text = (q.get("description") or "").lower()
    tags = set(q.getlist("tags"))
    found = [
        e
        for e in sim.workspace.entries.values()
        if e.user_id == target
        and (start is None or e.start >= start)
        and (end is None or e.start <= end)
        and (not q.get("project") or e.project_id == q.get("project"))
        and (not q.get("task") or e.task_id == q.get("task"))
        and (text in e.description.lower())
        and (not tags or tags & set(e.tag_ids))
        and (in_progress is None or (e.end is None) == in_progress)
    ]
    found.sort(key=lambda e: e.start, reverse=True)  # newest first, as Clockify lists them
    chunk, headers = paged(found, page, size)
    return json([_dto(sim, e) for e in chunk], headers=headers)


async def bare_list(sim: ClockifySimulator, request: Request) -> Response:
    raise ClockifyError(405, "Request method 'GET' is not supported", 405)


def _validated_entry(
    sim: ClockifySimulator, body: dict[str, Any], user_id: str, require_start: bool
) -> dict[str, Any]:
    ws = sim.workspace
    if body.get("start") in (None, "") and require_start:
        raise bad_request("Field 'start' must not be null")
    start = timestamp(body.get("start"), "start") if body.get("start") else ws.now()
    end = optional_timestamp(body.get("end"), "end")
    if end is not None and end < start:
        raise bad_request("Field 'end' must be after 'start'")
    project, task = body.get("projectId"), body.get("taskId")
    if project and project not in ws.projects:
        raise missing("Project", project)
    if task and (task not in ws.tasks or ws.tasks[task]["projectId"] != project):
        raise missing("Task", task)
    tag_ids = body.get("tagIds") or []
    if not isinstance(tag_ids, list) or any(t not in ws.tags for t in tag_ids):
        raise missing("Tag", ",".join(map(str, tag_ids)))
    entry_type = body.get("type") or "REGULAR"
    if entry_type not in ("REGULAR", "BREAK"):
        raise bad_request("Field 'type' must be REGULAR or BREAK")
    return {
        "start": start,
        "end": end,
        "description": str(body.get("description") or ""),
        "project_id": project,
        "task_id": task,
        "tag_ids": list(tag_ids),
        "billable": bool(
            body.get("billable", ws.projects.get(project or "", {}).get("billable", True))
        ),
        "type": entry_type,
    }


def _create(sim: ClockifySimulator, user_id: str, body: dict[str, Any]) -> Response:
    values = _validated_entry(sim, body, user_id, require_start=False)
    ws = sim.workspace
    if values["end"] is None:
        running = ws.running_entry(user_id)
        if running is not None:  # one running entry per user: the new one stops the old
            running.end = max(values["start"], running.start)
            running.updated_at = ws.now()
            notify(sim, "TIMER_STOPPED", running, _dto(sim, running, with_rates=False))
    entry = Entry(ws.new_id("entry"), user_id, **values, created_at=ws.now())
    ws.entries[entry.id] = entry
    body = _dto(sim, entry, with_rates=False)
    notify(sim, "NEW_TIMER_STARTED" if entry.end is None else "NEW_TIME_ENTRY", entry, body)
    return json(body, 201)


async def create_own(sim: ClockifySimulator, request: Request) -> Response:
    return _create(sim, request.state.user.id, await json_body(request))


async def create_for_user(sim: ClockifySimulator, request: Request) -> Response:
    target = request.path_params["userId"]
    if target not in sim.workspace.users:
        raise missing("User", target)
    _may_act_for(request.state.user, target)
    return _create(sim, target, await json_body(request))


async def stop_running(sim: ClockifySimulator, request: Request) -> Response:
    target = request.path_params["userId"]
    _may_act_for(request.state.user, target)
    body = await json_body(request)
    if body.get("end") in (None, ""):
        raise bad_request("Field 'end' must not be null")
    end = timestamp(body["end"], "end")
    running = sim.workspace.running_entry(target)
    if running is None:
        return json(
            {
                "code": 404,
                "message": "Currently running time entry doesn't exist on "
                "workspace " + sim.workspace.id + " for user " + target + ".",
            },
            404,
        )
    if end < running.start:
        raise bad_request("Field 'end' must be after 'start'")
    running.end = end
    running.updated_at = sim.workspace.now()
    body = _dto(sim, running, with_rates=False)
    notify(sim, "TIMER_STOPPED", running, body)
    return json(body)


def _entry(sim: ClockifySimulator, request: Request) -> Entry:
    entry = sim.workspace.entries.get(request.path_params["id"])
    if entry is None:
        raise missing("TimeEntry", request.path_params["id"])
    _may_act_for(request.state.user, entry.user_id)
    return entry


async def get_entry(sim: ClockifySimulator, request: Request) -> Response:
    return json(_dto(sim, _entry(sim, request)))


async def update_entry(sim: ClockifySimulator, request: Request) -> Response:
    entry = _entry(sim, request)
    if entry.locked:
        raise forbidden("Time entry is locked")
    values = _validated_entry(sim, await json_body(request), entry.user_id, require_start=True)
    for name, value in values.items():
        setattr(entry, name, value)
    entry.updated_at = sim.workspace.now()
    body = _dto(sim, entry, with_rates=False)
    notify(sim, "TIME_ENTRY_UPDATED", entry, body)
    return json(body)


async def delete_entry(sim: ClockifySimulator, request: Request) -> Response:
    entry = _entry(sim, request)
    if entry.locked:
        raise forbidden("Time entry is locked")
    del sim.workspace.entries[entry.id]
    created = entry.created_at or entry.start
    body = _dto(sim, entry, with_rates=False)
    sim.workspace.deleted.append((sim.workspace.now(), created, body))
    notify(sim, "TIME_ENTRY_DELETED", entry, body)
    return Response(status_code=204)


async def in_progress(sim: ClockifySimulator, request: Request) -> Response:
    user: User = request.state.user
    if not user.admin:
        raise forbidden("Only workspace admins can see everyone's running entries")
    page, size = page_params(request, 10, 1000)
    running = sorted(
        (e for e in sim.workspace.entries.values() if e.end is None),
        key=lambda e: e.start,
        reverse=True,
    )
    chunk, headers = paged(running, page, size)
    return json([_dto(sim, e) for e in chunk], headers=headers)


ROUTES = [
    ("GET", "/workspaces/{workspaceId}/time-entries", bare_list),
    ("POST", "/workspaces/{workspaceId}/time-entries", create_own),
    ("GET", "/workspaces/{workspaceId}/time-entries/status/in-progress", in_progress),
    ("GET", "/workspaces/{workspaceId}/time-entries/{id}", get_entry),
    ("PUT", "/workspaces/{workspaceId}/time-entries/{id}", update_entry),
    ("DELETE", "/workspaces/{workspaceId}/time-entries/{id}", delete_entry),
    ("GET", "/workspaces/{workspaceId}/user/{userId}/time-entries", list_for_user),
    ("POST", "/workspaces/{workspaceId}/user/{userId}/time-entries", create_for_user),
    ("PATCH", "/workspaces/{workspaceId}/user/{userId}/time-entries", stop_running),
]
