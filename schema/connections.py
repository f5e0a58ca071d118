"""Relay connections, opaque cursors, and the bounds every `first` argument obeys."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Sequence
from typing import Any, Generic, TypeVar

import orjson
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
    """The cursor is encoded when a query asks for it, not for every edge of every page (a
    resolver given here, not a method below, keeps `cursor` before `node` in the schema)."""

    position: strawberry.Private[dict[str, int]]
    query_key: strawberry.Private[str]
    cursor: str = strawberry.field(
        resolver=lambda self: self.encoded(), description="Opaque position just after this item."
    )
    node: T = strawberry.field(description="The item.")

    def encoded(self) -> str:
        return encode_cursor(self.position, self.query_key)


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


DEFAULT_PAGE = 50


def check_first(first: int | None) -> int:
    """The page size going forward: `first`, or the default when it is not given."""
    if first is None:
        return DEFAULT_PAGE
    if not 1 <= first <= MAX_FIRST:
        raise bad_input("first", f"must be between 1 and {MAX_FIRST}, got {first}")
    return first


def check_last(
    first: int | None, after: str | None, last: int | None, before: str | None
) -> int | None:
    """The page size going backward, or None when paging forward. `last` pairs with `before`
    and `first` with `after`; mixing directions is refused rather than guessed."""
    if last is None:
        if before is not None:
            raise bad_input("before", "pairs with `last`; use `after` with `first`")
        return None
    if first is not None:
        raise bad_input("last", "give `first` or `last`, not both")
    if after is not None:
        raise bad_input("after", "pairs with `first`; use `before` with `last`")
    if not 1 <= last <= MAX_FIRST:
        raise bad_input("last", f"must be between 1 and {MAX_FIRST}, got {last}")
    return last


def fingerprint(*parts: Any) -> str:
    """Ties a cursor to the filter and order it was made for."""
    text = json.dumps(parts, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def encode_cursor(positions: dict[str, int], query_key: str) -> str:
    # orjson writes the same compact text as json.dumps with tight separators, ten times
    # faster: a page makes a cursor for every edge.
    raw = orjson.dumps({"q": query_key, "p": positions})
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None, query_key: str, argument: str = "after") -> dict[str, int]:
    if cursor is None:
        return {}
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()))
        positions = {str(k): int(v) for k, v in data["p"].items()}
        key = data["q"]
    except (ValueError, KeyError, TypeError, AttributeError):
        raise bad_input(argument, "is not a cursor this API issued") from None
    if key != query_key:
        raise bad_input(argument, "belongs to a query with another filter or order")
    if any(v < 0 for v in positions.values()):
        raise bad_input(argument, "is not a cursor this API issued")
    return positions


def offset_connection(
    items: Sequence[T],
    first: int | None,
    after: str | None,
    query_key: str,
    total: int | None = None,
    last: int | None = None,
    before: str | None = None,
) -> Connection[T]:
    """A connection over a list already in memory; a cursor is the offset just after its
    item, so paging walks both ways."""
    backward = check_last(first, after, last, before)
    if backward is None:
        size = check_first(first)
        start = decode_cursor(after, query_key).get("o", 0)
    else:
        size = backward
        end = decode_cursor(before, query_key, "before").get("o", len(items)) if before else None
        # A `before` cursor names the offset just after its own item: that item is excluded.
        stop = len(items) if end is None else max(0, end - 1)
        start = max(0, stop - size)
        size = stop - start
    chunk = list(items[start : start + size])
    edges = [
        Edge(position={"o": start + i + 1}, query_key=query_key, node=node)
        for i, node in enumerate(chunk)
    ]
    info = PageInfo(
        has_next_page=start + len(chunk) < len(items),
        has_previous_page=start > 0,
        start_cursor=edges[0].encoded() if edges else None,
        end_cursor=edges[-1].encoded() if edges else None,
    )
    return Connection(
        edges=edges, page_info=info, total_count=len(items) if total is None else total
    )
