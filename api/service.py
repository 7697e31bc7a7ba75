"""The application layer every interface calls (CLI, HTTP, web UI, reports, jobs).

Keyword-only functions that fetch data from the store, call the models, keep and serve stored results,
and hold the rules the interfaces share: sector and scenario-name checks, lever validation, imports,
sector summaries, report options and report jobs. No parsing of requests and no formatting here.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from talentgap.data.files import read_upload
from talentgap.data.reports import add_report, get_report
from talentgap.data.results import DuplicateScenario, get_result, get_scenario, list_results, put_result, save_scenario
from talentgap.data.settings import get_settings
from talentgap.data.store import ImportResult, Store
from talentgap.i18n import msg, note
from talentgap.models.backtest import run_backtest
from talentgap.models.finite import require_finite
from talentgap.models.panel import Panel, SeriesInputError, resolve_h
from talentgap.models.sector import (
    BUILT_IN_SCENARIOS,
    MODEL_VERSION,
    UnknownSector,
    current_year,
    sector_forecast,
    sector_simulation,
)
from talentgap.models.stockflow import ForecastInputError, validate_levers
from talentgap.models.timeseries import forecast_panel
from talentgap.seeds.names import normalise_name, shown
from talentgap.seeds.specs import sector_specs
from talentgap.seeds.vocab import EDUCATION, SECTORS

from .compute import computing
from .report_queue import check_queue

#: Most series ``series_forecast`` accepts in one call, and in one HTTP request.
MAX_SERIES = 100_000
MAX_API_SERIES = 2_000
#: A saved scenario's name: letters (Latin or Hangul), digits, space, ``_ . -``; no leading symbol.
SCENARIO_NAME = re.compile(r"[A-Za-z0-9가-힣][A-Za-z0-9가-힣 _.\-]*")
SCENARIO_NAME_MAX = 120
REPORT_FORMATS = ("html", "pdf")


class ScenarioNameError(ValueError):
    """A scenario name that breaks the name rule (422)."""

    code = "scenario.bad_name"


class ReportError(ValueError):
    """Report options that cannot be used (422 / exit 2)."""

    code = "report.bad_input"


def check_sector(sector: str) -> str:
    if sector not in SECTORS:
        raise UnknownSector(msg("sector.unknown", sector=repr(sector), sectors=", ".join(SECTORS)))
    return sector


def check_scenario_name(name: str) -> str:
    """The one scenario-name rule of every interface: the name is normalised (NFKC, trimmed, inner
    space runs made one: :func:`~talentgap.seeds.names.normalise_name`) and returned; a built-in name
    is taken (409), anything else must match :data:`SCENARIO_NAME` (no invisible or look-alike
    characters) and be at most :data:`SCENARIO_NAME_MAX` characters (422)."""
    raw, name = name, normalise_name(name)
    if name in BUILT_IN_SCENARIOS:
        raise DuplicateScenario(msg("scenario.built_in_name", name=repr(name)))
    if len(name) > SCENARIO_NAME_MAX or not SCENARIO_NAME.fullmatch(name):
        from .errors import short

        raise ScenarioNameError(msg("scenario.bad_name", max=SCENARIO_NAME_MAX, name=repr(shown(short(raw)))))
    return name


def create_scenario(*, store: Store, name: str, sector: str, base: str = "trend",
                    levers: dict[str, float] | None = None, description: str = "") -> dict:
    """Save a named scenario (a built-in base plus lever overrides) after every check."""
    check_sector(sector)
    name = check_scenario_name(name)
    if base not in BUILT_IN_SCENARIOS:
        raise ForecastInputError(msg("scenario.bad_base", choices=" or ".join(BUILT_IN_SCENARIOS), base=repr(base)))
    if len(description) > 2000:
        raise ForecastInputError(msg("scenario.description_too_long", length=len(description)))
    return save_scenario(store, name=name, sector=sector, base=base, levers=validate_levers(levers or {}),
                         description=description)


def import_upload(*, store: Store, content: bytes, filename: str, allow_implausible: bool = False) -> ImportResult:
    """Parse an uploaded CSV/XLSX and import it as a new active version (all or nothing); values
    implausible against the data they extend are refused unless ``allow_implausible``."""
    settings = get_settings()
    frame = read_upload(content, filename, max_bytes=settings.max_upload_bytes, max_rows=settings.max_upload_rows)
    return store.import_frame(frame, origin=f"upload {filename[:200]}", allow_implausible=allow_implausible)


def sector_summaries(*, store: Store, version: int | None = None) -> list[dict]:
    """Every sector with its labels and how many series and observations a dataset version (default: the
    active one) holds, from the store's stored summaries."""
    counts = {c.sector: c for c in store.sector_summaries(version).sectors}
    return [{"sector": s, "label_en": t.label_en, "label_ko": t.label_ko,
             "series": counts[s].series if s in counts else 0,
             "observations": counts[s].observations if s in counts else 0}
            for s, t in SECTORS.items()]


