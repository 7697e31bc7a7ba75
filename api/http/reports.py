"""``/reports``: the standard report as a background job (queued → running → done/failed), its archive
and its files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import FileResponse, Response

from talentgap.errors import TalentgapError
from talentgap.i18n import msg

from .. import service
from ..errors import NotReady
from ..report_queue import cancel_report
from .deps import JobsDep, KeyNameDep, StoreDep, require
from .public import ReportPublic
from .schemas import ReportRequest

router = APIRouter(prefix="/reports", tags=["reports"])
class FormatMissing(TalentgapError, LookupError):
    """A finished report asked for a format it was not written in (404)."""

    code = "report.format_missing"
    status = 404


FILES = {"html": ("report.html", "text/html"), "pdf": ("report.pdf", "application/pdf"), "csv": ("data.csv", "text/csv")}


@router.post("", status_code=202, dependencies=[require("reports")], response_model=ReportPublic,
             responses={429: {"description": "the key already has the most reports queued or running (5 by "
                                             "default); Retry-After says when to try again"}})
def start_report(body: ReportRequest, store: StoreDep, jobs: JobsDep, key: KeyNameDep):
    """Queue the standard report; poll GET /reports/{id} for queued → running → done/failed. A key may
    have a bounded number of reports queued or running at once (429 past it)."""
    report = service.start_report(store=store, submit=jobs.submit, formats=body.formats, sectors=body.sectors,
                                  scenario=body.scenario, horizon=body.horizon, lang=body.lang, requested_by=key)
    report.pop("directory", None)
    return report


@router.get("", dependencies=[require("read")], response_model=list[ReportPublic])
def reports(store: StoreDep, limit: Annotated[int, Query(ge=1, le=200, description="reports per page")] = 200,
            offset: Annotated[int, Query(ge=0, le=1_000_000, description="reports to skip")] = 0):
    """The report archive, newest first, a page at a time (at most 200 a page; ``offset`` for the next)."""
    return [{k: v for k, v in r.items() if k != "directory"} for r in service.reports.archive(store=store, limit=limit, offset=offset)]


@router.delete("/{report_id}", response_model=ReportPublic)
async def cancel(report_id: str, store: StoreDep, key: KeyNameDep, role: str = require("reports")):
    """Cancel a queued report of this key (an admin key: of any key); 409 once it runs or has ended."""
    from starlette.concurrency import run_in_threadpool

    report = await run_in_threadpool(cancel_report, store=store, report_id=report_id, requested_by=key,
                                     role=role)
    report.pop("directory", None)
    return report


@router.get("/{report_id}", dependencies=[require("read")], response_model=ReportPublic)
def report(report_id: str, store: StoreDep):
    """One archived report: status, parameters, versions, error."""
    r = service.reports.get(store=store, report_id=report_id)
    r.pop("directory")
    return r


def report_file(store, report_id: str, format: str) -> tuple[Path, str]:
    """The file of a finished report in ``format`` and its media type (NotReady / NotFound otherwise)."""
    r = service.reports.get(store=store, report_id=report_id)
    if r["status"] != "done":
        raise NotReady(msg("report.not_ready", report=report_id, status=r["status"]))
    name, media = FILES[format]
    path = Path(r["directory"]) / name
    if not path.is_file():
        raise FormatMissing(msg("report.no_file", report=report_id, format=format, formats=", ".join(r["params"]["formats"])))
    return path, media


@router.get("/{report_id}/download", dependencies=[require("read")], response_class=Response,
            responses={200: {"content": {"text/html": {}, "application/pdf": {}, "text/csv": {}}}})
def download(report_id: str, store: StoreDep, format: Literal["html", "pdf", "csv"] = "html") -> Response:
    """A finished report's HTML, PDF or data.csv."""
    path, media = report_file(store, report_id, format)
    return FileResponse(path, media_type=media, filename=f"talentgap-{report_id}.{format}")
