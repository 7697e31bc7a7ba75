"""Sector forecasts served from stored results, their ex-post checks, and the stored backtest."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from pydantic import ValidationError
from sqlalchemy.exc import SQLAlchemyError

from talentgap.data.results import get_result, list_results, put_result
from talentgap.data.store import Store
from talentgap.i18n import Message, Text, msg
from talentgap.models.backtest import run_backtest
from talentgap.models.finite import require_finite
from talentgap.models.results import Backtest, ExPostCheck, Quantiles, SectorForecast, Source
from talentgap.models.sector import MODEL_VERSION, current_year, sector_forecast
from talentgap.models.stockflow import ForecastInputError
from talentgap.models.timeseries import DEFAULT_MODEL
from talentgap.seeds.vocab import SECTORS

from ..compute import computing
from ..errors import classify
from .common import check_sector, spec_for
from .scenarios import resolve_scenario

__all__ = ["Backtest", "Quantiles", "SectorForecast", "backtest_pending", "compute_backtest", "ex_post_checks",
           "failure_reason", "forecast_or_reason", "get_backtest", "get_forecast"]

log = logging.getLogger("talentgap.service")


def as_of_year(as_of: int | None = None) -> int:
    """The year a forecast treats as now (later rows are projections, earlier ones nowcasts): ``as_of``
    when given, else the clock's year."""
    return current_year() if as_of is None else as_of


def get_forecast(*, store: Store, sector: str, horizon: int | None = None, scenario: str = "trend",
                 levers: dict[str, float] | None = None, by: str | None = None,
                 as_of: int | None = None) -> SectorForecast:
    """The sector's forecast for the active dataset (``as_of``: the current year, default the clock's),
    served from the store when computed before (the stored JSON validated back into the type)."""
    sector = check_sector(sector)
    base, merged = resolve_scenario(store=store, sector=sector, scenario=scenario, levers=levers or {})
    version = store.active_version()
    as_of = as_of_year(as_of)
    params = {"sector": sector, "horizon": horizon, "scenario": scenario, "base": base, "levers": merged, "by": by,
              "as_of": as_of}
    cached = get_result(store, kind="forecast", params=params, dataset_version=version, model_version=MODEL_VERSION)
    if cached is not None:
        return SectorForecast.model_validate(cached)
    with computing():
        spec = spec_for(sector, store, version)
        if by == "education" and not spec.supply_levels():
            raise ForecastInputError(msg("forecast.no_breakdown", sector=sector, by=by))
        result = sector_forecast(spec=spec, observations=store.observations(version, sector=sector),
                                 scenario=base, horizon=horizon, levers=merged, by=by, dataset_version=version,
                                 as_of=as_of)
    if spec.defaults:  # supply rests on assumed flows: the lowest grade, whatever the demand data
        result = result.model_copy(update={"quality_grade": "C"})
    sources = [Source.model_validate(found) for s in result.source_ids if (found := store.source(s))]
    result = result.model_copy(update={
        "scenario": scenario, "base_scenario": base, "sources": sources, "source_ids": (),
        "ex_post": ex_post_checks(store=store, params=params, dataset_version=version, result=result)})
    require_finite(result.model_dump(), what=f"{sector} forecast", dataset_version=version)
    put_result(store, kind="forecast", params=params, dataset_version=version, model_version=MODEL_VERSION,
               payload=result.model_dump(mode="json"), keep=not levers)
    return result


def forecast_or_reason(*, store: Store, sector: str,
                       **kwargs: Any) -> tuple[SectorForecast | None, Message | None]:
    """The sector's forecast (:func:`get_forecast` with ``kwargs``), or ``None`` and the reason it cannot
    be computed (:func:`failure_reason`)."""
    try:
        return get_forecast(store=store, sector=sector, **kwargs), None
    except Exception as exc:  # noqa: BLE001 - the reason is shown in place of this sector's forecast
        return None, failure_reason(exc, sector)


def failure_reason(exc: Exception, sector: str) -> Message:
    """Why a sector's results cannot be computed, as a message of the errors catalogue, so that a page or
    report of several sectors shows the others and this one's reason: one sector whose model fails fails
    alone. A coded error's message is the reason; anything else is logged with an error id that the
    reason gives. The database not answering is everyone's: ``exc`` is raised again."""
    if isinstance(exc, SQLAlchemyError):
        raise exc
    outcome = classify(exc)
    name = Text(SECTORS[sector].label_en, SECTORS[sector].label_ko) if sector in SECTORS else sector
    if outcome.user:
        return msg("sector.not_computed", sector=name, reason=outcome.message)
    error_id = secrets.token_hex(4)
    log.error("the %s forecast failed (error id %s)", sector, error_id, exc_info=exc)
    return msg("sector.not_computed", sector=name, reason=msg("internal.error_id", id=error_id))


