"""Korean pages show Korean: no English sentence in any page of the web UI or the Korean report, except
text marked as English on purpose (``lang="en"``: proper names such as publishers) and addresses."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from talentgap.data.store import Store

from .web_client import csrf, web_client

PAGES = ["/ui/", "/ui/sectors/semiconductor", "/ui/sectors/battery", "/ui/sectors/quantum", "/ui/sectors/6g",
         "/ui/sectors/security", "/ui/scenario?sector=battery", "/ui/gap", "/ui/program", "/ui/data", "/ui/reports",
         "/ui/sources/bat-w01", "/ui/nowhere"]
#: Three English words in a row make a sentence; ids, units and acronyms do not.
SENTENCE = re.compile(r"\b[A-Za-z][a-z'’]+\s+[a-z][a-z'’]+\s+[a-z][a-z'’]+\b")
HANGUL = re.compile("[가-힣]")


class EnglishText(HTMLParser):
    """Visible text nodes that read as English sentences, outside ``lang="en"`` elements, scripts and styles."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[bool] = []  # per open element: is it exempt?
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        exempt = tag in ("script", "style", "title", "code") or dict(attrs).get("lang") == "en"
        self.stack.append(exempt or (bool(self.stack) and self.stack[-1]))

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        text = " ".join(data.split())
        if not text or (self.stack and self.stack[-1]) or re.match(r"https?://", text):
            return
        if SENTENCE.search(text) and not HANGUL.search(text):
            self.found.append(text[:160])


def english_sentences(html: str) -> list[str]:
    parser = EnglishText()
    parser.feed(html)
    return parser.found


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    return web_client(Store.open(f"sqlite:///{tmp_path_factory.mktemp('lang') / 'l.db'}"), role="admin")


def test_the_scanner_finds_an_english_sentence_and_spares_marked_text():
    assert english_sentences("<p>supply: the feeder fields' share changes</p>") != []
    assert english_sentences('<p>공급 <span lang="en">Electronic Times (restating KIAT)</span></p>') == []
    assert english_sentences("<p>MASE 0.91 · sMAPE 12.0 · KIAT</p>") == []


@pytest.mark.parametrize("path", PAGES)
def test_korean_pages_have_no_english_sentences(client, path):
    html = client.get(path, params={"lang": "ko"}).text
    assert '<html lang="ko">' in html
    assert english_sentences(html) == []


FORMS = {
    "scenario run": ("/ui/scenario", {"sector": "battery", "base": "policy", "action": "run", "extra_graduates": "500",
                                      "start_year": "2027", "separation_rate": "0.05"}),
    "skill gap": ("/ui/gap", {"sector": "security", "w_incident_response": "1", "w_cloud_security": "0.5"}),
    "skill gap error": ("/ui/gap", {"sector": "security", "w_cell_design": "1"}),
    "programme": ("/ui/program", {"name": "보안 석사", "sector": "security", "degree": "master", "seats_per_year": "40",
                                  "w_ai_ml": "1"}),
    "scenario error": ("/ui/scenario", {"sector": "battery", "base": "trend", "action": "run", "entry_rate": "7"}),
    "programme error": ("/ui/program", {"name": "", "sector": "battery", "degree": "master", "seats_per_year": "-3"}),
}


@pytest.mark.parametrize("form", FORMS)
def test_korean_answers_and_errors_of_the_forms_have_no_english_sentences(client, form):
    path, data = FORMS[form]
    r = client.post(path, data={"csrf": csrf(client), **data})
    assert r.status_code in (200, 422) and '<html lang="ko">' in r.text
    assert english_sentences(r.text) == []
    if "error" in form:
        assert 'class="error"' in r.text, "the form error is shown"


def test_korean_upload_problems_have_no_english_sentences(client):
    files = {"file": ("조사.csv", b"series_id,sector,year,value\nx.y,steel,20x5,abc\n", "text/csv")}
    r = client.post("/ui/data/upload", data={"csrf": csrf(client)}, files=files)
    assert 'id="upload-errors"' in r.text
    assert english_sentences(r.text) == []
