"""Which relations a query selects, so one upstream request can include them all."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

# GraphQL field on TimeEntry -> relation the adapters know how to include.
RELATION_OF_FIELD = {
    "person": "person",
    "project": "project",
    "task": "task",
    "service": "service",
    "approvedBy": "approver",
    "rejectedBy": "rejecter",
    "approvalStatus": "approval",
    "upstreamApprovalStatus": "approval",
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
    return frozenset(RELATION_OF_FIELD[f.name] for f in level if f.name in RELATION_OF_FIELD)
