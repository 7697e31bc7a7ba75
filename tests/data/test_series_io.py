"""Series files: CSV and Parquet, one file or a folder, and clear errors."""

from __future__ import annotations

import pandas as pd
import pytest

from talentgap.data.series_io import SeriesFileError, is_folder_target, read_series, write_frame, write_part

FRAME = pd.DataFrame({"series_id": ["a", "a", "007"], "year": [2020, 2021, 2020], "value": [1.0, 2.0, 3.0]})


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_round_trip_keeps_ids_as_text(tmp_path, suffix):
    pytest.importorskip("pyarrow")
    path = write_frame(FRAME, tmp_path / f"x{suffix}")
    back = read_series(path)
    assert back["series_id"].tolist() == ["a", "a", "007"]  # a leading zero survives
    assert back["value"].astype(float).tolist() == [1.0, 2.0, 3.0]  # CSV is read as text, checked by the models


def test_folder_of_parts_is_read_in_name_order(tmp_path):
    pytest.importorskip("pyarrow")
    write_part(FRAME.iloc[2:], tmp_path, 1)
    write_part(FRAME.iloc[:2], tmp_path, 0, suffix=".csv")
    assert read_series(tmp_path)["series_id"].tolist() == ["a", "a", "007"]
    assert is_folder_target(tmp_path / "out") and not is_folder_target(tmp_path / "out.parquet")


def test_errors_name_the_path_and_the_fix(tmp_path):
    with pytest.raises(SeriesFileError, match="does not exist"):
        read_series(tmp_path / "missing.csv")
    with pytest.raises(SeriesFileError, match="no .csv or .parquet files"):
        read_series(tmp_path)
    (tmp_path / "bad.csv").write_text("id,year\nx,2020\n")
    with pytest.raises(SeriesFileError, match=r"lacks column\(s\) series_id, value; expected series_id, year, value"):
        read_series(tmp_path / "bad.csv")
    assert SeriesFileError.code == "series.file"
    (tmp_path / "bin.csv").write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(SeriesFileError, match="bin.csv'?: not a readable CSV"):
        read_series(tmp_path / "bin.csv")


def test_csv_output_neutralises_formula_looking_text(tmp_path):
    frame = pd.DataFrame({"series_id": ["=cmd|' /C calc'!A0"], "year": [2020], "value": [1.0]})
    text = write_frame(frame, tmp_path / "out.csv").read_text()
    assert "'=cmd" in text and "\n=cmd" not in text
