"""Where each upstream is and whose keys the gateway uses there (part of `Settings`)."""

from __future__ import annotations

from dataclasses import dataclass

from gateway.security import Secret

DEFAULT_PRODUCTIVE_URL = "https://api.productive.io/api/v2"
DEFAULT_CLOCKIFY_URL = "https://api.clockify.me/api/v1"
DEFAULT_CLOCKIFY_REPORTS_URL = "https://reports.api.clockify.me/v1"


@dataclass(frozen=True, slots=True)
class ProductiveSettings:
    api_url: str = DEFAULT_PRODUCTIVE_URL
    token: Secret | None = None
    organization_id: str | None = None
    person_id: str | None = None
    webhook_tokens: tuple[Secret, ...] = ()

    @property
    def configured(self) -> bool:
        return bool(self.token and self.organization_id)


@dataclass(frozen=True, slots=True)
class ClockifySettings:
    api_url: str = DEFAULT_CLOCKIFY_URL
    reports_url: str = DEFAULT_CLOCKIFY_REPORTS_URL
    api_key: Secret | None = None
    workspace_id: str | None = None
    webhook_tokens: tuple[Secret, ...] = ()

    @property
    def configured(self) -> bool:
        return bool(self.api_key and self.workspace_id)
