"""graphql-core's execution with a shorter path for plain fields.

For every field graphql-core builds a resolve info, checks for arguments, calls the resolver
and then walks `complete_value` through non-null, list, leaf and object checks. A week of 180
entries has about 1,300 fields that need none of it (`lean_calls` in schema/direct_resolvers.py):
their resolver reads only the record it is given (`date`, `durationMinutes`, `name`, an edge's
`node`), or only the request's context (an entry's `project` and `task`, peeked from what the
request has loaded).

An object's fields are executed by the steps schema/field_plans.py works out once per object
type, selection and request: 180 entries with one selection look their fields up once. A
plain field is resolved without an info, and its value completed here when it is a leaf, a
null where the type allows one, or an object whose type check reads no info (strawberry's
own); a leaf gets no path of its own unless it fails. A value that is an error, an awaitable,
a list or a null where none is allowed, every other field (root fields among them), and every
field under a middleware or in a deferred selection, takes graphql-core's own path. Values,
errors, their paths and null propagation are graphql-core's: a leaf is coerced by
`complete_leaf_value`, an error handled by `handle_field_error`, awaitables gathered as
`execute_fields` gathers them.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

from graphql import (
    GraphQLField,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
)
from graphql.execution.collect_fields import FieldDetailsList
from graphql.execution.executor import invalid_return_type_error, to_nodes
from graphql.pyutils import AwaitableOrValue, Path, gather_with_cancel
from graphql.pyutils.undefined import Undefined
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from schema.awaitables import is_awaitable
from schema.direct_resolvers import ContextOnly
from schema.field_plans import GENERAL, LEAF, OBJECT, Step, checked_object, plan

__all__ = ["LeanExecutionContext"]


class LeanExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """Executes an object's info-free fields by planned steps without building their infos,
    and completes a list's plain objects without walking `complete_value`; any other field or
    item, and every field under a middleware (an extension that wraps resolvers), as
    graphql-core does."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        manager = self.middleware_manager
        # strawberry passes a manager even when it holds no middleware: that one wraps nothing.
        self._wrapped = bool(manager is not None and manager.middlewares)
        self._context_only = ContextOnly(self.context_value)
        self.is_awaitable = is_awaitable  # type: ignore[assignment]  # a TypeGuard to mypy
        # Steps by object type and selection, holding the selection so its id is not reused.
        self._plans: dict[tuple[GraphQLObjectType, int], tuple[Any, tuple[Step, ...] | None]]
        self._plans = {}

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
        object_type = checked_object(item_type)
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

    def collect_and_execute_subfields(
        self,
        return_type: GraphQLObjectType,
        field_details_list: FieldDetailsList,
        path: Path,
        result: Any,
        position_context: Any,
    ) -> AwaitableOrValue[dict[str, Any]]:
        """An object's fields by its planned steps; with incremental delivery (@defer) in
        play, or under a middleware, as graphql-core does."""
        steps = None
        if position_context is None and not self._wrapped:
            key = (return_type, id(field_details_list))
            found = self._plans.get(key)
            if found is None:
                grouped, new_defer_usages, _ = self.collect_subfields(
                    return_type, field_details_list
                )
                planned = None if new_defer_usages else plan(self.schema, return_type, grouped)
                found = self._plans[key] = (field_details_list, planned)
            steps = found[1]
        if steps is None:
            return super().collect_and_execute_subfields(
                return_type, field_details_list, path, result, position_context
            )
        return self._execute_steps(return_type, steps, result, path)

    def _execute_steps(
        self, parent_type: GraphQLObjectType, steps: tuple[Step, ...], source: Any, path: Path
    ) -> AwaitableOrValue[dict[str, Any]]:
        """graphql-core's `execute_fields` over planned steps: a plain field's value is
        completed here when it is a leaf, an allowed null or a checked object, and by
        graphql-core's completion (`_general`) otherwise; awaitables are gathered the same
        way."""
        results: dict[str, Any] = {}
        is_awaitable = self.is_awaitable
        context = self._context_only
        pending: list[str] = []
        try:
            for name, kind, call, completes_as, return_type, details, field_def in steps:
                if kind == GENERAL:
                    result = self.execute_field(
                        parent_type, source, details, Path(path, name, parent_type.name), None
                    )
                    if result is Undefined:
                        continue
                else:
                    assert call is not None and return_type is not None and field_def is not None
                    try:
                        value = call(source, context)
                        plain = not (
                            value is None or isinstance(value, Exception) or is_awaitable(value)
                        )
                        if value is None and not isinstance(return_type, GraphQLNonNull):
                            result = None  # graphql-core completes it so, with no info needed
                        elif plain and kind == LEAF:
                            result = self.complete_leaf_value(completes_as, value)
                        elif plain and kind == OBJECT:
                            field_path = Path(path, name, parent_type.name)
                            result = self._object(
                                completes_as, return_type, details, field_path, value, None
                            )
                        else:
                            field_path = Path(path, name, parent_type.name)
                            result = self._general(
                                field_def, parent_type, details, field_path, value
                            )
                    except Exception as raw_error:
                        field_path = Path(path, name, parent_type.name)
                        self.handle_field_error(raw_error, return_type, details, field_path)
                        result = None
                results[name] = result
                if is_awaitable(result):
                    pending.append(name)
        except Exception:
            if pending:
                # Awaitables of earlier fields may fail too: they are settled, not orphaned.
                self.settle_in_background([results[name] for name in pending])
            raise
        if not pending:
            return results
        return self._gathered(results, pending)

    @staticmethod
    async def _gathered(results: dict[str, Any], pending: list[str]) -> dict[str, Any]:
        """`results` with the awaitables of `pending` fields awaited, as graphql-core's
        `execute_fields` gathers them."""
        if len(pending) == 1:
            results[pending[0]] = await results[pending[0]]
        else:
            awaited = await gather_with_cancel(*(results[name] for name in pending))
            results.update(zip(pending, awaited, strict=True))
        return results

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
        `complete_object_value` does with the check `field_plans.checked_object` allows."""
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
    ) -> AwaitableOrValue[Any]:
        """graphql-core's completion of a resolved value, as `execute_field` does it, with the
        info built: a disallowed null, an error, an awaitable, a list or a type-checked object
        (no delivery group is in play where steps run)."""
        return_type = field_def.type
        info = self.build_resolve_info(field_def, to_nodes(field_details_list), parent_type, path)
        if self.is_awaitable(result):
            return self.complete_awaitable_value(
                return_type, field_details_list, info, path, result, None
            )
        completed = self.complete_value(return_type, field_details_list, info, path, result, None)
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
