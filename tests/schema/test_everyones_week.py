"""Everyone's week read beside the people list (schema/people_entries.py): one round trip
instead of two, the same answers as reading by person IDs, and the rules for a week bigger
than one upstream page. Counted and timed from the simulators' request logs."""

from __future__ import annotations

from typing import Any

from simulators.faults import ScriptedFault
from simulators.traffic import RequestRecord
from tests.stack import Stack, team_of

WEEK = '{start: "2026-11-16", end: "2026-11-20"}'
PEOPLE_WEEK = """query($p: [Platform!], $emails: [String!], $first: Int) {
  people(first: $first, filter: {platforms: $p, emails: $emails}) { edges { node {
  id email timeEntries(first: 50, filter: {dateRange: %s}) { totalCount edges { node {
    id date durationMinutes note project { name } task { name } } } } } } } }"""


def tail(record: RequestRecord) -> str:
    return record.path.rsplit("/", 1)[-1]


def weeks(body: dict[str, Any]) -> dict[str, Any]:
    assert "errors" not in body, body["errors"]
    return {e["node"]["id"]: e["node"]["timeEntries"] for e in body["data"]["people"]["edges"]}


def test_the_entries_are_read_while_the_people_list_is_still_on_its_way(stack: Stack) -> None:
    """The people and users lists answer half a second late; the entries reads of both
    platforms have started before either list answered: one dependent round trip, not two."""
    stack.reset()
    stack.productive.settings.faults.script.append(
        ScriptedFault("slow", delay=0.5, method="GET", path_contains="/people")
    )
    stack.clockify.settings.faults.script.append(
        ScriptedFault("slow", delay=0.5, method="GET", path_contains="/users")
    )
    body = stack.gql(PEOPLE_WEEK % WEEK, {"first": 50})
    assert len(weeks(body)) == 18
    productive = {tail(r): r for r in stack.productive.log.records}
    clockify = {tail(r): r for r in stack.clockify.log.records}
    assert sorted(productive) == ["people", "time_entries"]
    assert sorted(clockify) == ["detailed", "in-progress", "users"]
    assert productive["time_entries"].at < productive["people"].ended
    assert clockify["detailed"].at < clockify["users"].ended
    assert clockify["in-progress"].at < clockify["users"].ended
    assert "person_id" not in productive["time_entries"].query
    assert b'"users"' not in clockify["detailed"].body


def test_each_persons_week_is_the_one_read_by_their_ids(stack: Stack) -> None:
    """Naming everyone's emails turns the shortcut off (a filtered list reads by person IDs):
    both ways give every person the same entries in the same order."""
    stack.reset()
    everyone = weeks(stack.gql(PEOPLE_WEEK % WEEK, {"first": 50}))
    assert not any("person_id" in r.query for r in stack.productive.log.records)
    people = stack.data("{ people(first: 50) { edges { node { email } } } }")
    emails = sorted({e["node"]["email"] for e in people["people"]["edges"]})
    stack.reset()
    by_ids = weeks(stack.gql(PEOPLE_WEEK % WEEK, {"first": 50, "emails": emails}))
    assert any("person_id" in r.query for r in stack.productive.log.records)
    assert any(b'"users"' in r.body for r in stack.clockify.log.records)
    assert by_ids == everyone
    assert sum(week["totalCount"] for week in everyone.values()) == 180


def test_an_unbounded_or_filtered_list_reads_by_person_ids(stack: Stack) -> None:
    """Without a date range everyone's entries would be everything ever tracked; with a text
    filter the list is a few people of many. Both read by person IDs, after the list."""
    for query in (
        """{ people(first: 3) { edges { node { timeEntries(first: 5) { totalCount } } } } }""",
        """{ people(first: 50, filter: {text: "an"}) { edges { node {
          timeEntries(filter: {dateRange: %s}) { totalCount } } } } }"""
        % WEEK,
    ):
        stack.reset()
        stack.data(query)
        [entries] = [r for r in stack.productive.log.records if tail(r) == "time_entries"]
        [people] = [r for r in stack.productive.log.records if tail(r) == "people"]
        assert "person_id" in entries.query and entries.at >= people.ended


