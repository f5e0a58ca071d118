"""GraphQL over HTTP: strawberry's ASGI view, made to follow the GraphQL-over-HTTP spec where it
does not (405 for mutations over GET, 415 for unsupported media types, JSON error bodies,
`application/graphql-response+json` with 4xx for request errors) and to serve our own GraphiQL."""

from __future__ import annotations

import json
import logging
import time
from typing import Any

import orjson
from cross_web import HTTPException
from graphql import ExecutionResult, GraphQLError
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import MissingQueryError
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData, process_result
from strawberry.schema import BaseSchema
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.subscriptions import (
    GRAPHQL_SSE_PROTOCOL,
    GRAPHQL_TRANSPORT_WS_PROTOCOL,
    MULTIPART_SUBSCRIPTION_PROTOCOL,
)
from strawberry.types.execution import ExecutionResult as StrawberryResult
from strawberry.types.graphql import OperationType
from strawberry.types.unset import UNSET, UnsetType

from gateway import graphiql_assets, live, metrics
from gateway.config import Settings
from gateway.context import (
    CredentialsInvalid,
    CredentialsRefused,
    build_context,
    credentials,
)
from gateway.graphql_http import (
    TooComplex,
    error_response,
    outcome,
    request_data,
    wants_fresh,
)
from gateway.persisted_queries import PersistedQueryError
from schema.context import Context
from schema.validation import with_codes

log = logging.getLogger("timebridge.graphql")
GRAPHQL_RESPONSE = "application/graphql-response+json"
SUBSCRIPTIONS_OVER_HTTP = (
    "Subscriptions stream: open a WebSocket (graphql-transport-ws), or POST with "
    'Accept: multipart/mixed;subscriptionSpec="1.0" or Accept: text/event-stream'
)


