"""The lean executor (schema/lean_execution.py) answers as graphql-core does.

Each query runs on one small schema twice, once with strawberry's execution context and once
with the lean one, and the answers must be equal: data, and every error's message, path and
locations. The cases are the ones the lean path decides on: leaves and enums, nulls where
the type allows none, resolvers that raise, awaitables, objects whose type check fails, and
lists of objects with null or failing items, nested so that nulls propagate. Objects' fields
run by planned steps (schema/field_plans.py), so fragments, merged fields and @skip/@include
with variables are compared too.
"""

from __future__ import annotations

import enum
from typing import Any

import pytest
import strawberry
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from schema.direct_resolvers import (
    info_free_checks,
    lean_calls,
    reads_context_only,
    use_direct_resolvers,
)
from schema.lean_execution import LeanExecutionContext


@strawberry.enum(description="A colour.")
class Colour(enum.Enum):
    RED = "red"
    BLUE = "blue"


@strawberry.interface(description="Anything with a label.")
class Named:
    label: str


@strawberry.type(description="A thing, checked by strawberry's is_type_of (it has an interface).")
class Item(Named):
    maybe: str | None
    colour: Colour
    size: int

    @strawberry.field(description="Always fails.")
    def boom(self) -> str:
        raise ValueError(f"boom at {self.label}")

    @strawberry.field(description="Fails, but may be null.")
    def nullable_boom(self) -> str | None:
        raise ValueError("nullable boom")

    @strawberry.field(description="Null where the type says it never is.")
    def missing(self) -> str:
        return None  # type: ignore[return-value]

    @strawberry.field(description="An async resolver.")
    async def later(self) -> str:
        return self.label.upper()

    @strawberry.field(description="Not a colour at all.")
    def bad_colour(self) -> Colour:
        return "green"  # type: ignore[return-value]

    @strawberry.field(description="A child that is not an Item.")
    def wrong(self) -> Item:
        return "not an item"  # type: ignore[return-value]

    @strawberry.field(description="What the context says of this item.")
    @reads_context_only
    def noted(self, info: strawberry.Info) -> str:
        return f"{info.context['note']} {self.label}"

    @strawberry.field(description="The same, its info taken by keyword only.")
    @reads_context_only
    def noted_by_name(self, *, info: strawberry.Info) -> str:
        return f"{info.context['note']} {self.label}!"

    @strawberry.field(description="A child, or null.")
    def child(self) -> Item | None:
        return None if self.label.startswith("leaf") else _item(f"leaf of {self.label}")


@strawberry.type(description="An item without an interface: no type check.")
class Plain:
    value: int
    item: Item


@strawberry.type(description="Lists of every kind.")
class Box:
    items: list[Item]
    maybe_items: list[Item | None]
    plains: list[Plain]


def _item(label: str) -> Item:
    return Item(label=label, maybe=None, colour=Colour.BLUE, size=len(label))


@strawberry.type(description="The test's root.")
class Query:
    @strawberry.field(description="A box of good items.")
    def box(self) -> Box:
        items = [_item("a"), _item("b")]
        return Box(
            items=items, maybe_items=[items[0], None], plains=[Plain(value=1, item=items[1])]
        )

    @strawberry.field(description="A box whose non-null list holds a null.")
    def broken_box(self) -> Box | None:
        return Box(items=[_item("a"), None], maybe_items=[], plains=[])  # type: ignore[list-item]

    @strawberry.field(description="A box whose list holds something that is not an item.")
    def odd_box(self) -> Box | None:
        return Box(items=["x"], maybe_items=[7], plains=[])  # type: ignore[list-item]


INFOS = {"stock": 0, "lean": 0}  # resolve infos built, by executor
FIELD_CALLS = {"lean": 0}  # graphql-core's per-field path taken by the lean executor


class CountedStock(StrawberryGraphQLCoreExecutionContext):
    def build_resolve_info(self, *args: Any) -> Any:
        INFOS["stock"] += 1
        return super().build_resolve_info(*args)


class CountedLean(LeanExecutionContext):
    def build_resolve_info(self, *args: Any) -> Any:
        INFOS["lean"] += 1
        return super().build_resolve_info(*args)

    def execute_field(self, *args: Any) -> Any:
        FIELD_CALLS["lean"] += 1
        return super().execute_field(*args)


