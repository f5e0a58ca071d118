"""startTimer, stopTimer and switchTimer on both platforms."""

from __future__ import annotations

import pytest

from tests.mutations.helpers import mutate, person_id, writes
from tests.stack import Stack

TIMER = "timer { id platform running person { email } timeEntry { id note project { name } } }"
START = "startTimer"


def service_id(stack: Stack) -> str:
    data = stack.data("""{ timeEntries(first: 1, filter: {platforms: [PRODUCTIVE]}) {
      edges { node { service { id } } } } }""")
    return str(data["timeEntries"]["edges"][0]["node"]["service"]["id"])


def clockify_project(stack: Stack) -> tuple[str, str]:
    data = stack.data("""{ timeEntries(first: 50, filter: {platforms: [CLOCKIFY],
      dateRange: {start: "2026-11-16", end: "2026-11-20"}}) { edges { node {
      project { id } task { id } } } } }""")
    node = next(e["node"] for e in data["timeEntries"]["edges"] if e["node"]["task"])
    return node["project"]["id"], node["task"]["id"]


def running(stack: Stack) -> list[tuple[str, str]]:
    data = stack.data("{ runningTimers { platform person { email } } }")
    return sorted((t["platform"], t["person"]["email"]) for t in data["runningTimers"])


def test_productive_start_refuses_while_running_then_stops_first(stack: Stack) -> None:
    service = service_id(stack)
    stack.reset()
    refused = mutate(
        stack,
        START,
        {"platform": "PRODUCTIVE", "serviceId": service},
        f"{TIMER} stoppedTimer {{ id }}",
    )
    assert refused["timer"] is None
    assert refused["userErrors"][0]["code"] == "ALREADY_RUNNING"
    assert refused["userErrors"][0]["field"] == ["input", "stopRunning"]
    assert writes(stack) == (0, 0)
    started = mutate(
        stack,
        START,
        {"platform": "PRODUCTIVE", "serviceId": service, "stopRunning": True},
        f"{TIMER} stoppedTimer {{ id running }}",
    )
    assert started["userErrors"] == []
    assert started["timer"]["running"] and started["timer"]["timeEntry"]["id"]
    assert started["stoppedTimer"]["running"] is False
    assert [r.path.rsplit("/", 1)[-1] for r in stack.productive.log.writes()] == ["stop", "timers"]
    productive = [r for r in running(stack) if r[0] == "PRODUCTIVE"]
    assert productive == [("PRODUCTIVE", "ana.kovac@example.com")]


def test_productive_resume_an_existing_entry(stack: Stack) -> None:
    entry = stack.data("""{ timeEntries(first: 1, filter: {platforms: [PRODUCTIVE],
      approvalStatuses: [DRAFT]}) { edges { node { id } } } }""")["timeEntries"]["edges"][0]
    started = mutate(
        stack,
        "switchTimer",
        {"platform": "PRODUCTIVE", "timeEntryId": entry["node"]["id"]},
        f"{TIMER} stoppedTimer {{ id }}",
    )
    assert started["userErrors"] == [] and started["stoppedTimer"]["id"]
    assert started["timer"]["timeEntry"]["id"] == entry["node"]["id"]


def test_clockify_start_with_project_task_and_tags_is_visible(stack: Stack) -> None:
    project, task = clockify_project(stack)
    tags = stack.data("""{ timeEntries(first: 200, filter: {platforms: [CLOCKIFY], dateRange:
      {start: "2026-11-16", end: "2026-11-16"}}) { edges { node { tags { id } } } } }""")
    tag = next(t["id"] for e in tags["timeEntries"]["edges"] for t in e["node"]["tags"] or [])
    stack.reset()
    started = mutate(
        stack,
        START,
        {
            "platform": "CLOCKIFY",
            "projectId": project,
            "taskId": task,
            "tagIds": [tag],
            "note": "Pairing",
            "billable": True,
        },
        TIMER,
    )
    assert started["userErrors"] == []
    assert started["timer"]["timeEntry"]["note"] == "Pairing"
    assert started["timer"]["person"]["email"] == "ana.kovac@example.com"
    assert writes(stack) == (0, 1)
    assert ("CLOCKIFY", "ana.kovac@example.com") in running(stack)


