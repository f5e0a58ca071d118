"""The one place adapters send HTTP: retries for reads, none for writes, and a deadline.

Reads are retried on 429 (honouring Retry-After), 5xx and connection errors with jittered
exponential backoff, within the deadline of the GraphQL request. Writes are sent once: a write
whose answer is lost raises UnknownOutcome, so the caller can look before it reports.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import random
import time
import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx
import orjson

from adapters import telemetry
from adapters.errors import (
    AdapterError,
    RateLimited,
    UnknownOutcome,
    UpstreamUnavailable,
)
from adapters.pacing import Pacer
from adapters.read_cache import CacheUse, Place, ReadCache, Revalidation, Ticket
from adapters.upstream_paths import encode_path

log = logging.getLogger("timebridge.upstream")
ErrorMapper = Callable[[httpx.Response], AdapterError]


# Backoff jitter needs no seed of its own per request: seeding one from os.urandom cost more
# than a trivial query's whole execution.
_JITTER = random.Random()


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How hard a read tries: attempts, backoff base and cap, in seconds."""

    attempts: int = 4
    base: float = 0.1
    cap: float = 2.0

    def backoff(self, attempt: int, rng: random.Random) -> float:
        return float(min(self.cap, self.base * 2**attempt) * rng.uniform(0.5, 1.5))


class Deadline:
    """The time left for one GraphQL request's upstream work."""

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.expires = clock() + seconds

    def remaining(self) -> float:
        return max(0.0, self.expires - self.clock())


