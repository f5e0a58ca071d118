"""Per-request credentials and the Context resolvers get: adapters over the shared clients."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import httpx

from adapters.clockify.adapter import ClockifyAdapter
from adapters.clockify.client import ClockifyHttp
from adapters.http import Deadline, UpstreamClient
from adapters.pacing import Pacer
from adapters.productive.adapter import ProductiveAdapter
from adapters.productive.client import ProductiveHttp
from adapters.read_cache import CacheUse, ReadCache
from gateway.config import Settings
from gateway.security import Secret
from schema.context import Context
from schema.ids import CLOCKIFY_ID, PRODUCTIVE_ID

HEADER_NAMES = {
    "productive_token": "x-productive-token",
    "productive_organization": "x-productive-organization-id",
    "productive_person": "x-productive-person-id",
    "clockify_key": "x-clockify-api-key",
    "clockify_workspace": "x-clockify-workspace-id",
}


class CredentialsRefused(Exception):
    """Per-request credential headers were sent while the setting is off."""


class CredentialsInvalid(ValueError):
    """A per-request credential header does not have the shape of what it names."""


# Header values that end up in upstream paths or headers, and the shape each must have.
ID_HEADERS = {
    "productive_organization": PRODUCTIVE_ID,
    "productive_person": PRODUCTIVE_ID,
    "clockify_workspace": CLOCKIFY_ID,
}
TOKEN = re.compile(r"[\x21-\x7e]{1,512}")  # printable ASCII: nothing that splits a header


@dataclass(frozen=True, slots=True)
class Credentials:
    """Whose keys this request uses; upstream URLs never come from a request."""

    productive_token: Secret | None
    productive_organization: str | None
    productive_person: str | None
    clockify_key: Secret | None
    clockify_workspace: str | None

    def scope(self) -> str:
        """A name for these credentials that reveals nothing (idempotency keys are scoped by it)."""
        parts = [
            self.productive_token.fingerprint() if self.productive_token else "-",
            self.productive_organization or "-",
            self.clockify_key.fingerprint() if self.clockify_key else "-",
            self.clockify_workspace or "-",
        ]
        return "|".join(parts)


def credentials(settings: Settings, headers: Mapping[str, str]) -> Credentials:
    """The credentials a request (or a WebSocket connection) sends, checked; the server's
    where it sends none."""
    sent = {k: headers.get(h, "").strip() for k, h in HEADER_NAMES.items()}
    if any(sent.values()) and not settings.request_credentials:
        raise CredentialsRefused(
            "Per-request credentials are disabled on this gateway "
            "(TIMEBRIDGE_REQUEST_CREDENTIALS=false)"
        )
    for name, pattern in ID_HEADERS.items():
        if sent[name] and not pattern.fullmatch(sent[name]):
            raise CredentialsInvalid(f"{HEADER_NAMES[name]} is not a valid id")
    for name in ("productive_token", "clockify_key"):
        if sent[name] and not TOKEN.fullmatch(sent[name]):
            raise CredentialsInvalid(f"{HEADER_NAMES[name]} is not a valid token")
    p, c = settings.productive, settings.clockify
    # A request's own token replaces the server's; the organization, person and workspace
    # fall back to the server's, as one company usually shares them.
    own_token = bool(sent["productive_token"])
    return Credentials(
        productive_token=Secret(sent["productive_token"]) if own_token else p.token,
        productive_organization=sent["productive_organization"] or p.organization_id,
        productive_person=sent["productive_person"] or (None if own_token else p.person_id),
        clockify_key=Secret(sent["clockify_key"]) if sent["clockify_key"] else c.api_key,
        clockify_workspace=sent["clockify_workspace"] or c.workspace_id,
    )


def build_context(
    settings: Settings,
    clients: dict[str, httpx.AsyncClient],
    creds: Credentials,
    pacer: Pacer | None = None,
    cache: ReadCache | None = None,
    fresh: bool = False,
) -> Context:
    """Adapters for one GraphQL request. `fresh` (the client sent `Cache-Control: no-cache`)
    reads past the cache, and keeps what it read for the next request."""
    deadline = Deadline(settings.request_deadline)
    use = CacheUse(fresh=fresh)

    def shared(upstream: UpstreamClient) -> None:
        upstream.pacer = pacer  # the process's rate budget and read cache, this request's use
        upstream.cache, upstream.cache_use = cache, use

    def make_adapters() -> tuple[ProductiveAdapter | None, ClockifyAdapter | None]:
        productive = None
        if creds.productive_token and creds.productive_organization and "productive" in clients:
            http = ProductiveHttp(
                clients["productive"],
                settings.productive.api_url,
                creds.productive_token.reveal(),
                creds.productive_organization,
                deadline,
            )
            shared(http.upstream)
            productive = ProductiveAdapter(http, creds.productive_person)
        clockify = None
        if creds.clockify_key and creds.clockify_workspace and "clockify" in clients:
            chttp = ClockifyHttp(
                clients["clockify"],
                settings.clockify.api_url,
                settings.clockify.reports_url,
                creds.clockify_key.reveal(),
                creds.clockify_workspace,
                deadline,
            )
            shared(chttp.upstream)
            clockify = ClockifyAdapter(chttp)
        return productive, clockify

    return Context(
        make_adapters=make_adapters,
        scope=creds.scope(),
        remaining=deadline.remaining,
        cache_use=use,
    )
