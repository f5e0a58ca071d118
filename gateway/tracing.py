"""OpenTelemetry traces, when the optional `otel` extra is installed (`timebridge[otel]`).

`configure_tracing()` sets up the official SDK from the standard variables: the exporter from
`OTEL_TRACES_EXPORTER` (`otlp`, the default, or `console`; `none` turns tracing off), its
endpoint from `OTEL_EXPORTER_OTLP_ENDPOINT`, the service from `OTEL_SERVICE_NAME` (default
`timebridge`); `OTEL_SDK_DISABLED=true` turns it off. Without the extra, nothing is traced.

`TraceContext` opens the server span of each HTTP request as a child of an incoming W3C
`traceparent`. It is ours rather than the ASGI instrumentation because that one records the
full target, and a GET's query string carries the document and its variables.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from adapters import telemetry

log = logging.getLogger("timebridge.tracing")


def available() -> bool:
    try:
        import opentelemetry.sdk.trace  # noqa: F401
    except ImportError:
        return False
    return True


def configure_tracing() -> bool:
    """Install a tracer provider from the OTEL_* variables; True when traces are exported."""
    exporter_name = os.environ.get("OTEL_TRACES_EXPORTER", "otlp").strip().lower()
    if os.environ.get("OTEL_SDK_DISABLED", "").lower() == "true" or exporter_name == "none":
        return False
    if not available():
        return False
    from opentelemetry import trace
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter

    exporter: Any
    if exporter_name == "console":
        exporter = ConsoleSpanExporter()
    elif exporter_name == "otlp":
        if not (
            os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT")
            or os.environ.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
        ):
            return False  # nowhere to send them: off, rather than retrying a default address
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        exporter = OTLPSpanExporter()
    else:
        log.warning("OTEL_TRACES_EXPORTER=%s is not supported; tracing is off", exporter_name)
        return False
    resource = Resource.create({"service.name": os.environ.get("OTEL_SERVICE_NAME", "timebridge")})
    provider = TracerProvider(resource=resource)
    provider.add_span_processor(BatchSpanProcessor(exporter))
    trace.set_tracer_provider(provider)
    return True


class TraceContext:
    """A server span per HTTP request, continuing the caller's trace."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.enabled = available()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        tracer = telemetry.tracer("timebridge.gateway") if self.enabled else None
        if scope["type"] != "http" or tracer is None:
            await self.app(scope, receive, send)
            return
        from opentelemetry import propagate
        from opentelemetry.trace import SpanKind, StatusCode

        carrier = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        parent = propagate.extract(carrier)
        name = f"{scope['method']} {scope['path']}"
        with tracer.start_as_current_span(name, context=parent, kind=SpanKind.SERVER) as span:
            span.set_attribute("http.request.method", scope["method"])
            span.set_attribute("url.path", scope["path"])

            async def traced(message: Message) -> None:
                if message["type"] == "http.response.start":
                    span.set_attribute("http.response.status_code", message["status"])
                    if message["status"] >= 500:
                        span.set_status(StatusCode.ERROR)
                await send(message)

            await self.app(scope, receive, traced)
