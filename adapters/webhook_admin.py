"""Registering the gateway's webhooks upstream, listing and deleting them (the
`timebridge webhooks` command): Clockify's one webhook per event, Productive's for time
entries created (7), updated (8) and deleted (9). What comes back carries each webhook's
token, which the gateway needs to verify deliveries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from adapters.clockify.client import ClockifyHttp
from adapters.productive.client import ProductiveHttp

CLOCKIFY_EVENTS = (
    "NEW_TIMER_STARTED",
    "TIMER_STOPPED",
    "NEW_TIME_ENTRY",
    "TIME_ENTRY_UPDATED",
    "TIME_ENTRY_DELETED",
    "NEW_APPROVAL_REQUEST",
    "APPROVAL_REQUEST_STATUS_UPDATED",
    "TIME_OFF_REQUESTED",
    "TIME_OFF_REQUEST_APPROVED",
    "TIME_OFF_REQUEST_REJECTED",
)
PRODUCTIVE_EVENTS = (7, 8, 9)


@dataclass(frozen=True, slots=True)
class Webhook:
    platform: str
    id: str
    event: str
    url: str
    token: str | None = None  # only known when just created


def _ours(url: str, public_url: str) -> bool:
    return url.startswith(public_url.rstrip("/") + "/webhooks/")


async def register_clockify(http: ClockifyHttp, public_url: str) -> list[Webhook]:
    base = public_url.rstrip("/")
    made = []
    for event in CLOCKIFY_EVENTS:
        body = {
            "name": f"timebridge {event}"[:30],
            "url": f"{base}/webhooks/clockify/{event}",
            "webhookEvent": event,
            "triggerSourceType": "WORKSPACE_ID",
            "triggerSource": [http.workspace_id],
        }
        hook = await http.write("POST", f"{http.ws}/webhooks", body)
        made.append(Webhook("clockify", str(hook["id"]), event, hook["url"], hook["authToken"]))
    return made


async def register_productive(
    http: ProductiveHttp, organization_id: str, public_url: str
) -> list[Webhook]:
    base = public_url.rstrip("/")
    made = []
    for event in PRODUCTIVE_EVENTS:
        url = f"{base}/webhooks/productive/{organization_id}/{event}"
        body = {
            "data": {
                "type": "webhooks",
                "attributes": {
                    "name": f"timebridge {event}",
                    "event_id": event,
                    "target_url": url,
                    "type_id": 1,
                },
            }
        }
        doc = await http.write("POST", "/webhooks", body)
        resource: Any = doc.data[0] if doc and doc.data else {}
        attrs = resource.get("attributes") or {}
        made.append(
            Webhook("productive", str(resource.get("id")), str(event), url, attrs.get("token"))
        )
    return made


async def list_clockify(http: ClockifyHttp) -> list[Webhook]:
    body = await http.get(f"{http.ws}/webhooks")
    hooks = body.get("webhooks", []) if isinstance(body, dict) else body
    return [Webhook("clockify", str(h["id"]), h["webhookEvent"], h["url"]) for h in hooks]


async def list_productive(http: ProductiveHttp) -> list[Webhook]:
    doc = await http.get_all("/webhooks", {})
    found = []
    for resource in doc.data:
        attrs: Any = resource.get("attributes") or {}
        found.append(
            Webhook(
                "productive",
                str(resource["id"]),
                str(attrs.get("event_id")),
                str(attrs.get("target_url")),
            )
        )
    return found


async def delete(
    clockify: ClockifyHttp | None, productive: ProductiveHttp | None, public_url: str
) -> list[Webhook]:
    """Delete the webhooks that call the gateway at `public_url`; return them."""
    gone = []
    if clockify is not None:
        for hook in await list_clockify(clockify):
            if _ours(hook.url, public_url):
                await clockify.write("DELETE", f"{clockify.ws}/webhooks/{hook.id}")
                gone.append(hook)
    if productive is not None:
        for hook in await list_productive(productive):
            if _ours(hook.url, public_url):
                await productive.write("DELETE", f"/webhooks/{hook.id}")
                gone.append(hook)
    return gone
