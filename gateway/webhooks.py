"""Inbound webhooks: `POST /webhooks/clockify/{event}` and
`POST /webhooks/productive/{organization}/{event}`, verified before anything is parsed.

Clockify sends one webhook per event type, with that webhook's `authToken` in
`Clockify-Signature` (FACTS.md); the gateway compares it in constant time with every token
in `CLOCKIFY_WEBHOOK_TOKENS`. Register each webhook with the event in its URL, e.g.
`https://gateway.example/webhooks/clockify/NEW_TIMER_STARTED`. A verified delivery
invalidates the tenant's cached entry lists and becomes changes on the event bus; the same
delivery received twice is published once (its change ids are a digest of event and body).

Productive signs each delivery: `Productive-Signature: t=<unix ts>, s=<hex HMAC-SHA256 over
"<ts>.<raw body>">` with the webhook's token (FACTS.md). The gateway tries every token in
`PRODUCTIVE_WEBHOOK_TOKENS` and refuses a timestamp further than `TIMEBRIDGE_WEBHOOK_TOLERANCE`
seconds from its clock, so a captured delivery cannot be replayed later. Register each
webhook with the organization and event in its URL: `…/webhooks/productive/<org>/7` (created),
`8` (updated), `9` (deleted).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import time
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

import orjson
from prometheus_client import Counter
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from adapters.base import Platform
from adapters.read_cache import Place, ReadCache
from gateway.config import Settings
from schema.events import Change, EventBus, approval_key, once_key
from schema.ids import CLOCKIFY_ID, PRODUCTIVE_ID, encode

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
# Clockify approval and time-off events -> which kind of request their body is.
CLOCKIFY_REQUEST_EVENTS = {
    "NEW_APPROVAL_REQUEST": "timesheet",
    "APPROVAL_REQUEST_STATUS_UPDATED": "timesheet",
    "TIME_OFF_REQUESTED": "time_off",
    "TIME_OFF_REQUEST_APPROVED": "time_off",
    "TIME_OFF_REQUEST_REJECTED": "time_off",
}
REQUEST_STATES = {
    "PENDING": "PENDING",
    "APPROVED": "APPROVED",
    "REJECTED": "REJECTED",
    "WITHDRAWN_SUBMISSION": "WITHDRAWN",
    "WITHDRAWN_APPROVAL": "WITHDRAWN",
}
PRODUCTIVE_EVENTS = {"7": "CREATED", "8": "UPDATED", "9": "DELETED"}
MAX_BODY = 1 << 20
SIGNATURE = re.compile(r"\s*t=(\d{1,12}),\s*s=([0-9a-fA-F]{64})\s*")


def _refuse(status: int, message: str, outcome: str, platform: str = "clockify") -> Response:
    WEBHOOKS.labels(platform, outcome).inc()
    return JSONResponse({"error": message}, status)


async def _body(request: Request) -> bytes | None:
    """The raw body, or None past MAX_BODY (never held in full)."""
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


async def _publish(
    request: Request, place: Place, changes: list[Change], family: str = "entries"
) -> None:
    """Drop the tenant's cached lists of that family, then tell subscribers."""
    cache: ReadCache | None = request.app.state.services.get("read_cache")
    if cache is not None:
        await cache.invalidate(place, family)
    bus: EventBus | None = request.app.state.services.get("events")
    for change in changes:
        if bus is not None:
            await bus.publish(change)


# Approval requests are cached with the entries they cover; time off on its own.
REQUEST_FAMILIES = {"timesheet": "entries", "time_off": "time-off"}


def request_change(event: str, body: bytes, base_url: str) -> tuple[Place, Change] | None:
    """An approval or time-off delivery (the request as the API answers it) as a change to
    publish, or None when it is not one. Ids are checked before any of them is used."""
    try:
        dto: Any = orjson.loads(body)
        request_id, workspace = str(dto["id"]), str(dto["workspaceId"])
        status = dto.get("status") or {}
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
    kind = CLOCKIFY_REQUEST_EVENTS[event]
    if kind == "timesheet":
        owner = (dto.get("owner") or {}).get("userId")
        state, stamp = status.get("state"), status.get("updatedAt")
        remote = f"timesheet/{request_id}"
    else:
        owner, policy = dto.get("userId"), str(dto.get("policyId"))
        state, stamp = status.get("statusType"), status.get("changedAt") or dto.get("createdAt")
        if not CLOCKIFY_ID.fullmatch(policy):
            return None
        remote = f"time_off/{policy}/{request_id}"
    if not (CLOCKIFY_ID.fullmatch(request_id) and CLOCKIFY_ID.fullmatch(workspace)):
        return None
    if state not in REQUEST_STATES:
        return None
    person = str(owner) if isinstance(owner, str) and CLOCKIFY_ID.fullmatch(owner) else None
    place = Place.of(Platform.CLOCKIFY.value, base_url, workspace, "")
    object_id = encode("Approval", Platform.CLOCKIFY, remote)
    try:
        moment = datetime.fromisoformat(str(stamp)) if stamp else None
    except ValueError:
        moment = None
    digest = hashlib.sha256(event.encode() + b"\n" + body).hexdigest()
    change = Change(
        topic="approval",
        kind=REQUEST_STATES[state],
        platform=Platform.CLOCKIFY.value,
        object_id=object_id,
        person_id=encode("Person", Platform.CLOCKIFY, person) if person else None,
        tenant=place.tenant,
        change_id=approval_key(object_id, REQUEST_STATES[state], moment) or f"{digest}:approval",
    )
    return place, change


