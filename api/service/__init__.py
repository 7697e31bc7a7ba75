"""The application layer every interface calls (CLI, HTTP, web UI, reports, jobs).

One module per domain: :mod:`.forecasts` (sector forecasts, ex-post checks, the backtest),
:mod:`.scenarios`, :mod:`.sectors` (sectors as data), :mod:`.series` (user-supplied series), :mod:`.skills` (skills, profile gaps,
programmes), :mod:`.data` (the database, imports, sector summaries), :mod:`.reports` (reports and
schedules), :mod:`.keys` (API keys), :mod:`.sessions` (web UI sessions); :mod:`.common` holds the rules
they share. The interfaces reach the store and the models only through these modules. Keyword-only
functions that fetch data from the store, call the models, keep and serve stored results. No parsing of
requests and no formatting here. Forecasts and backtests are typed results (:class:`SectorForecast`,
:class:`Backtest`), which the interfaces read by attribute.
"""

from . import data, forecasts, keys, reconcile, reports, scenarios, sectors, series, sessions, skills
from .common import (
    SECTORS,
    NoSkillMatch,
    ReportError,
    ScenarioError,
    ScenarioNameError,
    ServiceError,
    Settings,
    Store,
    check_sector,
    settings,
    spec_for,
)
from .data import import_upload, sector_detail, sector_summaries
from .forecasts import (
    Backtest,
    Quantiles,
    SectorForecast,
    as_of_year,
    backtest_pending,
    compute_backtest,
    ex_post_checks,
    failure_reason,
    forecast_or_reason,
    get_backtest,
    get_forecast,
)
from .reconcile import Reconciliation, get_reconciliation
from .reports import REPORT_FORMATS, check_report_options, new_report_id, start_report
from .scenarios import (
    SCENARIO_NAME,
    SCENARIO_NAME_MAX,
    check_scenario_name,
    create_scenario,
    resolve_scenario,
    validate_levers,
)
from .series import MAX_API_SERIES, MAX_SERIES, series_forecast, series_forecast_files
from .skills import assess_programme, get_destinations, get_gap, get_skill_gaps, list_skills

__all__ = [
    "data", "forecasts", "keys", "reconcile", "reports", "scenarios", "sectors", "series", "sessions",
    "skills",
    "MAX_API_SERIES", "MAX_SERIES", "Backtest", "Quantiles", "SectorForecast", "REPORT_FORMATS", "SCENARIO_NAME",
    "SCENARIO_NAME_MAX", "SECTORS", "Reconciliation",
    "NoSkillMatch", "ReportError", "ScenarioError", "ScenarioNameError", "ServiceError", "Settings", "Store",
    "as_of_year", "assess_programme",
    "backtest_pending", "check_report_options", "check_scenario_name", "check_sector", "compute_backtest",
    "create_scenario", "ex_post_checks", "failure_reason", "forecast_or_reason", "get_backtest",
    "get_reconciliation",
    "get_destinations", "get_forecast", "get_gap", "get_skill_gaps", "import_upload", "list_skills",
    "new_report_id", "resolve_scenario", "sector_detail", "sector_summaries", "series_forecast",
    "series_forecast_files", "settings", "spec_for", "start_report", "validate_levers",
]
