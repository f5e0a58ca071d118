"""What every mutation shares: user errors, upstream-error mapping and idempotent execution.

A mutation's work returns an Outcome: the objects for its payload (kept as global IDs too) and
its user errors. With an `idempotencyKey`, the outcome is stored; the same key and input again
returns it without a second upstream write (objects are re-read by ID), and the same key with
another input is a CONFLICT.
"""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import Awaitable, Callable, Mapping
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
from schema.context import Context
from schema.errors import GatewayError, from_adapter
from schema.idempotency import IdempotencyStore, MemoryStore, fingerprint, scoped_key
from schema.ids import NodeKey, decode

KEY_DESCRIPTION = "Retry-safe key: the same key and input within 24 h return the first result."
PENDING_WAIT = 10.0  # how long a duplicate waits for the first request with its key


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


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            k: _plain(v) for k, v in dataclasses.asdict(value).items() if k != "idempotency_key"
        }
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


async def perform(
    info: strawberry.Info[Context, None],
    input_value: Any,
    work: Callable[[], Awaitable[Outcome]],
    fields: Mapping[str, str] | None = None,
) -> Outcome:
    """Run a mutation's work once per idempotency key, mapping upstream 4xx to user errors."""
    ctx = info.context
    key = getattr(input_value, "idempotency_key", None)
    store: IdempotencyStore = ctx.services.setdefault("idempotency", MemoryStore())
    ttl = float(ctx.services.get("idempotency_ttl", 86400.0))
    print_ = fingerprint([info.field_name, _plain(input_value)])
    scoped = scoped_key(ctx.scope, info.field_name, key) if key else None
    if scoped is not None:
        existing = await store.reserve(scoped, print_, ttl)
        if existing is not None:
            return await _replay(ctx, store, scoped, print_, existing)
    try:
        outcome = await work()
    except Refused as refused:
        outcome = Outcome(problems=refused.problems)
    except AdapterError as error:
        if not is_user_facing(error):
            if scoped is not None:
                await store.release(scoped)
            raise from_adapter(error) from error
        outcome = Outcome(problems=map_rejection(error, fields or {}))
    except BaseException:
        if scoped is not None:
            await store.release(scoped)
        raise
    if scoped is not None:
        await store.finish(scoped, print_, outcome.to_json(), ttl)
    return outcome


async def _replay(
    ctx: Context, store: IdempotencyStore, key: str, print_: str, existing: Any
) -> Outcome:
    deadline = time.monotonic() + PENDING_WAIT
    while existing is not None and existing.pending and time.monotonic() < deadline:
        await asyncio.sleep(0.05)  # the first request with this key is still at work
        existing = await store.get(key)
    if existing is None:
        raise GatewayError(
            "The first request with this idempotency key failed; retry it", "UPSTREAM_UNAVAILABLE"
        )
    if existing.fingerprint != print_:
        return Outcome(
            problems=[
                Problem(
                    UserErrorCode.CONFLICT,
                    "This idempotencyKey was used with a different input",
                    ("input", "idempotencyKey"),
                )
            ]
        )
    if existing.pending:
        return Outcome(
            problems=[
                Problem(
                    UserErrorCode.CONFLICT,
                    "A request with this idempotencyKey is still in progress",
                    ("input", "idempotencyKey"),
                )
            ]
        )
    from schema.nodes import resolve_node

    stored = existing.outcome
    outcome = Outcome(extra=stored.get("extra", {}))
    for name, ref in stored["refs"].items():
        if isinstance(ref, list):
            nodes = [await resolve_node(ctx, r, "idempotencyKey") for r in ref]
            outcome.objects[name] = [n for n in nodes if n is not None]
        else:
            outcome.objects[name] = await resolve_node(ctx, ref, "idempotencyKey")
    outcome.problems = [
        Problem(UserErrorCode(p["code"]), p["message"], tuple(p["field"]) if p["field"] else None)
        for p in stored["problems"]
    ]
    return outcome
