"""Every root field and type answers from both platforms, against the demo dataset."""

from __future__ import annotations

from typing import Any

from tests.stack import Stack

WEEK = {"start": "2026-11-16", "end": "2026-11-20"}


def platforms(items: list[dict[str, Any]]) -> set[str]:
    return {i["platform"] for i in items}


def test_people_from_both_platforms_with_linked_accounts(stack: Stack) -> None:
    data = stack.data("""{ people(first: 50) { totalCount edges { node {
        id platform remoteId name firstName lastName email active timeZone avatarUrl raw
        linkedAccounts { platform email } } } } }""")
    people = [e["node"] for e in data["people"]["edges"]]
    assert data["people"]["totalCount"] == 18 and len(people) == 18
    assert platforms(people) == {"PRODUCTIVE", "CLOCKIFY"}
    ana = [p for p in people if p["email"] == "ana.kovac@example.com"]
    assert {p["platform"] for p in ana} == {"PRODUCTIVE", "CLOCKIFY"}
    productive_ana = next(p for p in ana if p["platform"] == "PRODUCTIVE")
    assert (productive_ana["firstName"], productive_ana["lastName"]) == ("Ana", "Kovač")
    assert productive_ana["linkedAccounts"] == [
        {"platform": "CLOCKIFY", "email": "ana.kovac@example.com"}
    ]
    clockify_ana = next(p for p in ana if p["platform"] == "CLOCKIFY")
    assert clockify_ana["timeZone"] == "Europe/Zagreb" and clockify_ana["firstName"] is None
    only_productive = next(p for p in people if p["email"] == "ivana.horvat@example.com")
    assert only_productive["linkedAccounts"] == []
    assert productive_ana["raw"]["type"] == "people"


def test_person_filter_by_text_email_and_platform(stack: Stack) -> None:
    data = stack.data("""{
      a: people(filter: {text: "grace"}) { edges { node { platform name } } }
      b: people(filter: {emails: ["JONAS.BERG@example.com"]}) { edges { node { platform } } }
      c: people(filter: {platforms: [PRODUCTIVE]}) { totalCount } }""")
    assert platforms([e["node"] for e in data["a"]["edges"]]) == {"PRODUCTIVE", "CLOCKIFY"}
    assert [e["node"]["platform"] for e in data["b"]["edges"]] == ["CLOCKIFY"]
    assert data["c"]["totalCount"] == 9


def test_time_entry_fields_from_both_platforms(stack: Stack) -> None:
    data = stack.data(
        """query($range: DateRange!) { timeEntries(first: 200,
        filter: {dateRange: $range, personIds: []}) { totalCount } all: timeEntries(first: 200,
        filter: {dateRange: $range}) { totalCount edges { node {
        id platform remoteId date startedAt endedAt durationMinutes durationSeconds billable
        billableMinutes note running approvalStatus upstreamApprovalStatus locked createdAt
        updatedAt approvedAt rejectedAt rejectionReason
        person { name } project { name color } task { name project { name } }
        service { name billable project { name } } tags { name } approvedBy { name }
        rejectedBy { name } } } } }""",
        {"range": WEEK},
    )
    assert data["timeEntries"]["totalCount"] == 0
    entries = [e["node"] for e in data["all"]["edges"]]
    assert data["all"]["totalCount"] == 180 and len(entries) == 180  # 9 people x 5 days x 2, twice
    by_platform = {
        p: [e for e in entries if e["platform"] == p] for p in ("PRODUCTIVE", "CLOCKIFY")
    }
    productive = by_platform["PRODUCTIVE"]
    assert productive and all(e["service"] and e["tags"] is None for e in productive)
    assert all(e["durationSeconds"] == e["durationMinutes"] * 60 for e in productive)
    assert all(e["project"]["name"] == e["service"]["project"]["name"] for e in productive)
    assert all(e["approvalStatus"] == "DRAFT" for e in productive)
    assert all(e["date"] >= WEEK["start"] and e["date"] <= WEEK["end"] for e in entries)


