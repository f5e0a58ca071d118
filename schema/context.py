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

Adapters = tuple[ProductiveAdapter | None, ClockifyAdapter | None]


@dataclass
class Context:
    """Built by the gateway for each GraphQL request; never shared between requests.

    The adapters (and the loaders over them) are made when a resolver first asks for them:
    many requests (`{ __typename }`, an introspection, a refused document) need none, and
    making two HTTP clients and their reads cost more than such a request's execution."""

    make_adapters: Callable[[], Adapters]
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
    # Relations a field's selection asks of its entries, once per field of the document
    # (schema/selection.py `selected_relations`)
    selections: dict[Any, Any] = field(default_factory=dict)
    _adapters: Adapters | None = field(default=None, init=False, repr=False)
    _loaders: Loaders | None = field(default=None, init=False, repr=False)

    def _made(self) -> Adapters:
        if self._adapters is None:
            self._adapters = self.make_adapters()
            # Made with them: the loaders hear of every record an adapter's answer includes.
            self._loaders = Loaders(*self._adapters)
        return self._adapters

    @property
    def productive(self) -> ProductiveAdapter | None:
        return self._made()[0]

    @property
    def clockify(self) -> ClockifyAdapter | None:
        return self._made()[1]

    @property
    def loaders(self) -> Loaders:
        self._made()
        assert self._loaders is not None
        return self._loaders

    def renew(self) -> None:
        """Fresh adapters, loaders and deadline, for the next change a subscription resolves
        (`services["renew"]`, set for WebSocket connections, builds them)."""
        factory = self.services.get("renew")
        if factory is None:
            return
        fresh: Context = factory()
        self.make_adapters, self._adapters, self._loaders = fresh.make_adapters, None, None
        self.remaining, self.cache_use = fresh.remaining, fresh.cache_use

    def release(self) -> None:
        """Once the request is answered: nothing of it is read again, so what it read is let
        go at once (see Loaders.release) and the request it refers back to with it."""
        self.services.pop("renew", None)
        self.selections.clear()
        if self._loaders is not None:
            self._loaders.release()
        for adapter in self._adapters or ():
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
