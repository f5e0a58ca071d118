"""Live updates across two `timebridge serve` processes on one Redis (issue 14): a webhook
received by one reaches a subscriber on the other; only one of them polls Productive's
timers, and when that one dies the other takes the lease over and polls on."""

from __future__ import annotations

import httpx

from adapters.base import Platform
from schema.ids import encode
from tests.gateway.test_subscriptions import PRODUCTIVE_TIMERS, TIMERS, subscriber
from tests.gateway.test_webhooks import start_upstream
from tests.gateway.test_workers import env_for
from tests.mutations.conftest import REDIS_URL, require_redis
from tests.stack import Stack, printed_url, timebridge

TOKEN = "two-process-webhook-token"
INTERVAL = 0.2


def test_a_webhook_to_one_process_reaches_a_subscriber_on_the_other(stack: Stack) -> None:
    require_redis()
    env = env_for(
        stack,
        TIMEBRIDGE_EVENTS=REDIS_URL,
        TIMEBRIDGE_READ_CACHE="off",
        CLOCKIFY_WEBHOOK_TOKENS=TOKEN,
        # Its subscriber also starts Productive's timer poll, whose Redis lease outlives a
        # killed process by three intervals: short ones, so the next test need not wait.
        TIMEBRIDGE_TIMER_POLL_INTERVAL=str(INTERVAL),
    )
    with (
        timebridge("serve", "--port", "0", env=env) as first,
        timebridge("serve", "--port", "0", env=env) as second,
    ):
        one, two = printed_url(first), printed_url(second)
        with subscriber(two, TIMERS) as messages:
            started = start_upstream(stack, "Across processes")
            # Clockify's delivery of that start, to the first process only.
            delivered = httpx.post(
                one.replace("/graphql", "/webhooks/clockify/NEW_TIMER_STARTED"),
                json=started,
                headers={"Clockify-Signature": TOKEN},
                timeout=10,
            )
            assert delivered.status_code == 204, delivered.text
            change = messages.get(timeout=20)["data"]["timerChanged"]
    assert change["kind"] == "STARTED"
    assert change["timerId"] == encode("Timer", Platform.CLOCKIFY, started["id"])
    assert change["timer"]["timeEntry"]["note"] == "Across processes"


def test_one_process_polls_and_the_other_takes_over_when_it_dies(stack: Stack) -> None:
    require_redis()
    env = env_for(
        stack,
        TIMEBRIDGE_EVENTS=REDIS_URL,
        TIMEBRIDGE_READ_CACHE="off",
        TIMEBRIDGE_TIMER_POLL_INTERVAL=str(INTERVAL),
    )
    log = stack.productive.log
    with timebridge("serve", "--port", "0", env=env) as holder:
        held = printed_url(holder)
        with timebridge("serve", "--port", "0", env=env) as heir:
            other = printed_url(heir)
            with subscriber(held, PRODUCTIVE_TIMERS):
                # The first process polls first, so it holds the lease (a lease an earlier
                # test's killed process left runs out first).
                assert log.wait_count(2, "GET", "/timers", 45)
                with subscriber(other, PRODUCTIVE_TIMERS):
                    start = log.count("GET", "/timers")
                    assert log.wait_count(start + 6, "GET", "/timers", 20)
                    polls = [r.at for r in log.matching("GET", "/timers")][start : start + 6]
                    # Six polls took five intervals: one process polled, the other held back.
                    assert polls[-1] - polls[0] >= 5 * INTERVAL * 0.9
                    holder.kill()  # no release: its lease must run out
                    holder.wait(timeout=10)
                    died = log.count("GET", "/timers")
                    # Every poll from here on is the second process's: it took the lease over.
                    assert log.wait_count(died + 3, "GET", "/timers", 20)
