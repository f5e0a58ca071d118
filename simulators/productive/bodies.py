"""Reading JSON:API request documents the way Productive does (400 on malformed JSON)."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request

from simulators.productive.errors import simple


async def read_document(request: Request) -> dict[str, Any]:
    """The request body as a JSON object, or Productive's 400 for malformed JSON."""
    raw = await request.body()
    if not raw:
        return {}
    try:
        body = json.loads(raw)
    except ValueError:
        raise simple(400, "Bad Request", "The request body is not valid JSON") from None
    if not isinstance(body, dict):
        raise simple(400, "Bad Request", "The request body must be a JSON object")
    return body


def data_attributes(body: dict[str, Any]) -> dict[str, Any]:
    data = body.get("data")
    attributes = data.get("attributes") if isinstance(data, dict) else None
    return attributes if isinstance(attributes, dict) else {}


def data_relationship(body: dict[str, Any], name: str) -> str | None:
    data = body.get("data")
    if not isinstance(data, dict):
        return None
    rels = data.get("relationships")
    if not isinstance(rels, dict) or not isinstance(rels.get(name), dict):
        return None
    target = rels[name].get("data")
    if isinstance(target, dict) and target.get("id") not in (None, ""):
        return str(target["id"])
    return None
