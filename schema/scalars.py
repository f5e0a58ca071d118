"""The Date and DateTime scalars, described for GraphiQL readers and tied to their specs with
`@specifiedBy`; they replace strawberry's built-ins of the same names."""

from __future__ import annotations

import datetime as dt

import strawberry
from strawberry.types.scalar import ScalarDefinition


def _parse_date(value: object) -> dt.date:
    if not isinstance(value, str):
        raise ValueError(f"a Date is a string like 2026-11-16, got {type(value).__name__}")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"a Date is written YYYY-MM-DD, got {value!r}") from None


def _parse_datetime(value: object) -> dt.datetime:
    if not isinstance(value, str):
        raise ValueError(
            f"a DateTime is a string like 2026-11-16T09:00:00+01:00, got {type(value).__name__}"
        )
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(
            f"a DateTime is written like 2026-11-16T09:00:00+01:00, got {value!r}"
        ) from None


Date = strawberry.scalar(
    name="Date",
    description="A calendar day, written `YYYY-MM-DD` (RFC 3339 `full-date`), without a time "
    "zone: the day as the person whose time it is sees it.",
    specified_by_url="https://ibm.github.io/graphql-specs/custom-scalars/date.html",
    serialize=lambda value: value.isoformat(),
    parse_value=_parse_date,
)

DateTime = strawberry.scalar(
    name="DateTime",
    description="An instant, written in RFC 3339 with its UTC offset, e.g. "
    "`2026-11-16T09:00:00+01:00` or `2026-11-16T08:00:00Z`. Answers keep the offset the "
    "platform gave (Productive: the organization's; Clockify: UTC); inputs need one.",
    specified_by_url="https://ibm.github.io/graphql-specs/custom-scalars/date-time.html",
    serialize=lambda value: value.isoformat(),
    parse_value=_parse_datetime,
)

SCALAR_MAP: dict[object, ScalarDefinition] = {dt.date: Date, dt.datetime: DateTime}
