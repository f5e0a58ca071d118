"""Time tracking and approval policies: CRUD, archive, restore with the documented 409s and 422s
(productive-time-tracking-policies.txt, productive-approval-policies.txt)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response

from simulators.productive import documents
from simulators.productive.bodies import data_attributes, read_document
from simulators.productive.errors import ApiError, conflict, invalid_attribute, json_api, not_found
from simulators.productive.querying import Filter, apply, attr, parse_list_query
from simulators.productive.store import (
    APPROVAL_POLICY_DEFAULTS,
    POLICY_DEFAULTS,
    Resource,
    Store,
)

if TYPE_CHECKING:
    from simulators.productive.app import ProductiveSimulator

LIMITS = (
    "working_day_limit",
    "non_working_day_limit",
    "holiday_limit",
    "full_day_absence_limit",
    "half_day_absence_limit",
)
FLAGS = (
    "note_mandatory",
    "restrict_future_tracking",
    "restrict_tracking_over_budget",
    "restrict_time_entry_overlap",
    "task_mandatory",
    "time_range_mandatory",
)
TEXTS = ("name", "description", "disabled_tracking_message", "limited_tracking_message")
APPROVAL_TYPES = {1, 2, 3}


def effective_policy_id(store: Store, person: Resource) -> str | None:
    """Person, then subsidiary, then organization: the first that names a policy applies."""
    for holder in (person, store.follow(person, "subsidiary"), store.get(*store.organization_ref)):
        if holder is not None and holder.attributes.get("time_tracking_policy_id") is not None:
            return str(holder.attributes["time_tracking_policy_id"])
    return None


def _status(resource: Resource, store: Store) -> str:
    return "2" if resource.attributes.get("archived_at") else "1"


def _for_person(resource: Resource, store: Store) -> list[str]:
    return [p.id for p in store.all("people") if effective_policy_id(store, p) == resource.id]


TRACKING_FILTERS = {
    "id": Filter(lambda r, s: r.id),
    "name": Filter(attr("name"), "string"),
    "status": Filter(_status),
    "person_id": Filter(lambda r, s: None),  # replaced below: membership, not equality
}
APPROVAL_FILTERS = {
    "id": Filter(lambda r, s: r.id),
    "custom": Filter(attr("custom"), "boolean"),
    "status": Filter(_status),
    "type_id": Filter(lambda r, s: str(r.attributes["type_id"])),
}


def _config(request: Request) -> tuple[str, str, dict[str, Filter]]:
    if request.url.path.split("/")[3] == "time_tracking_policies":
        return "time_tracking_policies", "/time_tracking_policies", TRACKING_FILTERS
    return "approval_policies", "/approval_policies", APPROVAL_FILTERS


async def list_policies(sim: ProductiveSimulator, request: Request) -> Response:
    type_, path, filters = _config(request)
    query = parse_list_query(
        request.query_params,
        resource_type=type_,
        reference_path=path,
        filters=filters,
        extra_filters={"id"},
        extra_sorts={"name"},
    )
    people = [c for c in query.conditions if c.name == "person_id"]
    rest = tuple(c for c in query.conditions if c.name != "person_id")
    items = apply(
        type(query)(rest, query.sort, query.page_number, query.page_size, query.include),
        sim.store.all(type_),
        sim.store,
    )
    for cond in people:
        items = [r for r in items if set(_for_person(r, sim.store)) & set(cond.values)]
    return json_api(documents.page(request, sim.store, items, query))


def _policy(sim: ProductiveSimulator, request: Request) -> Resource:
    type_, _, _ = _config(request)
    policy = sim.store.get(type_, request.path_params["id"])
    if policy is None:
        raise not_found()
    return policy


async def get_policy(sim: ProductiveSimulator, request: Request) -> Response:
    return json_api(documents.single(sim.store, _policy(sim, request)))


def _validated(type_: str, attrs: dict[str, Any], creating: bool) -> dict[str, Any]:
    errors: list[dict[str, Any]] = []
    values: dict[str, Any] = {}
    blank_name = attrs.get("name") in (None, "")
    if (creating or "name" in attrs) and type_ == "time_tracking_policies" and blank_name:
        error = invalid_attribute("data/attributes/name", "can't be blank").errors[0]
        errors.append({**error, "meta": {}})
    if type_ == "time_tracking_policies":
        for name in LIMITS:
            if name in attrs:
                value = attrs[name]
                if value is not None and (not isinstance(value, int | float) or value < 0):
                    errors += invalid_attribute(
                        f"data/attributes/{name}", "must be greater than or equal to 0"
                    ).errors
                values[name] = value
        for name in FLAGS:
            if name in attrs:
                values[name] = bool(attrs[name])
        for name in TEXTS:
            if name in attrs:
                values[name] = attrs[name]
    else:
        if creating or "type_id" in attrs:
            value = attrs.get("type_id")
            if value is None:
                errors += invalid_attribute("data/attributes/type_id", "can't be blank").errors
            if value not in APPROVAL_TYPES:
                errors += invalid_attribute(
                    "data/attributes/type_id", "is not included in the list"
                ).errors
            values["type_id"] = value
        for name in ("name", "description", "custom", "default"):
            if name in attrs:
                values[name] = attrs[name]
    if errors:
        raise ApiError(422, errors)
    return values


async def create_policy(sim: ProductiveSimulator, request: Request) -> Response:
    type_, _, _ = _config(request)
    values = _validated(type_, data_attributes(await read_document(request)), creating=True)
    stamp = sim.store.stamp()
    if type_ == "time_tracking_policies":
        attributes = {**POLICY_DEFAULTS, "created_at": stamp, "updated_at": stamp, **values}
        rels: dict[str, Any] = {
            "creator": ("people", request.state.grant.person_id),
            "last_actor": ("people", request.state.grant.person_id),
        }
    else:
        attributes = {**APPROVAL_POLICY_DEFAULTS, **values}
        rels = {}
    policy = sim.store.add(Resource(type_, sim.store.next_id(), attributes, rels))
    return json_api(documents.single(sim.store, policy), 201)


async def update_policy(sim: ProductiveSimulator, request: Request) -> Response:
    policy = _policy(sim, request)
    values = _validated(policy.type, data_attributes(await read_document(request)), creating=False)
    policy.attributes.update(values)
    if policy.type == "time_tracking_policies":
        policy.attributes["updated_at"] = sim.store.stamp()
    return json_api(documents.single(sim.store, policy))


async def delete_policy(sim: ProductiveSimulator, request: Request) -> Response:
    policy = _policy(sim, request)
    sim.store.delete(policy.type, policy.id)
    return Response(status_code=204)


async def archive_policy(sim: ProductiveSimulator, request: Request) -> Response:
    policy = _policy(sim, request)
    if policy.attributes.get("archived_at"):
        raise conflict("record_already_archived")
    policy.attributes["archived_at"] = sim.store.stamp()
    return json_api(documents.single(sim.store, policy))


async def restore_policy(sim: ProductiveSimulator, request: Request) -> Response:
    policy = _policy(sim, request)
    if not policy.attributes.get("archived_at"):
        raise conflict("record_not_archived")
    policy.attributes["archived_at"] = None
    return json_api(documents.single(sim.store, policy))


ROUTES = [
    *[
        (method, f"/{collection}{suffix}", handler)
        for collection in ("time_tracking_policies", "approval_policies")
        for method, suffix, handler in (
            ("GET", "", list_policies),
            ("POST", "", create_policy),
            ("GET", "/{id}", get_policy),
            ("PATCH", "/{id}", update_policy),
            ("PATCH", "/{id}/archive", archive_policy),
            ("PATCH", "/{id}/restore", restore_policy),
        )
    ],
    # Only time tracking policies document a DELETE (productive-time-tracking-policies.txt);
    # approval policies have none, so that path is an unknown route here too.
    ("DELETE", "/time_tracking_policies/{id}", delete_policy),
]
