"""A gateway per idempotency store (memory, Redis), for the retry and lost-answer tests."""

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


@pytest.fixture(params=["memory", "redis"])
def store_url(request: pytest.FixtureRequest) -> str:
    if request.param == "redis":
        require_redis()
        return REDIS_URL
    return "memory"


@pytest.fixture
def gateway(stack: Stack, store_url: str) -> Iterator[str]:
    """A gateway with request credentials on, and the store under test."""
    settings = stack.demo.settings.with_overrides(
        request_credentials=True, idempotency_store=store_url
    )
    with gateway_for(settings) as url:
        yield f"{url}/graphql"
