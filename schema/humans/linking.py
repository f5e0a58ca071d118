"""Which accounts are one human: the same email on both platforms (case-insensitive, as
`linkedAccounts` reads it), or an explicit link for people whose emails differ."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from adapters.base import PersonRecord, Platform

ORDER = (Platform.PRODUCTIVE, Platform.CLOCKIFY)


class BadLinks(ValueError):
    """TIMEBRIDGE_HUMAN_LINKS is not `productiveId=clockifyId` pairs."""


@dataclass(frozen=True, slots=True)
class HumanRecord:
    """One human: their account on each platform (at least one)."""

    accounts: tuple[PersonRecord, ...]

    @property
    def anchor(self) -> PersonRecord:
        """The account the human's ID is made from: Productive's where there is one."""
        return self.accounts[0]

    def account(self, platform: Platform) -> PersonRecord | None:
        return next((a for a in self.accounts if a.platform is platform), None)

    @property
    def name(self) -> str:
        return self.anchor.name

    @property
    def email(self) -> str | None:
        return next((a.email for a in self.accounts if a.email), None)

    @property
    def time_zone(self) -> str | None:
        """Clockify knows a person's zone; Productive's people have none."""
        return next((a.time_zone for a in self.accounts if a.time_zone), None)


def parse_links(raw: str | None) -> dict[str, str]:
    """`8160=5a0ab5acb07987125438b60f,8161=…` → {productive id: clockify id}."""
    links: dict[str, str] = {}
    for part in (raw or "").split(","):
        if not part.strip():
            continue
        productive, sep, clockify = (p.strip() for p in part.partition("="))
        if not sep or not productive.isdigit() or len(productive) > 19:
            raise BadLinks(f"not a productiveId=clockifyId pair: {part.strip()[:60]!r}")
        if len(clockify) != 24 or any(c not in "0123456789abcdefABCDEF" for c in clockify):
            raise BadLinks(f"not a Clockify user id: {clockify[:40]!r}")
        links[productive] = clockify.lower()
    return links


def link(people: Iterable[PersonRecord], links: Mapping[str, str]) -> list[HumanRecord]:
    """Group accounts into humans: explicit links first, then equal emails; an account with
    neither is a human of its own. Ordered by name."""
    productive = {p.remote_id: p for p in people if p.platform is Platform.PRODUCTIVE}
    clockify = {p.remote_id.lower(): p for p in people if p.platform is Platform.CLOCKIFY}
    groups: list[list[PersonRecord]] = []
    taken: set[tuple[Platform, str]] = set()
    for pid, cid in links.items():
        pair = [a for a in (productive.get(pid), clockify.get(cid)) if a is not None]
        if pair:
            groups.append(pair)
            taken.update((a.platform, a.remote_id.lower()) for a in pair)
    by_email: dict[str, list[PersonRecord]] = {}
    for account in [*productive.values(), *clockify.values()]:
        if (account.platform, account.remote_id.lower()) in taken:
            continue
        key = (account.email or "").strip().lower()
        if not key:
            groups.append([account])
            continue
        same = by_email.setdefault(key, [])
        if any(a.platform is account.platform for a in same):
            groups.append([account])  # a second account on one platform stays apart
        else:
            same.append(account)
    groups += list(by_email.values())
    humans = [HumanRecord(tuple(sorted(g, key=lambda a: ORDER.index(a.platform)))) for g in groups]
    return sorted(
        humans, key=lambda h: (h.name.lower(), h.anchor.platform.value, h.anchor.remote_id)
    )


def human_of(
    humans: Sequence[HumanRecord], platform: Platform, remote_id: str
) -> HumanRecord | None:
    for human in humans:
        account = human.account(platform)
        if account is not None and account.remote_id == remote_id:
            return human
    return None
