"""Humans (issue 15): accounts linked by email, or by TIMEBRIDGE_HUMAN_LINKS where emails
differ; a Relay node; the viewer's; and a team's compliance from one batch of reads."""

from __future__ import annotations

import collections
import datetime as dt

from adapters.base import Platform
from schema.ids import encode
from simulators.clockify.store import object_id
from tests.stack import ANCHOR, OtherGateway, Stack, gateway_for, team_of

HUMANS = """{ humans(first: 50) { totalCount
  nodes { id name email accounts { platform remoteId } } } }"""


def test_accounts_with_one_email_are_one_human(stack: Stack) -> None:
    found = stack.data(HUMANS)["humans"]
    # Eight people on both platforms, Ivana on Productive only, Jonas on Clockify only.
    assert found["totalCount"] == 10
    shapes = {n["name"]: [a["platform"] for a in n["accounts"]] for n in found["nodes"]}
    assert shapes["Ana Kovač"] == ["PRODUCTIVE", "CLOCKIFY"]
    assert shapes["Ivana Horvat"] == ["PRODUCTIVE"] and shapes["Jonas Berg"] == ["CLOCKIFY"]
    ana = next(n for n in found["nodes"] if n["name"] == "Ana Kovač")
    again = stack.data(
        "query($id: ID!) { node(id: $id) { id ... on Human { name } } }", {"id": ana["id"]}
    )
    assert again["node"] == {"id": ana["id"], "name": "Ana Kovač"}
    viewer = stack.data("{ viewer { human { id name } } }")["viewer"]["human"]
    assert viewer == {"id": ana["id"], "name": "Ana Kovač"}


def test_an_explicit_link_joins_accounts_whose_emails_differ(stack: Stack) -> None:
    ivana, jonas = "8168", object_id("user", 9)
    links = {ivana: jonas}
    settings = stack.demo.settings.with_overrides(human_links=tuple(links.items()))
    with gateway_for(settings) as url:
        found = OtherGateway(stack.demo, stack.client, url).data(HUMANS)["humans"]
    assert found["totalCount"] == 9
    joined = next(n for n in found["nodes"] if n["name"] == "Ivana Horvat")
    assert [(a["platform"], a["remoteId"]) for a in joined["accounts"]] == [
        ("PRODUCTIVE", ivana),
        ("CLOCKIFY", jonas),
    ]
    assert joined["id"] == encode("Human", Platform.PRODUCTIVE, ivana)


def test_a_fifty_person_teams_compliance_for_a_week_costs_a_stated_number_of_calls(
    stack: Stack,
) -> None:
    """The README's request-count row: teamCompliance for 50 people, one week."""
    week = {"start": ANCHOR.isoformat(), "end": (ANCHOR + dt.timedelta(days=6)).isoformat()}
    with team_of(50) as demo:
        body = Stack(demo, stack.client).gql(
            """query($r: DateRange!) { teamCompliance(dateRange: $r) {
              human { name } violations { date rule measuredMinutes } } }""",
            {"r": week},
        )
        productive_sim, clockify_sim = demo.productive_sim, demo.clockify_sim
    assert "errors" not in body, body["errors"]
    team = body["data"]["teamCompliance"]
    assert len(team) == 50  # 48 on both platforms, Ivana on Productive only, Jonas on Clockify
    assert sum(len(t["violations"]) for t in team) > 0
    productive = collections.Counter(
        r.path.removeprefix("/api/v2") for r in productive_sim.log.records
    )
    clockify = collections.Counter(
        "user entries"
        if r.path.endswith("/time-entries")
        else "member profile"
        if "/member-profile/" in r.path
        else r.path.rsplit("/", 1)[-1]
        for r in clockify_sim.log.records
    )
    statuses = {r.status for r in [*productive_sim.log.records, *clockify_sim.log.records]}
    assert statuses == {200}
    # Productive: people, the week's entries (three pages of 200), absences, the holidays and
    # the followers of the one calendar with a holiday that week, and the three policy lists.
    assert dict(productive) == {
        "/people": 2,
        "/time_entries": 3,
        "/bookings": 1,
        "/holidays": 1,
        "/time_tracking_policies": 1,
        "/approval_policies": 1,
        "/events": 1,
    }
    # Clockify: users, each user's entries (the report has no types: breaks need them), the
    # running entries, approval requests, time off, holidays, one member profile per person.
    assert dict(clockify) == {
        "users": 1,
        "user entries": 49,
        "in-progress": 1,
        "approval-requests": 1,
        "requests": 1,
        "holidays": 1,
        "member profile": 49,
    }
