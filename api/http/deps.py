"""Dependencies the routers declare instead of closing over app state, so tests can override them:
the store, the settings, the report jobs and the role check of :mod:`talentgap.api.auth`."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from talentgap.data.settings import Settings, get_settings
from talentgap.data.store import Store

from ..auth import KeyCache, check
from ..errors import AuthError
from ..jobs import ReportJobs


def get_store(request: Request) -> Store:
    return request.app.state.store


def get_keys(request: Request) -> KeyCache:
    return request.app.state.keys


def get_jobs(request: Request) -> ReportJobs:
    return request.app.state.jobs


StoreDep = Annotated[Store, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
KeysDep = Annotated[KeyCache, Depends(get_keys)]
JobsDep = Annotated[ReportJobs, Depends(get_jobs)]


def bearer_token(request: Request) -> str:
    """The key of ``Authorization: Bearer <key>``; :class:`AuthError` (401) when there is none."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthError("auth.missing", "send Authorization: Bearer <key>")
    return token.strip()


def require(action: str):
    """A dependency that admits keys whose role may do ``action`` (see ``auth.PERMISSIONS``)."""

    async def role_for(request: Request) -> str:
        token = bearer_token(request)
        keys: KeyCache = request.app.state.keys
        role = keys.cached(token)
        if role is KeyCache.MISS:
            role = await run_in_threadpool(keys.role, token)
        return check(role, action)  # type: ignore[arg-type]

    return Depends(role_for)
