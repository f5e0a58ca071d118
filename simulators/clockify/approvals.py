"""Approval requests for periods of tracked time (clockify-api-v1.txt): list, submit, submit for
a user, update the state. States: PENDING, APPROVED, WITHDRAWN_SUBMISSION, WITHDRAWN_APPROVAL,
REJECTED; the list filter takes only PENDING, APPROVED and WITHDRAWN_APPROVAL."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response

from simulators.clockify.errors import bad_request, forbidden, json, missing
from simulators.clockify.managers import manages, may_see
from simulators.clockify.params import json_body, page_params, paged, timestamp
from simulators.clockify.seed import approval_dto, week_start
from simulators.clockify.store import Entry, User, iso_duration, stamp
from simulators.clockify.webhooks import notify_request

if TYPE_CHECKING:
    from simulators.clockify.app import ClockifySimulator


LISTABLE_STATES = {"PENDING", "APPROVED", "WITHDRAWN_APPROVAL"}
TRANSITIONS = {
    "PENDING": {"APPROVED", "REJECTED", "WITHDRAWN_SUBMISSION"},
    "APPROVED": {"WITHDRAWN_APPROVAL"},
    "REJECTED": {"PENDING"},
    "WITHDRAWN_SUBMISSION": {"PENDING"},
    "WITHDRAWN_APPROVAL": {"PENDING"},
}


def _details(sim: ClockifySimulator, request_dto: dict[str, Any]) -> dict[str, Any]:
    covered = _covered(sim, request_dto)
    tracked = sum(e.seconds or 0 for e in covered)
    billable = sum(e.seconds or 0 for e in covered if e.billable)
    state = request_dto["status"]["state"]
    return {
        "approvalRequest": request_dto,
        "approvedTime": iso_duration(tracked if state == "APPROVED" else 0),
        "billableAmount": billable * 5000 / 3600 / 100,
        "billableTime": iso_duration(billable),
        "breakTime": "PT0S",
        "costAmount": 0,
        "entries": [_entry_info(sim, e) for e in covered],
        "expenseTotal": 0,
        "expenses": [],
        "pendingTime": iso_duration(tracked if state == "PENDING" else 0),
        "trackedTime": iso_duration(tracked),
    }


def _entry_info(sim: ClockifySimulator, e: Entry) -> dict[str, Any]:
    ws = sim.workspace
    dto = ws.entry_dto(e)
    project = ws.projects.get(e.project_id or "")
    task = ws.tasks.get(e.task_id or "")
    return {
        "approvalRequestId": e.approval_request_id,
        "billable": e.billable,
        "costRate": dto["costRate"],
        "customFieldValues": [],
        "description": e.description,
        "hourlyRate": dto["hourlyRate"],
        "id": e.id,
        "isLocked": e.locked,
        "project": {
            "clientId": None,
            "clientName": None,
            "color": project["color"],
            "id": project["id"],
            "name": project["name"],
        }
        if project
        else None,
        "tags": [ws.tags[t] for t in e.tag_ids if t in ws.tags],
        "task": {"id": task["id"], "name": task["name"]} if task else None,
        "timeInterval": dto["timeInterval"],
        "type": e.type,
    }


def _covered(sim: ClockifySimulator, dto: dict[str, Any]) -> list[Entry]:
    start = timestamp(dto["dateRange"]["start"], "start")
    end = timestamp(dto["dateRange"]["end"], "end")
    return sorted(
        sim.workspace.entries_between(dto["owner"]["userId"], start, end), key=lambda e: e.start
    )


async def list_approvals(sim: ClockifySimulator, request: Request) -> Response:
    user: User = request.state.user
    status = request.query_params.get("status")
    if status is not None and status not in LISTABLE_STATES:
        raise bad_request(f"status must be one of {sorted(LISTABLE_STATES)}")
    page, size = page_params(request, 50, sim.settings.max_page_size)
    items = [
        a
        for a in sim.workspace.approvals.values()
        if (status is None or a["status"]["state"] == status)
        and may_see(sim.workspace, user, a["owner"]["userId"])
    ]
    column = request.query_params.get("sort-column", "START")
    keys = {
        "ID": lambda a: a["id"],
        "USER_ID": lambda a: a["owner"]["userId"],
        "UPDATED_AT": lambda a: a["status"]["updatedAt"] or "",
    }
    items.sort(
        key=keys.get(column, lambda a: a["dateRange"]["start"]),
        reverse=request.query_params.get("sort-order", "DESCENDING") == "DESCENDING",
    )
    chunk, headers = paged(items, page, size)
    return json([_details(sim, a) for a in chunk], headers=headers)


def _submit(sim: ClockifySimulator, owner: User, by: User, body: dict[str, Any]) -> Response:
    if body.get("periodStart") in (None, ""):
        raise bad_request("Field 'periodStart' must not be null")
    period = body.get("period") or "WEEKLY"
    if period != "WEEKLY":
        raise bad_request("Only WEEKLY approval periods are simulated")
    start_day = timestamp(body["periodStart"], "periodStart").date()
    start = week_start(owner, start_day - timedelta(days=start_day.weekday()))
    for existing in sim.workspace.approvals.values():
        same = existing["owner"]["userId"] == owner.id and existing["dateRange"]["start"] == stamp(
            start
        )
        if same and existing["status"]["state"] in ("PENDING", "APPROVED"):
            raise bad_request("Approval request for this period already exists")
    rid = sim.workspace.new_id("approval")
    dto = approval_dto(sim.workspace, rid, owner, start, "PENDING")
    dto["creator"] = {"userEmail": by.email, "userId": by.id, "userName": by.name}
    dto["status"].update(
        updatedAt=stamp(sim.workspace.now()), updatedBy=by.id, updatedByUserName=by.name
    )
    sim.workspace.approvals[rid] = dto
    for entry in _covered(sim, dto):
        entry.approval_request_id, entry.locked = rid, True
    notify_request(sim, "NEW_APPROVAL_REQUEST", owner.id, dto)
    return json(dto, 201)


async def submit_own(sim: ClockifySimulator, request: Request) -> Response:
    user: User = request.state.user
    return _submit(sim, user, user, await json_body(request))


async def submit_for_user(sim: ClockifySimulator, request: Request) -> Response:
    user: User = request.state.user
    owner = sim.workspace.users.get(request.path_params["userId"])
    if owner is None:
        raise missing("User", request.path_params["userId"])
    if not user.admin and owner.id != user.id:
        raise forbidden("Only workspace admins can submit for other users")
    return _submit(sim, owner, user, await json_body(request))


def _resubmit(sim: ClockifySimulator, owner: User, by: User, body: dict[str, Any]) -> Response:
    """Rejected or withdrawn entries of a period go back for approval: the period's request
    is PENDING again and its entries locked (the docs answer 200 with no body)."""
    if body.get("periodStart") in (None, ""):
        raise bad_request("Field 'periodStart' must not be null")
    if (body.get("period") or "WEEKLY") != "WEEKLY":
        raise bad_request("Only WEEKLY approval periods are simulated")
    start_day = timestamp(body["periodStart"], "periodStart").date()
    start = stamp(week_start(owner, start_day - timedelta(days=start_day.weekday())))
    reopenable = ("REJECTED", "WITHDRAWN_SUBMISSION", "WITHDRAWN_APPROVAL")
    found = next(
        (
            a
            for a in sim.workspace.approvals.values()
            if a["owner"]["userId"] == owner.id
            and a["dateRange"]["start"] == start
            and a["status"]["state"] in reopenable
        ),
        None,
    )
    if found is None:
        raise bad_request("There are no rejected or withdrawn entries to resubmit for this period")
    found["status"] = {
        "note": None,
        "state": "PENDING",
        "updatedAt": stamp(sim.workspace.now()),
        "updatedBy": by.id,
        "updatedByUserName": by.name,
    }
    for entry in _covered(sim, found):
        entry.approval_request_id, entry.locked = found["id"], True
    notify_request(sim, "APPROVAL_REQUEST_STATUS_UPDATED", owner.id, found)
    return Response(status_code=200)


async def resubmit_own(sim: ClockifySimulator, request: Request) -> Response:
    user: User = request.state.user
    return _resubmit(sim, user, user, await json_body(request))


async def resubmit_for_user(sim: ClockifySimulator, request: Request) -> Response:
    user: User = request.state.user
    owner = sim.workspace.users.get(request.path_params["userId"])
    if owner is None:
        raise missing("User", request.path_params["userId"])
    if not user.admin and owner.id != user.id:
        raise forbidden("Only workspace admins can resubmit for other users")
    return _resubmit(sim, owner, user, await json_body(request))


async def update_approval(sim: ClockifySimulator, request: Request) -> Response:
    user: User = request.state.user
    dto = sim.workspace.approvals.get(request.path_params["approvalRequestId"])
    if dto is None:
        raise missing("ApprovalRequest", request.path_params["approvalRequestId"])
    body = await json_body(request)
    state = body.get("state")
    current = dto["status"]["state"]
    if state not in TRANSITIONS.get(current, set()) and state not in TRANSITIONS:
        raise bad_request("Field 'state' is not a valid approval state")
    if state not in TRANSITIONS.get(current, set()):
        raise bad_request(f"Approval request cannot change from {current} to {state}")
    deciding = state in ("APPROVED", "REJECTED", "WITHDRAWN_APPROVAL")
    owner_id = dto["owner"]["userId"]
    if deciding and not (user.admin or manages(sim.workspace, user, owner_id)):
        raise forbidden("Only approvers can approve or reject")
    if deciding and owner_id == user.id and not sim.settings.self_approval:
        raise forbidden("You cannot approve or reject your own approval request")
    dto["status"] = {
        "note": body.get("note"),
        "state": state,
        "updatedAt": stamp(sim.workspace.now()),
        "updatedBy": user.id,
        "updatedByUserName": user.name,
    }
    for entry in _covered(sim, dto):
        entry.locked = state in ("PENDING", "APPROVED")
    notify_request(sim, "APPROVAL_REQUEST_STATUS_UPDATED", owner_id, dto)
    return json(dto)


ROUTES = [
    ("GET", "/workspaces/{workspaceId}/approval-requests", list_approvals),
    ("POST", "/workspaces/{workspaceId}/approval-requests", submit_own),
    ("POST", "/workspaces/{workspaceId}/approval-requests/users/{userId}", submit_for_user),
    (
        "POST",
        "/workspaces/{workspaceId}/approval-requests/resubmit-entries-for-approval",
        resubmit_own,
    ),
    (
        "POST",
        "/workspaces/{workspaceId}/approval-requests/users/{userId}/resubmit-entries-for-approval",
        resubmit_for_user,
    ),
    ("PATCH", "/workspaces/{workspaceId}/approval-requests/{approvalRequestId}", update_approval),
]
