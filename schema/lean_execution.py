"""graphql-core's execution with a shorter path for plain fields.

For every field graphql-core builds a resolve info, checks for arguments, calls the resolver
and then walks `complete_value` through non-null, list, leaf and object checks. A week of 180
entries has about 1,300 fields that need none of it (`lean_calls` in schema/direct_resolvers.py):
their resolver reads only the record it is given (`date`, `durationMinutes`, `name`, an edge's
`node`), or only the request's context (an entry's `project` and `task`, peeked from what the
request has loaded). Such a field is resolved without an info, and its value completed here
when it is a leaf or an object whose type check reads no info (strawberry's own). A value that
is null, an error, an awaitable or a list, and every field under a middleware, takes
graphql-core's own path. Values, errors, their paths and null propagation are graphql-core's:
a leaf is coerced by `complete_leaf_value`, an object's fields by
`collect_and_execute_subfields`, an error by `handle_field_error`.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    GraphQLScalarType,
)
from graphql.execution.collect_fields import FieldDetailsList
from graphql.execution.executor import invalid_return_type_error, to_nodes
from graphql.pyutils import AwaitableOrValue, Path
from graphql.pyutils.undefined import UndefinedType
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from schema.direct_resolvers import ContextOnly, info_free_checks, lean_calls

__all__ = ["LeanExecutionContext"]


def _checked_object(output_type: GraphQLOutputType) -> GraphQLObjectType | None:
    """The object type `output_type` is (or is a non-null of) when its `is_type_of`, if any,
    reads no info; None for any other type."""
    if isinstance(output_type, GraphQLNonNull):
        output_type = output_type.of_type
    if not isinstance(output_type, GraphQLObjectType):
        return None
    if output_type.is_type_of is not None and output_type not in info_free_checks:
        return None
    return output_type


class LeanExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """Executes an info-free field without building its info, and completes a list's plain
    objects without walking `complete_value`; any other field or item, and every field under
    a middleware (an extension that wraps resolvers), as graphql-core does."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        manager = self.middleware_manager
        # strawberry passes a manager even when it holds no middleware: that one wraps nothing.
        self._wrapped = bool(manager is not None and manager.middlewares)
        self._context_only = ContextOnly(self.context_value)

    def execute_field(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: FieldDetailsList,
        path: Path,
        position_context: Any,
    ) -> AwaitableOrValue[Any] | UndefinedType:
        node = field_details_list[0].node
        field_def = self.schema.get_field(parent_type, node.name.value)
        resolve = field_def.resolve if field_def is not None else None
        call = lean_calls.get(resolve) if resolve is not None else None
        if call is None or node.arguments or self._wrapped:
            return super().execute_field(
                parent_type, source, field_details_list, path, position_context
            )
        assert field_def is not None  # lean_calls holds resolvers of fields only
        return_type = field_def.type
        nullable = return_type.of_type if isinstance(return_type, GraphQLNonNull) else return_type
        try:
            result = call(source, self._context_only)
            awaited = self.is_awaitable(result)
            plain = not (result is None or awaited or isinstance(result, Exception))
            if plain and isinstance(nullable, GraphQLScalarType | GraphQLEnumType):
                return self.complete_leaf_value(nullable, result)
            object_type = _checked_object(nullable) if plain else None
            if object_type is None:
                return self._general(
                    field_def, parent_type, field_details_list, path, result, position_context
                )
            return self._object(
                object_type, return_type, field_details_list, path, result, position_context
            )
        except Exception as raw_error:
            self.handle_field_error(raw_error, return_type, field_details_list, path)
            return None

    def complete_list_item_value(
        self,
        item: Any,
        complete_results: list[Any],
        item_type: GraphQLOutputType,
        field_details_list: FieldDetailsList,
        info: GraphQLResolveInfo[Any],
        item_path: Path,
        position_context: Any,
    ) -> bool:
        object_type = _checked_object(item_type)
        if object_type is None or item is None or isinstance(item, Exception):
            return super().complete_list_item_value(
                item, complete_results, item_type, field_details_list, info, item_path,
                position_context,
            )  # fmt: skip
        try:
            completed = self._object(
                object_type, item_type, field_details_list, item_path, item, position_context
            )
        except Exception as raw_error:
            self.handle_field_error(raw_error, item_type, field_details_list, item_path)
            complete_results.append(None)
            return False
        complete_results.append(completed)
        return self.is_awaitable(completed)

    def _object(
        self,
        object_type: GraphQLObjectType,
        return_type: GraphQLOutputType,
        field_details_list: FieldDetailsList,
        path: Path,
        value: Any,
        position_context: Any,
    ) -> AwaitableOrValue[Any]:
        """A non-null value of a checked object type, its fields executed, as
        `complete_object_value` does with the check `_checked_object` allows."""
        check = object_type.is_type_of
        if check is not None and not check(value, None):  # type: ignore[arg-type]  # unread
            raise invalid_return_type_error(object_type, value, field_details_list)
        completed = self.collect_and_execute_subfields(
            object_type, field_details_list, path, value, position_context
        )
        if self.is_awaitable(completed):
            return self._settled(completed, return_type, field_details_list, path)
        return completed

    def _general(
        self,
        field_def: GraphQLField,
        parent_type: GraphQLObjectType,
        field_details_list: FieldDetailsList,
        path: Path,
        result: Any,
        position_context: Any,
    ) -> AwaitableOrValue[Any]:
        """graphql-core's completion of a resolved value, as `execute_field` does it, with the
        info built: null, an error, an awaitable, a list or a type-checked object."""
        return_type = field_def.type
        info = self.build_resolve_info(field_def, to_nodes(field_details_list), parent_type, path)
        if self.is_awaitable(result):
            return self.complete_awaitable_value(
                return_type, field_details_list, info, path, result, position_context
            )
        completed = self.complete_value(
            return_type, field_details_list, info, path, result, position_context
        )
        if self.is_awaitable(completed):
            return self._settled(completed, return_type, field_details_list, path)
        return completed

    async def _settled(
        self,
        completed: Awaitable[Any],
        return_type: GraphQLOutputType,
        field_details_list: FieldDetailsList,
        path: Path,
    ) -> Any:
        """An awaited completion whose error is handled as graphql-core's `await_completed`
        handles it."""
        try:
            return await completed
        except Exception as raw_error:
            self.handle_field_error(raw_error, return_type, field_details_list, path)
            return None