def test_clockify_entries_carry_tags_tasks_and_iso_durations(stack: Stack) -> None:
    data = stack.data(
        """query($range: DateRange!) { timeEntries(first: 200,
        filter: {dateRange: $range, platforms: [CLOCKIFY]}) { totalCount edges { node {
        date startedAt endedAt durationSeconds durationMinutes billable billableMinutes
        service { name } tags { name } task { name project { name } } project { name }
        approvalStatus upstreamApprovalStatus locked person { timeZone } } } } }""",
        {"range": {"start": "2026-11-09", "end": "2026-11-13"}},
    )
    entries = [e["node"] for e in data["timeEntries"]["edges"]]
    assert data["timeEntries"]["totalCount"] == 90 and len(entries) == 90
    assert all(e["service"] is None and isinstance(e["tags"], list) for e in entries)
    assert any(e["tags"] for e in entries) and any(e["task"] for e in entries)
    assert all(e["durationSeconds"] > 0 and e["endedAt"] for e in entries)
    statuses = {e["approvalStatus"] for e in entries}
    assert statuses == {"PENDING", "REJECTED"}
    assert {e["upstreamApprovalStatus"] for e in entries} == {"PENDING", "REJECTED"}
    assert all(
        e["billableMinutes"] == (e["durationMinutes"] if e["billable"] else 0) for e in entries
    )


def test_productive_approved_entries_name_their_approver(stack: Stack) -> None:
    data = stack.data("""{ timeEntries(first: 5, filter: {platforms: [PRODUCTIVE],
        approvalStatuses: [APPROVED]}) { edges { node { approvalStatus approvedBy { name }
        approvedAt locked upstreamApprovalStatus } } } }""")
    for edge in data["timeEntries"]["edges"]:
        node = edge["node"]
        assert node["approvedBy"] == {"name": "Ana Kovač"}
        assert (
            node["approvedAt"] and node["locked"] and node["upstreamApprovalStatus"] == "approved"
        )


def test_running_timers_from_both_platforms(stack: Stack) -> None:
    data = stack.data("""{ runningTimers { id platform startedAt endedAt running
        elapsedSeconds person { name } timeEntry { running note } } }""")
    timers = data["runningTimers"]
    assert platforms(timers) == {"PRODUCTIVE", "CLOCKIFY"}
    assert len(timers) == 3
    for timer in timers:
        assert timer["running"] and timer["endedAt"] is None and timer["elapsedSeconds"] > 0
        assert timer["timeEntry"]["running"] is True


def test_viewer_has_an_account_per_platform_with_timers_and_entries(stack: Stack) -> None:
    data = stack.data(
        """query($range: DateRange!) { viewer {
        accounts { platform name email runningTimer { platform } }
        runningTimers { platform }
        timeEntries(first: 100, filter: {dateRange: $range}) { totalCount edges { node {
          platform person { email } } } } } }""",
        {"range": WEEK},
    )
    viewer = data["viewer"]
    assert {a["platform"] for a in viewer["accounts"]} == {"PRODUCTIVE", "CLOCKIFY"}
    assert {a["email"] for a in viewer["accounts"]} == {"ana.kovac@example.com"}
    assert [t["platform"] for t in viewer["runningTimers"]] == ["PRODUCTIVE"]
    entries = [e["node"] for e in viewer["timeEntries"]["edges"]]
    assert viewer["timeEntries"]["totalCount"] == 20
    assert {e["person"]["email"] for e in entries} == {"ana.kovac@example.com"}


def test_person_nested_fields(stack: Stack) -> None:
    data = stack.data(
        """query($range: PersonTimeEntryFilter) { people(first: 50) { edges { node {
        platform email runningTimer { platform } timeTrackingPolicy { name workingDayLimitHours }
        approvals(first: 10) { totalCount edges { node { kind status } } }
        timeEntries(filter: $range, first: 20) { totalCount } } } } }""",
        {"range": {"dateRange": WEEK}},
    )
    people = {
        (e["node"]["platform"], e["node"]["email"]): e["node"] for e in data["people"]["edges"]
    }
    ana_p = people[("PRODUCTIVE", "ana.kovac@example.com")]
    assert ana_p["timeTrackingPolicy"]["name"] == "Team leads"  # her own policy
    ben_p = people[("PRODUCTIVE", "ben.okafor@example.com")]
    assert ben_p["timeTrackingPolicy"]["name"] == "Organization default"  # Remote: inherits org
    chloe_p = people[("PRODUCTIVE", "chloe.martin@example.com")]
    assert chloe_p["timeTrackingPolicy"]["name"] == "Zagreb HQ"  # her subsidiary's
    assert ana_p["runningTimer"] == {"platform": "PRODUCTIVE"}
    assert people[("CLOCKIFY", "ben.okafor@example.com")]["runningTimer"] == {
        "platform": "CLOCKIFY"
    }
    assert people[("CLOCKIFY", "ben.okafor@example.com")]["timeTrackingPolicy"] is None
    assert all(p["timeEntries"]["totalCount"] == 10 for p in people.values())
    assert people[("CLOCKIFY", "ben.okafor@example.com")]["approvals"]["totalCount"] >= 3


