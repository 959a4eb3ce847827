"""Background builds that leave the interpreter to a server's event loop.

Why it exists: after an import, a server rebuilds its registry in a background thread
(stale-while-revalidate: readers keep the old one meanwhile). The build is about half a
second of pure Python with COW, and two busy Python threads share the interpreter half
and half, so for that second every request on the event loop took twice as long; a
what-if write, which waits for several turns of the loop, went from about 100 to 230-300
ms. A build run inside :func:`background` rests :data:`REST_SECONDS` after every
:data:`WORK_SECONDS` of work, at the points where it walks its rows (:func:`paced`), so
the loop keeps most of the interpreter; the build takes about twice as long, which
nobody waits for. Outside :func:`background` (the CLI, the Python API, a server's first
build that a request does wait for) :func:`paced` gives the rows back untouched.

Examples
--------
>>> from scomodel.registry.pace import background, paced
>>> list(paced(range(3)))
[0, 1, 2]
>>> with background():
...     sum(paced(range(10_000), every=100))
49995000
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

__all__ = ["background", "paced", "WORK_SECONDS", "REST_SECONDS"]

T = TypeVar("T")

#: work between rests, and the length of a rest, in a background build
WORK_SECONDS = 0.002
REST_SECONDS = 0.002

_LOCAL = threading.local()


@contextmanager
def background() -> Iterator[None]:
    """Pace the builds this thread runs inside the block."""
    _LOCAL.since = time.perf_counter()
    _LOCAL.on = True
    try:
        yield
    finally:
        _LOCAL.on = False


def paced(items: Iterable[T], every: int = 256) -> Iterable[T]:
    """``items``, resting every ``every`` items once the work budget is spent (inside
    :func:`background`); outside it, ``items`` itself."""
    if not getattr(_LOCAL, "on", False):
        return items
    return _paced(items, every)


def _paced(items: Iterable[T], every: int) -> Iterator[T]:
    for k, item in enumerate(items):
        if k % every == 0 and time.perf_counter() - _LOCAL.since >= WORK_SECONDS:
            time.sleep(REST_SECONDS)
            _LOCAL.since = time.perf_counter()
        yield item
