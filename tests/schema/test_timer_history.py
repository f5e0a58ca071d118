"""Timer history on both platforms: stopped timers as well as running ones, by person and by
when they started, newest first, with their entries read in the same requests."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

from tests.mutations.helpers import mutate, person_id
from tests.stack import Stack

HISTORY = """query($f: TimerHistoryFilter) { timers(first: 200, filter: $f) {
  totalCount edges { node { id platform running startedAt endedAt
    timeEntry { id note durationMinutes } } } } }"""


def history(stack: Stack, **flt: Any) -> list[dict[str, Any]]:
    data = stack.data(HISTORY, {"f": flt})["timers"]
    return [e["node"] for e in data["edges"]]


def service_id(stack: Stack) -> str:
    data = stack.data("""{ timeEntries(first: 1, filter: {platforms: [PRODUCTIVE]}) {
      edges { node { service { id } } } } }""")
    return str(data["timeEntries"]["edges"][0]["node"]["service"]["id"])


def test_productive_history_lists_stopped_timers_newest_first(stack: Stack) -> None:
    service = service_id(stack)
    ana = person_id(stack, "PRODUCTIVE", "ana.kovac@example.com")
    start = {"platform": "PRODUCTIVE", "serviceId": service, "personId": ana}
    first = mutate(stack, "startTimer", {**start, "stopRunning": True}, "timer { id }")
    mutate(stack, "stopTimer", {"timerId": first["timer"]["id"]}, "timer { id }")
    second = mutate(stack, "startTimer", start, "timer { id }")
    before = len(stack.productive.log.records)
    timers = history(stack, platforms=["PRODUCTIVE"], personIds=[ana])
    assert [t["id"] for t in timers][:2] == [second["timer"]["id"], first["timer"]["id"]]
    assert [t["running"] for t in timers][:2] == [True, False]
    assert timers[1]["endedAt"] is not None and timers[1]["timeEntry"]["id"]
    startedAt = [t["startedAt"] for t in timers]
    assert startedAt == sorted(startedAt, reverse=True)
    # One request: the timers with their entries included.
    [read] = stack.productive.log.records[before:]
    assert read.path == "/api/v2/timers"
    query = parse_qs(read.query)
    assert query["sort"] == ["-started_at"] and "time_entry" in query["include"][0]
    stopped = history(stack, platforms=["PRODUCTIVE"], personIds=[ana], running=False)
    assert stopped and all(not t["running"] for t in stopped)


def test_clockify_history_is_the_entries_started_in_the_range(stack: Stack) -> None:
    timers = history(
        stack,
        platforms=["CLOCKIFY"],
        startedAfter="2026-11-17T00:00:00Z",
        startedBefore="2026-11-18T00:00:00Z",
    )
    assert len(timers) == 18  # 9 people x 2 entries that day
    assert all("2026-11-17" in t["startedAt"] for t in timers)
    assert len({t["timeEntry"]["id"] for t in timers}) == 18  # a timer is its entry
    assert all(t["endedAt"] and t["timeEntry"]["durationMinutes"] for t in timers)
    # Users (for time zones), the report, and the running entries: no read per timer.
    assert stack.counts() == (0, 3)


def test_filters_reach_both_platforms_and_bad_bounds_are_refused(stack: Stack) -> None:
    ana_p = person_id(stack, "PRODUCTIVE", "ana.kovac@example.com")
    ana_c = person_id(stack, "CLOCKIFY", "ana.kovac@example.com")
    stack.reset()
    timers = history(stack, personIds=[ana_p, ana_c], startedAfter="2026-11-16T00:00:00+01:00")
    assert {t["platform"] for t in timers} == {"PRODUCTIVE", "CLOCKIFY"}
    [read] = stack.productive.log.matching("GET", "/timers")
    query = parse_qs(read.query)
    assert query["filter[started_at][gt_eq]"] == ["2026-11-16T00:00:00+01:00"]
    stack.reset()
    for flt, argument in (
        ({"startedAfter": "2026-11-16T00:00:00"}, "filter.startedAfter"),
        (
            {"startedAfter": "2026-11-17T00:00:00Z", "startedBefore": "2026-11-16T00:00:00Z"},
            "filter.startedBefore",
        ),
    ):
        body = stack.gql(HISTORY, {"f": flt})
        assert body["errors"][0]["extensions"]["argument"] == argument
    assert stack.counts() == (0, 0)
