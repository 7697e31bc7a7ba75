"""Korean pages show Korean: no English sentence in any page of the web UI or the Korean report, except
text marked as English on purpose (``lang="en"``: proper names such as publishers) and addresses."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient

from talentgap.api.http.app import create_app
from talentgap.data.keys import create_key
from talentgap.data.store import Store

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
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('lang') / 'l.db'}")
    c = TestClient(create_app(store))
    c.post("/ui/login", data={"key": create_key(store, role="admin", name="a"), "lang": "ko"})
    return c


def test_the_scanner_finds_an_english_sentence_and_spares_marked_text():
    assert english_sentences("<p>supply: the feeder fields' share changes</p>") != []
    assert english_sentences('<p>공급 <span lang="en">Electronic Times (restating KIAT)</span></p>') == []
    assert english_sentences("<p>MASE 0.91 · sMAPE 12.0 · KIAT</p>") == []


@pytest.mark.parametrize("path", PAGES)
def test_korean_pages_have_no_english_sentences(client, path):
    html = client.get(path, params={"lang": "ko"}).text
    assert '<html lang="ko">' in html
    assert english_sentences(html) == []
