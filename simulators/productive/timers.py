"""Timers: list, get, start (by `time_entry_id` or `service_id`), stop (productive-timers.txt)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response

from simulators.productive import documents, webhooks
from simulators.productive.bodies import data_attributes, data_relationship, read_document
from simulators.productive.errors import conflict, invalid_attribute, json_api, not_found
from simulators.productive.querying import Filter, apply, attr, parse_include, parse_list_query, rel
from simulators.productive.store import Resource, time_entry_attributes

if TYPE_CHECKING:
    from simulators.productive.app import ProductiveSimulator

FILTERS = {
    "person_id": Filter(attr("person_id")),
    "time_entry_id": Filter(rel("time_entry")),
    "started_at": Filter(attr("started_at"), "datetime"),
    "stopped_at": Filter(attr("stopped_at"), "datetime"),
}


async def list_timers(sim: ProductiveSimulator, request: Request) -> Response:
    query = parse_list_query(
        request.query_params, resource_type="timers", reference_path="/timers", filters=FILTERS
    )
    items = apply(query, sim.store.all("timers"), sim.store)
    return json_api(documents.page(request, sim.store, items, query))


def _timer(sim: ProductiveSimulator, request: Request) -> Resource:
    timer = sim.store.get("timers", request.path_params["id"])
    if timer is None:
        raise not_found()
    return timer


async def get_timer(sim: ProductiveSimulator, request: Request) -> Response:
    include = parse_include(request.query_params.get("include"), "timers")
    return json_api(documents.single(sim.store, _timer(sim, request), include))


def _stop(sim: ProductiveSimulator, timer: Resource) -> None:
    now = sim.store.now().replace(microsecond=0)
    started = datetime.fromisoformat(timer.attributes["started_at"])
    minutes = max(0, round((now - started).total_seconds() / 60))
    timer.attributes.update(stopped_at=sim.store.stamp(now), total_time=minutes)
    entry = sim.store.follow(timer, "time_entry")
    if entry is not None:
        entry.attributes["time"] = int(entry.attributes.get("time") or 0) + minutes
        entry.attributes["billable_time"] = entry.attributes["time"]
        entry.attributes["timer_stopped_at"] = sim.store.stamp(now)
        entry.attributes["updated_at"] = sim.store.stamp(now)
        webhooks.notify(sim, webhooks.UPDATED, entry)


async def start_timer(sim: ProductiveSimulator, request: Request) -> Response:
    body = await read_document(request)
    attrs: dict[str, Any] = data_attributes(body)
    entry_id = data_relationship(body, "time_entry") or attrs.get("time_entry_id")
    service_id = attrs.get("service_id")
    entry = sim.store.get("time_entries", str(entry_id)) if entry_id else None
    service = sim.store.get("services", str(service_id)) if service_id else None
    if entry is None and service is None:
        # The documented answer for a missing or unknown target points at the service.
        raise invalid_attribute("data/attributes/service", "attribute is invalid")
    person = str(attrs.get("person_id") or request.state.grant.person_id)
    if sim.store.get("people", person) is None:
        raise invalid_attribute("data/attributes/person_id", "attribute is invalid")
    if entry is not None:
        person = entry.ref_id("person") or person
    if sim.settings.starting_timer_stops_running_one:
        for running in sim.store.all("timers"):
            if (
                str(running.attributes["person_id"]) == person
                and not running.attributes["stopped_at"]
            ):
                _stop(sim, running)
    now = sim.store.now().replace(microsecond=0)
    if entry is None and service is not None:
        entry = sim.store.add(
            Resource(
                "time_entries",
                sim.store.next_id(),
                time_entry_attributes(
                    sim.store, {"date": now.date().isoformat(), "time": 0, "track_method_id": 2}
                ),
                {
                    "person": ("people", person),
                    "service": ("services", service.id),
                    "creator": ("people", request.state.grant.person_id),
                },
            )
        )
    assert entry is not None
    created = entry_id is None
    entry.attributes.update(
        timer_started_at=sim.store.stamp(now),
        timer_stopped_at=None,
        updated_at=sim.store.stamp(now),
    )
    if not entry.attributes.get("started_at"):
        entry.attributes["started_at"] = sim.store.stamp(now)
    timer = sim.store.add(
        Resource(
            "timers",
            sim.store.next_id(),
            {
                "person_id": int(person),
                "started_at": sim.store.stamp(now),
                "stopped_at": None,
                "total_time": 0,
            },
            {"time_entry": ("time_entries", entry.id)},
        )
    )
    webhooks.notify(sim, webhooks.CREATED if created else webhooks.UPDATED, entry)
    return json_api(documents.single(sim.store, timer), 201)


async def stop_timer(sim: ProductiveSimulator, request: Request) -> Response:
    timer = _timer(sim, request)
    if timer.attributes["stopped_at"]:
        raise conflict("record_already_stopped")  # undocumented; see the simulator notes
    _stop(sim, timer)
    return json_api(documents.single(sim.store, timer))


ROUTES = [
    ("GET", "/timers", list_timers),
    ("POST", "/timers", start_timer),
    ("GET", "/timers/{id}", get_timer),
    ("PATCH", "/timers/{id}/stop", stop_timer),
]
