"""Which relations a query selects, so one upstream request can include them all."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

# GraphQL field on TimeEntry -> relations the adapters know how to bring along: Productive
# includes (`approver`, …); Clockify's approval requests (`approval`) decide state and decider.
RELATIONS_OF_FIELD: dict[str, tuple[str, ...]] = {
    "person": ("person",),
    "project": ("project",),
    "task": ("task",),
    "service": ("service",),
    "approvedBy": ("approver", "approval"),
    "rejectedBy": ("rejecter", "approval"),
    "approvedAt": ("approval",),
    "rejectedAt": ("approval",),
    "rejectionReason": ("approval",),
    "approvalStatus": ("approval",),
    "upstreamApprovalStatus": ("approval",),
    # Clockify's detailed report carries no entry type: asking for it reads the regular API.
    "type": ("type",),
}


def _children(fields: Iterable[Any]) -> list[Any]:
    out = []
    for field in fields:
        if getattr(field, "name", None) is None or not hasattr(field, "arguments"):
            out += _children(getattr(field, "selections", []))  # fragments
        else:
            out.append(field)
    return out


def entry_relations(fields: Iterable[Any], path: tuple[str, ...]) -> frozenset[str]:
    """Relations selected on the time entries found at `path` below the given fields."""
    level = _children(fields)
    for name in path:
        level = _children(s for f in level if f.name == name for s in f.selections)
    return frozenset(r for f in level for r in RELATIONS_OF_FIELD.get(f.name, ()))


def subfields(fields: Iterable[Any], name: str) -> frozenset[str]:
    """The names selected directly below every field called `name` anywhere below the given
    fields (fragments looked through)."""
    found: set[str] = set()
    stack = list(_children(fields))
    while stack:
        field = stack.pop()
        below = _children(getattr(field, "selections", []))
        if field.name == name:
            found.update(f.name for f in below)
        stack += below
    return frozenset(found)


def selected_names(fields: Iterable[Any], wanted: frozenset[str]) -> frozenset[str]:
    """Which of the `wanted` field names appear anywhere below the given fields."""
    found: set[str] = set()
    stack = list(_children(fields))
    while stack:
        field = stack.pop()
        if field.name in wanted:
            found.add(field.name)
        stack += _children(getattr(field, "selections", []))
    return frozenset(found)
