"""The reconciliation page /ui/reconcile: every published figure beside the model in Korean and English,
rows outside p10-p90 marked and explained in numbers, one sector at a time, linked from the navigation."""

from __future__ import annotations

import re
from html import unescape

import pytest

from talentgap.data.store import Store

from .web_client import web_client


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    return web_client(Store.open(f"sqlite:///{tmp_path_factory.mktemp('webrc') / 'w.db'}"))


def rows(html: str) -> list[str]:
    return re.findall(r'<tr id="fig-[^"]+" class="[^"]*">.*?</tr>', html, flags=re.S)


@pytest.mark.parametrize(("lang", "title", "outside"), [("ko", "발표된 전망과 모형의 비교", "p10–p90 밖:"),
                                                        ("en", "Published projections beside the model",
                                                         "Outside p10–p90:")])
def test_the_page_sets_every_published_figure_beside_the_model(client, lang, title, outside):
    html = client.get(f"/ui/reconcile?lang={lang}").text
    assert f'<html lang="{lang}">' in html and title in html
    found = rows(html)
    assert len(found) >= 10
    for figure in ("54,000", "81,000", "150,000", "54,450"):
        assert any(f"<td>{figure}</td>" in r for r in found), figure
    marked = [r for r in found if 'class="outside"' in r]
    assert marked and all(outside in r for r in marked)
    for r in marked:  # the explanation after the mark carries numbers
        explanation = unescape(re.sub(r"<[^>]+>", " ", r.split(outside)[1]))
        assert re.search(r"\d[\d,]{3,}", explanation), explanation


def test_the_korean_page_explains_in_korean(client):
    html = client.get("/ui/reconcile?lang=ko&sector=semiconductor").text
    kiet = next(r for r in rows(html) if "fig-semiconductor-kiet_trend_shortfall" in r)
    assert "산업연구원" in kiet and "안에 있습니다" in kiet  # inside the model's range, said in Korean
    outside = [r for r in rows(html) if 'class="outside"' in r]
    assert outside
    for r in outside:  # each explanation of a figure outside the range reads in Korean, with its numbers
        text = unescape(re.sub(r"<[^>]+>", " ", r))
        assert re.search(r"(모형|발표|항목별)", text) and re.search(r"\d[\d,]{3,}", text), text


def test_one_sector_and_the_navigation_link(client):
    html = client.get("/ui/reconcile?lang=en&sector=battery").text
    found = rows(html)
    assert found and all('id="fig-battery-' in r for r in found)
    assert '<option value="battery" selected>' in html
    assert 'href="/ui/reconcile"' in client.get("/ui/data?lang=en").text


def test_an_unknown_sector_is_an_error_page(client):
    r = client.get("/ui/reconcile?lang=en&sector=steel")
    assert r.status_code == 404 and "steel" in r.text and "<nav" in r.text