class GraphQLView(GraphQL[Context, None]):
    """The /graphql endpoint: GET for queries, POST for anything, GraphiQL for browsers,
    WebSocket (graphql-transport-ws) for subscriptions."""

    websocket_adapter_class = live.TextFrames

    def __init__(self, schema: BaseSchema, settings: Settings) -> None:
        super().__init__(
            schema,
            graphql_ide="graphiql",
            allow_queries_via_get=True,
            # WebSocket, and two HTTP streams for clients without one: Apollo Client's
            # multipart subscriptions and GraphQL over SSE.
            subscription_protocols=(
                GRAPHQL_TRANSPORT_WS_PROTOCOL,
                MULTIPART_SUBSCRIPTION_PROTOCOL,
                GRAPHQL_SSE_PROTOCOL,
            ),
            # Browsers on other origins may subscribe where they may query (same-origin
            # pages, GraphiQL among them, always may).
            allowed_origins=settings.cors_origins,
        )
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        request = Request(scope=scope, receive=receive)
        started = time.perf_counter()
        try:
            await self._read_body(request)
            response = await self.run(request)
        except HTTPException as error:
            extensions = getattr(error, "extensions", None)
            response = error_response(error.status_code, error.reason, request, extensions)
        except CredentialsRefused as error:
            response = error_response(403, str(error), request)
        except CredentialsInvalid as error:
            response = error_response(400, str(error), request)
        response = self._negotiate(request, response)
        if not response.media_type or "html" not in response.media_type:
            metrics.record(
                getattr(request.state, "operation_name", None),
                getattr(request.state, "operation_type", None),
                outcome(request, response),
                time.perf_counter() - started,
            )
        try:
            await response(scope, receive, send)
        finally:
            context: Context | None = getattr(request.state, "context", None)
            if context is not None:
                context.release()

    def _negotiate(self, request: Request, response: Response) -> Response:
        """With `application/graphql-response+json` accepted, request errors (the document did
        not parse or validate, variables did not coerce) answer 4xx; an execution that produced
        `data: null` is still 2xx, as the GraphQL-over-HTTP spec says."""
        accept = request.headers.get("accept", "")
        if GRAPHQL_RESPONSE not in accept or response.media_type != "application/json":
            return response
        response.headers["content-type"] = f"{GRAPHQL_RESPONSE}; charset=utf-8"
        if getattr(request.state, "request_error", False) and response.status_code == 200:
            response.status_code = 400
        return response

    async def get_context(self, request: Any, response: Any) -> Context:
        if isinstance(request, WebSocket):
            return live.websocket_context(self.settings, request)
        creds = credentials(self.settings, request.headers)
        services = request.app.state.services
        context = build_context(
            self.settings,
            request.app.state.clients,
            creds,
            services.get("pacer"),
            services.get("read_cache"),
            fresh=wants_fresh(request),
        )
        context.services.update(request.app.state.services)
        # A streamed subscription outlives this request's deadline: each change it resolves
        # gets fresh adapters with the same credentials.
        context.services["renew"] = live.renewer(self.settings, request, creds)
        context.request_id = getattr(request.state, "request_id", "")
        request.state.partial_errors = context.partial_errors
        request.state.context = context
        return context

    async def on_ws_connect(self, context: Context) -> UnsetType | dict[str, object] | None:
        live.connected(self.settings, context)
        ack: UnsetType = UNSET
        return ack

    async def render_graphql_ide(self, request: Any) -> Response:
        return graphiql_assets.page()

    async def _read_body(self, request: Request) -> None:
        """Read a POST body up to the configured size; more is a 413, never a held socket."""
        if request.method != "POST":
            return
        limit = self.settings.limits.max_body_bytes
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise HTTPException(413, f"The request body is over {limit} bytes")
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise HTTPException(413, f"The request body is over {limit} bytes")
            chunks.append(chunk)
        request._body = b"".join(chunks)  # Starlette's own cache of the body

    async def parse_http_body(self, request: Any) -> Any:
        if request.method != "POST":
            return await super().parse_http_body(request)
        media = (request.content_type or "").split(";")[0].strip().lower()
        if media not in ("application/json", "application/graphql-response+json"):
            raise HTTPException(415, "POST bodies must be application/json")
        accept = request.headers.get("accept", "").lower()
        # strawberry parses the Accept header with the email package for each stream
        # transport; only an Accept naming one of their media types can choose one.
        streams = "multipart/mixed" in accept or "text/event-stream" in accept
        transport = self._get_stream_transport_from_headers(request.headers) if streams else None
        protocol = transport.protocol if transport is not None else "http"
        return request_data(self.parse_json(await request.get_body()), protocol)

    def encode_json(self, data: object) -> bytes:
        return orjson.dumps(data)

    def parse_json(self, data: str | bytes) -> Any:
        """Strict JSON: invalid UTF-8 or JSON is a 400 with a JSON body, never a 500. orjson
        reads what it can; what it refuses goes through the standard library, which says
        what is wrong (and accepts what orjson does not, as before: NaN, huge integers)."""
        try:
            return orjson.loads(data)
        except orjson.JSONDecodeError:
            pass
        if isinstance(data, bytes):
            try:
                data = data.decode("utf-8")
            except UnicodeDecodeError:
                raise HTTPException(400, "The request body is not valid UTF-8") from None
        try:
            return json.loads(data)
        except ValueError:
            raise HTTPException(400, "Unable to parse the request as JSON") from None

    def should_render_graphql_ide(self, request: Any) -> bool:
        """Only a browser asking for a page gets GraphiQL: a GET without a query but with
        `Accept: */*` (Apollo's hash-only persisted-query GET) is a GraphQL request."""
        if request.method != "GET":
            return False  # a POST's query string is not parsed for nothing
        params = request.query_params
        return (
            params.get("query") is None
            and params.get("extensions") is None
            and "text/html" in request.headers.get("accept", "")
        )

    async def execute_single(
        self,
        request: Any,
        request_adapter: Any,
        sub_response: Any,
        context: Any,
        root_value: Any,
        request_data: GraphQLRequestData,
    ) -> StrawberryResult:
        persisted = request.app.state.services.get("persisted_queries")
        if persisted is not None:
            try:
                request_data = await persisted.resolve(request_data)
            except PersistedQueryError as refused:
                request.state.operation_name = request_data.operation_name
                return StrawberryResult(data=None, errors=[refused.error])
        query = request_data.query
        if isinstance(query, str):
            request.state.query_text = query  # to name arguments in errors
            request.state.operation_name = request_data.operation_name
            limit = self.settings.limits.max_query_bytes
            size = len(query.encode())
            if size > limit:
                raise TooComplex("maxQueryBytes", limit, size, "the query's size in bytes")
        # A subscription over plain HTTP has nowhere to stream to: refused, not run.
        allowed = OperationType.from_http(request_adapter.method) - {OperationType.SUBSCRIPTION}
        try:
            return await self.schema.execute(
                request_data.query,
                root_value=root_value,
                variable_values=request_data.variables,
                context_value=context,
                operation_name=request_data.operation_name,
                allowed_operation_types=allowed,
                operation_extensions=request_data.extensions,
            )
        except InvalidOperationTypeError as error:
            if error.operation_type is OperationType.SUBSCRIPTION:
                raise HTTPException(400, SUBSCRIPTIONS_OVER_HTTP) from error
            raise HTTPException(405, "Mutations are only accepted over POST") from error
        except CannotGetOperationTypeError as error:
            raise HTTPException(400, error.as_http_error_reason()) from error
        except MissingQueryError as error:
            raise HTTPException(400, "No GraphQL query found in the request") from error

    async def process_result(  # type: ignore[override]
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        partial: list[GraphQLError] = getattr(request.state, "partial_errors", [])
        errors = [*(result.errors or []), *partial]
        for error in errors:
            if error.original_error is not None and not isinstance(
                error.original_error, GraphQLError
            ):
                log.error("unexpected error at %s", error.path, exc_info=error.original_error)
        merged = ExecutionResult(result.data, errors or None, result.extensions)
        body = process_result(merged)
        if body.get("errors"):
            coded = with_codes(list(body["errors"] or []), getattr(request.state, "query_text", ""))
            body["errors"] = list(coded)
        request.state.had_errors = bool(errors)
        request.state.no_data = result.data is None
        context = getattr(request.state, "context", None)
        request.state.operation_type = getattr(context, "operation_type", None)
        named = getattr(context, "operation_name", None)
        if named:
            request.state.operation_name = named
        # Errors before execution carry no path: then there is no `data` entry at all.
        request.state.request_error = result.data is None and all(
            error.path is None for error in errors
        )
        if request.state.request_error:
            body.pop("data", None)
        cache = context.cache_use.report() if context is not None else None
        if cache is not None:
            body["extensions"] = {**(body.get("extensions") or {}), "cache": cache}
        return body
