"""`last`/`before`: every connection pages back the way it paged forward, and the combinations
that have no single meaning are refused naming the argument."""

from __future__ import annotations

from typing import Any

import pytest

from tests.stack import Stack

MONTH = {"start": "2026-10-26", "end": "2026-11-20"}
ENTRIES = """query($first: Int, $after: String, $last: Int, $before: String,
    $filter: TimeEntryFilter) {
  timeEntries(first: $first, after: $after, last: $last, before: $before, filter: $filter) {
    totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id } } } }"""


def page(stack: Stack, **variables: Any) -> dict[str, Any]:
    data: dict[str, Any] = stack.data(ENTRIES, variables)["timeEntries"]
    return data


def forward(stack: Stack, flt: dict[str, Any], size: int) -> list[dict[str, Any]]:
    edges: list[dict[str, Any]] = []
    after = None
    while True:
        data = page(stack, first=size, after=after, filter=flt)
        edges += data["edges"]
        if not data["pageInfo"]["hasNextPage"]:
            return edges
        after = data["pageInfo"]["endCursor"]


@pytest.mark.parametrize(
    "flt,size",
    [
        ({"dateRange": MONTH}, 150),
        # A post-filtered Productive stream (text) keeps raw positions.
        ({"dateRange": MONTH, "text": "client"}, 40),
    ],
    ids=["both platforms", "post-filtered"],
)
def test_paging_back_from_the_end_returns_the_same_entries_reversed(
    stack: Stack, flt: dict[str, Any], size: int
) -> None:
    ahead = forward(stack, flt, size)
    ids = [e["node"]["id"] for e in ahead]
    assert len(ids) == len(set(ids)) > size
    back: list[str] = []
    before = ahead[-1]["cursor"]
    while True:
        data = page(stack, last=size, before=before, filter=flt)
        assert data["pageInfo"]["hasNextPage"] is True
        back = [e["node"]["id"] for e in data["edges"]] + back
        if not data["pageInfo"]["hasPreviousPage"]:
            break
        before = data["pageInfo"]["startCursor"]
    assert back + [ids[-1]] == ids


def test_edge_cursors_of_a_backward_page_resume_forward(stack: Stack) -> None:
    flt = {"dateRange": MONTH}
    ahead = forward(stack, flt, 200)
    back = page(stack, last=5, before=ahead[300]["cursor"], filter=flt)
    assert [e["node"]["id"] for e in back["edges"]] == [e["node"]["id"] for e in ahead[295:300]]
    resumed = page(stack, first=3, after=back["edges"][1]["cursor"], filter=flt)
    assert [e["node"]["id"] for e in resumed["edges"]] == [e["node"]["id"] for e in ahead[297:300]]
    assert back["totalCount"] == 720


def test_in_memory_connections_page_back(stack: Stack) -> None:
    query = """query($last: Int, $before: String) { people(last: $last, before: $before) {
      pageInfo { hasPreviousPage hasNextPage startCursor } edges { node { id } } } }"""
    everyone = stack.data("{ people(first: 200) { edges { node { id } } } }")["people"]["edges"]
    ids = [e["node"]["id"] for e in everyone]
    tail = stack.data(query, {"last": 5})["people"]
    assert [e["node"]["id"] for e in tail["edges"]] == ids[-5:]
    assert tail["pageInfo"]["hasNextPage"] is False and tail["pageInfo"]["hasPreviousPage"]
    earlier = stack.data(query, {"last": 5, "before": tail["pageInfo"]["startCursor"]})["people"]
    assert [e["node"]["id"] for e in earlier["edges"]] == ids[-10:-5]


@pytest.mark.parametrize(
    "variables,argument",
    [
        ({"first": 5, "last": 5}, "last"),
        ({"last": 5, "after": "x"}, "after"),
        ({"first": 5, "before": "x"}, "before"),
        ({"last": 0, "before": "x"}, "last"),
        ({"last": 5}, "last"),  # from the end needs each stream's length
        ({"last": 5, "before": "not-a-cursor"}, "before"),
    ],
)
def test_mixed_or_unwalkable_directions_are_refused(
    stack: Stack, variables: dict[str, Any], argument: str
) -> None:
    body = stack.gql(ENTRIES, variables)
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["argument"] == argument
    assert stack.counts() == (0, 0)
