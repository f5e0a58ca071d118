"""Saving a Clockify time-off policy: a policy is replaced whole (PUT), so an update reads the
current one and merges the input into it."""

from __future__ import annotations

from typing import Any

import strawberry

from adapters.base import Platform, TimeOffPolicyRecord
from adapters.clockify import approval_translate
from adapters.clockify.verify import ClockifyVerify
from schema.context import Context
from schema.mutations.attempts import Intent, once
from schema.mutations.common import Outcome, UserErrorCode, decode_input, invalid
from schema.mutations.policy_types import TimeOffPolicyFields
from schema.mutations.targets import clockify_writes
from schema.policy import policy_object


def _clockify_people(ids: list[strawberry.ID], name: str) -> list[str]:
    out = []
    for index, value in enumerate(ids):
        key = decode_input(value, (name, str(index)), "Person")
        if key.platform is not Platform.CLOCKIFY:
            raise invalid((name, str(index)), "time-off policies take Clockify people")
        out.append(key.remote_id)
    return out


async def save_time_off(ctx: Context, value: TimeOffPolicyFields) -> Outcome:
    given_id = getattr(value, "id", None)  # only update inputs have one
    if given_id is None:
        if not (value.name or "").strip():
            raise invalid(("name",), "required to create a policy")
        if value.requires_approval is None:
            raise invalid(("requiresApproval",), "required to create a policy")
    if value.name is not None and not value.name.strip():
        raise invalid(("name",), "must not be blank")
    if value.negative_balance_limit is not None and value.negative_balance_limit < 0:
        raise invalid(("negativeBalanceLimit",), "must be 0 or more")
    approvers = _clockify_people(value.approver_ids or [], "approverIds")
    people = _clockify_people(value.person_ids or [], "personIds")
    writes = clockify_writes(ctx)
    current: dict[str, Any] = {}
    policy_id = None
    if given_id is not None:
        key = decode_input(given_id, ("id",), "TimeOffPolicy")
        if key.platform is not Platform.CLOCKIFY:
            raise invalid(
                ("id",),
                "Productive's kinds of absence (events) are edited in Productive",
                UserErrorCode.UNSUPPORTED_ON_PLATFORM,
            )
        policy_id = key.remote_id
        current = await writes.raw_policy(policy_id)
    approve = dict(
        current.get("approve")
        or {
            "requiresApproval": True,
            "teamManagers": False,
            "specificMembers": False,
            "userIds": [],
        }
    )
    if value.requires_approval is not None:
        approve["requiresApproval"] = value.requires_approval
    if value.team_managers_approve is not None:
        approve["teamManagers"] = value.team_managers_approve
    if value.approver_ids is not None:
        approve.update(userIds=approvers, specificMembers=bool(approvers))
    allow_negative = (
        value.allow_negative_balance
        if value.allow_negative_balance is not None
        else bool(current.get("allowNegativeBalance"))
    )
    if value.negative_balance_limit is not None and not allow_negative:
        raise invalid(("negativeBalanceLimit",), "needs allowNegativeBalance")
    unit = value.time_unit.value if value.time_unit else current.get("timeUnit", "DAYS")
    body: dict[str, Any] = {
        "name": value.name if value.name is not None else current.get("name"),
        "approve": approve,
        "timeUnit": unit,
        "allowHalfDay": value.allow_half_days
        if value.allow_half_days is not None
        else bool(current.get("allowHalfDay")),
        "allowNegativeBalance": allow_negative,
        "archived": bool(current.get("archived")),
        "everyoneIncludingNew": value.applies_to_everyone
        if value.applies_to_everyone is not None
        else bool(current.get("everyoneIncludingNew")),
        "hasExpiration": False,
        "users": {
            "contains": "CONTAINS",
            "ids": people if value.person_ids is not None else current.get("userIds", []),
        },
        "userGroups": {"contains": "CONTAINS", "ids": current.get("userGroupIds", [])},
    }
    if value.negative_balance_limit is not None:
        body["negativeBalance"] = {
            "amount": value.negative_balance_limit,
            "period": "YEAR",
            "timeUnit": unit,
            "shouldReset": True,
        }
    verify = ClockifyVerify(writes)

    async def look(intent: Intent) -> TimeOffPolicyRecord | None:
        if policy_id is None:
            found = await verify.created_policy(intent["body"])
        else:
            found = await verify.policy_has(policy_id, intent["body"])
        return approval_translate.time_off_policy(await writes.raw_policy(found)) if found else None

    async def send(intent: Intent) -> TimeOffPolicyRecord:
        if policy_id is None:
            return await writes.create_policy(intent["body"])
        return await writes.replace_policy(policy_id, intent["body"])

    step = "create" if policy_id is None else "update"
    record = await once(ctx.attempt, step, {"body": body}, look, send)
    return Outcome(objects={"policy": policy_object(record)})
