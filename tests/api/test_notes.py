"""The models' notes in both languages: a note keeps its English text (the JSON contract) and its
catalogue id, survives the stored-result JSON, and renders in Korean with numbers and words for ids
(api/render/notes.py); the sector pages, in Korean and English, show them in the page's language."""

from __future__ import annotations

import json
import pickle
import re

import pytest
from fastapi.testclient import TestClient

from talentgap.api.http.app import create_app
from talentgap.api.render.names import Names
from talentgap.api.render.notes import number, render_note, result_notes
from talentgap.data.keys import create_key
from talentgap.data.store import Store
from talentgap.i18n import Listing, Message, Text, msg, note, note_ids
from talentgap.seeds.specs import sector_specs

from .web_client import sign_in

HANGUL = re.compile("[가-힣]")
SECTORS = ("semiconductor", "battery", "quantum", "6g", "security")
NAMES = Names({"kiat_itw": ("KIAT industrial technology workforce", "KIAT 산업기술인력")})


def test_a_note_is_its_english_text_and_keeps_its_id():
    n = note("backlog.added", year=2022, backlog=1784.0)
    assert n == "backlog: the 2022 shortage of 1,784 is added to the first projected year's openings"
    assert isinstance(n, str) and n.key == "backlog.added"
    assert n.as_dict() == {"key": "backlog.added", "params": {"year": 2022, "backlog": 1784.0}}
    again = pickle.loads(pickle.dumps(n))  # fits and forecasts may cross processes
    assert isinstance(again, Message) and again == n and again.params == n.params and again.domain == "notes"


def test_notes_and_error_messages_are_one_kind_of_value():
    n, m = note("backlog.added", year=2022, backlog=1784.0), msg("sector.unknown", sector="'steel'", sectors="battery")
    assert type(n) is type(m) is Message and (n.domain, m.domain) == ("notes", "errors")
    assert m.in_lang("ko").startswith("알 수 없는 산업") and "2022" in n.in_lang("ko") and HANGUL.search(n.in_lang("ko"))
    assert note("no_such.note", year=2022) == "no_such.note year=2022", "a missing id shows, never fails"


def test_nested_notes_texts_and_listings_survive_json():
    parts = Listing([note("backlog.level_count", education="bachelor", count=500.0),
                     note("backlog.level_count", education="master_phd", count=120.0)])
    n = note("backlog.by_education", year=2022, definition="kiat_itw", counts=parts)
    assert n == ("backlog by education: split as the 2022 shortage by level on the kiat_itw definition "
                 "(bachelor 500, master_phd 120)")
    data = [n, Text("An English note.", "한국어 설명."), "a plain string"]
    ids = json.loads(json.dumps(note_ids(data)))
    assert ids[2] is None and ids[1] == {"text": {"en": "An English note.", "ko": "한국어 설명."}}
    assert render_note(ids[0], "ko", NAMES) == ("현 부족인원은 KIAT 산업기술인력 기준 2022년 학력별 부족인원의 "
                                                "비율로 나눴습니다(학사 500명, 석·박사 120명).")
    assert render_note(ids[0], "en", NAMES).startswith("backlog by education: split as the 2022 shortage by level on "
                                                       "the KIAT industrial technology workforce definition (Bachelor")
    assert render_note(ids[1], "ko") == "한국어 설명." and render_note(ids[1], "en") == "An English note."


@pytest.mark.parametrize(("value", "spec", "lang", "shown"), [
    (2027.0, "", "ko", "2027"), (2027, "", "en", "2027"), (181308.4, ",.0f", "ko", "181,308"),
    (-3185.2, "+,.0f", "en", "−3,185"), (701.0, "+,.0f", "ko", "+701"), (0.131, ".1%", "ko", "13.1%"),
    (0.1, ".0%", "en", "10%"), (0.01, "+.1%", "en", "+1.0%"), (1.7, "g", "ko", "1.7"), (2000.0, "g", "ko", "2,000"),
    (float("inf"), ".1f", "en", "inf"),
], ids=lambda v: repr(v))
def test_numbers_follow_the_placeholder_and_the_language(value, spec, lang, shown):
    assert number(value, spec, lang) == shown


def test_a_note_without_an_id_stays_english_and_says_so():
    shown = result_notes({"notes": ["stored before ids"], "note_ids": []}, "ko")
    assert shown[0].text == "stored before ids" and shown[0].lang == "en"


def test_model_file_notes_have_their_korean():
    for sector, spec in sector_specs().items():
        assert spec.notes, sector
        for n in spec.notes:
            assert isinstance(n, Text) and HANGUL.search(n.ko) and not HANGUL.search(n), sector
        if spec.policy_label:
            assert HANGUL.search(spec.policy_label.ko), sector


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    store = Store.open(f"sqlite:///{tmp_path_factory.mktemp('notes') / 'n.db'}")
    key = create_key(store, role="analyst", name="n")
    ko, en = TestClient(create_app(store)), TestClient(create_app(store))
    sign_in(ko, key, "ko")
    sign_in(en, key, "en")
    return {"ko": ko, "en": en, "headers": {"Authorization": f"Bearer {key}"}}


def model_notes(html: str) -> list[str]:
    block = re.search(r'<ul id="model-notes">(.*?)</ul>', html, flags=re.S)
    assert block, "the page lists the model's notes"
    return re.findall(r"<li([^>]*)>(.*?)</li>", block.group(1), flags=re.S)


@pytest.mark.parametrize("sector", SECTORS)
def test_korean_sector_page_shows_every_model_note_in_korean(app, sector):
    html = app["ko"].get(f"/ui/sectors/{sector}?lang=ko").text
    assert "<summary><b>모형 설명</b></summary>" in html
    items = model_notes(html)
    assert len(items) >= 4
    for attrs, text in items:
        assert 'lang="en"' not in attrs and HANGUL.search(text), f"English note on the Korean page: {text}"
        assert not re.search(r"\b\d{4,}\.0\b", text), f"float artefact in {text}"


@pytest.mark.parametrize("sector", SECTORS)
def test_english_sector_page_shows_english_notes_and_the_json_keeps_its_english(app, sector):
    items = model_notes(app["en"].get(f"/ui/sectors/{sector}?lang=en").text)
    assert items and all(not HANGUL.search(text) for _, text in items)
    body = app["en"].get(f"/api/v1/forecasts/{sector}", headers=app["headers"]).json()
    assert len(body["note_ids"]) == len(body["notes"]) and all(body["note_ids"])
    assert all(isinstance(n, str) and not HANGUL.search(n) for n in body["notes"])
    assert body["notes"][:len(sector_specs()[sector].notes)] == list(sector_specs()[sector].notes)
    if sector == "semiconductor":
        assert "backlog: the 2022 shortage of 1,784 is added to the first projected year's openings" in body["notes"]


def test_skill_gap_method_reads_in_the_page_language(app):
    client = app["ko"]
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/ui/gap?lang=ko").text).group(1)
    html = client.post("/ui/gap", data={"csrf": token, "sector": "battery", "w_cell_design": "1"}).text
    method = re.search(r'<p class="meta" id="gap-method"([^>]*)>([^<]+)</p>', html)
    assert method and 'lang="en"' not in method.group(1) and method.group(2).startswith("수요는 역량이 비슷한 직무의 구인수요")
