"""Time-off balances (clockify-api-v1.txt from line 9003): by policy, by user, and set for
users. A balance is what a user was given on a policy less what their approved requests used
(and, with the `pending_uses_balance` setting, their pending ones)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response

from simulators.clockify.errors import bad_request, forbidden, json, missing
from simulators.clockify.params import json_body
from simulators.clockify.store import User, Workspace

if TYPE_CHECKING:
    from simulators.clockify.app import ClockifySimulator

# What a user is given on a policy until an admin sets another value (docs: no default).
DEFAULT_ALLOWANCE = {"DAYS": 20.0, "HOURS": 40.0}
SORTS = {"USER", "POLICY", "USED", "BALANCE", "TOTAL"}


def applies(policy: dict[str, Any], user_id: str) -> bool:
    return bool(policy["everyoneIncludingNew"]) or user_id in policy["userIds"]


def used(workspace: Workspace, policy_id: str, user_id: str, pending: bool) -> float:
    counted = {"APPROVED", "PENDING"} if pending else {"APPROVED"}
    return sum(
        float(r["balanceDiff"])
        for r in workspace.time_off.values()
        if r["policyId"] == policy_id
        and r["userId"] == user_id
        and r["status"]["statusType"] in counted
    )


def allowance(workspace: Workspace, policy: dict[str, Any], user_id: str) -> float:
    default = DEFAULT_ALLOWANCE.get(policy["timeUnit"], 20.0)
    return workspace.allowances.get((policy["id"], user_id), default)


def balance_dto(sim: ClockifySimulator, policy: dict[str, Any], user: User) -> dict[str, Any]:
    ws = sim.workspace
    spent = used(ws, policy["id"], user.id, sim.settings.pending_uses_balance)
    total = allowance(ws, policy, user.id)
    negative = policy.get("negativeBalance") or {}
    return {
        "balance": total - spent,
        "id": f"{policy['id']}-{user.id}",
        "negativeBalanceAmount": float(negative.get("amount") or 0),
        "negativeBalanceLimit": bool(policy["allowNegativeBalance"]),
        "policyArchived": bool(policy["archived"]),
        "policyId": policy["id"],
        "policyName": policy["name"],
        "policyTimeUnit": policy["timeUnit"],
        "total": total,
        "used": spent,
        "userId": user.id,
        "userName": user.name,
        "workspaceId": ws.id,
    }


def _page(request: Request, items: list[dict[str, Any]], default_sort: str) -> dict[str, Any]:
    params = request.query_params
    raw_page, raw_size = params.get("page", "1"), params.get("page-size", "50")
    if not raw_page.isdigit() or not 1 <= int(raw_page) <= 1000:
        raise bad_request("page must be between 1 and 1000")
    if not raw_size.isdigit() or not 1 <= int(raw_size) <= 200:
        raise bad_request("page-size must be between 1 and 200")
    sort = params.get("sort", default_sort)
    if sort not in SORTS:
        raise bad_request(f"sort must be one of {sorted(SORTS)}")
    column = {
        "USER": "userName",
        "POLICY": "policyName",
        "USED": "used",
        "BALANCE": "balance",
        "TOTAL": "total",
    }[sort]
    items.sort(key=lambda b: b[column], reverse=params.get("sort-order") == "DESCENDING")
    page, size = int(raw_page), int(raw_size)
    return {"balances": items[(page - 1) * size : page * size], "count": len(items)}


async def by_policy(sim: ClockifySimulator, request: Request) -> Response:
    viewer: User = request.state.user
    policy = sim.workspace.policies.get(request.path_params["policyId"])
    if policy is None:
        raise missing("Policy", request.path_params["policyId"])
    users = [
        u
        for u in sim.workspace.users.values()
        if applies(policy, u.id) and (viewer.admin or u.id == viewer.id)
    ]
    return json(_page(request, [balance_dto(sim, policy, u) for u in users], "USER"))


async def by_user(sim: ClockifySimulator, request: Request) -> Response:
    viewer: User = request.state.user
    user = sim.workspace.users.get(request.path_params["userId"])
    if user is None:
        raise missing("User", request.path_params["userId"])
    if not viewer.admin and viewer.id != user.id:
        raise forbidden("Only workspace admins can read others' balances")
    policies = [p for p in sim.workspace.policies.values() if applies(p, user.id)]
    return json(_page(request, [balance_dto(sim, p, user) for p in policies], "POLICY"))


async def set_balance(sim: ClockifySimulator, request: Request) -> Response:
    viewer: User = request.state.user
    if not viewer.admin:
        raise forbidden("Only workspace admins can update balances")
    policy = sim.workspace.policies.get(request.path_params["policyId"])
    if policy is None:
        raise missing("Policy", request.path_params["policyId"])
    body = await json_body(request)
    value, user_ids = body.get("value"), body.get("userIds")
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise bad_request("Field 'value' must not be null")
    if not -10000 <= value <= 10000:
        raise bad_request("Field 'value' must be between -10000 and 10000")
    if not isinstance(user_ids, list) or not user_ids:
        raise bad_request("Field 'userIds' must not be empty")
    for uid in user_ids:
        if uid not in sim.workspace.users:
            raise missing("User", str(uid))
    for uid in user_ids:
        spent = used(sim.workspace, policy["id"], uid, sim.settings.pending_uses_balance)
        sim.workspace.allowances[(policy["id"], uid)] = float(value) + spent
    return Response(status_code=204)


ROUTES = [
    ("GET", "/workspaces/{workspaceId}/time-off/balance/policy/{policyId}", by_policy),
    ("PATCH", "/workspaces/{workspaceId}/time-off/balance/policy/{policyId}", set_balance),
    ("GET", "/workspaces/{workspaceId}/time-off/balance/user/{userId}", by_user),
]