def productive_signed(tokens: list[bytes], header: str, body: bytes, tolerance: float) -> bool:
    """Whether a delivery carries a valid, recent signature by one of `tokens`."""
    found = SIGNATURE.fullmatch(header)
    if found is None:
        return False
    stamp, sent = found.group(1), found.group(2).lower().encode()
    if abs(time.time() - int(stamp)) > tolerance:
        return False
    signed = stamp.encode() + b"." + body
    expected = [hmac.new(t, signed, hashlib.sha256).hexdigest().encode() for t in tokens]
    return any([hmac.compare_digest(sent, e) for e in expected])


def productive_endpoint(settings: Settings) -> Callable[[Request], Awaitable[Response]]:
    tokens = [t.reveal().encode() for t in settings.productive.webhook_tokens]
    base_url = settings.productive.api_url.rstrip("/")

    async def receive(request: Request) -> Response:
        event, organization = request.path_params["event"], request.path_params["organization"]
        if event not in PRODUCTIVE_EVENTS or not PRODUCTIVE_ID.fullmatch(organization):
            return _refuse(404, "no such Productive webhook", "invalid", "productive")
        body = await _body(request)
        if body is None:
            return _refuse(413, "the delivery is too large", "invalid", "productive")
        header = request.headers.get("productive-signature", "")
        if not productive_signed(tokens, header, body, settings.webhook_tolerance):
            log.warning("refused a Productive webhook: bad, old or missing Productive-Signature")
            return _refuse(401, "bad, old or missing Productive-Signature", "refused", "productive")
        try:
            data: Any = orjson.loads(body)["data"]
            entry_id = str(data["id"])
            person = ((data.get("relationships") or {}).get("person") or {}).get("data") or {}
            person_id = str(person.get("id") or "")
        except (ValueError, KeyError, TypeError, AttributeError):
            return _refuse(400, "the delivery is not a time entry", "invalid", "productive")
        if not PRODUCTIVE_ID.fullmatch(entry_id):
            return _refuse(400, "the delivery's id is not a Productive id", "invalid", "productive")
        place = Place.of(Platform.PRODUCTIVE.value, base_url, organization, "")
        digest = hashlib.sha256(event.encode() + b"\n" + body).hexdigest()
        entry = encode("TimeEntry", Platform.PRODUCTIVE, entry_id)
        change = Change(
            topic="time_entry",
            kind=PRODUCTIVE_EVENTS[event],
            platform=Platform.PRODUCTIVE.value,
            object_id=entry,
            person_id=encode("Person", Platform.PRODUCTIVE, person_id)
            if PRODUCTIVE_ID.fullmatch(person_id)
            else None,
            tenant=place.tenant,
            change_id=once_key("time_entry", PRODUCTIVE_EVENTS[event], entry)
            or f"{digest}:time_entry",
        )
        await _publish(request, place, [change])
        WEBHOOKS.labels("productive", "accepted").inc()
        return Response(status_code=204)

    return receive


def clockify_endpoint(settings: Settings) -> Callable[[Request], Awaitable[Response]]:
    tokens = [t.reveal().encode() for t in settings.clockify.webhook_tokens]
    base_url = settings.clockify.api_url.rstrip("/")

    async def receive(request: Request) -> Response:
        event = request.path_params["event"]
        if event not in CLOCKIFY_EVENTS and event not in CLOCKIFY_REQUEST_EVENTS:
            return _refuse(404, f"no such Clockify webhook event: {event[:40]!r}", "invalid")
        body = await _body(request)
        if body is None:
            return _refuse(413, "the delivery is too large", "invalid")
        sent = request.headers.get("clockify-signature", "").encode()
        # Every token is compared, in constant time, so timing tells nothing of which is near.
        matched = [hmac.compare_digest(sent, token) for token in tokens]
        if not any(matched):
            log.warning("refused a Clockify %s webhook: bad or missing Clockify-Signature", event)
            return _refuse(401, "bad or missing Clockify-Signature", "refused")
        if event in CLOCKIFY_REQUEST_EVENTS:
            found = request_change(event, body, base_url)
            if found is None:
                return _refuse(400, "the delivery is not a Clockify request", "invalid")
            place, change = found
            await _publish(
                request, place, [change], REQUEST_FAMILIES[CLOCKIFY_REQUEST_EVENTS[event]]
            )
            WEBHOOKS.labels("clockify", "accepted").inc()
            return Response(status_code=204)
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
        digest = hashlib.sha256(event.encode() + b"\n" + body).hexdigest()
        changes = [
            Change(
                topic=topic,
                kind=kind,
                platform=Platform.CLOCKIFY.value,
                object_id=encode(type_name, Platform.CLOCKIFY, entry_id),
                person_id=encode("Person", Platform.CLOCKIFY, person) if person else None,
                tenant=place.tenant,
                change_id=once_key(topic, kind, encode(type_name, Platform.CLOCKIFY, entry_id))
                or f"{digest}:{topic}",
            )
            for topic, kind, type_name in CLOCKIFY_EVENTS[event]
        ]
        await _publish(request, place, changes)
        WEBHOOKS.labels("clockify", "accepted").inc()
        return Response(status_code=204)

    return receive
