"""HookStage keeps contextlib's rules for a generator hook: what follows the yield runs after
the stage, an error inside the stage is thrown into the hook, and is suppressed only when the
hook swallows it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from schema.extension_runner import HookStage


def test_the_code_after_the_yield_runs_when_the_stage_ends() -> None:
    seen: list[str] = []

    def hook() -> Iterator[None]:
        seen.append("before")
        yield
        seen.append("after")

    with HookStage(hook):
        seen.append("inside")
    assert seen == ["before", "inside", "after"]


def test_an_error_inside_reaches_the_hook_and_goes_on_unless_swallowed() -> None:
    caught: list[BaseException] = []

    def passes_on() -> Iterator[None]:
        try:
            yield
        except ValueError as error:
            caught.append(error)
            raise

    with pytest.raises(ValueError, match="bad"), HookStage(passes_on):
        raise ValueError("bad")
    assert len(caught) == 1

    def swallows() -> Iterator[None]:
        try:
            yield
        except ValueError:
            return

    with HookStage(swallows):
        raise ValueError("swallowed")


def test_a_hook_may_not_yield_twice() -> None:
    def twice() -> Iterator[None]:
        yield
        yield

    with pytest.raises(RuntimeError, match="more than once"), HookStage(twice):
        pass


async def test_the_stage_is_an_async_context_manager_too() -> None:
    seen: list[str] = []

    def hook() -> Iterator[None]:
        yield
        seen.append("after")

    async with HookStage(hook):
        seen.append("inside")
    assert seen == ["inside", "after"]
