"""A lean keep-alive load client, run in its own process so that it neither shares the GIL
with the simulators nor caps what it measures: plain asyncio streams, one connection per
client, requests back to back, TCP_NODELAY set.

The clients draw on one shared budget of requests rather than a fixed share each: with
several workers the kernel spreads connections unevenly (30 on one, 20 on the other), and
fixed shares left the lighter worker idle while the heavier one finished, which measured the
spread instead of the workers.

Reads its job as JSON on stdin ({"url", "body", "concurrency", "total"}) and prints the
latencies in seconds and the wall time as JSON. Every answer must be a 200 without `errors`.

    echo '{"url": "http://127.0.0.1:8000/graphql", "body": "{\\"query\\": \\"{ __typename }\\"}",
           "concurrency": 10, "total": 1000}' | .venv/bin/python -m bench.load_client
"""

from __future__ import annotations

import asyncio
import json
import socket
import sys
import time
from typing import Any
from urllib.parse import urlsplit


async def client(url: str, body: bytes, budget: list[int], latencies: list[float]) -> None:
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    reader, writer = await asyncio.open_connection(host, port)
    writer.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    request = (
        f"POST {parts.path} HTTP/1.1\r\nHost: {host}:{port}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode() + body
    try:
        while budget[0] > 0:
            budget[0] -= 1
            started = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            status, length = _status_and_length(head)
            answer = await reader.readexactly(length)
            latencies.append(time.perf_counter() - started)
            if status != 200 or b'"errors"' in answer:
                raise RuntimeError(f"answer {status}: {answer[:500]!r}")
    finally:
        writer.close()


def _status_and_length(head: bytes) -> tuple[int, int]:
    lines = head.split(b"\r\n")
    status = int(lines[0].split(b" ", 2)[1])
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return status, int(value)
    raise RuntimeError(f"an answer without Content-Length: {head!r}")


async def run(job: dict[str, Any]) -> dict[str, Any]:
    concurrency, total = int(job["concurrency"]), int(job["total"])
    budget = [max(total, concurrency)]  # requests left, for whichever client is free first
    latencies: list[float] = []
    body = str(job["body"]).encode()
    started = time.perf_counter()
    await asyncio.gather(*(client(job["url"], body, budget, latencies) for _ in range(concurrency)))
    return {"latencies": latencies, "wall": time.perf_counter() - started}


if __name__ == "__main__":
    print(json.dumps(asyncio.run(run(json.load(sys.stdin)))))
