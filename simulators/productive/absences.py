"""Absences: events (the kinds of absence, e.g. vacation) and bookings of people on them, from
productive-api-reference.json (`/events`, `/bookings`, `/bookings/{id}/unapprove`).

The reference lists filters and body fields but no response bodies, states or rules; the
simulator's choices: a booking's `approval_status` is 1 approved, 2 pending, 3 rejected (the
time-entry codes; 5, also listed, is not produced); a booking on an event is an absence
(`booking_type` "absence"), `time` is minutes per day (a half day is half the person's day);
overlapping absence bookings of one person are refused 422; an approved booking cannot be
deleted (409 `record_already_approved`, as for time entries); unapproving a booking that is
not approved is 409 `record_already_unapproved`. The reference names no approve endpoint for
bookings: the seed decides them.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response

from simulators.productive import documents
from simulators.productive.bodies import data_attributes, data_relationship, read_document
from simulators.productive.collections import found, get_item, lister
from simulators.productive.errors import conflict, invalid_attribute, json_api
from simulators.productive.querying import Filter, attr, rel
from simulators.productive.store import Resource, Store

if TYPE_CHECKING:
    from simulators.productive.app import ProductiveSimulator

FULL_DAY_MINUTES = 480


def _approval_status(r: Resource, s: Store) -> str:
    a = r.attributes
    return "1" if a.get("approved") else "3" if a.get("rejected") else "2"


FILTERS: dict[str, dict[str, Filter]] = {
    "events": {
        "id": Filter(lambda r, s: r.id),
        "name": Filter(attr("name"), "string"),
        "absence_type": Filter(attr("absence_type"), "string"),
        "status": Filter(lambda r, s: "2" if r.attributes.get("archived_at") else "1"),
        "half_day_bookings": Filter(attr("half_day_bookings"), "boolean"),
        "limited": Filter(attr("limited"), "boolean"),
    },
    "bookings": {
        "id": Filter(lambda r, s: r.id),
        "person_id": Filter(rel("person")),
        "event_id": Filter(rel("event")),
        "approver_id": Filter(rel("approver")),
        "approval_status": Filter(_approval_status),
        "booking_type": Filter(attr("booking_type"), "string"),
        "draft": Filter(attr("draft"), "boolean"),
        "canceled": Filter(attr("canceled"), "boolean"),
        "started_on": Filter(attr("started_on"), "date"),
        "ended_on": Filter(attr("ended_on"), "date"),
        # Bookings that end on or after `after` and start on or before `before`.
        "after": Filter(attr("ended_on"), "date", implied_op="gt_eq"),
        "before": Filter(attr("started_on"), "date", implied_op="lt_eq"),
    },
}


list_items = lister(FILTERS, frozenset({"id", "started_on", "name"}))


EVENT_FIELDS = ("name", "absence_type", "half_day_bookings", "limitation_type_id")


async def create_event(sim: ProductiveSimulator, request: Request) -> Response:
    attrs = data_attributes(await read_document(request))
    if attrs.get("name") in (None, ""):
        raise invalid_attribute("data/attributes/name", "can't be blank")
    if attrs.get("absence_type", "time_off") not in ("time_off", "remote_work"):
        raise invalid_attribute("data/attributes/absence_type", "is not included in the list")
    values = {
        "name": attrs["name"],
        "absence_type": attrs.get("absence_type", "time_off"),
        "half_day_bookings": bool(attrs.get("half_day_bookings")),
        "limitation_type_id": attrs.get("limitation_type_id"),
        "limited": attrs.get("limitation_type_id") in (2, 3),
        "archived_at": None,
    }
    event = sim.store.add(Resource("events", sim.store.next_id(), values))
    return json_api(documents.single(sim.store, event), 201)


async def update_event(sim: ProductiveSimulator, request: Request) -> Response:
    event = found(sim, request)
    attrs = data_attributes(await read_document(request))
    event.attributes.update({k: attrs[k] for k in EVENT_FIELDS if k in attrs})
    return json_api(documents.single(sim.store, event))


async def archive_event(sim: ProductiveSimulator, request: Request) -> Response:
    event = found(sim, request)
    if event.attributes.get("archived_at"):
        raise conflict("record_already_archived")
    event.attributes["archived_at"] = sim.store.stamp()
    return json_api(documents.single(sim.store, event))


async def delete_item(sim: ProductiveSimulator, request: Request) -> Response:
    item = found(sim, request)
    if item.type == "bookings" and item.attributes.get("approved"):
        raise conflict("record_already_approved")
    sim.store.delete(item.type, item.id)
    return Response(status_code=204)


def _day(attrs: dict[str, Any], name: str) -> str:
    raw = attrs.get(name)
    if raw in (None, ""):
        raise invalid_attribute(f"data/attributes/{name}", "can't be blank")
    try:
        return date.fromisoformat(str(raw)).isoformat()
    except ValueError:
        raise invalid_attribute(f"data/attributes/{name}", "is not a date") from None


def overlapping(store: Store, person: str, start: str, end: str, other: str = "") -> bool:
    return any(
        b.id != other
        and b.ref_id("person") == person
        and b.ref_id("event") is not None
        and not b.attributes.get("rejected")
        and not b.attributes.get("canceled")
        and b.attributes["started_on"] <= end
        and b.attributes["ended_on"] >= start
        for b in store.all("bookings")
    )


async def create_booking(sim: ProductiveSimulator, request: Request) -> Response:
    body = await read_document(request)
    attrs = data_attributes(body)
    person = data_relationship(body, "person") or attrs.get("person_id")
    if person in (None, "") or sim.store.get("people", str(person)) is None:
        raise invalid_attribute("data/relationships/person", "can't be blank")
    event_id = data_relationship(body, "event") or attrs.get("event_id")
    event = sim.store.get("events", str(event_id)) if event_id not in (None, "") else None
    if event is None:
        # A booking without an event is a project booking: not simulated.
        raise invalid_attribute("data/relationships/event", "can't be blank")
    if event.attributes.get("archived_at"):
        raise invalid_attribute("data/relationships/event", "is archived")
    start, end = _day(attrs, "started_on"), _day(attrs, "ended_on")
    if end < start:
        raise invalid_attribute("data/attributes/ended_on", "must be after the start date")
    minutes = attrs.get("time", FULL_DAY_MINUTES)
    if not isinstance(minutes, int) or isinstance(minutes, bool) or not 0 < minutes <= 1440:
        raise invalid_attribute("data/attributes/time", "is not a number")
    if minutes < FULL_DAY_MINUTES and not event.attributes.get("half_day_bookings"):
        raise invalid_attribute("data/attributes/time", "half days are not allowed on this event")
    if overlapping(sim.store, str(person), start, end):
        raise invalid_attribute("data/attributes/started_on", "overlaps another absence")
    values = {
        "booking_type": "absence",
        "started_on": start,
        "ended_on": end,
        "time": minutes,
        "note": attrs.get("note"),
        "draft": bool(attrs.get("draft")),
        "canceled": False,
        "approved": False,
        "approved_at": None,
        "rejected": False,
        "rejected_at": None,
        "rejected_reason": None,
        "created_at": sim.store.stamp(),
        "updated_at": sim.store.stamp(),
    }
    rels: dict[str, Any] = {
        "person": ("people", str(person)),
        "event": ("events", event.id),
        "approver": None,
        "rejecter": None,
    }
    booking = sim.store.add(Resource("bookings", sim.store.next_id(), values, rels))
    return json_api(documents.single(sim.store, booking), 201)


async def update_booking(sim: ProductiveSimulator, request: Request) -> Response:
    booking = found(sim, request)
    if booking.attributes.get("approved"):
        raise conflict("record_already_approved")
    attrs = data_attributes(await read_document(request))
    values: dict[str, Any] = {}
    for name in ("started_on", "ended_on"):
        if name in attrs:
            values[name] = _day(attrs, name)
    for name in ("note", "draft", "time"):
        if name in attrs:
            values[name] = attrs[name]
    start = values.get("started_on", booking.attributes["started_on"])
    end = values.get("ended_on", booking.attributes["ended_on"])
    person = booking.ref_id("person") or ""
    if overlapping(sim.store, person, start, end, other=booking.id):
        raise invalid_attribute("data/attributes/started_on", "overlaps another absence")
    booking.attributes.update(values, updated_at=sim.store.stamp())
    return json_api(documents.single(sim.store, booking))


async def unapprove_booking(sim: ProductiveSimulator, request: Request) -> Response:
    booking = found(sim, request)
    if not booking.attributes.get("approved"):
        raise conflict("record_already_unapproved")
    booking.attributes.update(approved=False, approved_at=None, updated_at=sim.store.stamp())
    booking.relationships["approver"] = None
    return json_api(documents.single(sim.store, booking))


ROUTES = [
    ("GET", "/events", list_items),
    ("POST", "/events", create_event),
    ("GET", "/events/{id}", get_item),
    ("PATCH", "/events/{id}", update_event),
    ("DELETE", "/events/{id}", delete_item),
    ("PATCH", "/events/{id}/archive", archive_event),
    ("GET", "/bookings", list_items),
    ("POST", "/bookings", create_booking),
    ("GET", "/bookings/{id}", get_item),
    ("PATCH", "/bookings/{id}", update_booking),
    ("DELETE", "/bookings/{id}", delete_item),
    ("PATCH", "/bookings/{id}/unapprove", unapprove_booking),
]
