"""The plain-HTTP pieces of the GraphQL endpoint: request bodies checked member by member,
JSON error bodies, the outcome a request is counted under, and read-cache bypass."""

from __future__ import annotations

from typing import Any

from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from strawberry.http import GraphQLRequestData


def wants_fresh(request: Request) -> bool:
    """`Cache-Control: no-cache` (or `max-age=0`), as browsers send on a hard reload: read
    past the gateway's read cache."""
    directives = {d.strip().lower() for d in request.headers.get("cache-control", "").split(",")}
    return bool(directives & {"no-cache", "max-age=0", "no-store"})


def outcome(request: Request, response: Response) -> str:
    """ok; partial (data with errors, e.g. one platform failed); error (no data)."""
    if response.status_code >= 400 or getattr(request.state, "request_error", False):
        return "error"
    if getattr(request.state, "had_errors", False):
        return "error" if getattr(request.state, "no_data", False) else "partial"
    return "ok"


class TooComplex(HTTPException):
    """A request over a size limit, refused before parsing: 400 OPERATION_TOO_COMPLEX."""

    def __init__(self, limit: str, allowed: int, value: int, what: str) -> None:
        super().__init__(
            400, f"The operation is too complex: {what} is {value}, over the limit of {allowed}"
        )
        self.extensions = {
            "code": "OPERATION_TOO_COMPLEX",
            "limit": limit,
            "max": allowed,
            "value": value,
        }


def request_data(body: Any, protocol: Any = "http") -> GraphQLRequestData:
    """A POST body as a GraphQL request, each member checked for its type (400 if wrong);
    `protocol` is how its answer goes out (a streamed subscription or one response)."""
    if not isinstance(body, dict):
        raise HTTPException(400, "The request body must be a JSON object (batches are not served)")
    expected: dict[str, tuple[type, ...]] = {
        "query": (str,),
        "variables": (dict,),
        "operationName": (str,),
        "extensions": (dict,),
    }
    for name, types in expected.items():
        value = body.get(name)
        if value is not None and not isinstance(value, types):
            kind = "a string" if types == (str,) else "an object"
            raise HTTPException(400, f"`{name}` must be {kind} or null")
    return GraphQLRequestData(
        query=body.get("query"),
        variables=body.get("variables"),
        operation_name=body.get("operationName"),
        extensions=body.get("extensions"),
        protocol=protocol,
    )


def error_response(
    status: int, reason: str, request: Request, extensions: dict[str, Any] | None = None
) -> Response:
    headers = {"Allow": "POST"} if status == 405 else {}
    code = {
        400: "BAD_REQUEST",
        403: "FORBIDDEN",
        404: "NOT_FOUND",
        405: "METHOD_NOT_ALLOWED",
        413: "REQUEST_TOO_LARGE",
        415: "UNSUPPORTED_MEDIA_TYPE",
    }.get(status, "BAD_REQUEST")
    body = {"errors": [{"message": reason, "extensions": extensions or {"code": code}}]}
    return JSONResponse(body, status, headers=headers)
