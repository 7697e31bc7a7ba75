"""``GET /health``: liveness and the database, no key needed.

The database is asked ``SELECT 1`` on a connection of its own (never one of the request pool's, which
busy requests may hold), in a thread of its own (never the request thread pool's), at most once a
second whatever the request rate, in the background (a health check answers at once with the last
result, at most a second or two old); a failed query is down at once, and so is one unanswered for 10
seconds (2 for the first). Down is a 503 with
``"database": "down"``, so a load balancer takes the instance out.
"""

from __future__ import annotations

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

from talentgap import __version__

from .public import HealthPublic

router = APIRouter(tags=["service"])


class DatabaseProbe:
    """Whether the database answers, checked at most every ``ttl`` seconds (see the module docstring)."""

    def __init__(self, engine: Engine, *, ttl: float = 1.0, timeout: float = 2.0, stale: float = 10.0) -> None:
        args = {"connect_timeout": 2} if engine.dialect.name == "postgresql" else \
            {"timeout": timeout, "check_same_thread": False} if engine.dialect.name == "sqlite" else {}
        self.engine = create_engine(engine.url, poolclass=NullPool, connect_args=args)
        self.ttl, self.timeout, self.stale = ttl, timeout, stale
        self._executor = ThreadPoolExecutor(1, thread_name_prefix="talentgap-health")
        self._last: tuple[bool, float] | None = None
        self._pending: asyncio.Future | None = None
        self._started = 0.0  # when the pending ping began

    def _ping(self) -> bool:
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            return True
        except SQLAlchemyError:
            return False

    async def up(self) -> bool:
        """The last answer, refreshed in the background once it is ``ttl`` old (the first call waits for
        it): a health check never waits on the database. A failed query is down at once; a query
        still unanswered after ``stale`` seconds is down too (a busy machine can delay a thread a second
        or two, which is not an outage)."""
        now = time.monotonic()
        if self._pending is None or self._pending.done():
            if self._pending is not None and self._pending.done():
                self._last = (self._pending.result(), now)
                self._pending = None
            if self._last is None or now - self._last[1] >= self.ttl:
                self._pending = asyncio.get_running_loop().run_in_executor(self._executor, self._ping)
                self._started = now
        if self._last is None:
            try:
                pending = self._pending
                assert pending is not None  # started above when there was no answer
                self._last = (await asyncio.wait_for(asyncio.shield(pending), self.timeout), time.monotonic())
            except TimeoutError:
                return False
            self._pending = None
            return self._last[0]
        # down only when a ping has gone unanswered that long, not because nobody asked for a while
        waiting = self._pending is not None and not self._pending.done() and now - self._started >= self.stale
        return self._last[0] and not waiting


@router.get("/health", response_model=HealthPublic,
            responses={503: {"model": HealthPublic, "description": "the database does not answer"}})
async def health(request: Request):
    """Liveness and the database: no key needed; 503 when the database does not answer."""
    up = await request.app.state.database.up()
    body = {"status": "ok" if up else "degraded", "version": __version__, "database": "ok" if up else "down"}
    return JSONResponse(body, status_code=200 if up else 503)
