"""What every mutation shares: user errors, outcomes and upstream-error mapping.

A mutation's work returns an Outcome: the objects for its payload (kept as global IDs too, so
an idempotency key can replay it) and its user errors. `schema/mutations/keyed.py` runs the
work once per key.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

import strawberry

from adapters.errors import (
    AdapterError,
    Conflict,
    Forbidden,
    NotFound,
    UpstreamRejected,
)
from schema.errors import GatewayError
from schema.ids import NodeKey, decode

KEY_DESCRIPTION = (
    "Retry-safe key: the same key and input within 24 h return the first result, and a retry "
    "after a lost answer looks upstream before it writes again."
)


@strawberry.enum(description="Why a mutation did not (entirely) do what was asked.")
class UserErrorCode(Enum):
    INVALID_INPUT = strawberry.enum_value("INVALID_INPUT", description="The input is invalid.")
    NOT_FOUND = strawberry.enum_value("NOT_FOUND", description="Nothing has that ID.")
    CONFLICT = strawberry.enum_value(
        "CONFLICT", description="The object's state forbids it (already approved, archived …)."
    )
    ALREADY_RUNNING = strawberry.enum_value(
        "ALREADY_RUNNING", description="A timer already runs; ask to stop it first."
    )
    NOT_RUNNING = strawberry.enum_value("NOT_RUNNING", description="No timer is running.")
    UNSUPPORTED_ON_PLATFORM = strawberry.enum_value(
        "UNSUPPORTED_ON_PLATFORM", description="The platform cannot do this or take this input."
    )
    FORBIDDEN = strawberry.enum_value("FORBIDDEN", description="The credentials may not do this.")
    INSUFFICIENT_BALANCE = strawberry.enum_value(
        "INSUFFICIENT_BALANCE",
        description="The time-off balance left does not cover the request (nor does the "
        "policy's negative balance allowance).",
    )
    UPSTREAM_UNAVAILABLE = strawberry.enum_value(
        "UPSTREAM_UNAVAILABLE",
        description="The item's platform did not answer (or refused for rate limits) before "
        "anything was sent for it; nothing changed, so it can simply be retried.",
    )
    UNKNOWN_OUTCOME = strawberry.enum_value(
        "UNKNOWN_OUTCOME",
        description="A write was sent and its answer lost; the payload says what the gateway "
        "found upstream afterwards.",
    )


@strawberry.type(description="A problem with a mutation's input or the object it targets.")
class UserError:
    code: UserErrorCode = strawberry.field(description="What kind of problem.")
    message: str = strawberry.field(description="What happened, for people.")
    field: list[str] | None = strawberry.field(
        description='Path of the offending input field, e.g. ["input", "date"].'
    )


@dataclass(frozen=True, slots=True)
class Problem:
    code: UserErrorCode
    message: str
    field: tuple[str, ...] | None = None

    def to_graphql(self) -> UserError:
        return UserError(
            code=self.code, message=self.message, field=list(self.field) if self.field else None
        )


class Refused(Exception):
    """Raised inside a mutation's work: stop, and answer these user errors."""

    def __init__(self, *problems: Problem) -> None:
        super().__init__(problems[0].message if problems else "refused")
        self.problems = list(problems)


def invalid(
    path: tuple[str, ...], message: str, code: UserErrorCode = UserErrorCode.INVALID_INPUT
) -> Refused:
    return Refused(Problem(code, message, ("input", *path)))


@dataclass
class Outcome:
    """A mutation's result: payload objects by field, and user errors."""

    objects: dict[str, Any] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        refs: dict[str, Any] = {}
        for name, value in self.objects.items():
            if isinstance(value, list):
                refs[name] = [v.global_id() for v in value]
            elif value is not None:
                refs[name] = value.global_id()
        problems = [
            {
                "code": p.code.value,
                "message": p.message,
                "field": list(p.field) if p.field else None,
            }
            for p in self.problems
        ]
        return {"refs": refs, "problems": problems, "extra": self.extra}

    def errors(self) -> list[UserError]:
        return [p.to_graphql() for p in self.problems]


def decode_input(value: str, path: tuple[str, ...], *types: str) -> NodeKey:
    """A global ID from an input field, or INVALID_INPUT naming the field."""
    try:
        type_name, key = decode(value, ".".join(("input", *path)))
    except GatewayError:
        raise invalid(path, f"'{value}' is not a Timebridge ID") from None
    if type_name not in types:
        raise invalid(path, f"expected a {' or '.join(types)} ID, got a {type_name} ID")
    return key


def map_rejection(
    error: AdapterError, fields: Mapping[str, str], prefix: tuple[str, ...] = ()
) -> list[Problem]:
    """An upstream 4xx as user errors; `data/attributes/date` becomes ["input", "date"]."""
    if isinstance(error, Conflict):
        return [Problem(UserErrorCode.CONFLICT, error.message)]
    if isinstance(error, NotFound):
        return [Problem(UserErrorCode.NOT_FOUND, error.message)]
    if isinstance(error, Forbidden):
        return [Problem(UserErrorCode.FORBIDDEN, error.message)]
    assert isinstance(error, UpstreamRejected)
    problems = []
    for item in error.field_errors or []:
        name = (item.pointer or "").rstrip("/").rsplit("/", 1)[-1]
        name = name.removeprefix("filter[").removesuffix("]")
        unified = fields.get(name)
        path = ("input", *prefix, unified) if unified else None
        problems.append(
            Problem(
                UserErrorCode.INVALID_INPUT,
                f"{unified or name}: {item.message}" if item.message else error.message,
                path,
            )
        )
    return problems or [Problem(UserErrorCode.INVALID_INPUT, error.message)]


def is_user_facing(error: AdapterError) -> bool:
    return isinstance(error, UpstreamRejected | NotFound | Forbidden)
