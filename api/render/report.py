"""The standard report (PRODUCT.md §5.3): HTML with inline SVG charts, a PDF of the same page
(WeasyPrint), and ``data.csv`` with every number the report shows.

Files are written into ``DIR/.<id>.part/`` and renamed to ``DIR/<id>/`` only when all of them are
complete, so a failed run leaves nothing half-written.
"""

from __future__ import annotations

import csv
import json
import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from babel.dates import format_date, format_skeleton
from jinja2 import Environment, FileSystemLoader, select_autoescape

from talentgap import __version__
from talentgap.data.export import safe_cell, unquote_cell
from talentgap.data.reports import WORKER, Heartbeat, add_report, failure, list_reports, update_report
from talentgap.data.settings import get_settings
from talentgap.data.store import Store
from talentgap.i18n import localize, translator
from talentgap.models.sector import MODEL_VERSION
from talentgap.seeds.vocab import EDUCATION, SECTORS

from .. import service
from ..errors import classify
from ..service import check_report_options, new_report_id
from ..service.backcasts import sector_backcasts
from .backcast import backcast_rows, backcast_summary
from .charts import demand_chart_svg, flows_chart_svg, gap_chart_svg
from .fonts import embedded_font_css, korean_font
from .formatting import UNIT_TEXT, is_web_url
from .headline import headline, window_start
from .jinja import install_formatting
from .messages import key_messages, ranking
from .names import Names
from .reconcile import reconcile_rows

TEMPLATES = Path(__file__).resolve().parent / "templates"
QUANTITIES = ("demand", "openings", "supply", "gap", "cumulative_gap", "gap_rate", "shortage", "shortage_rate")
UNITS = {"demand": "persons", "openings": "persons_year", "supply": "persons_year", "gap": "persons_year",
         "cumulative_gap": "persons", "gap_rate": "%", "shortage": "persons", "shortage_rate": "%"}


def build(*, store: Store, sectors: list[str] | None = None, scenario: str = "trend", horizon: int | None = None,
          progress: Callable[[str], None] | None = None, lang: str = "ko") -> dict:
    """Everything the report shows, as plain data (forecasts, skill gaps, backtests, changes), with
    charts and headline sentences in ``lang`` (``ko`` or ``en``)."""
    names = Names.from_store(store)
    start = None
    say = progress or (lambda _: None)
    sectors = sectors or list(SECTORS)
    backtest = service.get_backtest(store=store)
    definitions = store.definitions()
    parts, failed = [], []
    for sector in sectors:
        try:
            part = _sector_part(store=store, sector=sector, scenario=scenario, horizon=horizon, start=start, say=say,
                                lang=lang, names=names, definitions=definitions, backtest=backtest)
        except Exception as exc:  # noqa: BLE001 - one sector that cannot be computed fails alone
            failed.append({"sector": sector, "reason": localize(service.failure_reason(exc, sector), lang)})
            say(f"{sector}: not computed")
            continue
        start = part["window_start"] if start is None else start
        parts.append(part)
    version = store.active_version()
    created = next((v.created_at for v in store.versions() if v.id == version), None)
    return {"created_at": datetime.now(UTC), "dataset_version": version, "dataset_created": created,
            "issuer": get_settings().issuer, "model_version": MODEL_VERSION, "version": __version__, "scenario": scenario,
            "horizon": horizon, "sectors": parts, "failed": failed, "backtest": backtest, "lang": lang, "names": names,
            "window_start": start, "coverage": coverage_sentence(backtest, lang),
            "backcast_summary": backcast_summary([b for p in parts for b in p["backcast"]], lang),
            "reconcile": reconcile_part(store=store, sectors=sectors, lang=lang, say=say, names=names)}


def reconcile_part(*, store: Store, sectors: list[str], lang: str, say: Callable[[str], None],
                   names: Names) -> dict:
    """The appendix's published projections beside the model, for the report's sectors: ``rows`` in
    ``lang`` (:func:`~.reconcile.reconcile_rows`), or ``reason`` when it cannot be computed."""
    say("published projections")
    try:
        result = service.get_reconciliation(store=store)
    except Exception as exc:  # noqa: BLE001 - the appendix says why; the rest of the report stands
        return {"rows": [], "figures": [], "reason": localize(classify(exc).message, lang)}
    return {"rows": [r for r in reconcile_rows(result, lang, names) if r["sector"] in sectors],
            "figures": [r for r in result.rows if r.sector in sectors], "reason": None}