def test_stop_by_person_and_by_timer_then_not_running(stack: Stack) -> None:
    ben = person_id(stack, "CLOCKIFY", "ben.okafor@example.com")
    stopped = mutate(
        stack,
        "stopTimer",
        {"personId": ben},
        "timer { id running } timeEntry { durationSeconds running }",
    )
    assert stopped["userErrors"] == [] and stopped["timer"]["running"] is False
    assert stopped["timeEntry"]["running"] is False and stopped["timeEntry"]["durationSeconds"] > 0
    again = mutate(stack, "stopTimer", {"personId": ben}, "timer { id }")
    assert again["userErrors"][0]["code"] == "NOT_RUNNING" and again["timer"] is None
    by_id = mutate(stack, "stopTimer", {"timerId": stopped["timer"]["id"]}, "timer { id }")
    assert by_id["userErrors"][0]["code"] == "NOT_RUNNING"
    productive = stack.data("{ runningTimers(filter: {platforms: [PRODUCTIVE]}) { id } }")
    timer = productive["runningTimers"][0]["id"]
    done = mutate(
        stack,
        "stopTimer",
        {"timerId": timer},
        "timer { running } timeEntry { durationMinutes }",
    )
    assert done["userErrors"] == [] and done["timer"]["running"] is False
    twice = mutate(stack, "stopTimer", {"timerId": timer}, "timer { id }")
    assert twice["userErrors"][0]["code"] == "NOT_RUNNING"
    assert running(stack) == [("CLOCKIFY", "grace.lee@example.com")]


def test_switch_reports_both_in_order(stack: Stack) -> None:
    ben = person_id(stack, "CLOCKIFY", "ben.okafor@example.com")
    stack.reset()
    switched = mutate(
        stack,
        "switchTimer",
        {"platform": "CLOCKIFY", "personId": ben, "note": "Next task"},
        "stoppedTimer { running } timer { running timeEntry { note } }",
    )
    assert switched["userErrors"] == []
    assert switched["stoppedTimer"]["running"] is False and switched["timer"]["running"]
    assert [r.method for r in stack.clockify.log.writes()] == ["PATCH", "POST"]
    after = stack.data(
        """query($p: [ID!]) { runningTimers(filter: {personIds: $p}) {
      timeEntry { note } } }""",
        {"p": [ben]},
    )
    assert after["runningTimers"] == [{"timeEntry": {"note": "Next task"}}]


INVALID = [
    (
        {"platform": "PRODUCTIVE", "projectId": "x"},
        "UNSUPPORTED_ON_PLATFORM",
        ["input", "projectId"],
    ),
    ({"platform": "PRODUCTIVE"}, "INVALID_INPUT", ["input", "serviceId"]),
    ({"platform": "CLOCKIFY", "serviceId": "x"}, "UNSUPPORTED_ON_PLATFORM", ["input", "serviceId"]),
    ({"platform": "CLOCKIFY", "projectId": "not-an-id"}, "INVALID_INPUT", ["input", "projectId"]),
    ({"platform": "CLOCKIFY", "taskId": "x"}, "INVALID_INPUT", ["input", "taskId"]),
]


@pytest.mark.parametrize("value,code,field", INVALID)
def test_invalid_start_inputs_make_no_upstream_request(
    stack: Stack, value: dict[str, str], code: str, field: list[str]
) -> None:
    payload = mutate(stack, START, value, "timer { id }")
    assert payload["userErrors"][0]["code"] == code
    assert payload["userErrors"][0]["field"] == field
    assert stack.counts() == (0, 0)


def test_person_of_the_other_platform_is_refused_before_any_call(stack: Stack) -> None:
    ben = person_id(stack, "CLOCKIFY", "ben.okafor@example.com")
    stack.reset()
    payload = mutate(
        stack,
        START,
        {"platform": "PRODUCTIVE", "personId": ben, "serviceId": ben},
        "timer { id }",
    )
    assert payload["userErrors"][0]["code"] == "INVALID_INPUT"
    assert stack.counts() == (0, 0)
