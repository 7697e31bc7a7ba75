"""The backcast in the sector page's accuracy section and in the report's appendix: every figure observed
after an earlier stock, beside the 80 % range projected from it, in Korean and English."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest

from talentgap.api.render.report import write_report
from talentgap.api.service.backcasts import sector_backcasts
from talentgap.data.store import Store

from .web_client import web_client


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return Store.open(f"sqlite:///{tmp_path_factory.mktemp('webbc') / 'w.db'}")


@pytest.fixture(scope="module")
def client(store):
    return web_client(store)


def _text(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize(("lang", "title", "inside"), [("ko", "과거 시점의 전망과 실제", "범위 안"),
                                                       ("en", "Projections from past years beside what happened",
                                                        "inside")])
def test_the_sector_page_sets_later_observations_beside_the_range_projected_from_2020(client, store, lang, title,
                                                                                   inside):
    html = client.get(f"/ui/sectors/semiconductor?lang={lang}").text
    assert title in html
    table = html[html.index('<table id="backcast">'):html.index("</table>", html.index('<table id="backcast">'))]
    rows = re.findall(r"<tr class=\"[^\"]*\">.*?</tr>", table, flags=re.S)
    found = sector_backcasts(store=store, sector="semiconductor")
    assert len(rows) == sum(len(b.rows) for b in found) >= 4
    stock = next(_text(r) for r in rows if "118,721" in r)
    assert "2020" in stock and "2024" in stock and inside in stock
    assert re.search(r"\d{2,3},\d{3}\W*(~|to)\W*\d{2,3},\d{3}", stock), stock
    summary = _text(html[html.index('id="backcast-summary"'):].split("</p>")[0])
    inside_count = sum(r.inside for b in found for r in b.rows)
    assert re.findall(r"\d+", summary) in ([str(len(rows)), str(inside_count)], [str(inside_count), str(len(rows))])


def test_a_sector_without_an_observed_stock_path_says_so(client):
    html = client.get("/ui/sectors/6g?lang=en").text
    assert 'id="no-backcast"' in html and '<table id="backcast">' not in html


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_report_appendix_carries_the_backcast(tmp_path, store, lang):
    info = write_report(store=store, out_dir=tmp_path / "out", formats=["html"], sectors=["security"], lang=lang)
    html = (Path(info["directory"]) / "report.html").read_text(encoding="utf-8")
    appendix = html[html.index('id="appendix"'):]
    block = appendix[appendix.index('id="backcast"'):appendix.index("</table>", appendix.index('id="backcast"'))]
    found = sector_backcasts(store=store, sector="security")
    assert block.count("<tr>") - 1 == sum(len(b.rows) for b in found) >= 10  # header row + one per figure
    assert "23,987" in block
    outside = "범위 밖" if lang == "ko" else "outside"
    assert (f"<b>{outside}</b>" in block) == any(not r.inside for b in found for r in b.rows)
