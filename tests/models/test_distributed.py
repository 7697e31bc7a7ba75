"""Partitioned forecasting on dask gives the local engine's numbers; file-to-file runs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from talentgap.models.distributed import forecast_dask, forecast_files
from talentgap.models.panel import Panel, SeriesInputError
from talentgap.models.timeseries import forecast_panel

pytest.importorskip("dask.distributed")


def synthetic(n: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frames = []
    for i in range(n):
        length = int(rng.integers(1, 30))
        values = rng.uniform(10, 1e4) * np.exp(np.cumsum(rng.normal(0.03, 0.08, length)))
        if i % 17 == 0:
            values = values - values.mean()  # some series cross zero
        years = 1990 + np.arange(length)
        keep = (rng.random(length) > 0.1) | (np.arange(length) == length - 1)
        frames.append(pd.DataFrame({"series_id": f"s{i:04d}", "year": years[keep], "value": values[keep]}))
    return pd.concat(frames, ignore_index=True)


def test_partitions_hold_whole_series_in_order():
    panel = Panel.from_frame(synthetic(50))
    parts = panel.split(7)
    assert len(parts) == 7
    assert sum((p.ids.tolist() for p in parts), []) == panel.ids.tolist()
    assert np.array_equal(np.concatenate([p.values for p in parts]), panel.values)
    assert np.array_equal(np.concatenate([p.years for p in parts]), panel.years)


def test_dask_and_local_engines_give_identical_output():
    from dask.distributed import Client, LocalCluster

    panel = Panel.from_frame(synthetic(1000))
    local = forecast_panel(panel, 6).frame()
    seen = []
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        out = forecast_dask(panel, 6, client=client, partitions=5, progress=lambda d, t: seen.append((d, t))).frame()
    pd.testing.assert_frame_equal(out, local, check_exact=True)
    assert len(seen) == 5 and seen[-1] == (1000, 1000) and [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert set(out["model"]) >= {"ensemble", "damped_drift", "naive"}


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_forecast_files_local_round_trip(tmp_path, suffix):
    frame = synthetic(30, seed=1)
    src = tmp_path / f"in{suffix}"
    frame.to_csv(src, index=False) if suffix == ".csv" else frame.to_parquet(src, index=False)
    calls = []
    summary = forecast_files(src, tmp_path / f"out{suffix}", h=3, progress=lambda d, t: calls.append((d, t)))
    out = pd.read_csv(summary["output"]) if suffix == ".csv" else pd.read_parquet(summary["output"])
    assert summary["series"] == 30 and summary["rows"] == 90 and len(out) == 90 and calls == [(30, 30)]
    expected = forecast_panel(Panel.from_frame(frame), 3).frame()
    assert np.allclose(out["forecast"], expected["forecast"], rtol=1e-12)


def test_forecast_files_reads_a_folder_and_rejects_bad_arguments(tmp_path):
    frame = synthetic(20, seed=2)
    (tmp_path / "in").mkdir()
    ids = frame["series_id"].unique()
    frame[frame.series_id.isin(ids[:10])].to_csv(tmp_path / "in" / "a.csv", index=False)
    frame[frame.series_id.isin(ids[10:])].to_parquet(tmp_path / "in" / "b.parquet", index=False)
    summary = forecast_files(tmp_path / "in", tmp_path / "out.csv", h=2)
    assert summary["series"] == 20
    last = frame.groupby("series_id")["year"].max()
    summary = forecast_files(tmp_path / "in", tmp_path / "until.csv", horizon=int(last.max()) + 2)
    out = pd.read_csv(tmp_path / "until.csv")
    assert out.groupby("series_id")["year"].max().eq(last.max() + 2).all() and summary["rows"] == len(out)
    with pytest.raises(SeriesInputError, match="engine must be local or dask"):
        forecast_files(tmp_path / "in", tmp_path / "o.csv", h=2, engine="spark")
    with pytest.raises(SeriesInputError, match="scheduler is used only by the dask engine"):
        forecast_files(tmp_path / "in", tmp_path / "o.csv", h=2, scheduler="tcp://127.0.0.1:8786")
    with pytest.raises(SeriesInputError, match="give h .* or horizon"):
        forecast_files(tmp_path / "in", tmp_path / "o.csv")
