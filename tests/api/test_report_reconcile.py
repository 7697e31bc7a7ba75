"""The report's appendix sets the published projections of its sectors beside the model (and data.csv
keeps their numbers); the method page describes the reconciliation."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from talentgap.api.render.report import write_report
from talentgap.api.service import get_reconciliation
from talentgap.data.store import Store


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_appendix_lists_the_sectors_published_figures(tmp_path, lang):
    store = Store.open(f"sqlite:///{tmp_path / 'r.db'}")
    info = write_report(store=store, out_dir=tmp_path / "out", formats=["html"], sectors=["battery"], lang=lang)
    folder = Path(info["directory"])
    html = (folder / "report.html").read_text(encoding="utf-8")
    appendix = html[html.index('id="appendix"'):]
    block = appendix[appendix.index('id="reconcile"'):appendix.index("</table>", appendix.index('id="reconcile"'))]
    assert 'id="reconcile-battery-kiat_net_increase"' in block and "54,450" in block
    assert "reconcile-semiconductor" not in block, "only the report's sectors"
    method = "발표 전망과의 대조" if lang == "ko" else "Reconciliation with published projections"
    assert method in appendix
    outside = "p10–p90 밖:" if lang == "ko" else "Outside p10–p90:"
    assert outside in block, "the training target lies outside and is marked"
    result = get_reconciliation(store=store, sector="battery")
    with open(folder / "data.csv", encoding="utf-8") as f:
        rows = {r["item"]: r for r in csv.DictReader(f) if r["section"] == "reconciliation"}
    for row in result.rows:
        assert float(rows[f"{row.figure}:model"]["p50"]) == pytest.approx(row.model.p50)
        assert float(rows[f"{row.figure}:published"]["p50"]) == row.published
