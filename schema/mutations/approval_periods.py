"""Clockify periods in approve/reject/withdraw: weekly timesheet requests and time-off requests.

Each request's state is read first; one that cannot change is a CONFLICT without a write. On a
retry whose earlier attempt's outcome is unknown, a request already in the state that
attempt aimed at counts as done (its write landed), not as a CONFLICT.
"""

from __future__ import annotations

from dataclasses import replace

from adapters.base import ApprovalRecord, ApprovalState, Platform
from adapters.clockify.verify import ClockifyVerify
from adapters.errors import AdapterError
from schema.context import Context
from schema.mutations.approval_run import Run, withdrawn_stub
from schema.mutations.attempts import Intent, once
from schema.mutations.common import UserErrorCode
from schema.mutations.targets import clockify_writes


async def decide_sheets(run: Run, items: list[tuple[int, str]]) -> None:
    if not items:
        return
    adapter = run.ctx.adapter(Platform.CLOCKIFY)
    known = {r.remote_id: r for r in await adapter.approval_requests()}
    writes = clockify_writes(run.ctx)
    verify = ClockifyVerify(writes)
    for index, request_id in items:
        record = known.get(request_id)
        if record is None:
            run.refuse(UserErrorCode.NOT_FOUND, index, f"No Clockify approval request {request_id}")
            continue
        step = f"sheet:{request_id}"
        earlier = run.ctx.attempt.prior.pop(step, None)
        if earlier is not None and record.state_raw == earlier["state"]:
            run.done[index] = record  # the earlier attempt's change landed
            continue
        target = _sheet_state(run, record.state_raw)
        if target is None:
            run.refuse(
                UserErrorCode.CONFLICT,
                index,
                f"Approval request {request_id} is {record.state_raw}: cannot {run.action}",
            )
            continue

        async def look(intent: Intent, rid: str = request_id) -> ApprovalRecord | None:
            return await verify.approval_in(rid, intent["state"])

        async def send(intent: Intent, rid: str = request_id) -> ApprovalRecord:
            note = run.reason if intent["state"] == "REJECTED" else None
            return await writes.set_approval_state(rid, intent["state"], note)

        try:
            run.done[index] = await once(run.ctx.attempt, step, {"state": target}, look, send)
        except AdapterError as error:
            run.fail([index], error, (step,))  # this request failed; the next ones go on


def _sheet_state(run: Run, current: str) -> str | None:
    if run.action == "approve":
        return "APPROVED" if current == "PENDING" else None
    if run.action == "reject":
        return "REJECTED" if current == "PENDING" else None
    return {"APPROVED": "WITHDRAWN_APPROVAL", "PENDING": "WITHDRAWN_SUBMISSION"}.get(current)


async def decide_time_off(run: Run, items: list[tuple[int, str, str]]) -> None:
    if not items:
        return
    adapter = run.ctx.adapter(Platform.CLOCKIFY)
    known = {r.remote_id: r for r in await adapter.time_off_requests()}
    writes = clockify_writes(run.ctx)
    verify = ClockifyVerify(writes)
    changed: list[tuple[int, str]] = []
    status = {"approve": "APPROVED", "reject": "REJECTED"}.get(run.action)
    for index, policy_id, request_id in items:
        record = known.get(request_id)
        step = f"timeoff:{request_id}"
        earlier = run.ctx.attempt.prior.pop(step, None)
        if earlier is not None:
            if status is None and record is None:
                run.done[index] = _withdrawn_stub(policy_id, request_id)
                continue
            if record is not None and status is not None and record.state_raw == status:
                run.done[index] = record
                continue
        if record is None or record.policy_id != policy_id:
            run.refuse(UserErrorCode.NOT_FOUND, index, f"No Clockify time-off request {request_id}")
            continue
        # Withdrawing deletes the request: pending, or approved time off that is cancelled.
        allowed = ("PENDING", "APPROVED") if status is None else ("PENDING",)
        if record.state_raw not in allowed:
            run.refuse(
                UserErrorCode.CONFLICT,
                index,
                f"Time-off request {request_id} is {record.state_raw}: cannot {run.action}",
            )
            continue

        async def look(intent: Intent, rid: str = request_id) -> bool | None:
            return True if await verify.time_off_in(rid, intent["status"]) else None

        async def send(intent: Intent, pid: str = policy_id, rid: str = request_id) -> bool:
            if intent["status"] is None:
                await writes.withdraw_time_off(pid, rid)
            else:
                note = run.reason if intent["status"] == "REJECTED" else None
                await writes.set_time_off_status(pid, rid, intent["status"], note)
            return True

        try:
            await once(run.ctx.attempt, step, {"status": status}, look, send)
        except AdapterError as error:
            run.fail([index], error, (step,))  # this request failed; the next ones go on
            continue
        if status is None:
            run.done[index] = _withdrawn(record)
        else:
            changed.append((index, request_id))
    if changed:
        fresh = {r.remote_id: r for r in await _fresh_time_off(run.ctx)}
        for index, request_id in changed:
            if request_id in fresh:
                run.done[index] = fresh[request_id]


async def _fresh_time_off(ctx: Context) -> list[ApprovalRecord]:
    writes = clockify_writes(ctx)
    fresh: list[ApprovalRecord] = await writes.adapter.time_off_requests()
    return fresh


def _withdrawn(record: ApprovalRecord) -> ApprovalRecord:
    """Clockify withdraws a time-off request by deleting it; this is its last state."""
    return replace(record, state=ApprovalState.WITHDRAWN, state_raw="WITHDRAWN")


def _withdrawn_stub(policy_id: str, request_id: str) -> ApprovalRecord:
    """A request an earlier attempt deleted: only its identity is left to report."""
    return withdrawn_stub(Platform.CLOCKIFY, request_id, policy_id)
