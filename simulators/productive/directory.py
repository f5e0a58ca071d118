"""People, subsidiaries, projects, services, tasks and timesheets (FACTS.md, reference JSON):
enough to list them, include them in time entries, and submit a day's time."""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import Response

from simulators.productive import documents
from simulators.productive.bodies import data_attributes, data_relationship, read_document
from simulators.productive.errors import conflict, invalid_attribute, json_api, not_found
from simulators.productive.querying import (
    Filter,
    apply,
    attr,
    parse_include,
    parse_list_query,
    path_id,
    rel,
)
from simulators.productive.store import Resource, Store

if TYPE_CHECKING:
    from simulators.productive.app import ProductiveSimulator


def _person_status(r: Resource, s: Store) -> str:
    return "2" if r.attributes.get("deactivated_at") else "1"


def _person_query(r: Resource, s: Store) -> str:
    a = r.attributes
    return f"{a['first_name']} {a['last_name']} {a['email']}"


def _project_status(r: Resource, s: Store) -> str:
    return "2" if r.attributes.get("archived_at") else "1"


FILTERS: dict[str, dict[str, Filter]] = {
    "people": {
        "id": Filter(lambda r, s: r.id),
        "email": Filter(attr("email"), "string"),
        "first_name": Filter(attr("first_name"), "string"),
        "last_name": Filter(attr("last_name"), "string"),
        "status": Filter(_person_status),
        "person_type": Filter(lambda r, s: str(r.attributes.get("person_type", 1))),
        "query": Filter(_person_query, "string", implied_op="contains"),
        "subsidiary_id": Filter(rel("subsidiary")),
        "time_tracking_policy_id": Filter(attr("time_tracking_policy_id")),
        "holiday_calendar_id": Filter(rel("holiday_calendar")),
    },
    "subsidiaries": {"id": Filter(lambda r, s: r.id), "status": Filter(_project_status)},
    "projects": {
        "id": Filter(lambda r, s: r.id),
        "name": Filter(attr("name"), "string"),
        "status": Filter(_project_status),
        # The reference: "full-text search query across project fields".
        "query": Filter(attr("name"), "string", implied_op="contains"),
    },
    "services": {
        "id": Filter(lambda r, s: r.id),
        "name": Filter(attr("name"), "string"),
        "deal_id": Filter(rel("deal")),
        "project_id": Filter(path_id("deal.project")),
        "query": Filter(attr("name"), "string", implied_op="contains"),
    },
    "tasks": {
        "id": Filter(lambda r, s: r.id),
        "project_id": Filter(rel("project")),
        "service_id": Filter(rel("service")),
        "title": Filter(attr("title"), "string"),
        # The reference: "quick search matching task title and number"; open (1), closed (2).
        "query": Filter(attr("title"), "string", implied_op="contains"),
        "status": Filter(lambda r, s: "2" if r.attributes.get("closed") else "1"),
    },
    "timesheets": {
        "person_id": Filter(rel("person")),
        "creator_id": Filter(rel("creator")),
        "date": Filter(attr("date"), "date"),
    },
}


def _collection(request: Request) -> str:
    return request.url.path.split("/")[3]


async def list_resources(sim: ProductiveSimulator, request: Request) -> Response:
    type_ = _collection(request)
    query = parse_list_query(
        request.query_params,
        resource_type=type_,
        reference_path=f"/{type_}",
        filters=FILTERS[type_],
        extra_sorts={"id"},
    )
    items = apply(query, sim.store.all(type_), sim.store)
    return json_api(documents.page(request, sim.store, items, query))


async def get_resource(sim: ProductiveSimulator, request: Request) -> Response:
    type_ = _collection(request)
    resource = sim.store.get(type_, request.path_params["id"])
    if resource is None:
        raise not_found()
    include = parse_include(request.query_params.get("include"), type_)
    return json_api(documents.single(sim.store, resource, include))


PERSON_TEXTS = ("first_name", "last_name", "title")


