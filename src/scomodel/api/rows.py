"""Spell rows as JSON, each row serialised once: the as-of endpoints' hot path.

``to_plain`` on a :class:`~scomodel.registry.SpellRow` costs ~40 µs, about four times the
query itself; rows are immutable and live as long as their registry, so each row's JSON
text is kept and a list answer is those texts joined. The bytes parse to exactly what
``to_plain(rows)`` gives (the CLI's ``--format json``); the tests compare the two.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence

from fastapi.responses import Response

from scomodel.output import to_plain
from scomodel.registry import SpellRow

__all__ = ["RowJSON", "spell_rows_response"]


class RowJSON:
    """Each row's JSON text, kept while the row is alive (the entry holds the row)."""

    def __init__(self, limit: int = 200_000) -> None:
        self.limit = limit
        self._items: dict[int, tuple[SpellRow, bytes]] = {}
        self._lock = threading.Lock()

    def of(self, row: SpellRow) -> bytes:
        hit = self._items.get(id(row))
        if hit is not None and hit[0] is row:
            return hit[1]
        text = json.dumps(to_plain(row), ensure_ascii=False, allow_nan=False,
                          separators=(",", ":")).encode("utf-8")
        with self._lock:
            if len(self._items) >= self.limit:  # rows of registries since replaced
                self._items.clear()
            self._items[id(row)] = (row, text)
        return text


_ROWS = RowJSON()


def spell_rows_response(rows: Sequence[SpellRow]) -> Response:
    return Response(b"[" + b",".join(_ROWS.of(r) for r in rows) + b"]",
                    media_type="application/json")
