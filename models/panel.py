"""The time-series layer's input and output: a validated panel of annual series and its forecasts.

Every forecaster follows one protocol (:class:`Forecaster`): it takes a :class:`Panel` (``fit(panel)``) and
returns a :class:`PanelForecast` (``predict(h, levels)``); a single series is a one-series panel
(:meth:`Panel.one`). Series input is
validated here and nowhere else (:meth:`Panel.from_frame`): the command line, the HTTP API, file runs and
direct callers all pass through it. ``h`` is always a count of years after each series' last year
(:func:`check_h`, 1 to :data:`MAX_H`); ``horizon`` is always a calendar year, turned into ``h`` by
:meth:`Panel.h_until`. The output columns are defined once (:data:`OUTPUT_COLUMNS`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, Self, runtime_checkable

import numpy as np
import pandas as pd

from talentgap.errors import TalentgapError
from talentgap.i18n import msg

#: The long forecast frame every interface writes.
OUTPUT_COLUMNS = ("series_id", "year", "forecast", "lower", "upper", "model", "members", "fallback_reason")
#: Most years a forecast reaches past a series' last year.
MAX_H = 100
#: Years a series may hold (a year outside is a typing slip, not history).
YEAR_MIN, YEAR_MAX = 1000, 3000
#: Problems listed in one error; the rest are counted.
MAX_PROBLEMS = 50
_LOG_MAX = float(np.log(np.finfo(float).max))


class SeriesInputError(TalentgapError, ValueError):
    """Series input, ``h``, ``horizon`` or ``level`` that cannot be used; the message names the value."""

    code = "series.bad_input"


def check_h(h: object) -> int:
    """``h`` as an int: a whole count of years from 1 to :data:`MAX_H`."""
    if isinstance(h, bool) or not isinstance(h, int | np.integer | float) or h != int(h) or not 1 <= h <= MAX_H:
        raise SeriesInputError(msg("series.bad_h", h=h, max=MAX_H))
    return int(h)


def check_levels(levels: float | Sequence[float]) -> tuple[float, ...]:
    """Interval levels in percent as a tuple, each from 1 to 99."""
    seq = (levels,) if isinstance(levels, int | float | np.number) else tuple(levels)
    if not seq:
        raise SeriesInputError(msg("series.bad_level", level="none"))
    for level in seq:
        if isinstance(level, bool) or not isinstance(level, int | float | np.number) or not 1 <= level <= 99:
            raise SeriesInputError(msg("series.bad_level", level=level))
    return tuple(float(v) for v in seq)


@dataclass(frozen=True)
class Forecast:
    """One series' point forecasts and central prediction interval for the years after its last observation.

    ``sd`` is the model-scale standard deviation per year (log scale when ``log_scale``), so draws
    can be made from the same distribution: ``value = inverse(mean_model + z * sd)``.
    """

    years: np.ndarray
    mean: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    level: float
    model: str
    log_scale: bool
    sd: np.ndarray
    fallback_reason: str | None = None
    notes: tuple[str, ...] = ()
    members: str = ""

    def frame(self) -> pd.DataFrame:
        """This series' rows of :data:`OUTPUT_COLUMNS` (all but ``series_id``)."""
        out = pd.DataFrame({"year": self.years, "forecast": self.mean, "lower": self.lower, "upper": self.upper,
                            "model": self.model, "members": self.members, "fallback_reason": self.fallback_reason or ""})
        return out[[c for c in OUTPUT_COLUMNS if c != "series_id"]]

    def sample(self, z: np.ndarray) -> np.ndarray:
        """Paths for standard-normal draws ``z`` (shape ``(n,)``, one per path, shared across years,
        i.e. a level shift): returns shape ``(n, len(years))`` on the value scale."""
        centre = np.log(self.mean) if self.log_scale else self.mean
        paths = centre[None, :] + z[:, None] * self.sd[None, :]
        return np.exp(np.minimum(paths, _LOG_MAX)) if self.log_scale else paths


def _is_text(column: pd.Series) -> bool:
    """Text cells: object columns under pandas 2, the ``str`` dtype under pandas 3."""
    return column.dtype == object or pd.api.types.is_string_dtype(column.dtype)