def sector_detail(*, store: Store, sector: str, version: int | None = None) -> dict:
    """One sector's series (with their years and point counts) and definitions in a dataset version
    (default: the active one), labelled with the version they were read from (one snapshot)."""
    check_sector(sector)
    detail = store.sector_detail(sector, version)
    t = SECTORS[sector]
    return {"sector": sector, "label_en": t.label_en, "label_ko": t.label_ko, "dataset_version": detail.version,
            "series": [s._asdict() for s in detail.series], "definitions": [d._asdict() for d in detail.definitions]}


# -- reports ------------------------------------------------------------------------------------------
def new_report_id(now: datetime | None = None) -> str:
    """A sortable, unguessable report id: ``YYYYmmdd-HHMMSS-<6 hex>``."""
    now = now or datetime.now(UTC)
    return f"{now:%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"


def check_report_options(*, formats: list[str], sectors: list[str] | None, scenario: str,
                         horizon: int | None, lang: str = "ko", store: Store | None = None) -> None:
    """Reject bad report options before any work (exit 2 / HTTP 422); with ``store``, a horizon past
    any covered sector's limit (base year + 30, never after 2060) too, naming that limit."""
    bad = [f for f in formats if f not in REPORT_FORMATS]
    if bad or not formats:
        raise ReportError(msg("report.bad_format", formats=",".join(formats) or "(none)"))
    for s in sectors or []:
        check_sector(s)
    if horizon is not None and not 2025 <= horizon <= 2100:
        raise ReportError(msg("report.bad_horizon", horizon=horizon))
    if not scenario.strip():
        raise ReportError(msg("report.blank_scenario"))
    if lang not in ("ko", "en"):
        raise ReportError(msg("report.bad_lang", lang=repr(lang)))
    if store is not None and horizon is not None:
        from talentgap.models.sector import base_year_of, horizon_limit

        for sector in sectors or list(SECTORS):
            # the base year is the trend series' last year: the stored series summaries hold it, so the
            # check reads one row per series instead of the sector's observations
            last_years = pd.DataFrame([{"series_id": s.series_id, "year": s.last_year}
                                       for s in store.sector_detail(sector).series], columns=["series_id", "year"])
            base = base_year_of(spec_for(sector), last_years)
            if horizon > horizon_limit(base):
                raise ReportError(msg("report.horizon_limit", limit=horizon_limit(base), sector=sector, base=base,
                                      horizon=horizon))


def start_report(*, store: Store, submit: Callable[[str, dict], None], formats: list[str],
                 sectors: list[str] | None = None, scenario: str = "trend", horizon: int | None = None,
                 lang: str = "ko", requested_by: str = "") -> dict:
    """Archive a report as ``queued`` and hand it to ``submit(report_id, params)``; returns the entry.
    ``lang`` is the edition: ``ko`` (default) or ``en``. A key (``requested_by``) with a full queue
    is refused (:func:`~talentgap.api.report_queue.check_queue`)."""
    params = {"formats": list(dict.fromkeys(formats)), "sectors": sectors, "scenario": scenario, "horizon": horizon,
              "lang": lang}
    check_report_options(**params, store=store)
    check_queue(store, requested_by)
    report_id = new_report_id()
    add_report(store, report_id=report_id, params=params, requested_by=requested_by)
    submit(report_id, params)
    return get_report(store, report_id)


