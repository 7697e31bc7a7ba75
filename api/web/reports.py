"""The reports page: start a report, follow its status, open its files."""

from __future__ import annotations

from typing import Literal
from urllib.parse import quote
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response

from talentgap.i18n import LANGUAGES, Message, translator
from talentgap.seeds.vocab import SECTORS

from .. import service
from ..auth import check
from ..http.deps import StoreDep
from ..http.reports import report_file
from ..render.names import sector_name, status_name
from ..report_queue import cancel_report
from .common import Form_, Session, render

router = APIRouter(prefix="/reports")
SEOUL = ZoneInfo("Asia/Seoul")


@router.get("", response_class=HTMLResponse)
def reports_page(request: Request, session: Session, store: StoreDep, started: str = "") -> HTMLResponse:
    lang = session["lang"]
    reports = [{**r, "error": report_error(r, lang), "title": report_title(r, lang), "when": local_time(r, lang),
                "cancellable": r["status"] == "queued" and session["can"]["report_start"]
                and (session["role"] == "admin" or r["requested_by"] == session["key_name"])}
               for r in service.reports.archive(store=store)]
    started_title = next((r["title"] for r in reports if r["id"] == started), "") if started else ""
    return render(request, "reports.html", session, reports=reports, started=started_title)


def report_title(report: dict, lang: str) -> str:
    """``Standard report, Korean edition · Semiconductors, Batteries`` (all sectors when none was chosen)."""
    t = translator(lang)
    params = report.get("params") or {}
    edition = t(f"edition.{params['lang']}") if params.get("lang") in LANGUAGES else ""
    sectors = ", ".join(sector_name(s, lang) for s in params.get("sectors") or []) or t("all_sectors")
    return t("report_title").format(edition=edition, sectors=sectors) if edition else \
        t("report_title_plain").format(sectors=sectors)


def local_time(report: dict, lang: str) -> str:
    """When the report was asked for, on Seoul's clock: ``2026년 12월 5일 01:24`` / ``5 December 2026, 01:24``."""
    at = report["created_at"].astimezone(SEOUL)
    t = translator(lang)
    return t("report_when").format(year=at.year, month_name=t(f"month.{at.month}"), day=at.day,
                                   time=at.strftime("%H:%M"))


def report_error(report: dict, lang: str) -> str:
    """Why a report failed, in ``lang`` where its error kept its message id (English otherwise)."""
    if not report.get("error_id"):
        return report.get("error") or ""
    return Message.from_dict("errors", report["error_id"]).in_lang(lang)


@router.get("/status")
def reports_status(session: Session, store: StoreDep) -> JSONResponse:
    """The latest reports' statuses with their words in the page's language (polled by reports.js)."""
    return JSONResponse([{"id": r["id"], "status": r["status"], "label": status_name(r["status"], session["lang"]),
                          "title": report_title(r, session["lang"])}
                         for r in service.reports.archive(store=store)])


@router.get("/{report_id}/download")
def report_download(report_id: str, session: Session, store: StoreDep,
                    format: Literal["html", "pdf", "csv"] = "html") -> Response:
    path, media = report_file(store, report_id, format)
    # HTML and PDF open in the browser (the HTML in a sandbox, see http.guard); data.csv downloads
    return FileResponse(path, media_type=media, filename=f"talentgap-{report_id}.{format}",
                        content_disposition_type="attachment" if format == "csv" else "inline")


@router.post("")
def reports_start(request: Request, session: Session, store: StoreDep, form: Form_) -> Response:
    check(session["role"], "reports")
    formats = [f for f in ("html", "pdf") if form.get(f)] or ["html"]
    sectors = [x for x in form.getlist("sector") if x in SECTORS] or None
    chosen = form.get("lang")
    lang = chosen if isinstance(chosen, str) and chosen in LANGUAGES else session["lang"]
    report = service.start_report(store=store, submit=request.app.state.jobs.submit, formats=formats,
                                  sectors=sectors, lang=lang, requested_by=session["key_name"])
    return RedirectResponse(f"/ui/reports?started={quote(report['id'])}", status_code=303)


@router.post("/{report_id}/cancel")
def reports_cancel(report_id: str, session: Session, store: StoreDep) -> Response:
    check(session["role"], "reports")
    cancel_report(store=store, report_id=report_id, requested_by=session["key_name"], role=session["role"])
    return RedirectResponse("/ui/reports", status_code=303)
