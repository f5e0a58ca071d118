"""Productive webhooks: create, list, get and delete them (`/webhooks` in
productive-api-reference.json: `event_id`, `name`, `target_url`, `type_id`, `custom_headers`),
and deliver time-entry events (created 7, updated 8, deleted 9, FACTS.md) signed as
documented: `Productive-Signature: t=<unix ts>, s=<hex HMAC-SHA256 over "<ts>.<raw body>">`
with the webhook's token.

The docs show neither the token's attribute nor a delivery body: the created webhook carries
its `token`, and a delivery is the entry as a JSON:API document with its person included and
the event in `meta`.
Delivery faults are the same settings as Clockify's (`WebhookFaults`).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from typing import TYPE_CHECKING, Any

import orjson
from starlette.requests import Request
from starlette.responses import Response

from simulators.productive import documents
from simulators.productive.bodies import data_attributes, read_document
from simulators.productive.errors import invalid_attribute, json_api, not_found
from simulators.productive.store import Resource
from simulators.webhook_delivery import send_later

if TYPE_CHECKING:
    from simulators.productive.app import ProductiveSimulator

CREATED, UPDATED, DELETED = 7, 8, 9


def sign(token: str, timestamp: int, body: bytes) -> str:
    """The documented signature header for a delivery."""
    digest = hmac.new(token.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp}, s={digest.hexdigest()}"


async def create_webhook(sim: ProductiveSimulator, request: Request) -> Response:
    attrs = data_attributes(await read_document(request))
    if not str(attrs.get("target_url") or "").startswith(("http://", "https://")):
        raise invalid_attribute("data/attributes/target_url", "attribute is invalid")
    try:
        event = int(attrs.get("event_id"))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise invalid_attribute("data/attributes/event_id", "attribute is invalid") from None
    hook = sim.store.add(
        Resource(
            "webhooks",
            sim.store.next_id(),
            {
                "name": str(attrs.get("name") or "webhook"),
                "event_id": event,
                "target_url": str(attrs["target_url"]),
                "type_id": attrs.get("type_id") or 1,
                "custom_headers": attrs.get("custom_headers") or {},
                "state_id": 1,
                "token": secrets.token_hex(24),
            },
            {},
        )
    )
    return json_api(documents.single(sim.store, hook), 201)


async def list_webhooks(sim: ProductiveSimulator, request: Request) -> Response:
    return json_api(documents.many(sim.store, sim.store.all("webhooks")))


def _hook(sim: ProductiveSimulator, request: Request) -> Resource:
    hook = sim.store.get("webhooks", request.path_params["id"])
    if hook is None:
        raise not_found()
    return hook


async def get_webhook(sim: ProductiveSimulator, request: Request) -> Response:
    return json_api(documents.single(sim.store, _hook(sim, request)))


async def delete_webhook(sim: ProductiveSimulator, request: Request) -> Response:
    sim.store.delete("webhooks", _hook(sim, request).id)
    return Response(status_code=204)


def notify(sim: ProductiveSimulator, event: int, entry: Resource) -> None:
    """Deliver `event` about `entry` to every webhook registered for it."""
    hooks = [h for h in sim.store.all("webhooks") if h.attributes["event_id"] == event]
    if not hooks:
        return
    body = documents.single(sim.store, entry, ("person",))
    body["meta"] = {"event_id": event}
    raw = orjson.dumps(body)
    for hook in hooks:
        attrs: dict[str, Any] = hook.attributes

        def headers(attrs: dict[str, Any] = attrs) -> dict[str, str]:
            return {
                **{str(k): str(v) for k, v in dict(attrs["custom_headers"]).items()},
                "Content-Type": "application/json",
                "Productive-Signature": sign(attrs["token"], int(time.time()), raw),
            }

        send_later(sim.settings.webhooks, sim.deliveries, attrs["target_url"], raw, headers)


ROUTES = [
    ("POST", "/webhooks", create_webhook),
    ("GET", "/webhooks", list_webhooks),
    ("GET", "/webhooks/{id}", get_webhook),
    ("DELETE", "/webhooks/{id}", delete_webhook),
]
