"""Dependencies the routers declare instead of closing over app state, so tests can override them:
the store, the settings, the report jobs and the role check of :mod:`talentgap.api.auth`."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from .. import service
from ..auth import KeyCache, authenticate, bearer_key, check
from ..jobs import ReportJobs


def get_store(request: Request) -> service.Store:
    return request.app.state.store


def get_keys(request: Request) -> KeyCache:
    return request.app.state.keys


def get_jobs(request: Request) -> ReportJobs:
    return request.app.state.jobs


StoreDep = Annotated[service.Store, Depends(get_store)]
SettingsDep = Annotated[service.Settings, Depends(service.settings)]
KeysDep = Annotated[KeyCache, Depends(get_keys)]
JobsDep = Annotated[ReportJobs, Depends(get_jobs)]


async def key_name(request: Request) -> str:
    """The name of the request's (already checked) key: who asked, for per-key limits."""
    from starlette.concurrency import run_in_threadpool

    key = bearer_key(request.headers.get("authorization", ""))
    return await run_in_threadpool(service.keys.name_of, store=request.app.state.store, key=key) or ""


KeyNameDep = Annotated[str, Depends(key_name)]


def require(action: str):
    """A dependency that admits keys whose role may do ``action`` (see ``auth.PERMISSIONS``)."""

    async def role_for(request: Request) -> str:
        role = await authenticate(request.app.state.keys, request.headers.get("authorization", ""))
        return check(role, action)

    return Depends(role_for)


def query_names(dependant) -> set[str]:
    """The query parameters a route's dependant declares, with those of its dependencies."""
    names = {p.alias for p in dependant.query_params}
    for sub in dependant.dependencies:
        names |= query_names(sub)
    return names


async def known_query(request: Request) -> None:
    """Refuse a query parameter the route does not declare (a misspelt lever would otherwise be dropped
    and the baseline answered): 422 naming it, as the CLI's ``--set`` does."""
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return
    allowed = query_names(dependant)
    for name in request.query_params:
        if name not in allowed:
            service.validate_levers({name: 0})  # names the unknown lever and lists the levers


KnownQuery = Depends(known_query)
