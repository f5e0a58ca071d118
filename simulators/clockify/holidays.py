"""Holidays (clockify-api-v1.txt from line 3813): list (optionally for one user), in a period,
create, update and delete. A holiday applies to everyone, to listed users, or to user groups."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response

from simulators.clockify.errors import bad_request, forbidden, json, missing
from simulators.clockify.params import json_body
from simulators.clockify.store import User

if TYPE_CHECKING:
    from simulators.clockify.app import ClockifySimulator


def _applies(holiday: dict[str, Any], user_id: str | None) -> bool:
    return not user_id or holiday["everyoneIncludingNew"] or user_id in holiday["userIds"]


def _day(raw: str | None, name: str) -> date:
    if not raw:
        raise bad_request(f"Required request parameter '{name}' is not present")
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise bad_request(f"Field '{name}' must be a date in yyyy-mm-dd format") from None


def _overlaps(holiday: dict[str, Any], start: date, end: date) -> bool:
    period = holiday["datePeriod"]
    first, last = date.fromisoformat(period["startDate"]), date.fromisoformat(period["endDate"])
    if holiday["occursAnnually"]:
        # An annual holiday falls on its day in every year of the range.
        for year in range(start.year, end.year + 1):
            try:
                moved = first.replace(year=year), last.replace(year=year)
            except ValueError:  # 29 February
                continue
            if moved[0] <= end and moved[1] >= start:
                return True
        return False
    return first <= end and last >= start


async def list_holidays(sim: ClockifySimulator, request: Request) -> Response:
    assigned = request.query_params.get("assigned-to")
    return json([h for h in sim.workspace.holidays.values() if _applies(h, assigned)])


async def holidays_in_period(sim: ClockifySimulator, request: Request) -> Response:
    params = request.query_params
    assigned = params.get("assigned-to")
    if not assigned:
        raise bad_request("Required request parameter 'assigned-to' is not present")
    start, end = _day(params.get("start"), "start"), _day(params.get("end"), "end")
    if end < start:
        raise bad_request("Field 'end' must not be before 'start'")
    found = [
        h
        for h in sim.workspace.holidays.values()
        if _applies(h, assigned) and _overlaps(h, start, end)
    ]
    return json(found)


def _values(body: dict[str, Any], current: dict[str, Any] | None) -> dict[str, Any]:
    name = body.get("name")
    if not isinstance(name, str) or not 2 <= len(name) <= 100:
        raise bad_request("Field 'name' must be between 2 and 100 characters")
    period = body.get("datePeriod")
    if not isinstance(period, dict):
        raise bad_request("Field 'datePeriod' must not be null")
    start = _day(period.get("startDate"), "datePeriod.startDate")
    end = _day(period.get("endDate"), "datePeriod.endDate")
    if end < start:
        raise bad_request("Field 'datePeriod.endDate' must not be before the start date")
    users: dict[str, Any] = body["users"] if isinstance(body.get("users"), dict) else {}
    groups: dict[str, Any] = body["userGroups"] if isinstance(body.get("userGroups"), dict) else {}
    return {
        **(current or {}),
        "automaticTimeEntryCreation": bool(
            (body.get("automaticTimeEntryCreation") or {}).get("enabled")
        ),
        "datePeriod": {"startDate": start.isoformat(), "endDate": end.isoformat()},
        "everyoneIncludingNew": bool(body.get("everyoneIncludingNew")),
        "name": name,
        "occursAnnually": bool(body.get("occursAnnually")),
        "userGroupIds": list(groups.get("ids") or []),
        "userIds": list(users.get("ids") or []),
    }


def _admin(request: Request) -> None:
    user: User = request.state.user
    if not user.admin:
        raise forbidden("Only workspace admins can manage holidays")


async def create_holiday(sim: ClockifySimulator, request: Request) -> Response:
    _admin(request)
    hid = sim.workspace.new_id("holiday")
    holiday = {
        "id": hid,
        "projectId": None,
        "taskId": None,
        "workspaceId": sim.workspace.id,
        **_values(await json_body(request), None),
    }
    sim.workspace.holidays[hid] = holiday
    return json(holiday)


def _holiday(sim: ClockifySimulator, request: Request) -> dict[str, Any]:
    found = sim.workspace.holidays.get(request.path_params["holidayId"])
    if found is None:
        raise missing("Holiday", request.path_params["holidayId"])
    return found


async def update_holiday(sim: ClockifySimulator, request: Request) -> Response:
    _admin(request)
    holiday = _holiday(sim, request)
    holiday.update(_values(await json_body(request), holiday))
    return json(holiday)


async def delete_holiday(sim: ClockifySimulator, request: Request) -> Response:
    _admin(request)
    holiday = _holiday(sim, request)
    del sim.workspace.holidays[holiday["id"]]
    return json(holiday)


ROUTES = [
    ("GET", "/workspaces/{workspaceId}/holidays", list_holidays),
    ("POST", "/workspaces/{workspaceId}/holidays", create_holiday),
    ("GET", "/workspaces/{workspaceId}/holidays/in-period", holidays_in_period),
    ("PUT", "/workspaces/{workspaceId}/holidays/{holidayId}", update_holiday),
    ("DELETE", "/workspaces/{workspaceId}/holidays/{holidayId}", delete_holiday),
]
