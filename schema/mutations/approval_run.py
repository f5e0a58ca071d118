"""Approving, rejecting and withdrawing mixed targets: read each item's state, report what
cannot change, and send the fewest writes for the rest."""

from __future__ import annotations

from dataclasses import dataclass, field

import strawberry

from adapters.base import ApprovalRecord, ApprovalState, Platform
from adapters.errors import Conflict
from adapters.productive import translate as productive_translate
from schema.approval import Approval
from schema.context import Context
from schema.mutations.common import (
    Outcome,
    Problem,
    UserErrorCode,
    decode_input,
    invalid,
)
from schema.mutations.targets import clockify_writes, productive_writes

MAX_IDS = 200


@dataclass
class Targets:
    """Decoded IDs by where they go, each remembering its index in the input."""

    entries: list[tuple[int, str]] = field(default_factory=list)
    sheets: list[tuple[int, str]] = field(default_factory=list)
    time_off: list[tuple[int, str, str]] = field(default_factory=list)


def targets_of(ctx: Context, ids: list[strawberry.ID]) -> Targets:
    if not ids:
        raise invalid(("ids",), "give at least one ID")
    if len(ids) > MAX_IDS:
        raise invalid(("ids",), f"at most {MAX_IDS} IDs at once, got {len(ids)}")
    targets = Targets()
    for index, value in enumerate(ids):
        path = ("ids", str(index))
        key = decode_input(value, path, "Approval", "TimeEntry")
        ctx.adapter(key.platform)
        if key.platform is Platform.PRODUCTIVE:
            targets.entries.append((index, key.remote_id))
            continue
        kind, _, rest = key.remote_id.partition("/")
        if kind == "timesheet":
            targets.sheets.append((index, rest))
        elif kind == "time_off":
            policy, _, request = rest.rpartition("/")
            targets.time_off.append((index, policy, request))
        else:
            raise invalid(
                path,
                "Clockify approves periods, not single entries: pass the "
                "Approval ID of the timesheet request",
                UserErrorCode.UNSUPPORTED_ON_PLATFORM,
            )
    return targets


def _problem(code: UserErrorCode, index: int, message: str) -> Problem:
    return Problem(code, message, ("input", "ids", str(index)))