async def update_person(sim: ProductiveSimulator, request: Request) -> Response:
    """PATCH /people/{id}: the reference's body fields this simulator keeps, among them
    `time_tracking_policy_id` (null: the person inherits again)."""
    person = sim.store.get("people", request.path_params["id"])
    if person is None:
        raise not_found()
    body = await read_document(request)
    attrs = data_attributes(body)
    values: dict[str, object] = {}
    if "time_tracking_policy_id" in attrs:
        raw = attrs["time_tracking_policy_id"]
        if raw is not None:
            policy = sim.store.get("time_tracking_policies", str(raw))
            if policy is None:
                raise invalid_attribute("data/attributes/time_tracking_policy_id", "not found")
            if policy.attributes.get("archived_at"):
                raise invalid_attribute("data/attributes/time_tracking_policy_id", "is archived")
            raw = int(str(raw))
        values["time_tracking_policy_id"] = raw
    if "timesheet_submission_disabled" in attrs:
        values["timesheet_submission_disabled"] = bool(attrs["timesheet_submission_disabled"])
    for name in PERSON_TEXTS:
        if name in attrs:
            values[name] = attrs[name]
    calendar = data_relationship(body, "holiday_calendar") or attrs.get("holiday_calendar_id")
    if calendar is not None:
        if sim.store.get("holiday_calendars", str(calendar)) is None:
            raise invalid_attribute("data/relationships/holiday_calendar", "not found")
        person.relationships["holiday_calendar"] = ("holiday_calendars", str(calendar))
    person.attributes.update(values)
    return json_api(documents.single(sim.store, person))


def _entries_of(store: Store, person: str, day: str) -> list[Resource]:
    return [
        e
        for e in store.all("time_entries")
        if e.ref_id("person") == person and e.attributes["date"] == day
    ]


async def create_timesheet(sim: ProductiveSimulator, request: Request) -> Response:
    """One timesheet per person and date; creating it submits that day's entries."""
    body = await read_document(request)
    attrs = data_attributes(body)
    from simulators.productive.time_entries import _validate_date

    day = _validate_date(attrs.get("date"))
    person = data_relationship(body, "person") or attrs.get("person_id")
    if person is None or sim.store.get("people", str(person)) is None:
        raise invalid_attribute("data/relationships/person", "can't be blank")
    person = str(person)
    for sheet in sim.store.all("timesheets"):
        if sheet.ref_id("person") == person and sheet.attributes["date"] == day:
            raise invalid_attribute("data/attributes/date", "has already been taken")
    sheet = sim.store.add(
        Resource(
            "timesheets",
            sim.store.next_id(),
            {"date": day, "created_at": sim.store.stamp()},
            {"person": ("people", person), "creator": ("people", request.state.grant.person_id)},
        )
    )
    for entry in _entries_of(sim.store, person, day):
        entry.attributes["submitted"] = True
        entry.relationships["timesheet"] = ("timesheets", sheet.id)
    return json_api(documents.single(sim.store, sheet), 201)


async def delete_timesheet(sim: ProductiveSimulator, request: Request) -> Response:
    sheet = sim.store.get("timesheets", request.path_params["id"])
    if sheet is None:
        raise not_found()
    entries = _entries_of(sim.store, sheet.ref_id("person") or "", sheet.attributes["date"])
    if any(e.attributes["approved"] for e in entries):
        raise conflict("record_already_approved")
    for entry in entries:
        entry.attributes["submitted"] = False
        entry.relationships["timesheet"] = None
    sim.store.delete("timesheets", sheet.id)
    return Response(status_code=204)


ROUTES = [
    *[
        (method, f"/{collection}{suffix}", handler)
        for collection in ("people", "subsidiaries", "projects", "services", "tasks", "timesheets")
        for method, suffix, handler in (("GET", "", list_resources), ("GET", "/{id}", get_resource))
    ],
    ("PATCH", "/people/{id}", update_person),
    ("POST", "/timesheets", create_timesheet),
    ("DELETE", "/timesheets/{id}", delete_timesheet),
]
