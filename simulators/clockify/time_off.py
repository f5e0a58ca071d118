"""Time off: policies and requests (clockify-api-v1.txt). Requests are PENDING, APPROVED or
REJECTED, and withdrawn by deleting them; a policy is deleted only once archived."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from starlette.requests import Request
from starlette.responses import Response

from simulators.clockify.balances import allowance, applies, used
from simulators.clockify.errors import bad_request, forbidden, json, missing
from simulators.clockify.managers import manages, may_see
from simulators.clockify.params import json_body, page_params, paged, timestamp
from simulators.clockify.seed import policy_dto, time_off_dto
from simulators.clockify.store import User, stamp
from simulators.clockify.webhooks import notify_request

if TYPE_CHECKING:
    from simulators.clockify.app import ClockifySimulator


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
    # Days are the requester's calendar days: the period is their local midnight to midnight.
    local = ZoneInfo(owner.time_zone)
    days = max(1, (end.astimezone(local).date() - start.astimezone(local).date()).days + 1)
    if not applies(policy, owner.id):
        raise bad_request("User is not assigned to this policy")
    _refuse_overlap(sim, owner, start, end)
    unit = 8.0 if policy["timeUnit"] == "HOURS" else 1.0  # an hours policy counts 8 per day
    diff = (0.5 if half else float(days)) * unit
    _refuse_over_balance(sim, owner, policy, diff)
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
    dto["balanceDiff"] = diff
    half_period = body["timeOffPeriod"].get("halfDayPeriod")
    if half and half_period in ("FIRST_HALF", "SECOND_HALF"):
        dto["timeOffPeriod"]["halfDayPeriod"] = half_period
    sim.workspace.time_off[rid] = dto
    notify_request(sim, "TIME_OFF_REQUESTED", owner.id, dto)
    if state == "APPROVED":
        notify_request(sim, "TIME_OFF_REQUEST_APPROVED", owner.id, dto)
    return json(dto)


def _refuse_overlap(sim: ClockifySimulator, owner: User, start: Any, end: Any) -> None:
    for other in sim.workspace.time_off.values():
        if other["userId"] != owner.id or other["status"]["statusType"] == "REJECTED":
            continue
        period = other["timeOffPeriod"]["period"]
        if timestamp(period["start"], "start") <= end and timestamp(period["end"], "end") >= start:
            raise bad_request("Time off request overlaps with an existing request")


def _refuse_over_balance(
    sim: ClockifySimulator, owner: User, policy: dict[str, Any], diff: float
) -> None:
    """Pending requests reserve their time: the balance left must cover this one, or stay
    within the policy's negative balance limit where it allows one."""
    left = allowance(sim.workspace, policy, owner.id) - used(
        sim.workspace, policy["id"], owner.id, pending=True
    )
    floor = 0.0
    if policy["allowNegativeBalance"]:
        floor = -float((policy.get("negativeBalance") or {}).get("amount") or 0)
    if left - diff < floor:
        raise bad_request("Insufficient balance for this time off request")


def may_decide(sim: ClockifySimulator, user: User, owner_id: str, approve: dict[str, Any]) -> bool:
    """Admins decide every request; team managers their team's where the policy lets team
    managers approve; specific members where the policy names them."""
    if owner_id == user.id and not sim.settings.self_approval:
        return False
    if user.admin:
        return True
    if approve.get("teamManagers") and manages(sim.workspace, user, owner_id):
        return True
    return bool(approve.get("specificMembers")) and user.id in (approve.get("userIds") or [])


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
            or not may_see(sim.workspace, user, dto["userId"])
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
    policy = sim.workspace.policies.get(dto["policyId"]) or {}
    if not may_decide(sim, user, dto["userId"], policy.get("approve") or {}):
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
    event = "TIME_OFF_REQUEST_APPROVED" if status == "APPROVED" else "TIME_OFF_REQUEST_REJECTED"
    notify_request(sim, event, dto["userId"], dto)
    return json(_short(dto))


async def withdraw_time_off(sim: ClockifySimulator, request: Request) -> Response:
    dto = _time_off(sim, request)
    user: User = request.state.user
    if not user.admin and dto["userId"] != user.id:
        raise forbidden("Only the requester or an admin can withdraw a request")
    del sim.workspace.time_off[dto["id"]]
    return json(_short(dto))


ROUTES = [
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