def test_a_fifty_person_weeks_other_pages_are_read_at_once_after_the_first(
    stack: Stack,
) -> None:
    """A 50-person team's week is 490 Productive entries (49 people there), 3 pages of 200.
    The first is read beside the people; it shows the list's people own all of them, so pages
    2 and 3 follow at once: 4 calls as before, in 2 round trips instead of 4 (the people, then
    each page after the one before)."""
    with team_of(50) as demo:
        # Every answer 0.2 s late, so that reads sent together are seen in flight together.
        demo.productive_sim.settings.faults.latency = 0.2
        body = Stack(demo, stack.client).gql(PEOPLE_WEEK % WEEK, {"first": 50, "p": ["PRODUCTIVE"]})
        log = demo.productive_sim.log.records
    assert {week["totalCount"] for week in weeks(body).values()} == {10}
    assert len(weeks(body)) == 49  # the 50th is on Clockify only
    assert [tail(r) for r in log].count("people") == 1
    pages = [r for r in log if tail(r) == "time_entries"]
    assert len(pages) == 3 and not any("person_id" in r.query for r in pages)
    first = min(pages, key=lambda r: r.at)
    assert "page%5Bnumber%5D=1" in first.query
    assert all(r.at >= first.ended for r in pages if r is not first)
    # The people and the first page in one wave, pages 2 and 3 in the next: 2 round trips.
    [people] = [r for r in log if tail(r) == "people"]
    second, third = sorted((r for r in pages if r is not first), key=lambda r: r.at)
    assert first.at < people.ended and people.at < first.ended
    assert third.at < second.ended


def test_five_of_fifty_peoples_week_is_read_by_their_ids_after_a_first_page(
    stack: Stack,
) -> None:
    """5 of those 50 own a tenth of the first page: the other two pages would cost more than
    their own entries by ID (one page), so that read follows, and the first page was spent."""
    with team_of(50) as demo:
        body = Stack(demo, stack.client).gql(PEOPLE_WEEK % WEEK, {"first": 5, "p": ["PRODUCTIVE"]})
        log = demo.productive_sim.log.records
    assert [week["totalCount"] for week in weeks(body).values()] == [10] * 5
    reads = [r for r in log if tail(r) == "time_entries"]
    assert len(reads) == 2 and len(log) == 3
    assert "person_id" not in reads[0].query and "person_id" in reads[1].query


def test_more_than_a_report_page_on_clockify_reads_by_user_ids(stack: Stack) -> None:
    """An 80-person team's four weeks are 1,060 finished Clockify entries (79 people there, the
    demo's 9 with four weeks each, the others with one), more than the report's page of 1,000:
    that first page is spent, and the report is read again for the users' IDs."""
    four_weeks = '{start: "2026-10-26", end: "2026-11-20"}'
    with team_of(80) as demo:
        body = Stack(demo, stack.client).gql(
            PEOPLE_WEEK % four_weeks, {"first": 100, "p": ["CLOCKIFY"]}
        )
        log = demo.clockify_sim.log.records
    people = weeks(body)
    assert len(people) == 79  # the 80th is on Productive only
    assert sum(week["totalCount"] for week in people.values()) == 1060
    reports = [r for r in log if tail(r) == "detailed"]
    assert [b'"users"' in r.body for r in reports] == [False, True, True]
    assert sorted(tail(r) for r in log if tail(r) != "detailed") == ["in-progress", "users"]


def test_a_failing_people_list_leaves_the_other_platform_whole(stack: Stack) -> None:
    """Productive's people list fails (503 past the retries) while everyone's entries, started
    beside it, are read: Productive's error is located on `people`, Clockify's people come with
    their weeks, and the entries read nobody waits for any more does not disturb the answer."""
    stack.reset()
    stack.productive.settings.faults.script.extend(
        ScriptedFault("status", status=503, method="GET", path_contains="/people") for _ in range(4)
    )
    body = stack.gql(PEOPLE_WEEK % WEEK, {"first": 50})
    [error] = body["errors"]
    assert error["path"] == ["people"] and error["extensions"]["platform"] == "PRODUCTIVE"
    people = body["data"]["people"]["edges"]
    assert len(people) == 9
    assert sum(p["node"]["timeEntries"]["totalCount"] for p in people) == 90
    assert [tail(r) for r in stack.productive.log.records].count("time_entries") == 1
