"""A cache bounded by entry count and by an estimate of the memory its entries hold.

Registries are the costly objects of a process (with COW imported one holds about 35 MB);
every what-if name a client sends would otherwise keep one for good. The least recently
used entries go first once either bound is passed; the newest entry always stays.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from typing import Generic, TypeVar

__all__ = ["BoundedCache", "registry_bytes"]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

#: bytes one spell row costs in a registry (its SpellRow, the index entries, the cached
#: JSON), measured with tracemalloc on the package's data with COW imported (about 1.9 KB)
SPELL_BYTES = 2_000
FACT_BYTES = 1_000


def registry_bytes(reg: object) -> int:
    """An estimate of the memory a :class:`~scomodel.registry.core.Registry` holds."""
    index = getattr(reg, "_index", None)
    cow = getattr(reg, "_cow_index", None)
    spells = sum(len(i) for i in (index, cow) if i is not None)
    return 200_000 + SPELL_BYTES * spells + FACT_BYTES * len(getattr(reg, "_facts", ()) or ())


class BoundedCache(Generic[K, V]):
    """LRU by count (``max_entries``) and by ``size(value)`` summed (``max_bytes``)."""

    def __init__(self, max_entries: int, max_bytes: int,
                 size: Callable[[V], int] = lambda _v: 0) -> None:
        self.max_entries = max(1, max_entries)
        self.max_bytes = max_bytes
        self._size = size
        self._items: OrderedDict[K, tuple[V, int]] = OrderedDict()
        self._lock = threading.Lock()
        self.evictions = 0

    def get(self, key: K) -> V | None:
        with self._lock:
            hit = self._items.get(key)
            if hit is None:
                return None
            self._items.move_to_end(key)
            return hit[0]

    def put(self, key: K, value: V) -> None:
        size = self._size(value)
        with self._lock:
            self._items.pop(key, None)
            self._items[key] = (value, size)
            while len(self._items) > 1 and (len(self._items) > self.max_entries
                                            or self.bytes > self.max_bytes):
                self._items.popitem(last=False)
                self.evictions += 1

    def pop_where(self, keep: Callable[[K], bool]) -> None:
        """Drop every entry whose key ``keep`` refuses."""
        with self._lock:
            for key in [k for k in self._items if not keep(k)]:
                del self._items[key]

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    @property
    def bytes(self) -> int:
        return sum(size for _, size in self._items.values())

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def __iter__(self) -> Iterator[K]:
        return iter(self.keys())

    def keys(self) -> list[K]:
        with self._lock:
            return list(self._items)

    def items(self) -> list[tuple[K, V]]:
        with self._lock:
            return [(k, v) for k, (v, _) in self._items.items()]
