"""The Productive simulator answers in the documented shapes, statuses and error bodies."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from simulators.productive.app import DEMO_TOKEN, READ_ONLY_TOKEN
from simulators.productive.seed import ORGANIZATION_ID
from tests.stack import Stack

EXAMPLES = json.loads((Path(__file__).parents[1] / "fixtures/productive_examples.json").read_text())
MEDIA = "application/vnd.api+json"
HEADERS = {"X-Auth-Token": DEMO_TOKEN, "X-Organization-Id": ORGANIZATION_ID, "Content-Type": MEDIA}


def call(
    stack: Stack,
    method: str,
    path: str,
    body: Any = None,
    headers: dict[str, str] | None = None,
    **params: str,
) -> Any:
    return stack.client.request(
        method,
        f"{stack.demo.productive.url}/api/v2{path}",
        params=params or None,
        headers={**HEADERS, **(headers or {})},
        content=json.dumps(body) if body is not None else None,
    )


def entry_body(**attributes: Any) -> dict[str, Any]:
    return {
        "data": {
            "type": "time_entries",
            "attributes": attributes,
            "relationships": {
                "person": {"data": {"type": "people", "id": "8160"}},
                "service": {"data": {"type": "services", "id": "501"}},
            },
        }
    }


def test_time_entry_has_the_documented_attributes_and_relationships(stack: Stack) -> None:
    answer = call(stack, "GET", "/time_entries/20000")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith(MEDIA)
    data = answer.json()["data"]
    example = EXAMPLES["time_entry"]
    assert list(data["attributes"]) == list(example["attributes"])
    assert list(data["relationships"]) == list(example["relationships"])
    assert data["relationships"]["person"] == {"meta": {"included": False}}
    assert data["relationships"]["organization"]["data"]["type"] == "organizations"
    assert answer.json()["meta"] == {}


@pytest.mark.parametrize(
    "kind,path",
    [
        ("timer", "/timers/700"),
        ("time_tracking_policy", "/time_tracking_policies/1"),
        ("approval_policy", "/approval_policies/11"),
    ],
)
def test_other_resources_have_the_documented_shapes(stack: Stack, kind: str, path: str) -> None:
    data = call(stack, "GET", path).json()["data"]
    example = EXAMPLES[kind]
    assert set(data["attributes"]) == set(example["attributes"])
    assert set(data["relationships"]) == set(example["relationships"])


def test_list_pages_carry_documented_meta_and_links(stack: Stack) -> None:
    body = call(stack, "GET", "/time_entries", **{"page[size]": "5", "page[number]": "2"}).json()
    assert set(body["meta"]) == set(EXAMPLES["time_entry_list_meta"])
    assert body["meta"]["page_size"] == 5 and body["meta"]["current_page"] == 2
    assert body["meta"]["max_page_size"] == 200
    assert {"first", "last", "next", "prev"} <= set(body["links"])
    assert "page%5Bnumber%5D=3" in body["links"]["next"]
    default = call(stack, "GET", "/time_entries").json()["meta"]
    assert default["page_size"] == 30
    capped = call(stack, "GET", "/time_entries", **{"page[size]": "500"}).json()["meta"]
    assert capped["page_size"] == 200


def test_empty_list_matches_the_documented_empty_answer(stack: Stack) -> None:
    body = call(stack, "GET", "/time_entries", **{"filter[after]": "2030-01-01"}).json()
    assert body["data"] == []
    assert body["meta"]["total_pages"] == 0 and body["meta"]["total_count"] == 0
    assert "page%5Bnumber%5D=0" in body["links"]["last"]


def test_comma_separated_id_filters_and_include_build_a_compound_document(stack: Stack) -> None:
    body = call(
        stack,
        "GET",
        "/time_entries",
        **{
            "filter[person_id]": "8160,8161",
            "filter[after]": "2026-11-16",
            "filter[before]": "2026-11-16",
            "include": "person,service.deal.project,task",
        },
    ).json()
    people = {e["relationships"]["person"]["data"]["id"] for e in body["data"]}
    assert people == {"8160", "8161"}
    included = {(r["type"], r["id"]) for r in body["included"]}
    assert ("people", "8160") in included and ("people", "8161") in included
    assert any(t == "projects" for t, _ in included)
    assert all(e["attributes"]["date"] == "2026-11-16" for e in body["data"])


def test_status_filter_and_sorting(stack: Stack) -> None:
    approved = call(stack, "GET", "/time_entries", **{"filter[status]": "1", "page[size]": "200"})
    assert all(e["attributes"]["approved"] for e in approved.json()["data"])
    dates = [
        e["attributes"]["date"]
        for e in call(stack, "GET", "/time_entries", sort="-date").json()["data"]
    ]
    assert dates == sorted(dates, reverse=True)


def test_unsupported_filter_include_and_bad_value_answer_like_productive(stack: Stack) -> None:
    bogus = call(stack, "GET", "/time_entries", **{"filter[bogus]": "1"})
    assert bogus.status_code == 400
    assert bogus.json() == {
        "errors": [
            {
                "status": "400",
                "title": "Unsupported Filter",
                "detail": "Filter 'bogus' is not supported on this endpoint",
            }
        ]
    }
    include = call(stack, "GET", "/time_entries", include="deal")
    assert (
        include.status_code == 400 and include.json()["errors"][0]["title"] == "Unsupported Include"
    )
    bad = call(stack, "GET", "/time_entries", **{"filter[after]": "10/21/19"})
    assert bad.status_code == 422
    assert bad.json() == EXAMPLES["errors"]["unsupported_filter_value_type"]


def test_credentials_and_content_type_are_checked(stack: Stack) -> None:
    assert call(stack, "GET", "/people", headers={"X-Auth-Token": "nope"}).status_code == 401
    assert call(stack, "GET", "/people", headers={"X-Organization-Id": "1"}).status_code == 403
    wrong = call(stack, "GET", "/people", headers={"Content-Type": "application/json"})
    assert wrong.status_code == 415
    bare_delete = stack.client.delete(
        f"{stack.demo.productive.url}/api/v2/time_entries/20100",
        headers={"X-Auth-Token": DEMO_TOKEN, "X-Organization-Id": ORGANIZATION_ID},
    )
    assert bare_delete.status_code == 415  # every request carries the media type (FACTS.md)
    read_only = call(
        stack, "PATCH", "/time_entries/20100/approve", headers={"X-Auth-Token": READ_ONLY_TOKEN}
    )
    assert read_only.status_code == 403


def test_create_time_entry_and_the_documented_422(stack: Stack) -> None:
    created = call(stack, "POST", "/time_entries", entry_body(date="2026-11-20", time=90, note="x"))
    assert created.status_code == 201
    assert created.json()["data"]["attributes"]["time"] == 90
    blank = call(stack, "POST", "/time_entries", entry_body(date=""))
    assert blank.status_code == 422
    assert blank.json() == EXAMPLES["errors"]["invalid_attribute"]


def test_approve_reject_unreject_and_their_conflicts(stack: Stack) -> None:
    draft = call(stack, "GET", "/time_entries", **{"filter[status]": "6"}).json()["data"][0]["id"]
    assert call(stack, "PATCH", f"/time_entries/{draft}/approve").status_code == 200
    again = call(stack, "PATCH", f"/time_entries/{draft}/approve")
    assert (
        again.status_code == 409 and again.json()["errors"][0]["code"] == "record_already_approved"
    )
    reject = call(stack, "PATCH", f"/time_entries/{draft}/reject")
    assert reject.json() == EXAMPLES["errors"]["record_already_approved"]
    assert call(stack, "PATCH", f"/time_entries/{draft}/unapprove").status_code == 200
    assert call(stack, "PATCH", f"/time_entries/{draft}/reject").status_code == 200
    assert call(stack, "PATCH", f"/time_entries/{draft}/unreject").status_code == 200
    unreject = call(stack, "PATCH", f"/time_entries/{draft}/unreject")
    assert unreject.json() == EXAMPLES["errors"]["record_already_unrejected"]


def test_both_bulk_forms_approve_atomically(stack: Stack) -> None:
    drafts = [
        e["id"]
        for e in call(stack, "GET", "/time_entries", **{"filter[status]": "6"}).json()["data"][:3]
    ]
    ok = call(stack, "PATCH", "/time_entries/bulk_approve", {"ids": [int(i) for i in drafts[:2]]})
    assert ok.status_code == 200 and all(e["attributes"]["approved"] for e in ok.json()["data"])
    ext = {"data": [{"type": "time_entries", "id": i} for i in drafts]}
    refused = call(
        stack, "PATCH", "/time_entries/approve", ext, headers={"Content-Type": f"{MEDIA}; ext=bulk"}
    )
    assert refused.status_code == 409
    third = call(stack, "GET", f"/time_entries/{drafts[2]}").json()["data"]["attributes"]
    assert third["approved"] is False
    no_ext = call(
        stack,
        "PATCH",
        "/time_entries/approve",
        {"data": [{"type": "time_entries", "id": drafts[2]}]},
    )
    assert no_ext.status_code == 415


def test_timer_start_by_service_and_stop(stack: Stack) -> None:
    started = call(
        stack,
        "POST",
        "/timers",
        {"data": {"type": "timers", "attributes": {"service_id": "503"}, "relationships": {}}},
    )
    assert started.status_code == 201
    timer = started.json()["data"]
    assert timer["attributes"]["stopped_at"] is None
    running = call(stack, "GET", "/timers", **{"filter[person_id]": "8160"}).json()["data"]
    assert [t["id"] for t in running if t["attributes"]["stopped_at"] is None] == [timer["id"]]
    stopped = call(stack, "PATCH", f"/timers/{timer['id']}/stop")
    assert stopped.status_code == 200 and stopped.json()["data"]["attributes"]["stopped_at"]
    assert call(stack, "PATCH", f"/timers/{timer['id']}/stop").status_code == 409
    invalid = call(
        stack,
        "POST",
        "/timers",
        {
            "data": {
                "type": "timers",
                "attributes": {},
                "relationships": {"time_entry": {"data": {"type": "time_entries", "id": ""}}},
            }
        },
    )
    assert invalid.status_code == 422
    assert invalid.json()["errors"][0]["source"]["pointer"] == "data/attributes/service"


def test_policies_archive_restore_and_validation(stack: Stack) -> None:
    assert call(stack, "PATCH", "/approval_policies/11/archive").status_code == 200
    assert (
        call(stack, "PATCH", "/approval_policies/11/archive").json()
        == EXAMPLES["errors"]["record_already_archived"]
    )
    assert (
        call(stack, "PATCH", "/approval_policies/12/restore").json()
        == EXAMPLES["errors"]["record_not_archived"]
    )
    blank = call(
        stack,
        "POST",
        "/time_tracking_policies",
        {"data": {"type": "time_tracking_policies", "attributes": {"name": None}}},
    )
    assert blank.status_code == 422
    assert blank.json()["errors"][0]["source"]["pointer"] == "data/attributes/name"
    bad_type = call(
        stack,
        "POST",
        "/approval_policies",
        {"data": {"type": "approval_policies", "attributes": {"name": "x", "type_id": 0}}},
    )
    assert bad_type.json()["errors"][0]["detail"] == "is not included in the list"


def test_timesheet_submits_the_day_and_cannot_be_deleted_once_approved(stack: Stack) -> None:
    body = {
        "data": {
            "type": "timesheets",
            "attributes": {"date": "2026-11-17"},
            "relationships": {"person": {"data": {"type": "people", "id": "8161"}}},
        }
    }
    sheet = call(stack, "POST", "/timesheets", body)
    assert sheet.status_code == 201
    day = call(
        stack, "GET", "/time_entries", **{"filter[person_id]": "8161", "filter[date]": "2026-11-17"}
    ).json()["data"]
    assert day and all(e["attributes"]["submitted"] for e in day)
    assert call(stack, "POST", "/timesheets", body).status_code == 422
    call(stack, "PATCH", f"/time_entries/{day[0]['id']}/approve")
    assert call(stack, "DELETE", f"/timesheets/{sheet.json()['data']['id']}").status_code == 409
