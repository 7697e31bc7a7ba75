"""A bound on the model computations running at once in this process.

A forecast (or a sector's simulation for a skill gap or a programme) is CPU work of a second or more
and holds tens of MB while it runs. Run forty at once on two cores and they finish no sooner, the
process's memory rises to forty working sets and stays there (the allocator keeps what threads
freed), and everything else, ``/health`` included, waits on the interpreter lock. So at most
``max_concurrent_computations`` run at a time (default: the number of cores, at least 2); the others
wait their turn. Answers served from the store or memory never wait.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_slots: threading.BoundedSemaphore | None = None
_lock = threading.Lock()


def _semaphore() -> threading.BoundedSemaphore:
    global _slots
    with _lock:
        if _slots is None:
            from talentgap.data.settings import get_settings

            size = get_settings().max_concurrent_computations or max(2, os.cpu_count() or 2)
            _slots = threading.BoundedSemaphore(size)
        return _slots


@contextmanager
def computing() -> Iterator[None]:
    """Hold one of the computation slots for the block (waiting for one if all are taken)."""
    slots = _semaphore()
    slots.acquire()
    try:
        yield
    finally:
        slots.release()
