"""Inputs and payloads of the timer mutations."""

from __future__ import annotations

import strawberry

from schema.enums import PlatformName
from schema.mutations.common import KEY_DESCRIPTION, UserError
from schema.time_entry import TimeEntry
from schema.timer import Timer


@strawberry.input(description="What a timer starts on, and for whom.")
class TimerStartFields:
    platform: PlatformName = strawberry.field(description="Where to start it.")
    person_id: strawberry.ID | None = strawberry.field(
        default=None, description="Whose timer (a Person ID); default: the viewer."
    )
    service_id: strawberry.ID | None = strawberry.field(
        default=None, description="Productive: the service to track on (a new entry)."
    )
    time_entry_id: strawberry.ID | None = strawberry.field(
        default=None, description="Productive: an existing time entry to resume."
    )
    project_id: strawberry.ID | None = strawberry.field(
        default=None, description="Clockify: the project."
    )
    task_id: strawberry.ID | None = strawberry.field(
        default=None, description="Clockify: the task (needs `projectId`)."
    )
    note: str | None = strawberry.field(
        default=None, description="Clockify: the new entry's note (Clockify's `description`)."
    )
    billable: bool | None = strawberry.field(default=None, description="Clockify: billable.")
    tag_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Clockify: Tag IDs."
    )
    stop_running_everywhere: bool = strawberry.field(
        default=False,
        description="Also stop the same human's running timer on the other platform (the "
        "account `linkedAccounts` finds by email): one timer per human.",
    )
    idempotency_key: str | None = strawberry.field(default=None, description=KEY_DESCRIPTION)


@strawberry.input(description="Start a timer.")
class StartTimerInput(TimerStartFields):
    stop_running: bool = strawberry.field(
        default=False, description="Stop a running timer first instead of refusing."
    )


@strawberry.input(description="Stop whatever runs for the person on that platform, then start.")
class SwitchTimerInput(TimerStartFields):
    pass


@strawberry.input(description="Stop a timer: by its ID, or whatever runs for a person.")
class StopTimerInput:
    timer_id: strawberry.ID | None = strawberry.field(default=None, description="A Timer ID.")
    person_id: strawberry.ID | None = strawberry.field(
        default=None, description="Stop this person's running timer (a Person ID)."
    )
    platform: PlatformName | None = strawberry.field(
        default=None, description="With neither `timerId` nor `personId`: the viewer's timer here."
    )
    idempotency_key: str | None = strawberry.field(default=None, description=KEY_DESCRIPTION)


@strawberry.type(description="What startTimer did.")
class StartTimerPayload:
    timer: Timer | None = strawberry.field(description="The timer now running.")
    stopped_timer: Timer | None = strawberry.field(
        description="The timer stopped first (with `stopRunning`)."
    )
    stopped_elsewhere: Timer | None = strawberry.field(
        description="The same human's timer stopped on the other platform "
        "(with `stopRunningEverywhere`)."
    )
    user_errors: list[UserError] = strawberry.field(description="Problems; empty on success.")


@strawberry.type(description="What stopTimer did.")
class StopTimerPayload:
    timer: Timer | None = strawberry.field(description="The stopped timer.")
    time_entry: TimeEntry | None = strawberry.field(description="The entry it tracked into.")
    user_errors: list[UserError] = strawberry.field(description="Problems; empty on success.")


@strawberry.type(description="What switchTimer did: the stop, then the start.")
class SwitchTimerPayload:
    stopped_timer: Timer | None = strawberry.field(description="The timer that was running.")
    timer: Timer | None = strawberry.field(description="The timer started.")
    stopped_elsewhere: Timer | None = strawberry.field(
        description="The same human's timer stopped on the other platform "
        "(with `stopRunningEverywhere`)."
    )
    user_errors: list[UserError] = strawberry.field(description="Problems; empty on success.")
