"""`@record`: the decorator of the domain records (adapters/base.py), immutable to mypy and
cheap to make at run time.

A frozen dataclass sets each field in `__init__` through `object.__setattr__`, past its own
refusing `__setattr__`: a 28-field time entry takes 3.6 us to make instead of 0.9, and a
busy week makes a few hundred of them per query. So a record is a plain slotted dataclass at
run time (equal and hashable by its fields, as a frozen one), and frozen to the type checker:
`mypy --strict`, which the test command runs over every module, refuses any assignment to a
record's field, and `dataclasses.replace` makes the changed copy as before.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeVar, dataclass_transform

T = TypeVar("T")


@dataclass_transform(frozen_default=True, field_specifiers=(field,))
def record(cls: type[T]) -> type[T]:
    return dataclass(slots=True, unsafe_hash=True)(cls)
