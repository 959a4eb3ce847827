"""``?cite=1`` on any API answer: the entries for exactly the sources behind its rows.

Plain ASGI, so requests without ``cite`` in their query string pay one substring test. The
answer is produced as usual, then its JSON is searched for source keys
(:func:`scomodel.registry.cite.source_keys`) and the entries replace it: BibTeX by default,
``cite=csl-json`` or ``cite=ris`` for the other formats.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs

__all__ = ["CiteAnswers"]


class CiteAnswers:
    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        query = scope.get("query_string", b"") if scope["type"] == "http" else b""
        if b"cite=" not in query or scope.get("method") != "GET":
            await self.app(scope, receive, send)
            return
        wanted = parse_qs(query.decode("latin-1")).get("cite", [""])[0]
        fmt = {"1": "bibtex", "true": "bibtex"}.get(wanted, wanted)
        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def capture(message: Any) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(scope, receive, capture)
        status, body, media = self._answer(start, b"".join(chunks), fmt, scope)
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", media),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})

    @staticmethod
    def _answer(start: dict[str, Any], body: bytes, fmt: str, scope: Any
                ) -> tuple[int, bytes, bytes]:
        from scomodel.registry.cite import CITE_FORMATS, render, source_keys

        headers = dict(start.get("headers", []))
        if start.get("status") != 200 or b"json" not in headers.get(b"content-type", b""):
            return int(start.get("status", 500)), body, headers.get(
                b"content-type", b"application/json")
        if fmt not in CITE_FORMATS:
            problem = {"type": "about:blank", "title": "Invalid request", "status": 422,
                       "detail": f"cite: unknown citation format {fmt!r}: expected 1, "
                       f"{', '.join(CITE_FORMATS)}", "field": "cite"}
            return 422, json.dumps(problem).encode(), b"application/problem+json"
        keys = source_keys(json.loads(body))
        registry = scope["app"].state.registries.get(None) if "app" in scope else None
        if registry is None:
            from scomodel.registry import Registry

            registry = Registry.open()
        entries = [registry.source(k) for k in keys if k in registry._sources]
        text = render(entries, fmt).encode()
        media = b"application/json" if fmt == "csl-json" else b"text/plain; charset=utf-8"
        return 200, text, media
