"""Reading a successful upstream answer: its JSON body and its Retry-After. No I/O here."""

from __future__ import annotations

from typing import Any

import httpx
import orjson

_DECODED = "timebridge.json"
_NOT_YET = object()


def body_json(response: httpx.Response) -> Any:
    """A successful answer's JSON, decoded by orjson (several times faster on the large
    pages entries come in than the standard library), once per answer: the reads that shared
    the call (identical reads in flight with the same credentials, see `send`) share what it
    decoded to, as they share the answer itself. Nothing changes a decoded body: translators
    read it, and merge pages into lists of their own."""
    decoded = response.extensions.get(_DECODED, _NOT_YET)
    if decoded is _NOT_YET:
        decoded = response.extensions[_DECODED] = orjson.loads(response.content)
    return decoded


def retry_after_seconds(response: httpx.Response) -> float | None:
    raw = response.headers.get("retry-after")
    try:
        return float(raw) if raw is not None else None
    except ValueError:
        return None
