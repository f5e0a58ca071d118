"""The event loop a gateway process runs on: uvloop (libuv, in C) where it is installed, which
is a dependency on Linux and macOS; asyncio's own where it is not (Windows) or when
`TIMEBRIDGE_EVENT_LOOP=asyncio` asks for it, e.g. to rule the loop out while chasing a bug.

uvloop accepts, reads and writes sockets without a Python frame per event, which is most of
what a small request costs besides the GraphQL work (bench/README.md has the figures). It sets
TCP_NODELAY on every TCP socket itself, as `gateway.servers.bind` makes asyncio do.
"""

from __future__ import annotations

import asyncio
import importlib.util
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

T = TypeVar("T")
CHOICES = ("auto", "uvloop", "asyncio")


class UnknownLoop(ValueError):
    """TIMEBRIDGE_EVENT_LOOP names no loop this process can run."""


def uvloop_installed() -> bool:
    return importlib.util.find_spec("uvloop") is not None


def loop_factory(choice: str) -> Callable[[], asyncio.AbstractEventLoop] | None:
    """The factory for `choice` (None: asyncio's default loop)."""
    if choice not in CHOICES:
        raise UnknownLoop(
            f"TIMEBRIDGE_EVENT_LOOP must be one of {', '.join(CHOICES)}, got {choice!r}"
        )
    if choice == "asyncio" or (choice == "auto" and not uvloop_installed()):
        return None
    if not uvloop_installed():
        raise UnknownLoop("TIMEBRIDGE_EVENT_LOOP=uvloop, but uvloop is not installed")
    import uvloop

    return uvloop.new_event_loop


def run(main: Coroutine[Any, Any, T], choice: str = "auto") -> T:
    """`asyncio.run(main)` on the chosen loop."""
    with asyncio.Runner(loop_factory=loop_factory(choice)) as runner:
        return runner.run(main)
