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


def _skipped(selection: Any) -> bool:
    """`@skip(if: true)` or `@include(if: false)` on a field or fragment: strawberry's
    selected fields keep such selections, with their directives' values beside them."""
    directives = getattr(selection, "directives", None) or {}
    return bool((directives.get("skip") or {}).get("if")) or (
        "include" in directives and not (directives["include"] or {}).get("if", True)
    )


def _children(fields: Iterable[Any]) -> list[Any]:
    out = []
    for field in fields:
        if _skipped(field):
            continue
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


# Context.selections: (ids of the field nodes, paths) -> (the nodes, variables, relations)
Selections = dict[Any, tuple[tuple[Any, ...], Any, frozenset[str]]]


def selected_relations(info: Any, *paths: tuple[str, ...]) -> frozenset[str]:
    """`entry_relations` of the resolving field's selection along each path, worked out once
    per request for each field of the document. strawberry converts a field's whole subtree,
    arguments and directives included, on every `info.selected_fields`, and a person's
    `timeEntries` resolves once per person over the same selection. An entry holds the field
    nodes and the variables it was made with, so neither id is reused while it lives, and it
    serves those variables only (a WebSocket's context serves several operations)."""
    raw = info._raw_info
    nodes = tuple(raw.field_nodes)
    key = (tuple(map(id, nodes)), paths)
    memo: Selections | None = getattr(info.context, "selections", None)
    entry = memo.get(key) if memo is not None else None
    if entry is not None and entry[1] is raw.variable_values:
        return entry[2]
    fields = info.selected_fields
    relations = frozenset[str]().union(*(entry_relations(fields, path) for path in paths))
    if memo is not None:
        memo[key] = (nodes, raw.variable_values, relations)
    return relations


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
