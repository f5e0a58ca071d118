"""Automatic persisted queries, as Apollo's protocol has them: a client sends the SHA-256 of its
document in `extensions.persistedQuery`; an unknown hash answers `PersistedQueryNotFound`, and
the client sends the document once with its hash, which is checked and stored. In allow-list
mode (trusted documents) only documents loaded at start are served, and nothing is stored.

Stores: in memory (bounded, per replica), or Redis so that every replica knows a document once
one has seen it. Documents are not secrets and are keyed by their own hash, so one store serves
every caller."""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from dataclasses import replace
from pathlib import Path
from typing import Any, Protocol

from graphql import GraphQLError
from strawberry.http import GraphQLRequestData

from gateway.config import ConfigError

PREFIX = "timebridge:apq:"
TTL_SECONDS = 7 * 24 * 3600


class PersistedQueryStore(Protocol):
    async def get(self, digest: str) -> str | None: ...

    async def put(self, digest: str, query: str) -> None: ...


class MemoryQueries:
    """The most recently used documents, at most `size` of them."""

    def __init__(self, size: int = 10_000) -> None:
        self._documents: OrderedDict[str, str] = OrderedDict()
        self._size = size

    async def get(self, digest: str) -> str | None:
        found = self._documents.get(digest)
        if found is not None:
            self._documents.move_to_end(digest)
        return found

    async def put(self, digest: str, query: str) -> None:
        self._documents[digest] = query
        self._documents.move_to_end(digest)
        while len(self._documents) > self._size:
            self._documents.popitem(last=False)


class RedisQueries:
    """Documents shared by replicas, kept a week after their last store."""

    def __init__(self, url: str) -> None:
        from redis.asyncio import Redis

        self._redis: Any = Redis.from_url(url, socket_timeout=2.0, socket_connect_timeout=2.0)

    async def get(self, digest: str) -> str | None:
        found = await self._redis.get(PREFIX + digest)
        return None if found is None else bytes(found).decode()

    async def put(self, digest: str, query: str) -> None:
        await self._redis.set(PREFIX + digest, query.encode(), ex=TTL_SECONDS)

    async def close(self) -> None:
        await self._redis.aclose()


class PersistedQueryError(Exception):
    """Answered as one GraphQL request error with the code Apollo's link looks for."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.error = GraphQLError(message, extensions={"code": code})


def digest_of(query: str) -> str:
    return hashlib.sha256(query.encode()).hexdigest()


def load_trusted(path: Path) -> dict[str, str]:
    """A trusted-documents file: a JSON object of hash → document, or a list of documents."""
    try:
        loaded = json.loads(path.read_text())
    except (OSError, ValueError) as error:
        raise ConfigError(f"TIMEBRIDGE_TRUSTED_DOCUMENTS: cannot read {path}: {error}") from None
    documents = list(loaded.values()) if isinstance(loaded, dict) else loaded
    if not isinstance(documents, list) or not all(isinstance(d, str) for d in documents):
        raise ConfigError("TIMEBRIDGE_TRUSTED_DOCUMENTS must hold documents as JSON strings")
    trusted = {digest_of(d): d for d in documents}
    if isinstance(loaded, dict) and any(digest not in trusted for digest in loaded):
        raise ConfigError("TIMEBRIDGE_TRUSTED_DOCUMENTS: a key is not its document's SHA-256")
    return trusted


class PersistedQueries:
    """Resolves a request's document from its hash, storing new ones when allowed."""

    def __init__(self, store: PersistedQueryStore, trusted: dict[str, str] | None = None) -> None:
        self.store = store
        self.trusted = trusted  # allow-list mode when set

    async def resolve(self, data: GraphQLRequestData) -> GraphQLRequestData:
        persisted = (data.extensions or {}).get("persistedQuery")
        if persisted is None:
            trusted = self.trusted
            if (
                trusted is not None
                and data.query is not None
                and digest_of(data.query) not in trusted
            ):
                raise PersistedQueryError(
                    "Only trusted documents are served here", "PERSISTED_QUERY_NOT_ALLOWED"
                )
            return data
        if not isinstance(persisted, dict) or persisted.get("version") != 1:
            raise PersistedQueryError(
                "Unsupported persisted query version", "PERSISTED_QUERY_NOT_SUPPORTED"
            )
        digest = persisted.get("sha256Hash")
        if not isinstance(digest, str) or len(digest) != 64:
            raise PersistedQueryError("sha256Hash must be 64 hex characters", "BAD_REQUEST")
        digest = digest.lower()
        if data.query is None:
            known = (
                self.trusted.get(digest)
                if self.trusted is not None
                else await self.store.get(digest)
            )
            if known is None:
                raise PersistedQueryError("PersistedQueryNotFound", "PERSISTED_QUERY_NOT_FOUND")
            return replace(data, query=known)
        if digest_of(data.query) != digest:
            raise PersistedQueryError("provided sha does not match query", "BAD_REQUEST")
        if self.trusted is not None:
            if digest not in self.trusted:
                raise PersistedQueryError(
                    "Only trusted documents are served here", "PERSISTED_QUERY_NOT_ALLOWED"
                )
        else:
            await self.store.put(digest, data.query)
        return data


def persisted_queries(setting: str, trusted: Path | None) -> PersistedQueries | None:
    """From TIMEBRIDGE_PERSISTED_QUERIES ('memory', a redis:// URL, or 'off')."""
    documents = load_trusted(trusted) if trusted is not None else None
    if setting == "off" and documents is None:
        return None
    store: PersistedQueryStore = (
        RedisQueries(setting) if setting.startswith(("redis://", "rediss://")) else MemoryQueries()
    )
    return PersistedQueries(store, documents)
