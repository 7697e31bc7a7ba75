"""The app factory: builds the FastAPI application, mounts every router under ``/api/v1`` and the web
UI under ``/ui`` behind the request guard (:mod:`.guard`), and answers every error by the one rule of :mod:`talentgap.api.errors` — JSON
``{"error": {code, message, …}}`` for the API, an HTML page inside the frame for the UI.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from talentgap import __version__
from talentgap.errors import TalentgapError
from talentgap.i18n import LANGUAGES, msg
from talentgap.seeds.vocab import SECTORS

from .. import service
from ..auth import KeyCache
from ..errors import AuthError, classify, internal, short
from ..jobs import Precompute, ReportJobs
from . import backcasts, datasets, forecasts, health, keys, reconcile, reports, scenarios, sectors, series, skills
from .cache import ResultCache
from .guard import RequestGuard
from .health import DatabaseProbe
from .limits import AuthThrottle
from .outage import install_outage_handler
from .schemas import ERROR_RESPONSES

log = logging.getLogger("talentgap.api")
API = "/api/v1"
ROUTERS = (health, sectors, datasets, forecasts, backcasts, reconcile, series, skills, scenarios, reports, keys)


#: Threads that run blocking request work at once (anyio's default is 40): more only contend for the
#: interpreter lock with the event loop, which answers /health and cached results.
WORKER_THREADS = 16


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    anyio.to_thread.current_default_thread_limiter().total_tokens = WORKER_THREADS
    app.state.precompute.start()  # the running service does the work activations queue
    yield
    app.state.precompute.stop()


def error_body(code: str, message: str, **extra) -> dict:
    return {"error": {"code": code, "message": message, **extra}}


def _is_ui(request: Request) -> bool:
    return request.url.path.startswith("/ui")


def create_app(store: service.Store | None = None) -> FastAPI:
    """Build the app around a store (default: the configured database)."""
    from ..web import router as web_router
    from ..web.common import NeedsLogin, error_page, font_route

    store = store or service.data.open_store()
    settings = service.settings()
    app = FastAPI(title="talentgap", version=__version__, lifespan=_lifespan,
                  description="Talent supply-demand forecasts for Korea's strategic industries "
                              f"({', '.join(f'{t.id} {t.label_ko}' for t in SECTORS.values())}). "
                              "Every route but /health and /docs needs `Authorization: Bearer <key>`.",
                  responses=ERROR_RESPONSES)
    app.state.store = store
    app.state.keys = KeyCache(store)
    app.state.jobs = ReportJobs(store)
    app.state.precompute = Precompute(store)
    app.state.results = ResultCache(store)
    app.state.throttle = AuthThrottle.from_settings(settings)
    app.state.database = DatabaseProbe(store.engine)
    # outermost: the key is checked and the body capped before anything reads it
    app.add_middleware(RequestGuard, settings=settings, keys=app.state.keys, throttle=app.state.throttle)
    for module in ROUTERS:
        app.include_router(module.router, prefix=API)

    def answer(request: Request, status: int, code: str, message: str, headers=None, **extra) -> Response:
        if _is_ui(request):
            return error_page(request, status, message)
        return JSONResponse(error_body(code, message, **extra), status_code=status, headers=headers)

    @app.exception_handler(AuthError)
    def _auth(request: Request, exc: AuthError):
        out = classify(exc)
        return answer(request, out.status, out.code, out.message,
                      headers={"WWW-Authenticate": "Bearer"} if out.status == 401 else None)

    @app.exception_handler(StarletteHTTPException)
    def _http(request: Request, exc: StarletteHTTPException):
        message = msg("page.no_such_page") if exc.status_code == 404 else str(exc.detail)
        return answer(request, exc.status_code, f"http.{exc.status_code}", message,
                      headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    def _invalid(request: Request, exc: RequestValidationError):
        problems = [{"field": ".".join(str(p) for p in e.get("loc", ()) if p != "body"), "message": e.get("msg", ""),
                     "got": short(e.get("input"))} for e in exc.errors()]
        first = problems[0] if problems else {"field": "", "message": msg("request.invalid")}
        return answer(request, 422, "request.invalid", msg("request.invalid_field", **first), problems=problems)

    @app.exception_handler(service.data.UploadError)
    def _upload(request: Request, exc: service.data.UploadError):
        return answer(request, 422, "upload.invalid", msg("upload.problem_count", count=len(exc.problems)),
                      problems=[str(p) for p in exc.problems[:500]])

    @app.exception_handler(NeedsLogin)
    def _login(request: Request, __: NeedsLogin):
        # the sign-in page applies the same language rule; a language asked for in the address goes along
        asked = request.query_params.get("lang")
        return RedirectResponse("/ui/login" + (f"?lang={asked}" if asked in LANGUAGES else ""), status_code=303)

    @app.exception_handler(TalentgapError)
    def _user(request: Request, exc: TalentgapError):
        out = classify(exc)
        # a refusal for now (a full report queue) says when to try again
        return answer(request, out.status, out.code, out.message,
                      headers={"Retry-After": "60"} if out.status == 429 else None)

    @app.exception_handler(Exception)
    def _ours(request: Request, exc: Exception):
        out = internal(exc, log)
        return answer(request, out.status, out.code, out.message, error_id=out.error_id)

    install_outage_handler(app, answer)
    app.include_router(web_router)
    font_route(app)

    @app.get("/", include_in_schema=False)
    def root() -> Response:
        return RedirectResponse("/ui/", status_code=307)

    return app
