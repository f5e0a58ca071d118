"""What one operation may cost, checked before anything executes (0 upstream calls on refusal).

strawberry's own extensions bound tokens (`MaxTokensLimiter`), aliases (`MaxAliasesLimiter`)
and depth (`QueryDepthLimiter`); this rule adds the number of root fields, the number of
fields, and an estimate of the upstream calls the operation will make. The estimate follows
how the loaders batch: a nested field that reads upstream costs its reads once per distinct
selection, not once per parent row, and identical fields with identical arguments count once,
since they share one upstream read (adapters/http.py coalesces identical reads). Every refusal
is OPERATION_TOO_COMPLEX naming the limit, the allowed value and the measured one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
    print_ast,
)

# Upstream reads per field, from the request-count table in the README (both platforms).
ROOT_COST = {
    "timeEntries": 8,
    "people": 3,
    "runningTimers": 4,
    "approvals": 4,
    "policies": 3,
    "viewer": 2,
    "node": 3,
    "nodes": 4,
    "humans": 2,
    "holidays": 3,
    "teamCompliance": 12,
}
NESTED_COST = {
    "timeEntries": 6,
    "approvals": 3,
    "linkedAccounts": 2,
    "accounts": 2,
    "project": 1,
    "task": 4,
    "tasks": 4,
    "service": 1,
    "tags": 1,
    "person": 1,
    "requester": 1,
    "timeTrackingPolicy": 2,
    "entries": 1,
    "timeEntry": 1,
    "human": 2,
    "approvalInbox": 5,
    # A human's days: entries, absences, holidays, schedule and policy, shared by the three.
    "week": 8,
    "compliance": 8,
    "overlaps": 8,
    "timeOffBalances": 1,
}
MUTATION_COST = 6  # reads before, the write, and the re-read after


@dataclass(frozen=True, slots=True)
class QueryLimits:
    """What one GraphQL request may cost; the defaults let every realistic frontend through.

    The byte limits apply at the HTTP layer (gateway/graphql_view.py), the rest here."""

    max_body_bytes: int = 1_000_000
    max_query_bytes: int = 100_000
    max_tokens: int = 10_000
    max_aliases: int = 50
    max_root_fields: int = 20
    max_fields: int = 1_000
    max_upstream_calls: int = 100
    max_depth: int = 12


def too_complex(limit: str, allowed: int, value: int, what: str) -> GraphQLError:
    return GraphQLError(
        f"The operation is too complex: {what} is {value}, over the limit of {allowed} ({limit})",
        extensions={
            "code": "OPERATION_TOO_COMPLEX",
            "limit": limit,
            "max": allowed,
            "value": value,
        },
    )


class _Walk:
    def __init__(self, fragments: Mapping[str, FragmentDefinitionNode]) -> None:
        self.fragments = fragments
        self.fields = 0

    def fields_of(self, selection_set: SelectionSetNode | None, seen: frozenset[str]) -> list[Any]:
        """The field nodes of a selection set, fragments inlined (each fragment once a path)."""
        out: list[FieldNode] = []
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                out.append(selection)
            elif isinstance(selection, InlineFragmentNode):
                out += self.fields_of(selection.selection_set, seen)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is not None and name not in seen:
                    out += self.fields_of(fragment.selection_set, seen | {name})
        return out

    def cost(self, fields: list[FieldNode], table: Mapping[str, int], seen: frozenset[str]) -> int:
        total = 0
        distinct: set[str] = set()
        for field in fields:
            self.fields += 1
            children = self.fields_of(field.selection_set, seen)
            nested = self.cost(children, NESTED_COST, seen)
            key = _identity(field)
            if key in distinct:
                continue  # identical field and arguments: one shared upstream read
            distinct.add(key)
            total += table.get(field.name.value, 0) + nested
        return total


def _identity(field: FieldNode) -> str:
    arguments = ",".join(sorted(print_ast(a) for a in field.arguments or ()))
    selection = print_ast(field.selection_set) if field.selection_set else ""
    return f"{field.name.value}({arguments}){selection}"


def cost_rule(limits: QueryLimits) -> type[ValidationRule]:
    """A validation rule bound to the configured limits."""

    class OperationCost(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            document = context.document
            fragments = {
                d.name.value: d
                for d in document.definitions
                if isinstance(d, FragmentDefinitionNode)
            }
            for definition in document.definitions:
                if isinstance(definition, OperationDefinitionNode):
                    self._check(context, definition, fragments)

        @staticmethod
        def _check(
            context: ValidationContext,
            operation: OperationDefinitionNode,
            fragments: Mapping[str, FragmentDefinitionNode],
        ) -> None:
            walk = _Walk(fragments)
            roots = walk.fields_of(operation.selection_set, frozenset())
            table = ROOT_COST
            if operation.operation.value == "mutation":
                table = {f.name.value: MUTATION_COST for f in roots}
            calls = walk.cost(roots, table, frozenset())
            checks = (
                ("maxRootFields", limits.max_root_fields, len(roots), "the number of root fields"),
                ("maxFields", limits.max_fields, walk.fields, "the number of fields"),
                (
                    "maxUpstreamCalls",
                    limits.max_upstream_calls,
                    calls,
                    "the estimated number of upstream calls",
                ),
            )
            for limit, allowed, value, what in checks:
                if value > allowed:
                    context.report_error(too_complex(limit, allowed, value, what))
                    return

    return OperationCost
