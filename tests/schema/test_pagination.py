"""The merged cursor pages through a month of both platforms without loss or duplicates."""

from __future__ import annotations

from typing import Any

import pytest

from tests.stack import Stack

MONTH = {"start": "2026-10-26", "end": "2026-11-20"}
PAGE = """query($after: String, $first: Int!, $dir: OrderDirection!, $range: DateRange!) {
  timeEntries(first: $first, after: $after, orderBy: {field: DATE, direction: $dir},
              filter: {dateRange: $range}) {
    totalCount pageInfo { hasNextPage hasPreviousPage endCursor startCursor }
    edges { cursor node { id platform date } } } }"""


def walk(stack: Stack, first: int, direction: str) -> tuple[list[dict[str, Any]], int, int]:
    seen: list[dict[str, Any]] = []
    after = None
    pages = 0
    total = -1
    while True:
        data = stack.data(PAGE, {"after": after, "first": first, "dir": direction, "range": MONTH})[
            "timeEntries"
        ]
        pages += 1
        total = data["totalCount"]
        seen += [e["node"] for e in data["edges"]]
        assert data["pageInfo"]["hasPreviousPage"] == (after is not None)
        if not data["pageInfo"]["hasNextPage"]:
            return seen, total, pages
        after = data["pageInfo"]["endCursor"]
        assert pages < 50


@pytest.mark.parametrize("first,direction", [(200, "ASC"), (97, "DESC")])
def test_paging_a_month_returns_every_entry_once_in_order(
    stack: Stack, first: int, direction: str
) -> None:
    seen, total, pages = walk(stack, first, direction)
    ids = [n["id"] for n in seen]
    assert total == 720  # 2 platforms x 9 people x 20 working days x 2 entries
    assert len(ids) == 720 and len(set(ids)) == 720
    assert pages == -(-720 // first)
    dates = [n["date"] for n in seen]
    assert dates == sorted(dates, reverse=direction == "DESC")
    assert {n["platform"] for n in seen} == {"PRODUCTIVE", "CLOCKIFY"}


def test_each_edge_cursor_resumes_right_after_it(stack: Stack) -> None:
    first = stack.data(PAGE, {"after": None, "first": 10, "dir": "ASC", "range": MONTH})
    edges = first["timeEntries"]["edges"]
    resumed = stack.data(
        PAGE, {"after": edges[4]["cursor"], "first": 5, "dir": "ASC", "range": MONTH}
    )
    assert [e["node"]["id"] for e in resumed["timeEntries"]["edges"]] == [
        e["node"]["id"] for e in edges[5:]
    ]


def test_a_cursor_from_another_query_is_refused(stack: Stack) -> None:
    first = stack.data(PAGE, {"after": None, "first": 3, "dir": "ASC", "range": MONTH})
    cursor = first["timeEntries"]["pageInfo"]["endCursor"]
    body = stack.gql(PAGE, {"after": cursor, "first": 3, "dir": "DESC", "range": MONTH})
    assert body["data"] is None
    error = body["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT" and error["message"].startswith("after")
    garbage = stack.gql(PAGE, {"after": "not-a-cursor", "first": 3, "dir": "ASC", "range": MONTH})
    assert garbage["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


@pytest.mark.parametrize("first", [0, 201, -5])
def test_first_is_bounded(stack: Stack, first: int) -> None:
    body = stack.gql(PAGE, {"after": None, "first": first, "dir": "ASC", "range": MONTH})
    error = body["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "first" in error["message"] and "200" in error["message"]
    assert stack.counts() == (0, 0)