def _sector_part(*, store: Store, sector: str, scenario: str, horizon: int | None, start: int | None,
                 say: Callable[[str], None], lang: str, names: Names, definitions,
                 backtest: service.Backtest) -> dict:
    """One sector's pages of the report: forecasts, skill gaps, charts and headline."""
    say(f"{sector}: forecast")
    scen = scenario if scenario in ("trend", "policy") or _saved_for(store, scenario, sector) else "trend"
    forecast = service.get_forecast(store=store, sector=sector, horizon=horizon, scenario=scen)
    # a breakdown or skill gap the sector's data do not allow is left out (the sector's forecast stays)
    by_edu = service.forecast_or_reason(store=store, sector=sector, horizon=horizon, scenario=scen,
                                        by="education")[0] or forecast
    by_occ = service.forecast_or_reason(store=store, sector=sector, horizon=horizon, scenario=scen,
                                        by="occupation")[0] or forecast
    say(f"{sector}: skill gaps")
    try:
        skills = service.get_skill_gaps(store=store, sector=sector, horizon=forecast.horizon)
    except (service.ServiceError, LookupError, ValueError):  # no occupations or skills for this sector
        skills = []
    last = max(r["year"] for r in skills) if skills else None
    top = sorted((r for r in skills if r["year"] == last), key=lambda r: -r["gap"]["p50"])[:5]
    d = definitions[(definitions["sector"] == sector) & (definitions["definition"] == forecast.definition)]
    head = headline(forecast, start=window_start(forecast) if start is None else start)
    sentence = head.sentence(lang)
    return {
        "headline": sentence, "window_start": head.start,
        "small_chart": gap_chart_svg(forecast, lang=lang, small=True, desc=sentence, chart_id=f"s-{sector}"),
        "sector": sector, "label_en": SECTORS[sector].label_en, "label_ko": SECTORS[sector].label_ko,
        "forecast": forecast, "by_education": by_edu, "by_occupation": by_occ,
        "education_rows": [r for r in by_edu.rows if r.education is not None],
        "occupation_rows": [r for r in by_occ.rows if r.occupation is not None],
        "occupations": (by_occ.breakdown and by_occ.breakdown.occupations) or [],
        "definition": d.iloc[0].to_dict() if len(d) and d["description"].iloc[0] else None,
        "top_skills": top,
        "backtest": [r for r in backtest.series if r.series_id.startswith(sector + ".")],
        "backcast": backcast_rows(sector_backcasts(store=store, sector=sector), lang, names),
        "charts": [gap_chart_svg(forecast, lang=lang, desc=sentence, chart_id=f"gap-{sector}"),
                   demand_chart_svg(forecast, lang=lang, names=names, desc=sentence, chart_id=f"demand-{sector}"),
                   flows_chart_svg(forecast, lang=lang, desc=sentence, chart_id=f"flows-{sector}")],
    }


def coverage_sentence(backtest: service.Backtest, lang: str) -> str:
    """One plain sentence on how well past 80 % ranges covered what happened, from the backtest
    table's ``auto`` row (and whether the last-value model did better)."""
    rows = {r.model: r for r in backtest.table}
    auto = rows.get("auto")
    if auto is None or auto.coverage is None:
        return ""
    cov = round(auto.coverage)
    naive = rows.get("naive")
    t = translator(lang)
    text = (t("coverage.narrow") if cov < 70 else t("coverage.held")).format(cov=cov)
    if naive and naive.mase is not None and auto.mase is not None and naive.mase < auto.mase:
        text += " " + t("coverage.naive")
    return text


def _saved_for(store: Store, name: str, sector: str) -> bool:
    from talentgap.data.results import UnknownScenario, get_scenario

    try:
        return get_scenario(store, name)["sector"] == sector
    except UnknownScenario:
        return False


