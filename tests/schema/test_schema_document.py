"""The committed schema is the printed one, and everything in it is described."""

from __future__ import annotations

from pathlib import Path

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
)

from schema import build_schema

COMMITTED = Path(__file__).parents[2] / "schema.graphql"


def test_committed_schema_matches_the_code() -> None:
    printed = build_schema().as_str().strip()
    assert COMMITTED.read_text().strip() == printed, (
        "schema.graphql drifted: run `.venv/bin/timebridge schema > schema.graphql`"
    )


def test_every_type_field_argument_and_enum_value_is_described() -> None:
    schema = build_schema()._schema
    missing = []
    for name, kind in schema.type_map.items():
        if name.startswith("__") or name in ("String", "Int", "Float", "Boolean", "ID"):
            continue
        if not kind.description:  # type: ignore[union-attr]
            missing.append(name)
        if isinstance(kind, GraphQLObjectType | GraphQLInterfaceType | GraphQLInputObjectType):
            for field_name, field in kind.fields.items():
                if not field.description:
                    missing.append(f"{name}.{field_name}")
                for arg_name, arg in getattr(field, "args", {}).items():
                    if not arg.description:
                        missing.append(f"{name}.{field_name}({arg_name})")
        if isinstance(kind, GraphQLEnumType):
            missing += [f"{name}.{v}" for v, value in kind.values.items() if not value.description]
    assert missing == []
