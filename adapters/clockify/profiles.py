"""Clockify member profiles: a person's work capacity, working days and week start. Clockify
has no list of profiles, so each is one request; they are sent concurrently, and only for the
people whose schedule a query selects."""

from __future__ import annotations

from collections.abc import Sequence

from adapters.base import WorkScheduleRecord
from adapters.clockify import translate
from adapters.clockify.client import ClockifyHttp
from adapters.concurrency import gather
from adapters.errors import NotFound


class ClockifyProfiles:
    """Mixed into ClockifyAdapter, which sets `http`."""

    http: ClockifyHttp

    async def work_schedules(self, user_ids: Sequence[str]) -> list[WorkScheduleRecord | None]:
        async def one(user_id: str) -> WorkScheduleRecord | None:
            try:
                profile = await self.http.get(f"{self.http.ws}/member-profile/{user_id}")
            except NotFound:
                return None
            return translate.work_schedule(profile)

        return list(await gather(*(one(u) for u in user_ids)))
