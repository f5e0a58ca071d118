"""Codes for errors graphql-core raises before execution, and the argument they concern.

graphql-core words an unknown enum value as 'Value "X" does not exist in "E" enum.' without the
argument; the document tells which argument holds the value, so the message names it.
"""

from __future__ import annotations

from typing import Any

from graphql import ArgumentNode, GraphQLSyntaxError, Visitor, parse, visit
from graphql.language import Node as AstNode

INPUT_HINTS = (
    "does not exist in",
    "got invalid value",
    "Expected value of type",
    "Expected type",
    "cannot represent",
    "is not defined by type",
    "of required type",
    "was not provided",
)


def with_codes(errors: list[Any], query: str) -> list[dict[str, Any]]:
    out = []
    for error in errors:
        extensions = dict(error.get("extensions") or {})
        if "code" not in extensions:
            message = str(error.get("message", ""))
            if any(h in message for h in INPUT_HINTS):
                extensions["code"] = "BAD_USER_INPUT"
                argument = _argument_at(query, error.get("locations") or [])
                if argument and argument not in message:
                    error = {**error, "message": f"{argument}: {message}"}
                if argument:
                    extensions["argument"] = argument
            elif "Syntax Error" in message:
                extensions["code"] = "GRAPHQL_PARSE_FAILED"
            else:
                extensions["code"] = "GRAPHQL_VALIDATION_FAILED"
        out.append({**error, "extensions": extensions})
    return out


def _argument_at(query: str, locations: list[dict[str, int]]) -> str | None:
    if not query or not locations:
        return None
    try:
        document = parse(query)
    except GraphQLSyntaxError:
        return None
    lines = query.split("\n")
    loc = locations[0]
    offset = sum(len(line) + 1 for line in lines[: loc["line"] - 1]) + loc["column"] - 1
    found: list[str] = []

    class Finder(Visitor):
        def enter_argument(self, node: ArgumentNode, *_: Any) -> None:
            span: AstNode = node
            if span.loc and span.loc.start <= offset < span.loc.end:
                found.append(node.name.value)

    visit(document, Finder())
    return found[0] if found else None
