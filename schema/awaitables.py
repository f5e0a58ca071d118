"""Whether a resolved value must be awaited, answered by its type once the type is known.

graphql-core asks this of every value it resolves and every result it completes. strawberry's
predicate answers at once for the builtin types, but for anything else (a record, an entry's
`Project`, a `date`) it asks `hasattr(value, "__await__")`, which raises and catches an
AttributeError inside: several times the cost of the question for the types a week of entries
is made of. A type that is neither a coroutine nor a generator, and whose class defines
neither `__await__` nor `__getattr__`, makes no awaitable instances (`await` looks
`__await__` up on the type), so the answer is kept by type.
"""

from __future__ import annotations

from types import CoroutineType, GeneratorType
from typing import Any

from strawberry.execution import optimized_is_awaitable

__all__ = ["is_awaitable"]

_NEVER: set[type] = {type(None), bool, int, float, str, bytes, list, tuple, dict}
# A gateway meets a few dozen types; the bound only guards against a schema that makes types.
_LIMIT = 4096


def is_awaitable(value: Any) -> bool:
    """`optimized_is_awaitable`, with the answer for a never-awaitable type kept."""
    kind = type(value)
    if kind in _NEVER:
        return False
    if optimized_is_awaitable(value):
        return True
    if len(_NEVER) < _LIMIT and _makes_no_awaitables(kind):
        _NEVER.add(kind)
    return False


def _makes_no_awaitables(kind: type) -> bool:
    if issubclass(kind, CoroutineType | GeneratorType):
        return False
    return getattr(kind, "__await__", None) is None and getattr(kind, "__getattr__", None) is None