def data_rows(report: dict) -> list[dict]:
    """Every number in the report as one long table (written to ``data.csv``), each row with its unit."""
    rows = []
    for part in report["sectors"]:
        f = part["forecast"]
        base = {"sector": part["sector"], "scenario": f.scenario, "definition": f.definition}
        for r in f.rows:
            for q in QUANTITIES:
                if getattr(r, q) is None:  # no survey shortage figure for the sector
                    continue
                rows.append({**base, "section": "forecast", "year": r.year, "education": "", "item": q,
                             "unit": UNIT_TEXT[q], **getattr(r, q).model_dump()})
        for r in part["education_rows"]:
            for q in QUANTITIES:
                if getattr(r, q) is None:
                    continue
                rows.append({**base, "section": "forecast_by_education", "year": r.year,
                             "education": r.education, "item": q, "unit": UNIT_TEXT[q], **getattr(r, q).model_dump()})
        for r in part.get("occupation_rows", []):
            for q in ("demand", "openings", "supply", "gap"):
                rows.append({**base, "section": "forecast_by_occupation", "year": r.year, "education": "",
                             "item": f"{r.occupation}:{q}", "unit": UNIT_TEXT[q], **getattr(r, q).model_dump()})
        for r in part["top_skills"]:  # openings, supply and gap of a year, by skill
            for q in ("demand", "supply", "gap"):
                rows.append({**base, "section": "skill_gap", "year": r["year"], "education": "",
                             "item": f"{r['skill']}:{q}", "unit": "persons per year", **r[q]})
        for a in f.assumptions:
            rows.append({**base, "section": "assumption", "year": "", "education": "", "item": a.name,
                         "unit": a.unit, "p10": a.low, "p50": a.value, "p90": a.high})
        for o in f.observed:  # the demand series the model was fitted to: a stock
            rows.append({**base, "section": "observed", "year": o.year, "education": "", "item": o.series_id,
                         "unit": "persons", "p10": "", "p50": o.value, "p90": ""})
        for b in part["backtest"]:
            for q in ("mase", "smape", "coverage"):
                rows.append({**base, "section": "backtest", "year": "", "education": "", "unit": BACKTEST_UNITS[q],
                             "item": f"{b.series_id}:{b.model}:{q}", "p10": "", "p50": getattr(b, q), "p90": ""})
    for b in report["backtest"].table:
        for q in ("mase", "smape", "coverage"):
            rows.append({"sector": "", "scenario": "", "definition": "", "section": "backtest_all", "year": "",
                         "education": "", "item": f"{b.model}:{q}", "unit": BACKTEST_UNITS[q], "p10": "",
                         "p50": getattr(b, q), "p90": ""})
    for fig in report.get("reconcile", {}).get("figures", []):  # published figures beside the model's
        base = {"sector": fig.sector, "scenario": "", "definition": fig.definition, "section": "reconciliation",
                "year": fig.window, "education": "", "unit": "persons"}
        rows.append({**base, "item": f"{fig.figure}:published", "p10": "", "p50": fig.published, "p90": ""})
        rows.append({**base, "item": f"{fig.figure}:model", **fig.model.model_dump()})
    for x in report.get("failed", []):  # a sector whose results could not be computed, and why
        rows.append({"sector": x["sector"], "scenario": "", "definition": "", "section": "not_computed", "year": "",
                     "education": "", "item": x["reason"], "unit": "", "p10": "", "p50": "", "p90": ""})
    for c in report.get("changes", {}).get("revisions", []):
        rows.append({"sector": c["sector"], "scenario": "", "definition": "", "section": "revision", "year": c["year"],
                     "education": "", "item": c["item"], "unit": UNIT_TEXT.get(c["item"], ""),
                     "p10": c["previous"], "p50": c["current"], "p90": ""})
    return rows


#: MASE is a ratio to the naive forecast's error; sMAPE and the 80 % interval's coverage are percentages.
BACKTEST_UNITS = {"mase": "ratio", "smape": "%", "coverage": "%"}


def compare_with_previous(report: dict, previous_dir: Path | None, previous: dict | None) -> dict:
    """What changed since the previous archived report: versions and the largest p50 revisions."""
    if previous is None or previous_dir is None or not (previous_dir / "data.csv").exists():
        return {"previous": None, "revisions": []}
    old = {}
    with open(previous_dir / "data.csv", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            r = {k: unquote_cell(v) for k, v in r.items()}
            if r["section"] == "forecast" and r["item"] in ("demand", "gap", "cumulative_gap"):
                old[(r["sector"], r["item"], r["year"])] = float(r["p50"])
    revisions = []
    for part in report["sectors"]:
        for r in part["forecast"].rows:
            for item in ("demand", "gap", "cumulative_gap"):
                key = (part["sector"], item, str(r.year))
                if key in old and abs(getattr(r, item).p50 - old[key]) >= 0.5:
                    cur = getattr(r, item).p50
                    revisions.append({"sector": part["sector"], "item": item, "year": r.year,
                                      "previous": old[key], "current": cur, "change": cur - old[key]})
    revisions.sort(key=lambda c: -abs(c["change"]))
    return {"previous": previous, "revisions": revisions[:10]}


def cover(report: dict, lang: str) -> dict:
    """What the first page says besides the numbers: the month and the data version in words, the key
    messages (with what changed since the previous report) and the sectors ranked by gap."""
    t = translator(lang)
    forecasts = {p["sector"]: p["forecast"] for p in report["sectors"]}
    created = report.get("dataset_created")
    version = str(report["dataset_version"])
    data = (t("cover.data_version_of").format(version=version, date=format_date(created, "long", locale=lang))
            if created else t("cover.data_version").format(version=version))
    return {"month": format_skeleton("yMMMM", report["created_at"], locale=lang), "data": data,
            "messages": key_messages(forecasts, lang, failed=[x["sector"] for x in report.get("failed", [])],
                                     by_education={p["sector"]: p["by_education"] for p in report["sectors"]
                                                   if p.get("by_education") is not None},
                                     by_occupation={p["sector"]: p["by_occupation"] for p in report["sectors"]
                                                    if p.get("by_occupation") is not None},
                                     changes=report.get("changes")),
            "ranks": ranking(forecasts)}


def render_html(report: dict) -> str:
    """The report page in the report's language (``report["lang"]``, default Korean)."""
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))
    install_formatting(env)
    env.tests["web_url"] = is_web_url
    lang = report.get("lang", "ko")
    html = env.get_template("report.html").render(r=report, quantities=QUANTITIES, units=UNITS, education=EDUCATION,
                                                  lang=lang, t=translator(lang), cover=cover(report, lang),
                                                  names=report.get("names") or Names(), font_css="")
    # embed the Korean font, subset to the characters the page uses (the file fetches nothing)
    return html.replace("/*FONT*/", embedded_font_css(html), 1)


