"""Relay connections, opaque cursors, and the bounds every `first` argument obeys."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Sequence
from typing import Any, Generic, TypeVar

import strawberry

from schema.errors import bad_input

T = TypeVar("T")
MAX_FIRST = 200  # the larger upstream page limit (Productive's page[size] maximum)


@strawberry.type(description="Where a page sits in the whole list.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="More items follow `endCursor`.")
    has_previous_page: bool = strawberry.field(description="Items precede `startCursor`.")
    start_cursor: str | None = strawberry.field(description="Cursor of the first edge.")
    end_cursor: str | None = strawberry.field(
        description="Cursor of the last edge: pass it as `after` for the next page."
    )


@strawberry.type(description="One item of a connection with its cursor.")
class Edge(Generic[T]):
    cursor: str = strawberry.field(description="Opaque position just after this item.")
    node: T = strawberry.field(description="The item.")


@strawberry.type(description="A page of items with Relay pagination.")
class Connection(Generic[T]):
    edges: list[Edge[T]] = strawberry.field(description="The items of this page with cursors.")
    page_info: PageInfo = strawberry.field(description="Pagination state.")
    total_count: int | None = strawberry.field(
        description="How many items match in all, where the upstreams tell it; null otherwise."
    )

    @strawberry.field(description="The items of this page, without cursors.")
    def nodes(self) -> list[T]:
        return [edge.node for edge in self.edges]


def check_first(first: int) -> int:
    if not 1 <= first <= MAX_FIRST:
        raise bad_input("first", f"must be between 1 and {MAX_FIRST}, got {first}")
    return first


def fingerprint(*parts: Any) -> str:
    """Ties a cursor to the filter and order it was made for."""
    text = json.dumps(parts, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def encode_cursor(positions: dict[str, int], query_key: str) -> str:
    raw = json.dumps({"q": query_key, "p": positions}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None, query_key: str) -> dict[str, int]:
    if cursor is None:
        return {}
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()))
        positions = {str(k): int(v) for k, v in data["p"].items()}
        key = data["q"]
    except (ValueError, KeyError, TypeError, AttributeError):
        raise bad_input("after", "is not a cursor this API issued") from None
    if key != query_key:
        raise bad_input("after", "belongs to a query with another filter or order")
    if any(v < 0 for v in positions.values()):
        raise bad_input("after", "is not a cursor this API issued")
    return positions


def offset_connection(
    items: Sequence[T], first: int, after: str | None, query_key: str, total: int | None = None
) -> Connection[T]:
    """A connection over a list already in memory; the cursor is the offset."""
    check_first(first)
    start = decode_cursor(after, query_key).get("o", 0)
    chunk = list(items[start : start + first])
    edges = [
        Edge(cursor=encode_cursor({"o": start + i + 1}, query_key), node=node)
        for i, node in enumerate(chunk)
    ]
    info = PageInfo(
        has_next_page=start + len(chunk) < len(items),
        has_previous_page=start > 0,
        start_cursor=edges[0].cursor if edges else None,
        end_cursor=edges[-1].cursor if edges else None,
    )
    return Connection(
        edges=edges, page_info=info, total_count=len(items) if total is None else total
    )
