"""A `timebridge serve` process for the benchmarks, and what they read off it: its CPU time and
memory from /proc, and load from keep-alive clients (bench/load_client.py, or Debian's `wrk`).

The simulators run in the benchmark's own process, so its CPU time is theirs.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.nested_query import QUERY
from gateway.demo import simulator_environment
from tests.mutations.conftest import REDIS_URL
from tests.stack import Stack, printed_url, timebridge

TICK = os.sysconf("SC_CLK_TCK")
QUERIES = {"bench query": QUERY, "{__typename}": "{ __typename }"}


@contextmanager
def gateway(
    stack: Stack, workers: int = 1, checkout: Path | None = None
) -> Iterator[tuple[str, int]]:
    """A `timebridge serve` process; from another checkout (with its own .venv) when given,
    for a before/after comparison in one run on one machine."""
    env = {
        **os.environ,
        **simulator_environment(stack.demo.productive.url, stack.demo.clockify.url),
        "TIMEBRIDGE_MAX_CLIENT_CONNECTIONS": "500",
        # The gateway's own cost is measured, not its pacing inside the upstream budgets.
        "TIMEBRIDGE_PRODUCTIVE_RATE_LIMITS": "off",
        "TIMEBRIDGE_CLOCKIFY_RATE_LIMITS": "off",
        # Every query does its whole work: a cached answer would measure the cache instead.
        "TIMEBRIDGE_READ_CACHE": "off",
    }
    if workers > 1:
        # Workers share idempotency keys and events through Redis (the read cache is off).
        env["TIMEBRIDGE_IDEMPOTENCY_STORE"] = env["TIMEBRIDGE_EVENTS"] = REDIS_URL
    arguments = ("--workers", str(workers)) if workers > 1 else ()
    if checkout is None:
        with timebridge("serve", "--port", "0", *arguments, env=env, stop="terminate") as process:
            yield printed_url(process), process.pid
        return
    command = [str(checkout / ".venv/bin/python"), "-m", "gateway.cli", "serve", "--port", "0"]
    other = subprocess.Popen(
        command, cwd=checkout, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    try:
        yield printed_url(other), other.pid
    finally:
        other.terminate()
        other.communicate(timeout=60)


def processes(pid: int) -> list[int]:
    """The gateway's process and its workers."""
    found = [pid]
    for task in Path(f"/proc/{pid}/task").iterdir():
        children = (task / "children").read_text().split()
        found.extend(int(c) for c in children)
    return found


def cpu_seconds(pid: int) -> float:
    """User and system CPU of the gateway, its workers included."""
    total = 0
    for each in processes(pid):
        fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / TICK


def own_cpu() -> float:
    """This process's CPU: the simulators, which answer the gateway's upstream calls."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def rss_mb(pid: int) -> float:
    """The largest resident set of the gateway's serving processes (each worker's own)."""
    sizes = []
    for each in processes(pid)[-1:] if len(processes(pid)) > 1 else [pid]:
        for line in Path(f"/proc/{each}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                sizes.append(int(line.split()[1]) / 1024)
    return max(sizes, default=0.0)


def load(url: str, query: str, concurrency: int, total: int) -> tuple[list[float], float]:
    """`total` requests from `concurrency` keep-alive clients in a process of their own (see
    bench/load_client.py); their latencies in seconds, and the wall time."""
    job = {"url": url, "body": json.dumps({"query": query}), "concurrency": concurrency}
    job["total"] = total
    done = subprocess.run(
        [sys.executable, "-m", "bench.load_client"],
        input=json.dumps(job),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-2000:])
    answer = json.loads(done.stdout)
    return sorted(answer["latencies"]), float(answer["wall"])


def wrk_rps(url: str, query: str, seconds: int = 8, warm: bool = True) -> float | None:
    """rps from wrk (a C load generator, Debian's `wrk`) at c=50, when it is installed: it
    costs the machine far less than any Python client, so the gateway gets the cores. A 2 s
    warm-up run comes first unless `warm` is false."""
    done = wrk_run(url, query, seconds, warm)
    return None if done is None else done[1]


def wrk_run(url: str, query: str, seconds: int, warm: bool = True) -> tuple[int, float] | None:
    """`wrk_rps`, with the number of requests wrk counted beside the rps."""
    if shutil.which("wrk") is None:
        return None
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        body = json.dumps({"query": query})
        script.write(
            f"wrk.method = 'POST'\nwrk.body = {json.dumps(body)}\n"
            "wrk.headers['Content-Type'] = 'application/json'\n"
        )
    try:
        command = ["wrk", "-t1", "-c50", "-s", script.name, url]
        if warm:
            subprocess.run([*command[:3], "-d2s", *command[3:]], capture_output=True, check=False)
        done = subprocess.run(
            [*command[:3], f"-d{seconds}s", *command[3:]],
            capture_output=True,
            text=True,
            check=False,
        )
    finally:
        os.unlink(script.name)
    if "Non-2xx" in done.stdout:
        raise RuntimeError(done.stdout)
    requests = rps = None
    for line in done.stdout.splitlines():
        if " requests in " in line:  # "  1234 requests in 4.00s, 5.67MB read"
            requests = int(line.split()[0])
        elif line.startswith("Requests/sec:"):
            rps = float(line.split()[1])
    if requests is None or rps is None:
        raise RuntimeError(done.stdout + done.stderr)
    return requests, rps


def markdown(header: list[str], rows: list[list[str]]) -> None:
    """A table as bench/README.md shows it."""
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(row) + " |")
