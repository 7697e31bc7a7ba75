"""Partitioned forecasting: the default ensemble over a ``dask.distributed`` cluster, and file-to-file runs.

:func:`forecast_dask` splits a long frame by series into partitions, fits one
:class:`~talentgap.models.engine.Ensemble` per partition on the workers, pools the partitions' scaled
validation errors into one :class:`~talentgap.models.engine.Calibration` on the client, then predicts
every partition with it. Each series' point forecast depends only on its own history and the intervals
on the pooled errors, so the numbers are the same as :func:`~talentgap.models.timeseries.forecast_frame`
on the whole frame, bit for bit. :func:`forecast_files` is the entry point for the command line (CSV or
Parquet in and out, ``engine="local"`` or ``"dask"``). Needs the ``scale`` extra (``dask[distributed]``,
``pyarrow``) for ``engine="dask"`` and for Parquet.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from talentgap.data.series_io import is_folder_target, read_series, write_frame, write_part

from .engine import OUTPUT_COLUMNS, Ensemble, calibrate
from .timeseries import forecast_frame

Progress = Callable[[int, int], None]
#: Series per partition when none is given: big enough that the numpy passes dominate the overhead.
SERIES_PER_PARTITION = 5_000


def partition_by_series(frame: pd.DataFrame, partitions: int) -> list[pd.DataFrame]:
    """Split ``frame`` into at most ``partitions`` frames, each holding whole series, in first-seen order."""
    codes, uniques = pd.factorize(frame["series_id"], sort=False)
    bounds = np.linspace(0, len(uniques), max(1, min(partitions, len(uniques))) + 1).astype(int)
    part_of = np.searchsorted(bounds, codes, side="right") - 1
    order = np.argsort(part_of, kind="stable")
    cuts = np.searchsorted(part_of[order], np.arange(1, len(bounds) - 1))
    return [frame.iloc[idx] for idx in np.split(order, cuts)]


def _fit(part: pd.DataFrame, horizon: int) -> Ensemble:
    return Ensemble().fit(part, horizon)


def _errors(est: Ensemble) -> list[np.ndarray]:
    return est.errors_


def _predict(est: Ensemble, level: float, calibration, target: str | None, index: int):
    out = est.predict(level, calibration)[OUTPUT_COLUMNS]
    if target is None:
        return out
    return str(write_part(out, target, index))


def _client(scheduler: str | None):
    from dask.distributed import Client, LocalCluster

    if scheduler:
        return Client(scheduler), None
    cluster = LocalCluster(n_workers=os.cpu_count() or 1, threads_per_worker=1, processes=True,
                           dashboard_address=None)
    return Client(cluster), cluster


def forecast_dask(frame: pd.DataFrame, horizon: int, *, level: float = 80, scheduler: str | None = None,
                  partitions: int | None = None, progress: Progress | None = None, client=None,
                  output_folder: str | Path | None = None) -> pd.DataFrame | list[str]:
    """Forecast every series of ``frame`` on a dask cluster; same columns and numbers as ``forecast_frame``.

    ``scheduler`` is a ``dask-scheduler`` address (``tcp://host:8786``); without one (and without a
    ``client``) a ``LocalCluster`` with one single-threaded worker process per core is started and closed.
    ``progress(done, total)`` is called with series counts as partitions finish fitting. With
    ``output_folder`` the workers write ``part-NNNNN.parquet`` files there and their paths are returned
    instead of a frame (nothing large travels back to the client).
    """
    from dask.distributed import as_completed

    total = int(frame["series_id"].nunique())
    parts = partition_by_series(frame, partitions or max(1, -(-total // SERIES_PER_PARTITION)))
    own = client is None
    cluster = None
    if own:
        client, cluster = _client(scheduler)
    try:
        sizes = [int(p["series_id"].nunique()) for p in parts]
        scattered = client.scatter(parts)
        fits = client.map(_fit, scattered, horizon=horizon, pure=False)
        errors = client.map(_errors, fits, pure=False)
        done, pooled = 0, [None] * len(parts)
        position = {f.key: i for i, f in enumerate(errors)}
        for fut, errs in as_completed(errors, with_results=True):
            i = position[fut.key]
            pooled[i] = errs
            done += sizes[i]
            if progress:
                progress(done, total)
        cal = calibrate(pooled, horizon, level)
        target = None if output_folder is None else str(output_folder)
        outs = client.gather(client.map(_predict, fits, level=level, calibration=cal, target=target,
                                        index=list(range(len(parts))), pure=False))
    finally:
        if own:
            client.close()
            if cluster is not None:
                cluster.close()
    if target is not None:
        return outs
    return pd.concat(outs, ignore_index=True) if outs else pd.DataFrame(columns=OUTPUT_COLUMNS)


def forecast_files(input_path: str | Path, output_path: str | Path, *, horizon: int, level: float = 80,
                   engine: Literal["local", "dask"] = "local", scheduler: str | None = None,
                   progress: Progress | None = None, partitions: int | None = None) -> dict:
    """Forecast the series in ``input_path`` (CSV or Parquet file, or a folder of them) ``horizon`` years
    past each series' last year and write ``series_id, year, forecast, lower, upper, model,
    fallback_reason`` to ``output_path`` (``.csv`` or ``.parquet``; with ``engine="dask"`` a path without
    those suffixes is a folder of Parquet parts written by the workers).

    ``engine="local"`` runs the vectorised ensemble in this process; ``"dask"`` partitions by series over
    the cluster at ``scheduler`` (a ``LocalCluster`` when ``None``). Both give the same numbers. Returns
    ``{"series": n, "rows": rows, "output": path or [part paths], "engine": engine}``.
    """
    if engine not in ("local", "dask"):
        raise ValueError(f"engine must be 'local' or 'dask'; got {engine!r}")
    if engine == "local" and scheduler:
        raise ValueError("scheduler is only used with engine='dask'; drop it or set engine='dask'")
    frame = read_series(input_path)
    n = int(frame["series_id"].nunique())
    if engine == "local":
        if is_folder_target(output_path):
            raise ValueError(f"output_path must end in .csv or .parquet with engine='local'; got {str(output_path)!r}")
        out = forecast_frame(frame, horizon, level=level)
        if progress:
            progress(n, n)
        return {"series": n, "rows": len(out), "output": str(write_frame(out, output_path)), "engine": engine}
    folder = output_path if is_folder_target(output_path) else None
    out = forecast_dask(frame, horizon, level=level, scheduler=scheduler, partitions=partitions,
                        progress=progress, output_folder=folder)
    if folder is not None:
        return {"series": n, "rows": n * horizon, "output": out, "engine": engine}
    return {"series": n, "rows": len(out), "output": str(write_frame(out, output_path)), "engine": engine}
