"""The FastAPI application: every capability under ``/api/v1`` (OpenAPI at ``/docs``).

Thin: parse, check the key's role, call :mod:`talentgap.api.service`, format. Domain errors carry a
stable ``code`` and are mapped to HTTP status in one place (:data:`STATUS_BY_CODE`); request bodies and
uploads are size-limited; no request content can produce a 5xx.
"""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, File, Query, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.base import BaseHTTPMiddleware

from talentgap import __version__
from talentgap.data.files import UploadError, read_upload
from talentgap.data.keys import ROLES, create_key, list_keys, revoke_key, role_of
from talentgap.data.results import list_scenarios, save_scenario
from talentgap.data.settings import get_settings
from talentgap.data.store import Store
from talentgap.seeds.vocab import SECTORS

from . import service
from .formatting import forecast_csv

log = logging.getLogger("talentgap.api")
API = "/api/v1"

#: Domain error code → HTTP status. Anything with a ``code`` not listed is a 422.
STATUS_BY_CODE = {
    "sector.unknown": 404,
    "dataset.unknown_version": 404,
    "scenario.unknown": 404,
    "keys.unknown": 404,
    "source.unknown": 404,
    "scenario.exists": 409,
    "series.missing": 409,
    "upload.invalid": 422,
    "upload.too_large": 413,
    "forecast.bad_input": 422,
    "skills.bad_input": 422,
    "keys.bad_input": 422,
    "report.unknown": 404,
    "report.not_ready": 409,
    "report.bad_input": 422,
}
ALL = ROLES
WRITE = ("admin", "analyst")
SKILL_USERS = ("admin", "analyst", "university")


class TooLarge(ValueError):
    code = "upload.too_large"


class NotFound(LookupError):
    code = "source.unknown"


class NotReady(ValueError):
    code = "report.not_ready"


# -- request bodies -----------------------------------------------------------------------------------
class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SeriesPoint(Strict):
    series_id: str = Field(min_length=1, max_length=200)
    year: int = Field(ge=1000, le=3000)
    value: float = Field(allow_inf_nan=False)


class SeriesForecastRequest(Strict):
    series: list[SeriesPoint] = Field(min_length=1)
    horizon: int = Field(ge=1, le=100)
    level: float = Field(default=80, ge=1, le=99)


class GapRequest(Strict):
    skills: dict[str, float]
    sector: str | None = None
    horizon: int | None = Field(default=None, ge=1990, le=2100)


class ProgrammeRequest(Strict):
    name: str = Field(min_length=1, max_length=300)
    sector: str
    degree: str
    seats_per_year: float = Field(gt=0, le=100_000, allow_inf_nan=False)
    skills: dict[str, float]
    region: str | None = Field(default=None, max_length=120)


class Levers(Strict):
    extra_graduates: float | None = None
    entry_rate: float | None = None
    separation_rate: float | None = None
    foreign_inflow: float | None = None
    reskilling: float | None = None
    start_year: float | None = None


class ScenarioRequest(Strict):
    name: str = Field(min_length=1, max_length=120, pattern=r"^[A-Za-z0-9가-힣][A-Za-z0-9가-힣 _.\-]*$")
    sector: str
    base: Literal["trend", "policy"] = "trend"
    levers: Levers = Levers()
    description: str = Field(default="", max_length=2000)


class ErrorDetail(BaseModel):
    code: str
    message: str


class ErrorBody(BaseModel):
    error: ErrorDetail


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": text} for status, text in (
        (400, "Malformed request"), (401, "Missing or unknown API key"), (403, "The key's role may not do this"),
        (404, "Unknown sector, version, scenario, key or source"), (409, "Conflict with stored data"),
        (413, "Request or upload too large"), (422, "Invalid parameters, body or upload"))}


class ReportRequest(Strict):
    formats: list[Literal["html", "pdf"]] = Field(default=["html", "pdf"], min_length=1, max_length=2)
    sectors: list[str] | None = Field(default=None, max_length=5)
    scenario: str = Field(default="trend", min_length=1, max_length=120)
    horizon: int | None = Field(default=None, ge=2025, le=2100)


