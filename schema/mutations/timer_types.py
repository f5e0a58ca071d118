"""Inputs and payloads of the timer mutations."""

from __future__ import annotations

import strawberry

from schema.enums import PlatformName
from schema.mutations.common import KEY_DESCRIPTION, UserError
from schema.time_entry import TimeEntry
from schema.timer import Timer


@strawberry.input(description="Start a timer.")
class StartTimerInput:
    platform: PlatformName = strawberry.field(description="Where to start it.")
    person: strawberry.ID | None = strawberry.field(
        default=None, description="Whose timer (a Person ID); default: the viewer."
    )
    service: strawberry.ID | None = strawberry.field(
        default=None, description="Productive: the service to track on (a new entry)."
    )
    time_entry: strawberry.ID | None = strawberry.field(
        default=None, description="Productive: an existing time entry to resume."
    )
    project: strawberry.ID | None = strawberry.field(
        default=None, description="Clockify: the project."
    )
    task: strawberry.ID | None = strawberry.field(
        default=None, description="Clockify: the task (needs `project`)."
    )
    description: str | None = strawberry.field(
        default=None, description="Clockify: the entry's description."
    )
    billable: bool | None = strawberry.field(default=None, description="Clockify: billable.")
    tags: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Clockify: Tag IDs."
    )
    stop_running: bool = strawberry.field(
        default=False, description="Stop a running timer first instead of refusing."
    )
    idempotency_key: str | None = strawberry.field(default=None, description=KEY_DESCRIPTION)


@strawberry.input(description="Stop a timer: by its ID, or whatever runs for a person.")
class StopTimerInput:
    timer: strawberry.ID | None = strawberry.field(default=None, description="A Timer ID.")
    person: strawberry.ID | None = strawberry.field(
        default=None, description="Stop this person's running timer (a Person ID)."
    )
    platform: PlatformName | None = strawberry.field(
        default=None, description="With neither `timer` nor `person`: the viewer's timer here."
    )
    idempotency_key: str | None = strawberry.field(default=None, description=KEY_DESCRIPTION)


@strawberry.type(description="What startTimer did.")
class StartTimerPayload:
    timer: Timer | None = strawberry.field(description="The timer now running.")
    stopped_timer: Timer | None = strawberry.field(
        description="The timer stopped first (with `stopRunning`)."
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
    user_errors: list[UserError] = strawberry.field(description="Problems; empty on success.")
