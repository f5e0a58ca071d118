"""Team managers (clockify-api-v1.txt, "Find user's team manager", line 554): who manages whom,
and what a manager may therefore read and decide for their team."""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import Response

from simulators.clockify.errors import forbidden, json, missing
from simulators.clockify.params import page_params, paged
from simulators.clockify.store import User, Workspace

if TYPE_CHECKING:
    from simulators.clockify.app import ClockifySimulator


def manages(workspace: Workspace, manager: User, user_id: str) -> bool:
    """Whether `manager` is a team manager of the user."""
    user = workspace.users.get(user_id)
    return user is not None and manager.id in user.manager_ids


def may_see(workspace: Workspace, viewer: User, user_id: str) -> bool:
    """Admins see everyone's requests, a user their own, a team manager their team's."""
    return viewer.admin or viewer.id == user_id or manages(workspace, viewer, user_id)


async def list_managers(sim: ClockifySimulator, request: Request) -> Response:
    viewer: User = request.state.user
    user_id = request.path_params["userId"]
    user = sim.workspace.users.get(user_id)
    if user is None:
        raise missing("User", user_id)
    if not may_see(sim.workspace, viewer, user_id):
        raise forbidden("Only workspace admins and the user's managers can read them")
    page, size = page_params(request, 50, sim.settings.max_page_size)
    managers = [sim.workspace.users[m] for m in user.manager_ids if m in sim.workspace.users]
    chunk, headers = paged(managers, page, size)
    return json([sim.workspace.user_dto(m) for m in chunk], headers=headers)


ROUTES = [
    ("GET", "/workspaces/{workspaceId}/users/{userId}/managers", list_managers),
]
