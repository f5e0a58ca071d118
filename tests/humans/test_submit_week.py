"""submitWeek (issue 15): one human's week submitted on both platforms; a part that fails is
that part's error while the other goes through, and a retry with the key sends nothing twice."""

from __future__ import annotations

from typing import Any

from adapters.base import Platform
from schema.ids import encode
from simulators.faults import ScriptedFault
from tests.humans.handmade import CHLOE_C, CHLOE_P, make_week
from tests.stack import Stack

PARTS = """mutation($input: SubmitWeekInput!) { submitWeek(input: $input) {
  parts { platform status approvals { kind status } userErrors { code message } }
  userErrors { code field } } }"""
CHLOE = encode("Human", Platform.PRODUCTIVE, CHLOE_P)


def submit(stack: Stack, key: str) -> dict[str, Any]:
    value = {"humanId": CHLOE, "weekStart": "2026-11-23", "idempotencyKey": key}
    body = stack.gql(PARTS, {"input": value})
    assert "errors" not in body, body["errors"]
    payload: dict[str, Any] = body["data"]["submitWeek"]
    return payload


def test_a_failing_part_never_hides_the_other_and_a_retry_sends_nothing_twice(
    stack: Stack,
) -> None:
    make_week(stack)
    stack.reset_logs()
    # Clockify cannot even be read for its approval requests: nothing is sent there.
    stack.clockify.settings.faults.script.append(
        ScriptedFault(
            "status", status=503, method="GET", path_contains="/approval-requests", times=20
        )
    )
    first = submit(stack, "week-1")
    stack.clockify.settings.faults.clear()
    parts = {p["platform"]: p for p in first["parts"]}
    assert first["userErrors"] == []
    assert parts["PRODUCTIVE"]["status"] == "SUBMITTED" and parts["PRODUCTIVE"]["userErrors"] == []
    # Monday, Wednesday and Sunday had time: one timesheet each, their entries now pending.
    sheets = [r for r in stack.productive.log.writes() if r.path.endswith("/timesheets")]
    assert len(sheets) == 3
    assert {a["status"] for a in parts["PRODUCTIVE"]["approvals"]} == {"PENDING"}
    assert parts["CLOCKIFY"]["status"] == "FAILED"
    assert [e["code"] for e in parts["CLOCKIFY"]["userErrors"]] == ["UPSTREAM_UNAVAILABLE"]
    assert stack.clockify.log.writes() == []
    # The same key answers the same and sends nothing.
    assert submit(stack, "week-1") == first
    assert len(stack.productive.log.writes()) == 3 and stack.clockify.log.writes() == []
    # A new attempt: Productive is already submitted, Clockify's week goes now.
    second = {p["platform"]: p for p in submit(stack, "week-2")["parts"]}
    assert second["PRODUCTIVE"]["status"] == "ALREADY_SUBMITTED"
    assert second["CLOCKIFY"]["status"] == "SUBMITTED"
    assert second["CLOCKIFY"]["approvals"] == [{"kind": "TIMESHEET", "status": "PENDING"}]
    [write] = stack.clockify.log.writes()
    assert write.path.endswith(f"/approval-requests/users/{CHLOE_C}") or write.path.endswith(
        "/approval-requests"
    )
    assert len(stack.productive.log.writes()) == 3


def test_a_week_must_start_on_monday(stack: Stack) -> None:
    value = {"humanId": CHLOE, "weekStart": "2026-11-24"}
    body = stack.gql(PARTS, {"input": value})
    assert body["data"]["submitWeek"]["userErrors"] == [
        {"code": "INVALID_INPUT", "field": ["input", "weekStart"]}
    ]
    assert stack.counts() == (0, 0)
