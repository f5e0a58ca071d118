"""`stopRunningEverywhere`: one timer per human. Starting Ana's Clockify timer also stops her
running Productive timer (the same email), reports both, and a retry with the same key
writes nothing more."""

from __future__ import annotations

from tests.mutations.helpers import mutate, writes
from tests.stack import Stack

SELECTION = """timer { platform running } stoppedTimer { id }
  stoppedElsewhere { platform running person { email } }"""


def test_starting_on_one_platform_stops_the_same_human_on_the_other(stack: Stack) -> None:
    assert stack.productive.store.get("timers", "700").attributes["stopped_at"] is None
    value = {
        "platform": "CLOCKIFY",
        "note": "One timer",
        "stopRunningEverywhere": True,
        "idempotencyKey": "everywhere-1",
    }
    first = mutate(stack, "startTimer", value, SELECTION)
    assert first["userErrors"] == []
    assert first["timer"] == {"platform": "CLOCKIFY", "running": True}
    assert first["stoppedElsewhere"] == {
        "platform": "PRODUCTIVE",
        "running": False,
        "person": {"email": "ana.kovac@example.com"},
    }
    assert stack.productive.store.get("timers", "700").attributes["stopped_at"] is not None
    sent = writes(stack)
    again = mutate(stack, "startTimer", value, SELECTION)
    assert again == first and writes(stack) == sent  # the retry found both, sent nothing


def test_without_it_the_other_platform_is_left_alone(stack: Stack) -> None:
    started = mutate(stack, "startTimer", {"platform": "CLOCKIFY", "note": "Just here"}, SELECTION)
    assert started["userErrors"] == [] and started["stoppedElsewhere"] is None
    assert stack.productive.store.get("timers", "700").attributes["stopped_at"] is None
    assert writes(stack) == (0, 1)
