"""Everything an adapter raises, translated once at the HTTP boundary with `raise … from exc`.

AdapterError
├── NotConfigured        the platform has no credentials in settings or request
├── UpstreamUnavailable  timeouts, connection errors, 5xx (after retries)
│   └── UnknownOutcome   a write was sent and its answer lost: it may have landed
├── UpstreamRejected     4xx with the upstream's field errors (422, 400, 409 …)
│   └── Conflict         409 and Clockify's state-transition refusals
├── NotFound             404, and Clockify's "doesn't exist" 400/501s
├── Unauthorized         401: missing or wrong token / API key
├── Forbidden            403: the credentials may not do this
└── RateLimited          429 after retries, with the upstream's Retry-After
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FieldError:
    """One rejected input: where the upstream points (`data/attributes/date`) and why."""

    pointer: str | None
    message: str
    code: str | None = None


class AdapterError(Exception):
    """Base of every adapter failure; never carries a token or a raw upstream trace."""

    code = "UPSTREAM_ERROR"

    def __init__(self, platform: str, message: str, upstream_status: int | None = None) -> None:
        super().__init__(message)
        self.platform = platform
        self.message = message
        self.upstream_status = upstream_status


class NotConfigured(AdapterError):
    code = "NOT_CONFIGURED"


class UpstreamUnavailable(AdapterError):
    code = "UPSTREAM_UNAVAILABLE"


class UnknownOutcome(UpstreamUnavailable):
    """`in_flight`: the answer timed out, so upstream may still be working on the write."""

    code = "UNKNOWN_OUTCOME"

    def __init__(self, platform: str, message: str, in_flight: bool = False) -> None:
        super().__init__(platform, message)
        self.in_flight = in_flight


class UpstreamRejected(AdapterError):
    code = "BAD_USER_INPUT"

    def __init__(
        self,
        platform: str,
        message: str,
        upstream_status: int | None = None,
        field_errors: list[FieldError] | None = None,
        upstream_code: str | None = None,
    ) -> None:
        super().__init__(platform, message, upstream_status)
        self.field_errors = field_errors or []
        self.upstream_code = upstream_code


class UpstreamIncompatible(AdapterError):
    """Upstream refused a request the gateway built on its own (an include, a filter, a
    route): not the caller's input, so not BAD_USER_INPUT."""

    code = "UPSTREAM_INCOMPATIBLE"


class Conflict(UpstreamRejected):
    code = "CONFLICT"


class NotFound(AdapterError):
    code = "NOT_FOUND"


class Unauthorized(AdapterError):
    code = "UNAUTHENTICATED"


class Forbidden(AdapterError):
    code = "FORBIDDEN"


class RateLimited(AdapterError):
    code = "RATE_LIMITED"

    def __init__(
        self, platform: str, message: str, upstream_status: int | None, retry_after: float | None
    ) -> None:
        super().__init__(platform, message, upstream_status)
        self.retry_after = retry_after
