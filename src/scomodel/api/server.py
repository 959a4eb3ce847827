"""uvicorn, hardened: a header-read timeout, header size and count limits, a concurrency cap.

uvicorn closes idle keep-alive connections (``timeout_keep_alive``) but has no timeout for
a request whose headers never finish: a client sending half a request line, or a
connection opened and left silent, holds its slot for good (5,000 such stayed open in
the audit of issue 11). :class:`HeaderTimeoutHttpTools` (used where httptools is
installed) and :class:`HeaderTimeoutH11` are uvicorn's protocols with one timer: from
the moment a connection opens, or a new request's first bytes arrive, its headers must
be complete within ``SCOMODEL_API_HEADER_TIMEOUT`` seconds (default 10), else the
connection is closed. A request head over :data:`MAX_HEADER_BYTES` is a 400 (h11's
``h11_max_incomplete_event_size``, counted by hand for httptools), which bounds the
header count too; the app refuses more than :data:`MAX_HEADERS` headers (431).
"""

from __future__ import annotations

import asyncio
import os
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from scomodel.limits import (
    BACKLOG,
    HEADER_TIMEOUT,
    KEEP_ALIVE,
    LIMIT_CONCURRENCY,
    MAX_HEADER_BYTES,
    MAX_HEADERS,
)

__all__ = ["HeaderTimeoutH11", "HeaderTimeoutHttpTools", "server_settings",
           "MAX_HEADER_BYTES", "MAX_HEADERS", "HEADER_TIMEOUT"]

def _timeout() -> float:
    try:
        return float(os.environ.get("SCOMODEL_API_HEADER_TIMEOUT", HEADER_TIMEOUT))
    except ValueError:
        return HEADER_TIMEOUT


class HeaderTimeoutH11(H11Protocol):
    """uvicorn's h11 protocol that closes a connection whose request head is too slow."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.header_timeout = _timeout()
        self._header_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            if self._header_timer is None:
                self._arm()  # the first bytes of a request head: its clock starts
        else:
            self._disarm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        self._disarm()
        self._header_timer = self.loop.call_later(self.header_timeout, self._too_slow)

    def _disarm(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _too_slow(self) -> None:
        self._header_timer = None
        busy = self.cycle is not None and not self.cycle.response_complete
        if self.conn.their_state is h11.IDLE and not busy and not self.transport.is_closing():
            self.logger.info("closing a connection whose request head took over %.0f s",
                             self.header_timeout)
            self.transport.close()


try:
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
except ImportError:  # pragma: no cover - httptools is part of uvicorn[standard]
    HttpToolsProtocol = None  # type: ignore[assignment,misc]

if HttpToolsProtocol is not None:

    class HeaderTimeoutHttpTools(HttpToolsProtocol):
        """uvicorn's httptools protocol (the fast parser) with the same header timeout,
        and the head-size cap h11 has built in: bytes up to the blank line that ends the
        head are counted, past :data:`MAX_HEADER_BYTES` the answer is a 400."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.header_timeout = _timeout()
            self._header_timer: asyncio.TimerHandle | None = None
            self._waiting_head = True
            self._head_bytes = 0
            self._tail = b""

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._arm()

        def data_received(self, data: bytes) -> None:
            if self._waiting_head:
                seen = self._tail + data
                end = seen.find(b"\r\n\r\n")
                self._head_bytes += len(data) if end < 0 else max(0, end + 4 - len(self._tail))
                self._tail = seen[-3:]
                if self._head_bytes > MAX_HEADER_BYTES:
                    self._disarm()
                    self.send_400_response(f"Request head over {MAX_HEADER_BYTES} bytes.")
                    return
                if self._header_timer is None:
                    self._arm()
            super().data_received(data)

        def on_headers_complete(self) -> None:
            self._waiting_head = False
            self._disarm()
            super().on_headers_complete()

        def on_message_complete(self) -> None:
            super().on_message_complete()
            self._waiting_head, self._head_bytes, self._tail = True, 0, b""

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

        def _arm(self) -> None:
            self._disarm()
            self._header_timer = self.loop.call_later(self.header_timeout, self._too_slow)

        def _disarm(self) -> None:
            if self._header_timer is not None:
                self._header_timer.cancel()
                self._header_timer = None

        def _too_slow(self) -> None:
            self._header_timer = None
            busy = self.cycle is not None and not self.cycle.response_complete
            if self._waiting_head and not busy and not self.transport.is_closing():
                self.logger.info("closing a connection whose request head took over %.0f s",
                                 self.header_timeout)
                self.transport.close()


def server_settings() -> dict[str, Any]:
    """The keyword arguments ``scomodel serve`` gives ``uvicorn.run`` (and the tests):
    httptools (about twice h11's throughput) where installed, else h11."""
    fast = globals().get("HeaderTimeoutHttpTools")
    return {
        "http": fast or HeaderTimeoutH11,
        "h11_max_incomplete_event_size": MAX_HEADER_BYTES,
        "limit_concurrency": LIMIT_CONCURRENCY,
        "timeout_keep_alive": KEEP_ALIVE,
        "backlog": BACKLOG,
    }