def spec_for(sector: str):
    """The sector's model specification; a sector without one cannot be forecast (a data gap)."""
    from talentgap.models.sector import MissingSeries

    check_sector(sector)
    spec = sector_specs().get(sector)
    if spec is None:
        raise MissingSeries(msg("sector.no_spec", sector=repr(sector), name=sector))
    return spec


def resolve_scenario(*, store: Store, sector: str, scenario: str, levers: dict[str, float]) -> tuple[str, dict]:
    """A built-in scenario name, or a saved scenario's base and levers (``levers`` applied on top)."""
    if scenario in BUILT_IN_SCENARIOS:
        return scenario, validate_levers(levers)
    saved = get_scenario(store, normalise_name(scenario))
    if saved["sector"] != sector:
        raise ForecastInputError(msg("scenario.other_sector", scenario=repr(scenario), saved=saved["sector"],
                                       sector=sector))
    return saved["base"], validate_levers({**saved["levers"], **levers})


def get_forecast(*, store: Store, sector: str, horizon: int | None = None, scenario: str = "trend",
                 levers: dict[str, float] | None = None, by: str | None = None, as_of: int | None = None) -> dict:
    """The sector's forecast for the active dataset (``as_of``: the current year, default the clock's),
    served from the store when computed before."""
    check_sector(sector)
    base, merged = resolve_scenario(store=store, sector=sector, scenario=scenario, levers=levers or {})
    version = store.active_version()
    as_of = current_year() if as_of is None else as_of
    params = {"sector": sector, "horizon": horizon, "scenario": scenario, "base": base, "levers": merged, "by": by,
              "as_of": as_of}
    cached = get_result(store, kind="forecast", params=params, dataset_version=version, model_version=MODEL_VERSION)
    if cached is not None:
        return cached
    with computing():
        result = sector_forecast(spec=spec_for(sector), observations=store.observations(version, sector=sector),
                                 scenario=base, horizon=horizon, levers=merged, by=by, dataset_version=version,
                                 as_of=as_of)
    result["scenario"] = scenario
    result["base_scenario"] = base
    result["sources"] = [store.source(s) for s in result.pop("source_ids") if store.source(s)]
    result["ex_post"] = ex_post_checks(store=store, params=params, dataset_version=version, result=result)
    require_finite(result, what=f"{sector} forecast", dataset_version=version)
    put_result(store, kind="forecast", params=params, dataset_version=version, model_version=MODEL_VERSION,
               payload=result, keep=not levers)
    return result


def ex_post_checks(*, store: Store, params: dict, dataset_version: int, result: dict) -> list[dict]:
    """How far earlier vintages of this forecast were off, where the data now hold the actual figure."""
    observed = {o["year"]: o["value"] for o in result["observed"]}
    out = []
    for old in list_results(store, kind="forecast"):
        if old["params"] != params or old["dataset_version"] == dataset_version:
            continue
        payload = get_result(store, kind="forecast", params=params, dataset_version=old["dataset_version"],
                             model_version=old["model_version"])
        for row in payload["rows"]:
            if "education" not in row and "occupation" not in row and row["year"] in observed:
                actual = observed[row["year"]]
                out.append({"dataset_version": old["dataset_version"], "year": row["year"],
                            "forecast_p50": row["demand"]["p50"], "actual": actual,
                            "error_pct": 100 * (row["demand"]["p50"] - actual) / actual,
                            "inside_p10_p90": row["demand"]["p10"] <= actual <= row["demand"]["p90"]})
    return out