def render_pdf(html: str, out: Path) -> None:
    """Render the same HTML to PDF with WeasyPrint, embedding the Korean font."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    font = korean_font()
    rule = ""
    if font:
        bold = font.replace("NanumGothic.ttf", "NanumGothicBold.ttf")
        rule = (f"@font-face {{ font-family: 'NanumGothic'; src: url('file://{font}'); }}"
                f"@font-face {{ font-family: 'NanumGothic'; font-weight: bold; src: url('file://{bold}'); }}")
    css = CSS(string=rule, font_config=fonts)
    HTML(string=html, base_url=str(TEMPLATES)).write_pdf(out, stylesheets=[css], font_config=fonts)


def write_report(*, store: Store, out_dir: Path, formats: list[str], sectors: list[str] | None = None,
                 scenario: str = "trend", horizon: int | None = None, report_id: str | None = None,
                 schedule: str = "", progress: Callable[[str], None] | None = None, lang: str = "ko") -> dict:
    """Build and write a report into ``out_dir/<id>/`` and archive it; returns the archive entry.

    The archive records ``running`` first, then ``done`` or ``failed`` with the error. Nothing is left
    in ``out_dir`` unless every file was written.
    """
    check_report_options(formats=formats, sectors=sectors, scenario=scenario, horizon=horizon, lang=lang,
                         store=store)
    report_id = report_id or new_report_id()
    params = {"formats": formats, "sectors": sectors, "scenario": scenario, "horizon": horizon, "lang": lang}
    if not any(r["id"] == report_id for r in list_reports(store, limit=1000)):
        add_report(store, report_id=report_id, params=params, status="running", schedule=schedule)
    else:
        update_report(store, report_id, status="running", worker=WORKER, heartbeat_at=datetime.now(UTC))
        Heartbeat.start(store)
    tmp = out_dir / f".{report_id}.part"
    final = out_dir / report_id
    say = progress or (lambda _: None)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        tmp.mkdir()
        previous = next((r for r in list_reports(store, status="done") if r["directory"]), None)
        report = build(store=store, sectors=sectors, scenario=scenario, horizon=horizon, progress=say, lang=lang)
        report["id"] = report_id
        report["changes"] = compare_with_previous(report, Path(previous["directory"]) if previous else None, previous)
        say("writing data.csv")
        rows = data_rows(report)
        with open(tmp / "data.csv", "w", encoding="utf-8", newline="") as f:
            w = csv.DictWriter(f, fieldnames=["section", "sector", "scenario", "definition", "year", "education",
                                              "item", "unit", "p10", "p50", "p90"])
            w.writeheader()
            # text a spreadsheet would run as a formula is neutralised; numbers stay numbers
            w.writerows({k: safe_cell(v) for k, v in r.items()} for r in rows)
        html = render_html(report)
        if "html" in formats:
            say("writing report.html")
            (tmp / "report.html").write_text(html, encoding="utf-8")
        if "pdf" in formats:
            say("rendering report.pdf")
            render_pdf(html, tmp / "report.pdf")
        (tmp / "report.json").write_text(json.dumps({"id": report_id, "params": params,
                                                     "dataset_version": report["dataset_version"],
                                                     "model_version": report["model_version"]}, indent=2))
        tmp.rename(final)
    except BaseException as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        update_report(store, report_id, status="failed", **failure(exc))
        raise
    update_report(store, report_id, status="done", directory=str(final.resolve()),
                  dataset_version=report["dataset_version"], model_version=report["model_version"])
    from talentgap.data.reports import get_report

    return get_report(store, report_id)
