"""What the lean executor does for each field of an object's selection, decided once per
object type, selection and request instead of once per field and object.

A week of 180 entries completes the same selection (`date durationMinutes project { name }
task { name }`) 180 times. graphql-core walks each one through `collect_subfields`,
`execute_fields` and `execute_field`, and for each field looks the definition up, makes its
path, checks its arguments and asks what kind of type it returns. None of that depends on the
entry, so a `Step` holds the answers for a field and the executor (schema/lean_execution.py)
runs the steps over every object that has that selection.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
    GraphQLSchema,
)
from graphql.execution.collect_fields import FieldDetailsList, GroupedFieldSet

from schema.direct_resolvers import info_free_checks, lean_calls

__all__ = ["GENERAL", "LEAF", "OBJECT", "OTHER", "Step", "checked_object", "plan"]

# What a step does with its field. GENERAL: graphql-core's `execute_field` (a field with
# arguments, a resolver that needs its info, `__typename`). The others call the field's lean
# resolver (schema/direct_resolvers.py `lean_calls`) and complete what it returns: LEAF as a
# scalar or enum, OBJECT as an object whose type check reads no info, OTHER (a list, an
# abstract type) through graphql-core's completion.
GENERAL, LEAF, OBJECT, OTHER = range(4)


class Step(NamedTuple):
    """One field of a selection: its response key and what the executor does for it."""

    name: str
    kind: int
    call: Callable[[Any, Any], Any] | None
    # The scalar or enum a LEAF is coerced by, or the object type an OBJECT completes as.
    completes_as: Any
    return_type: GraphQLOutputType | None
    field_details_list: FieldDetailsList
    field_def: GraphQLField | None


def checked_object(output_type: GraphQLOutputType) -> GraphQLObjectType | None:
    """The object type `output_type` is (or is a non-null of) when its `is_type_of`, if any,
    reads no info; None for any other type."""
    if isinstance(output_type, GraphQLNonNull):
        output_type = output_type.of_type
    if not isinstance(output_type, GraphQLObjectType):
        return None
    if output_type.is_type_of is not None and output_type not in info_free_checks:
        return None
    return output_type


def plan(
    schema: GraphQLSchema, parent_type: GraphQLObjectType, grouped_field_set: GroupedFieldSet
) -> tuple[Step, ...]:
    """The steps for a selection's fields, in the order graphql-core executes them."""
    steps = []
    for name, field_details_list in grouped_field_set.items():
        node = field_details_list[0].node
        field_def = schema.get_field(parent_type, node.name.value)
        resolve = field_def.resolve if field_def is not None else None
        call = lean_calls.get(resolve) if resolve is not None else None
        if field_def is None or call is None or node.arguments:
            steps.append(Step(name, GENERAL, None, None, None, field_details_list, None))
            continue
        return_type = field_def.type
        nullable = return_type.of_type if isinstance(return_type, GraphQLNonNull) else return_type
        kind: int = OTHER
        completes_as: GraphQLScalarType | GraphQLEnumType | GraphQLObjectType | None = None
        if isinstance(nullable, GraphQLScalarType | GraphQLEnumType):
            kind, completes_as = LEAF, nullable
        elif (object_type := checked_object(nullable)) is not None:
            kind, completes_as = OBJECT, object_type
        steps.append(
            Step(name, kind, call, completes_as, return_type, field_details_list, field_def)
        )
    return tuple(steps)
