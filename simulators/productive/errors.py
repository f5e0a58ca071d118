"""Productive's error answers: JSON:API error objects, as in the time entries and policy docs."""

from __future__ import annotations

from typing import Any

from simulators.json_answer import JsonAnswer

MEDIA_TYPE = "application/vnd.api+json"


class ApiError(Exception):
    """An error answer the simulator sends as `{"errors": [...]}`."""

    def __init__(self, status: int, errors: list[dict[str, Any]]) -> None:
        super().__init__(status)
        self.status = status
        self.errors = errors

    def response(self) -> JsonAnswer:
        return json_api({"errors": self.errors}, self.status)


def json_api(body: Any, status: int = 200) -> JsonAnswer:
    return JsonAnswer(body, status, media_type=f"{MEDIA_TYPE}; charset=utf-8")


def simple(status: int, title: str, detail: str | None = None) -> ApiError:
    error: dict[str, Any] = {"status": str(status), "title": title}
    if detail:
        error["detail"] = detail
    return ApiError(status, [error])


def conflict(code: str) -> ApiError:
    """A 409 exactly as documented (`record_already_approved`, `record_not_archived`, …)."""
    return ApiError(409, [{"status": "409", "code": code, "title": "Conflict error", "source": {}}])


def invalid_attribute(pointer: str, *details: str) -> ApiError:
    """A 422 `invalid_attribute`, one error object per detail, pointing at the attribute."""
    return ApiError(
        422,
        [
            {
                "status": "422",
                "code": "invalid_attribute",
                "title": "Invalid Attribute",
                "detail": detail,
                "source": {"pointer": pointer},
            }
            for detail in details
        ],
    )


def unsupported_filter(name: str) -> ApiError:
    return simple(400, "Unsupported Filter", f"Filter '{name}' is not supported on this endpoint")


def unsupported_filter_value(name: str, value: str, expected: str) -> ApiError:
    return ApiError(
        422,
        [
            {
                "status": "unprocessable_entity",
                "code": "unsupported_filter_value_type",
                "title": "Unsupported filter value type",
                "detail": (
                    f"Unsupported value '{value}' for filter '{name}' on this endpoint. "
                    f"Expected a value of type '{expected}'"
                ),
                "source": {"parameter": f"filter[{name}]"},
            }
        ],
    )


def not_found() -> ApiError:
    return simple(404, "Not Found", "Record not found")
