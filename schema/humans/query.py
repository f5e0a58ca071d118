"""Query fields of humans: the list of them, one approver's view of everyone's compliance,
and finding a human by one of their accounts."""

from __future__ import annotations

from typing import Annotated

import strawberry

from adapters.base import Platform
from schema.arguments import After, Before, First, Last
from schema.connections import Connection, fingerprint, offset_connection
from schema.context import Context
from schema.errors import bad_input
from schema.filters import DateRange
from schema.humans import compliance
from schema.humans.human import Human, checked_range, now, today_of
from schema.humans.linking import HumanRecord, human_of
from schema.humans.reads import all_humans, days_of, policy_of, read_batch
from schema.humans.views import PolicyViolation
from schema.ids import decode_as

TEAM_RANGE_DAYS = 31


@strawberry.type(description="One human's violations, in a team's compliance view.")
class HumanCompliance:
    human: Human = strawberry.field(description="The human.")
    violations: list[PolicyViolation] = strawberry.field(
        description="Their violations, by day (empty when compliant)."
    )


async def humans_by_id(
    info: strawberry.Info[Context, None], ids: list[strawberry.ID], argument: str
) -> list[HumanRecord]:
    everyone = await all_humans(info.context, info)
    found = []
    for value in ids:
        key = decode_as(value, argument, "Human")
        human = human_of(everyone, key.platform, key.remote_id)
        if human is None:
            raise bad_input(argument, f"no human has the ID {value}")
        found.append(human)
    return found


@strawberry.type
class HumansQuery:
    @strawberry.field(
        description="Every human: the accounts of both platforms, linked by email (or by "
        "TIMEBRIDGE_HUMAN_LINKS), ordered by name."
    )
    async def humans(
        self,
        info: strawberry.Info[Context, None],
        text: Annotated[
            str | None,
            strawberry.argument(description="Only humans whose name or email contains this."),
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Human]:
        found = await all_humans(info.context, info)
        if text:
            needle = text.lower()
            found = [h for h in found if needle in f"{h.name} {h.email or ''}".lower()]
        return offset_connection(
            [Human(record=h) for h in found],
            first,
            after,
            fingerprint("humans", text),
            last=last,
            before=before,
        )

    @strawberry.field(
        description="An approver's view: the policy violations of these humans (default: "
        "everyone) over at most 31 days, from one batch of reads for all of them."
    )
    async def team_compliance(
        self,
        info: strawberry.Info[Context, None],
        date_range: Annotated[DateRange, strawberry.argument(description="Which days.")],
        human_ids: Annotated[
            list[strawberry.ID] | None,
            strawberry.argument(description="Whose (Human IDs): the approver's reports."),
        ] = None,
    ) -> list[HumanCompliance]:
        checked_range(date_range, "dateRange", TEAM_RANGE_DAYS)
        humans = (
            await humans_by_id(info, human_ids, "humanIds")
            if human_ids is not None
            else await all_humans(info.context, info)
        )
        batch = await read_batch(info.context, info, humans, date_range.start, date_range.end)
        out = []
        for human in humans:
            days = days_of(human, batch, date_range.start, date_range.end, now())
            found = compliance.check(days, policy_of(human, batch), today_of(human))
            out.append(
                HumanCompliance(
                    human=Human(record=human), violations=[PolicyViolation(record=v) for v in found]
                )
            )
        return out


async def load_human(ctx: Context, platform: Platform, remote_id: str) -> Human | None:
    """`node(id:)` of a human: found by the account its ID names."""
    from schema.humans.linking import link

    people = []
    for p in ctx.configured():
        people += await ctx.loaders.everyone[p].get()
    human = human_of(link(people, ctx.services.get("human_links") or {}), platform, remote_id)
    return Human(record=human) if human else None
