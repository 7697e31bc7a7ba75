"""Partitioned forecasting: the default ensemble over a ``dask.distributed`` cluster, and file-to-file runs.

:func:`forecast_dask` splits a panel into partitions of whole series and prepares one
:class:`~talentgap.models.engine.Ensemble` per partition on the workers. What the ensemble learns from the
whole panel is pooled on the client, in panel order, so it is exactly what one process learns: the global
member's training windows (sampled by a hash of series id, origin and step) and the spread scales, then
each series' validation error for every global share, then the scaled validation errors, pooled into one
:class:`~talentgap.models.calibration.Calibration` per level. The workers then predict. The numbers are the
same as :func:`~talentgap.models.timeseries.forecast_panel` on the whole panel, bit for bit. :func:`forecast_files`
is the entry point for file runs (CSV or Parquet in and out, ``engine="local"`` or ``"dask"``). Needs the
``scale`` extra (``dask[distributed]``, ``pyarrow``) for ``engine="dask"`` and for Parquet.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Literal

import numpy as np

from talentgap.data.series_io import is_folder_target, read_series, write_frame, write_part
from talentgap.i18n import msg

from .calibration import calibrate
from .engine import Context, Ensemble, choose_shares, pooled_context, sampling_rate
from .panel import Panel, PanelForecast, SeriesInputError, check_h, check_levels, resolve_h
from .timeseries import forecast_panel

Progress = Callable[[int, int], None]
#: Series per partition when none is given: big enough that the numpy passes dominate the overhead.
SERIES_PER_PARTITION = 5_000


def _fit(part: Panel) -> Ensemble:
    return Ensemble().fit(part)


def _windows(est: Ensemble, h: int, rate: float):
    return est.windows(h, rate), est.scales()


def _blend(est: Ensemble, h: int, context: Context):
    return est.blend_errors(h, context)


def _errors(est: Ensemble, h: int, context: Context):
    return est.errors(h, context)


def _predict(est: Ensemble, h: int, level: float, calibration, context: Context, target: str | None, index: int,
             until: int | None):
    out = est.predict(h, level, calibration=calibration, context=context)
    if target is None:
        return out
    return str(write_part(out.frame(until=until), target, index)), int((out.fallback_reason != "").sum())


def _client(scheduler: str | None):
    from dask.distributed import Client, LocalCluster

    if scheduler:
        return Client(scheduler), None
    cluster = LocalCluster(n_workers=os.cpu_count() or 1, threads_per_worker=1, processes=True,
                           dashboard_address=None)
    return Client(cluster), cluster


def forecast_dask(panel: Panel, h: int, *, level: float = 80, scheduler: str | None = None,
                  partitions: int | None = None, progress: Progress | None = None, client=None,
                  output_folder: str | Path | None = None, until: int | None = None) -> PanelForecast | tuple[list[str], int]:
    """Forecast every series of ``panel`` on a dask cluster; the same numbers as ``forecast_panel``.

    ``scheduler`` is a ``dask-scheduler`` address (``tcp://host:8786``); without one (and without a
    ``client``) a ``LocalCluster`` with one single-threaded worker process per core is started and closed.
    ``progress(done, total)`` is called with series counts as partitions finish fitting. With
    ``output_folder`` the workers write ``part-NNNNN.parquet`` files there (rows up to calendar year
    ``until`` when given) and their paths are returned instead of a result (nothing large travels back
    to the client), with the number of series that fell back.
    """
    from dask.distributed import as_completed

    h, (level,) = check_h(h), check_levels(level)
    total = len(panel)
    parts = panel.split(partitions or max(1, -(-total // SERIES_PER_PARTITION)))
    own = client is None
    cluster = None
    if own:
        client, cluster = _client(scheduler)
    try:
        sizes = [len(p) for p in parts]
        fits = client.map(_fit, client.scatter(parts), pure=False)
        # the global member and the spread prior are learnt from every partition's windows, on the client
        learnt = client.gather(client.map(_windows, fits, h=h, rate=sampling_rate(panel, h), pure=False))
        first = pooled_context([w for w, _ in learnt], [s for _, s in learnt])
        context = client.scatter(first, broadcast=True)
        shares = choose_shares(client.gather(client.map(_blend, fits, h=h, context=context, pure=False)))
        context = client.scatter(replace(first, shares=shares), broadcast=True)
        errors = client.map(_errors, fits, h=h, context=context, pure=False)
        done = 0
        pooled: list[list[np.ndarray]] = [[] for _ in parts]
        position = {f.key: i for i, f in enumerate(errors)}
        for fut, errs in as_completed(errors, with_results=True):
            i = position[fut.key]
            pooled[i] = errs
            done += sizes[i]
            if progress:
                progress(done, total)
        cal = {level: calibrate(pooled, h, level)}
        target = None if output_folder is None else str(output_folder)
        outs = client.gather(client.map(_predict, fits, h=h, level=level, calibration=cal, context=context,
                                        target=target, index=list(range(len(parts))), until=until, pure=False))
    finally:
        if own:
            client.close()
            if cluster is not None:
                cluster.close()
    if target is not None:
        return [path for path, _ in outs], sum(fell for _, fell in outs)
    return PanelForecast.concat(outs)


def check_run(output_path: str | Path, *, engine: str = "local", scheduler: str | None = None) -> None:
    """Refuse run options that cannot work, before any series is read: an unknown engine, a scheduler
    without dask, dask not installed, a folder as output without dask."""
    if engine not in ("local", "dask"):
        raise SeriesInputError(msg("series.bad_engine", engine=engine))
    if engine == "local" and scheduler:
        raise SeriesInputError(msg("series.scheduler_needs_dask"))
    if engine == "dask":
        try:
            import dask.distributed  # noqa: F401
        except ImportError:
            raise SeriesInputError(msg("series.dask_missing")) from None
    if engine != "dask" and str(output_path) != "-" and is_folder_target(output_path):
        raise SeriesInputError(msg("series.bad_output", output=str(output_path)))


def forecast_files(input_path: str | Path, output_path: str | Path, *, h: int | None = None,
                   horizon: int | None = None, level: float = 80, engine: Literal["local", "dask"] = "local",
                   scheduler: str | None = None, progress: Progress | None = None,
                   partitions: int | None = None) -> dict:
    """Forecast the series in ``input_path`` (CSV or Parquet file, or a folder of them) and write
    :data:`~.panel.OUTPUT_COLUMNS` to ``output_path`` (``.csv`` or ``.parquet``; ``-`` is CSV on standard
    output; with ``engine="dask"`` a path without those suffixes is a folder of Parquet parts written by
    the workers). Give ``h`` (years past each series' last year) or ``horizon`` (a calendar year: each
    series is forecast up to it), not both.

    ``engine="local"`` runs the vectorised ensemble in this process; ``"dask"`` partitions by series over
    the cluster at ``scheduler`` (a ``LocalCluster`` when ``None``). Both give the same numbers. Returns
    ``{"series": n, "rows": rows, "fallbacks": series that fell back, "output": path or [part paths],
    "engine": engine}``.
    """
    check_run(output_path, engine=engine, scheduler=scheduler)
    (level,) = check_levels(level)
    panel = Panel.from_frame(read_series(input_path), source=str(input_path))
    h, until = resolve_h(panel, h=h, horizon=horizon)
    return write_forecasts(panel, output_path, h=h, until=until, level=level, engine=engine, scheduler=scheduler,
                           progress=progress, partitions=partitions)


def write_forecasts(panel: Panel, output_path: str | Path, *, h: int, until: int | None, level: float,
                    engine: Literal["local", "dask"] = "local", scheduler: str | None = None,
                    progress: Progress | None = None, partitions: int | None = None) -> dict:
    """:func:`forecast_files` for a panel already checked, with ``h`` and ``until`` resolved
    (:func:`~.panel.resolve_h`) and run options that passed :func:`check_run`."""
    folder = engine == "dask" and str(output_path) != "-" and is_folder_target(output_path)
    n = len(panel)
    result: PanelForecast | tuple[list[str], int]
    if engine == "local":
        result = forecast_panel(panel, h, level)
        if progress:
            progress(n, n)
    else:
        result = forecast_dask(panel, h, level=level, scheduler=scheduler, partitions=partitions, progress=progress,
                               output_folder=output_path if folder else None, until=until)
    if isinstance(result, tuple):  # a folder of parts written by the workers
        paths, fell = result
        last = panel.last_years
        rows = int((np.minimum(h, until - last) if until is not None else np.full(n, h)).sum())
        return {"series": n, "rows": rows, "fallbacks": fell, "output": paths, "engine": engine}
    out = result.frame(until=until)
    fell = int((result.fallback_reason != "").sum())
    return {"series": n, "rows": len(out), "fallbacks": fell, "output": str(write_frame(out, output_path)),
            "engine": engine}

