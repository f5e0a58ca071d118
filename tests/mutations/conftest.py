"""A gateway per idempotency store (memory, Redis), for the retry and lost-answer tests; each
store's gateway carries its upstream calls differently (aiohttp, httpx's own httpcore), so
both transports are shown to report a lost answer as lost."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
import redis

from tests.stack import Stack, gateway_for

REDIS_URL = "redis://127.0.0.1:6379/15"


def redis_available() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.exceptions.ConnectionError:
        return False


def require_redis() -> None:
    if not redis_available():
        if os.environ.get("CI"):
            pytest.fail("Redis at 127.0.0.1:6379 is needed (.ci/run starts it)")
        pytest.skip("Redis at 127.0.0.1:6379 is not running")


@pytest.fixture(params=[("memory", "aiohttp"), ("redis", "httpcore")], ids=["memory", "redis"])
def store_and_transport(request: pytest.FixtureRequest) -> tuple[str, str]:
    store, transport = request.param
    if store == "redis":
        require_redis()
        return REDIS_URL, transport
    return store, transport


@pytest.fixture
def gateway(stack: Stack, store_and_transport: tuple[str, str]) -> Iterator[str]:
    """A gateway with request credentials on, and the store and transport under test."""
    store_url, transport = store_and_transport
    settings = stack.demo.settings.with_overrides(
        request_credentials=True, idempotency_store=store_url, upstream_transport=transport
    )
    with gateway_for(settings) as url:
        yield f"{url}/graphql"
