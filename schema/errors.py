"""GraphQL errors with the extensions clients branch on: code, platform, upstreamStatus."""

from __future__ import annotations

from typing import Any

from graphql import GraphQLError

from adapters.errors import AdapterError, NotConfigured, RateLimited

CONFIGURE_HINT = {
    "productive": "set PRODUCTIVE_API_TOKEN and PRODUCTIVE_ORGANIZATION_ID",
    "clockify": "set CLOCKIFY_API_KEY and CLOCKIFY_WORKSPACE_ID",
}


class GatewayError(GraphQLError):
    """An error the gateway means to show, with stable extensions."""

    def __init__(self, message: str, code: str, **extensions: Any) -> None:
        clean = {k: v for k, v in extensions.items() if v is not None}
        super().__init__(message, extensions={"code": code, **clean})


def bad_input(argument: str, message: str) -> GatewayError:
    """BAD_USER_INPUT naming the argument, raised before any upstream call."""
    return GatewayError(f"{argument}: {message}", "BAD_USER_INPUT", argument=argument)


def from_adapter(error: AdapterError) -> GatewayError:
    message = error.message
    code = error.code
    if isinstance(error, NotConfigured):
        code = "NOT_CONFIGURED"
        if "PERSON_ID" not in message:
            message = f"{error.platform.capitalize()} is not configured: " + CONFIGURE_HINT.get(
                error.platform, "configure it"
            )
    extra: dict[str, object] = {}
    if isinstance(error, RateLimited) and error.retry_after is not None:
        extra["retryAfter"] = error.retry_after  # seconds, for the client's back-off
    return GatewayError(
        message,
        code,
        platform=error.platform.upper(),
        upstreamStatus=error.upstream_status,
        **extra,
    )


def partial(error: AdapterError, path: list[str | int]) -> GraphQLError:
    """One platform's failure as an error beside the other platform's data, at `path`."""
    gateway_error = from_adapter(error)
    return GraphQLError(gateway_error.message, path=path, extensions=gateway_error.extensions)
