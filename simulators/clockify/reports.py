"""The detailed report (POST {reports}/workspaces/{ws}/reports/detailed): many users' entries in
one paged request, with `_id`, names and integer-second durations (FACTS.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from starlette.requests import Request
from starlette.responses import Response

from simulators.clockify.errors import bad_request, forbidden, json
from simulators.clockify.params import json_body, timestamp

if TYPE_CHECKING:
    from simulators.clockify.app import ClockifySimulator

CONTAINS = {"CONTAINS", "DOES_NOT_CONTAIN", "CONTAINS_ONLY"}


def _id_filter(body: dict[str, Any], name: str) -> tuple[set[str], str] | None:
    spec = body.get(name)
    if spec is None:
        return None
    if not isinstance(spec, dict) or spec.get("contains", "CONTAINS") not in CONTAINS:
        raise bad_request(f"Field '{name}' must be an object with ids and contains")
    return set(spec.get("ids") or []), spec.get("contains", "CONTAINS")


def _passes(value: str | None, rule: tuple[set[str], str] | None) -> bool:
    if rule is None or not rule[0]:
        return True
    inside = value in rule[0]
    return not inside if rule[1] == "DOES_NOT_CONTAIN" else inside


async def detailed(sim: ClockifySimulator, request: Request) -> Response:
    if not request.state.user.admin:
        raise forbidden("Only workspace admins can generate team reports")
    body = await json_body(request)
    for required in ("dateRangeStart", "dateRangeEnd", "detailedFilter"):
        if body.get(required) in (None, ""):
            raise bad_request(f"Field '{required}' must not be null")
    start = timestamp(body["dateRangeStart"], "dateRangeStart")
    end = timestamp(body["dateRangeEnd"], "dateRangeEnd")
    if end < start:
        raise bad_request("Field 'dateRangeEnd' must be after 'dateRangeStart'")
    paging = body["detailedFilter"]
    page, size = int(paging.get("page") or 1), int(paging.get("pageSize") or 50)
    if page < 1 or not 1 <= size <= sim.settings.report_max_page_size:
        raise bad_request(f"pageSize must be between 1 and {sim.settings.report_max_page_size}")
    try:
        zone = ZoneInfo(body.get("timeZone") or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        raise bad_request("Field 'timeZone' is not a valid time zone") from None
    users, projects = _id_filter(body, "users"), _id_filter(body, "projects")
    # Reports cover finished time: a running entry has no duration to report yet.
    found = [
        e
        for e in sim.workspace.entries.values()
        if e.end is not None
        and start <= e.start <= end
        and _passes(e.user_id, users)
        and _passes(e.project_id, projects)
    ]
    found.sort(key=lambda e: (e.start, e.id), reverse=body.get("sortOrder") != "ASCENDING")
    chunk = found[(page - 1) * size : page * size]
    total = sum(e.seconds or 0 for e in found)
    billable = sum(e.seconds or 0 for e in found if e.billable)
    return json(
        {
            "totals": [
                {
                    "_id": "",
                    "amounts": [],
                    "entriesCount": len(found),
                    "totalBillableTime": billable,
                    "totalTime": total,
                }
            ]
            if found
            else [],
            "timeentries": [sim.workspace.report_entry(e, zone) for e in chunk],
        }
    )


ROUTES = [("POST", "/workspaces/{workspaceId}/reports/detailed", detailed)]
