"""The current user, workspaces, workspace users (list and `users/info`) and member profiles."""

from __future__ import annotations

import json as json_module
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response

from simulators.clockify.errors import bad_request, json, missing
from simulators.clockify.params import json_body, page_params, paged
from simulators.clockify.store import User

if TYPE_CHECKING:
    from simulators.clockify.app import ClockifySimulator

STATUSES = {"PENDING", "ACTIVE", "DECLINED", "INACTIVE", "ALL"}


async def current_user(sim: ClockifySimulator, request: Request) -> Response:
    return json(sim.workspace.user_dto(request.state.user))


async def workspaces(sim: ClockifySimulator, request: Request) -> Response:
    ws = sim.workspace
    user: User = request.state.user
    return json(
        [
            {
                "id": ws.id,
                "name": ws.name,
                "imageUrl": "",
                "hourlyRate": {"amount": 5000, "currency": "EUR"},
                "memberships": sim.workspace.user_dto(user)["memberships"],
            }
        ]
    )


def _select(
    sim: ClockifySimulator,
    email: str | None,
    name: str | None,
    status: str | None,
    sort_column: str | None,
    sort_order: str | None,
) -> list[User]:
    if status is not None and status not in STATUSES:
        raise bad_request(f"status must be one of {sorted(STATUSES)}")
    found = [
        u
        for u in sim.workspace.users.values()
        if (not email or email.lower() in u.email.lower())
        and (not name or name.lower() in u.name.lower())
        and (status in (None, "ALL") or u.status == status)
    ]
    key = {"EMAIL": lambda u: u.email, "ID": lambda u: u.id}.get(
        sort_column or "", lambda u: u.name.lower()
    )
    found.sort(key=key, reverse=sort_order == "DESCENDING")
    return found


async def list_users(sim: ClockifySimulator, request: Request) -> Response:
    q = request.query_params
    page, size = page_params(request, 50, sim.settings.max_page_size)
    found = _select(
        sim,
        q.get("email"),
        q.get("name"),
        q.get("status"),
        q.get("sort-column"),
        q.get("sort-order"),
    )
    chunk, headers = paged(found, page, size)
    return json([sim.workspace.user_dto(u) for u in chunk], headers=headers)


async def filter_users(sim: ClockifySimulator, request: Request) -> Response:
    body: dict[str, Any] = await json_body(request)
    page, size = int(body.get("page") or 1), int(body.get("pageSize") or 50)
    if page < 1 or not 1 <= size <= sim.settings.max_page_size:
        raise bad_request("page and pageSize must be positive")
    found = _select(
        sim,
        body.get("email"),
        body.get("name"),
        body.get("status"),
        body.get("sortColumn"),
        body.get("sortOrder"),
    )
    chunk, headers = paged(found, page, size)
    return json([sim.workspace.user_dto(u) for u in chunk], headers=headers)


async def member_profile(sim: ClockifySimulator, request: Request) -> Response:
    user = sim.workspace.users.get(request.path_params["userId"])
    if user is None:
        raise missing("User", request.path_params["userId"])
    return json(
        {
            "email": user.email,
            "hasPassword": True,
            "hasPendingApprovalRequest": any(
                a["owner"]["userId"] == user.id and a["status"]["state"] == "PENDING"
                for a in sim.workspace.approvals.values()
            ),
            "imageUrl": f"https://img.example.com/{user.id}.png",
            "name": user.name,
            "userCustomFieldValues": [],
            "weekStart": "MONDAY",
            "workCapacity": user.work_capacity,
            # As the docs' sample writes it: a JSON list inside a string (the spec types it
            # as one day, a string enum).
            "workingDays": json_module.dumps(list(user.working_days)),
            "workspaceNumber": 1,
        }
    )


ROUTES = [
    ("GET", "/user", current_user),
    ("GET", "/workspaces", workspaces),
    ("GET", "/workspaces/{workspaceId}/users", list_users),
    ("POST", "/workspaces/{workspaceId}/users/info", filter_users),
    ("GET", "/workspaces/{workspaceId}/member-profile/{userId}", member_profile),
]
