"""Described argument types shared by the connection fields."""

from __future__ import annotations

from typing import Annotated

import strawberry

from schema.enums import ApprovalStatus
from schema.filters import (
    ApprovalFilter,
    PersonFilter,
    PersonTimeEntryFilter,
    PolicyFilter,
    TimeEntryFilter,
    TimeEntryOrder,
    TimerFilter,
)

First = Annotated[
    int | None,
    strawberry.argument(
        description="How many items from the start (or after `after`): 1 to 200. "
        "Default 50 when neither `first` nor `last` is given."
    ),
]
After = Annotated[
    str | None,
    strawberry.argument(description="Continue after this cursor (`pageInfo.endCursor`)."),
]
Last = Annotated[
    int | None,
    strawberry.argument(
        description="How many items from the end (or before `before`): 1 to 200; instead of "
        "`first`."
    ),
]
Before = Annotated[
    str | None,
    strawberry.argument(
        description="Page back from this cursor (`pageInfo.startCursor`), with `last`."
    ),
]
EntryFilterArg = Annotated[
    TimeEntryFilter | None, strawberry.argument(description="Which time entries to return.")
]
PersonEntryFilterArg = Annotated[
    PersonTimeEntryFilter | None,
    strawberry.argument(description="Which of this person's time entries to return."),
]
EntryOrderArg = Annotated[
    TimeEntryOrder | None,
    strawberry.argument(description="Order of the entries (default: by date, ascending)."),
]
PersonFilterArg = Annotated[
    PersonFilter | None, strawberry.argument(description="Which people to return.")
]
TimerFilterArg = Annotated[
    TimerFilter | None, strawberry.argument(description="Which running timers to return.")
]
PolicyFilterArg = Annotated[
    PolicyFilter | None, strawberry.argument(description="Which policies to return.")
]
ApprovalFilterArg = Annotated[
    ApprovalFilter | None, strawberry.argument(description="Which approvals to return.")
]
StatusesArg = Annotated[
    list[ApprovalStatus] | None,
    strawberry.argument(description="Only approvals in these states (default: every state)."),
]
NodeIdArg = Annotated[strawberry.ID, strawberry.argument(description="A global ID.")]
NodeIdsArg = Annotated[
    list[strawberry.ID], strawberry.argument(description="Global IDs, at most 200.")
]
