"""The data page: upload survey figures (errors by row and column), history and activation."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from talentgap.i18n import localize, msg

from .. import service
from ..auth import check
from ..errors import NotFound
from ..http.deps import StoreDep
from .common import Session, render

TEMPLATE_HEADER = "series_id,sector,metric,definition,occupation,education,region,year,value,unit,source_id\n"
router = APIRouter(prefix="/data")


@router.get("", response_class=HTMLResponse)
def data_page(request: Request, session: Session, store: StoreDep) -> HTMLResponse:
    return render(request, "data.html", session, versions=service.data.versions(store=store), problems=[],
                  imported=None, filename="", links=service.sectors.link_choices())


@router.post("/sector", response_class=HTMLResponse)
def data_sector(request: Request, session: Session, store: StoreDep, sector_id: Annotated[str, Form(max_length=40)],
                name_ko: Annotated[str, Form(max_length=200)] = "", name_en: Annotated[str, Form(max_length=200)] = "",
                spec: Annotated[UploadFile | None, File()] = None,
                occupations: Annotated[list[str] | None, Form(max_length=80)] = None,
                feeder_fields: Annotated[list[str] | None, Form(max_length=80)] = None) -> HTMLResponse:
    """Add a sector (admin): id and names, optionally links to the taxonomy's occupations and feeder
    programmes (ticked on the form) and its specification file (TOML or XLSX)."""
    links = {"occupations": occupations or [], "feeder_fields": feeder_fields or []}
    problems, added = [], None
    if not session["can"]["sectors"]:
        problems = [msg("form.not_allowed").in_lang(session["lang"])]
    else:
        try:
            entry = sector_from_form(sector_id, name_ko, name_en, spec, links)
            added = service.sectors.add_sector(store=store, entry=entry)
        except service.sectors.SectorError as exc:
            problems = [localize(exc.args[0], session["lang"]) if exc.args else str(exc)]
    return render(request, "data.html", session, status=422 if problems else 200,
                  versions=service.data.versions(store=store), problems=[], imported=None, filename="",
                  sector_problems=problems, sector_added=added, links=service.sectors.link_choices(),
                  ticked=set() if added else {*links["occupations"], *links["feeder_fields"]})


def sector_from_form(sector_id: str, name_ko: str, name_en: str, spec: UploadFile | None,
                     links: dict[str, list[str]] | None = None):
    """The sector the form describes; an attached file (``.toml`` or ``.xlsx``) adds its specification, and
    links ticked on the form replace the file's."""
    import tempfile
    from pathlib import Path

    links = {k: v for k, v in (links or {}).items() if v}
    if spec is None or not spec.filename:
        return service.sectors.sector_entry(links, sector=sector_id.strip(), name_en=name_en, name_ko=name_ko)
    suffix = Path(spec.filename).suffix.lower()
    content = spec.file.read(service.settings().max_upload_bytes)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"sector{suffix if suffix in ('.toml', '.xlsx') else '.txt'}"
        path.write_bytes(content)
        return service.sectors.sector_entry(links, file=path, sector=sector_id.strip(), name_en=name_en,
                                            name_ko=name_ko)


@router.post("/upload", response_class=HTMLResponse)
def data_upload(request: Request, session: Session, store: StoreDep, file: Annotated[UploadFile, File()],
                allow_implausible: Annotated[bool, Form()] = False) -> HTMLResponse:
    problems, imported = [], None
    if not session["can"]["upload"]:
        problems = [msg("form.not_allowed").in_lang(session["lang"])]
    else:
        content = file.file.read(service.settings().max_upload_bytes + 1)
        try:
            imported = service.import_upload(store=store, content=content, filename=file.filename or "upload",
                                             allow_implausible=allow_implausible)
        except service.data.UploadError as exc:
            problems = [p.in_lang(session["lang"]) for p in exc.problems[:200]]
    return render(request, "data.html", session, status=422 if problems else 200, versions=service.data.versions(store=store),
                  problems=problems, imported=imported, filename=(file.filename or "upload")[:200],
                  links=service.sectors.link_choices())


def template_row() -> str:
    """One example row: the shipped data's first stock figure without a breakdown, as it is stored."""
    from talentgap.seeds.loader import seed_dataset

    obs = seed_dataset().observations
    row = obs[(obs["metric"] == "stock") & (obs["occupation"] == "") & (obs["education"] == "")].iloc[0]
    value = int(row["value"]) if float(row["value"]).is_integer() else row["value"]
    return (f"{row['series_id']},{row['sector']},stock,{row['definition']},,,{row['region']},{row['year']},{value},"
            f"{row['unit']},{row['source_id']}\n")


@router.get("/template.{fmt}")
def data_template(session: Session, fmt: str) -> Response:
    """An upload template (``csv`` or ``xlsx``): the header row and one example row in the long format."""
    if fmt not in ("csv", "xlsx"):
        raise NotFound(msg("template.unknown", fmt=repr(fmt)))
    text = TEMPLATE_HEADER + template_row()
    if fmt == "csv":
        return Response(text, media_type="text/csv",
                        headers={"Content-Disposition": "attachment; filename=talentgap-template.csv"})
    import io

    import pandas as pd

    buf = io.BytesIO()
    pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False).to_excel(buf, index=False)
    return Response(buf.getvalue(), media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": "attachment; filename=talentgap-template.xlsx"})


@router.post("/activate")
def data_activate(session: Session, store: StoreDep, version: Annotated[int, Form(ge=1)]) -> Response:
    check(session["role"], "write")
    service.data.activate(store=store, version=version)
    return RedirectResponse("/ui/data", status_code=303)
