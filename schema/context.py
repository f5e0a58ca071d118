"""What resolvers get per request: the configured adapters, fresh loaders, partial errors."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from graphql import GraphQLError

from adapters.base import Platform, TimeTrackingAdapter
from adapters.clockify.adapter import ClockifyAdapter
from adapters.errors import NotConfigured
from adapters.productive.adapter import ProductiveAdapter
from adapters.read_cache import CacheUse
from schema.loaders import Loaders
from schema.mutations.attempts import Attempt


@dataclass
class Context:
    """Built by the gateway for each GraphQL request; never shared between requests."""

    productive: ProductiveAdapter | None
    clockify: ClockifyAdapter | None
    loaders: Loaders
    scope: str = ""
    services: dict[str, Any] = field(default_factory=dict)
    partial_errors: list[GraphQLError] = field(default_factory=list)
    attempt: Attempt = field(default_factory=Attempt)
    remaining: Callable[[], float] = lambda: 30.0
    request_id: str = ""
    operation_type: str | None = None  # set once the document is parsed (for metrics)
    operation_name: str | None = None  # the operation that ran, named or not in the request
    cache_use: CacheUse = field(default_factory=CacheUse)  # what the read cache served
    connection_params: dict[str, Any] | None = None  # a WebSocket's `connection_init` payload
    # Field arguments converted once per field node of the document (schema/direct_resolvers)
    arguments: dict[tuple[int, int], tuple[Any, Any, Any, dict[str, Any]]] = field(
        default_factory=dict
    )

    def renew(self) -> None:
        """Fresh adapters, loaders and deadline, for the next change a subscription resolves
        (`services["renew"]`, set for WebSocket connections, builds them)."""
        factory = self.services.get("renew")
        if factory is None:
            return
        fresh: Context = factory()
        self.productive, self.clockify, self.loaders = (
            fresh.productive,
            fresh.clockify,
            fresh.loaders,
        )
        self.remaining, self.cache_use = fresh.remaining, fresh.cache_use

    def release(self) -> None:
        """Once the request is answered: nothing of it is read again, so what it read is let
        go at once (see Loaders.release) and the request it refers back to with it."""
        self.loaders.release()
        self.services.pop("renew", None)
        for adapter in (self.productive, self.clockify):
            if adapter is not None:
                adapter.http.upstream.release()

    def adapter(self, platform: Platform) -> Any:
        adapter = self.productive if platform is Platform.PRODUCTIVE else self.clockify
        if adapter is None:
            raise NotConfigured(platform.value, "not configured")
        return adapter

    def adapters(self) -> list[TimeTrackingAdapter]:
        """The configured adapters, typed by the Protocol both satisfy (mypy checks it)."""
        found: list[TimeTrackingAdapter] = []
        if self.productive is not None:
            found.append(self.productive)
        if self.clockify is not None:
            found.append(self.clockify)
        return found

    def configured(self) -> list[Platform]:
        return [adapter.platform for adapter in self.adapters()]
