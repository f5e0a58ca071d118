"""Who approves what: approval policy assignments (a policy on a person, for absences, or on a
budget, for time) and approval workflows (a policy's approvers and subscribers), from
productive-api-reference.json (`/approval_policy_assignments`, `/approval_workflows`).

A time entry's approval policy is the one assigned to its budget (the deal of its service);
it awaits approval from that policy's approvers while it is neither approved nor rejected
and is submitted (or its person's timesheet submission is off). The reference names the
filters but not that rule: it is the simulator's reading of Productive's approval flow.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response

from simulators.productive import documents
from simulators.productive.bodies import data_attributes, data_relationship, read_document
from simulators.productive.errors import ApiError, invalid_attribute, json_api, not_found
from simulators.productive.querying import Filter, apply, attr, parse_list_query
from simulators.productive.store import Resource, Store

if TYPE_CHECKING:
    from simulators.productive.app import ProductiveSimulator

TARGET_TYPES = {"Person": "people", "Quote": "deals"}


def assignment_of(store: Store, target_type: str, target_id: str) -> Resource | None:
    return next(
        (
            a
            for a in store.all("approval_policy_assignments")
            if a.attributes["target_type"] == target_type
            and str(a.attributes["target_id"]) == target_id
        ),
        None,
    )


def entry_policy_id(entry: Resource, store: Store) -> str | None:
    deal = store.follow(entry, "service.deal")
    found = assignment_of(store, "Quote", deal.id) if deal is not None else None
    return found.ref_id("approval_policy") if found is not None else None


def approvers_of(store: Store, policy_id: str | None) -> list[str]:
    return [
        str(a)
        for w in store.all("approval_workflows")
        if w.ref_id("approval_policy") == policy_id
        for a in w.attributes.get("approver_ids") or []
    ]


def _awaiting(entry: Resource, store: Store) -> bool:
    a = entry.attributes
    if a["approved"] or a["rejected"]:
        return False
    person = store.follow(entry, "person")
    no_submission = person is not None and person.attributes.get("timesheet_submission_disabled")
    return bool(a["submitted"] or no_submission)


def assigned_approvers(entry: Resource, store: Store) -> list[str]:
    return approvers_of(store, entry_policy_id(entry, store))


def awaiting_approvers(entry: Resource, store: Store) -> list[str]:
    return assigned_approvers(entry, store) if _awaiting(entry, store) else []


ENTRY_FILTERS = {
    "approval_policy_id": Filter(entry_policy_id),
    "assigned_approver_id": Filter(assigned_approvers),
    "awaiting_approval_from_approver_id": Filter(awaiting_approvers),
}
ASSIGNMENT_FILTERS = {
    "target_id": Filter(lambda r, s: str(r.attributes["target_id"])),
    "target_type": Filter(attr("target_type"), "string"),
}


async def list_assignments(sim: ProductiveSimulator, request: Request) -> Response:
    query = parse_list_query(
        request.query_params,
        resource_type="approval_policy_assignments",
        reference_path="/approval_policy_assignments",
        filters=ASSIGNMENT_FILTERS,
        extra_sorts={"id"},
    )
    items = apply(query, sim.store.all("approval_policy_assignments"), sim.store)
    return json_api(documents.page(request, sim.store, items, query))


def _found(sim: ProductiveSimulator, type_: str, request: Request) -> Resource:
    resource = sim.store.get(type_, request.path_params["id"])
    if resource is None:
        raise not_found()
    return resource


async def get_assignment(sim: ProductiveSimulator, request: Request) -> Response:
    found = _found(sim, "approval_policy_assignments", request)
    return json_api(documents.single(sim.store, found))


def _policy_of(sim: ProductiveSimulator, body: dict[str, Any]) -> Resource:
    policy_id = data_relationship(body, "approval_policy") or data_attributes(body).get(
        "approval_policy_id"
    )
    policy = sim.store.get("approval_policies", str(policy_id)) if policy_id else None
    if policy is None:
        raise invalid_attribute("data/relationships/approval_policy", "can't be blank")
    if policy.attributes.get("archived_at"):
        raise invalid_attribute("data/relationships/approval_policy", "is archived")
    return policy


async def create_assignment(sim: ProductiveSimulator, request: Request) -> Response:
    body = await read_document(request)
    attrs = data_attributes(body)
    target_type = attrs.get("target_type")
    if target_type not in TARGET_TYPES:
        raise invalid_attribute("data/attributes/target_type", "is not included in the list")
    target_id = data_relationship(body, "target") or attrs.get("target_id")
    if target_id in (None, "") or sim.store.get(TARGET_TYPES[target_type], str(target_id)) is None:
        raise invalid_attribute("data/attributes/target_id", "not found")
    policy = _policy_of(sim, body)
    if assignment_of(sim.store, target_type, str(target_id)) is not None:
        raise invalid_attribute("data/attributes/target_id", "has already been taken")
    assignment = sim.store.add(
        Resource(
            "approval_policy_assignments",
            sim.store.next_id(),
            {"target_type": target_type, "target_id": int(str(target_id))},
            {"approval_policy": ("approval_policies", policy.id)},
        )
    )
    return json_api(documents.single(sim.store, assignment), 201)


async def update_assignment(sim: ProductiveSimulator, request: Request) -> Response:
    found = _found(sim, "approval_policy_assignments", request)
    attrs = data_attributes(await read_document(request))
    if "target_type" in attrs:
        if attrs["target_type"] not in TARGET_TYPES:
            raise invalid_attribute("data/attributes/target_type", "is not included in the list")
        found.attributes["target_type"] = attrs["target_type"]
    return json_api(documents.single(sim.store, found))


async def delete_assignment(sim: ProductiveSimulator, request: Request) -> Response:
    found = _found(sim, "approval_policy_assignments", request)
    sim.store.delete(found.type, found.id)
    return Response(status_code=204)


def _workflow_values(attrs: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in (
        "approver_ids",
        "subscriber_ids",
        "dynamic_approver_ids",
        "dynamic_subscriber_ids",
    ):
        if name in attrs:
            if not isinstance(attrs[name], list):
                raise invalid_attribute(f"data/attributes/{name}", "is not an array")
            values[name] = [int(v) for v in attrs[name]]
    for name in ("target_type_id", "approval_requirement_id", "event_id"):
        if name in attrs:
            values[name] = attrs[name]
    return values


async def create_workflow(sim: ProductiveSimulator, request: Request) -> Response:
    body = await read_document(request)
    policy = _policy_of(sim, body)
    values = {
        "approver_ids": [],
        "subscriber_ids": [],
        "dynamic_approver_ids": [],
        "dynamic_subscriber_ids": [],
        "target_type_id": None,
        "approval_requirement_id": None,
        "event_id": None,
        **_workflow_values(data_attributes(body)),
    }
    if not values["approver_ids"] and not values["dynamic_approver_ids"]:
        raise ApiError(
            422,
            invalid_attribute("data/attributes/approver_ids", "can't be blank").errors,
        )
    workflow = sim.store.add(
        Resource(
            "approval_workflows",
            sim.store.next_id(),
            values,
            {"approval_policy": ("approval_policies", policy.id)},
        )
    )
    return json_api(documents.single(sim.store, workflow), 201)


async def get_workflow(sim: ProductiveSimulator, request: Request) -> Response:
    return json_api(documents.single(sim.store, _found(sim, "approval_workflows", request)))


async def update_workflow(sim: ProductiveSimulator, request: Request) -> Response:
    found = _found(sim, "approval_workflows", request)
    found.attributes.update(_workflow_values(data_attributes(await read_document(request))))
    return json_api(documents.single(sim.store, found))


async def delete_workflow(sim: ProductiveSimulator, request: Request) -> Response:
    found = _found(sim, "approval_workflows", request)
    sim.store.delete(found.type, found.id)
    return Response(status_code=204)


ROUTES = [
    ("GET", "/approval_policy_assignments", list_assignments),
    ("POST", "/approval_policy_assignments", create_assignment),
    ("GET", "/approval_policy_assignments/{id}", get_assignment),
    ("PATCH", "/approval_policy_assignments/{id}", update_assignment),
    ("DELETE", "/approval_policy_assignments/{id}", delete_assignment),
    ("POST", "/approval_workflows", create_workflow),
    ("GET", "/approval_workflows/{id}", get_workflow),
    ("PATCH", "/approval_workflows/{id}", update_workflow),
    ("DELETE", "/approval_workflows/{id}", delete_workflow),
]
