"""The upstream calls' HTTP transport: httpx's API over aiohttp's connection pool.

httpx stays the interface the adapters use (requests, responses, timeouts, errors); what
moves the bytes is aiohttp, whose HTTP parser is compiled. httpx's own transport parses
answers with h11 in Python and waits through anyio: 330 us more for a small call and 710 us
more for a 160 KB page on these machines (bench/README.md, bench/upstream_transport.py).
`TIMEBRIDGE_UPSTREAM_TRANSPORT=httpcore` keeps httpx's own.

What an upstream failure means for a write is decided from the error's class
(adapters/http.py): a connect error or connect timeout never reached the upstream, anything
later may have landed. aiohttp's errors are mapped with that in mind (httpx-aiohttp maps a server
that hung up after the request to a connect timeout, which would let a landed write be
sent again), and aiohttp's silent second try of an idempotent request on a reused
connection is turned off: a DELETE whose answer was lost is reported as lost, not retried
into a 404.
"""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.request import getproxies, proxy_bypass

import aiohttp
import httpx
from yarl import URL

CHOICES = ("aiohttp", "httpcore")


class AiohttpTransport(httpx.AsyncBaseTransport):
    """One pool of keep-alive connections, opened on first use in the loop that serves."""

    def __init__(self, limits: httpx.Limits) -> None:
        self._limits = limits
        self._ssl = httpx.create_ssl_context()  # the CA bundle httpx would trust
        # HTTP(S)_PROXY, ALL_PROXY and NO_PROXY, read once as httpx reads them. aiohttp's own
        # trust_env would also look each call up in ~/.netrc (in a thread) and send what it
        # finds there as Basic auth.
        self._proxies = getproxies()
        self._session: aiohttp.ClientSession | None = None

    def _open(self) -> aiohttp.ClientSession:
        connector = aiohttp.TCPConnector(
            limit=self._limits.max_connections or 0,
            keepalive_timeout=self._limits.keepalive_expiry,
            ssl=self._ssl,
        )
        session = aiohttp.ClientSession(
            connector=connector,
            # Shared by every tenant's calls: a cookie one was answered must not go out with
            # another's (see gateway.app.CookielessClient).
            cookie_jar=aiohttp.DummyCookieJar(),
            auto_decompress=False,  # httpx decodes, as it would with its own transport
            trust_env=False,
            timeout=aiohttp.ClientTimeout(total=None),
        )
        # aiohttp sends an idempotent request again when a reused connection fails under it;
        # a write's answer that is lost must reach adapters/http.py as lost (aiohttp's own
        # test client turns it off the same way).
        session._retry_connection = False
        return session

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self._session is None:
            self._session = self._open()
        timeout = request.extensions.get("timeout", {})
        body = await request.aread()
        with _mapped(request):
            async with self._session.request(
                request.method,
                # httpx has encoded and validated the URL: sent as it is, not re-quoted.
                URL(str(request.url), encoded=True),
                headers=request.headers.multi_items(),
                data=body or None,
                allow_redirects=False,
                proxy=self._proxy(request.url),
                timeout=aiohttp.ClientTimeout(
                    total=None,
                    connect=timeout.get("pool"),
                    sock_connect=timeout.get("connect"),
                    sock_read=timeout.get("read"),
                ),
            ) as answer:
                content = await answer.read()
        extensions: dict[str, Any] = {"http_version": b"HTTP/1.1"}
        if answer.reason:
            extensions["reason_phrase"] = answer.reason.encode("latin-1", "replace")
        return httpx.Response(
            answer.status,
            headers=answer.raw_headers,
            # A stream, not `content`: httpx times the call when it has read the stream.
            stream=httpx.ByteStream(content),
            request=request,
            extensions=extensions,
        )

    def _proxy(self, url: httpx.URL) -> str | None:
        if not self._proxies:
            return None
        found = self._proxies.get(url.scheme) or self._proxies.get("all")
        return None if found is None or proxy_bypass(url.host) else found

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None


@contextmanager
def _mapped(request: httpx.Request) -> Iterator[None]:
    """aiohttp's errors as the httpx errors that say as much about where the call got."""
    try:
        yield
    except aiohttp.ConnectionTimeoutError as error:  # no connection within the pool timeout
        raise httpx.ConnectTimeout(str(error), request=request) from error
    except aiohttp.ServerTimeoutError as error:  # sent, and the answer did not come in time
        raise httpx.ReadTimeout(str(error) or "read timed out", request=request) from error
    except (aiohttp.ClientConnectorError, ssl.SSLError) as error:  # refused, DNS, TLS
        raise httpx.ConnectError(str(error), request=request) from error
    except aiohttp.ServerDisconnectedError as error:
        raise httpx.RemoteProtocolError(
            "Server disconnected without sending a response.", request=request
        ) from error
    except aiohttp.ClientResponseError as error:  # an answer that is not HTTP
        raise httpx.RemoteProtocolError(str(error), request=request) from error
    except (aiohttp.ClientPayloadError, aiohttp.ClientOSError) as error:
        raise httpx.ReadError(str(error), request=request) from error
    except aiohttp.InvalidURL as error:
        raise httpx.UnsupportedProtocol(str(error), request=request) from error
    except aiohttp.ClientError as error:
        raise httpx.ReadError(str(error), request=request) from error
