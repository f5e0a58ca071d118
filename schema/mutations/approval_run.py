"""Approving, rejecting and withdrawing mixed targets: read each item's state, report what
cannot change, and send the fewest writes for the rest."""

from __future__ import annotations

from collections.abc import Awaitable
from dataclasses import dataclass, field

import strawberry

from adapters.base import ApprovalKind, ApprovalRecord, ApprovalState, Platform
from adapters.errors import (
    AdapterError,
    Conflict,
    Forbidden,
    NotFound,
    UpstreamRejected,
    UpstreamUnavailable,
)
from adapters.productive import translate as productive_translate
from adapters.productive.writes import ProductiveWrites
from schema.approval import Approval
from schema.context import Context
from schema.mutations.attempts import Intent, once
from schema.mutations.common import (
    Outcome,
    Problem,
    UserErrorCode,
    decode_input,
    invalid,
)
from schema.mutations.targets import productive_writes

MAX_IDS = 200
# How an item's failure reads; anything else (unavailable, rate limited) is UPSTREAM_UNAVAILABLE.
ITEM_CODES = {
    Forbidden: UserErrorCode.FORBIDDEN,
    NotFound: UserErrorCode.NOT_FOUND,
    Conflict: UserErrorCode.CONFLICT,
    UpstreamRejected: UserErrorCode.INVALID_INPUT,
}


@dataclass
class Targets:
    """Decoded IDs by where they go, each remembering its index in the input."""

    entries: list[tuple[int, str]] = field(default_factory=list)
    sheets: list[tuple[int, str]] = field(default_factory=list)
    time_off: list[tuple[int, str, str]] = field(default_factory=list)
    absences: list[tuple[int, str]] = field(default_factory=list)  # Productive bookings


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
            kind, _, booking = key.remote_id.partition("/")
            if booking:
                targets.absences.append((index, booking))
            else:
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


def problem_at(code: UserErrorCode, index: int, message: str) -> Problem:
    return Problem(code, message, ("input", "ids", str(index)))


TARGETS = {  # what an entry's state is once each Productive write has landed
    "approve": {ApprovalState.APPROVED},
    "unapprove": {ApprovalState.DRAFT, ApprovalState.PENDING},
    "reject": {ApprovalState.REJECTED},
    "unreject": {ApprovalState.DRAFT, ApprovalState.PENDING},
}