def test_policies_of_every_kind(stack: Stack) -> None:
    data = stack.data("""{ policies(first: 50) { totalCount edges { node {
        __typename id platform name archived archivedAt description
        ... on TimeTrackingPolicy { workingDayLimitHours noteMandatory taskMandatory }
        ... on ApprovalPolicy { kind upstreamTypeId custom default }
        ... on TimeOffPolicy { timeUnit allowHalfDays allowNegativeBalance negativeBalanceLimit
            requiresApproval teamManagersApprove approvers { name } appliesToEveryone
            people { name } groupIds } } } }
      archived: policies(filter: {archived: true}) { edges { node { name platform } } } }""")
    nodes = [e["node"] for e in data["policies"]["edges"]]
    kinds = {n["__typename"] for n in nodes}
    assert kinds == {"TimeTrackingPolicy", "ApprovalPolicy", "TimeOffPolicy"}
    # 4 time tracking, 4 approval (one for internal time), 4 Clockify time off, and
    # Productive's 2 kinds of absence.
    assert data["policies"]["totalCount"] == 14
    hq = next(n for n in nodes if n["name"] == "Zagreb HQ")
    assert hq["workingDayLimitHours"] == 9 and hq["noteMandatory"] is True
    overtime = next(n for n in nodes if n["name"] == "Overtime compensation")
    assert overtime["timeUnit"] == "HOURS" and overtime["negativeBalanceLimit"] == 16
    assert overtime["approvers"] == [{"name": "Ana Kovač"}] and len(overtime["people"]) == 4
    archived = {(n["platform"], n["name"]) for n in (e["node"] for e in data["archived"]["edges"])}
    assert archived == {
        ("PRODUCTIVE", "Legacy 2024"),
        ("PRODUCTIVE", "Old absence flow"),
        ("CLOCKIFY", "Parental leave (old)"),
    }


def test_approvals_of_every_kind(stack: Stack) -> None:
    data = stack.data("""{ approvals(first: 200) { totalCount edges { node {
        id platform kind status upstreamStatus requester { name } periodStart periodEnd
        totalMinutes decidedBy { name } decidedAt note timeOffPolicy { name }
        timeEntries(first: 20) { totalCount edges { node { platform date } } } } } }
      pending: approvals(filter: {statuses: [PENDING], kinds: [TIME_OFF]}) {
        edges { node { status kind timeOffPolicy { name } } } } }""")
    nodes = [e["node"] for e in data["approvals"]["edges"]]
    assert {n["kind"] for n in nodes} == {"TIME_ENTRY", "TIMESHEET", "TIME_OFF"}
    sheet = next(n for n in nodes if n["kind"] == "TIMESHEET" and n["status"] == "APPROVED")
    assert sheet["decidedBy"] == {"name": "Ana Kovač"} and sheet["timeEntries"]["totalCount"] == 10
    assert all(e["node"]["platform"] == "CLOCKIFY" for e in sheet["timeEntries"]["edges"])
    rejected = next(n for n in nodes if n["kind"] == "TIMESHEET" and n["status"] == "REJECTED")
    assert rejected["note"] == "Missing project on Tuesday"
    entry = next(n for n in nodes if n["kind"] == "TIME_ENTRY")
    assert entry["timeEntries"]["totalCount"] == 1 and entry["periodStart"] == entry["periodEnd"]
    pending = [e["node"] for e in data["pending"]["edges"]]
    # Clockify's pending vacation request, and Productive's pending vacation absence.
    assert (
        pending
        == [{"status": "PENDING", "kind": "TIME_OFF", "timeOffPolicy": {"name": "Vacation"}}] * 2
    )


