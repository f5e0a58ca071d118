"""How the benchmarks quote a ratio taken per pair of interleaved rounds."""

from __future__ import annotations

import statistics


def quartiles(values: list[float]) -> str:
    """The median with its quartiles, as the tables print it."""
    if len(values) < 2:
        return f"{values[0]:.3f}"
    low, mid, high = statistics.quantiles(values, n=4)
    return f"{mid:.3f} ({low:.3f}-{high:.3f})"
