"""Direct resolvers for the schema's plain fields, set once after the schema is built.

strawberry wraps every resolver in a chain made for arguments, field extensions and exception
handlers: on each call it builds an Info, converts arguments, folds the extension chain with
`reduce`/`partial` and, for an async resolver, adds a coroutine of its own. A week of 180
entries calls such wrappers thousands of times, and they cost more than the fields do.

For a field without field extensions (permissions are extensions) or exception handlers, that
chain only converts the arguments and calls the function. This pass makes graphql-core call it
directly, converting arguments as strawberry does; every other field keeps strawberry's
wrapper, so behaviour is the same field for field.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any, TypeVar

import strawberry
from graphql import (
    FieldNode,
    GraphQLField,
    GraphQLObjectType,
    GraphQLResolveInfo,
    ListValueNode,
    ObjectValueNode,
    OperationType,
    ValueNode,
    VariableNode,
)
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.arguments import convert_arguments
from strawberry.types.field import StrawberryField

__all__ = [
    "ContextOnly",
    "info_free_checks",
    "lean_calls",
    "reads_context_only",
    "use_direct_resolvers",
]

Resolve = Callable[..., Any]
Converted = tuple[Any, Any, Any, dict[str, Any]]  # (field node, field, variables, arguments)


class ContextOnly:
    """What a resolver marked `reads_context_only` is given as its info on the lean path:
    the request's context, and nothing else."""

    __slots__ = ("context",)

    def __init__(self, context: Any) -> None:
        self.context = context


# How the lean executor (schema/lean_execution.py) calls a direct resolver without building
# its info: one that reads only its source is called as it is (its info unread); one marked
# `reads_context_only` is handed a ContextOnly.
lean_calls: dict[Resolve, Resolve] = {}
_CONTEXT_ONLY = "__timebridge_reads_context_only__"
F = TypeVar("F", bound=Callable[..., Any])


def reads_context_only(function: F) -> F:
    """Marks a resolver that reads its info only for `info.context` (a loader, a peek at
    what the request has loaded): the lean executor then hands it the context alone instead
    of building two info objects per call, 360 times for a week's projects and tasks."""
    setattr(function, _CONTEXT_ONLY, True)
    return function


# Object types whose `is_type_of` is strawberry's own (an isinstance over the type and its
# interfaces, `_info` unread), not one the type defines.
info_free_checks: set[GraphQLObjectType] = set()


