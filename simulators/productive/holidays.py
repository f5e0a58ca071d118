"""Holiday calendars and their holidays (productive-api-reference.json `/holiday_calendars`,
`/holidays`): listed (holidays by date range and calendar), created, updated and deleted. A
person follows one calendar (`holiday_calendar`), which `filter[holiday_calendar_id]` on
`/people` finds."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response

from simulators.productive import documents
from simulators.productive.bodies import data_attributes, data_relationship, read_document
from simulators.productive.collections import collection_of, found, get_item, lister
from simulators.productive.errors import invalid_attribute, json_api
from simulators.productive.querying import Filter, attr, rel
from simulators.productive.store import Resource

if TYPE_CHECKING:
    from simulators.productive.app import ProductiveSimulator

FILTERS: dict[str, dict[str, Filter]] = {
    "holiday_calendars": {"id": Filter(lambda r, s: r.id)},
    "holidays": {
        "after": Filter(attr("date"), "date", implied_op="gt_eq"),
        "before": Filter(attr("date"), "date", implied_op="lt_eq"),
        "holiday_calendar_id": Filter(rel("holiday_calendar")),
    },
}


list_items = lister(FILTERS, frozenset({"id", "date", "name"}))


def _holiday_values(
    sim: ProductiveSimulator, body: dict[str, Any], creating: bool
) -> tuple[dict[str, Any], str | None]:
    from simulators.productive.time_entries import _validate_date

    attrs = data_attributes(body)
    values: dict[str, Any] = {}
    if creating or "date" in attrs:
        values["date"] = _validate_date(attrs.get("date"))
    if creating or "name" in attrs:
        if attrs.get("name") in (None, ""):
            raise invalid_attribute("data/attributes/name", "can't be blank")
        values["name"] = attrs["name"]
    calendar = data_relationship(body, "holiday_calendar") or attrs.get("holiday_calendar_id")
    if calendar is not None and sim.store.get("holiday_calendars", str(calendar)) is None:
        raise invalid_attribute("data/relationships/holiday_calendar", "not found")
    if creating and calendar is None:
        raise invalid_attribute("data/relationships/holiday_calendar", "can't be blank")
    return values, None if calendar is None else str(calendar)


def _calendar_values(body: dict[str, Any], creating: bool) -> dict[str, Any]:
    attrs = data_attributes(body)
    if (creating or "name" in attrs) and attrs.get("name") in (None, ""):
        raise invalid_attribute("data/attributes/name", "can't be blank")
    names = ("name", "country", "state", "autogenerate_holidays")
    return {k: attrs[k] for k in names if k in attrs}


async def create_item(sim: ProductiveSimulator, request: Request) -> Response:
    type_ = collection_of(request)
    body = await read_document(request)
    if type_ == "holidays":
        values, calendar = _holiday_values(sim, body, creating=True)
        rels: dict[str, Any] = {"holiday_calendar": ("holiday_calendars", calendar)}
    else:
        values = {"country": None, "state": None, "autogenerate_holidays": False}
        values.update(_calendar_values(body, creating=True))
        rels = {}
    created = sim.store.add(Resource(type_, sim.store.next_id(), values, rels))
    return json_api(documents.single(sim.store, created), 201)


async def update_item(sim: ProductiveSimulator, request: Request) -> Response:
    item = found(sim, request)
    body = await read_document(request)
    if item.type == "holidays":
        values, calendar = _holiday_values(sim, body, creating=False)
        if calendar is not None:
            item.relationships["holiday_calendar"] = ("holiday_calendars", calendar)
    else:
        values = _calendar_values(body, creating=False)
    item.attributes.update(values)
    return json_api(documents.single(sim.store, item))


async def delete_item(sim: ProductiveSimulator, request: Request) -> Response:
    item = found(sim, request)
    sim.store.delete(item.type, item.id)
    return Response(status_code=204)


ROUTES = [
    (method, f"/{collection}{suffix}", handler)
    for collection in ("holiday_calendars", "holidays")
    for method, suffix, handler in (
        ("GET", "", list_items),
        ("POST", "", create_item),
        ("GET", "/{id}", get_item),
        ("PATCH", "/{id}", update_item),
        ("DELETE", "/{id}", delete_item),
    )
]