class Run:
    """One approve/reject/withdraw over mixed targets: reads, then the fewest writes."""

    def __init__(self, ctx: Context, action: str, reason: str | None = None) -> None:
        self.ctx = ctx
        self.action = action
        self.reason = reason
        self.done: dict[int, ApprovalRecord] = {}
        self.problems: list[Problem] = []

    async def productive(self, items: list[tuple[int, str]]) -> None:
        if not items:
            return
        writes = productive_writes(self.ctx)
        ids = [i for _, i in items]
        current = await writes.reread_entries(ids)
        bulk: list[tuple[int, str]] = []
        single: list[tuple[int, str, str]] = []
        for (index, entry_id), record in zip(items, current, strict=True):
            if record is None:
                self.problems.append(
                    _problem(UserErrorCode.NOT_FOUND, index, f"No Productive time entry {entry_id}")
                )
                continue
            state = record.approval_state
            if self.action == "approve":
                if state is ApprovalState.APPROVED:
                    self._conflict(index, entry_id, "is already approved")
                elif state is ApprovalState.REJECTED:
                    self._conflict(index, entry_id, "is rejected: withdraw the rejection first")
                else:
                    bulk.append((index, entry_id))
            elif self.action == "reject":
                if state in (ApprovalState.APPROVED, ApprovalState.REJECTED):
                    self._conflict(index, entry_id, f"is already {state.value}")
                else:
                    single.append((index, entry_id, "reject"))
            elif state is ApprovalState.APPROVED:
                bulk.append((index, entry_id))
            elif state is ApprovalState.REJECTED:
                single.append((index, entry_id, "unreject"))
            else:
                self._conflict(index, entry_id, "is neither approved nor rejected")
        if bulk:
            action = "approve" if self.action == "approve" else "unapprove"
            try:
                await writes.bulk(action, [i for _, i in bulk])
            except Conflict:
                # Someone changed an entry between our read and the bulk request, which
                # Productive refuses whole: nothing changed; report every item of it.
                for index, entry_id in bulk:
                    self._conflict(index, entry_id, "changed meanwhile; nothing was done")
                bulk = []
        for index, entry_id, verb in single:
            try:
                if verb == "reject":
                    await writes.reject(entry_id, self.reason)
                else:
                    await writes.unreject(entry_id)
            except Conflict as error:
                self._conflict(index, entry_id, error.message)
                continue
            bulk.append((index, entry_id))
        if bulk:
            after = await writes.reread_entries([i for _, i in bulk])
            for (index, _), record in zip(bulk, after, strict=True):
                if record is not None:
                    self.done[index] = productive_translate.entry_approval(record)

    def _conflict(self, index: int, remote_id: str, what: str) -> None:
        self.problems.append(
            _problem(UserErrorCode.CONFLICT, index, f"Time entry {remote_id} {what}")
        )

    async def sheets(self, items: list[tuple[int, str]]) -> None:
        if not items:
            return
        adapter = self.ctx.adapter(Platform.CLOCKIFY)
        known = {r.remote_id: r for r in await adapter.approval_requests()}
        writes = clockify_writes(self.ctx)
        for index, request_id in items:
            record = known.get(request_id)
            if record is None:
                self.problems.append(
                    _problem(
                        UserErrorCode.NOT_FOUND, index, f"No Clockify approval request {request_id}"
                    )
                )
                continue
            target = self._sheet_state(record.state_raw)
            if target is None:
                self.problems.append(
                    _problem(
                        UserErrorCode.CONFLICT,
                        index,
                        f"Approval request {request_id} is {record.state_raw}: "
                        f"cannot {self.action}",
                    )
                )
                continue
            note = self.reason if self.action == "reject" else None
            updated = await writes.set_approval_state(request_id, target, note)
            self.done[index] = updated

    def _sheet_state(self, current: str) -> str | None:
        if self.action == "approve":
            return "APPROVED" if current == "PENDING" else None
        if self.action == "reject":
            return "REJECTED" if current == "PENDING" else None
        return {"APPROVED": "WITHDRAWN_APPROVAL", "PENDING": "WITHDRAWN_SUBMISSION"}.get(current)

    async def time_off(self, items: list[tuple[int, str, str]]) -> None:
        if not items:
            return
        adapter = self.ctx.adapter(Platform.CLOCKIFY)
        known = {r.remote_id: r for r in await adapter.time_off_requests()}
        writes = clockify_writes(self.ctx)
        changed: list[tuple[int, str]] = []
        for index, policy_id, request_id in items:
            record = known.get(request_id)
            if record is None or record.policy_id != policy_id:
                self.problems.append(
                    _problem(
                        UserErrorCode.NOT_FOUND, index, f"No Clockify time-off request {request_id}"
                    )
                )
                continue
            if record.state_raw != "PENDING":
                self.problems.append(
                    _problem(
                        UserErrorCode.CONFLICT,
                        index,
                        f"Time-off request {request_id} is {record.state_raw}: cannot "
                        f"{self.action}",
                    )
                )
                continue
            if self.action == "withdraw":
                await writes.withdraw_time_off(policy_id, request_id)
                self.done[index] = _withdrawn(record)
                continue
            status = "APPROVED" if self.action == "approve" else "REJECTED"
            await writes.set_time_off_status(
                policy_id, request_id, status, self.reason if status == "REJECTED" else None
            )
            changed.append((index, request_id))
        if changed:
            fresh = {r.remote_id: r for r in await _fresh_time_off(self.ctx)}
            for index, request_id in changed:
                if request_id in fresh:
                    self.done[index] = fresh[request_id]

    def outcome(self) -> Outcome:
        approvals = [Approval(record=self.done[i]) for i in sorted(self.done)]
        problems = sorted(self.problems, key=lambda p: int((p.field or ("", "", "0"))[2]))
        return Outcome(objects={"approvals": approvals}, problems=problems)


async def _fresh_time_off(ctx: Context) -> list[ApprovalRecord]:
    writes = clockify_writes(ctx)
    fresh: list[ApprovalRecord] = await writes.adapter.time_off_requests()
    return fresh


def _withdrawn(record: ApprovalRecord) -> ApprovalRecord:
    """Clockify withdraws a time-off request by deleting it; this is its last state."""
    from dataclasses import replace

    return replace(record, state=ApprovalState.WITHDRAWN, state_raw="WITHDRAWN")
