"""`timebridge serve | demo | simulate | schema`: the console entry point."""

from __future__ import annotations

import argparse
import logging
import os
import re
import sys
from collections.abc import Callable, Sequence
from typing import TypeVar

from adapters.errors import AdapterError
from gateway.access import configure_logging
from gateway.cli_flags import ENV_FLAGS
from gateway.config import ConfigError, Settings
from gateway.event_loop import run


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="timebridge",
        description="One GraphQL API for time tracking across Productive.io and Clockify.",
    )
    parser.add_argument("--version", action="version", version=f"timebridge {_version()}")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser(
        "serve",
        help="run the gateway against the real upstreams",
        description="Run the gateway. Every flag can also be set by its environment variable.",
    )
    for flag, env, text in ENV_FLAGS:
        serve.add_argument(flag, dest=env, metavar=env, help=f"{text} [env {env}]")
    demo = commands.add_parser(
        "demo",
        help="run the gateway with both simulators and a seeded team (no setup)",
        description="Start both simulators on loopback and the gateway in front of them.",
    )
    demo.add_argument("--host", default="127.0.0.1", help="address for all three servers")
    demo.add_argument("--port", type=int, default=4000, help="gateway port (default 4000)")
    demo.add_argument(
        "--cors-origins",
        default=None,
        help="comma-separated browser origins allowed to call the gateway "
        "(default: any http://localhost or 127.0.0.1 port, for dev servers such as Vite)",
    )
    demo.add_argument(
        "--latency",
        type=float,
        default=0.0,
        help="seconds the simulators add to every upstream answer (default 0)",
    )
    simulate = commands.add_parser(
        "simulate",
        help="run one upstream simulator as a standalone HTTP server",
        description="Serve one simulator; its request log is at /_sim/requests.",
    )
    simulate.add_argument("platform", choices=["productive", "clockify"])
    simulate.add_argument("--host", default="127.0.0.1")
    simulate.add_argument("--port", type=int, default=0, help="port (default: a free one)")
    commands.add_parser("schema", help="print the GraphQL schema (SDL)")
    hooks = commands.add_parser(
        "webhooks",
        help="register, list or delete the gateway's webhooks on Productive and Clockify "
        "(the server's credentials, from the environment)",
    )
    hooks.add_argument("action", choices=["register", "list", "delete"])
    hooks.add_argument(
        "--public-url",
        help="the gateway's address as the platforms reach it, e.g. https://gateway.example",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    configure_logging(logging.INFO)
    if args.command in ("serve", "demo"):
        from gateway.tracing import configure_tracing

        configure_tracing()
    try:
        if args.command == "schema":
            from schema import build_schema

            print(build_schema().as_str())
            return 0
        if args.command == "serve":
            return _serve(args)
        if args.command == "webhooks":
            from gateway import webhook_cli

            settings = Settings.from_env(dict(os.environ)).validate()
            return webhook_cli.run(settings, args.action, args.public_url)
        if args.command == "demo":
            return _demo(args.host, args.port, args.latency, args.cors_origins)
        return _simulate(args.platform, args.host, args.port)
    except ConfigError as error:
        print(f"timebridge: configuration error: {_with_flag(str(error))}", file=sys.stderr)
        return 2
    except AdapterError as error:
        print(f"timebridge: {error.platform}: {error.message}", file=sys.stderr)
        return 1
    except Unlistenable as error:
        print(f"timebridge: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"timebridge: {error.strerror or error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0


def _serve(args: argparse.Namespace) -> int:
    from gateway.app import gateway_listener
    from gateway.servers import bind, can_share_ports, serve
    from gateway.workers import check_workers, run_workers

    env = dict(os.environ)
    env.update({k: v for k, v in vars(args).items() if k.isupper() and v is not None})
    settings = Settings.from_env(env).validate()
    p, c = settings.productive, settings.clockify
    if not (p.configured or c.configured or settings.request_credentials):
        raise ConfigError(
            "no platform is configured: set PRODUCTIVE_API_TOKEN with "
            "PRODUCTIVE_ORGANIZATION_ID, or CLOCKIFY_API_KEY with CLOCKIFY_WORKSPACE_ID "
            "(or TIMEBRIDGE_REQUEST_CREDENTIALS=true with the ids)"
        )
    workers = _workers(env)
    check_workers(settings, workers)
    for variable, url in (
        ("TIMEBRIDGE_IDEMPOTENCY_STORE", settings.idempotency_store),
        ("TIMEBRIDGE_PERSISTED_QUERIES", settings.persisted_queries),
        ("TIMEBRIDGE_RATE_LIMIT_STORE", settings.rate_limit_store),
        ("TIMEBRIDGE_READ_CACHE", settings.read_cache),
        ("TIMEBRIDGE_EVENTS", settings.events),
    ):
        _check_redis(variable, url)
    if workers > 1:
        # Each worker listens on a socket of its own on this port (where the kernel can
        # balance them): one shared socket let whichever worker woke first accept a whole
        # burst of keep-alive connections and serve them alone.
        shared = can_share_ports()
        sock = _listen(
            lambda: bind(settings.host, settings.port, shared=shared, listen=not shared),
            settings.host,
            settings.port,
        )
        host, port = sock.getsockname()[:2]

        def announce() -> None:
            print(
                f"Timebridge gateway ({workers} workers) on http://{host}:{port}/graphql",
                flush=True,
            )

        return run_workers(settings, sock, workers, announce)
    listener = _listen(lambda: gateway_listener(settings), settings.host, settings.port)
    print(f"Timebridge gateway on {listener.url}/graphql", flush=True)
    run(serve([listener], log_level="info"), settings.event_loop)
    return 0


def _demo(host: str, port: int, latency: float, cors: str | None) -> int:
    from gateway.demo import LOCAL_ORIGINS, build_demo
    from gateway.servers import serve

    origins = () if cors is None else tuple(o.strip() for o in cors.split(",") if o.strip())
    regex = LOCAL_ORIGINS if cors is None else None
    demo = _listen(
        lambda: build_demo(host, port, cors_origins=origins, cors_origin_regex=regex), host, port
    )
    for simulator in (demo.productive_sim, demo.clockify_sim):
        simulator.settings.faults.latency = latency
    print(f"Productive simulator: {demo.productive.url}/api/v2", flush=True)
    print(f"Clockify simulator:   {demo.clockify.url}/api/v1", flush=True)
    print(f"GraphiQL:             {demo.gateway.url}/graphql", flush=True)
    run(serve(demo.listeners))
    return 0


def _simulate(platform: str, host: str, port: int) -> int:
    from gateway.servers import Listener, bind, serve
    from simulators.clockify.app import DEMO_KEY, ClockifySimulator
    from simulators.clockify.seed import WORKSPACE_ID
    from simulators.productive.app import DEMO_TOKEN, ProductiveSimulator
    from simulators.productive.seed import ORGANIZATION_ID

    if platform == "productive":
        listener = Listener(ProductiveSimulator().app, bind(host, port))
        print(
            f"Productive simulator on {listener.url}/api/v2 "
            f"(X-Auth-Token: {DEMO_TOKEN}, X-Organization-Id: {ORGANIZATION_ID})",
            flush=True,
        )
    else:
        listener = Listener(ClockifySimulator().app, bind(host, port))
        print(
            f"Clockify simulator on {listener.url}/api/v1, reports {listener.url}/report/v1 "
            f"(X-Api-Key: {DEMO_KEY}, workspace {WORKSPACE_ID})",
            flush=True,
        )
    run(serve([listener], log_level="info"))
    return 0


class Unlistenable(Exception):
    """The gateway's address is taken or not ours: one line naming it."""


T = TypeVar("T")


def _listen(make: Callable[[], T], host: str, port: int) -> T:
    try:
        return make()
    except OSError as error:
        reason = error.strerror or str(error)
        raise Unlistenable(f"cannot listen on {host}:{port}: {reason}") from None


def _workers(env: dict[str, str]) -> int:
    raw = env.get("TIMEBRIDGE_WORKERS", "1").strip() or "1"
    if not raw.isdigit():
        raise ConfigError(f"TIMEBRIDGE_WORKERS must be a whole number, got {raw!r}")
    return int(raw)


def _check_redis(variable: str, url: str) -> None:
    """A shared store that cannot be reached at start is an error, not a silent fallback."""
    if not url.startswith(("redis://", "rediss://")):
        return
    import redis

    shown = re.sub(r"//[^@/]*@", "//***@", url)  # never print a password
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2.0, socket_timeout=2.0).ping()
    except (redis.exceptions.RedisError, OSError) as error:
        raise ConfigError(f"{variable}: cannot reach {shown}: {error}") from None


def _with_flag(message: str) -> str:
    """A configuration message names its variable; add the `serve` flag that sets it (the
    variable named first, when it names several)."""
    found = [
        (match.start(), variable, flag)
        for flag, variable, _ in ENV_FLAGS
        if (match := re.search(rf"\b{variable}\b", message))
    ]
    if not found:
        return message
    _, variable, flag = min(found)
    return f"{message} (set by {variable} or {flag})"


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("timebridge")
    except PackageNotFoundError:
        return "unknown (not installed)"


if __name__ == "__main__":
    raise SystemExit(main())
