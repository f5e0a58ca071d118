"""archivePolicy, restorePolicy, deletePolicy on any kind of policy, once per key.

Productive answers 409 itself when the state forbids the change (productive-*-policies.txt);
on Clockify the policy is read first (a policy is deleted only once archived). A retry after
a lost answer finds the archive, restore or delete that landed.
"""

from __future__ import annotations

from adapters.base import Platform, PolicyRecord, TimeOffPolicyRecord
from adapters.clockify import approval_translate
from adapters.clockify.verify import ClockifyVerify
from adapters.productive.verify import ProductiveVerify
from schema.context import Context
from schema.ids import decode
from schema.mutations.attempts import Intent, once
from schema.mutations.common import Outcome, Problem, Refused, UserErrorCode, decode_input
from schema.mutations.policy_types import PolicyIdFields
from schema.mutations.targets import clockify_writes, productive_writes
from schema.policy import policy_object

COLLECTIONS = {
    "TimeTrackingPolicy": "time_tracking_policies",
    "ApprovalPolicy": "approval_policies",
    "TimeOffPolicy": "events",  # Productive's kinds of absence
}


async def lifecycle(ctx: Context, value: PolicyIdFields, action: str) -> Outcome:
    key = decode_input(value.id, ("id",), "TimeTrackingPolicy", "ApprovalPolicy", "TimeOffPolicy")
    type_name, _ = decode(value.id, "input.id")
    ctx.adapter(key.platform)
    deleted = Outcome(extra={"deleted_id": value.id})
    if action == "delete" and type_name == "ApprovalPolicy":
        # Neither productive-approval-policies.txt nor the reference has a DELETE for them.
        raise Refused(
            Problem(
                UserErrorCode.UNSUPPORTED_ON_PLATFORM,
                "Productive approval policies cannot be deleted; archive it with archivePolicy",
                ("input", "id"),
            )
        )
    if key.platform is Platform.PRODUCTIVE and type_name == "TimeOffPolicy" and action == "restore":
        # The reference documents `PATCH /events/{id}/archive` and no restore.
        raise Refused(
            Problem(
                UserErrorCode.UNSUPPORTED_ON_PLATFORM,
                "Productive documents no way to restore an archived absence event",
                ("input", "id"),
            )
        )
    if key.platform is Platform.PRODUCTIVE:
        writes = productive_writes(ctx)
        verify = ProductiveVerify(writes)
        collection = COLLECTIONS[type_name]
        path = f"/{collection}/{key.remote_id}"

        async def look(intent: Intent) -> PolicyRecord | bool | None:
            if action == "delete":
                return await verify.gone(path)
            found = await verify.policy_archived(collection, key.remote_id, action == "archive")
            return await writes.read_policy(collection, found) if found else None

        async def send(intent: Intent) -> PolicyRecord | bool:
            if action == "delete":
                await writes.delete_policy(collection, key.remote_id)
                return True
            return await writes.policy_action(collection, key.remote_id, action)

        done = await once(ctx.attempt, action, {}, look, send)
        if isinstance(done, bool):
            return deleted
        return Outcome(objects={"policy": policy_object(done)})
    writes_c = clockify_writes(ctx)
    verify_c = ClockifyVerify(writes_c)

    async def look_c(intent: Intent) -> TimeOffPolicyRecord | bool | None:
        if action == "delete":
            return await verify_c.gone(f"/time-off/policies/{key.remote_id}")
        found = await verify_c.policy_archived(key.remote_id, action == "archive")
        return (
            approval_translate.time_off_policy(await writes_c.raw_policy(found)) if found else None
        )

    async def send_c(intent: Intent) -> TimeOffPolicyRecord | bool:
        if action == "delete":
            await writes_c.delete_policy(key.remote_id)
            return True
        status = "ARCHIVED" if action == "archive" else "ACTIVE"
        return await writes_c.set_policy_status(key.remote_id, status)

    # The checks below read the state this write changes: ask for an earlier landing first.
    done_c: TimeOffPolicyRecord | bool | None = await ctx.attempt.landed(action, look_c)
    if done_c is None:
        current = await writes_c.raw_policy(key.remote_id)
        archived = bool(current.get("archived"))
        if action == "archive" and archived:
            raise _conflict("The policy is already archived")
        if action == "restore" and not archived:
            raise _conflict("The policy is not archived")
        if action == "delete" and not archived:
            raise _conflict("Clockify deletes only archived policies: archive it first")
        done_c = await once(ctx.attempt, action, {}, look_c, send_c)
    if isinstance(done_c, bool):
        return deleted
    return Outcome(objects={"policy": policy_object(done_c)})


def _conflict(message: str) -> Refused:
    return Refused(Problem(UserErrorCode.CONFLICT, message, ("input", "id")))