def test_node_and_nodes_round_trip_every_type(stack: Stack) -> None:
    data = stack.data("""{ people(first: 2) { edges { node { id } } }
      timeEntries(first: 1, filter: {platforms: [CLOCKIFY], dateRange:
        {start: "2026-11-16", end: "2026-11-16"}}) { edges { node { id project { id }
        task { id } tags { id } } } }
      p: timeEntries(first: 1, filter: {platforms: [PRODUCTIVE]}) { edges { node { id
        service { id } } } }
      runningTimers { id } policies(first: 50) { edges { node { id } } }
      approvals(first: 3) { edges { node { id } } } }""")
    ids = [e["node"]["id"] for e in data["people"]["edges"]]
    clockify_entry = data["timeEntries"]["edges"][0]["node"]
    ids += [clockify_entry["id"], clockify_entry["project"]["id"]]
    ids += [t["id"] for t in clockify_entry["tags"] or []]
    if clockify_entry["task"]:
        ids.append(clockify_entry["task"]["id"])
    productive_entry = data["p"]["edges"][0]["node"]
    ids += [productive_entry["id"], productive_entry["service"]["id"]]
    ids += [t["id"] for t in data["runningTimers"]]
    ids += [e["node"]["id"] for e in data["policies"]["edges"]]
    ids += [e["node"]["id"] for e in data["approvals"]["edges"]]
    found = stack.data("query($ids: [ID!]!) { nodes(ids: $ids) { id } }", {"ids": ids})
    assert [n["id"] if n else None for n in found["nodes"]] == ids
    single = stack.data(
        "query($id: ID!) { node(id: $id) { id ... on Person { name } } }", {"id": ids[0]}
    )
    assert single["node"]["id"] == ids[0] and single["node"]["name"]


def test_clockify_entries_take_decider_and_reason_from_their_approval_request(
    stack: Stack,
) -> None:
    data = stack.data("""{ timeEntries(first: 200, filter: {platforms: [CLOCKIFY], dateRange:
      {start: "2026-10-26", end: "2026-11-13"}}) { edges { node { approvalStatus
      approvedBy { name } approvedAt rejectedBy { name } rejectionReason } } } }""")
    nodes = [e["node"] for e in data["timeEntries"]["edges"]]
    approved = [n for n in nodes if n["approvalStatus"] == "APPROVED"]
    rejected = [n for n in nodes if n["approvalStatus"] == "REJECTED"]
    assert approved and all(
        n["approvedBy"] == {"name": "Ana Kovač"} and n["approvedAt"] for n in approved
    )
    assert rejected and all(
        n["rejectionReason"] == "Missing project on Tuesday"
        and n["rejectedBy"] == {"name": "Ana Kovač"}
        for n in rejected
    )


def test_numeric_string_durations_read_like_iso_ones() -> None:
    """FACTS.md's `"duration": "8000"` artefact: the same entry reads the same either way."""
    from tests.stack import running_stack

    query = """query($id: ID!) { node(id: $id) { ... on TimeEntry { durationSeconds raw } } }"""
    listing = """{ timeEntries(first: 1, filter: {platforms: [CLOCKIFY], dateRange:
      {start: "2026-11-16", end: "2026-11-16"}}) { edges { node { id durationSeconds } } } }"""
    with running_stack(clockify={"duration_format": "seconds"}) as stack:
        node = stack.data(listing)["timeEntries"]["edges"][0]["node"]
        entry = stack.data(query, {"id": node["id"]})["node"]
        fetched = stack.clockify.log.records[-1].path
    assert "/time-entries/" in fetched  # read through the regular API, not the report
    assert entry["raw"]["timeInterval"]["duration"] == str(node["durationSeconds"])
    assert entry["durationSeconds"] == node["durationSeconds"] > 0


def test_viewer_has_a_name_and_an_account_per_platform(stack: Stack) -> None:
    """`{ viewer { name } }`, the first query many people type, works (issue 12)."""
    data = stack.data(
        """{ viewer { name email productive: account(platform: PRODUCTIVE) { platform }
        clockify: account(platform: CLOCKIFY) { platform } } }"""
    )["viewer"]
    assert data["name"] and "@" in data["email"]
    assert data["productive"] == {"platform": "PRODUCTIVE"}
    assert data["clockify"] == {"platform": "CLOCKIFY"}
