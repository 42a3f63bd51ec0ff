"""The Bot API's HTTP client: python-telegram-bot's request interface over aiohttp.

PTB's own ``HTTPXRequest`` works, but the load bench's profile put about two thirds of the
CPU an answer costs inside httpx's request machinery (docs/PERFORMANCE.md); aiohttp, a
dependency already, does the same call for a fraction of it. The wire format is PTB's own:
parameters form-encoded, multipart when files go up, the same User-Agent, the same
timeouts, and the same errors (``TimedOut``, ``NetworkError``) for PTB to turn into retries.
"""

from __future__ import annotations

from typing import cast

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

# PTB's defaults for its HTTPXRequest: 5 s to connect and between reads.
DEFAULT_TIMEOUT = 5.0
# What PTB passes for a timeout the caller left out.
_UNSET = type(BaseRequest.DEFAULT_NONE)


class AiohttpRequest(BaseRequest):
    """One pool of keep-alive connections to the Bot API, shared by the calls made through it."""

    def __init__(
        self,
        connection_pool_size: int = 256,
        *,
        read_timeout: float | None = DEFAULT_TIMEOUT,
        connect_timeout: float | None = DEFAULT_TIMEOUT,
    ) -> None:
        self._pool_size = connection_pool_size
        self._read_timeout = read_timeout
        self._connect_timeout = connect_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._pool_size, limit_per_host=0)
            # Telegram's answers are JSON; the session neither keeps cookies nor follows
            # anything but the request it was given.
            self._session = aiohttp.ClientSession(
                connector=connector, cookie_jar=aiohttp.DummyCookieJar(), auto_decompress=True
            )

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: object = BaseRequest.DEFAULT_NONE,
        write_timeout: object = BaseRequest.DEFAULT_NONE,
        connect_timeout: object = BaseRequest.DEFAULT_NONE,
        pool_timeout: object = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        session = self._session
        if session is None or session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        # aiohttp has no write phase of its own: an upload is bounded by the reads after it.
        # A long poll's read timeout includes its wait (PTB adds it). The pool is as large as
        # the calls that can be in flight at once, so waiting for a connection is not bounded.
        timeout = aiohttp.ClientTimeout(
            total=None,
            sock_connect=_given(connect_timeout, self._connect_timeout),
            sock_read=_given(read_timeout, self._read_timeout),
        )
        try:
            async with session.request(
                method,
                url,
                data=_body(request_data),
                headers={"User-Agent": self.USER_AGENT},
                timeout=timeout,
            ) as response:
                return response.status, await response.read()
        except TimeoutError as error:  # aiohttp's timeouts are TimeoutErrors
            raise TimedOut from error
        except aiohttp.ClientError as error:
            raise NetworkError(f"aiohttp.{error.__class__.__name__}: {error}") from error


def _given(value: object, default: float | None) -> float | None:
    """A timeout passed to the call, else this client's default."""
    return default if isinstance(value, _UNSET) else cast(float | None, value)


def _body(request_data: RequestData | None) -> dict[str, str] | aiohttp.FormData | None:
    """Form fields as PTB encodes them; multipart with the files when there are any."""
    if request_data is None:
        return None
    fields = request_data.json_parameters
    files = request_data.multipart_data
    if not files:
        return fields
    form = aiohttp.FormData(quote_fields=False)
    for name, value in fields.items():
        form.add_field(name, value)
    for name, (filename, content, mimetype) in files.items():
        form.add_field(name, content, filename=filename, content_type=mimetype)
    return form
