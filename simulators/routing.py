"""Binding a simulator's handler table to Starlette routes behind its own auth check."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Protocol

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route


class Answerable(Protocol):
    """An upstream's error exception: it knows its own HTTP answer."""

    def response(self) -> Response: ...


def bind(
    sim: Any,
    prefix: str,
    table: Sequence[tuple[str, str, Callable[[Any, Request], Awaitable[Response]]]],
    authorize: Callable[[Request], object],
    error_type: type[Exception],
) -> list[Route]:
    """One route per (method, path, handler); `authorize` runs first, errors answer themselves."""
    routes = []
    for method, path, handler in table:

        async def endpoint(request: Request, handler: Any = handler) -> Response:
            try:
                authorize(request)
                response: Response = await handler(sim, request)
                return response
            except error_type as error:
                answer: Response = error.response()  # type: ignore[attr-defined]
                return answer

        routes.append(Route(f"{prefix}{path}", endpoint, methods=[method]))
    return routes
