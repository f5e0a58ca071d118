"""`timebridge webhooks register | list | delete --public-url URL`: the gateway's webhooks on
each configured platform, with the server's credentials from the environment."""

from __future__ import annotations

import asyncio

import httpx

from adapters import webhook_admin
from adapters.clockify.client import ClockifyHttp
from adapters.http import Deadline
from adapters.productive.client import ProductiveHttp
from gateway.config import ConfigError, Settings


def run(settings: Settings, action: str, public_url: str | None) -> int:
    if action in ("register", "delete") and not public_url:
        raise ConfigError(f"`timebridge webhooks {action}` needs --public-url")
    p, c = settings.productive, settings.clockify
    if not (p.configured or c.configured):
        raise ConfigError(
            "no platform is configured: set PRODUCTIVE_API_TOKEN with "
            "PRODUCTIVE_ORGANIZATION_ID, or CLOCKIFY_API_KEY with CLOCKIFY_WORKSPACE_ID"
        )
    return asyncio.run(_run(settings, action, public_url or ""))


async def _run(settings: Settings, action: str, public_url: str) -> int:
    p, c = settings.productive, settings.clockify
    async with httpx.AsyncClient(timeout=settings.upstream_timeout) as client:
        deadline = Deadline(settings.request_deadline)
        productive = (
            ProductiveHttp(client, p.api_url, p.token.reveal(), p.organization_id, deadline)
            if p.token and p.organization_id
            else None
        )
        clockify = (
            ClockifyHttp(
                client, c.api_url, c.reports_url, c.api_key.reveal(), c.workspace_id, deadline
            )
            if c.api_key and c.workspace_id
            else None
        )
        if action == "register":
            made = []
            if clockify is not None:
                made += await webhook_admin.register_clockify(clockify, public_url)
            if productive is not None and p.organization_id:
                made += await webhook_admin.register_productive(
                    productive, p.organization_id, public_url
                )
            for hook in made:
                print(f"registered {hook.platform} {hook.event} -> {hook.url} (id {hook.id})")
            print("Give the gateway these tokens (each verifies its webhook's deliveries):")
            for platform, variable in (
                ("clockify", "CLOCKIFY_WEBHOOK_TOKENS"),
                ("productive", "PRODUCTIVE_WEBHOOK_TOKENS"),
            ):
                tokens = [h.token for h in made if h.platform == platform and h.token]
                if tokens:
                    print(f"{variable}={','.join(tokens)}")
            return 0
        if action == "list":
            found = []
            if clockify is not None:
                found += await webhook_admin.list_clockify(clockify)
            if productive is not None:
                found += await webhook_admin.list_productive(productive)
            for hook in found:
                print(f"{hook.platform}\t{hook.id}\t{hook.event}\t{hook.url}")
            return 0
        gone = await webhook_admin.delete(clockify, productive, public_url)
        for hook in gone:
            print(f"deleted {hook.platform} {hook.event} -> {hook.url} (id {hook.id})")
        return 0
