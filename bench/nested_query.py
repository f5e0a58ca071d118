"""Everyone's week with projects and tasks: Timebridge's one GraphQL query against the baseline a
frontend would run without it (list people, then each person's entries, one request each).

Both run in the same process against the same simulators with the same added latency per
upstream request; the script prints upstream requests, median wall time and their ratios.

    .venv/bin/python -m bench.nested_query [--latency 0.02] [--rounds 5]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import httpx

from simulators.clockify.app import DEMO_KEY
from simulators.clockify.seed import WORKSPACE_ID
from simulators.productive.app import DEMO_TOKEN
from simulators.productive.seed import ORGANIZATION_ID
from tests.stack import Stack, running_stack

WEEK = ("2026-11-16", "2026-11-20")
QUERY = (
    """{ people(first: 50) { edges { node { name timeEntries(first: 50, filter: {dateRange:
  {start: "%s", end: "%s"}}) { edges { node { date durationMinutes project { name }
  task { name } } } } } } } }"""
    % WEEK
)


def timebridge(stack: Stack) -> int:
    body = stack.data(QUERY)
    return sum(len(e["node"]["timeEntries"]["edges"]) for e in body["people"]["edges"])


def baseline(stack: Stack) -> int:
    """What a client does per person without a batching gateway, platform after platform."""
    client = stack.client
    p_url = f"{stack.demo.productive.url}/api/v2"
    p_headers = {
        "X-Auth-Token": DEMO_TOKEN,
        "X-Organization-Id": ORGANIZATION_ID,
        "Content-Type": "application/vnd.api+json",
    }
    entries = 0
    people = client.get(f"{p_url}/people", headers=p_headers).json()["data"]
    for person in people:
        page = client.get(
            f"{p_url}/time_entries",
            headers=p_headers,
            params={
                "filter[person_id]": person["id"],
                "filter[after]": WEEK[0],
                "filter[before]": WEEK[1],
                "include": "service.deal.project,task",
            },
        ).json()
        entries += len(page["data"])
    c_url = f"{stack.demo.clockify.url}/api/v1/workspaces/{WORKSPACE_ID}"
    c_headers = {"X-Api-Key": DEMO_KEY}
    projects = {p["id"] for p in client.get(f"{c_url}/projects", headers=c_headers).json()}
    for user in client.get(f"{c_url}/users", headers=c_headers).json():
        found = client.get(
            f"{c_url}/user/{user['id']}/time-entries",
            headers=c_headers,
            params={"start": f"{WEEK[0]}T00:00:00Z", "end": f"{WEEK[1]}T23:59:59Z"},
        ).json()
        entries += len(found)
        for project in projects:  # tasks are listed per project
            client.get(f"{c_url}/projects/{project}/tasks", headers=c_headers)
    return entries


def measure(stack: Stack, run: Callable[[Stack], int], rounds: int) -> tuple[int, int, int, float]:
    times = []
    for _ in range(rounds):
        stack.reset()
        started = time.perf_counter()
        entries = run(stack)
        times.append(time.perf_counter() - started)
    productive, clockify = stack.counts()
    return entries, productive, clockify, statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.02, help="seconds per upstream request")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with running_stack() as stack, httpx.Client():
        stack.productive.settings.faults.latency = args.latency
        stack.clockify.settings.faults.latency = args.latency
        base = measure(stack, baseline, args.rounds)
        ours = measure(stack, timebridge, args.rounds)
    print(f"upstream latency {args.latency * 1000:.0f} ms, median of {args.rounds} rounds")
    print(f"{'':14}{'entries':>8}{'Productive':>12}{'Clockify':>10}{'total':>7}{'seconds':>9}")
    for name, (entries, p, c, seconds) in (("baseline", base), ("timebridge", ours)):
        print(f"{name:14}{entries:>8}{p:>12}{c:>10}{p + c:>7}{seconds:>9.3f}")
    requests_ratio = (base[1] + base[2]) / (ours[1] + ours[2])
    print(
        f"timebridge makes {requests_ratio:.1f}x fewer upstream requests "
        f"and answers {base[3] / ours[3]:.1f}x faster than the baseline"
    )
    assert base[0] == ours[0], "both must read the same entries"


if __name__ == "__main__":
    main()
