"""Shared fixtures: one running stack per session, reset to the seed before every test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.stack import Stack, running_stack


@pytest.fixture(scope="session")
def session_stack() -> Iterator[Stack]:
    with running_stack() as stack:
        yield stack


@pytest.fixture
def stack(session_stack: Stack) -> Stack:
    # A request a previous test left upstream (its client gone) must not land in this log.
    for simulator in (session_stack.productive, session_stack.clockify):
        assert simulator.log.wait_idle(timeout=30)
    session_stack.reset()
    return session_stack
