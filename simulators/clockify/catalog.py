"""Projects, tasks and tags: listed and fetched, paged with `Last-Page`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response

from simulators.clockify.errors import json, missing
from simulators.clockify.params import flag, page_params, paged

if TYPE_CHECKING:
    from simulators.clockify.app import ClockifySimulator


def _named(
    items: list[dict[str, Any]], request: Request, key: str = "name"
) -> list[dict[str, Any]]:
    name = (request.query_params.get("name") or "").lower()
    strict = flag(request, "strict-name-search")
    if not name:
        return items
    return [i for i in items if (i[key].lower() == name if strict else name in i[key].lower())]


async def list_projects(sim: ClockifySimulator, request: Request) -> Response:
    archived = flag(request, "archived")
    page, size = page_params(request, 50, sim.settings.max_page_size)
    items = [
        p
        for p in _named(list(sim.workspace.projects.values()), request)
        if archived is None or p["archived"] == archived
    ]
    chunk, headers = paged(sorted(items, key=lambda p: p["name"]), page, size)
    return json(chunk, headers=headers)


async def get_project(sim: ClockifySimulator, request: Request) -> Response:
    project = sim.workspace.projects.get(request.path_params["projectId"])
    if project is None:
        raise missing("Project", request.path_params["projectId"])
    return json(project)


async def list_tasks(sim: ClockifySimulator, request: Request) -> Response:
    await get_project(sim, request)
    pid = request.path_params["projectId"]
    page, size = page_params(request, 50, sim.settings.max_page_size)
    items = _named([t for t in sim.workspace.tasks.values() if t["projectId"] == pid], request)
    chunk, headers = paged(items, page, size)
    return json(chunk, headers=headers)


async def get_task(sim: ClockifySimulator, request: Request) -> Response:
    task = sim.workspace.tasks.get(request.path_params["taskId"])
    if task is None or task["projectId"] != request.path_params["projectId"]:
        raise missing("Task", request.path_params["taskId"])
    return json(task)


async def list_tags(sim: ClockifySimulator, request: Request) -> Response:
    page, size = page_params(request, 50, sim.settings.max_page_size)
    archived = flag(request, "archived")
    items = [
        t
        for t in _named(list(sim.workspace.tags.values()), request)
        if archived is None or t["archived"] == archived
    ]
    chunk, headers = paged(items, page, size)
    return json(chunk, headers=headers)


async def get_tag(sim: ClockifySimulator, request: Request) -> Response:
    tag = sim.workspace.tags.get(request.path_params["id"])
    if tag is None:
        raise missing("Tag", request.path_params["id"])
    return json(tag)


ROUTES = [
    ("GET", "/workspaces/{workspaceId}/projects", list_projects),
    ("GET", "/workspaces/{workspaceId}/projects/{projectId}", get_project),
    ("GET", "/workspaces/{workspaceId}/projects/{projectId}/tasks", list_tasks),
    ("GET", "/workspaces/{workspaceId}/projects/{projectId}/tasks/{taskId}", get_task),
    ("GET", "/workspaces/{workspaceId}/tags", list_tags),
    ("GET", "/workspaces/{workspaceId}/tags/{id}", get_tag),
]
