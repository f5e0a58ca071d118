"""Injected faults, random and scripted: 5xx answers, dropped connections, slow answers, lost
write answers and short outages (see simulators/README.md, "Faults")."""

from __future__ import annotations

import random
from dataclasses import dataclass, field


@dataclass(slots=True)
class ScriptedFault:
    """A fault for the next matching request: a status, a dropped connection or a slow answer.

    `after_handler` makes the fault happen after the upstream has done its work, the way a
    timeout after sending leaves a write applied with its answer lost.
    """

    kind: str  # "status" | "drop" | "slow" | "truncate" | "garbage"
    status: int = 503
    delay: float = 0.0
    method: str | None = None
    path_contains: str = ""
    after_handler: bool = False
    times: int = 1  # how many matching requests it hits before it is used up
    outage_after: int = 0  # then answer this many further requests 503 (a short outage)

    def matches(self, method: str, path: str) -> bool:
        return (self.method is None or self.method == method) and self.path_contains in path


@dataclass
class FaultSettings:
    """Random and scripted faults; all off by default.

    Random faults, each a share of requests: `error_rate` answers 5xx and `drop_rate` closes
    the connection, both before the handler (nothing lands); `slow_rate` delays the request by
    `slow_delay` before the handler (a write lands late, after a client may have given up);
    `lost_answer_rate`, for writes only, runs the handler and then closes the connection (the
    write lands, its answer is lost). Not a fault but the network's too: `set_cookie`.
    """

    latency: float = 0.0
    error_rate: float = 0.0
    drop_rate: float = 0.0
    slow_rate: float = 0.0
    slow_delay: float = 2.0
    lost_answer_rate: float = 0.0
    seed: int = 7
    script: list[ScriptedFault] = field(default_factory=list)
    # A `Set-Cookie` on every answer, as a load balancer in front of an API may send (the
    # upstream docs say nothing of cookies); None sends none.
    set_cookie: str | None = None

    def __post_init__(self) -> None:
        self._random = random.Random(self.seed)
        self.outage_left = 0

    def clear(self) -> None:
        """Drop scripted faults and any outage under way (random rates stay as set)."""
        self.script.clear()
        self.outage_left = 0

    def take_outage(self) -> ScriptedFault | None:
        if self.outage_left <= 0:
            return None
        self.outage_left -= 1
        return ScriptedFault("status", status=503)

    def take_scripted(self, method: str, path: str, after_handler: bool) -> ScriptedFault | None:
        for i, fault in enumerate(self.script):
            if fault.after_handler == after_handler and fault.matches(method, path):
                fault.times -= 1
                if fault.times <= 0:
                    self.script.pop(i)
                return fault
        return None

    def draw_lost_answer(self) -> ScriptedFault | None:
        if self.lost_answer_rate and self._random.random() < self.lost_answer_rate:
            return ScriptedFault("drop", after_handler=True)
        return None

    def draw_random(self) -> ScriptedFault | None:
        roll = self._random.random()
        if roll < self.drop_rate:
            return ScriptedFault("drop")
        if roll < self.drop_rate + self.error_rate:
            return ScriptedFault("status", status=self._random.choice([500, 502, 503]))
        if roll < self.drop_rate + self.error_rate + self.slow_rate:
            return ScriptedFault("slow", delay=self.slow_delay)
        return None


@dataclass
class WebhookFaults:
    """How deliveries go wrong: `delay` seconds late, `duplicate_rate` sent twice,
    `drop_rate` never sent."""

    delay: float = 0.0
    duplicate_rate: float = 0.0
    drop_rate: float = 0.0
    seed: int = 11
    rng: random.Random = field(init=False)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
