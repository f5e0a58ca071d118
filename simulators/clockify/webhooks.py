"""Clockify webhooks: register, list and delete them (clockify-api-v1.txt, "Create
webhooks"), and deliver time-entry and timer events to their URLs, each carrying the
webhook's `authToken` in `Clockify-Signature` (FACTS.md).

The body of a delivery is the time entry (the docs show none; this is the entry's DTO). The
docs are silent on retries and ordering, so delivery faults are settings
(`WebhookFaults`): a delay, a share delivered twice, a share dropped.
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any

import orjson
from starlette.requests import Request
from starlette.responses import Response

from simulators.clockify.errors import bad_request, json, missing
from simulators.clockify.params import json_body
from simulators.clockify.store import Entry
from simulators.webhook_delivery import send_later

if TYPE_CHECKING:
    from simulators.clockify.app import ClockifySimulator

EVENTS = frozenset(
    {
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
    }
)  # the events delivered; others may be registered and are never sent
SOURCE_TYPES = frozenset(
    {"PROJECT_ID", "USER_ID", "TAG_ID", "TASK_ID", "WORKSPACE_ID", "ASSIGNMENT_ID", "EXPENSE_ID"}
)


async def create_webhook(sim: ClockifySimulator, request: Request) -> Response:
    body = await json_body(request)
    for name in ("url", "webhookEvent", "triggerSourceType", "triggerSource"):
        if body.get(name) in (None, ""):
            raise bad_request(f"Field '{name}' must not be null")
    if body["triggerSourceType"] not in SOURCE_TYPES:
        raise bad_request("Field 'triggerSourceType' is not a valid trigger source type")
    if not isinstance(body["triggerSource"], list):
        raise bad_request("Field 'triggerSource' must be a list")
    name = str(body.get("name") or "webhook")
    if not 2 <= len(name) <= 30:
        raise bad_request("Field 'name' must be between 2 and 30 characters")
    ws = sim.workspace
    hook = {
        "authToken": secrets.token_urlsafe(32),
        "enabled": True,
        "id": ws.new_id("webhook"),
        "name": name,
        "triggerSource": [str(s) for s in body["triggerSource"]],
        "triggerSourceType": body["triggerSourceType"],
        "url": str(body["url"]),
        "userId": request.state.user.id,
        "webhookEvent": str(body["webhookEvent"]),
        "workspaceId": ws.id,
    }
    ws.webhooks[hook["id"]] = hook
    return json(hook, 201)


async def list_webhooks(sim: ClockifySimulator, request: Request) -> Response:
    hooks = list(sim.workspace.webhooks.values())
    return json({"webhooks": hooks, "workspaceWebhookCount": len(hooks)})


async def delete_webhook(sim: ClockifySimulator, request: Request) -> Response:
    hook = sim.workspace.webhooks.pop(request.path_params["webhookId"], None)
    if hook is None:
        raise missing("Webhook", request.path_params["webhookId"])
    return json(hook)


def _matches(hook: dict[str, Any], entry: Entry) -> bool:
    sources = set(hook["triggerSource"])
    kind = hook["triggerSourceType"]
    if kind == "WORKSPACE_ID":
        return True
    if kind == "USER_ID":
        return entry.user_id in sources
    if kind == "PROJECT_ID":
        return entry.project_id in sources
    if kind == "TAG_ID":
        return bool(sources.intersection(entry.tag_ids))
    if kind == "TASK_ID":
        return entry.task_id in sources
    return False


def notify(sim: ClockifySimulator, event: str, entry: Entry, body: dict[str, Any]) -> None:
    """Deliver `event` about `entry` to every matching webhook, after the answer goes out."""
    _deliver(sim, event, body, lambda hook: _matches(hook, entry))


def notify_request(sim: ClockifySimulator, event: str, user_id: str, body: dict[str, Any]) -> None:
    """Deliver an approval or time-off event (the request as the API answers it) to the
    webhooks of its workspace or of its requester."""

    def matches(hook: dict[str, Any]) -> bool:
        kind = hook["triggerSourceType"]
        return kind == "WORKSPACE_ID" or (kind == "USER_ID" and user_id in hook["triggerSource"])

    _deliver(sim, event, body, matches)


def _deliver(sim: ClockifySimulator, event: str, body: dict[str, Any], matches: Any) -> None:
    for hook in list(sim.workspace.webhooks.values()):
        if hook["enabled"] and hook["webhookEvent"] == event and matches(hook):
            headers = {"Content-Type": "application/json", "Clockify-Signature": hook["authToken"]}
            raw = orjson.dumps(body)
            send_later(sim.settings.webhooks, sim.deliveries, hook["url"], raw, headers.copy)


ROUTES = [
    ("POST", "/workspaces/{workspaceId}/webhooks", create_webhook),
    ("GET", "/workspaces/{workspaceId}/webhooks", list_webhooks),
    ("DELETE", "/workspaces/{workspaceId}/webhooks/{webhookId}", delete_webhook),
]
