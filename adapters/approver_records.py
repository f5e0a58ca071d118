"""Domain records of approvers' and absences' reads: holidays, time-off balances and approval
policy assignments. Frozen and slotted like those in adapters/base.py; `raw` keeps the
upstream record as received."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum

from adapters.base import Platform, Raw


@dataclass(frozen=True, slots=True)
class HolidayRecord:
    """A day (or days) off for everyone it applies to."""

    platform: Platform
    remote_id: str
    name: str
    start: date
    end: date
    occurs_annually: bool
    raw: Raw
    # Of the people asked about, those it applies to; None when no people were asked about.
    person_ids: tuple[str, ...] | None = None
    calendar: str | None = None  # Productive: the holiday calendar's name


@dataclass(frozen=True, slots=True)
class TimeOffBalanceRecord:
    """What one person has, has used and has left on one time-off policy."""

    platform: Platform
    person_id: str
    policy_id: str
    policy_name: str
    unit: str  # DAYS or HOURS
    total: float | None
    used: float | None
    remaining: float | None
    raw: Raw


class AssignmentTarget(Enum):
    """What an approval policy is assigned to."""

    PERSON = "person"  # absences of that person
    BUDGET = "budget"  # time tracked on that budget


@dataclass(frozen=True, slots=True)
class PolicyAssignmentRecord:
    """One approval policy assigned to one person or budget (Productive)."""

    platform: Platform
    remote_id: str
    policy_id: str | None
    target: AssignmentTarget
    target_id: str
    raw: Raw
