"""Reports and schedules: option checks, report ids, queued report jobs, the archive, schedules."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

import pandas as pd

from talentgap.data.reports import add_report, add_schedule, get_report, list_reports, list_schedules, remove_schedule
from talentgap.data.store import Store
from talentgap.i18n import LANGUAGES, msg
from talentgap.seeds.vocab import SECTORS

from ..report_queue import check_queue
from .common import ReportError, check_sector, spec_for

REPORT_FORMATS = ("html", "pdf")


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
    if not scenario.strip():
        raise ReportError(msg("report.blank_scenario"))
    if lang not in LANGUAGES:
        raise ReportError(msg("report.bad_lang", lang=repr(lang)))
    if store is not None and horizon is not None:
        from talentgap.models.sector import ForecastInputError, base_year_of, check_horizon, horizon_limit

        for sector in sectors or list(SECTORS):
            # the base year is the trend series' last year: the stored series summaries hold it, so the
            # check reads one row per series instead of the sector's observations
            last_years = pd.DataFrame([{"series_id": s.series_id, "year": s.last_year}
                                       for s in store.sector_detail(sector).series], columns=["series_id", "year"])
            base = base_year_of(spec_for(sector, store), last_years)
            try:
                check_horizon(base, horizon)
            except ForecastInputError:
                raise ReportError(msg("report.horizon_limit", limit=horizon_limit(base), sector=sector, base=base,
                                      horizon=horizon)) from None


def start_report(*, store: Store, submit: Callable[[str, dict], None], formats: Sequence[str],
                 sectors: list[str] | None = None, scenario: str = "trend", horizon: int | None = None,
                 lang: str = "ko", requested_by: str = "") -> dict:
    """Archive a report as ``queued`` and hand it to ``submit(report_id, params)``; returns the entry.
    ``lang`` is the edition: ``ko`` (default) or ``en``. A key (``requested_by``) with a full queue
    is refused (:func:`~talentgap.api.report_queue.check_queue`)."""
    formats = list(dict.fromkeys(formats))
    check_report_options(formats=formats, sectors=sectors, scenario=scenario, horizon=horizon, lang=lang, store=store)
    params = {"formats": formats, "sectors": sectors, "scenario": scenario, "horizon": horizon, "lang": lang}
    check_queue(store, requested_by)
    report_id = new_report_id()
    add_report(store, report_id=report_id, params=params, requested_by=requested_by)
    submit(report_id, params)
    return get_report(store, report_id)


def get(*, store: Store, report_id: str) -> dict:
    """One archived report: status, parameters, versions, error, folder (404 / exit 2 when unknown)."""
    return get_report(store, report_id)


def archive(*, store: Store, limit: int = 200, offset: int = 0) -> list[dict]:
    """The report archive, newest first, ``limit`` reports from ``offset``."""
    return list_reports(store, limit=limit, offset=offset)


def schedule(*, store: Store, name: str, cron: str, params: dict) -> dict:
    """Add a schedule that writes the report of ``params`` at each tick of ``cron``; returns it with its
    next run."""
    return add_schedule(store, name=name, cron=cron, params=params)


def schedules(*, store: Store) -> list[dict]:
    """Every schedule with its next and last runs."""
    return list_schedules(store)


def unschedule(*, store: Store, name: str) -> None:
    """Remove the schedule ``name`` (404 / exit 2 when there is none)."""
    remove_schedule(store, name)