class UpstreamClient:
    """One platform's base URL and auth headers over a shared httpx.AsyncClient."""

    def __init__(
        self,
        platform: str,
        client: httpx.AsyncClient,
        base_url: str,
        headers: Mapping[str, str],
        map_error: ErrorMapper,
        deadline: Deadline,
        retry: RetryPolicy | None = None,
        tenant: str = "",
    ) -> None:
        self.platform = platform
        self.client = client
        self.base_url = base_url.rstrip("/")
        self.headers = dict(headers)
        self.map_error = map_error
        self.deadline = deadline
        self.retry = retry or RetryPolicy()
        self._rng = _JITTER
        # Reads in flight or done within this GraphQL request, by what they ask.
        self._reads: dict[bytes, asyncio.Future[httpx.Response]] = {}
        # Shared reads are keyed by the credentials too (a digest: never the secret itself).
        self._credentials = hashlib.sha256(orjson.dumps(sorted(self.headers.items()))).hexdigest()
        self._wrote_at = 0.0
        self.pacer: Pacer | None = None  # the process's rate-limit budget, when pacing
        # The process's read cache, when on, and this GraphQL request's use of it.
        self.cache: ReadCache | None = None
        self.cache_use = CacheUse()
        self.place = Place.of(platform, self.base_url, tenant, self._credentials)
        self.revalidation: Revalidation | None = None  # the platform's delta read, if any

    def release(self) -> None:
        """Once the GraphQL request is answered: the reads it shared and the platform's delta
        read (bound to the platform's client, which holds this one: a cycle) are let go."""
        self._reads.clear()
        self.revalidation = None

    async def send(
        self,
        method: str,
        path: str,
        *,
        params: Any = None,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
        base_url: str | None = None,
        safe_to_retry: bool | None = None,
        cached: bool = True,
    ) -> httpx.Response:
        """Send one request; return the 2xx response or raise the mapped AdapterError.

        Identical reads within one GraphQL request share one upstream call (200 aliases of a
        field are one read); any write forgets them, since it may change what they answer.
        Identical reads in flight at once for other GraphQL requests with the same
        credentials share the call too, unless this request wrote since that read began or
        must read fresh. With the read cache on, a read is answered from it when it can be
        (`cached=False` never is), and every write marks what it changed as stale.
        """
        url = f"{(base_url or self.base_url).rstrip('/')}{encode_path(path)}"
        retryable = method == "GET" if safe_to_retry is None else safe_to_retry
        if not retryable:
            self._reads.clear()
            self._wrote_at = time.monotonic()
            try:
                return await self._send(method, url, params, json, headers, retryable)
            finally:
                # Landed, refused or lost: the lists it may have changed are stale now.
                if self.cache is not None:
                    await self.cache.wrote(self.place, path)
        key = orjson.dumps(
            [method, url, params, json, self._credentials, headers],
            option=orjson.OPT_SORT_KEYS,
            default=str,
        )
        cache = self.cache if cached else None
        shared = self._reads.get(key)
        if shared is None and not self.cache_use.fresh:
            shared = _in_flight_since(key, self._wrote_at)
        if shared is not None:
            telemetry.COALESCED_READS.labels(self.platform).inc()
            try:
                response = await asyncio.shield(shared)
                if "stored_at" in response.extensions:
                    self.cache_use.served(response.extensions["stored_at"])
                return response
            except asyncio.CancelledError:
                task = asyncio.current_task()
                if task is not None and task.cancelling():
                    raise
                # The caller that was reading it was cancelled, not us: read it ourselves.
        future: asyncio.Future[httpx.Response] = asyncio.get_running_loop().create_future()
        self._reads[key] = future
        flights = _flights()
        flights[key] = (time.monotonic(), future)
        try:
            response, ticket = await self._cached_or_sent(
                cache, key, path, method, url, params, json, headers
            )
        except BaseException as error:
            if self._reads.get(key) is future:
                del self._reads[key]
            if isinstance(error, asyncio.CancelledError):
                future.cancel()
            else:
                future.set_exception(error)
                future.exception()  # retrieved: waiters get it; nobody else must log it
            raise
        finally:
            if flights.get(key, (0, None))[1] is future:
                del flights[key]
        future.set_result(response)
        if ticket is not None and cache is not None:
            await cache.save(ticket, response)
        return response

    async def _cached_or_sent(
        self,
        cache: ReadCache | None,
        key: bytes,
        path: str,
        method: str,
        url: str,
        params: Any,
        json: Any,
        headers: Mapping[str, str] | None,
    ) -> tuple[httpx.Response, Ticket | None]:
        """A read's answer from the cache, or from upstream with the ticket to keep it by."""
        ticket = None
        if cache is not None:
            request = httpx.Request(method, url, params=params)
            found, ticket = await cache.lookup(
                self.place, key, path, request, self.cache_use, self.revalidation
            )
            if found is not None:
                return found, None
        return await self._send(method, url, params, json, headers, True), ticket

    async def _send(
        self,
        method: str,
        url: str,
        params: Any,
        json: Any,
        headers: Mapping[str, str] | None,
        retryable: bool,
    ) -> httpx.Response:
        merged = {**self.headers, **(headers or {})}
        attempt = 0
        while True:
            remaining = self.deadline.remaining()
            if remaining <= 0:
                raise UpstreamUnavailable(self.platform, "deadline exceeded before an answer")
            path = httpx.URL(url).path
            template = telemetry.endpoint(path)
            try:
                response = await self._paced(method, url, params, json, merged, retryable, path)
            except httpx.TransportError as exc:
                telemetry.UPSTREAM_REQUESTS.labels(self.platform, template, method, "none").inc()
                if not retryable:
                    if _may_have_landed(exc):
                        raise UnknownOutcome(
                            self.platform,
                            "the write was sent but its answer was lost",
                            in_flight=isinstance(exc, httpx.TimeoutException),
                        ) from exc
                    raise UpstreamUnavailable(self.platform, _describe(exc)) from exc
                if attempt + 1 >= self.retry.attempts:
                    raise UpstreamUnavailable(self.platform, _describe(exc)) from exc
                telemetry.UPSTREAM_RETRIES.labels(self.platform, "transport").inc()
                await self._pause(self.retry.backoff(attempt, self._rng), None)
                attempt += 1
                continue
            status = str(response.status_code)
            telemetry.UPSTREAM_REQUESTS.labels(self.platform, template, method, status).inc()
            telemetry.UPSTREAM_SECONDS.labels(self.platform, template).observe(
                response.elapsed.total_seconds()
            )
            log.debug(
                "%s %s %s %d in %.1f ms",
                self.platform,
                method,
                response.request.url.path,
                response.status_code,
                response.elapsed.total_seconds() * 1000,
            )
            if response.is_success:
                return response
            error = self.map_error(response)
            retry_status = response.status_code == 429 or response.status_code >= 500
            if not retryable or not retry_status or attempt + 1 >= self.retry.attempts:
                raise error
            wait = self.retry.backoff(attempt, self._rng)
            if isinstance(error, RateLimited) and error.retry_after is not None:
                wait = max(wait, error.retry_after)
            reason = "rate_limited" if response.status_code == 429 else "5xx"
            telemetry.UPSTREAM_RETRIES.labels(self.platform, reason).inc()
            if reason == "rate_limited":
                telemetry.RATE_LIMIT_WAITS.labels(self.platform).inc(wait)
            await self._pause(wait, error)
            attempt += 1

    async def _paced(
        self,
        method: str,
        url: str,
        params: Any,
        json: Any,
        headers: Mapping[str, str],
        retryable: bool,
        path: str,
    ) -> httpx.Response:
        """One request, sent as soon as the budget has room for it. A read first takes a
        connection slot: a call the budget let through must not then queue for a pooled
        connection and reach upstream bunched with the next window's calls."""
        slot = (
            self.pacer.slot(self.platform, write=not retryable)
            if self.pacer is not None
            else contextlib.nullcontext()
        )
        async with slot:
            remaining = self.deadline.remaining()
            if self.pacer is not None:
                await self.pacer.acquire(self.platform, self._credentials, not retryable, remaining)
                remaining = self.deadline.remaining()
            with telemetry.upstream_span(self.platform, method, path) as span:
                response = await self.client.request(
                    method,
                    url,
                    params=params,
                    json=json,
                    headers=headers,
                    timeout=_clamp(self.client.timeout, remaining),
                )
                if span is not None:
                    span.set_attribute("http.response.status_code", response.status_code)
            # The answer is read in full and its stream closed; httpx's stream refers back to
            # the answer, a cycle that kept every body (and the request and pool objects
            # behind it) alive until the cycle collector ran. Without it the body goes with
            # its last reference.
            response.stream = httpx.ByteStream(response.content)
            return response

    async def _pause(self, seconds: float, error: AdapterError | None) -> None:
        if seconds >= self.deadline.remaining():
            if error is not None:
                raise error
            raise UpstreamUnavailable(self.platform, "deadline exceeded while retrying")
        await asyncio.sleep(seconds)


