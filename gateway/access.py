"""Request ids and the access log: one line per request an operator can search by id.

An incoming `X-Request-Id` is kept when it is a short token of safe characters, else one is
made; it is answered in `X-Request-Id`, set for every log line of the request (through a
context variable and `RequestIdFilter`), and carried by masked internal errors. The access
line has method, path, status, duration and the GraphQL operation name; never a query text,
variables or headers, which may hold personal data or tokens.
"""

from __future__ import annotations

import contextvars
import json
import logging
import os
import re
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

REQUEST_ID: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
VALID_ID = re.compile(r"[A-Za-z0-9._:\-]{1,128}")
log = logging.getLogger("timebridge.access")


class RequestIdFilter(logging.Filter):
    """Puts the current request id on every record as `request_id`."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = REQUEST_ID.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, requestId, message (and the traceback
    of an error), for log pipelines that index fields."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "requestId": getattr(record, "request_id", "-"),
            "message": record.getMessage(),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


def configure_logging(level: int = logging.INFO, fmt: str | None = None) -> None:
    """Our format with request ids (`TIMEBRIDGE_LOG_FORMAT`: `text`, the default, or `json`);
    upstream calls (httpx) only at WARNING and above."""
    fmt = (fmt or os.environ.get("TIMEBRIDGE_LOG_FORMAT") or "text").strip().lower()
    handler = logging.StreamHandler()
    handler.addFilter(RequestIdFilter())
    if fmt == "json":
        formatter: logging.Formatter = JsonFormatter()
        formatter.converter = time.gmtime
    else:
        formatter = logging.Formatter(
            "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
        )
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


class AccessLog:
    """Assigns the request id and writes the access line once the answer is sent."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = _header(scope, b"x-request-id")
        request_id = given if given and VALID_ID.fullmatch(given) else os.urandom(16).hex()
        token = REQUEST_ID.set(request_id)
        state = scope.setdefault("state", {})
        state["request_id"] = request_id
        status = 0
        started = time.perf_counter()
        logged = False

        def access_line() -> None:
            nonlocal logged
            if not logged:
                logged = True
                log.info(
                    "%s %s %d %.1fms op=%s",
                    scope["method"],
                    scope["path"],
                    status,
                    (time.perf_counter() - started) * 1000,
                    state.get("operation_name") or "-",
                )

        async def with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", request_id.encode()))
                message = {**message, "headers": headers}
            elif message["type"] == "http.response.body" and not message.get("more_body"):
                access_line()  # before the last byte leaves: the line exists once answered
            await send(message)

        try:
            await self.app(scope, receive, with_id)
        finally:
            access_line()
            REQUEST_ID.reset(token)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            text: str = value.decode("latin-1")
            return text
    return None
