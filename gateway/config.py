"""Settings from environment variables (each also a `timebridge serve` flag), validated once."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

from gateway.security import Secret

DEFAULT_PRODUCTIVE_URL = "https://api.productive.io/api/v2"
DEFAULT_CLOCKIFY_URL = "https://api.clockify.me/api/v1"
DEFAULT_CLOCKIFY_REPORTS_URL = "https://reports.api.clockify.me/v1"
ASSETS = Path(__file__).parent / "graphiql" / "node_modules"


class ConfigError(ValueError):
    """Invalid configuration; its message is one line a person can act on."""


@dataclass(frozen=True, slots=True)
class ProductiveSettings:
    api_url: str = DEFAULT_PRODUCTIVE_URL
    token: Secret | None = None
    organization_id: str | None = None
    person_id: str | None = None

    @property
    def configured(self) -> bool:
        return bool(self.token and self.organization_id)


@dataclass(frozen=True, slots=True)
class ClockifySettings:
    api_url: str = DEFAULT_CLOCKIFY_URL
    reports_url: str = DEFAULT_CLOCKIFY_REPORTS_URL
    api_key: Secret | None = None
    workspace_id: str | None = None

    @property
    def configured(self) -> bool:
        return bool(self.api_key and self.workspace_id)


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything the gateway needs; `validate()` before serving."""

    productive: ProductiveSettings = field(default_factory=ProductiveSettings)
    clockify: ClockifySettings = field(default_factory=ClockifySettings)
    host: str = "127.0.0.1"
    port: int = 4000
    request_credentials: bool = False
    upstream_timeout: float = 10.0
    request_deadline: float = 30.0
    max_connections: int = 20
    idempotency_store: str = "memory"
    idempotency_window: float = 24 * 3600.0
    cors_origins: tuple[str, ...] = ()
    graphiql_assets: Path = ASSETS

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env

        def secret(name: str) -> Secret | None:
            value = env.get(name, "").strip()
            return Secret(value) if value else None

        def text(name: str) -> str | None:
            value = env.get(name, "").strip()
            return value or None

        try:
            return cls(
                productive=ProductiveSettings(
                    api_url=text("PRODUCTIVE_API_URL") or DEFAULT_PRODUCTIVE_URL,
                    token=secret("PRODUCTIVE_API_TOKEN"),
                    organization_id=text("PRODUCTIVE_ORGANIZATION_ID"),
                    person_id=text("PRODUCTIVE_PERSON_ID"),
                ),
                clockify=ClockifySettings(
                    api_url=text("CLOCKIFY_API_URL") or DEFAULT_CLOCKIFY_URL,
                    reports_url=text("CLOCKIFY_REPORTS_URL") or DEFAULT_CLOCKIFY_REPORTS_URL,
                    api_key=secret("CLOCKIFY_API_KEY"),
                    workspace_id=text("CLOCKIFY_WORKSPACE_ID"),
                ),
                host=text("TIMEBRIDGE_HOST") or "127.0.0.1",
                port=int(text("TIMEBRIDGE_PORT") or 4000),
                request_credentials=_flag(text("TIMEBRIDGE_REQUEST_CREDENTIALS")),
                upstream_timeout=float(text("TIMEBRIDGE_UPSTREAM_TIMEOUT") or 10.0),
                request_deadline=float(text("TIMEBRIDGE_REQUEST_DEADLINE") or 30.0),
                idempotency_store=text("TIMEBRIDGE_IDEMPOTENCY_STORE") or "memory",
                idempotency_window=float(text("TIMEBRIDGE_IDEMPOTENCY_WINDOW") or 86400.0),
                cors_origins=tuple(
                    o.strip()
                    for o in (text("TIMEBRIDGE_CORS_ORIGINS") or "").split(",")
                    if o.strip()
                ),
            )
        except ValueError as exc:
            raise ConfigError(f"invalid number in configuration: {exc}") from None

    def validate(self) -> Settings:
        """Raise ConfigError naming the first problem; return self when all is well."""
        for name, url in (
            ("PRODUCTIVE_API_URL", self.productive.api_url),
            ("CLOCKIFY_API_URL", self.clockify.api_url),
            ("CLOCKIFY_REPORTS_URL", self.clockify.reports_url),
        ):
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise ConfigError(f"{name} must be an http(s) URL, got {url!r}")
        p, c = self.productive, self.clockify
        if p.token and not p.organization_id:
            raise ConfigError("PRODUCTIVE_API_TOKEN is set but PRODUCTIVE_ORGANIZATION_ID is not")
        if p.organization_id and not p.token and not self.request_credentials:
            raise ConfigError("PRODUCTIVE_ORGANIZATION_ID is set but PRODUCTIVE_API_TOKEN is not")
        if c.api_key and not c.workspace_id:
            raise ConfigError("CLOCKIFY_API_KEY is set but CLOCKIFY_WORKSPACE_ID is not")
        if c.workspace_id and not c.api_key and not self.request_credentials:
            raise ConfigError("CLOCKIFY_WORKSPACE_ID is set but CLOCKIFY_API_KEY is not")
        if not 0 <= self.port < 65536:
            raise ConfigError(f"the port must be 0 (any free port) to 65535, got {self.port}")
        if (
            self.upstream_timeout <= 0
            or self.request_deadline <= 0
            or (self.idempotency_window <= 0)
        ):
            raise ConfigError("timeouts must be positive numbers of seconds")
        for origin in self.cors_origins:
            parts = urlsplit(origin)
            if origin != "*" and (parts.scheme not in ("http", "https") or not parts.netloc):
                raise ConfigError(f"TIMEBRIDGE_CORS_ORIGINS: {origin!r} is not an origin")
        store = self.idempotency_store
        if store != "memory" and not store.startswith(("redis://", "rediss://")):
            raise ConfigError("TIMEBRIDGE_IDEMPOTENCY_STORE must be 'memory' or a redis:// URL")
        return self

    def with_overrides(self, **changes: object) -> Settings:
        return replace(self, **changes)  # type: ignore[arg-type]


def _flag(raw: str | None) -> bool:
    if raw is None:
        return False
    if raw.lower() in ("1", "true", "yes", "on"):
        return True
    if raw.lower() in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"TIMEBRIDGE_REQUEST_CREDENTIALS must be true or false, got {raw!r}")
