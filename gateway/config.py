"""Settings from environment variables (each also a `timebridge serve` flag), validated once."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

from limits import parse_many

from adapters.pacing import DOCUMENTED as DOCUMENTED_LIMITS
from gateway.event_loop import UnknownLoop, loop_factory
from gateway.security import Secret
from gateway.upstream_settings import (
    DEFAULT_CLOCKIFY_REPORTS_URL,
    DEFAULT_CLOCKIFY_URL,
    DEFAULT_PRODUCTIVE_URL,
    ClockifySettings,
    ProductiveSettings,
)
from gateway.upstream_transport import CHOICES as TRANSPORTS
from schema.cost import QueryLimits
from schema.humans.linking import BadLinks, parse_links
from schema.ids import CLOCKIFY_ID, PRODUCTIVE_ID

ASSETS = Path(__file__).parent / "graphiql" / "node_modules"


def platform_word(variable: str) -> str:
    return "Productive (digits)" if variable.startswith("PRODUCTIVE") else "Clockify (24 hex)"


class ConfigError(ValueError):
    """Invalid configuration; its message is one line a person can act on."""


# (variable, QueryLimits field): each also a `serve` flag.
LIMIT_VARIABLES = {
    "TIMEBRIDGE_MAX_BODY_BYTES": "max_body_bytes",
    "TIMEBRIDGE_MAX_QUERY_BYTES": "max_query_bytes",
    "TIMEBRIDGE_MAX_TOKENS": "max_tokens",
    "TIMEBRIDGE_MAX_ALIASES": "max_aliases",
    "TIMEBRIDGE_MAX_ROOT_FIELDS": "max_root_fields",
    "TIMEBRIDGE_MAX_FIELDS": "max_fields",
    "TIMEBRIDGE_MAX_UPSTREAM_CALLS": "max_upstream_calls",
    "TIMEBRIDGE_MAX_DEPTH": "max_depth",
}


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
    cors_origin_regex: str | None = None  # the demo's loopback origins
    graphiql_assets: Path = ASSETS
    write_settle: float | None = None  # None: the upstream timeout
    drain_timeout: float | None = None  # None: the request deadline
    header_timeout: float = 10.0
    body_timeout: float = 30.0
    keep_alive_timeout: float = 5.0
    max_client_connections: int = 1000
    persisted_queries: str = "memory"
    productive_rate_limits: str = DOCUMENTED_LIMITS["productive"]
    clockify_rate_limits: str = DOCUMENTED_LIMITS["clockify"]
    rate_limit_store: str = "memory"
    read_cache: str = "memory"
    read_cache_ttl: float = 15.0
    read_cache_max_age: float = 3600.0
    read_cache_reference_ttl: float = 120.0
    report_interval: float = 60.0
    events: str = "memory"
    event_loop: str = "auto"  # gateway.event_loop.CHOICES
    upstream_transport: str = "aiohttp"  # gateway.upstream_transport.CHOICES
    webhook_tolerance: float = 300.0
    timer_poll_interval: float = 10.0
    trusted_documents: Path | None = None
    # Productive person id -> Clockify user id, for humans whose emails differ.
    human_links: tuple[tuple[str, str], ...] = ()
    limits: QueryLimits = field(default_factory=lambda: QueryLimits())

    @property
    def settle_seconds(self) -> float:
        return self.upstream_timeout if self.write_settle is None else self.write_settle

    @property
    def drain_seconds(self) -> float:
        return self.request_deadline if self.drain_timeout is None else self.drain_timeout

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env

        def secret(name: str) -> Secret | None:
            value = env.get(name, "").strip()
            return Secret(value) if value else None

        def text(name: str) -> str | None:
            value = env.get(name, "").strip()
            return value or None

        def number(name: str, default: float | None) -> float | None:
            raw = text(name)
            if raw is None:
                return default
            try:
                return float(raw)
            except ValueError:
                raise ConfigError(f"{name} must be a number, got {raw!r}") from None

        def whole(name: str, default: int) -> int:
            value = number(name, default)
            if value is None or value != int(value):
                raise ConfigError(f"{name} must be a whole number, got {text(name)!r}")
            return int(value)

        def seconds(name: str, default: float) -> float:
            value = number(name, default)
            assert value is not None
            return value

        defaults = QueryLimits()
        limits = QueryLimits(
            **{
                field_name: whole(variable, getattr(defaults, field_name))
                for variable, field_name in LIMIT_VARIABLES.items()
            }
        )
        return cls(
            productive=ProductiveSettings(
                api_url=text("PRODUCTIVE_API_URL") or DEFAULT_PRODUCTIVE_URL,
                token=secret("PRODUCTIVE_API_TOKEN"),
                organization_id=text("PRODUCTIVE_ORGANIZATION_ID"),
                person_id=text("PRODUCTIVE_PERSON_ID"),
                webhook_tokens=_secrets(env.get("PRODUCTIVE_WEBHOOK_TOKENS")),
            ),
            clockify=ClockifySettings(
                api_url=text("CLOCKIFY_API_URL") or DEFAULT_CLOCKIFY_URL,
                reports_url=text("CLOCKIFY_REPORTS_URL") or DEFAULT_CLOCKIFY_REPORTS_URL,
                api_key=secret("CLOCKIFY_API_KEY"),
                workspace_id=text("CLOCKIFY_WORKSPACE_ID"),
                webhook_tokens=_secrets(env.get("CLOCKIFY_WEBHOOK_TOKENS")),
            ),
            host=text("TIMEBRIDGE_HOST") or "127.0.0.1",
            port=whole("TIMEBRIDGE_PORT", 4000),
            request_credentials=_flag(text("TIMEBRIDGE_REQUEST_CREDENTIALS")),
            upstream_timeout=seconds("TIMEBRIDGE_UPSTREAM_TIMEOUT", 10.0),
            request_deadline=seconds("TIMEBRIDGE_REQUEST_DEADLINE", 30.0),
            idempotency_store=text("TIMEBRIDGE_IDEMPOTENCY_STORE") or "memory",
            idempotency_window=seconds("TIMEBRIDGE_IDEMPOTENCY_WINDOW", 86400.0),
            cors_origins=tuple(
                o.strip() for o in (text("TIMEBRIDGE_CORS_ORIGINS") or "").split(",") if o.strip()
            ),
            write_settle=number("TIMEBRIDGE_WRITE_SETTLE", None),
            drain_timeout=number("TIMEBRIDGE_DRAIN_TIMEOUT", None),
            header_timeout=seconds("TIMEBRIDGE_HEADER_TIMEOUT", 10.0),
            body_timeout=seconds("TIMEBRIDGE_BODY_TIMEOUT", 30.0),
            keep_alive_timeout=seconds("TIMEBRIDGE_KEEP_ALIVE_TIMEOUT", 5.0),
            max_client_connections=whole("TIMEBRIDGE_MAX_CLIENT_CONNECTIONS", 1000),
            persisted_queries=text("TIMEBRIDGE_PERSISTED_QUERIES") or "memory",
            productive_rate_limits=text("TIMEBRIDGE_PRODUCTIVE_RATE_LIMITS")
            or DOCUMENTED_LIMITS["productive"],
            clockify_rate_limits=text("TIMEBRIDGE_CLOCKIFY_RATE_LIMITS")
            or DOCUMENTED_LIMITS["clockify"],
            rate_limit_store=text("TIMEBRIDGE_RATE_LIMIT_STORE") or "memory",
            read_cache=text("TIMEBRIDGE_READ_CACHE") or "memory",
            read_cache_ttl=seconds("TIMEBRIDGE_READ_CACHE_TTL", 15.0),
            read_cache_max_age=seconds("TIMEBRIDGE_READ_CACHE_MAX_AGE", 3600.0),
            read_cache_reference_ttl=seconds("TIMEBRIDGE_READ_CACHE_REFERENCE_TTL", 120.0),
            report_interval=seconds("TIMEBRIDGE_REPORT_INTERVAL", 60.0),
            events=text("TIMEBRIDGE_EVENTS") or "memory",
            event_loop=text("TIMEBRIDGE_EVENT_LOOP") or "auto",
            upstream_transport=text("TIMEBRIDGE_UPSTREAM_TRANSPORT") or "aiohttp",
            webhook_tolerance=seconds("TIMEBRIDGE_WEBHOOK_TOLERANCE", 300.0),
            timer_poll_interval=seconds("TIMEBRIDGE_TIMER_POLL_INTERVAL", 10.0),
            trusted_documents=_path(text("TIMEBRIDGE_TRUSTED_DOCUMENTS")),
            human_links=_links(text("TIMEBRIDGE_HUMAN_LINKS")),
            limits=limits,
        )

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
        for name, value in (
            ("TIMEBRIDGE_UPSTREAM_TIMEOUT", self.upstream_timeout),
            ("TIMEBRIDGE_REQUEST_DEADLINE", self.request_deadline),
            ("TIMEBRIDGE_IDEMPOTENCY_WINDOW", self.idempotency_window),
            ("TIMEBRIDGE_HEADER_TIMEOUT", self.header_timeout),
            ("TIMEBRIDGE_BODY_TIMEOUT", self.body_timeout),
            ("TIMEBRIDGE_KEEP_ALIVE_TIMEOUT", self.keep_alive_timeout),
            ("TIMEBRIDGE_DRAIN_TIMEOUT", self.drain_seconds),
            ("TIMEBRIDGE_WEBHOOK_TOLERANCE", self.webhook_tolerance),
            ("TIMEBRIDGE_TIMER_POLL_INTERVAL", self.timer_poll_interval),
            ("TIMEBRIDGE_MAX_CLIENT_CONNECTIONS", self.max_client_connections),
            *((v, getattr(self.limits, f)) for v, f in LIMIT_VARIABLES.items()),
        ):
            if value <= 0:
                raise ConfigError(f"{name} must be a positive number, got {value}")
        if self.settle_seconds < 0:
            raise ConfigError("TIMEBRIDGE_WRITE_SETTLE must be 0 or more seconds")
        for name, value, valid in (
            ("PRODUCTIVE_ORGANIZATION_ID", p.organization_id, PRODUCTIVE_ID),
            ("PRODUCTIVE_PERSON_ID", p.person_id, PRODUCTIVE_ID),
            ("CLOCKIFY_WORKSPACE_ID", c.workspace_id, CLOCKIFY_ID),
        ):
            if value is not None and not valid.fullmatch(value):
                raise ConfigError(f"{name} is not a {platform_word(name)} id: {value!r}")
        for origin in self.cors_origins:
            parts = urlsplit(origin)
            if origin != "*" and (parts.scheme not in ("http", "https") or not parts.netloc):
                raise ConfigError(f"TIMEBRIDGE_CORS_ORIGINS: {origin!r} is not an origin")
        store = self.idempotency_store
        if store != "memory" and not store.startswith(("redis://", "rediss://")):
            raise ConfigError("TIMEBRIDGE_IDEMPOTENCY_STORE must be 'memory' or a redis:// URL")
        queries = self.persisted_queries
        if queries not in ("memory", "off") and not queries.startswith(("redis://", "rediss://")):
            raise ConfigError(
                "TIMEBRIDGE_PERSISTED_QUERIES must be 'memory', 'off' or a redis:// URL"
            )
        for name, text in (
            ("TIMEBRIDGE_PRODUCTIVE_RATE_LIMITS", self.productive_rate_limits),
            ("TIMEBRIDGE_CLOCKIFY_RATE_LIMITS", self.clockify_rate_limits),
        ):
            if text != "off":
                try:
                    parse_many(text)
                except ValueError:
                    raise ConfigError(
                        f"{name} must be 'off' or limits like '100/10 seconds;4000/30 minutes', "
                        f"got {text!r}"
                    ) from None
        budget = self.rate_limit_store
        if budget != "memory" and not budget.startswith(("redis://", "rediss://")):
            raise ConfigError("TIMEBRIDGE_RATE_LIMIT_STORE must be 'memory' or a redis:// URL")
        cache = self.read_cache
        if cache not in ("memory", "off") and not cache.startswith(("redis://", "rediss://")):
            raise ConfigError("TIMEBRIDGE_READ_CACHE must be 'memory', 'off' or a redis:// URL")
        if not 0 <= self.read_cache_ttl <= self.read_cache_max_age:
            raise ConfigError(
                "TIMEBRIDGE_READ_CACHE_TTL must be 0 or more seconds, and at most "
                f"TIMEBRIDGE_READ_CACHE_MAX_AGE ({self.read_cache_max_age:g})"
            )
        if self.events != "memory" and not self.events.startswith(("redis://", "rediss://")):
            raise ConfigError("TIMEBRIDGE_EVENTS must be 'memory' or a redis:// URL")
        try:
            loop_factory(self.event_loop)
        except UnknownLoop as error:
            raise ConfigError(str(error)) from None
        if self.upstream_transport not in TRANSPORTS:
            raise ConfigError(
                f"TIMEBRIDGE_UPSTREAM_TRANSPORT must be one of {', '.join(TRANSPORTS)}, "
                f"got {self.upstream_transport!r}"
            )
        if self.read_cache_reference_ttl < 0:
            raise ConfigError("TIMEBRIDGE_READ_CACHE_REFERENCE_TTL must be 0 or more seconds")
        if self.report_interval < 0:
            raise ConfigError("TIMEBRIDGE_REPORT_INTERVAL must be 0 (never) or more seconds")
        if self.trusted_documents is not None and not self.trusted_documents.is_file():
            raise ConfigError(f"TIMEBRIDGE_TRUSTED_DOCUMENTS: no file {self.trusted_documents}")
        return self

    def with_overrides(self, **changes: object) -> Settings:
        return replace(self, **changes)  # type: ignore[arg-type]


def _secrets(raw: str | None) -> tuple[Secret, ...]:
    """Comma-separated secrets (webhook tokens), never shown in full."""
    return tuple(Secret(t.strip()) for t in (raw or "").split(",") if t.strip())


def _path(raw: str | None) -> Path | None:
    return None if raw is None else Path(raw)


def _flag(raw: str | None) -> bool:
    if raw is None:
        return False
    if raw.lower() in ("1", "true", "yes", "on"):
        return True
    if raw.lower() in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"TIMEBRIDGE_REQUEST_CREDENTIALS must be true or false, got {raw!r}")


def _links(raw: str | None) -> tuple[tuple[str, str], ...]:
    try:
        return tuple(parse_links(raw).items())
    except BadLinks as error:
        raise ConfigError(f"TIMEBRIDGE_HUMAN_LINKS: {error}") from None