def use_direct_resolvers(schema: strawberry.Schema) -> int:
    """Replaces the wrappers of the plain fields in `schema`; returns how many it replaced."""
    replaced = 0
    for named in schema._schema.type_map.values():
        if not isinstance(named, GraphQLObjectType) or named.name.startswith("__"):
            continue
        definition = (named.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
        if named.is_type_of is not None and getattr(definition, "is_type_of", True) is None:
            info_free_checks.add(named)
        for graphql_field in named.fields.values():
            direct = _direct(graphql_field, schema)
            if direct is not None:
                graphql_field.resolve = direct
                replaced += 1
    return replaced


def _direct(graphql_field: GraphQLField, schema: strawberry.Schema) -> Resolve | None:
    field = (graphql_field.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
    if not isinstance(field, StrawberryField) or field.extensions:
        return None
    if field.is_subscription or graphql_field.subscribe is not None:
        return None
    resolver = field.base_resolver
    if resolver is None:
        return None if field.arguments else _attribute(field.python_name)
    if resolver.root_parameter or resolver.parent_parameter or not resolver.self_parameter:
        return None
    function = resolver.wrapped_func
    if not inspect.isfunction(function):  # a static or class method keeps its wrapper
        return None
    info_parameter = resolver.info_parameter
    if field.arguments:
        name = info_parameter.name if info_parameter is not None else None
        return _with_arguments(function, name, schema, field)
    if info_parameter is None:
        return _self_only(function)
    return _with_info(function, info_parameter.name, schema.config.info_class, field)


def _attribute(name: str) -> Resolve:
    def resolve(source: Any, _info: GraphQLResolveInfo[Any]) -> Any:
        return getattr(source, name)

    lean_calls[resolve] = resolve
    return resolve


def _self_only(function: Resolve) -> Resolve:
    def resolve(source: Any, _info: GraphQLResolveInfo[Any]) -> Any:
        return function(source)

    lean_calls[resolve] = resolve
    return resolve


def _with_info(
    function: Resolve,
    name: str,
    info_class: type[strawberry.Info],
    field: StrawberryField,
) -> Resolve:
    def resolve(source: Any, info: GraphQLResolveInfo[Any]) -> Any:
        return function(source, **{name: info_class(_raw_info=info, _field=field)})

    if getattr(function, _CONTEXT_ONLY, False):
        lean_calls[resolve] = _context_call(function, name)
    return resolve


def _context_call(function: Resolve, name: str) -> Resolve:
    """How the lean executor calls a `reads_context_only` resolver: positionally when its
    info is its second parameter (no keyword dict per call, 360 calls for a week's projects
    and tasks), else by name."""
    parameters = list(inspect.signature(function).parameters.values())
    second = parameters[1] if len(parameters) > 1 else None
    if second is not None and second.name == name and second.kind is second.POSITIONAL_OR_KEYWORD:
        return function

    def lean(source: Any, only: ContextOnly) -> Any:
        return function(source, **{name: only})

    return lean


def _with_arguments(
    function: Resolve, name: str | None, schema: strawberry.Schema, field: StrawberryField
) -> Resolve:
    """Arguments converted to their Python types once per field of the document and request
    (`timeEntries(filter: …)` under 50 people has the same arguments 50 times), and once for
    all requests when a query writes them out without variables (parsed documents are cached,
    so their field nodes recur). Resolvers read their inputs and never change them, so the
    calls share them."""
    info_class, config = schema.config.info_class, schema.config
    registry = schema.schema_converter.scalar_registry

    def resolve(source: Any, info: GraphQLResolveInfo[Any], **raw: Any) -> Any:
        strawberry_info = info_class(_raw_info=info, _field=field)
        node = info.field_nodes[0]
        # Keyed by field too: a node in a fragment on an interface runs for every type that
        # implements it, and each type's field converts its arguments its own way.
        key = (id(node), id(field))
        literal = _LITERAL.get(key)
        if literal is not None and literal[0] is node and literal[1] is field:
            converted = literal[2]
        else:
            converted = _per_request(info, key, node, field, lambda: convert(raw, strawberry_info))
        if name is None:
            return function(source, **converted)
        return function(source, **converted, **{name: strawberry_info})

    def convert(raw: dict[str, Any], strawberry_info: Any) -> dict[str, Any]:
        return convert_arguments(
            raw, field.arguments, scalar_registry=registry, config=config, info=strawberry_info
        )

    return resolve


# Converted arguments of query fields written without variables, by field node and field (an
# entry holds both, so neither id is reused meanwhile). Bounded: a gateway serving endless
# distinct documents starts over rather than grow.
_LITERAL: dict[tuple[int, int], tuple[Any, Any, dict[str, Any]]] = {}
LITERAL_ENTRIES = 4096


def _per_request(
    info: GraphQLResolveInfo[Any],
    key: tuple[int, int],
    node: FieldNode,
    field: StrawberryField,
    convert: Callable[[], dict[str, Any]],
) -> dict[str, Any]:
    memo: dict[tuple[int, int], Converted] | None = getattr(info.context, "arguments", None)
    variables = info.variable_values
    # A WebSocket's context serves several operations: an entry holds its node, field and
    # variables (so no id is reused meanwhile) and is used for those only.
    entry = memo.get(key) if memo is not None else None
    if entry is not None and entry[0] is node and entry[1] is field and entry[2] is variables:
        return entry[3]
    converted = convert()
    if memo is not None:
        memo[key] = (node, field, variables, converted)
    if info.operation.operation is OperationType.QUERY and not _uses_variables(node):
        if len(_LITERAL) >= LITERAL_ENTRIES:
            _LITERAL.clear()
        _LITERAL[key] = (node, field, converted)
    return converted


def _uses_variables(node: FieldNode) -> bool:
    values: list[ValueNode] = [argument.value for argument in node.arguments or ()]
    while values:
        value = values.pop()
        if isinstance(value, VariableNode):
            return True
        if isinstance(value, ListValueNode):
            values.extend(value.values)
        elif isinstance(value, ObjectValueNode):
            values.extend(f.value for f in value.fields)
    return False
