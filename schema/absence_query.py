"""Query fields for absences: holidays on both platforms."""

from __future__ import annotations

from typing import Annotated

import strawberry

from schema.absence import Holiday
from schema.approver_reads import holiday_objects
from schema.context import Context
from schema.enums import PlatformName
from schema.filters import DateRange, people_by_platform, platforms_of


@strawberry.type
class AbsenceQuery:
    @strawberry.field(
        description="Holidays in a date range on the configured platforms, by start date: "
        "Productive holiday-calendar days and Clockify workspace holidays."
    )
    async def holidays(
        self,
        info: strawberry.Info[Context, None],
        date_range: Annotated[
            DateRange, strawberry.argument(description="Which days (at most two years).")
        ],
        person_ids: Annotated[
            list[strawberry.ID] | None,
            strawberry.argument(
                description="Only holidays that apply to these people (Person IDs); each "
                "holiday then lists which of them it applies to."
            ),
        ] = None,
        platforms: Annotated[
            list[PlatformName] | None, strawberry.argument(description="Only these platforms.")
        ] = None,
    ) -> list[Holiday]:
        ctx = info.context
        chosen = platforms_of(platforms, ctx.configured())
        people = people_by_platform(person_ids, "personIds")
        return await holiday_objects(ctx, info, chosen, date_range.start, date_range.end, people)
