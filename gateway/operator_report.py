"""One log line per platform and interval for the operator: how much of each rate-limit
budget is in use, how long calls waited for room, how many were refused, and how often the
read cache answered. The same figures are metrics; the log is for whoever has no Prometheus.

Figures are this process's (each worker of `serve --workers` reports its own), taken as the
change of the counters since the last report.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from prometheus_client import REGISTRY

from adapters.pacing import Pacer

log = logging.getLogger("timebridge.operator")
PLATFORMS = ("productive", "clockify")
SERVED = ("hit", "revalidated")
LOOKED_UP = ("hit", "revalidated", "changed", "miss", "expired", "bypass")


def _sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


class OperatorReport:
    """Counters as they were at the last report, so each line gives one interval's figures."""

    def __init__(self, pacer: Pacer | None) -> None:
        self.pacer = pacer
        self.last: dict[tuple[str, ...], float] = {}
        self._figures()  # from here on: the first line counts only what this gateway did

    def _figures(self) -> dict[str, dict[str, float]]:
        figures = {}
        for platform in PLATFORMS:
            outcomes = {
                o: self._change("timebridge_read_cache_lookups_total", platform=platform, outcome=o)
                for o in LOOKED_UP
            }
            figures[platform] = {
                "calls": sum(
                    self._change("timebridge_upstream_requests_total", platform=platform, **labels)
                    for labels in _request_labels(platform)
                ),
                "waited": self._change("timebridge_pacing_wait_seconds_total", platform=platform),
                "refused": self._change("timebridge_pacing_refusals_total", platform=platform),
                "looked": sum(outcomes.values()),
                "served": sum(outcomes[o] for o in SERVED),
            }
        return figures

    def _change(self, name: str, **labels: str) -> float:
        key = (name, *labels.values())
        now = _sample(name, **labels)
        before, self.last[key] = self.last.get(key, 0.0), now
        return now - before

    async def lines(self) -> list[str]:
        budgets: dict[str, list[str]] = {p: [] for p in PLATFORMS}
        if self.pacer is not None:
            for platform, credential, window, used in await self.pacer.usage():
                budgets[platform].append(f"{window} {used:.0%} used (key {credential[:8]})")
        lines = []
        for platform, f in self._figures().items():
            looked = f["looked"]
            rate = f"{f['served'] / looked:.0%} of {looked:.0f}" if looked else "no lookups"
            budget = "; ".join(budgets[platform]) or "not paced"
            lines.append(
                f"{platform}: {f['calls']:.0f} upstream calls, budget {budget}, "
                f"waited {f['waited']:.1f} s, refused {f['refused']:.0f}, "
                f"read cache {rate} answered"
            )
        return lines

    async def run(self, interval: float) -> None:
        while True:
            await asyncio.sleep(interval)
            for line in await self.lines():
                log.info("%s", line)


def _request_labels(platform: str) -> list[dict[str, str]]:
    """Every (endpoint, method, status) the upstream request counter has for a platform."""
    found = []
    for metric in REGISTRY.collect():
        if metric.name != "timebridge_upstream_requests":
            continue
        for sample in metric.samples:
            if sample.name.endswith("_total") and sample.labels.get("platform") == platform:
                labels = {k: v for k, v in sample.labels.items() if k != "platform"}
                found.append(labels)
    return found


@contextlib.asynccontextmanager
async def reporting(pacer: Pacer | None, interval: float) -> AsyncIterator[OperatorReport]:
    """The report, logging every `interval` seconds while the gateway serves (0: never)."""
    report = OperatorReport(pacer)
    task = asyncio.create_task(report.run(interval)) if interval > 0 else None
    try:
        yield report
    finally:
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
