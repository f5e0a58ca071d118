"""The Relay `Node` interface and `PlatformObject`, which every upstream-backed type implements."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.scalars import JSON

from schema.enums import PlatformName
from schema.ids import encode

RAW = (
    "The upstream record exactly as received, for fields the unified model lacks. Its shape "
    "is the platform's, and may differ by how the record was read."
)


@strawberry.interface(description="An object with a globally unique, opaque ID (Relay Node).")
class Node:
    record: strawberry.Private[Any]

    @strawberry.field(description="Opaque global ID; pass it to `node(id:)` to fetch again.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(self.global_id())

    def global_id(self) -> str:
        return encode(self.id_type(), self.record.platform, self.id_remote())

    def id_type(self) -> str:
        return type(self).__name__

    def id_remote(self) -> str:
        return str(self.record.remote_id)


@strawberry.interface(description="An object read from Productive or Clockify.")
class PlatformObject(Node):
    @strawberry.field(description="The platform this object lives on.")
    def platform(self) -> PlatformName:
        return PlatformName.of(self.record.platform)

    @strawberry.field(description="The platform's own ID for this object.")
    def remote_id(self) -> str:
        return str(self.record.remote_id)

    @strawberry.field(description=RAW)
    def raw(self) -> JSON | None:
        return self.record.raw  # type: ignore[no-any-return]
