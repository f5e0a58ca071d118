"""Inbound webhooks: `POST /webhooks/clockify/{event}`, verified before anything is parsed.

Clockify sends one webhook per event type, with that webhook's `authToken` in
`Clockify-Signature` (FACTS.md); the gateway compares it in constant time with every token
in `CLOCKIFY_WEBHOOK_TOKENS`. Register each webhook with the event in its URL, e.g.
`https://gateway.example/webhooks/clockify/NEW_TIMER_STARTED`. A verified delivery
invalidates the tenant's cached entry lists and becomes changes on the event bus; the same
delivery received twice is published once (its change ids are a digest of event and body).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import orjson
from prometheus_client import Counter
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from adapters.base import Platform
from adapters.read_cache import Place, ReadCache
from gateway.config import Settings
from schema.events import Change, EventBus
from schema.ids import CLOCKIFY_ID, encode

log = logging.getLogger("timebridge.webhooks")
WEBHOOKS = Counter(
    "timebridge_webhooks",
    "Webhook deliveries received, by platform and outcome (accepted, refused, invalid)",
    ["platform", "outcome"],
)
# Clockify event -> the changes it makes: (topic, kind, type of the object's global ID).
CLOCKIFY_EVENTS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "NEW_TIMER_STARTED": (("timer", "STARTED", "Timer"), ("time_entry", "CREATED", "TimeEntry")),
    "TIMER_STOPPED": (("timer", "STOPPED", "Timer"), ("time_entry", "UPDATED", "TimeEntry")),
    "NEW_TIME_ENTRY": (("time_entry", "CREATED", "TimeEntry"),),
    "TIME_ENTRY_UPDATED": (("time_entry", "UPDATED", "TimeEntry"),),
    "TIME_ENTRY_DELETED": (("time_entry", "DELETED", "TimeEntry"),),
}
MAX_BODY = 1 << 20


def _refuse(status: int, message: str, outcome: str) -> Response:
    WEBHOOKS.labels("clockify", outcome).inc()
    return JSONResponse({"error": message}, status)


def clockify_endpoint(settings: Settings) -> Callable[[Request], Awaitable[Response]]:
    tokens = [t.reveal().encode() for t in settings.clockify.webhook_tokens]
    base_url = settings.clockify.api_url.rstrip("/")

    async def receive(request: Request) -> Response:
        event = request.path_params["event"]
        if event not in CLOCKIFY_EVENTS:
            return _refuse(404, f"no such Clockify webhook event: {event[:40]!r}", "invalid")
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > MAX_BODY:
                return _refuse(413, "the delivery is too large", "invalid")
            chunks.append(chunk)
        body = b"".join(chunks)
        sent = request.headers.get("clockify-signature", "").encode()
        # Every token is compared, in constant time, so timing tells nothing of which is near.
        matched = [hmac.compare_digest(sent, token) for token in tokens]
        if not any(matched):
            log.warning("refused a Clockify %s webhook: bad or missing Clockify-Signature", event)
            return _refuse(401, "bad or missing Clockify-Signature", "refused")
        try:
            entry: Any = orjson.loads(body)
            entry_id, workspace = str(entry["id"]), str(entry["workspaceId"])
            user = entry.get("userId")
        except (ValueError, KeyError, TypeError):
            return _refuse(400, "the delivery is not a Clockify time entry", "invalid")
        if not (CLOCKIFY_ID.fullmatch(entry_id) and CLOCKIFY_ID.fullmatch(workspace)):
            return _refuse(400, "the delivery's ids are not Clockify ids", "invalid")
        person = str(user) if isinstance(user, str) and CLOCKIFY_ID.fullmatch(user) else None
        place = Place.of(Platform.CLOCKIFY.value, base_url, workspace, "")
        cache: ReadCache | None = request.app.state.services.get("read_cache")
        if cache is not None:
            await cache.invalidate(place, "entries")
        bus: EventBus | None = request.app.state.services.get("events")
        digest = hashlib.sha256(event.encode() + b"\n" + body).hexdigest()
        for topic, kind, type_name in CLOCKIFY_EVENTS[event]:
            change = Change(
                topic=topic,
                kind=kind,
                platform=Platform.CLOCKIFY.value,
                object_id=encode(type_name, Platform.CLOCKIFY, entry_id),
                person_id=encode("Person", Platform.CLOCKIFY, person) if person else None,
                tenant=place.tenant,
                change_id=f"{digest}:{topic}",
            )
            if bus is not None:
                await bus.publish(change)
        WEBHOOKS.labels("clockify", "accepted").inc()
        return Response(status_code=204)

    return receive
