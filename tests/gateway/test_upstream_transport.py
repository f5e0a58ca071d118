"""Both upstream transports honour the proxy the environment names, as httpx does: HTTP_PROXY
is where the calls go, and NO_PROXY exempts hosts from it."""

from __future__ import annotations

import pytest

from gateway.servers import bind
from tests.stack import Stack, gateway_for

QUERY = "{ people(first: 5) { edges { node { platform name } } } }"
PROXY_VARIABLES = ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY")


@pytest.mark.parametrize("transport", ["aiohttp", "httpcore"])
def test_upstream_calls_go_through_the_environment_s_proxy_unless_no_proxy_says(
    stack: Stack, monkeypatch: pytest.MonkeyPatch, transport: str
) -> None:
    for name in (*PROXY_VARIABLES, "NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    closed = bind()
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{closed.getsockname()[1]}")
    closed.close()  # a proxy nobody answers on: a call sent to it fails
    settings = stack.demo.settings.with_overrides(upstream_transport=transport)
    stack.reset()
    with gateway_for(settings) as url:
        body = stack.client.post(f"{url}/graphql", json={"query": QUERY}).json()
    assert {e["extensions"]["code"] for e in body["errors"]} == {"UPSTREAM_UNAVAILABLE"}
    assert stack.productive.log.records == stack.clockify.log.records == []

    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    with gateway_for(settings) as url:
        body = stack.client.post(f"{url}/graphql", json={"query": QUERY}).json()
    assert "errors" not in body, body["errors"]
    assert body["data"]["people"]["edges"]