class KeyRequest(Strict):
    name: str = Field(min_length=1, max_length=120)
    role: Literal["admin", "analyst", "university", "reporter"]


# -- app ------------------------------------------------------------------------------------------------
class BodyLimit(BaseHTTPMiddleware):
    """Refuse request bodies above the configured limit before reading them (413)."""

    def __init__(self, app, limit: int):
        super().__init__(app)
        self.limit = limit

    async def dispatch(self, request: Request, call_next):
        length = request.headers.get("content-length")
        if length is not None:
            if not length.isdigit():
                return JSONResponse({"error": {"code": "request.bad_length", "message": "invalid Content-Length"}},
                                    status_code=400)
            if int(length) > self.limit:
                return JSONResponse({"error": {"code": "request.too_large",
                                               "message": f"request body is larger than the {self.limit:,}-byte limit",
                                               "got": int(length)}}, status_code=413)
        return await call_next(request)


def error_body(code: str, message: str, **extra: Any) -> dict:
    return {"error": {"code": code, "message": message, **extra}}


def create_app(store: Store | None = None) -> FastAPI:
    """Build the app around a store (default: the configured database)."""
    store = store or Store()
    settings = get_settings()
    app = FastAPI(title="talentgap", version=__version__,
                  description="Talent supply-demand forecasts for Korea's strategic industries "
                              "(semiconductor 반도체, battery 이차전지, quantum 양자, 6g 차세대 통신, security 사이버보안). "
                              "Every route but /health and /docs needs `Authorization: Bearer <key>`.",
                  responses=ERROR_RESPONSES)
    app.state.store = store
    app.add_middleware(BodyLimit, limit=settings.max_upload_bytes + 64 * 1024)
    keys = KeyCache(store)

    def require(*roles: str):
        async def check(request: Request) -> str:
            header = request.headers.get("authorization", "")
            scheme, _, token = header.partition(" ")
            if scheme.lower() != "bearer" or not token.strip():
                raise AuthError(401, "auth.missing", "send Authorization: Bearer <key>")
            role = keys.cached(token.strip())
            if role is KeyCache.MISS:
                role = await run_in_threadpool(keys.role, token.strip())
            if role is None:
                raise AuthError(401, "auth.invalid", "unknown or revoked key")
            if role not in roles:
                raise AuthError(403, "auth.forbidden", f"the {role} role may not do this; needs one of {', '.join(roles)}")
            return role

        return Depends(check)

    @app.exception_handler(AuthError)
    def _auth(_: Request, exc: AuthError):
        return JSONResponse(error_body(exc.code, exc.message), status_code=exc.status,
                            headers={"WWW-Authenticate": "Bearer"} if exc.status == 401 else None)

    @app.exception_handler(StarletteHTTPException)
    def _http(_: Request, exc: StarletteHTTPException):
        return JSONResponse(error_body(f"http.{exc.status_code}", str(exc.detail)), status_code=exc.status_code,
                            headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    def _invalid(_: Request, exc: RequestValidationError):
        problems = [{"field": ".".join(str(p) for p in e.get("loc", ()) if p != "body"), "message": e.get("msg", ""),
                     "got": _short(e.get("input"))} for e in exc.errors()]
        first = problems[0] if problems else {"field": "", "message": "invalid request"}
        return JSONResponse(error_body("request.invalid", f"{first['field']}: {first['message']}", problems=problems),
                            status_code=422)

    @app.exception_handler(UploadError)
    def _upload(_: Request, exc: UploadError):
        return JSONResponse(error_body("upload.invalid", f"{len(exc.problems)} problem(s) in the upload",
                                       problems=[str(p) for p in exc.problems[:500]]), status_code=422)

    def _domain(_: Request, exc: Exception):
        code = getattr(exc, "code", None)
        if code is None:
            log.error("internal error", exc_info=exc)
            return JSONResponse(error_body("internal", "internal error"), status_code=500)
        return JSONResponse(error_body(code, str(exc).strip("'\"")), status_code=STATUS_BY_CODE.get(code, 422))

    # domain errors are ValueError/LookupError subclasses with a stable ``code``
    app.add_exception_handler(ValueError, _domain)
    app.add_exception_handler(LookupError, _domain)

    # -- open ---------------------------------------------------------------------------------------------
    @app.get(f"{API}/health", tags=["service"])
    def health() -> dict:
        """Liveness: no key needed."""
        return {"status": "ok", "version": __version__}

    # -- reads --------------------------------------------------------------------------------------------
    @app.get(f"{API}/sectors", tags=["data"], dependencies=[require(*ALL)])
    def sectors() -> list[dict]:
        obs = store.observations()
        counts = obs.groupby("sector").agg(series=("series_id", "nunique"), observations=("year", "size"))
        return [{"sector": s, "label_en": t.label_en, "label_ko": t.label_ko,
                 "series": int(counts.loc[s, "series"]) if s in counts.index else 0,
                 "observations": int(counts.loc[s, "observations"]) if s in counts.index else 0}
                for s, t in SECTORS.items()]

    @app.get(f"{API}/sectors/{{sector}}", tags=["data"], dependencies=[require(*ALL)])
    def sector_detail(sector: str) -> dict:
        service.check_sector(sector)
        obs = store.observations(sector=sector)
        defs = store.definitions()
        defs = defs[defs["sector"] == sector]
        series = (obs.groupby("series_id").agg(metric=("metric", "first"), definition=("definition", "first"),
                                                occupation=("occupation", "first"), education=("education", "first"),
                                                region=("region", "first"), unit=("unit", "first"),
                                                first_year=("year", "min"), last_year=("year", "max"),
                                                points=("year", "size")).reset_index())
        t = SECTORS[sector]
        return {"sector": sector, "label_en": t.label_en, "label_ko": t.label_ko,
                "dataset_version": store.active_version(),
                "series": series.to_dict("records"), "definitions": defs.drop(columns="sector").to_dict("records")}

    @app.get(f"{API}/skills", tags=["skills"], dependencies=[require(*ALL)])
    def skills(sector: str | None = None) -> list[dict]:
        return service.list_skills(sector=sector)

    served = ResultCache(store)

    @app.get(f"{API}/skills/gaps", tags=["skills"], dependencies=[require(*ALL)])
    def skill_gaps(sector: str, horizon: Annotated[int | None, Query(ge=1990, le=2100)] = None) -> list[dict]:
        """Openings, supply and gap by skill and year for one sector (p10/p50/p90)."""
        return service.get_skill_gaps(store=store, sector=sector, horizon=horizon)

    @app.get(f"{API}/forecasts/{{sector}}", tags=["forecasts"], dependencies=[require(*ALL)])
    async def forecast(sector: str, horizon: Annotated[int | None, Query(ge=1990, le=2100)] = None,
                       scenario: Annotated[str, Query(max_length=120)] = "trend",
                       by: Literal["education"] | None = None, format: Literal["json", "csv"] = "json",
                       levers: Annotated[Levers, Depends()] = None) -> Response:
        """A sector's forecast for the active dataset (same JSON as `talentgap forecast --format json`).
        Computed once per dataset version and parameters, then served from the store and memory."""
        lever_values = {k: v for k, v in (levers.model_dump() if levers else {}).items() if v is not None}
        key = json.dumps([sector, horizon, scenario, by, format, sorted(lever_values.items())])
        version = await served.version()
        body = served.get(version, key)
        if body is None:
            result = await run_in_threadpool(service.get_forecast, store=store, sector=sector, horizon=horizon,
                                             scenario=scenario, levers=lever_values, by=by)
            if result["dataset_version"] != version:  # activated meanwhile: serve it, cache under its own version
                version = result["dataset_version"]
            body = (forecast_csv(result) if format == "csv" else json.dumps(result, default=str, ensure_ascii=False)
                    ).encode()
            served.put(version, key, body)
        return Response(body, media_type="text/csv" if format == "csv" else "application/json")

    @app.get(f"{API}/sources/{{source_id}}", tags=["data"], dependencies=[require(*ALL)])
    def source(source_id: str) -> dict:
        src = store.source(source_id)
        if src is None:
            raise NotFound(f"no source {source_id!r}")
        return src

    @app.get(f"{API}/backtests", tags=["forecasts"], dependencies=[require(*ALL)])
    def backtests() -> dict:
        return service.get_backtest(store=store)

    # -- compute ------------------------------------------------------------------------------------------
    @app.post(f"{API}/series/forecast", tags=["forecasts"], dependencies=[require(*WRITE)])
    def series_forecast(body: SeriesForecastRequest) -> dict:
        import pandas as pd

        if len(body.series) > settings.max_upload_rows:
            raise TooLarge(f"series: at most {settings.max_upload_rows:,} points per request; got {len(body.series):,}")
        frame = pd.DataFrame([p.model_dump() for p in body.series])
        n = frame["series_id"].nunique()
        if n > service.MAX_API_SERIES:
            raise TooLarge(f"series: at most {service.MAX_API_SERIES:,} series per request; got {n:,}")
        dup = frame.duplicated(["series_id", "year"])
        if dup.any():
            i = int(dup.idxmax())
            raise service.ForecastInputError(f"series[{i}]: duplicate year {frame.at[i, 'year']} for series "
                                             f"{frame.at[i, 'series_id']!r}")
        frame = frame.sort_values(["series_id", "year"], kind="stable")
        out = service.series_forecast(frame, horizon=body.horizon, level=body.level, workers=1)
        return {"horizon": body.horizon, "level": body.level,
                "rows": out.drop(columns="fallback_reason").to_dict("records"),
                "fallbacks": out.loc[out["fallback_reason"] != ""].drop_duplicates("series_id")[
                    ["series_id", "model", "fallback_reason"]].to_dict("records")}

    @app.post(f"{API}/gaps", tags=["skills"], dependencies=[require(*SKILL_USERS)])
    def gaps(body: GapRequest) -> dict:
        return service.get_gap(store=store, skills=body.skills, sector=body.sector, horizon=body.horizon)

    @app.post(f"{API}/programs/assess", tags=["skills"], dependencies=[require(*SKILL_USERS)])
    def programme(body: ProgrammeRequest) -> dict:
        return service.assess_programme(store=store, programme=body.model_dump())

    # -- scenarios ------------------------------------------------------------------------------------------
    @app.post(f"{API}/scenarios", tags=["scenarios"], status_code=201, dependencies=[require(*WRITE)])
    def create_scenario(body: ScenarioRequest) -> dict:
        service.check_sector(body.sector)
        levers = service.validate_levers({k: v for k, v in body.levers.model_dump().items() if v is not None})
        return save_scenario(store, name=body.name, sector=body.sector, base=body.base, levers=levers,
                             description=body.description)

    @app.get(f"{API}/scenarios", tags=["scenarios"], dependencies=[require(*ALL)])
    def scenarios() -> list[dict]:
        return list_scenarios(store)

    @app.get(f"{API}/scenarios/{{scenario_id}}", tags=["scenarios"], dependencies=[require(*ALL)])
    def scenario(scenario_id: str, horizon: Annotated[int | None, Query(ge=1990, le=2100)] = None) -> dict:
        from talentgap.data.results import get_scenario

        saved = get_scenario(store, scenario_id)
        return {**saved, "forecast": service.get_forecast(store=store, sector=saved["sector"], horizon=horizon,
                                                          scenario=saved["name"])}

    # -- datasets -----------------------------------------------------------------------------------------
    @app.post(f"{API}/datasets", tags=["data"], status_code=201, dependencies=[require(*WRITE)])
    def upload(file: Annotated[UploadFile, File(description="CSV or XLSX in the long format")]) -> dict:
        content = file.file.read(settings.max_upload_bytes + 1)
        if len(content) > settings.max_upload_bytes:
            raise TooLarge(f"file: larger than the {settings.max_upload_bytes:,}-byte limit")
        frame = read_upload(content, file.filename or "upload", max_bytes=settings.max_upload_bytes,
                            max_rows=settings.max_upload_rows)
        result = store.import_frame(frame, origin=f"upload {(file.filename or 'upload')[:200]}")
        return {"version": result.version, "active": True, "row_count": result.row_count,
                "added_rows": result.added_rows, "replaced_rows": result.replaced_rows}

    @app.get(f"{API}/datasets", tags=["data"], dependencies=[require(*ALL)])
    def datasets() -> list[dict]:
        return [v.__dict__ for v in store.versions()]

    @app.post(f"{API}/datasets/{{version}}/activate", tags=["data"], dependencies=[require(*WRITE)])
    def activate(version: int) -> dict:
        store.activate(version)
        return {"version": version, "active": True}

    # -- reports ------------------------------------------------------------------------------------------
    from talentgap.data.reports import add_report, get_report, list_reports

    from .report import check_options, new_report_id, write_report

    jobs = JobQueue()
    app.state.report_jobs = jobs

    def run_report(report_id: str, params: dict) -> None:
        try:
            write_report(store=store, out_dir=settings.report_dir(), report_id=report_id, **params)
        except Exception:  # noqa: BLE001 - recorded as failed in the archive by write_report
            log.warning("report %s failed", report_id, exc_info=True)

    @app.post(f"{API}/reports", tags=["reports"], status_code=202,
              dependencies=[require("admin", "analyst", "reporter")])
    def start_report(body: ReportRequest) -> dict:
        """Queue the standard report; poll GET /reports/{id} for queued → running → done/failed."""
        params = {"formats": list(dict.fromkeys(body.formats)), "sectors": body.sectors, "scenario": body.scenario,
                  "horizon": body.horizon}
        check_options(**params)
        report_id = new_report_id()
        add_report(store, report_id=report_id, params=params)
        jobs.submit(run_report, report_id, params)
        return get_report(store, report_id)

    @app.get(f"{API}/reports", tags=["reports"], dependencies=[require(*ALL)])
    def reports() -> list[dict]:
        return [{k: v for k, v in r.items() if k != "directory"} for r in list_reports(store)]

    @app.get(f"{API}/reports/{{report_id}}", tags=["reports"], dependencies=[require(*ALL)])
    def report(report_id: str) -> dict:
        r = get_report(store, report_id)
        r.pop("directory")
        return r

    @app.get(f"{API}/reports/{{report_id}}/download", tags=["reports"], dependencies=[require(*ALL)],
             response_class=Response,
             responses={200: {"content": {"text/html": {}, "application/pdf": {}, "text/csv": {}}}})
    def download(report_id: str, format: Literal["html", "pdf", "csv"] = "html") -> Response:
        from fastapi.responses import FileResponse

        r = get_report(store, report_id)
        if r["status"] != "done":
            raise NotReady(f"report {report_id} is {r['status']}, not done")
        name = {"html": "report.html", "pdf": "report.pdf", "csv": "data.csv"}[format]
        path = Path(r["directory"]) / name
        if not path.is_file():
            raise NotFound(f"report {report_id} has no {format} file (formats: {', '.join(r['params']['formats'])})")
        media = {"html": "text/html", "pdf": "application/pdf", "csv": "text/csv"}[format]
        return FileResponse(path, media_type=media, filename=f"talentgap-{report_id}.{format}")

    # -- web UI -----------------------------------------------------------------------------------------------
    from fastapi.responses import RedirectResponse
    from fastapi.staticfiles import StaticFiles

    from .web import NeedsLogin, make_router

    app.mount("/static", StaticFiles(directory=Path(__file__).resolve().parent / "static"), name="static")
    app.include_router(make_router(store, keys, lambda rid, params: jobs.submit(run_report, rid, params)))

    @app.get("/static-font/NanumGothic.ttf", include_in_schema=False)
    def korean_webfont() -> Response:
        """The Korean font the pages use, served by the app (the package koreanize-matplotlib ships it)."""
        from .charts import web_font_bytes

        font = web_font_bytes()
        if font is None:
            raise NotFound("no Korean font installed")
        return Response(font, media_type="font/ttf", headers={"Cache-Control": "max-age=86400"})

    @app.exception_handler(NeedsLogin)
    def _login(_: Request, __: NeedsLogin):
        return RedirectResponse("/ui/login", status_code=303)

    @app.get("/", include_in_schema=False)
    def root() -> Response:
        return RedirectResponse("/ui/", status_code=307)

    # -- keys -----------------------------------------------------------------------------------------------
    @app.get(f"{API}/keys", tags=["keys"], dependencies=[require("admin")])
    def keys_list() -> list[dict]:
        return list_keys(store)

    @app.post(f"{API}/keys", tags=["keys"], status_code=201, dependencies=[require("admin")])
    def keys_create(body: KeyRequest) -> dict:
        return {"name": body.name, "role": body.role, "key": create_key(store, role=body.role, name=body.name)}

    @app.delete(f"{API}/keys/{{name}}", tags=["keys"], dependencies=[require("admin")])
    def keys_revoke(name: str) -> dict:
        revoke_key(store, name)
        keys.forget()
        return {"name": name, "revoked": True}

    return app


class AuthError(Exception):
    def __init__(self, status: int, code: str, message: str):
        self.status, self.code, self.message = status, code, message


class KeyCache:
    """Key → role lookups, kept for a few seconds so hot routes do not query the database each time.
    A revocation through this process is immediate; through another, it takes effect within ``ttl``."""

    MISS = object()

    def __init__(self, store: Store, ttl: float = 5.0):
        self.store, self.ttl = store, ttl
        self._cache: dict[str, tuple[str | None, float]] = {}

    def cached(self, key: str):
        hit = self._cache.get(key)
        return hit[0] if hit and hit[1] > time.monotonic() else self.MISS

    def role(self, key: str) -> str | None:
        hit = self._cache.get(key)
        now = time.monotonic()
        if hit and hit[1] > now:
            return hit[0]
        role = role_of(self.store, key) if len(key) <= 200 else None
        if len(self._cache) > 10_000:
            self._cache.clear()
        self._cache[key] = (role, now + self.ttl)
        return role

    def forget(self) -> None:
        self._cache.clear()


class JobQueue:
    """Report jobs run one at a time on a daemon thread, so a stopping service is not held up by
    queued work (an interrupted job stays ``queued``/``running`` in the archive)."""

    def __init__(self) -> None:
        import queue
        import threading

        self._queue: queue.Queue = queue.Queue()
        threading.Thread(target=self._work, daemon=True, name="talentgap-report").start()

    def submit(self, fn, *args) -> None:
        self._queue.put((fn, args))

    def _work(self) -> None:
        while True:
            fn, args = self._queue.get()
            try:
                fn(*args)
            except Exception:  # noqa: BLE001 - the job records its own failure
                log.warning("report job failed", exc_info=True)


class ResultCache:
    """Serialized results by (dataset version, request), in memory. The active version is re-read at
    most once a second, so an activation by any process is seen within a second; entries of other
    versions are dropped when the version changes."""

    def __init__(self, store: Store, ttl: float = 1.0, size: int = 512):
        self.store, self.ttl, self.size = store, ttl, size
        self._version: tuple[int, float] | None = None
        self._items: dict[tuple[int, str], bytes] = {}

    async def version(self) -> int:
        now = time.monotonic()
        if self._version is None or self._version[1] <= now:
            v = await run_in_threadpool(self.store.active_version)
            self._version = (v, now + self.ttl)
            if any(k[0] != v for k in self._items):
                self._items = {k: b for k, b in self._items.items() if k[0] == v}
        return self._version[0]

    def get(self, version: int, key: str) -> bytes | None:
        return self._items.get((version, key))

    def put(self, version: int, key: str, body: bytes) -> None:
        if len(self._items) >= self.size:
            self._items.pop(next(iter(self._items)))
        self._items[(version, key)] = body


def _short(value: Any) -> Any:
    text = repr(value)
    return value if len(text) <= 100 and isinstance(value, str | int | float | bool | type(None)) else text[:100]
