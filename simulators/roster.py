"""The seeded team both simulators share: the same humans, matched across platforms by email."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True, slots=True)
class Member:
    """One human of the demo team, and where they track time."""

    first_name: str
    last_name: str
    email: str
    time_zone: str
    on_productive: bool = True
    on_clockify: bool = True

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"


TEAM: tuple[Member, ...] = (
    Member("Ana", "Kovač", "ana.kovac@example.com", "Europe/Zagreb"),
    Member("Ben", "Okafor", "ben.okafor@example.com", "Europe/London"),
    Member("Chloé", "Martin", "chloe.martin@example.com", "Europe/Paris"),
    Member("Dev", "Patel", "dev.patel@example.com", "Asia/Kolkata"),
    Member("Emma", "Schulz", "emma.schulz@example.com", "Europe/Berlin"),
    Member("Felipe", "Santos", "felipe.santos@example.com", "America/Sao_Paulo"),
    Member("Grace", "Lee", "grace.lee@example.com", "America/New_York"),
    Member("Hiro", "Tanaka", "hiro.tanaka@example.com", "Asia/Tokyo"),
    Member("Ivana", "Horvat", "ivana.horvat@example.com", "Europe/Zagreb", on_clockify=False),
    Member("Jonas", "Berg", "jonas.berg@example.com", "Europe/Stockholm", on_productive=False),
)

WEEKS = 4


def team(size: int = len(TEAM)) -> tuple[Member, ...]:
    """The demo team, grown to `size` with generated colleagues on both platforms (the
    benchmarks' 200-person organisation). Generated people track only the anchor's week,
    which keeps a large simulated organisation quick to filter."""
    extra = (
        Member(f"Person{i}", f"Generated{i}", f"person{i}@example.com", "Europe/Berlin")
        for i in range(len(TEAM), size)
    )
    return (*TEAM, *extra)


def generated(member: Member) -> bool:
    return member not in TEAM


def default_anchor(today: date | None = None) -> date:
    """The Monday of the current week: the seed's four weeks end with this one."""
    today = today or date.today()
    return today - timedelta(days=today.weekday())


def seeded_days(anchor: date) -> list[date]:
    """Working days of the seeded four weeks, oldest first, ending with the anchor's week."""
    first = anchor - timedelta(weeks=WEEKS - 1)
    days = [first + timedelta(days=i) for i in range(WEEKS * 7)]
    return [d for d in days if d.weekday() < 5]
