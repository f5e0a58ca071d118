"""Exactly once under lost answers, for every mutation family, on both idempotency stores.

Each case names a mutation, the upstream write whose answer the simulator loses, and how to
read the upstream state it changes. Three stories per case:
- the write lands, its answer is lost, and upstream stays briefly unreachable so the gateway
  cannot look: UNKNOWN_OUTCOME; the retry with the same key reconciles (one upstream write);
- the write lands and its answer is lost, but the gateway's look finds it: a plain success;
- the connection drops before the write is handled: UNKNOWN_OUTCOME; the retry writes.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from simulators.faults import ScriptedFault
from tests.mutations.helpers import input_type, person_id
from tests.stack import Stack

OUTAGE = 4  # one read's attempts: the gateway's look after the lost answer fails too
NOTE = "lost-answer probe"


@dataclass(frozen=True)
class Case:
    name: str
    mutation: str
    selection: str
    value: Callable[[Stack], dict[str, Any]]
    platform: str  # whose simulator loses the answer
    write: tuple[str, str]  # (method, path fragment) of that write
    effect: Callable[[Stack, dict[str, Any]], Any]  # upstream state, read from the simulator
    expected: Any


def sim(stack: Stack, platform: str) -> Any:
    return stack.productive if platform == "PRODUCTIVE" else stack.clockify


def first_node(stack: Stack, query: str, *path: str) -> dict[str, Any]:
    data: Any = stack.data(query)
    for key in path:
        data = data[key]
    node: dict[str, Any] = data["edges"][0]["node"] if "edges" in data else data[0]
    return node


def service_id(stack: Stack) -> str:
    query = """{ timeEntries(first: 1, filter: {platforms: [PRODUCTIVE]}) {
      edges { node { service { id } } } } }"""
    return str(first_node(stack, query, "timeEntries")["service"]["id"])


def project_id(stack: Stack) -> str:
    query = """{ timeEntries(first: 20, filter: {platforms: [CLOCKIFY], dateRange:
      {start: "2026-11-16", end: "2026-11-20"}}) { edges { node { project { id } } } } }"""
    edges = stack.data(query)["timeEntries"]["edges"]
    return str(next(e["node"]["project"]["id"] for e in edges if e["node"]["project"]))


def entry_id(stack: Stack, platform: str, status: str = "DRAFT") -> str:
    query = """query($p: [Platform!], $s: [ApprovalStatus!]) { timeEntries(first: 50,
      filter: {platforms: $p, approvalStatuses: $s, running: false}) {
      edges { node { id locked } } } }"""
    edges = stack.data(query, {"p": [platform], "s": [status]})["timeEntries"]["edges"]
    # An approved entry is locked by its approval; any other must be editable.
    return str(
        next(e["node"]["id"] for e in edges if status == "APPROVED" or not e["node"]["locked"])
    )


def remote(global_id: str) -> str:
    import base64

    padded = global_id + "=" * (-len(global_id) % 4)
    return base64.urlsafe_b64decode(padded).decode().split(":", 2)[2]


def p_notes(stack: Stack, note: str) -> int:
    return sum(r.attributes.get("note") == note for r in stack.productive.store.all("time_entries"))


def c_notes(stack: Stack, note: str) -> int:
    return sum(e.description == note for e in stack.clockify.workspace.entries.values())


def p_entry(stack: Stack, payload: dict[str, Any]) -> Any:
    found = stack.productive.store.get("time_entries", remote(payload["timeEntry"]["id"]))
    return found.attributes.get("note") if found else None


def running_of(stack: Stack, platform: str, email: str) -> list[str]:
    data = stack.data(
        """query($p: [Platform!]) { runningTimers(filter: {platforms: $p}) {
        person { email } timeEntry { note } } }""",
        {"p": [platform]},
    )
    return [
        t["timeEntry"]["note"] or "" for t in data["runningTimers"] if t["person"]["email"] == email
    ]


def p_state(stack: Stack, ids: list[str]) -> list[tuple[bool, bool]]:
    records = [stack.productive.store.get("time_entries", remote(i)) for i in ids]
    return [
        (bool(r.attributes.get("approved")), bool(r.attributes.get("rejected"))) for r in records
    ]


def draft_ids(stack: Stack, count: int) -> list[str]:
    query = """{ timeEntries(first: 10, filter: {platforms: [PRODUCTIVE],
      approvalStatuses: [DRAFT]}) { edges { node { id } } } }"""
    return [e["node"]["id"] for e in stack.data(query)["timeEntries"]["edges"][:count]]


def approval_id(stack: Stack, kind: str, status: str) -> str:
    nodes = stack.data("{ approvals(first: 200) { edges { node { id kind status } } } }")
    return next(
        e["node"]["id"]
        for e in nodes["approvals"]["edges"]
        if e["node"]["kind"] == kind and e["node"]["status"] == status
    )


def policy_id(stack: Stack, typename: str) -> str:
    platform = "CLOCKIFY" if typename == "TimeOffPolicy" else "PRODUCTIVE"
    data = stack.data(
        "{ policies(first: 100) { edges { node { id __typename archived platform } } } }"
    )
    return next(
        e["node"]["id"]
        for e in data["policies"]["edges"]
        if e["node"]["__typename"] == typename
        and not e["node"]["archived"]
        and e["node"]["platform"] == platform
    )


CASES = [
    Case(
        "productive create",
        "createTimeEntry",
        "timeEntry { id note }",
        lambda s: {
            "platform": "PRODUCTIVE",
            "date": "2026-11-19",
            "durationMinutes": 30,
            "note": NOTE,
            "serviceId": service_id(s),
        },
        "PRODUCTIVE",
        ("POST", "/time_entries"),
        lambda s, _: p_notes(s, NOTE),
        1,
    ),
    Case(
        "clockify create",
        "createTimeEntry",
        "timeEntry { id note }",
        lambda s: {
            "platform": "CLOCKIFY",
            "date": "2026-11-19",
            "durationMinutes": 30,
            "note": NOTE,
            "projectId": project_id(s),
        },
        "CLOCKIFY",
        ("POST", "/time-entries"),
        lambda s, _: c_notes(s, NOTE),
        1,
    ),
    Case(
        "productive update",
        "updateTimeEntry",
        "timeEntry { id note }",
        lambda s: {"id": entry_id(s, "PRODUCTIVE"), "note": NOTE},
        "PRODUCTIVE",
        ("PATCH", "/time_entries/"),
        p_entry,
        NOTE,
    ),
    Case(
        "clockify update",
        "updateTimeEntry",
        "timeEntry { id note }",
        lambda s: {"id": entry_id(s, "CLOCKIFY"), "note": NOTE},
        "CLOCKIFY",
        ("PUT", "/time-entries/"),
        lambda s, p: s.clockify.workspace.entries[remote(p["timeEntry"]["id"])].description,
        NOTE,
    ),
    Case(
        "productive delete",
        "deleteTimeEntry",
        "deletedId",
        lambda s: {"id": entry_id(s, "PRODUCTIVE")},
        "PRODUCTIVE",
        ("DELETE", "/time_entries/"),
        lambda s, p: s.productive.store.get("time_entries", remote(p["deletedId"])),
        None,
    ),
    Case(
        "clockify delete",
        "deleteTimeEntry",
        "deletedId",
        lambda s: {"id": entry_id(s, "CLOCKIFY")},
        "CLOCKIFY",
        ("DELETE", "/time-entries/"),
        lambda s, p: remote(p["deletedId"]) in s.clockify.workspace.entries,
        False,
    ),
    Case(
        "productive start",
        "startTimer",
        "timer { id running } stoppedTimer { id running }",
        lambda s: {"platform": "PRODUCTIVE", "serviceId": service_id(s), "stopRunning": True},
        "PRODUCTIVE",
        ("POST", "/timers"),
        lambda s, _: len(running_of(s, "PRODUCTIVE", "ana.kovac@example.com")),
        1,
    ),
    Case(
        "clockify start",
        "startTimer",
        "timer { id running timeEntry { note } }",
        lambda s: {
            "platform": "CLOCKIFY",
            "personId": person_id(s, "CLOCKIFY", "dev.patel@example.com"),
            "note": NOTE,
        },
        "CLOCKIFY",
        ("POST", "/time-entries"),
        lambda s, _: running_of(s, "CLOCKIFY", "dev.patel@example.com"),
        [NOTE],
    ),
    Case(
        "productive stop",
        "stopTimer",
        "timer { id running } timeEntry { id }",
        lambda s: {
            "timerId": s.data("{ runningTimers(filter: {platforms: [PRODUCTIVE]}) { id } }")[
                "runningTimers"
            ][0]["id"]
        },
        "PRODUCTIVE",
        ("PATCH", "/stop"),
        lambda s, _: s.data("{ runningTimers(filter: {platforms: [PRODUCTIVE]}) { id } }")[
            "runningTimers"
        ],
        [],
    ),
    Case(
        "clockify stop",
        "stopTimer",
        "timer { id running } timeEntry { id running }",
        lambda s: {"personId": person_id(s, "CLOCKIFY", "ben.okafor@example.com")},
        "CLOCKIFY",
        ("PATCH", "/time-entries"),
        lambda s, _: running_of(s, "CLOCKIFY", "ben.okafor@example.com"),
        [],
    ),
    Case(
        "clockify switch",
        "switchTimer",
        "stoppedTimer { id running } timer { id running timeEntry { note } }",
        lambda s: {
            "platform": "CLOCKIFY",
            "personId": person_id(s, "CLOCKIFY", "ben.okafor@example.com"),
            "note": NOTE,
        },
        "CLOCKIFY",
        ("POST", "/time-entries"),
        lambda s, _: running_of(s, "CLOCKIFY", "ben.okafor@example.com"),
        [NOTE],
    ),
    Case(
        "productive approve",
        "approve",
        "approvals { id status }",
        lambda s: {"ids": draft_ids(s, 3)},
        "PRODUCTIVE",
        ("PATCH", "/time_entries/bulk_approve"),
        lambda s, p: p_state(s, [a["id"] for a in p["approvals"]]),
        [(True, False)] * 3,
    ),
    Case(
        "productive reject",
        "reject",
        "approvals { id status }",
        lambda s: {"ids": draft_ids(s, 1), "reason": "Split it"},
        "PRODUCTIVE",
        ("PATCH", "/reject"),
        lambda s, p: p_state(s, [a["id"] for a in p["approvals"]]),
        [(False, True)],
    ),
    Case(
        "productive withdraw",
        "withdraw",
        "approvals { id status }",
        lambda s: {"ids": [entry_id(s, "PRODUCTIVE", "APPROVED")]},
        "PRODUCTIVE",
        ("PATCH", "/unapprove"),
        lambda s, p: p_state(s, [a["id"] for a in p["approvals"]]),
        [(False, False)],
    ),
    Case(
        "clockify approve timesheet",
        "approve",
        "approvals { id status }",
        lambda s: {"ids": [approval_id(s, "TIMESHEET", "PENDING")]},
        "CLOCKIFY",
        ("PATCH", "/approval-requests/"),
        lambda s, p: [
            s.clockify.workspace.approvals[remote(a["id"]).split("/")[1]]["status"]["state"]
            for a in p["approvals"]
        ],
        ["APPROVED"],
    ),
    Case(
        "productive submit",
        "submitForApproval",
        "approvals { id status }",
        lambda s: {
            "platform": "PRODUCTIVE",
            "personId": person_id(s, "PRODUCTIVE", "ben.okafor@example.com"),
            "date": "2026-11-18",
        },
        "PRODUCTIVE",
        ("POST", "/timesheets"),
        lambda s, _: sum(
            t.attributes["date"] == "2026-11-18" for t in s.productive.store.all("timesheets")
        ),
        1,
    ),
    Case(
        "clockify submit",
        "submitForApproval",
        "approvals { id status periodStart }",
        lambda s: {
            "platform": "CLOCKIFY",
            "personId": person_id(s, "CLOCKIFY", "ben.okafor@example.com"),
            "date": "2026-11-18",
        },
        "CLOCKIFY",
        ("POST", "/approval-requests"),
        lambda s, p: [a["status"] for a in p["approvals"]],
        ["PENDING"],
    ),
    Case(
        "productive policy create",
        "createTimeTrackingPolicy",
        "policy { id name }",
        lambda s: {"name": NOTE, "workingDayLimitHours": 8},
        "PRODUCTIVE",
        ("POST", "/time_tracking_policies"),
        lambda s, _: sum(
            r.attributes.get("name") == NOTE
            for r in s.productive.store.all("time_tracking_policies")
        ),
        1,
    ),
    Case(
        "clockify policy create",
        "createTimeOffPolicy",
        "policy { id name }",
        lambda s: {"name": NOTE, "requiresApproval": True},
        "CLOCKIFY",
        ("POST", "/time-off/policies"),
        lambda s, _: sum(p.get("name") == NOTE for p in s.clockify.workspace.policies.values()),
        1,
    ),
    Case(
        "productive policy archive",
        "archivePolicy",
        "policy { id archived }",
        lambda s: {"id": policy_id(s, "TimeTrackingPolicy")},
        "PRODUCTIVE",
        ("PATCH", "/archive"),
        lambda s, p: bool(
            s.productive.store.get("time_tracking_policies", remote(p["policy"]["id"])).attributes[
                "archived_at"
            ]
        ),
        True,
    ),
    Case(
        "clockify policy archive",
        "archivePolicy",
        "policy { id archived }",
        lambda s: {"id": policy_id(s, "TimeOffPolicy")},
        "CLOCKIFY",
        ("PATCH", "/time-off/policies/"),
        lambda s, p: s.clockify.workspace.policies[remote(p["policy"]["id"])]["archived"],
        True,
    ),
]


def call(url: str, case: Case, value: dict[str, Any]) -> dict[str, Any]:
    query = (
        f"mutation($input: {input_type(case.mutation)}!) {{ {case.mutation}(input: $input) "
        f"{{ {case.selection} userErrors {{ code message }} }} }}"
    )
    body = httpx.post(url, json={"query": query, "variables": {"input": value}}, timeout=30)
    assert body.status_code == 200, body.text
    answer = body.json()
    assert "errors" not in answer, answer["errors"]
    payload: dict[str, Any] = answer["data"][case.mutation]
    return payload


def codes(payload: dict[str, Any]) -> list[str]:
    return [e["code"] for e in payload["userErrors"]]


def writes_of(stack: Stack, case: Case) -> int:
    method, fragment = case.write
    return sim(stack, case.platform).log.count(method, fragment)


def lose(stack: Stack, case: Case, *, after_handler: bool, outage: int, kind: str = "drop") -> None:
    method, fragment = case.write
    sim(stack, case.platform).settings.faults.script.append(
        ScriptedFault(
            kind,
            method=method,
            path_contains=fragment,
            after_handler=after_handler,
            outage_after=outage,
        )
    )


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_a_retry_reconciles_a_write_whose_answer_was_lost(
    stack: Stack, gateway: str, case: Case
) -> None:
    value = {**case.value(stack), "idempotencyKey": str(uuid.uuid4())}
    before = writes_of(stack, case)
    lose(stack, case, after_handler=True, outage=OUTAGE)
    first = call(gateway, case, value)
    assert codes(first) == ["UNKNOWN_OUTCOME"], first
    retried = call(gateway, case, value)
    assert retried["userErrors"] == [], retried
    assert writes_of(stack, case) - before == 1  # the retry found the first write: none again
    assert case.effect(stack, retried) == case.expected
    assert call(gateway, case, value) == retried  # and the key now replays that first result


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_a_lost_answer_that_upstream_confirms_is_a_success(
    stack: Stack, gateway: str, case: Case
) -> None:
    value = {**case.value(stack), "idempotencyKey": str(uuid.uuid4())}
    before = writes_of(stack, case)
    lose(stack, case, after_handler=True, outage=0)
    first = call(gateway, case, value)
    assert first["userErrors"] == [], first
    assert writes_of(stack, case) - before == 1
    assert case.effect(stack, first) == case.expected


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_a_write_that_never_landed_is_sent_again_by_the_retry(
    stack: Stack, gateway: str, case: Case
) -> None:
    value = {**case.value(stack), "idempotencyKey": str(uuid.uuid4())}
    before = writes_of(stack, case)
    lose(stack, case, after_handler=False, outage=0)
    first = call(gateway, case, value)
    assert codes(first) == ["UNKNOWN_OUTCOME"], first
    retried = call(gateway, case, value)
    assert retried["userErrors"] == [], retried
    assert writes_of(stack, case) - before == 2  # dropped before the handler, then landed
    assert case.effect(stack, retried) == case.expected


def test_a_crowded_day_does_not_hide_the_earlier_write(stack: Stack, gateway: str) -> None:
    """Sixty entries start at the very instant of the lost create: the look reads them all."""
    from datetime import UTC, datetime

    from simulators.clockify.store import Entry

    case = next(c for c in CASES if c.name == "clockify create")
    value = {**case.value(stack), "idempotencyKey": str(uuid.uuid4())}
    dev = remote(value["person"]) if "person" in value else None
    ana = dev or next(
        u.id for u in stack.clockify.workspace.users.values() if u.email == "ana.kovac@example.com"
    )
    # 09:00 in Ana's zone (Europe/Zagreb, +01:00 in November), where the create will start.
    start = datetime(2026, 11, 19, 8, 0, tzinfo=UTC)
    for n in range(60):
        entry = Entry(f"{n:024x}", ana, start, start.replace(minute=30), description=f"crowd {n}")
        stack.clockify.workspace.entries[entry.id] = entry
    lose(stack, case, after_handler=True, outage=OUTAGE)
    assert codes(call(gateway, case, value)) == ["UNKNOWN_OUTCOME"]
    retried = call(gateway, case, value)
    assert retried["userErrors"] == [] and writes_of(stack, case) == 1
    assert c_notes(stack, NOTE) == 1


ANSWERED = [c for c in CASES if c.name in ("productive update", "clockify update")]


@pytest.mark.parametrize("kind", ["truncate", "garbage"])
@pytest.mark.parametrize("case", ANSWERED, ids=[c.name for c in ANSWERED])
def test_an_answer_cut_mid_body_or_not_http_is_a_lost_answer(
    stack: Stack, gateway: str, case: Case, kind: str
) -> None:
    """The write lands, and its answer stops halfway through its body (or is not HTTP at all):
    on either transport that is an answer lost, never a write that did not happen."""
    value = {**case.value(stack), "idempotencyKey": str(uuid.uuid4())}
    before = writes_of(stack, case)
    lose(stack, case, after_handler=True, outage=OUTAGE, kind=kind)
    first = call(gateway, case, value)
    assert codes(first) == ["UNKNOWN_OUTCOME"], first
    retried = call(gateway, case, value)
    assert retried["userErrors"] == [], retried
    assert writes_of(stack, case) - before == 1
    assert case.effect(stack, retried) == case.expected
