"""JSON:API documents: primary data plus `included` indexed by (type, id); no HTTP here."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Resource = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Document:
    """A parsed answer: primary resources in order, and every resource by (type, id).
    `derived` keeps what translators work out from included resources that many primary ones
    share (a service's project, a person's settings), once per document."""

    data: list[Resource]
    index: dict[tuple[str, str], Resource]
    meta: dict[str, Any]
    derived: dict[Any, Any] = field(default_factory=dict)

    @classmethod
    def parse(cls, body: Any) -> Document:
        raw = body.get("data") if isinstance(body, dict) else None
        data = raw if isinstance(raw, list) else ([raw] if isinstance(raw, dict) else [])
        index = {(r["type"], str(r["id"])): r for r in data}
        for resource in body.get("included") or [] if isinstance(body, dict) else []:
            index[(resource["type"], str(resource["id"]))] = resource
        meta = body.get("meta") if isinstance(body, dict) else None
        return cls(data, index, meta or {})

    def related(self, resource: Resource, name: str) -> Resource | None:
        ref = relationship_ref(resource, name)
        return self.index.get(ref) if ref else None

    def follow(self, resource: Resource, path: str) -> Resource | None:
        current: Resource | None = resource
        for name in path.split("."):
            current = self.related(current, name) if current else None
        return current

    def of_type(self, type_: str) -> list[Resource]:
        return [r for (t, _), r in self.index.items() if t == type_]


def relationship_ref(resource: Resource, name: str) -> tuple[str, str] | None:
    """The (type, id) a to-one relationship points at, when the answer says (it was included)."""
    return ref_in(resource.get("relationships") or {}, name)


def ref_in(relationships: dict[str, Any], name: str) -> tuple[str, str] | None:
    """`relationship_ref` on a resource's `relationships` taken once: translating a page of
    entries reads six of each one's thirteen."""
    rel = relationships.get(name)
    data = rel.get("data") if isinstance(rel, dict) else None
    if isinstance(data, dict) and data.get("id") is not None:
        return (str(data["type"]), str(data["id"]))
    return None


def relationship_id(resource: Resource, name: str) -> str | None:
    ref = relationship_ref(resource, name)
    return ref[1] if ref else None


def document(
    type_: str,
    attributes: dict[str, Any],
    relationships: dict[str, tuple[str, str]] | None = None,
    id_: str | None = None,
) -> dict[str, Any]:
    """A request document for create and update."""
    data: dict[str, Any] = {"type": type_, "attributes": attributes}
    if id_ is not None:
        data["id"] = id_
    if relationships:
        data["relationships"] = {
            name: {"data": {"type": t, "id": i}} for name, (t, i) in relationships.items()
        }
    return {"data": data}