def _schema(context: type[StrawberryGraphQLCoreExecutionContext]) -> strawberry.Schema:
    schema = strawberry.Schema(query=Query, execution_context_class=context)
    use_direct_resolvers(schema)
    return schema


STOCK, LEAN = _schema(CountedStock), _schema(CountedLean)

QUERIES = {
    "leaves": "{ box { items { label maybe colour size later noted notedByName } } }",
    "child objects": "{ box { items { child { label child { label } } } } }",
    "plain objects": "{ box { plains { value item { label } } } }",
    "nullable error": "{ box { items { label nullableBoom } } }",
    "non-null error propagates": "{ box { items { label boom } } }",
    "non-null null propagates": "{ box { items { missing } } }",
    "bad enum": "{ box { items { badColour } } }",
    "failed type check": "{ box { items { wrong { label } } } }",
    "null in a non-null list": "{ brokenBox { items { label } } }",
    "null in a nullable list": "{ box { maybeItems { label } } }",
    "wrong items": "{ oddBox { items { label } maybeItems { label } } }",
    "aliases and typename": "{ box { first: items { __typename l: label } } }",
    "fragments and merged fields": (
        "{ box { items { label ...Sized ... on Named { label } child { ...Sized } } } }"
        " fragment Sized on Item { size label colour }"
    ),
    "skip and include by variables": (
        "query($no: Boolean!, $yes: Boolean!) { box { items { label @skip(if: $yes)"
        " size @include(if: $yes) colour @include(if: $no) child @skip(if: $no) { label } } } }"
    ),
    "an error beside awaited fields": "{ box { items { later boom later2: later } } }",
}
VARIABLES = {"no": False, "yes": True}

CONTEXT = {"note": "seen:"}
CLEAN = {
    "leaves",
    "child objects",
    "plain objects",
    "aliases and typename",
    "null in a nullable list",
    "fragments and merged fields",
    "skip and include by variables",
}


def _answer(result: Any) -> tuple[Any, list[tuple[str, Any, Any]]]:
    errors = [(e.message, e.path, e.locations) for e in result.errors or ()]
    return result.data, sorted(errors, key=repr)


@pytest.mark.parametrize("name", QUERIES)
async def test_the_lean_executor_answers_as_graphql_core_does(name: str) -> None:
    query = QUERIES[name]
    stock = await STOCK.execute(query, variable_values=VARIABLES, context_value=CONTEXT)
    lean = await LEAN.execute(query, variable_values=VARIABLES, context_value=CONTEXT)
    assert _answer(lean) == _answer(stock)
    assert (stock.errors is None) == (name in CLEAN)


async def test_plain_fields_are_executed_without_an_info() -> None:
    """Guards the comparison above: the lean path is the one taken. graphql-core builds an
    info for each of the 18 fields; the lean path only for the root field `box` (root fields
    take graphql-core's own path) and where graphql-core's own completion takes over: the
    `items` list, and on each of the two items `later` (awaited). A nullable field that
    resolves to null (`maybe`) needs none. Every field below the root is executed by planned
    steps: only `box` takes graphql-core's per-field path."""
    query = "{ box { items { label maybe colour size later noted child { label } } } }"
    INFOS.update(stock=0, lean=0)
    FIELD_CALLS.update(lean=0)
    lean = await LEAN.execute(query, context_value=CONTEXT)
    assert _answer(lean) == _answer(await STOCK.execute(query, context_value=CONTEXT))
    assert INFOS["stock"] == 2 + 2 * (7 + 1)
    assert INFOS["lean"] == 2 + 2 * 1
    assert FIELD_CALLS["lean"] == 1


def test_the_cases_take_the_lean_path() -> None:
    """The fields the comparison runs are the ones the lean path serves."""
    item = LEAN._schema.type_map["Item"]
    assert {"label", "boom", "missing", "later", "wrong", "child", "noted", "notedByName"} <= {
        name for name, field in item.fields.items() if field.resolve in lean_calls
    }
    assert item in info_free_checks
    assert LEAN._schema.type_map["Plain"].is_type_of is None
