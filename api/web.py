"""The web UI: server-rendered pages on the same service functions as the API (PRODUCT.md §5.4).

Sign-in stores the API key in an HttpOnly, SameSite=Strict cookie; every page checks the key's role
and shows only what that role may do. Charts are inline SVG drawn on the server; the one stylesheet is
served by the app, so the pages make no request outside it.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from talentgap.data.files import UploadError, read_upload
from talentgap.data.reports import add_report, list_reports
from talentgap.data.results import list_scenarios, save_scenario
from talentgap.data.settings import get_settings
from talentgap.data.store import Store
from talentgap.seeds.vocab import EDUCATION, SECTORS

from . import service
from .charts import fan_chart_svg
from .i18n import translator

TEMPLATES = Path(__file__).resolve().parent / "templates" / "ui"
LEVERS = ("extra_graduates", "entry_rate", "separation_rate", "foreign_inflow", "reskilling", "start_year")
CAN = {
    "scenario_save": ("admin", "analyst"),
    "upload": ("admin", "analyst"),
    "gap": ("admin", "analyst", "university"),
    "programme": ("admin", "analyst", "university"),
    "report_start": ("admin", "analyst", "reporter"),
}


class NeedsLogin(Exception):
    pass


def make_router(store: Store, keys, jobs_submit) -> APIRouter:
    """Pages under ``/ui``; ``keys`` is the app's key cache, ``jobs_submit(report_id, params)`` queues
    a report."""
    router = APIRouter(prefix="/ui", include_in_schema=False)
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))
    env.filters["n"] = lambda v, d=0: "" if v is None or v == "" else f"{v:,.{d}f}"
    env.filters["q"] = lambda r, d=0: f"{r['p50']:,.{d}f} [{r['p10']:,.{d}f}–{r['p90']:,.{d}f}]"

    def session(request: Request) -> dict:
        key = request.cookies.get("tg_key", "")
        role = keys.role(key) if key else None
        if role is None:
            raise NeedsLogin()
        lang = request.query_params.get("lang") or request.cookies.get("tg_lang", "en")
        lang = "ko" if lang == "ko" else "en"
        return {"role": role, "lang": lang, "t": translator(lang), "can": {k: role in v for k, v in CAN.items()}}

    def page(request: Request, template: str, status: int = 200, **ctx) -> HTMLResponse:
        s = session(request)
        html = env.get_template(template).render(request=request, sectors=SECTORS, education=EDUCATION,
                                                 path=request.url.path, query=str(request.url.query), **s, **ctx)
        resp = HTMLResponse(html, status_code=status)
        if request.query_params.get("lang") in ("en", "ko"):
            resp.set_cookie("tg_lang", request.query_params["lang"], samesite="strict", httponly=True)
        return resp

    @router.get("/login", response_class=HTMLResponse)
    def login_form(request: Request, error: str = "") -> HTMLResponse:
        lang = "ko" if request.cookies.get("tg_lang") == "ko" or request.query_params.get("lang") == "ko" else "en"
        html = env.get_template("login.html").render(t=translator(lang), lang=lang, error=error, path="/ui/login",
                                                     query="")
        return HTMLResponse(html, status_code=401 if error else 200)

    @router.post("/login")
    def login(key: Annotated[str, Form(max_length=200)]) -> Response:
        key = key.strip()
        if not key or keys.role(key) is None:
            return RedirectResponse("/ui/login?error=1", status_code=303)
        resp = RedirectResponse("/ui/", status_code=303)
        resp.set_cookie("tg_key", key, httponly=True, samesite="strict", max_age=12 * 3600)
        return resp

    @router.post("/logout")
    def logout() -> Response:
        resp = RedirectResponse("/ui/login", status_code=303)
        resp.delete_cookie("tg_key")
        return resp

    @router.get("/", response_class=HTMLResponse)
    def home(request: Request) -> HTMLResponse:
        rows = []
        for sector in SECTORS:
            try:
                f = service.get_forecast(store=store, sector=sector)
                rows.append({"sector": sector, "forecast": f, "last": f["rows"][-1]})
            except LookupError as exc:
                rows.append({"sector": sector, "error": str(exc)})
        return page(request, "home.html", rows=rows, dataset_version=store.active_version())

    @router.get("/sectors/{sector}", response_class=HTMLResponse)
    def sector_page(request: Request, sector: str, scenario: str = "trend") -> HTMLResponse:
        service.check_sector(sector)
        f = service.get_forecast(store=store, sector=sector, scenario=scenario)
        edu = service.get_forecast(store=store, sector=sector, scenario=scenario, by="education")
        levels = list(dict.fromkeys(r["education"] for r in edu["rows"] if "education" in r))
        bt = [r for r in service.get_backtest(store=store)["series"] if r["series_id"].startswith(sector + ".")]
        saved = [s for s in list_scenarios(store) if s["sector"] == sector]
        chart = fan_chart_svg(f, title=f"{SECTORS[sector].label_en} / {SECTORS[sector].label_ko} — {scenario}")
        return page(request, "sector.html", sector=sector, f=f, edu=edu, levels=levels, backtest=bt, saved=saved,
                    chart=chart, scenario=scenario)

    @router.get("/sources/{source_id}", response_class=HTMLResponse)
    def source_page(request: Request, source_id: str) -> HTMLResponse:
        src = store.source(source_id)
        if src is None:
            return page(request, "message.html", status=404, title="404", message=f"no source {source_id!r}")
        return page(request, "source.html", src=src)

    def parse_levers(form: dict) -> tuple[dict, list[str]]:
        levers, errors = {}, []
        for name in LEVERS:
            raw = str(form.get(name, "")).strip()
            if raw:
                try:
                    levers[name] = float(raw)
                except ValueError:
                    errors.append(f"{name}: must be a number (got {raw!r})")
        if not errors:
            try:
                levers = service.validate_levers(levers)
            except ValueError as exc:
                errors.append(str(exc))
        return levers, errors

    @router.get("/scenario", response_class=HTMLResponse)
    async def scenario_form(request: Request, sector: str = "semiconductor", base: str = "trend") -> HTMLResponse:
        return await scenario_run(request, sector=sector, base=base, form={})

    @router.post("/scenario", response_class=HTMLResponse)
    async def scenario_post(request: Request) -> HTMLResponse:
        form = dict(await request.form())
        return await scenario_run(request, sector=str(form.get("sector", "")), base=str(form.get("base", "trend")),
                                  form=form)

    async def scenario_run(request: Request, *, sector: str, base: str, form: dict) -> HTMLResponse:
        from starlette.concurrency import run_in_threadpool

        service.check_sector(sector)
        base = base if base in ("trend", "policy") else "trend"
        levers, errors = parse_levers(form)
        saved_msg = ""
        baseline = await run_in_threadpool(service.get_forecast, store=store, sector=sector, scenario=base)
        result = None
        if form and not errors:
            result = await run_in_threadpool(service.get_forecast, store=store, sector=sector, scenario=base,
                                             levers=levers)
            name = str(form.get("name", "")).strip()
            if form.get("action") == "save":
                s = session(request)
                if not s["can"]["scenario_save"]:
                    errors.append(s["t"]("not_allowed"))
                elif not name or name in ("trend", "policy") or len(name) > 120:
                    errors.append("name: give a name (not trend or policy), up to 120 characters")
                else:
                    try:
                        save_scenario(store, name=name, sector=sector, base=base, levers=levers)
                        saved_msg = name
                    except ValueError as exc:
                        errors.append(str(exc))
        pairs = []
        if result:
            for a, b in zip(baseline["rows"], result["rows"]):
                pairs.append({"year": a["year"], "base": a, "new": b})
        return page(request, "scenario.html", status=422 if errors else 200, sector=sector, base=base, form=form,
                    levers=LEVERS, errors=errors, baseline=baseline, result=result, pairs=pairs, saved_msg=saved_msg)

    @router.get("/gap", response_class=HTMLResponse)
    def gap_form(request: Request) -> HTMLResponse:
        return page(request, "gap.html", skills=service.list_skills(), result=None, errors=[], chosen={})

    @router.post("/gap", response_class=HTMLResponse)
    async def gap_post(request: Request) -> HTMLResponse:
        from starlette.concurrency import run_in_threadpool

        s = session(request)
        form = await request.form()
        chosen, errors = _weights(form)
        result = None
        if not s["can"]["gap"]:
            errors.append(s["t"]("not_allowed"))
        if not errors:
            sector = str(form.get("sector") or "") or None
            try:
                result = await run_in_threadpool(service.get_gap, store=store, skills=chosen, sector=sector)
            except ValueError as exc:
                errors.append(str(exc))
        return page(request, "gap.html", status=422 if errors else 200, skills=service.list_skills(),
                    result=result, errors=errors, chosen=chosen)

    @router.get("/program", response_class=HTMLResponse)
    def programme_form(request: Request) -> HTMLResponse:
        return page(request, "program.html", skills=service.list_skills(), result=None, errors=[], form={}, chosen={})

    @router.post("/program", response_class=HTMLResponse)
    async def programme_post(request: Request) -> HTMLResponse:
        from starlette.concurrency import run_in_threadpool

        s = session(request)
        form = dict(await request.form())
        chosen, errors = _weights(form)
        result = None
        if not s["can"]["programme"]:
            errors.append(s["t"]("not_allowed"))
        seats = str(form.get("seats_per_year", "")).strip()
        try:
            seats_value = float(seats)
        except ValueError:
            errors.append(f"seats_per_year: must be a number (got {seats!r})")
            seats_value = 0
        if not errors:
            prog = {"name": str(form.get("name", "")).strip() or "programme", "sector": form.get("sector"),
                    "degree": form.get("degree"), "seats_per_year": seats_value, "skills": chosen,
                    "region": str(form.get("region", "")).strip() or None}
            try:
                result = await run_in_threadpool(service.assess_programme, store=store, programme=prog)
            except ValueError as exc:
                errors.append(str(exc))
        return page(request, "program.html", status=422 if errors else 200, skills=service.list_skills(),
                    result=result, errors=errors, form=form, chosen=chosen)

    @router.get("/data", response_class=HTMLResponse)
    def data_page(request: Request) -> HTMLResponse:
        return page(request, "data.html", versions=store.versions(), problems=[], imported=None)

    @router.post("/data/upload", response_class=HTMLResponse)
    def data_upload(request: Request, file: Annotated[UploadFile, File()]) -> HTMLResponse:
        s = session(request)
        problems, imported = [], None
        if not s["can"]["upload"]:
            problems = [s["t"]("not_allowed")]
        else:
            settings = get_settings()
            content = file.file.read(settings.max_upload_bytes + 1)
            try:
                frame = read_upload(content, file.filename or "upload", max_bytes=settings.max_upload_bytes,
                                    max_rows=settings.max_upload_rows)
                imported = store.import_frame(frame, origin=f"upload {(file.filename or 'upload')[:200]}")
            except UploadError as exc:
                problems = [str(p) for p in exc.problems[:200]]
        return page(request, "data.html", status=422 if problems else 200, versions=store.versions(),
                    problems=problems, imported=imported)

    @router.post("/data/activate")
    async def data_activate(request: Request) -> Response:
        s = session(request)
        form = await request.form()
        if s["can"]["upload"]:
            store.activate(int(str(form.get("version", "0")) or 0))
        return RedirectResponse("/ui/data", status_code=303)

    @router.get("/download/{sector}")
    def download(request: Request, sector: str, format: str = "csv", scenario: str = "trend") -> Response:
        session(request)
        f = service.get_forecast(store=store, sector=sector, scenario=scenario)
        from .formatting import forecast_csv

        text = forecast_csv(f)
        if format == "xlsx":
            import pandas as pd

            buf = io.BytesIO()
            pd.read_csv(io.StringIO(text)).to_excel(buf, index=False)
            return Response(buf.getvalue(), media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                            headers={"Content-Disposition": f"attachment; filename=talentgap-{sector}.xlsx"})
        return Response(text, media_type="text/csv",
                        headers={"Content-Disposition": f"attachment; filename=talentgap-{sector}.csv"})

    @router.get("/reports", response_class=HTMLResponse)
    def reports_page(request: Request, started: str = "") -> HTMLResponse:
        return page(request, "reports.html", reports=list_reports(store), started=started)

    @router.get("/reports/{report_id}/download")
    def report_download(request: Request, report_id: str, format: str = "html") -> Response:
        from fastapi.responses import FileResponse

        from talentgap.data.reports import get_report

        session(request)
        r = get_report(store, report_id)
        name = {"html": "report.html", "pdf": "report.pdf", "csv": "data.csv"}.get(format)
        path = Path(r["directory"]) / name if name and r["status"] == "done" else None
        if path is None or not path.is_file():
            return page(request, "message.html", status=404, title="404", message=f"no {format} file for {report_id}")
        media = {"html": "text/html", "pdf": "application/pdf", "csv": "text/csv"}[format]
        return FileResponse(path, media_type=media)

    @router.post("/reports")
    async def reports_start(request: Request) -> Response:
        from .report import new_report_id

        s = session(request)
        form = await request.form()
        if not s["can"]["report_start"]:
            return page(request, "message.html", status=403, title="403", message=s["t"]("not_allowed"))
        formats = [f for f in ("html", "pdf") if form.get(f)] or ["html"]
        sectors = [x for x in form.getlist("sector") if x in SECTORS] or None
        params = {"formats": formats, "sectors": sectors, "scenario": "trend", "horizon": None}
        report_id = new_report_id()
        add_report(store, report_id=report_id, params=params)
        jobs_submit(report_id, params)
        return RedirectResponse(f"/ui/reports?started={quote(report_id)}", status_code=303)

    return router


def _weights(form) -> tuple[dict[str, float], list[str]]:
    """Skill weights from form fields ``w_<skill>`` (blank or 0 = not chosen)."""
    chosen, errors = {}, []
    for k, v in form.items():
        if k.startswith("w_") and str(v).strip():
            try:
                w = float(v)
            except ValueError:
                errors.append(f"{k[2:]}: weight must be a number (got {v!r})")
                continue
            if w < 0:
                errors.append(f"{k[2:]}: weight must be non-negative (got {w:g})")
            elif w > 0:
                chosen[k[2:]] = w
    if not chosen and not errors:
        errors.append("skills: give at least one skill a weight above 0")
    return chosen, errors


__all__ = ["make_router", "NeedsLogin", "json"]