def _numbers(column: pd.Series, dtype: type) -> pd.Series:
    """``column`` as numbers: parsed directly when every cell is one (fast), else cell by cell with NaN for
    what is not a number. A boolean is not a number (a Parquet file of ``True``/``False`` is refused, as
    its CSV text would be)."""
    if column.dtype == bool:
        return pd.Series(np.nan, index=column.index)
    if column.dtype == object and column.map(lambda v: isinstance(v, bool | np.bool_)).any():
        column = column.map(lambda v: None if isinstance(v, bool | np.bool_) else v)
    try:
        return pd.Series(np.asarray(column.to_numpy(), dtype=dtype), index=column.index)
    except (ValueError, TypeError, OverflowError):
        return pd.to_numeric(column, errors="coerce")


def _name(series_id: object) -> str:
    """A series id as quoted in messages (numpy scalars as plain numbers)."""
    return repr(series_id.item() if isinstance(series_id, np.generic) else series_id)


def _rows(mask: pd.Series | np.ndarray) -> list[int]:
    """The positions where ``mask`` is true, as ints."""
    return np.flatnonzero(mask).tolist()


def _at(row: int, items: bool) -> str:
    return msg("series.at_item", index=row) if items else msg("series.at_row", row=row)


@dataclass(frozen=True, eq=False)
class Panel:
    """Annual series, each sorted by year, in first-seen order: series ``i`` is ``years[offsets[i]:
    offsets[i + 1]]`` with ``values`` alongside (finite floats; missing years are simply absent)."""

    ids: np.ndarray
    offsets: np.ndarray
    years: np.ndarray
    values: np.ndarray

    @classmethod
    def from_frame(cls, frame: pd.DataFrame, *, source: str = "series", items: bool = False,
                   first_row: int = 2) -> Panel:
        """Validate a long frame ``series_id, year, value`` (text or numbers) into a panel.

        A missing value (empty cell, null, NaN) is a missing year; a blank series id, a year that is not a
        whole number from 1000 to 3000, a value that is text or infinite, a year repeated within a series
        and a series without any value are errors, listed by row in one :class:`SeriesInputError` (rows
        are numbered from ``first_row``, the file line of the first data row; ``items`` numbers them as the
        ``series[i]`` of a request body instead). ``source`` names the input in the message.
        """
        missing = [c for c in ("series_id", "year", "value") if c not in frame.columns]
        if missing:
            raise SeriesInputError(msg("series.missing_columns", path=source, missing=", ".join(missing),
                                       expected="series_id, year, value"))
        if frame.empty:
            raise SeriesInputError(msg("series.no_rows", source=source))
        pos = np.arange(len(frame)) + (0 if items else first_row)
        raw_id, raw_year, raw_value = (frame[c].reset_index(drop=True) for c in ("series_id", "year", "value"))
        ids = raw_id.str.strip() if _is_text(raw_id) else raw_id
        years, values = _numbers(raw_year, float), _numbers(raw_value, float)
        blank = raw_value.isna().to_numpy().copy()
        if _is_text(raw_value):  # text: an empty cell is missing too (only rows that did not parse)
            unparsed = values.isna().to_numpy() & ~blank
            blank[unparsed] = (raw_value[unparsed].astype(str).str.strip() == "").to_numpy(dtype=bool)
        problems: list[tuple[int, str, str, object]] = []
        bad_year = years.isna() | (years % 1 != 0) | (years < YEAR_MIN) | (years > YEAR_MAX)
        problems += [(i, "year", msg("series.bad_year"), raw_year[i]) for i in _rows(bad_year)]
        bad_value = (values.isna() & ~blank) | np.isinf(values)
        problems += [(i, "value", msg("validate.bad_value"), raw_value[i]) for i in _rows(bad_value)]
        bad_id = ids.isna() | (ids.astype(str) == "")
        problems += [(i, "series_id", msg("series.blank_id"), "") for i in _rows(bad_id)]
        dup = pd.DataFrame({"s": ids, "y": years}).duplicated() & ~bad_year & ~bad_id
        problems += [(i, "year", msg("series.duplicate_year", series=_name(ids[i])), raw_year[i])
                     for i in _rows(dup)]
        keep = ~(bad_year | bad_value | bad_id | values.isna())
        said = set(ids[[p[0] for p in problems]]) if problems else set()
        present = set(ids[keep]) | said
        problems += [(i, "value", msg("series.no_values", series=_name(ids[i])), raw_value[i])
                     for i in _rows(~bad_id & ~ids.duplicated()) if ids[i] not in present]
        if problems:
            problems.sort(key=lambda p: p[0])
            lines = [msg("series.problem", at=_at(int(pos[i]), items), column=c, message=m, got=repr(str(g)[:200]))
                     for i, c, m, g in problems[:MAX_PROBLEMS]]
            if len(problems) > MAX_PROBLEMS:
                lines.append(msg("series.more_problems", count=len(problems) - MAX_PROBLEMS))
            raise SeriesInputError(msg("series.input_problems", source=source, count=len(problems),
                                       problems="\n".join(lines)))
        codes, uniques = pd.factorize(ids[keep], sort=False)
        order = np.lexsort((years[keep].to_numpy(), codes))
        counts = np.bincount(codes, minlength=len(uniques))
        return cls(ids=np.asarray(uniques, dtype=object), offsets=np.r_[0, np.cumsum(counts)],
                   years=years[keep].to_numpy()[order].astype(np.int64),
                   values=values[keep].to_numpy()[order])

    @classmethod
    def one(cls, years, values, series_id: object = 0) -> Panel:
        """A one-series panel, validated as any other."""
        years, values = np.atleast_1d(years), np.atleast_1d(values)
        if years.ndim != 1 or years.shape != values.shape:
            raise SeriesInputError(msg("series.unequal", years=years.shape, values=values.shape))
        return cls.from_frame(pd.DataFrame({"series_id": series_id, "year": years, "value": values}))

    def __len__(self) -> int:
        return len(self.ids)

    def series(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        """Years and values of series ``i``."""
        a, b = self.offsets[i], self.offsets[i + 1]
        return self.years[a:b], self.values[a:b]

    @property
    def lengths(self) -> np.ndarray:
        return np.diff(self.offsets)

    @property
    def last_years(self) -> np.ndarray:
        return self.years[self.offsets[1:] - 1]

    def take(self, index: Sequence[int] | np.ndarray) -> Panel:
        """The series at ``index``, in that order."""
        index = np.asarray(index, dtype=int)
        parts = [np.arange(self.offsets[i], self.offsets[i + 1]) for i in index]
        rows = np.concatenate(parts) if parts else np.empty(0, dtype=int)
        return Panel(ids=self.ids[index], offsets=np.r_[0, np.cumsum(self.lengths[index])],
                     years=self.years[rows], values=self.values[rows])

    def split(self, parts: int) -> list[Panel]:
        """At most ``parts`` panels of consecutive series (whole series each), in order."""
        bounds = np.linspace(0, len(self), max(1, min(parts, len(self))) + 1).astype(int)
        return [self.take(np.arange(a, b)) for a, b in zip(bounds[:-1], bounds[1:])]

    def h_until(self, horizon: object) -> int:
        """The ``h`` that reaches calendar year ``horizon`` from the earliest last year; every series
        must end before ``horizon`` and reach it within :data:`MAX_H` years."""
        if isinstance(horizon, bool) or not isinstance(horizon, int | np.integer) or not YEAR_MIN <= horizon <= YEAR_MAX:
            raise SeriesInputError(msg("series.horizon_not_year", horizon=horizon, max=MAX_H))
        last = self.last_years
        late = np.flatnonzero(last >= horizon)
        if len(late):
            i = int(late[0])
            raise SeriesInputError(msg("series.horizon_before_last", horizon=horizon, series=_name(self.ids[i]),
                                       last=int(last[i])))
        h = int(horizon - last.min())
        if h > MAX_H:
            i = int(np.argmin(last))
            raise SeriesInputError(msg("series.horizon_too_far", horizon=horizon, series=_name(self.ids[i]),
                                       last=int(last[i]), max=MAX_H))
        return h


def resolve_h(panel: Panel, *, h: object = None, horizon: object = None) -> tuple[int, int | None]:
    """The ``h`` of a run given either ``h`` (a count of years) or ``horizon`` (a calendar year), never
    both, and the calendar year to cut rows at (``horizon``, or None)."""
    if (h is None) == (horizon is None):
        raise SeriesInputError(msg("series.h_or_horizon", h=h, horizon=horizon))
    if h is not None:
        return check_h(h), None
    h_years = panel.h_until(horizon)
    assert isinstance(horizon, int | np.integer)  # h_until accepts a whole year only
    return h_years, int(horizon)


@runtime_checkable
class Forecaster(Protocol):
    """The one contract of every forecaster, the default ensemble and each named per-series model alike:
    options in ``__init__``; ``fit(panel)`` learns from every series of a :class:`Panel` and returns the
    forecaster; ``predict(h, levels)`` forecasts ``h`` years past each series' own last year with
    ``levels`` % intervals. ``name`` is the model's name in outputs; a series with fewer than ``min_obs``
    points falls back and says why."""

    name: str
    min_obs: int

    def fit(self, panel: Panel) -> Self: ...

    def predict(self, h: int, levels: float | tuple[float, ...] = 80) -> PanelForecast: ...


@dataclass(frozen=True, eq=False)
class PanelForecast:
    """Forecasts of every series of a panel, ``h`` years past each series' own last year.

    Arrays: ``mean`` and ``sd`` (series, h); ``lower``/``upper`` (series, levels, h) for the ``levels``
    (percent); per series ``first_year`` (its last year + 1), ``log_scale`` (``sd`` is on the log scale),
    ``model`` (the model used), ``fallback_reason`` ("" when none), ``notes`` and ``members`` (what
    carried the forecast, in words; "" when the model is a single one).
    """

    ids: np.ndarray
    first_year: np.ndarray
    levels: tuple[float, ...]
    mean: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    sd: np.ndarray
    log_scale: np.ndarray
    model: np.ndarray
    fallback_reason: np.ndarray
    notes: tuple[tuple[str, ...], ...]
    members: np.ndarray

    @property
    def h(self) -> int:
        return self.mean.shape[1]

    def __len__(self) -> int:
        return len(self.ids)

    def _level_index(self, level: float | None) -> int:
        if level is None:
            return 0
        if float(level) not in self.levels:
            raise SeriesInputError(msg("series.level_not_predicted", level=level,
                                       levels=", ".join(f"{v:g}" for v in self.levels)))
        return self.levels.index(float(level))

    def frame(self, level: float | None = None, *, until: int | None = None) -> pd.DataFrame:
        """The long frame :data:`OUTPUT_COLUMNS` at ``level`` (default: the first predicted), in series
        order; with ``until`` only the years up to that calendar year."""
        k, n, h = self._level_index(level), len(self), self.h
        years = (self.first_year[:, None] + np.arange(h)[None, :]).ravel()
        out = pd.DataFrame({"series_id": np.repeat(self.ids, h), "year": years, "forecast": self.mean.ravel(),
                            "lower": self.lower[:, k, :].ravel(), "upper": self.upper[:, k, :].ravel(),
                            "model": np.repeat(self.model, h), "members": np.repeat(self.members, h),
                            "fallback_reason": np.repeat(self.fallback_reason, h)})
        if until is not None:
            out = out[years <= until].reset_index(drop=True)
        return out[list(OUTPUT_COLUMNS)] if n else pd.DataFrame(columns=list(OUTPUT_COLUMNS))

    def forecast(self, i: int = 0, level: float | None = None) -> Forecast:
        """Series ``i`` as a one-series :class:`Forecast` at ``level``."""
        k = self._level_index(level)
        return Forecast(years=self.first_year[i] + np.arange(self.h), mean=self.mean[i], lower=self.lower[i, k],
                        upper=self.upper[i, k], level=self.levels[k], model=str(self.model[i]),
                        log_scale=bool(self.log_scale[i]), sd=self.sd[i],
                        fallback_reason=self.fallback_reason[i] or None, notes=self.notes[i],  # Message kept
                        members=self.members[i])

    @classmethod
    def concat(cls, parts: Sequence[PanelForecast]) -> PanelForecast:
        """Forecasts of consecutive panels (equal ``h`` and ``levels``) as one."""
        first = parts[0]
        return cls(ids=np.concatenate([p.ids for p in parts]), levels=first.levels,
                   notes=tuple(n for p in parts for n in p.notes),
                   **{f: np.concatenate([getattr(p, f) for p in parts])
                      for f in ("first_year", "mean", "lower", "upper", "sd", "log_scale", "model", "fallback_reason",
                                "members")})