Flight = tuple[float, "asyncio.Future[httpx.Response]"]
_FLIGHTS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[bytes, Flight]] = (
    weakref.WeakKeyDictionary()
)


def _flights() -> dict[bytes, Flight]:
    """Reads in flight on this event loop, across GraphQL requests: (start, answer)."""
    return _FLIGHTS.setdefault(asyncio.get_running_loop(), {})


def _in_flight_since(key: bytes, wrote_at: float) -> asyncio.Future[httpx.Response] | None:
    """An identical read another request has in flight, begun after this one's last write
    (one begun before it may answer with what the write changed)."""
    found = _flights().get(key)
    if found is None or found[0] <= wrote_at:
        return None
    return found[1]


def _clamp(timeout: httpx.Timeout, remaining: float) -> httpx.Timeout:
    def cap(value: float | None) -> float:
        return remaining if value is None else min(value, remaining)

    return httpx.Timeout(
        connect=cap(timeout.connect),
        read=cap(timeout.read),
        write=cap(timeout.write),
        pool=cap(timeout.pool),
    )


def _may_have_landed(exc: httpx.TransportError) -> bool:
    # A connect failure or pool timeout means nothing was sent; anything later may have landed.
    return not isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout)


def _describe(exc: httpx.TransportError) -> str:
    if isinstance(exc, httpx.TimeoutException):
        return "the upstream did not answer in time"
    return "the upstream could not be reached"
