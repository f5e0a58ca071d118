"""Approval requests (timesheets) and time off: policies and requests (clockify-api-v1.txt).

Approval states: PENDING, APPROVED, WITHDRAWN_SUBMISSION, WITHDRAWN_APPROVAL, REJECTED; the
list filter takes only PENDING, APPROVED, WITHDRAWN_APPROVAL. Time-off requests are PENDING,
APPROVED or REJECTED, and withdrawn by deleting them.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response

from simulators.clockify.errors import bad_request, forbidden, json, missing
from simulators.clockify.params import json_body, page_params, paged, timestamp
from simulators.clockify.seed import approval_dto, policy_dto, time_off_dto, week_start
from simulators.clockify.store import Entry, User, iso_duration, stamp

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
        and (user.admin or a["owner"]["userId"] == user.id)
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
    if deciding and not user.admin:
        raise forbidden("Only approvers can approve or reject")
    dto["status"] = {
        "note": body.get("note"),
        "state": state,
        "updatedAt": stamp(sim.workspace.now()),
        "updatedBy": user.id,
        "updatedByUserName": user.name,
    }
    for entry in _covered(sim, dto):
        entry.locked = state in ("PENDING", "APPROVED")
    return json(dto)


def _policy(sim: ClockifySimulator, request: Request, key: str = "id") -> dict[str, Any]:
    policy = sim.workspace.policies.get(request.path_params[key])
    if policy is None:
        raise missing("Policy", request.path_params[key])
    return policy


async def list_policies(sim: ClockifySimulator, request: Request) -> Response:
    status = request.query_params.get("status", "ACTIVE")
    if status not in ("ACTIVE", "ARCHIVED", "ALL"):
        raise bad_request("status must be ACTIVE, ARCHIVED or ALL")
    page, size = page_params(request, 50, sim.settings.max_page_size)
    name = (request.query_params.get("name") or "").lower()
    items = [
        p
        for p in sim.workspace.policies.values()
        if (status == "ALL" or p["archived"] == (status == "ARCHIVED"))
        and name in p["name"].lower()
    ]
    chunk, headers = paged(items, page, size)
    return json(chunk, headers=headers)


async def get_policy(sim: ClockifySimulator, request: Request) -> Response:
    return json(_policy(sim, request))


def _policy_values(body: dict[str, Any], required: tuple[str, ...]) -> dict[str, Any]:
    for name in required:
        if body.get(name) is None:
            raise bad_request(f"Field '{name}' must not be null")
    if "name" in body and not str(body.get("name") or "").strip():
        raise bad_request("Field 'name' must not be blank")
    if body.get("timeUnit", "DAYS") not in ("DAYS", "HOURS"):
        raise bad_request("Field 'timeUnit' must be DAYS or HOURS")
    approve = body.get("approve")
    if approve is not None and not isinstance(approve, dict):
        raise bad_request("Field 'approve' must be an object")
    values: dict[str, Any] = {}
    for name in (
        "name",
        "allowHalfDay",
        "allowNegativeBalance",
        "approve",
        "archived",
        "everyoneIncludingNew",
        "timeUnit",
    ):
        if name in body:
            values[name] = body[name]
    if "negativeBalance" in body:
        values["negativeBalance"] = body["negativeBalance"]
    for name, target in (("users", "userIds"), ("userGroups", "userGroupIds")):
        if isinstance(body.get(name), dict):
            values[target] = list(body[name].get("ids") or [])
    return values


async def create_policy(sim: ClockifySimulator, request: Request) -> Response:
    if not request.state.user.admin:
        raise forbidden("Only workspace admins can manage policies")
    values = _policy_values(await json_body(request), ("approve", "name"))
    pid = sim.workspace.new_id("policy")
    dto = policy_dto(sim.workspace, pid, values.pop("name"), **values)
    sim.workspace.policies[pid] = dto
    return json(dto, 201)


async def update_policy(sim: ClockifySimulator, request: Request) -> Response:
    if not request.state.user.admin:
        raise forbidden("Only workspace admins can manage policies")
    policy = _policy(sim, request)
    required = (
        "allowHalfDay",
        "allowNegativeBalance",
        "approve",
        "archived",
        "everyoneIncludingNew",
        "hasExpiration",
        "name",
        "userGroups",
        "users",
    )
    policy.update(_policy_values(await json_body(request), required))
    return json(policy)


async def change_policy_status(sim: ClockifySimulator, request: Request) -> Response:
    if not request.state.user.admin:
        raise forbidden("Only workspace admins can manage policies")
    policy = _policy(sim, request)
    status = (await json_body(request)).get("status")
    if status not in ("ACTIVE", "ARCHIVED"):
        raise bad_request("Field 'status' must be ACTIVE or ARCHIVED")
    policy["archived"] = status == "ARCHIVED"
    return json(policy)


async def delete_policy(sim: ClockifySimulator, request: Request) -> Response:
    if not request.state.user.admin:
        raise forbidden("Only workspace admins can manage policies")
    policy = _policy(sim, request)
    if not policy["archived"]:
        raise bad_request("Policy must be archived before it can be deleted")
    del sim.workspace.policies[policy["id"]]
    return Response(status_code=200)


def _request_time_off(
    sim: ClockifySimulator, owner: User, policy: dict[str, Any], body: dict[str, Any]
) -> Response:
    if policy["archived"]:
        raise bad_request("Cannot request time off on an archived policy")
    period = (
        (body.get("timeOffPeriod") or {}).get("period")
        if isinstance(body.get("timeOffPeriod"), dict)
        else None
    )
    if not isinstance(period, dict):
        raise bad_request("Field 'timeOffPeriod.period' must not be null")
    start = timestamp(period.get("start"), "timeOffPeriod.period.start")
    end = timestamp(period.get("end"), "timeOffPeriod.period.end")
    if end < start:
        raise bad_request("Field 'timeOffPeriod.period.end' must be after start")
    half = bool(body["timeOffPeriod"].get("isHalfDay"))
    if half and not policy["allowHalfDay"]:
        raise bad_request("Half days are not allowed by this policy")
    days = max(1, (end.date() - start.date()).days + 1)
    state = "PENDING" if policy["approve"]["requiresApproval"] else "APPROVED"
    rid = sim.workspace.new_id("timeoff")
    dto = time_off_dto(
        sim.workspace,
        rid,
        owner,
        policy,
        start,
        days,
        state,
        None,
        note=body.get("note"),
        half_day=half,
    )
    dto["timeOffPeriod"]["period"] = {"start": stamp(start), "end": stamp(end)}
    dto["createdAt"] = stamp(sim.workspace.now())
    sim.workspace.time_off[rid] = dto
    return json(dto)


async def request_own(sim: ClockifySimulator, request: Request) -> Response:
    policy = _policy(sim, request, "policyId")
    return _request_time_off(sim, request.state.user, policy, await json_body(request))


async def request_for_user(sim: ClockifySimulator, request: Request) -> Response:
    policy = _policy(sim, request, "policyId")
    owner = sim.workspace.users.get(request.path_params["userId"])
    if owner is None:
        raise missing("User", request.path_params["userId"])
    if not request.state.user.admin:
        raise forbidden("Only workspace admins can request time off for others")
    return _request_time_off(sim, owner, policy, await json_body(request))


async def list_time_off(sim: ClockifySimulator, request: Request) -> Response:
    body = await json_body(request)
    user: User = request.state.user
    statuses = set(body.get("statuses") or ["ALL"])
    if not statuses <= {"PENDING", "APPROVED", "REJECTED", "ALL"}:
        raise bad_request("Field 'statuses' takes PENDING, APPROVED, REJECTED or ALL")
    start = timestamp(body["start"], "start") if body.get("start") else None
    end = timestamp(body["end"], "end") if body.get("end") else None
    users = set(body.get("users") or [])
    page, size = int(body.get("page") or 1), int(body.get("pageSize") or 50)
    items = []
    for dto in sim.workspace.time_off.values():
        period = dto["timeOffPeriod"]["period"]
        if (
            ("ALL" not in statuses and dto["status"]["statusType"] not in statuses)
            or (users and dto["userId"] not in users)
            or (not user.admin and dto["userId"] != user.id)
        ):
            continue
        if start and timestamp(period["end"], "end") < start:
            continue
        if end and timestamp(period["start"], "start") > end:
            continue
        items.append(dto)
    items.sort(key=lambda d: d["timeOffPeriod"]["period"]["start"])
    chunk, _ = paged(items, page, size)
    return json({"count": len(items), "requests": chunk})


def _short(dto: dict[str, Any]) -> dict[str, Any]:
    keys = (
        "balanceDiff",
        "createdAt",
        "id",
        "note",
        "policyId",
        "status",
        "timeOffPeriod",
        "userId",
        "workspaceId",
    )
    return {k: dto[k] for k in keys}


def _time_off(sim: ClockifySimulator, request: Request) -> dict[str, Any]:
    dto = sim.workspace.time_off.get(request.path_params["requestId"])
    if dto is None or dto["policyId"] != request.path_params["policyId"]:
        raise missing("TimeOffRequest", request.path_params["requestId"])
    return dto


async def change_time_off(sim: ClockifySimulator, request: Request) -> Response:
    user: User = request.state.user
    dto = _time_off(sim, request)
    body = await json_body(request)
    status = body.get("status")
    if status not in ("APPROVED", "REJECTED"):
        raise bad_request("Field 'status' must be APPROVED or REJECTED")
    if not user.admin:
        raise forbidden("Only approvers can change a time off request")
    if dto["status"]["statusType"] != "PENDING":
        raise bad_request(f"Time off request is already {dto['status']['statusType']}")
    dto["status"].update(
        statusType=status,
        changedAt=stamp(sim.workspace.now()),
        changedByUserId=user.id,
        changedByUserName=user.name,
        note=body.get("note"),
    )
    return json(_short(dto))


async def withdraw_time_off(sim: ClockifySimulator, request: Request) -> Response:
    dto = _time_off(sim, request)
    user: User = request.state.user
    if not user.admin and dto["userId"] != user.id:
        raise forbidden("Only the requester or an admin can withdraw a request")
    del sim.workspace.time_off[dto["id"]]
    return json(_short(dto))


ROUTES = [
    ("GET", "/workspaces/{workspaceId}/approval-requests", list_approvals),
    ("POST", "/workspaces/{workspaceId}/approval-requests", submit_own),
    ("POST", "/workspaces/{workspaceId}/approval-requests/users/{userId}", submit_for_user),
    ("PATCH", "/workspaces/{workspaceId}/approval-requests/{approvalRequestId}", update_approval),
    ("GET", "/workspaces/{workspaceId}/time-off/policies", list_policies),
    ("POST", "/workspaces/{workspaceId}/time-off/policies", create_policy),
    ("GET", "/workspaces/{workspaceId}/time-off/policies/{id}", get_policy),
    ("PUT", "/workspaces/{workspaceId}/time-off/policies/{id}", update_policy),
    ("PATCH", "/workspaces/{workspaceId}/time-off/policies/{id}", change_policy_status),
    ("DELETE", "/workspaces/{workspaceId}/time-off/policies/{id}", delete_policy),
    ("POST", "/workspaces/{workspaceId}/time-off/policies/{policyId}/requests", request_own),
    (
        "POST",
        "/workspaces/{workspaceId}/time-off/policies/{policyId}/users/{userId}/requests",
        request_for_user,
    ),
    ("POST", "/workspaces/{workspaceId}/time-off/requests", list_time_off),
    (
        "PATCH",
        "/workspaces/{workspaceId}/time-off/policies/{policyId}/requests/{requestId}",
        change_time_off,
    ),
    (
        "DELETE",
        "/workspaces/{workspaceId}/time-off/policies/{policyId}/requests/{requestId}",
        withdraw_time_off,
    ),
]
