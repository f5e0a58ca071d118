"""List parameters of Productive's JSON:API: filter[...] with operators, sort, page and include.

Which filters and sorts each endpoint accepts comes from the official reference
(`specs/productive-api-reference.json`); which of those the simulator can evaluate is below.
An accepted filter the simulator cannot evaluate is refused with 400, never ignored.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from importlib import resources
from typing import Any

from starlette.datastructures import QueryParams

from simulators.productive.errors import (
    ApiError,
    simple,
    unsupported_filter,
    unsupported_filter_value,
)
from simulators.productive.store import KINDS, Resource, Store

OPERATORS = ("eq", "not_eq", "contains", "not_contain", "gt", "gt_eq", "lt", "lt_eq")
DEFAULT_PAGE_SIZE = 30
MAX_PAGE_SIZE = 200
_FILTER_KEY = re.compile(r"^filter\[([^\]]+)\](?:\[([^\]]+)\])?$")

Getter = Callable[[Resource, Store], Any]


@dataclass(frozen=True, slots=True)
class Filter:
    """How the simulator evaluates one filter: the value it reads and the type it parses."""

    getter: Getter
    value_type: str = "integer"  # integer | string | date | datetime | boolean
    implied_op: str | None = None  # `after` means gt_eq on the date, `before` lt_eq


@dataclass(frozen=True, slots=True)
class Condition:
    name: str
    op: str
    values: tuple[Any, ...]
    spec: Filter


@dataclass(frozen=True, slots=True)
class ListQuery:
    """A parsed list request."""

    conditions: tuple[Condition, ...]
    sort: tuple[str, ...]
    page_number: int
    page_size: int
    include: tuple[str, ...]


@cache
def reference() -> dict[str, Any]:
    text = resources.files("simulators").joinpath("specs/productive-api-reference.json")
    loaded: dict[str, Any] = json.loads(text.read_text())
    return loaded


def documented_filters(path: str) -> dict[str, Any]:
    filters: dict[str, Any] = reference()[path]["methods"]["GET"].get("filters", {})
    return filters


def documented_sorts(path: str) -> set[str]:
    sorts = reference()[path]["methods"]["GET"].get("sort")
    return {s.lstrip("-") for s in sorts} if sorts else set()


def attr(name: str) -> Getter:
    return lambda r, s: r.attributes.get(name)


def rel(name: str) -> Getter:
    return lambda r, s: r.ref_id(name)


def path_id(path: str) -> Getter:
    def get(r: Resource, s: Store) -> Any:
        target = s.follow(r, path)
        return target.id if target else None

    return get


def parse_list_query(
    params: QueryParams,
    *,
    resource_type: str,
    reference_path: str,
    filters: dict[str, Filter],
    extra_filters: set[str] = frozenset(),  # type: ignore[assignment]
    extra_sorts: set[str] = frozenset(),  # type: ignore[assignment]
) -> ListQuery:
    """Validate and parse filter/sort/page/include as Productive does, raising its error bodies."""
    accepted = set(documented_filters(reference_path)) | set(extra_filters)
    conditions: list[Condition] = []
    for key, raw in params.multi_items():
        if not key.startswith("filter["):
            continue
        match = _FILTER_KEY.match(key)
        if not match:
            raise simple(400, "Invalid Filter", f"Malformed filter parameter '{key}'")
        name, op = match.group(1), match.group(2)
        if name.startswith("$") or name.isdigit():
            raise simple(400, "Unsupported Filter", "Boolean filter groups are not simulated")
        if name not in accepted:
            raise unsupported_filter(name)
        spec = filters.get(name)
        if spec is None:
            raise simple(
                400,
                "Unsupported Filter",
                f"Filter '{name}' is documented but not evaluated by the simulator",
            )
        if op is not None and op not in OPERATORS:
            raise simple(400, "Unsupported Filter", f"Operator '{op}' is not supported")
        op = op or spec.implied_op or "eq"
        values = tuple(_parse_value(name, v, spec.value_type) for v in raw.split(","))
        conditions.append(Condition(name, op, values, spec))
    sort = _parse_sort(params.get("sort"), documented_sorts(reference_path) | set(extra_sorts))
    number = _positive_int(params.get("page[number]"), 1, "page[number]")
    size = min(
        _positive_int(params.get("page[size]"), DEFAULT_PAGE_SIZE, "page[size]"), MAX_PAGE_SIZE
    )
    include = parse_include(params.get("include"), resource_type)
    return ListQuery(tuple(conditions), sort, number, size, include)


def parse_include(raw: str | None, resource_type: str) -> tuple[str, ...]:
    """Check every dotted include path against the relationships each type may include."""
    if not raw:
        return ()
    paths = tuple(p.strip() for p in raw.split(",") if p.strip())
    for path in paths:
        kind = KINDS[resource_type]
        for segment in path.split("."):
            if segment not in kind.includes:
                raise simple(
                    400,
                    "Unsupported Include",
                    f"Include '{path}' is not supported on this endpoint",
                )
            kind = KINDS.get(kind.targets.get(segment, ""), KINDS["approval_statuses"])
    return paths


def apply(query: ListQuery, items: list[Resource], store: Store) -> list[Resource]:
    selected = [r for r in items if all(_holds(c, r, store) for c in query.conditions)]
    for key in reversed(query.sort or ("id",)):
        descending = key.startswith("-")
        name = key.lstrip("-")
        selected.sort(key=lambda r, n=name: _sort_key(r, n), reverse=descending)  # type: ignore[misc]
    return selected


def _sort_key(resource: Resource, name: str) -> tuple[int, Any]:
    if name == "id":
        return (0, int(resource.id))
    attributes = resource.attributes
    if name == "name" and "first_name" in attributes:
        return (0, f"{attributes['first_name']} {attributes['last_name']}")
    value = attributes.get(name)
    return (1, "") if value is None else (0, value)


def _parse_sort(raw: str | None, allowed: set[str]) -> tuple[str, ...]:
    if not raw:
        return ()
    keys = tuple(k.strip() for k in raw.split(",") if k.strip())
    for key in keys:
        if key.lstrip("-") not in allowed:
            raise simple(400, "Unsupported Sort", f"Sort '{key.lstrip('-')}' is not supported")
    return keys


def _positive_int(raw: str | None, default: int, name: str) -> int:
    if raw is None:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise ApiError(
            400,
            [
                {
                    "status": "400",
                    "title": "Invalid Page Parameter",
                    "detail": f"'{raw}' is not a valid value for {name}",
                    "source": {"parameter": name},
                }
            ],
        )
    return int(raw)


def _parse_value(name: str, raw: str, value_type: str) -> Any:
    raw = raw.strip()
    try:
        if value_type == "integer":
            return str(int(raw))
        if value_type == "date":
            return date.fromisoformat(raw).isoformat()
        if value_type == "datetime":
            return datetime.fromisoformat(raw.replace("Z", "+00:00"))
        if value_type == "boolean":
            if raw not in ("true", "false"):
                raise ValueError(raw)
            return raw == "true"
    except ValueError:
        expected = {
            "integer": "Integer",
            "date": "Date",
            "datetime": "DateTime",
            "boolean": "Boolean",
        }
        raise unsupported_filter_value(name, raw, expected[value_type]) from None
    return raw


def _holds(cond: Condition, resource: Resource, store: Store) -> bool:
    actual = cond.spec.getter(resource, store)
    if isinstance(actual, datetime) or (
        cond.spec.value_type == "datetime" and isinstance(actual, str)
    ):
        actual = datetime.fromisoformat(actual) if isinstance(actual, str) else actual
    if isinstance(actual, list | tuple | set | frozenset):
        # A to-many value (an entry's approvers): eq holds when any of them is asked for.
        found = any(str(a) in cond.values for a in actual)
        if cond.op in ("eq", "contains"):
            return found
        if cond.op in ("not_eq", "not_contain"):
            return not found
        return False
    if cond.spec.value_type == "integer" and actual is not None and not isinstance(actual, str):
        actual = str(actual)
    if cond.op == "eq":
        return actual in cond.values
    if cond.op == "not_eq":
        return actual not in cond.values
    if cond.op in ("contains", "not_contain"):
        text = str(actual or "").lower()
        found = any(str(v).lower() in text for v in cond.values)
        return found if cond.op == "contains" else not found
    if actual is None:
        return False
    target = cond.values[0]
    if cond.spec.value_type == "integer":
        actual, target = int(actual), int(target)
    comparisons: dict[str, Callable[[Any, Any], bool]] = {
        "gt": lambda a, b: a > b,
        "gt_eq": lambda a, b: a >= b,
        "lt": lambda a, b: a < b,
        "lt_eq": lambda a, b: a <= b,
    }
    return comparisons[cond.op](actual, target)
