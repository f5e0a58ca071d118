"""JSON:API documents as Productive renders them: relationships, `included`, `meta` and `links`."""

from __future__ import annotations

import math
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request

from simulators.productive.querying import MAX_PAGE_SIZE, ListQuery
from simulators.productive.store import KINDS, Ref, Resource, Store, ordered_time_entry

NOT_INCLUDED = {"meta": {"included": False}}


def _ref_json(ref: Ref) -> dict[str, str]:
    return {"type": ref[0], "id": ref[1]}


def _include_tree(paths: tuple[str, ...]) -> dict[str, Any]:
    tree: dict[str, Any] = {}
    for path in paths:
        node = tree
        for segment in path.split("."):
            node = node.setdefault(segment, {})
    return tree


class Renderer:
    """Renders primary data and collects the included resources the include tree asks for."""

    def __init__(self, store: Store, include: tuple[str, ...]) -> None:
        self.store = store
        self.tree = _include_tree(include)
        self.included: dict[Ref, dict[str, Any]] = {}

    def resource(self, resource: Resource, tree: dict[str, Any] | None = None) -> dict[str, Any]:
        tree = self.tree if tree is None else tree
        kind = KINDS[resource.type]
        names = list(kind.relationships) + [n for n in tree if n not in kind.relationships]
        relationships: dict[str, Any] = {}
        for name in names:
            value = resource.relationships.get(name)
            if name in tree:
                relationships[name] = {"data": self._link(value, tree[name])}
            elif name == "organization" and isinstance(value, tuple):
                relationships[name] = {"data": _ref_json(value)}
            else:
                relationships[name] = NOT_INCLUDED
        attributes = resource.attributes
        if resource.type == "time_entries":
            attributes = ordered_time_entry(attributes)
        body: dict[str, Any] = {"id": resource.id, "type": resource.type, "attributes": attributes}
        if relationships:
            body["relationships"] = relationships
        return body

    def _link(self, value: Ref | list[Ref] | None, subtree: dict[str, Any]) -> Any:
        if value is None:
            return None
        if isinstance(value, list):
            return [self._link(v, subtree) for v in value]
        target = self.store.get(*value)
        if target is not None and value not in self.included:
            self.included[value] = {}  # reserve first: cycles in the include tree end here
            self.included[value] = self.resource(target, subtree)
        return _ref_json(value)

    def compound(self, body: dict[str, Any]) -> dict[str, Any]:
        if self.tree:
            body["included"] = list(self.included.values())
        return body


def single(store: Store, resource: Resource, include: tuple[str, ...] = ()) -> dict[str, Any]:
    renderer = Renderer(store, include)
    data = renderer.resource(resource)
    return renderer.compound({"data": data, "meta": {}})


def many(store: Store, resources: list[Resource]) -> dict[str, Any]:
    renderer = Renderer(store, ())
    return {"data": [renderer.resource(r) for r in resources], "meta": {}}


def page(request: Request, store: Store, items: list[Resource], query: ListQuery) -> dict[str, Any]:
    """One page of a list with `links` and `meta` exactly as the documented examples."""
    total = len(items)
    total_pages = math.ceil(total / query.page_size)
    start = (query.page_number - 1) * query.page_size
    chunk = items[start : start + query.page_size]
    renderer = Renderer(store, query.include)
    data = [renderer.resource(r) for r in chunk]
    links = {
        "first": _page_link(request, 1, query.page_size),
        "last": _page_link(request, total_pages, query.page_size),
    }
    if query.page_number < total_pages:
        links["next"] = _page_link(request, query.page_number + 1, query.page_size)
    if 1 < query.page_number <= total_pages + 1:
        links["prev"] = _page_link(request, query.page_number - 1, query.page_size)
    meta = {
        "current_page": query.page_number,
        "total_pages": total_pages,
        "total_count": total,
        "page_size": query.page_size,
        "max_page_size": MAX_PAGE_SIZE,
    }
    return renderer.compound({"data": data, "links": links, "meta": meta})


def _page_link(request: Request, number: int, size: int) -> str:
    params = [(k, v) for k, v in request.query_params.multi_items() if not k.startswith("page[")]
    params += [("page[number]", str(number)), ("page[size]", str(size))]
    params.sort()
    return f"{request.url.replace(query='')}?{urlencode(params)}"
