"""The schema's enums, each value described for GraphiQL, and their mapping to domain values."""

from __future__ import annotations

from enum import Enum

import strawberry

from adapters.base import ApprovalKind as DomainApprovalKind
from adapters.base import ApprovalState, Platform


@strawberry.enum(
    name="Platform", description="A time tracking platform Timebridge reads and writes."
)
class PlatformName(Enum):
    PRODUCTIVE = strawberry.enum_value("productive", description="Productive.io (JSON:API).")
    CLOCKIFY = strawberry.enum_value("clockify", description="Clockify (REST API v1).")

    @property
    def domain(self) -> Platform:
        return Platform(self.value)

    @classmethod
    def of(cls, platform: Platform) -> PlatformName:
        return cls(platform.value)


@strawberry.enum(description="Where a piece of tracked time or time off stands in approval.")
class ApprovalStatus(Enum):
    DRAFT = strawberry.enum_value("draft", description="Not submitted for approval yet.")
    PENDING = strawberry.enum_value("pending", description="Submitted, waiting for a decision.")
    APPROVED = strawberry.enum_value("approved", description="Approved.")
    REJECTED = strawberry.enum_value("rejected", description="Rejected; see the reason.")
    WITHDRAWN = strawberry.enum_value(
        "withdrawn", description="A submission or an approval that was taken back."
    )

    @property
    def domain(self) -> ApprovalState:
        return ApprovalState(self.value)

    @classmethod
    def of(cls, state: ApprovalState) -> ApprovalStatus:
        return cls(state.value)


@strawberry.enum(description="What an approval decides on.")
class ApprovalKind(Enum):
    TIME_ENTRY = strawberry.enum_value(
        "time_entry", description="One Productive time entry (approved entry by entry)."
    )
    TIMESHEET = strawberry.enum_value(
        "timesheet", description="A Clockify approval request for a period of tracked time."
    )
    TIME_OFF = strawberry.enum_value(
        "time_off",
        description="A Clockify time-off request, or a Productive absence (a booking on an event).",
    )

    @classmethod
    def of(cls, kind: DomainApprovalKind) -> ApprovalKind:
        return cls(kind.value)


@strawberry.enum(description="What time entries are ordered by.")
class TimeEntryOrderField(Enum):
    DATE = strawberry.enum_value("date", description="The day the time counts for.")
    START_TIME = strawberry.enum_value(
        "start_time",
        description="When tracking started (Clockify only: Productive cannot sort by it).",
    )
    UPDATED_AT = strawberry.enum_value(
        "updated_at",
        description="When the entry last changed (Productive only: Clockify entries carry no "
        "update time). With `updatedAfter`, the order an incremental sync reads in.",
    )


@strawberry.enum(description="What a time entry records.")
class TimeEntryType(Enum):
    REGULAR = strawberry.enum_value("REGULAR", description="Work (every Productive entry).")
    BREAK = strawberry.enum_value("BREAK", description="A break (Clockify).")
    HOLIDAY = strawberry.enum_value("HOLIDAY", description="A holiday (Clockify).")
    TIME_OFF = strawberry.enum_value(
        "TIME_OFF", description="Approved time off, entered by Clockify."
    )


@strawberry.enum(description="Ascending or descending.")
class OrderDirection(Enum):
    ASC = strawberry.enum_value("asc", description="Oldest first.")
    DESC = strawberry.enum_value("desc", description="Newest first.")


@strawberry.enum(description="The unit a time-off policy counts in.")
class TimeOffUnit(Enum):
    DAYS = strawberry.enum_value("DAYS", description="Whole (or half) days.")
    HOURS = strawberry.enum_value("HOURS", description="Hours.")


@strawberry.enum(description="What a Productive approval policy approves.")
class ApprovalPolicyKind(Enum):
    ABSENCE = strawberry.enum_value("absence", description="Absences and events (type 1).")
    BUDGET = strawberry.enum_value("budget", description="Budgets (type 2).")
    DEAL = strawberry.enum_value("deal", description="Deals (type 3, unverified upstream).")
    OTHER = strawberry.enum_value("other", description="A type Timebridge does not know.")

    @classmethod
    def of(cls, type_id: int | None) -> ApprovalPolicyKind:
        return {1: cls.ABSENCE, 2: cls.BUDGET, 3: cls.DEAL}.get(type_id or 0, cls.OTHER)


@strawberry.enum(description="A day of the week.")
class Weekday(Enum):
    MONDAY = strawberry.enum_value("MONDAY", description="Monday.")
    TUESDAY = strawberry.enum_value("TUESDAY", description="Tuesday.")
    WEDNESDAY = strawberry.enum_value("WEDNESDAY", description="Wednesday.")
    THURSDAY = strawberry.enum_value("THURSDAY", description="Thursday.")
    FRIDAY = strawberry.enum_value("FRIDAY", description="Friday.")
    SATURDAY = strawberry.enum_value("SATURDAY", description="Saturday.")
    SUNDAY = strawberry.enum_value("SUNDAY", description="Sunday.")