class Run:
    """One approve/reject/withdraw over mixed targets: reads, then the fewest writes.

    Every write goes through `once`. On a retry whose earlier attempt's outcome is unknown,
    an item that attempt sent and that now stands in the state its write aims at counts as
    done, not as a CONFLICT: the earlier write landed.
    """

    def __init__(self, ctx: Context, action: str, reason: str | None = None) -> None:
        self.ctx = ctx
        self.action = action
        self.reason = reason
        self.done: dict[int, ApprovalRecord] = {}
        self.problems: list[Problem] = []
        self.bulk_verb = "approve" if action == "approve" else "unapprove"

    def _landed_earlier(self, entry_id: str, state: ApprovalState) -> bool:
        """Whether an earlier attempt with this key sent this entry, and its write landed."""
        steps = {
            f"bulk:{self.bulk_verb}": self.bulk_verb,
            f"reject:{entry_id}": "reject",
            f"unreject:{entry_id}": "unreject",
        }
        for step, verb in steps.items():
            earlier = self.ctx.attempt.earlier(step)
            if earlier is not None and entry_id in earlier["ids"] and state in TARGETS[verb]:
                return True
        return False

    async def productive(self, items: list[tuple[int, str]]) -> None:
        if not items:
            return
        writes = productive_writes(self.ctx)
        ids = [i for _, i in items]
        current = await writes.reread_entries(ids)
        bulk: list[tuple[int, str]] = []
        single: list[tuple[int, str, str]] = []
        settled: list[tuple[int, str]] = []
        for (index, entry_id), record in zip(items, current, strict=True):
            if record is None:
                self.refuse(UserErrorCode.NOT_FOUND, index, f"No Productive time entry {entry_id}")
                continue
            state = record.approval_state
            if self._landed_earlier(entry_id, state):
                settled.append((index, entry_id))
            elif self.action == "approve":
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
            try:
                await self._bulk(writes, [i for _, i in bulk])
            except Conflict:
                # Someone changed an entry between our read and the bulk request, which
                # Productive refuses whole: nothing changed; report every item of it.
                for index, entry_id in bulk:
                    self._conflict(index, entry_id, "changed meanwhile; nothing was done")
                bulk = []
        for index, entry_id, verb in single:
            try:
                await self._single(writes, verb, entry_id)
            except Conflict as error:
                self._conflict(index, entry_id, error.message)
                continue
            bulk.append((index, entry_id))
        changed = bulk + settled
        if changed:
            after = await writes.reread_entries([i for _, i in changed])
            for (index, _), record in zip(changed, after, strict=True):
                if record is not None:
                    self.done[index] = productive_translate.entry_approval(record)

    async def _in_state(self, writes: ProductiveWrites, ids: list[str], verb: str) -> bool | None:
        records = await writes.reread_entries(ids)
        landed = all(r is not None and r.approval_state in TARGETS[verb] for r in records)
        return True if landed else None

    async def _bulk(self, writes: ProductiveWrites, ids: list[str]) -> None:
        verb = self.bulk_verb
        step = f"bulk:{verb}"
        self.ctx.attempt.prior.pop(step, None)  # looked at item by item above

        async def look(intent: Intent) -> bool | None:
            return await self._in_state(writes, intent["ids"], verb)

        async def send(intent: Intent) -> bool:
            await writes.bulk(verb, intent["ids"])
            return True

        await once(self.ctx.attempt, step, {"ids": ids}, look, send)

    async def _single(self, writes: ProductiveWrites, verb: str, entry_id: str) -> None:
        step = f"{verb}:{entry_id}"
        self.ctx.attempt.prior.pop(step, None)

        async def look(intent: Intent) -> bool | None:
            return await self._in_state(writes, [entry_id], verb)

        async def send(intent: Intent) -> bool:
            if verb == "reject":
                await writes.reject(entry_id, self.reason)
            else:
                await writes.unreject(entry_id)
            return True

        await once(self.ctx.attempt, step, {"ids": [entry_id]}, look, send)

    def refuse(self, code: UserErrorCode, index: int, message: str) -> None:
        """Report one item that cannot change; the others go on."""
        self.problems.append(problem_at(code, index, message))

    def settled(self, index: int) -> bool:
        field = ("input", "ids", str(index))
        return index in self.done or any(p.field == field for p in self.problems)

    def fail(self, indexes: list[int], error: AdapterError, steps: tuple[str, ...]) -> None:
        """Items their platform failed on are reported, and the other items go on. A write
        that was sent (one of `steps`, recorded in this attempt) and got no usable answer is
        not one of them: whether it landed is unknown, so the error goes up (and an
        idempotency key stays open for a retry)."""
        sent = any(name.startswith(steps) for name in self.ctx.attempt.intent)
        if sent and isinstance(error, UpstreamUnavailable):
            raise error
        code = next(
            (c for kind, c in ITEM_CODES.items() if isinstance(error, kind)),
            UserErrorCode.UPSTREAM_UNAVAILABLE,
        )
        for index in indexes:
            if not self.settled(index):
                self.refuse(code, index, f"{error.platform.capitalize()}: {error.message}")

    async def guarded(
        self, indexes: list[int], steps: tuple[str, ...], work: Awaitable[None]
    ) -> None:
        """Run one platform's part (whose writes are the steps named so); its failure becomes
        its items' errors."""
        try:
            await work
        except AdapterError as error:
            self.fail(indexes, error, steps)

    def _conflict(self, index: int, remote_id: str, what: str) -> None:
        self.refuse(UserErrorCode.CONFLICT, index, f"Time entry {remote_id} {what}")

    def outcome(self) -> Outcome:
        approvals = [Approval(record=self.done[i]) for i in sorted(self.done)]
        problems = sorted(self.problems, key=lambda p: int((p.field or ("", "", "0"))[2]))
        return Outcome(objects={"approvals": approvals}, problems=problems)


def withdrawn_stub(
    platform: Platform, remote_id: str, policy_id: str | None = None
) -> ApprovalRecord:
    """Time off an earlier attempt withdrew (deleted upstream): only its identity is left to
    report."""
    return ApprovalRecord(
        platform=platform,
        remote_id=remote_id,
        kind=ApprovalKind.TIME_OFF,
        state=ApprovalState.WITHDRAWN,
        state_raw="WITHDRAWN",
        requester_id=None,
        period_start=None,
        period_end=None,
        raw={},
        policy_id=policy_id,
    )
