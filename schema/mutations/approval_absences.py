"""Productive absences (bookings on an event) in approve/reject/withdraw.

The reference documents no endpoint to approve or reject a booking, so those are refused per
item (UNSUPPORTED_ON_PLATFORM) while the other items go on. Withdrawing a pending absence
deletes the booking; an approved one is unapproved (`PATCH /bookings/{id}/unapprove`) and
waits for approval again.
"""

from __future__ import annotations

from dataclasses import replace

from adapters.base import ApprovalRecord, ApprovalState
from schema.approver_reads import productive_approvers
from schema.mutations.approval_run import Run, withdrawn_stub
from schema.mutations.attempts import Intent, once
from schema.mutations.common import UserErrorCode


async def decide_absences(run: Run, items: list[tuple[int, str]]) -> None:
    if not items:
        return
    approvers = productive_approvers(run.ctx)
    if run.action != "withdraw":
        for index, booking_id in items:
            run.refuse(
                UserErrorCode.UNSUPPORTED_ON_PLATFORM,
                index,
                f"Productive documents no way to {run.action} an absence (booking {booking_id}); "
                "decide it in Productive",
            )
        return
    for index, booking_id in items:
        step = f"absence:{booking_id}"
        earlier = run.ctx.attempt.prior.pop(step, None)
        current = await approvers.booking(booking_id)
        if earlier is not None and _landed(earlier["verb"], current):
            run.done[index] = _after(earlier["verb"], current, booking_id)
            continue
        if current is None:
            run.refuse(UserErrorCode.NOT_FOUND, index, f"No Productive absence {booking_id}")
            continue
        if current.state not in (ApprovalState.PENDING, ApprovalState.APPROVED):
            run.refuse(
                UserErrorCode.CONFLICT,
                index,
                f"Absence {booking_id} is {current.state_raw}: cannot withdraw",
            )
            continue
        verb = "delete" if current.state is ApprovalState.PENDING else "unapprove"

        async def look(intent: Intent, bid: str = booking_id) -> bool | None:
            return True if _landed(intent["verb"], await approvers.booking(bid)) else None

        async def send(intent: Intent, bid: str = booking_id) -> bool:
            if intent["verb"] == "delete":
                await approvers.delete_booking(bid)
            else:
                await approvers.unapprove_booking(bid)
            return True

        await once(run.ctx.attempt, step, {"verb": verb}, look, send)
        after = current if verb == "delete" else await approvers.booking(booking_id)
        run.done[index] = _after(verb, after, booking_id)


def _landed(verb: str, current: ApprovalRecord | None) -> bool:
    if verb == "delete":
        return current is None
    return current is not None and current.state is not ApprovalState.APPROVED


def _after(verb: str, record: ApprovalRecord | None, booking_id: str) -> ApprovalRecord:
    """What the absence is now: withdrawn (deleted), or waiting again (unapproved)."""
    base = record or _stub(booking_id)
    if verb == "delete":
        return replace(base, state=ApprovalState.WITHDRAWN, state_raw="WITHDRAWN")
    return base


def _stub(booking_id: str) -> ApprovalRecord:
    from adapters.base import Platform

    return withdrawn_stub(Platform.PRODUCTIVE, booking_id)
