"""``series forecast`` input and output held to one rule: standard output neutralises formula text as
--output does, a row wider than the header is a clear exit 2, and Parquet input is refused where CSV
input is (fractional years, missing ids, booleans)."""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

from talentgap.api.cli import app

from ..conftest import write

runner = CliRunner()


def test_standard_output_neutralises_formula_text(tmp_path):
    path = write(tmp_path / "f.csv", "series_id,year,value\n=HYPERLINK(1),2000,1\n=HYPERLINK(1),2001,2\n"
                                     "=HYPERLINK(1),2002,3\n")
    r = runner.invoke(app, ["series", "forecast", "--input", str(path), "--h", "1"])
    assert r.exit_code == 0, r.output
    assert "\n'=HYPERLINK(1),2003," in r.stdout and "\n=HYPERLINK" not in r.stdout


@pytest.mark.parametrize("text", ["series_id,year,value\na,2000,1,x\na,2001,2,y\na,2002,3,z\n",
                                  "series_id,year,value\na,2000,1\na,2001,2,y\na,2002,3\n"],
                         ids=["every-row", "one-row"])
def test_a_row_wider_than_the_header_is_a_clear_exit_2(tmp_path, text):
    r = runner.invoke(app, ["series", "forecast", "--input", str(write(tmp_path / "w.csv", text)), "--h", "1"])
    assert r.exit_code == 2 and "a row has more fields than the header" in r.output
    assert "internal error" not in r.output


@pytest.mark.parametrize("frame, problem", [
    (pd.DataFrame({"series_id": ["a"] * 3, "year": [2000.0, 2001.5, 2002.0], "value": [1.0, 2.0, 3.0]}),
     "row 3, column year: must be a whole year (got '2001.5')"),
    (pd.DataFrame({"series_id": ["a", None, "a"], "year": [2000, 2001, 2002], "value": [1.0, 2.0, 3.0]}),
     "row 3, column series_id: is blank"),
    (pd.DataFrame({"series_id": ["a"] * 3, "year": [2000, 2001, 2002], "value": [True, False, True]}),
     "row 2, column value: must be a finite number (got 'True')"),
], ids=["fractional-year", "missing-id", "boolean-value"])
def test_parquet_input_is_refused_where_csv_is(tmp_path, frame, problem):
    pytest.importorskip("pyarrow")
    path = tmp_path / "s.parquet"
    frame.to_parquet(path)
    r = runner.invoke(app, ["series", "forecast", "--input", str(path), "--h", "1"])
    assert r.exit_code == 2 and problem in r.output, r.output
    csv = write(tmp_path / "s.csv", frame.astype(object).where(frame.notna(), "").to_csv(index=False))
    r = runner.invoke(app, ["series", "forecast", "--input", str(csv), "--h", "1"])
    assert r.exit_code == 2 and problem.split(" (got")[0] in r.output, r.output
