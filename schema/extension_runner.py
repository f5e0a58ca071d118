"""The operation's extension hooks, run without strawberry's per-request wrapping.

For every request and every stage (operation, parsing, validation, execution) strawberry
inspects each extension's hook, wraps it in a fresh `contextlib.contextmanager` (which copies
the function's metadata with `update_wrapper`) and enters it through an exit stack. The
gateway has one extension, `GatewayOperation`, whose hooks are plain generators: here each
stage enters its hook's generator directly. Any other set of extensions (a test schema, a
directive extension) keeps strawberry's own runner.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from types import TracebackType
from typing import Any

from strawberry.extensions import SchemaExtension
from strawberry.extensions.runner import SchemaExtensionsRunner
from strawberry.types import ExecutionContext


class HookStage:
    """One generator hook as a (sync and async) context manager, with contextlib's rules: the
    generator yields once; an error inside is thrown into it, and is suppressed only when the
    generator swallows it and stops."""

    __slots__ = ("_generator",)

    def __init__(self, hook: Callable[[], Any]) -> None:
        # GatewayOperation's hooks are generators (strawberry types them more widely).
        self._generator: Generator[None, None, None] = hook()

    def __enter__(self) -> None:
        next(self._generator)

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> bool:
        if error is None:
            try:
                next(self._generator)
            except StopIteration:
                return False
            raise RuntimeError("an extension hook yielded more than once")
        try:
            self._generator.throw(error)
        except StopIteration as stop:
            return stop is not error
        except BaseException as raised:
            if raised is error:
                return False
            raise
        raise RuntimeError("an extension hook yielded again after an error")

    async def __aenter__(self) -> None:
        self.__enter__()

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> bool:
        return self.__exit__(kind, error, traceback)


class SingleExtensionRunner(SchemaExtensionsRunner):
    """Runs the stages of one extension of `kind` directly; anything else as strawberry does."""

    def __init__(
        self,
        execution_context: ExecutionContext,
        extensions: list[SchemaExtension],
        kind: type[SchemaExtension],
    ) -> None:
        super().__init__(execution_context, extensions)
        self._only = extensions[0] if len(extensions) == 1 else None
        if type(self._only) is not kind:
            self._only = None

    def operation(self) -> Any:
        return HookStage(self._only.on_operation) if self._only else super().operation()

    def parsing(self) -> Any:
        return HookStage(self._only.on_parse) if self._only else super().parsing()

    def validation(self) -> Any:
        return HookStage(self._only.on_validate) if self._only else super().validation()

    def executing(self) -> Any:
        return HookStage(self._only.on_execute) if self._only else super().executing()
