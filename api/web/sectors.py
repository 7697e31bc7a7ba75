"""The dashboard, sector pages, source pages and forecast downloads."""

from __future__ import annotations

import io
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from talentgap.i18n import localize
from talentgap.seeds.vocab import SECTORS

from .. import service
from ..http.deps import StoreDep
from ..render.backcast import backcast_rows, backcast_summary
from ..render.charts import demand_chart_svg, flows_chart_svg, gap_chart_svg
from ..render.formatting import forecast_csv
from ..render.headline import headline, window_start
from ..render.messages import key_messages, ranking
from ..render.names import Names, publisher
from ..service.backcasts import sector_backcasts
from .common import Session, render

router = APIRouter()


@router.get("/", response_class=HTMLResponse)
def home(request: Request, session: Session, store: StoreDep) -> HTMLResponse:
    """The key messages and the sectors ranked by gap, then one card per sector: the headline sentence,
    a small gap fan on the sector's own scale and the publishers of its sources; cumulative totals from
    one common start year."""
    lang = session["lang"]
    rows: list[dict[str, Any]] = []
    forecasts, failed = {}, []
    start = None
    for sector in SECTORS:
        f, reason = service.forecast_or_reason(store=store, sector=sector)
        if f is None:
            rows.append({"sector": sector, "error": localize(reason, lang)})
            failed.append(sector)
            continue
        forecasts[sector] = f
        start = window_start(f) if start is None else start
        h = headline(f, start=start)
        rows.append({"sector": sector, "forecast": f, "headline": h.sentence(lang),
                     "publishers": card_publishers(f, lang),
                     "chart": gap_chart_svg(f, lang=lang, small=True, desc=h.sentence(lang),
                                            chart_id=f"card-gap-{sector}")})
    ranks = ranking(forecasts)
    breakdowns: dict[str, dict] = {"education": {}, "occupation": {}}
    if ranks:  # the levels and occupations most short, for the sector with the largest gap only
        for by, found in breakdowns.items():
            f, _ = service.forecast_or_reason(store=store, sector=ranks[0].sector, by=by)
            if f is not None:
                found[ranks[0].sector] = f
    messages = key_messages(forecasts, lang, failed=failed, by_education=breakdowns["education"],
                            by_occupation=breakdowns["occupation"])
    return render(request, "home.html", session, rows=rows, dataset_version=service.data.active_version(store=store),
                  start=start, messages=messages, ranks=ranks)


def card_publishers(forecast: service.SectorForecast, lang: str) -> list[str]:
    """The publishers of the sector's observed demand data (of every source where there is none), each
    once and at most four (the card links to all of them), in ``lang``."""
    observed = {o.source_id for o in forecast.observed}
    sources = [s for s in forecast.sources if s.source_id in observed] or list(forecast.sources)
    return list(dict.fromkeys(publisher(s, lang)[0] for s in sources))[:4]


@router.get("/sectors/{sector}", response_class=HTMLResponse)
def sector_page(request: Request, sector: str, session: Session, store: StoreDep,
                scenario: str = "trend") -> HTMLResponse:
    sector = service.check_sector(sector)
    f = service.get_forecast(store=store, sector=sector, scenario=scenario)
    lang = session["lang"]
    # a breakdown the sector's data do not allow is said in its place ("no breakdown data for this sector")
    edu, edu_reason = service.forecast_or_reason(store=store, sector=sector, scenario=scenario, by="education")
    levels = list(dict.fromkeys(r.education for r in edu.rows if r.education is not None)) if edu else []
    occ, occ_reason = service.forecast_or_reason(store=store, sector=sector, scenario=scenario, by="occupation")
    occupations = (occ and occ.breakdown and occ.breakdown.occupations) or []
    reasons = {"edu": localize(edu_reason, lang) if edu_reason else "",
               "occ": localize(occ_reason, lang) if occ_reason else ""}
    backtests = service.get_backtest(store=store)  # stored by the activation's job, never computed here
    bt = [r for r in backtests.series if r.series_id.startswith(sector + ".")]
    saved = [s for s in service.scenarios.list_saved(store=store) if s["sector"] == sector]
    names = Names.from_store(store)
    backcasts = backcast_rows(sector_backcasts(store=store, sector=sector), lang, names)
    h = headline(f)
    sentence = h.sentence(lang)
    charts = [gap_chart_svg(f, lang=lang, desc=sentence, chart_id="gap"),
              demand_chart_svg(f, lang=lang, names=names, desc=sentence, chart_id="demand"),
              flows_chart_svg(f, lang=lang, desc=sentence, chart_id="flows")]
    return render(request, "sector.html", session, sector=sector, f=f, edu=edu, levels=levels, occ=occ,
                  occupations=occupations, backtest=bt, backtests=backtests, saved=saved, charts=charts, scenario=scenario,
                  breakdown_reasons=reasons, backcasts=backcasts, backcast_summary=backcast_summary(backcasts, lang),
                  headline=sentence, start=h.start, names=names)


@router.get("/sources/{source_id}", response_class=HTMLResponse)
def source_page(request: Request, source_id: str, session: Session, store: StoreDep) -> HTMLResponse:
    src = service.data.get_source(store=store, source_id=source_id)
    return render(request, "source.html", session, src=src)


@router.get("/download/{sector}")
def download(sector: str, session: Session, store: StoreDep, format: Literal["csv", "xlsx"] = "csv",
             scenario: str = "trend") -> Response:
    f = service.get_forecast(store=store, sector=sector, scenario=scenario)
    text = forecast_csv(f)
    if format == "xlsx":
        import pandas as pd

        frame = pd.read_csv(io.StringIO(text), dtype={"sector": str, "scenario": str, "definition": str})
        return Response(service.data.spreadsheet(frame, sheet="forecast"),
                        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        headers={"Content-Disposition": f"attachment; filename=talentgap-{sector}.xlsx"})
    return Response(text, media_type="text/csv",
                    headers={"Content-Disposition": f"attachment; filename=talentgap-{sector}.csv"})
