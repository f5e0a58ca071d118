"""The approver inbox (issue 11): exactly what waits for one approver on both platforms, from
seeded data with known answers; paged; and its exact upstream request counts."""

from __future__ import annotations

from collections import Counter
from typing import Any

from adapters.base import Platform
from simulators.clockify.app import MEMBER_KEY
from tests.approvers.seeded import (
    ANA_C,
    ANA_P,
    BEN_C,
    BEN_P,
    clockify_awaiting,
    person,
    productive_awaiting,
)
from tests.stack import OtherGateway, Stack, gateway_for, team_of

ITEM = """id platform remoteId kind status periodStart totalMinutes
  requester { name } timeEntries(first: 5) { totalCount }"""
INBOX = f"""query($a: [ID!]) {{ approvals(first: 200, filter: {{awaitingApproverIds: $a}}) {{
  totalCount edges {{ node {{ {ITEM} }} }} }} }}"""
VIEWER = f"""{{ viewer {{ approvalInbox(first: 200) {{ totalCount
  edges {{ node {{ {ITEM} }} }} }} }} }}"""
BEN = {"X-Clockify-Api-Key": MEMBER_KEY, "X-Productive-Person-Id": BEN_P}


def split(nodes: list[dict[str, Any]]) -> tuple[set[str], set[tuple[str, str]]]:
    productive = {n["remoteId"] for n in nodes if n["platform"] == "PRODUCTIVE"}
    clockify = {(n["kind"], n["remoteId"]) for n in nodes if n["platform"] == "CLOCKIFY"}
    return productive, clockify


def nodes_of(connection: dict[str, Any]) -> list[dict[str, Any]]:
    return [e["node"] for e in connection["edges"]]


def test_an_approvers_inbox_holds_exactly_their_items_on_both_platforms(stack: Stack) -> None:
    ana = stack.data(
        INBOX, {"a": [person(Platform.PRODUCTIVE, ANA_P), person(Platform.CLOCKIFY, ANA_C)]}
    )
    productive, clockify = split(nodes_of(ana["approvals"]))
    assert productive == productive_awaiting(stack, ANA_P) and productive
    assert clockify == clockify_awaiting(stack, ANA_C)
    assert {k for k, _ in clockify} == {"TIMESHEET", "TIME_OFF"}
    assert ana["approvals"]["totalCount"] == len(productive) + len(clockify)
    every = nodes_of(ana["approvals"])
    assert {n["status"] for n in every} == {"PENDING"}
    # Each item says whose it is, for when, how long, and what is behind it.
    sheet = next(n for n in every if n["kind"] == "TIMESHEET")
    assert sheet["requester"]["name"] and sheet["periodStart"] and sheet["totalMinutes"] > 0
    assert sheet["timeEntries"]["totalCount"] > 0
    # Newest period first.
    starts = [n["periodStart"] for n in every]
    assert starts == sorted(starts, reverse=True)


def test_the_viewers_inbox_is_theirs_only(stack: Stack) -> None:
    settings = stack.demo.settings.with_overrides(request_credentials=True)
    with gateway_for(settings) as url:
        body = OtherGateway(stack.demo, stack.client, url).gql(VIEWER, headers=BEN)
    assert "errors" not in body, body
    productive, clockify = split(nodes_of(body["data"]["viewer"]["approvalInbox"]))
    # Ben approves time on the internal budget, and the timesheets of Chloé and Dev.
    assert productive == productive_awaiting(stack, BEN_P) and productive
    assert clockify == clockify_awaiting(stack, BEN_C) and clockify
    assert not productive & productive_awaiting(stack, ANA_P)
    mine = stack.data(
        INBOX, {"a": [person(Platform.PRODUCTIVE, BEN_P), person(Platform.CLOCKIFY, BEN_C)]}
    )
    assert split(nodes_of(mine["approvals"])) == (productive, clockify)


def test_the_inbox_pages_like_every_connection(stack: Stack) -> None:
    approvers = [person(Platform.PRODUCTIVE, ANA_P), person(Platform.CLOCKIFY, ANA_C)]
    query = """query($a: [ID!], $after: String) { approvals(first: 7, after: $after,
      filter: {awaitingApproverIds: $a}) { totalCount pageInfo { hasNextPage endCursor }
      edges { node { id } } } }"""
    seen: list[str] = []
    after = None
    while True:
        page = stack.data(query, {"a": approvers, "after": after})["approvals"]
        seen += [e["node"]["id"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == len(set(seen)) == page["totalCount"]


def test_the_inbox_costs_one_productive_read_and_one_wave_of_clockify_reads(stack: Stack) -> None:
    stack.reset()
    approvers = [person(Platform.PRODUCTIVE, ANA_P), person(Platform.CLOCKIFY, ANA_C)]
    body = stack.gql(
        """query($a: [ID!]) { approvals(first: 200, filter: {awaitingApproverIds: $a}) {
          totalCount edges { node { id periodStart totalMinutes requester { name } } } } }""",
        {"a": approvers},
    )
    assert "errors" not in body, body
    productive = Counter(r.path.removeprefix("/api/v2") for r in stack.productive.log.records)
    clockify = Counter(
        r.path.rsplit("/", 1)[-1] if "/managers" not in r.path else "managers"
        for r in stack.clockify.log.records
    )
    # One entries read (requesters included in it); nothing per entry.
    assert productive == {"/time_entries": 1}
    pending = {
        r["owner"]["userId"]
        for r in stack.clockify.workspace.approvals.values()
        if r["status"]["state"] == "PENDING"
    } | {
        d["userId"]
        for d in stack.clockify.workspace.time_off.values()
        if d["status"]["statusType"] == "PENDING"
    }
    assert clockify == {
        "approval-requests": 1,
        "requests": 1,  # time off
        "policies": 1,
        "managers": len(pending),  # one per requester with something pending, all at once
        "users": 1,
    }


def test_the_inbox_of_a_fifty_person_team_costs_one_productive_read_and_one_wave(
    stack: Stack,
) -> None:
    """The README's request-count row: Ana's inbox when she manages 49 people."""
    approvers = [person(Platform.PRODUCTIVE, ANA_P), person(Platform.CLOCKIFY, ANA_C)]
    with team_of(50) as demo:
        body = Stack(demo, stack.client).gql(
            """query($a: [ID!]) { approvals(first: 200, filter: {awaitingApproverIds: $a}) {
              totalCount edges { node { id periodStart totalMinutes requester { name } } } } }""",
            {"a": approvers},
        )
        productive_sim, clockify_sim = demo.productive_sim, demo.clockify_sim
    assert "errors" not in body, body
    managers = [r for r in clockify_sim.log.records if r.path.endswith("/managers")]
    ws = clockify_sim.workspace
    requesters = {
        r["owner"]["userId"] for r in ws.approvals.values() if r["status"]["state"] == "PENDING"
    } | {d["userId"] for d in ws.time_off.values() if d["status"]["statusType"] == "PENDING"}
    assert len(requesters) >= 45
    # Productive: one entries read. Clockify: users, approval requests, time off, policies,
    # then the managers of each requester with something pending, in one concurrent wave.
    assert len(productive_sim.log.records) == 1
    assert len(managers) == len({r.path for r in managers}) == len(requesters)
    assert {r.status for r in clockify_sim.log.records} == {200}
    assert len(clockify_sim.log.records) == 4 + len(requesters)
    assert body["data"]["approvals"]["totalCount"] >= len(requesters) - 1
