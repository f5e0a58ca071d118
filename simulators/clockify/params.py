"""Query and body parsing shared by the Clockify routes: pages, timestamps, JSON bodies."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from starlette.requests import Request

from simulators.clockify.errors import bad_request
from simulators.clockify.store import parse_stamp


def page_params(
    request: Request, default_size: int, max_size: int, size_name: str = "page-size"
) -> tuple[int, int]:
    raw_page = request.query_params.get("page", "1")
    raw_size = request.query_params.get(size_name, str(default_size))
    if not raw_page.isdigit() or int(raw_page) < 1:
        raise bad_request("page must be greater than or equal to 1")
    if not raw_size.isdigit() or not 1 <= int(raw_size) <= max_size:
        raise bad_request(f"{size_name} must be between 1 and {max_size}")
    return int(raw_page), int(raw_size)


def paged(items: list[Any], page: int, size: int) -> tuple[list[Any], dict[str, str]]:
    """One page, with the `Last-Page` header every paginated Clockify answer carries."""
    chunk = items[(page - 1) * size : page * size]
    last = page * size >= len(items)
    return chunk, {"Last-Page": "true" if last else "false"}


def timestamp(raw: Any, field: str) -> datetime:
    try:
        return parse_stamp(raw)
    except (ValueError, TypeError):
        raise bad_request(f"Field '{field}' must be a valid ISO-8601 timestamp") from None


def optional_timestamp(raw: Any, field: str) -> datetime | None:
    return None if raw in (None, "") else timestamp(raw, field)


async def json_body(request: Request) -> dict[str, Any]:
    raw = await request.body()
    try:
        body = json.loads(raw) if raw else None
    except ValueError:
        raise bad_request("Malformed JSON request") from None
    if not isinstance(body, dict):
        raise bad_request("Request body is missing or is not a JSON object")
    return body


def flag(request: Request, name: str) -> bool | None:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return None
    if raw not in ("true", "false"):
        raise bad_request(f"{name} must be true or false")
    return raw == "true"