def get_backtest(*, store: Store) -> dict:
    """Rolling-origin backtests of every built-in series of the active dataset (stored once)."""
    version = store.active_version()
    params = {"what": "backtest"}
    cached = get_result(store, kind="backtest", params=params, dataset_version=version, model_version=MODEL_VERSION)
    if cached is not None:
        return cached
    bt = run_backtest(store.observations(version))
    payload = {"dataset_version": version, "model_version": MODEL_VERSION, "default_model": bt["default_model"],
               "table": _records(bt["table"]), "series": _records(bt["series"])}
    put_result(store, kind="backtest", params=params, dataset_version=version, model_version=MODEL_VERSION,
               payload=payload)
    return payload


def _records(frame: pd.DataFrame) -> list[dict]:
    return [{k: (None if isinstance(v, float) and not np.isfinite(v) else v) for k, v in r.items()}
            for r in frame.to_dict("records")]


def series_forecast(frame: pd.DataFrame, *, h: int | None = None, horizon: int | None = None, level: float = 80,
                    items: bool = False) -> pd.DataFrame:
    """Forecast every series of ``frame`` (``series_id, year, value``), each ``h`` years past its own
    last year or up to the calendar year ``horizon`` (give one). The frame is checked once
    (:meth:`~talentgap.models.panel.Panel.from_frame`; ``items`` numbers problems as request items);
    the ensemble is vectorised over all series and pools its interval calibration over them."""
    panel = Panel.from_frame(frame, items=items)
    if len(panel) > MAX_SERIES:
        raise SeriesInputError(msg("series.too_many", max=MAX_SERIES, count=len(panel)))
    steps, until = resolve_h(panel, h=h, horizon=horizon)
    return forecast_panel(panel, steps, level).frame(until=until)


def series_forecast_files(*, input_path: str | Path, output_path: str | Path, h: int | None = None,
                          horizon: int | None = None, level: float = 80, engine: str = "local",
                          scheduler: str | None = None, progress: Callable[[int, int], None] | None = None) -> dict:
    """Forecast the series in a CSV or Parquet file (or a folder of them) into ``output_path`` (``-``:
    CSV on standard output), on this process or a dask cluster (``engine="dask"``, same numbers); see
    :func:`talentgap.models.distributed.forecast_files`."""
    from talentgap.models.distributed import forecast_files

    return forecast_files(input_path, output_path, h=h, horizon=horizon, level=level, engine=engine,
                          scheduler=scheduler, progress=progress)


# -- skills -------------------------------------------------------------------------------------------
def _space():
    from talentgap.models.skills import SkillSpace
    from talentgap.seeds.taxonomy import taxonomy

    return SkillSpace.build(taxonomy())


def list_skills(*, sector: str | None = None) -> list[dict]:
    """The skill taxonomy (optionally one sector's skills plus the shared ones)."""
    from talentgap.seeds.taxonomy import taxonomy

    tax = taxonomy()
    if sector is not None:
        check_sector(sector)
    ids = set(tax.skill_ids(sector))
    return [{"id": r.id, "label_en": r.label_en, "label_ko": r.label_ko, "sectors": list(r.sectors),
             "source_id": r.source_id} for r in tax.skills.itertuples() if r.id in ids]


def _sector_sims(store: Store, sectors: list[str], horizon: int | None) -> dict[str, dict]:
    """Monte-Carlo draws of each sector's trend scenario, cropped to the years all of them cover."""
    version = store.active_version()
    sims = {}
    for sector in sectors:
        observations = store.observations(version, sector=sector)
        with computing():
            sims[sector] = sector_simulation(spec=spec_for(sector), observations=observations, scenario="trend",
                                             horizon=horizon).draws
    first = max(int(s["years"][0]) for s in sims.values())
    cropped = {}
    for sector, sim in sims.items():
        keep = sim["years"] >= first
        cropped[sector] = {k: (v[keep] if k == "years" else v[:, keep]) for k, v in sim.items()
                           if isinstance(v, np.ndarray) and (k == "years" or v.ndim == 2)}
    return cropped


