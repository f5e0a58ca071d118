"""Codes for errors graphql-core raises before execution, and the argument they concern.

graphql-core words an unknown enum value as 'Value "X" does not exist in "E" enum.' without the
argument; the document tells which argument holds the value, so the message names it.
"""

from __future__ import annotations

import re
from typing import Any

from graphql import (
    ArgumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLSyntaxError,
    Lexer,
    OperationDefinitionNode,
    Source,
    TokenKind,
    Visitor,
    parse,
    visit,
)
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


ALIASES = re.compile(r"^(\d+) aliases found\. Allowed: (\d+)")
TOKENS = re.compile(r"Document contains more than (\d+) tokens")
DEPTH = re.compile(r"exceeds maximum operation depth of (\d+)")


def _limit_error(message: str, query: str) -> dict[str, Any] | None:
    """strawberry's limiter refusals, as OPERATION_TOO_COMPLEX with limit, max and value."""
    if found := ALIASES.search(message):
        value, allowed, limit, what = int(found[1]), int(found[2]), "maxAliases", "aliases"
    elif found := TOKENS.search(message):
        value, allowed, limit, what = count_tokens(query), int(found[1]), "maxTokens", "tokens"
    elif found := DEPTH.search(message):
        value, allowed, limit, what = depth_of(query), int(found[1]), "maxDepth", "the depth"
    else:
        return None
    return {
        "message": f"The operation is too complex: {what} is {value}, "
        f"over the limit of {allowed} ({limit})",
        "extensions": {
            "code": "OPERATION_TOO_COMPLEX",
            "limit": limit,
            "max": allowed,
            "value": value,
        },
    }


def count_tokens(query: str) -> int:
    lexer = Lexer(Source(query))
    count = 0
    try:
        while lexer.advance().kind is not TokenKind.EOF:
            count += 1
    except GraphQLSyntaxError:
        pass
    return count


def depth_of(query: str) -> int:
    """Field depth as QueryDepthLimiter counts it: fragments add no level of their own."""
    try:
        document = parse(query)
    except GraphQLSyntaxError:
        return 0
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }

    def depth(node: Any, seen: frozenset[str]) -> int:
        if isinstance(node, FragmentSpreadNode):
            name = node.name.value
            found = fragments.get(name)
            return depth(found, seen | {name}) if found and name not in seen else 0
        selections = getattr(getattr(node, "selection_set", None), "selections", None) or ()
        below = max((depth(s, seen) for s in selections), default=0)
        return below + (1 if isinstance(node, FieldNode) else 0)

    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    return max((depth(d, frozenset()) for d in operations), default=0)


def with_codes(errors: list[Any], query: str) -> list[dict[str, Any]]:
    out = []
    for error in errors:
        extensions = dict(error.get("extensions") or {})
        if "code" not in extensions:
            message = str(error.get("message", ""))
            limited = _limit_error(message, query)
            if limited is not None:
                out.append({**error, **limited})
                continue
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