def ex_post_checks(*, store: Store, params: dict, dataset_version: int,
                   result: SectorForecast) -> list[ExPostCheck]:
    """How far earlier vintages of this forecast were off, where the data now hold the actual figure.
    The earlier vintages are read as stored JSON: they may come from an earlier model version."""
    observed = {o.year: o.value for o in result.observed}
    out = []
    for old in list_results(store, kind="forecast"):
        if old["params"] != params or old["dataset_version"] == dataset_version:
            continue
        payload = get_result(store, kind="forecast", params=params, dataset_version=old["dataset_version"],
                             model_version=old["model_version"])
        if payload is None:  # evicted since it was listed
            continue
        for row in payload["rows"]:
            if "education" not in row and "occupation" not in row and row["year"] in observed:
                actual = observed[row["year"]]
                out.append(ExPostCheck(dataset_version=old["dataset_version"], year=row["year"],
                                       forecast_p50=row["demand"]["p50"], actual=actual,
                                       error_pct=100 * (row["demand"]["p50"] - actual) / actual,
                                       inside_p10_p90=row["demand"]["p10"] <= actual <= row["demand"]["p90"]))
    return out


#: The stored backtest's parameters (one per dataset and model version).
BACKTEST = {"what": "backtest"}


def get_backtest(*, store: Store) -> Backtest:
    """The stored rolling-origin backtests, never computed here: the active dataset version's
    (``status: current``) once the activation's job has stored them (:func:`compute_backtest`); until
    then the latest earlier version's that reads as a :class:`Backtest` (``previous``, ``dataset_version``
    saying which), or, with none stored, ``computing`` with empty tables. ``active_version`` is the version active now."""
    active = store.active_version()
    stored = get_result(store, kind="backtest", params=BACKTEST, dataset_version=active, model_version=MODEL_VERSION)
    if stored is not None:
        return Backtest.model_validate({**stored, "status": "current", "active_version": active})
    earlier = [r for r in list_results(store, kind="backtest") if r["params"] == BACKTEST]
    for row in sorted(earlier, key=lambda r: (r["model_version"] == MODEL_VERSION, r["id"]), reverse=True):
        payload = get_result(store, kind="backtest", params=BACKTEST, dataset_version=row["dataset_version"],
                             model_version=row["model_version"])
        if payload is None:
            continue
        try:
            return Backtest.model_validate({**payload, "status": "previous", "active_version": active})
        except ValidationError:  # stored by a model version whose backtests had another shape: not served
            continue
    return Backtest(dataset_version=None, model_version=MODEL_VERSION, default_model=DEFAULT_MODEL, table=[],
                    series=[], status="computing", active_version=active)


def backtest_pending(store: Store) -> int | None:
    """The active dataset version when its backtests are not stored yet (its job has not run), else None."""
    active = store.active_version()
    stored = get_result(store, kind="backtest", params=BACKTEST, dataset_version=active, model_version=MODEL_VERSION)
    return active if stored is None else None


def compute_backtest(*, store: Store, version: int | None = None,
                     stop: Callable[[], bool] | None = None) -> Backtest:
    """The activation's job: backtest every built-in series of ``version`` (default: the active one) and
    store the result, which :func:`get_backtest` then serves. ``stop`` is asked between series
    (:class:`~talentgap.models.backtest.BacktestStopped` when it answers true)."""
    version = store.active_version() if version is None else version
    with computing():
        bt = run_backtest(store.observations(version), stop=stop)
    result = Backtest.model_validate({"dataset_version": version, "model_version": MODEL_VERSION,
                                      "default_model": bt["default_model"], "table": _records(bt["table"]),
                                      "series": _records(bt["series"])})
    put_result(store, kind="backtest", params=BACKTEST, dataset_version=version, model_version=MODEL_VERSION,
               payload=result.model_dump(mode="json", exclude={"status", "active_version"}))
    return result


def _records(frame: pd.DataFrame) -> list[dict]:
    return [{k: (None if isinstance(v, float) and not np.isfinite(v) else v) for k, v in r.items()}
            for r in frame.to_dict("records")]
