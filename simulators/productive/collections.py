"""Listing and fetching a resource collection the way every Productive endpoint does it:
filters from the reference (each evaluated by a Filter), sorts, pages and includes."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import Response

from simulators.productive import documents
from simulators.productive.errors import json_api, not_found
from simulators.productive.querying import Filter, apply, parse_include, parse_list_query
from simulators.productive.store import Resource

if TYPE_CHECKING:
    from simulators.productive.app import ProductiveSimulator

Handler = Callable[["ProductiveSimulator", Request], Awaitable[Response]]


def collection_of(request: Request) -> str:
    """`/api/v2/holidays/7` → `holidays`."""
    return request.url.path.split("/")[3]


def lister(filters: dict[str, dict[str, Filter]], sorts: frozenset[str]) -> Handler:
    """`GET /<collection>` for the collections `filters` knows."""

    async def list_items(sim: ProductiveSimulator, request: Request) -> Response:
        type_ = collection_of(request)
        query = parse_list_query(
            request.query_params,
            resource_type=type_,
            reference_path=f"/{type_}",
            filters=filters[type_],
            extra_sorts=set(sorts),
        )
        items = apply(query, sim.store.all(type_), sim.store)
        return json_api(documents.page(request, sim.store, items, query))

    return list_items


def found(sim: ProductiveSimulator, request: Request) -> Resource:
    """The resource the path names, or Productive's 404."""
    resource = sim.store.get(collection_of(request), request.path_params["id"])
    if resource is None:
        raise not_found()
    return resource


async def get_item(sim: ProductiveSimulator, request: Request) -> Response:
    """`GET /<collection>/{id}`, with `include`."""
    include = parse_include(request.query_params.get("include"), collection_of(request))
    return json_api(documents.single(sim.store, found(sim, request), include))
