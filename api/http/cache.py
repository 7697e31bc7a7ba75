"""Serialized responses kept in memory by dataset version: a version's data never change, so a body
computed once for it is served as bytes until another version becomes active."""

from __future__ import annotations

import time
from typing import Annotated, Any

from fastapi import Depends, Request
from pydantic import TypeAdapter
from starlette.concurrency import run_in_threadpool

from .. import service


class ResultCache:
    """Serialized results by (dataset version, request), in memory: at most ``size`` of them and
    ``max_bytes`` together (a forecast's body is about 270 KB), the oldest dropped first. The active
    version is re-read at most once a second, so an activation by any process is seen within a second;
    entries of other versions are dropped when the version changes."""

    def __init__(self, store: service.Store, ttl: float = 1.0, size: int = 512, max_bytes: int = 32 * 1024 * 1024):
        self.store, self.ttl, self.size, self.max_bytes = store, ttl, size, max_bytes
        self._version: tuple[int, float] | None = None
        self._items: dict[tuple[int, str], bytes] = {}
        self._bytes = 0

    async def version(self) -> int:
        now = time.monotonic()
        if self._version is None or self._version[1] <= now:
            v = await run_in_threadpool(service.data.active_version, store=self.store)
            self._version = (v, now + self.ttl)
            if any(k[0] != v for k in self._items):
                self._items = {k: b for k, b in self._items.items() if k[0] == v}
                self._bytes = sum(len(b) for b in self._items.values())
        return self._version[0]

    def get(self, version: int, key: str) -> bytes | None:
        return self._items.get((version, key))

    def put(self, version: int, key: str, body: bytes) -> None:
        if len(body) > self.max_bytes // 4:
            return
        old = self._items.pop((version, key), None)
        self._bytes -= len(old) if old is not None else 0
        while self._items and (len(self._items) >= self.size or self._bytes + len(body) > self.max_bytes):
            self._bytes -= len(self._items.pop(next(iter(self._items))))
        self._items[(version, key)] = body
        self._bytes += len(body)


def get_cache(request: Request) -> ResultCache:
    return request.app.state.results


CacheDep = Annotated[ResultCache, Depends(get_cache)]


def model_bytes(model: Any, value: Any) -> bytes:
    """A body kept in the cache: ``value`` validated through its response model ``model`` and written
    as FastAPI writes a response (UTF-8 JSON, compact)."""
    adapter = TypeAdapter(model)
    return adapter.dump_json(adapter.validate_python(value))
