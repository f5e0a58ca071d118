"""Inputs and payloads of the time entry mutations."""

from __future__ import annotations

import datetime as dt

import strawberry

from schema.enums import PlatformName
from schema.mutations.common import KEY_DESCRIPTION, UserError
from schema.time_entry import TimeEntry


@strawberry.input(description="Fields a time entry is written with.")
class TimeEntryFields:
    date: dt.date | None = strawberry.field(
        default=None, description="The day (with `durationMinutes`)."
    )
    duration_minutes: int | None = strawberry.field(
        default=None, description="Duration in whole minutes, 0 to 1440 (with `date`)."
    )
    started_at: dt.datetime | None = strawberry.field(
        default=None, description="Start, with offset (with `endedAt`)."
    )
    ended_at: dt.datetime | None = strawberry.field(
        default=None, description="End, with offset, after `startedAt`."
    )
    note: str | None = strawberry.field(
        default=None, description="The note (Clockify's `description`)."
    )
    service_id: strawberry.ID | None = strawberry.field(
        default=None, description="Productive (required there to create): the Service ID."
    )
    task_id: strawberry.ID | None = strawberry.field(
        default=None, description="The Task ID (Clockify: needs `projectId`)."
    )
    project_id: strawberry.ID | None = strawberry.field(
        default=None, description="Clockify: the Project ID."
    )
    tag_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Clockify: Tag IDs."
    )
    billable: bool | None = strawberry.field(
        default=None,
        description="Whether the time is billable. Productive: the billable time is the whole "
        "duration (true) or zero (false).",
    )
    idempotency_key: str | None = strawberry.field(default=None, description=KEY_DESCRIPTION)


@strawberry.input(
    description="A new time entry: `date` with `durationMinutes`, or `startedAt` with `endedAt`."
)
class CreateTimeEntryInput(TimeEntryFields):
    platform: PlatformName = strawberry.field(description="Where to create it.")
    person_id: strawberry.ID | None = strawberry.field(
        default=None, description="Whose time (a Person ID); default: the viewer."
    )


@strawberry.input(description="Changes to a time entry; omitted fields stay as they are.")
class UpdateTimeEntryInput(TimeEntryFields):
    id: strawberry.ID = strawberry.field(description="The TimeEntry ID.")


@strawberry.input(description="The time entry to delete.")
class DeleteTimeEntryInput:
    id: strawberry.ID = strawberry.field(description="The TimeEntry ID.")
    idempotency_key: str | None = strawberry.field(default=None, description=KEY_DESCRIPTION)


@strawberry.type(description="What createTimeEntry did.")
class CreateTimeEntryPayload:
    time_entry: TimeEntry | None = strawberry.field(description="The entry as it is now.")
    user_errors: list[UserError] = strawberry.field(description="Problems; empty on success.")


@strawberry.type(description="What updateTimeEntry did.")
class UpdateTimeEntryPayload:
    time_entry: TimeEntry | None = strawberry.field(description="The entry as it is now.")
    user_errors: list[UserError] = strawberry.field(description="Problems; empty on success.")


@strawberry.type(description="What deleteTimeEntry did.")
class DeleteTimeEntryPayload:
    deleted_id: strawberry.ID | None = strawberry.field(description="The deleted entry's ID.")
    user_errors: list[UserError] = strawberry.field(description="Problems; empty on success.")
