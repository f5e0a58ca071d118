"""The unified GraphQL schema: types, resolvers and the Schema object the gateway serves."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import strawberry
from graphql import ASTValidationRule, GraphQLError, MiddlewareManager
from strawberry.extensions import MaskErrors, ParserCache, SchemaExtension, ValidationCache
from strawberry.extensions.max_aliases import create_validator as aliases_validator
from strawberry.extensions.query_depth_limiter import create_validator as depth_validator
from strawberry.extensions.runner import SchemaExtensionsRunner
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext

from adapters import telemetry
from adapters.errors import AdapterError
from schema.cost import QueryLimits, cost_rule
from schema.direct_resolvers import use_direct_resolvers
from schema.errors import from_adapter
from schema.extension_runner import SingleExtensionRunner
from schema.query import Query

__all__ = ["build_schema"]
log = logging.getLogger("timebridge.graphql")
DOCUMENTS = 512  # parsed and validated documents kept (strawberry's LRU caches)


def _translated(error: GraphQLError) -> GraphQLError:
    original = error.original_error
    if not isinstance(original, AdapterError):
        return error
    gateway_error = from_adapter(original)
    return GraphQLError(
        gateway_error.message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        extensions=gateway_error.extensions,
    )


def _should_mask(error: GraphQLError) -> bool:
    """Anything not meant for clients (a bug, a foreign exception) is masked."""
    original = error.original_error
    return original is not None and not isinstance(original, GraphQLError | AdapterError)


def _request_id(execution_context: ExecutionContext | None) -> str:
    context = getattr(execution_context, "context", None)
    return str(getattr(context, "request_id", "") or "-")


class GatewayOperation(MaskErrors, ParserCache, ValidationCache):
    """What every operation needs, in one extension: strawberry wraps each hook of each
    extension in a fresh context manager per request, which cost more than a trivial query's
    execution, so the trivial hooks are folded in here, and strawberry's parse and validation
    caches (frontends send the same few documents again and again) are mixed in.

    - Before it runs: the token limit (as MaxTokensLimiter does) and the cost, depth and alias
      rules (as AddValidationRules does); deep or wide queries fan out into upstream calls.
    - After it ran: errors not meant for clients are masked, saying INTERNAL_SERVER_ERROR
      with the request id the log line has; then adapter failures become GraphQL errors with
      code, platform and upstream status, once per result (a hook around every field
      resolution cost more than any single field did).
    - At execution: the gateway learns which operation ran, for its metrics, and a span
      covers it when tracing is on (its type and name, never its variables).
    """

    def __init__(self, limits: QueryLimits, rules: tuple[type[ASTValidationRule], ...]) -> None:
        ParserCache.__init__(self, maxsize=DOCUMENTS)
        ValidationCache.__init__(self, maxsize=DOCUMENTS)
        MaskErrors.__init__(
            self,
            should_mask_error=_should_mask,
            error_message="Internal error: the gateway failed unexpectedly.",
        )
        self.max_tokens = limits.max_tokens
        self.rules = rules

    def on_operation(self) -> Iterator[None]:
        context = self.execution_context
        context.parse_options["max_tokens"] = self.max_tokens
        context.validation_rules = context.validation_rules + self.rules
        yield from super().on_operation()
        errors = getattr(context.result, "errors", None)
        if errors:
            context.result.errors = [_translated(e) for e in errors]  # type: ignore[union-attr]

    def _process_result(self, result: object) -> None:
        # strawberry tests the result against a runtime-checkable Protocol first, which costs
        # more than a trivial query's execution; an answer without errors has nothing to mask.
        if getattr(result, "errors", None):
            super()._process_result(result)

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        masked = super().anonymise_error(error)
        masked.extensions = {
            "code": "INTERNAL_SERVER_ERROR",
            "requestId": _request_id(self.execution_context),
        }
        return masked

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context.context
        kind = self.execution_context.operation_type
        name = self.execution_context.operation_name
        if context is not None and kind is not None:
            context.operation_type = kind.value
            context.operation_name = name
            if kind.value == "mutation":
                # A mutation decides on what it reads (is a timer running?): never on a copy.
                context.cache_use.fresh = True
        tracer = telemetry.tracer()
        if tracer is None:
            yield
            return
        kind_text = kind.value if kind is not None else "unknown"
        with tracer.start_as_current_span(
            f"graphql {kind_text} {name or 'anonymous'}",
            attributes={"graphql.operation.type": kind_text, "graphql.operation.name": name or ""},
        ):
            yield


class GatewaySchema(strawberry.Schema):
    """Logs what an operator must see: failures at ERROR with their traceback, and client
    mistakes (bad input, validation) at INFO in one line. Runs GatewayOperation's hooks
    directly (schema/extension_runner.py), and without a middleware manager when no extension
    wraps resolvers (graphql-core would ask an empty one for every field's resolver)."""

    def create_extensions_runner(
        self, execution_context: ExecutionContext, extensions: list[SchemaExtension]
    ) -> SchemaExtensionsRunner:
        return SingleExtensionRunner(execution_context, extensions, GatewayOperation)

    def _get_middleware_manager(self, extensions: list[SchemaExtension]) -> MiddlewareManager:
        if any(extension._implements_resolve() for extension in extensions):
            return super()._get_middleware_manager(extensions)
        return None  # type: ignore[return-value]  # graphql-core takes None: no middleware

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        request_id = _request_id(execution_context)
        for error in errors:
            if isinstance(error.original_error, AdapterError):
                failure = error.original_error
                log.warning(
                    "upstream %s %s at %s: %s",
                    failure.platform,
                    failure.code,
                    error.path,
                    failure.message,
                )
            elif _should_mask(error):
                log.error(
                    "unexpected error at %s (request %s)",
                    error.path,
                    request_id,
                    exc_info=error.original_error,
                )
            else:
                code = (error.extensions or {}).get("code", "GRAPHQL_ERROR")
                log.info("client error %s at %s: %s", code, error.path, error.message)


def build_schema(limits: QueryLimits | None = None) -> strawberry.Schema:
    """The schema, with the cost limits of `limits` (defaults when None)."""
    from schema.approval import Approval
    from schema.lean_execution import LeanExecutionContext
    from schema.mutations.root import Mutation
    from schema.person import Person
    from schema.policy import ApprovalPolicy, TimeOffPolicy, TimeTrackingPolicy
    from schema.scalars import SCALAR_MAP
    from schema.subscription import Subscription
    from schema.time_entry import TimeEntry
    from schema.timer import Timer
    from schema.work import Project, Service, Tag, Task

    limits = limits or QueryLimits()
    # One set of rule classes for the schema's life: the validation cache keys on them.
    rules: tuple[type[ASTValidationRule], ...] = (
        depth_validator(limits.max_depth, None),
        aliases_validator(limits.max_aliases),
        cost_rule(limits),
    )

    schema = GatewaySchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        config=StrawberryConfig(scalar_map=SCALAR_MAP),
        types=[
            Person,
            TimeEntry,
            Timer,
            Project,
            Task,
            Service,
            Tag,
            Approval,
            TimeTrackingPolicy,
            ApprovalPolicy,
            TimeOffPolicy,
        ],
        extensions=[lambda: GatewayOperation(limits, rules)],
        execution_context_class=LeanExecutionContext,
    )
    use_direct_resolvers(schema)
    return schema
