"""GraphQL over HTTP as the spec says, GraphiQL served locally, health and readiness."""

from __future__ import annotations

import re

from gateway.servers import bind
from gateway.upstream_settings import ClockifySettings
from tests.stack import Stack, gateway_for

QUERY = "{ people(first: 1) { totalCount } }"


def test_post_json_answers_200_json(stack: Stack) -> None:
    response = stack.client.post(stack.url, json={"query": QUERY})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["data"]["people"]["totalCount"] == 18


def test_get_runs_queries(stack: Stack) -> None:
    response = stack.client.get(
        stack.url, params={"query": QUERY}, headers={"Accept": "application/json"}
    )
    assert response.status_code == 200 and response.json()["data"]["people"]["totalCount"] == 18


def test_unsupported_media_type_is_415(stack: Stack) -> None:
    response = stack.client.post(stack.url, content=QUERY, headers={"Content-Type": "text/plain"})
    assert response.status_code == 415
    assert response.json()["errors"][0]["extensions"]["code"] == "UNSUPPORTED_MEDIA_TYPE"


def test_malformed_json_is_400_with_a_json_error(stack: Stack) -> None:
    response = stack.client.post(
        stack.url, content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert "JSON" in response.json()["errors"][0]["message"]


def test_other_methods_are_405(stack: Stack) -> None:
    response = stack.client.put(stack.url, json={"query": QUERY})
    assert response.status_code == 405


def test_graphql_response_media_type_gives_400_for_invalid_documents(stack: Stack) -> None:
    headers = {"Accept": "application/graphql-response+json"}
    invalid = stack.client.post(stack.url, json={"query": "{ nope }"}, headers=headers)
    assert invalid.status_code == 400
    assert invalid.headers["content-type"].startswith("application/graphql-response+json")
    assert invalid.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    valid = stack.client.post(stack.url, json={"query": QUERY}, headers=headers)
    assert valid.status_code == 200
    legacy = stack.client.post(stack.url, json={"query": "{ nope }"})
    assert legacy.status_code == 200 and "data" not in legacy.json()  # before execution


def test_syntax_errors_are_coded(stack: Stack) -> None:
    body = stack.client.post(stack.url, json={"query": "{ people( }"}).json()
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"


def test_graphiql_page_and_assets_come_from_the_gateway(stack: Stack) -> None:
    page = stack.client.get(stack.url, headers={"Accept": "text/html"})
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert sources and all(s.startswith("/graphiql/assets/") for s in sources)
    assert "https://" not in page.text and "unpkg" not in page.text
    base = stack.demo.gateway.url
    for source in sources:
        asset = stack.client.get(f"{base}{source}")
        assert asset.status_code == 200 and len(asset.content) > 1000
    assert stack.client.get(f"{base}/graphiql/assets/../../pyproject.toml").status_code == 404


def test_healthz_and_readyz(stack: Stack) -> None:
    base = stack.demo.gateway.url
    assert stack.client.get(f"{base}/healthz").json() == {"status": "ok", "subscribers": 0}
    ready = stack.client.get(f"{base}/readyz")
    assert ready.status_code == 200
    body = ready.json()
    for probe in body["upstreams"].values():
        probe.pop("cachedSeconds", None)  # an earlier test may have warmed the cache
    assert body == {
        "status": "ready",
        "upstreams": {
            "productive": {"configured": True, "reachable": True},
            "clockify": {"configured": True, "reachable": True},
        },
        "idempotencyStore": {"kind": "memory", "reachable": True},
        "persistedQueries": {"kind": "memory", "reachable": True},
    }


def test_readyz_names_an_unreachable_upstream(stack: Stack) -> None:
    closed = bind()
    url = f"http://127.0.0.1:{closed.getsockname()[1]}"
    closed.close()
    settings = stack.demo.settings.with_overrides(
        clockify=ClockifySettings(
            api_url=url,
            reports_url=url,
            api_key=stack.demo.settings.clockify.api_key,
            workspace_id="0123456789abcdef01234567",
        )
    )
    with gateway_for(settings) as gateway:
        ready = stack.client.get(f"{gateway}/readyz")
    assert ready.status_code == 503
    upstreams = ready.json()["upstreams"]
    assert upstreams["productive"]["reachable"] is True
    assert upstreams["clockify"] == {
        "configured": True,
        "reachable": False,
        "error": "UPSTREAM_UNAVAILABLE",
        "upstreamStatus": None,
    }


def test_per_request_credentials_are_refused_when_disabled(stack: Stack) -> None:
    response = stack.client.post(
        stack.url, json={"query": QUERY}, headers={"X-Clockify-Api-Key": "someone-elses"}
    )
    assert response.status_code == 403
    assert "TIMEBRIDGE_REQUEST_CREDENTIALS" in response.json()["errors"][0]["message"]
    assert "someone-elses" not in response.text


def test_mutations_over_get_are_405(stack: Stack) -> None:
    mutation = "mutation { stopTimer(input: {platform: CLOCKIFY}) { userErrors { code } } }"
    response = stack.client.get(
        stack.url, params={"query": mutation}, headers={"Accept": "application/json"}
    )
    assert response.status_code == 405 and response.headers["allow"] == "POST"
    assert stack.counts() == (0, 0)


def test_cors_preflight_allows_configured_origins_only(stack: Stack) -> None:
    settings = stack.demo.settings.with_overrides(cors_origins=("https://app.example.com",))
    with gateway_for(settings) as gateway:
        allowed = stack.client.options(
            f"{gateway}/graphql",
            headers={
                "Origin": "https://app.example.com",
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "content-type,x-clockify-api-key",
            },
        )
        other = stack.client.options(
            f"{gateway}/graphql",
            headers={"Origin": "https://evil.example.com", "Access-Control-Request-Method": "POST"},
        )
        answer = stack.client.post(
            f"{gateway}/graphql",
            json={"query": QUERY},
            headers={"Origin": "https://app.example.com"},
        )
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == "https://app.example.com"
    assert "x-clockify-api-key" in allowed.headers["access-control-allow-headers"].lower()
    assert other.status_code == 400
    assert answer.headers["access-control-allow-origin"] == "https://app.example.com"


def test_too_deep_queries_are_refused_before_any_upstream_call(stack: Stack) -> None:
    nested = "linkedAccounts { " * 10 + "name" + " }" * 10
    deep = "{ people { edges { node { " + nested + " } } } }"
    body = stack.client.post(stack.url, json={"query": deep}).json()
    assert body["errors"][0]["extensions"] == {
        "code": "OPERATION_TOO_COMPLEX",
        "limit": "maxDepth",
        "max": 12,
        "value": 14,
    }
    assert stack.counts() == (0, 0)


def test_readyz_caches_upstream_probes_and_reports_the_stores(stack: Stack) -> None:
    base = stack.url.removesuffix("/graphql")
    first = stack.client.get(f"{base}/readyz").json()
    before = stack.counts()
    second = stack.client.get(f"{base}/readyz").json()
    assert stack.counts() == before  # answered from the cached probes
    assert "cachedSeconds" in second["upstreams"]["productive"]
    assert first["status"] == second["status"] == "ready"
    assert second["idempotencyStore"]["reachable"] and second["persistedQueries"]["reachable"]
