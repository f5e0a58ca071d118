"""Time entries: list, get, create, update, delete, approve/unapprove/reject/unreject and both bulk
forms (productive-time-entries.txt; bulk `ext=bulk` form from FACTS.md)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response

from simulators.productive import documents, webhooks
from simulators.productive.approval_setup import ENTRY_FILTERS
from simulators.productive.bodies import data_attributes, data_relationship, read_document
from simulators.productive.errors import ApiError, conflict, invalid_attribute, json_api, not_found
from simulators.productive.querying import Filter, apply, attr, parse_list_query, path_id, rel
from simulators.productive.store import Resource, Store, refresh_costs, time_entry_attributes

if TYPE_CHECKING:
    from simulators.productive.app import ProductiveSimulator


def _status_code(resource: Resource, store: Store) -> str:
    a = resource.attributes
    if a["approved"]:
        return "1"
    if a["rejected"]:
        return "3"
    return "5" if a["submitted"] else "6"


FILTERS: dict[str, Filter] = {
    "id": Filter(lambda r, s: r.id),
    "person_id": Filter(rel("person")),
    "service_id": Filter(rel("service")),
    "task_id": Filter(rel("task")),
    "approver_id": Filter(rel("approver")),
    "creator_id": Filter(rel("creator")),
    "last_actor_id": Filter(rel("last_actor")),
    "timesheet_id": Filter(rel("timesheet")),
    "project_id": Filter(path_id("service.deal.project")),
    "deal_id": Filter(path_id("service.deal")),
    "after": Filter(attr("date"), "date", implied_op="gt_eq"),
    "before": Filter(attr("date"), "date", implied_op="lt_eq"),
    "date": Filter(attr("date"), "date"),
    "time": Filter(attr("time")),
    "billable_time": Filter(attr("billable_time")),
    "started_at": Filter(attr("started_at"), "datetime"),
    "updated_at": Filter(attr("updated_at"), "datetime"),
    "approved_at": Filter(attr("approved_at"), "datetime"),
    "invoiced": Filter(attr("invoiced"), "boolean"),
    # The reference lists `billable`; an entry is billable when it has billable time.
    "billable": Filter(lambda r, s: int(r.attributes.get("billable_time") or 0) > 0, "boolean"),
    "status": Filter(_status_code),
    **ENTRY_FILTERS,
}


async def list_entries(sim: ProductiveSimulator, request: Request) -> Response:
    query = parse_list_query(
        request.query_params,
        resource_type="time_entries",
        reference_path="/time_entries",
        filters=FILTERS,
        extra_sorts={"date", "updated_at", "started_at", "time"},
    )
    # Status 2 (unapproved) covers submitted (5) and draft (6) entries alike.
    conditions = tuple(
        replace(c, values=(*c.values, "5", "6")) if c.name == "status" and "2" in c.values else c
        for c in query.conditions
    )
    items = apply(replace(query, conditions=conditions), sim.store.all("time_entries"), sim.store)
    return json_api(documents.page(request, sim.store, items, query))


def _entry(sim: ProductiveSimulator, request: Request) -> Resource:
    entry = sim.store.get("time_entries", request.path_params["id"])
    if entry is None:
        raise not_found()
    return entry


async def get_entry(sim: ProductiveSimulator, request: Request) -> Response:
    from simulators.productive.querying import parse_include

    include = parse_include(request.query_params.get("include"), "time_entries")
    return json_api(documents.single(sim.store, _entry(sim, request), include))


def _validate_date(value: Any) -> str:
    if value in (None, ""):
        raise invalid_attribute("data/attributes/date", "can't be blank", "is not a date")
    try:
        return date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise invalid_attribute("data/attributes/date", "is not a date") from None


def _validate_minutes(name: str, value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise invalid_attribute(f"data/attributes/{name}", "is not a number")
    if value < 0:
        raise invalid_attribute(f"data/attributes/{name}", "must be greater than or equal to 0")
    return value


def _related(sim: ProductiveSimulator, body: dict[str, Any], name: str, type_: str) -> str | None:
    target = data_relationship(body, name) or data_attributes(body).get(f"{name}_id")
    if target in (None, ""):
        return None
    if sim.store.get(type_, str(target)) is None:
        raise invalid_attribute(f"data/relationships/{name}", "not found")
    return str(target)


async def create_entry(sim: ProductiveSimulator, request: Request) -> Response:
    body = await read_document(request)
    attrs = data_attributes(body)
    day = _validate_date(attrs.get("date"))
    person = _related(sim, body, "person", "people")
    service = _related(sim, body, "service", "services")
    task = _related(sim, body, "task", "tasks")
    errors = []
    if person is None:
        errors += invalid_attribute("data/relationships/person", "can't be blank").errors
    if service is None:
        errors += invalid_attribute("data/relationships/service", "can't be blank").errors
    if errors:
        raise ApiError(422, errors)
    minutes = _validate_minutes("time", attrs.get("time", 0))
    values: dict[str, Any] = {"date": day, "time": minutes, "note": attrs.get("note")}
    if "billable_time" in attrs:
        values["billable_time"] = _validate_minutes("billable_time", attrs["billable_time"])
    if attrs.get("started_at"):
        values["started_at"] = attrs["started_at"]
    grant_person = request.state.grant.person_id
    entry = Resource(
        "time_entries",
        sim.store.next_id(),
        time_entry_attributes(sim.store, values),
        {
            "person": ("people", str(person)),
            "service": ("services", str(service)),
            "task": ("tasks", task) if task else None,
            "creator": ("people", grant_person),
            "updater": ("people", grant_person),
            "last_actor": ("people", grant_person),
        },
    )
    sim.store.add(entry)
    webhooks.notify(sim, webhooks.CREATED, entry)
    return json_api(documents.single(sim.store, entry), 201)


UPDATABLE = {
    "date",
    "time",
    "billable_time",
    "note",
    "started_at",
    "calendar_event_id",
    "jira_issue_id",
    "jira_issue_summary",
    "jira_issue_status",
    "jira_organization",
    "jira_worklog_id",
}


async def update_entry(sim: ProductiveSimulator, request: Request) -> Response:
    entry = _entry(sim, request)
    body = await read_document(request)
    attrs = data_attributes(body)
    changes: dict[str, Any] = {}
    if "date" in attrs:
        changes["date"] = _validate_date(attrs["date"])
    for name in ("time", "billable_time"):
        if name in attrs:
            changes[name] = _validate_minutes(name, attrs[name])
    for name in UPDATABLE - {"date", "time", "billable_time"}:
        if name in attrs:
            changes[name] = attrs[name]
    service = _related(sim, body, "service", "services")
    task = _related(sim, body, "task", "tasks")
    if entry.attributes["approved"] and (changes or service or task):
        raise conflict("record_already_approved")
    entry.attributes.update(changes)
    if service:
        entry.relationships["service"] = ("services", service)
    if task:
        entry.relationships["task"] = ("tasks", task)
    _touch(sim, request, entry)
    refresh_costs(entry.attributes)
    return json_api(documents.single(sim.store, entry))


async def delete_entry(sim: ProductiveSimulator, request: Request) -> Response:
    entry = _entry(sim, request)
    if entry.attributes["approved"]:
        raise conflict("record_already_approved")
    webhooks.notify(sim, webhooks.DELETED, entry)
    sim.store.delete("time_entries", entry.id)
    for timer in sim.store.all("timers"):
        if timer.ref_id("time_entry") == entry.id:
            sim.store.delete("timers", timer.id)
    return Response(status_code=204)


def _touch(sim: ProductiveSimulator, request: Request, entry: Resource) -> None:
    entry.attributes["updated_at"] = sim.store.stamp()
    entry.relationships["updater"] = ("people", request.state.grant.person_id)
    entry.relationships["last_actor"] = ("people", request.state.grant.person_id)
    webhooks.notify(sim, webhooks.UPDATED, entry)


def _approve(sim: ProductiveSimulator, request: Request, entry: Resource) -> None:
    _check_approvable(entry, "approve")
    a = entry.attributes
    # Productive stores approval times to the second (".000" in the documented answers).
    a.update(approved=True, approved_at=sim.store.stamp(sim.store.now().replace(microsecond=0)))
    entry.relationships["approver"] = ("people", request.state.grant.person_id)
    _touch(sim, request, entry)


def _unapprove(sim: ProductiveSimulator, request: Request, entry: Resource) -> None:
    _check_approvable(entry, "unapprove")
    entry.attributes.update(approved=False, approved_at=None)
    entry.relationships["approver"] = None
    _touch(sim, request, entry)


def _check_approvable(entry: Resource, action: str) -> None:
    a = entry.attributes
    if action == "approve" and a["approved"]:
        raise conflict("record_already_approved")
    if action == "approve" and a["rejected"]:
        raise conflict("record_already_rejected")
    if action == "unapprove" and not a["approved"]:
        raise conflict("record_already_unapproved")


async def approve(sim: ProductiveSimulator, request: Request) -> Response:
    entry = _entry(sim, request)
    _approve(sim, request, entry)
    return json_api(documents.single(sim.store, entry))


async def unapprove(sim: ProductiveSimulator, request: Request) -> Response:
    entry = _entry(sim, request)
    _unapprove(sim, request, entry)
    return json_api(documents.single(sim.store, entry))


async def reject(sim: ProductiveSimulator, request: Request) -> Response:
    entry = _entry(sim, request)
    body = await read_document(request)
    a = entry.attributes
    if a["approved"]:
        raise conflict("record_already_approved")
    if a["rejected"]:
        raise conflict("record_already_rejected")
    a.update(
        rejected=True,
        rejected_at=sim.store.stamp(),
        rejected_reason=data_attributes(body).get("rejected_reason"),
    )
    entry.relationships["rejecter"] = ("people", request.state.grant.person_id)
    _touch(sim, request, entry)
    return json_api(documents.single(sim.store, entry))


async def unreject(sim: ProductiveSimulator, request: Request) -> Response:
    entry = _entry(sim, request)
    if not entry.attributes["rejected"]:
        raise conflict("record_already_unrejected")
    entry.attributes.update(rejected=False, rejected_at=None, rejected_reason=None)
    entry.relationships["rejecter"] = None
    _touch(sim, request, entry)
    return json_api(documents.single(sim.store, entry))


def _bulk_targets(sim: ProductiveSimulator, ids: list[Any], action: str) -> list[Resource]:
    entries = []
    for raw in ids:
        entry = sim.store.get("time_entries", str(raw))
        if entry is None:
            raise not_found()
        entries.append(entry)
    if sim.settings.bulk_atomic:
        for entry in entries:  # all or nothing: one conflict refuses the whole request
            _check_approvable(entry, action)
    return entries


async def _bulk(
    sim: ProductiveSimulator, request: Request, ids: list[Any], action: str
) -> Response:
    entries = _bulk_targets(sim, ids, action)
    changed = []
    for entry in entries:
        try:
            (_approve if action == "approve" else _unapprove)(sim, request, entry)
            changed.append(entry)
        except ApiError:
            continue  # only reachable when bulk_atomic is off: skip what cannot change
    return json_api(documents.many(sim.store, changed))


def _ids_of(body: dict[str, Any]) -> list[Any]:
    ids = body.get("ids")
    if not isinstance(ids, list) or not ids:
        raise invalid_attribute("ids", "can't be blank")
    return ids


async def bulk_approve(sim: ProductiveSimulator, request: Request) -> Response:
    return await _bulk(sim, request, _ids_of(await read_document(request)), "approve")


async def bulk_unapprove(sim: ProductiveSimulator, request: Request) -> Response:
    return await _bulk(sim, request, _ids_of(await read_document(request)), "unapprove")


def _ext_ids(body: dict[str, Any]) -> list[Any]:
    data = body.get("data")
    if not isinstance(data, list) or not data:
        raise invalid_attribute("data", "can't be blank")
    return [item.get("id") for item in data if isinstance(item, dict)]


async def ext_bulk_approve(sim: ProductiveSimulator, request: Request) -> Response:
    return await _bulk(sim, request, _ext_ids(await read_document(request)), "approve")


async def ext_bulk_unapprove(sim: ProductiveSimulator, request: Request) -> Response:
    return await _bulk(sim, request, _ext_ids(await read_document(request)), "unapprove")


ROUTES = [
    ("GET", "/time_entries", list_entries),
    ("POST", "/time_entries", create_entry),
    ("PATCH", "/time_entries/bulk_approve", bulk_approve),
    ("PATCH", "/time_entries/bulk_unapprove", bulk_unapprove),
    ("PATCH", "/time_entries/approve", ext_bulk_approve),
    ("PATCH", "/time_entries/unapprove", ext_bulk_unapprove),
    ("GET", "/time_entries/{id}", get_entry),
    ("PATCH", "/time_entries/{id}", update_entry),
    ("DELETE", "/time_entries/{id}", delete_entry),
    ("PATCH", "/time_entries/{id}/approve", approve),
    ("PATCH", "/time_entries/{id}/unapprove", unapprove),
    ("PATCH", "/time_entries/{id}/reject", reject),
    ("PATCH", "/time_entries/{id}/unreject", unreject),
]
