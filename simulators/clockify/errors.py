"""Clockify's error answers: `{"message": ..., "code": N}` with the documented codes."""

from __future__ import annotations

from typing import Any

from simulators.json_answer import JsonAnswer

# Codes the docs name: 1000 auth header mix-up, 4003 unknown key, 3000 unknown route,
# 501 for "not found"-style 400s. The others are the simulator's choice (see the notes).
CODE_AUTH_HEADERS = 1000
CODE_UNKNOWN_KEY = 4003
CODE_UNKNOWN_ROUTE = 3000
CODE_NOT_FOUND_400 = 501
CODE_BAD_REQUEST = 400
CODE_FORBIDDEN = 403


class ClockifyError(Exception):
    """An error answer in Clockify's body format."""

    def __init__(self, status: int, message: str, code: int) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code

    def response(self) -> JsonAnswer:
        return JsonAnswer({"message": self.message, "code": self.code}, self.status)


def bad_request(message: str) -> ClockifyError:
    return ClockifyError(400, message, CODE_BAD_REQUEST)


def missing(entity: str, id_: str) -> ClockifyError:
    return ClockifyError(400, f"{entity} with id {id_} doesn't exist", CODE_NOT_FOUND_400)


def forbidden(message: str = "Access denied") -> ClockifyError:
    return ClockifyError(403, message, CODE_FORBIDDEN)


def json(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> JsonAnswer:
    return JsonAnswer(body, status, headers=headers)
