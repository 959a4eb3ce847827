"""Security headers on every answer, and a Content-Security-Policy for every page.

Every response gets ``X-Content-Type-Options: nosniff``, ``X-Frame-Options: DENY`` and
``Referrer-Policy: no-referrer``. HTML pages (the explorer, the API docs) also get a CSP
that allows scripts only from this server and the inline scripts the page itself carries,
each by its SHA-256 hash, computed from the page as it is sent: no ``'unsafe-inline'`` for
scripts, nothing loaded from elsewhere, no framing. Plain ASGI; non-HTML answers are passed
through as they stream, only HTML (small pages) is held to be hashed.
"""

from __future__ import annotations

import base64
import hashlib
import re
from typing import Any

__all__ = ["SecurityHeaders", "content_security_policy"]

_INLINE = re.compile(rb"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.S | re.I)
_COMMON = [(b"x-content-type-options", b"nosniff"), (b"x-frame-options", b"DENY"),
           (b"referrer-policy", b"no-referrer")]


def content_security_policy(html: bytes) -> str:
    """The CSP for one page: its own inline scripts by hash, everything else from 'self'."""
    hashes = sorted({"'sha256-" + base64.b64encode(hashlib.sha256(body).digest()).decode()
                     + "'" for body in _INLINE.findall(html)})
    script = " ".join(["'self'", *hashes])
    return ("default-src 'self'; "
            f"script-src {script}; "
            "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
            "font-src 'self' data:; connect-src 'self'; object-src 'none'; "
            "base-uri 'self'; form-action 'self'; frame-ancestors 'none'")


class SecurityHeaders:
    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start: dict[str, Any] = {}
        chunks: list[bytes] = []
        holding = False

        async def wrapped(message: Any) -> None:
            nonlocal holding
            if message["type"] == "http.response.start":
                headers = [h for h in message.get("headers", [])
                           if h[0].lower() not in {k for k, _ in _COMMON}]
                headers += _COMMON
                ctype = dict((k.lower(), v) for k, v in headers).get(b"content-type", b"")
                if ctype.startswith(b"text/html"):
                    holding = True
                    start.update({**message, "headers": headers})
                    return
                await send({**message, "headers": headers})
                return
            if holding and message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if message.get("more_body"):
                    return
                body = b"".join(chunks)
                headers = [h for h in start["headers"] if h[0].lower() != b"content-length"]
                headers += [(b"content-security-policy",
                             content_security_policy(body).encode()),
                            (b"content-length", str(len(body)).encode())]
                await send({**start, "headers": headers})
                await send({"type": "http.response.body", "body": body})
                return
            await send(message)

        await self.app(scope, receive, wrapped)
