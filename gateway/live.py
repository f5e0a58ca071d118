"""Subscriptions over WebSocket (graphql-transport-ws): whose credentials a connection uses,
and fresh adapters for every change it receives.

A connection's credentials are its handshake headers, overridden by the `connection_init`
payload (the same header names: browsers cannot set headers on a WebSocket). They are
checked as a request's are; refused or malformed ones close the connection with 4403. Each
change a subscription resolves gets new adapters, loaders and deadline from them, since a
connection outlives any request's.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import orjson
from starlette.requests import HTTPConnection
from starlette.websockets import WebSocket, WebSocketDisconnect
from strawberry.asgi import ASGIWebSocketAdapter
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http.exceptions import WebSocketDisconnected

from gateway.config import Settings
from gateway.context import (
    HEADER_NAMES,
    Credentials,
    CredentialsInvalid,
    CredentialsRefused,
    build_context,
    credentials,
)
from schema.context import Context


class TextFrames(ASGIWebSocketAdapter):
    """graphql-transport-ws messages are text frames; the view's JSON encoder gives bytes
    (orjson, for HTTP bodies), which strawberry would send as binary frames."""

    async def send_json(self, message: Mapping[str, object]) -> None:
        try:
            await self.ws.send_text(orjson.dumps(message).decode())
        except WebSocketDisconnect as error:
            raise WebSocketDisconnected from error


def renewer(
    settings: Settings, connection: HTTPConnection, creds: Credentials
) -> Callable[[], Context]:
    """Fresh adapters, loaders and deadline with these credentials, for each change."""
    services = connection.app.state.services

    def renew() -> Context:
        context = build_context(
            settings,
            connection.app.state.clients,
            creds,
            services.get("pacer"),
            services.get("read_cache"),
        )
        context.services.update(services)
        return context

    return renew


def websocket_context(settings: Settings, websocket: WebSocket) -> Context:
    """The connection's context before `connection_init`: the handshake's credentials."""
    creds = credentials(settings, websocket.headers)
    renew = renewer(settings, websocket, creds)
    context = renew()
    context.services["renew"] = renew
    context.services["handshake"] = {k: v for k, v in websocket.headers.items()}
    context.services["websocket"] = websocket
    context.scope = creds.scope()
    return context


def connected(settings: Settings, context: Context) -> None:
    """`connection_init` arrived: its payload's credentials replace the handshake's."""
    params = context.connection_params or {}
    sent = {
        str(k).lower(): str(v)
        for k, v in params.items()
        if str(k).lower() in HEADER_NAMES.values() and isinstance(v, str)
    }
    if not sent:
        return
    headers: Mapping[str, str] = {**context.services["handshake"], **sent}
    try:
        creds = credentials(settings, headers)
    except (CredentialsRefused, CredentialsInvalid) as error:
        raise ConnectionRejectionError() from error
    renew = renewer(settings, context.services["websocket"], creds)
    context.services["renew"] = renew
    context.scope = creds.scope()
    context.renew()
