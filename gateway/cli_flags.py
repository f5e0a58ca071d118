"""Every `timebridge serve` flag and the environment variable it sets, with its help text."""

from __future__ import annotations

from gateway.config import LIMIT_VARIABLES
from schema.cost import QueryLimits

ENV_FLAGS = [
    ("--productive-api-url", "PRODUCTIVE_API_URL", "Productive API base URL"),
    ("--productive-api-token", "PRODUCTIVE_API_TOKEN", "Productive API token"),
    ("--productive-organization-id", "PRODUCTIVE_ORGANIZATION_ID", "Productive organization id"),
    (
        "--productive-person-id",
        "PRODUCTIVE_PERSON_ID",
        "Productive person id of the token's owner (for `viewer`)",
    ),
    ("--clockify-api-url", "CLOCKIFY_API_URL", "Clockify API base URL (regional hosts differ)"),
    ("--clockify-reports-url", "CLOCKIFY_REPORTS_URL", "Clockify reports API base URL"),
    ("--clockify-api-key", "CLOCKIFY_API_KEY", "Clockify API key"),
    ("--clockify-workspace-id", "CLOCKIFY_WORKSPACE_ID", "Clockify workspace id"),
    (
        "--productive-webhook-tokens",
        "PRODUCTIVE_WEBHOOK_TOKENS",
        "comma-separated tokens of the Productive webhooks that call "
        "/webhooks/productive/{org}/{event}",
    ),
    (
        "--human-links",
        "TIMEBRIDGE_HUMAN_LINKS",
        "productivePersonId=clockifyUserId pairs (comma-separated) for humans whose emails differ",
    ),
    (
        "--timer-poll-interval",
        "TIMEBRIDGE_TIMER_POLL_INTERVAL",
        "seconds between polls of Productive's running timers while anyone subscribes (default 10)",
    ),
    (
        "--webhook-tolerance",
        "TIMEBRIDGE_WEBHOOK_TOLERANCE",
        "seconds a Productive delivery's signed timestamp may be off (default 300)",
    ),
    (
        "--clockify-webhook-tokens",
        "CLOCKIFY_WEBHOOK_TOKENS",
        "comma-separated authTokens of the Clockify webhooks that call /webhooks/clockify/{event}",
    ),
    ("--host", "TIMEBRIDGE_HOST", "address to listen on (default 127.0.0.1)"),
    ("--port", "TIMEBRIDGE_PORT", "port to listen on (default 4000)"),
    (
        "--request-credentials",
        "TIMEBRIDGE_REQUEST_CREDENTIALS",
        "true: X-Productive-Token / X-Clockify-Api-Key headers replace the server's keys",
    ),
    (
        "--idempotency-store",
        "TIMEBRIDGE_IDEMPOTENCY_STORE",
        "'memory' (default) or a redis:// URL shared by gateway replicas",
    ),
    (
        "--upstream-timeout",
        "TIMEBRIDGE_UPSTREAM_TIMEOUT",
        "seconds per upstream request (default 10)",
    ),
    (
        "--request-deadline",
        "TIMEBRIDGE_REQUEST_DEADLINE",
        "seconds for one GraphQL request's upstream work, retries included (default 30)",
    ),
    (
        "--cors-origins",
        "TIMEBRIDGE_CORS_ORIGINS",
        "comma-separated browser origins allowed to call /graphql (default: none)",
    ),
    (
        "--idempotency-window",
        "TIMEBRIDGE_IDEMPOTENCY_WINDOW",
        "seconds an idempotency key is remembered (default 86400)",
    ),
    (
        "--write-settle",
        "TIMEBRIDGE_WRITE_SETTLE",
        "seconds a retry waits after a timed-out write before it looks upstream "
        "(default: the upstream timeout)",
    ),
    (
        "--drain-timeout",
        "TIMEBRIDGE_DRAIN_TIMEOUT",
        "seconds in-flight requests get to finish after SIGTERM (default: the request deadline)",
    ),
    ("--header-timeout", "TIMEBRIDGE_HEADER_TIMEOUT", "seconds a client has to send its headers"),
    ("--body-timeout", "TIMEBRIDGE_BODY_TIMEOUT", "seconds a client has to send its body"),
    ("--keep-alive-timeout", "TIMEBRIDGE_KEEP_ALIVE_TIMEOUT", "seconds an idle connection stays"),
    (
        "--workers",
        "TIMEBRIDGE_WORKERS",
        "processes serving the port (default 1); more than 1 needs a redis:// idempotency store",
    ),
    (
        "--productive-rate-limits",
        "TIMEBRIDGE_PRODUCTIVE_RATE_LIMITS",
        "Productive budget per token (default '100/10 seconds;4000/30 minutes', or 'off')",
    ),
    (
        "--clockify-rate-limits",
        "TIMEBRIDGE_CLOCKIFY_RATE_LIMITS",
        "Clockify budget per key (default '50/1 second', or 'off')",
    ),
    (
        "--rate-limit-store",
        "TIMEBRIDGE_RATE_LIMIT_STORE",
        "'memory' (default) or a redis:// URL: replicas on one token share one budget",
    ),
    (
        "--read-cache",
        "TIMEBRIDGE_READ_CACHE",
        "upstream read cache: 'memory' (default), a redis:// URL shared by replicas, or 'off'",
    ),
    (
        "--read-cache-ttl",
        "TIMEBRIDGE_READ_CACHE_TTL",
        "seconds cached entry lists, timers, approvals and time off are served (default 15)",
    ),
    (
        "--read-cache-max-age",
        "TIMEBRIDGE_READ_CACHE_MAX_AGE",
        "seconds an entry list delta reads keep finding unchanged is kept at most (default 3600)",
    ),
    (
        "--events",
        "TIMEBRIDGE_EVENTS",
        "where subscriptions hear of changes: 'memory' (default) or a redis:// URL shared by "
        "replicas",
    ),
    (
        "--event-loop",
        "TIMEBRIDGE_EVENT_LOOP",
        "'auto' (default: uvloop where it is installed), 'uvloop' or 'asyncio'",
    ),
    (
        "--upstream-transport",
        "TIMEBRIDGE_UPSTREAM_TRANSPORT",
        "what carries upstream calls under httpx: 'aiohttp' (default) or 'httpcore' (httpx's own)",
    ),
    (
        "--read-cache-reference-ttl",
        "TIMEBRIDGE_READ_CACHE_REFERENCE_TTL",
        "seconds cached people, projects, tasks, tags and policies are served (default 120)",
    ),
    (
        "--report-interval",
        "TIMEBRIDGE_REPORT_INTERVAL",
        "seconds between the log lines on rate budgets and the read cache (default 60, 0: none)",
    ),
    (
        "--persisted-queries",
        "TIMEBRIDGE_PERSISTED_QUERIES",
        "automatic persisted queries: 'memory' (default), a redis:// URL shared by replicas, "
        "or 'off'",
    ),
    (
        "--trusted-documents",
        "TIMEBRIDGE_TRUSTED_DOCUMENTS",
        "a JSON file of documents (hash → document, or a list): serve only these",
    ),
    (
        "--max-client-connections",
        "TIMEBRIDGE_MAX_CLIENT_CONNECTIONS",
        "open client connections at most (default 1000)",
    ),
    *(
        (
            "--" + variable.removeprefix("TIMEBRIDGE_").lower().replace("_", "-"),
            variable,
            f"per-request limit: {name.removeprefix('max_').replace('_', ' ')} at most "
            f"(default {getattr(QueryLimits(), name)})",
        )
        for variable, name in LIMIT_VARIABLES.items()
    ),
]