def get_gap(*, store: Store, skills: dict[str, float], sector: str | None = None,
            horizon: int | None = None) -> dict:
    """Projected demand (openings), supply and gap for a skill profile, with the matched occupations."""
    from talentgap.models.skills import profile_gap

    space = _space()
    v = space.vector(skills)
    if sector is not None:
        check_sector(sector)
    occ, _ = space.match(v, sectors=[sector] if sector else None)
    version = store.active_version()
    params = {"skills": skills, "sector": sector, "horizon": horizon}
    cached = get_result(store, kind="gap", params=params, dataset_version=version, model_version=MODEL_VERSION)
    if cached is not None:
        return cached
    sectors = sorted(occ["sector"].unique()) or ([sector] if sector else [])
    sims = _sector_sims(store, sectors, horizon) if sectors else {}
    if not sims:
        from talentgap.models.skills import SkillInputError

        raise SkillInputError(msg("skills.no_match"))
    result = profile_gap(space, skills, sims, sectors=[sector] if sector else None)
    require_finite(result, what="skill gap", dataset_version=version)
    method = note("gap.method")
    result.update(sector=sector, horizon=horizon, dataset_version=version, model_version=MODEL_VERSION,
                  scenario="trend", method=method, method_id=method.as_dict())
    put_result(store, kind="gap", params=params, dataset_version=version, model_version=MODEL_VERSION, payload=result,
               keep=False)
    return result


def get_skill_gaps(*, store: Store, sector: str, horizon: int | None = None) -> list[dict]:
    """Openings, supply and gap by skill for one sector."""
    from talentgap.models.skills import gap_by_skill

    check_sector(sector)
    return gap_by_skill(_space(), sector, _sector_sims(store, [sector], horizon)[sector])


def get_destinations(*, store: Store) -> dict:
    """The battery alumni destination model (stored per dataset version)."""
    from talentgap.models.destinations import fit_destinations

    version = store.active_version()
    cached = get_result(store, kind="destinations", params={}, dataset_version=version, model_version=MODEL_VERSION)
    if cached is None:
        cached = fit_destinations(store.observations(version, sector="battery"))
        put_result(store, kind="destinations", params={}, dataset_version=version, model_version=MODEL_VERSION,
                   payload=cached)
    return cached


def assess_programme(*, store: Store, programme: object, horizon: int | None = None) -> dict:
    """A programme's demand outlook, mismatch index and skills to add."""
    from talentgap.models.skills import assess_programme as assess
    from talentgap.models.skills import validate_programme

    space = _space()
    prog = validate_programme(programme, space)
    spec = spec_for(prog["sector"])
    assumed = spec.assumptions["entry_rate"]
    entry, source = assumed.value, f"assumption entry_rate of the {prog['sector']} sector ({assumed.rationale})"
    source_ko = f"{SECTORS[prog['sector']].label_ko} 부문의 진입률 가정 ({assumed.rationale_ko or assumed.rationale})"
    if prog["sector"] == "battery" and prog["degree"] in ("master", "phd", "master_phd"):
        try:
            dest = get_destinations(store=store)
        except ValueError:
            dest = None
        if dest:
            degree = "phd" if prog["degree"] == "phd" else "master"
            entry = dest["entry_rate"][degree]
            source = (f"destination model on battery labs' alumni ({dest['alumni']} alumni, cross-validated "
                      f"accuracy {dest['cv_accuracy']:.2f} vs baseline {dest['baseline_accuracy']:.2f}); "
                      f"P(industry | {degree})")
            source_ko = (f"배터리 연구실 졸업생 진로 모형 (졸업생 {dest['alumni']}명, 교차검증 정확도 "
                         f"{dest['cv_accuracy']:.2f}, 기준 정확도 {dest['baseline_accuracy']:.2f}): "
                         f"P(산업 | {EDUCATION[degree].label_ko})")
    sim = _sector_sims(store, [prog["sector"]], horizon)[prog["sector"]]
    result = assess(space, prog, sim, entry_rate=entry, entry_rate_source=source, entry_rate_source_ko=source_ko)
    result.update(dataset_version=store.active_version(), model_version=MODEL_VERSION,
                  mismatch_method="1 − cosine similarity between the programme's skill mix and the sector's demand mix")
    return result
