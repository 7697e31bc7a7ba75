"""Terms explained in words on every page that uses them, in both languages: MASE and sMAPE wherever the
accuracy table is shown, and the 80% range wherever a figure is given with a range in brackets (the web
pages with their answers, and the report). Each explanation once per web page, not repeated."""

from __future__ import annotations

import re
from html import unescape

import pytest

from talentgap.api import service
from talentgap.api.render.numbers import plain
from talentgap.data.store import Store
from talentgap.i18n import translator

from .web_client import csrf, web_client

pytestmark = pytest.mark.slow

#: A median followed by its range in brackets: ``8,500 (6,000~11,200)``, ``1.3만 (0.6만~2.6만)``, ``3 (1 to 5)``.
RANGE = re.compile(r"\d[\d,.]*만? ?\(\s*[−+-]?[\d,.]+만?\s*(?:~|to)\s*[−+-]?[\d,.]+")
#: The catalogue's explanations of the range, one of which a page with ranges carries.
RANGE_WORDS = ("p_note", "band_note", "programme_note")


def visible(html: str) -> str:
    """The page's text as a reader sees it (charts, scripts and tags left out), spaces made plain."""
    html = re.sub(r"<(svg|script|style|title)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", plain(unescape(re.sub(r"<[^>]+>", " ", html))))


def check_terms(text: str, lang: str, where: str, *, once: bool = True) -> None:
    """MASE and sMAPE explained once where used; the 80% range explained where a range is given (once on a
    web page; the report explains it again in each sector's section, which starts a page)."""
    t = translator(lang)
    if "MASE" in text or "sMAPE" in text:
        words = re.sub(r"\s+", " ", plain(t("terms_backtest")))
        assert text.count(words) == 1, f"{where}: MASE and sMAPE are explained once ({text.count(words)} times)"
    if RANGE.search(text):
        said = [k for k in RANGE_WORDS if re.sub(r"\s+", " ", plain(t(k))) in text]
        assert said, f"{where}: ranges such as {RANGE.search(text)[0]!r} and no words for the 80% range"
        assert not once or all(text.count(re.sub(r"\s+", " ", plain(t(k)))) == 1 for k in said), \
            f"{where}: an explanation repeated"


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    store = Store.open(f"sqlite:///{tmp_path_factory.mktemp('terms') / 't.db'}")
    service.compute_backtest(store=store)  # the activation's job: the sector pages show the accuracy table
    return web_client(store, role="analyst")


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_every_page_explains_the_terms_it_uses(client, lang):
    token = csrf(client)
    pages = {path: client.get(f"{path}{'&' if '?' in path else '?'}lang={lang}").text
             for path in ("/ui/", "/ui/sectors/semiconductor", "/ui/sectors/6g", "/ui/scenario?sector=battery")}
    pages["scenario answer"] = client.post(f"/ui/scenario?lang={lang}", data={
        "csrf": token, "sector": "battery", "base": "trend", "action": "run", "extra_graduates": "500"}).text
    pages["gap answer"] = client.post(f"/ui/gap?lang={lang}", data={"csrf": token, "w_cell_design": "1"}).text
    pages["programme answer"] = client.post(f"/ui/program?lang={lang}", data={
        "csrf": token, "name": "Cell line", "sector": "battery", "degree": "master", "seats_per_year": "35",
        "w_production_engineering": "1"}).text
    texts = {where: visible(html) for where, html in pages.items()}
    sector = texts["/ui/sectors/semiconductor"]
    assert "MASE" in sector and "sMAPE" in sector, "the sector page shows the accuracy table (the check has work)"
    for where in ("/ui/", "/ui/sectors/semiconductor", "gap answer", "programme answer"):
        assert RANGE.search(texts[where]), f"{where}: figures with ranges (the check has work)"
    for where, text in texts.items():
        check_terms(text, lang, f"{where} ({lang})")


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_report_explains_the_terms_it_uses(tmp_path, lang):
    from talentgap.api.render.report import build, render_html

    store = Store.open(f"sqlite:///{tmp_path / 'r.db'}")
    service.compute_backtest(store=store)
    data = build(store=store, sectors=["battery"], lang=lang)
    data["id"], data["changes"] = "terms-test", {"previous": None, "revisions": []}
    text = visible(render_html(data))
    assert "MASE" in text and RANGE.search(text), "the report has the accuracy table and ranges"
    check_terms(text, lang, f"report ({lang})", once=False)
