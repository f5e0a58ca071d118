"""Running mutations and reading IDs through GraphQL, for the mutation tests."""

from __future__ import annotations

from typing import Any

from tests.stack import Stack

ERRORS = "userErrors { code message field }"


def input_type(name: str) -> str:
    """Every mutation takes its own `<Mutation>Input`."""
    return name[0].upper() + name[1:] + "Input"


def mutate(
    stack: Stack,
    name: str,
    value: dict[str, Any],
    selection: str,
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    signature = f"mutation($input: {input_type(name)}!)"
    query = f"{signature} {{ {name}(input: $input) {{ {selection} {ERRORS} }} }}"
    body = stack.gql(query, {"input": value}, headers=headers)
    assert "errors" not in body, body["errors"]
    payload: dict[str, Any] = body["data"][name]
    return payload


def first_id(stack: Stack, query: str, *path: str) -> str:
    data: Any = stack.data(query)
    for key in path:
        data = data[key][0] if isinstance(data[key], list) else data[key]
    return str(data)


def person_id(stack: Stack, platform: str, email: str) -> str:
    data = stack.data(
        """query($e: [String!]) { people(filter: {emails: $e}) {
      edges { node { id platform } } } }""",
        {"e": [email]},
    )
    return next(
        e["node"]["id"] for e in data["people"]["edges"] if e["node"]["platform"] == platform
    )


def writes(stack: Stack) -> tuple[int, int]:
    return len(stack.productive.log.writes()), len(stack.clockify.log.writes())
