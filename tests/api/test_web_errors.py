"""Errors in the page's language: upload problems by row and column, error pages, form errors from the
service, sign-in and CSRF errors come from the errors catalogue in Korean on Korean pages and in English
on English ones, while HTTP JSON error bodies keep their English text and shape."""

from __future__ import annotations

import html
import io
import re

import pytest
from fastapi.testclient import TestClient

from talentgap.api.http.app import create_app
from talentgap.data.keys import create_key
from talentgap.data.store import Store
from talentgap.i18n import msg

from .web_client import csrf, sign_in

HANGUL = re.compile("[가-힣]")
HEADER = "series_id,sector,metric,definition,occupation,education,region,year,value,unit,source_id\n"
BAD_YEAR = HEADER + "battery.stock.kiat_emerging,battery,stock,kiat_emerging,,,,20x3,61000,persons,bat-w01\n"


@pytest.fixture(scope="module")
def app_and_key(tmp_path_factory):
    store = Store.open(f"sqlite:///{tmp_path_factory.mktemp('web-errors') / 'e.db'}")
    return create_app(store), create_key(store, role="analyst", name="errors")


def signed_in(app_and_key, lang: str) -> TestClient:
    app, key = app_and_key
    c = TestClient(app)
    sign_in(c, key, lang)
    c.cookies.set("tg_lang", lang)
    return c


def problems(html: str) -> list[str]:
    box = re.search(r'<div class="error" id="upload-errors".*?</div>', html, re.S).group()
    return re.findall(r"<li>(.*?)</li>", box, re.S)


def test_a_korean_upload_of_a_bad_csv_shows_korean_problems_naming_row_and_column(app_and_key):
    c = signed_in(app_and_key, "ko")
    r = c.post("/ui/data/upload", data={"csrf": csrf(c)}, files={"file": ("bad.csv", BAD_YEAR.encode(), "text/csv")})
    assert r.status_code == 422 and "bad.csv: 사용 중인 데이터는 바뀌지 않았습니다" in r.text
    assert problems(r.text) == ["2행, year 열: 1950~2100 사이의 정수 연도여야 합니다 (입력: &#39;20x3&#39;)"]


def test_an_english_upload_of_the_same_csv_shows_english_problems(app_and_key):
    c = signed_in(app_and_key, "en")
    r = c.post("/ui/data/upload", data={"csrf": csrf(c)}, files={"file": ("bad.csv", BAD_YEAR.encode(), "text/csv")})
    assert r.status_code == 422
    assert problems(r.text) == ["row 2, column year: must be a whole year between 1950 and 2100 (got &#39;20x3&#39;)"]


@pytest.mark.parametrize("content, korean", [
    (b"PK\x03\x04 not a zip", "파일: 읽을 수 있는 XLSX 통합문서가 아닙니다 (손상된 부분: zip archive)"),
    (b"series_id,color\nx,red\n", "color 열: 알 수 없는 열입니다"),
    (b"", "파일: 비어 있습니다"),
], ids=["damaged xlsx", "unknown column", "empty file"])
def test_file_level_upload_problems_are_korean_too(app_and_key, content, korean):
    c = signed_in(app_and_key, "ko")
    r = c.post("/ui/data/upload", data={"csrf": csrf(c)}, files={"file": ("f.xlsx", content, "text/csv")})
    shown = problems(r.text)
    assert r.status_code == 422 and len(shown) == 1 and shown[0].startswith(korean), shown


@pytest.mark.parametrize("lang, text", [("ko", "없는 페이지입니다"), ("en", "no such page")])
def test_an_unknown_page_answers_in_the_page_language(app_and_key, lang, text):
    r = signed_in(app_and_key, lang).get(f"/ui/no-such-page?lang={lang}")
    assert r.status_code == 404 and f'<html lang="{lang}">' in r.text
    assert f'<p class="error">{text}</p>' in r.text


def test_a_domain_error_page_is_korean_on_a_korean_page(app_and_key):
    r = signed_in(app_and_key, "ko").get("/ui/sectors/steel")
    message = re.search(r'<p class="error">(.*?)</p>', r.text).group(1)
    assert r.status_code == 404 and message.startswith("알 수 없는 산업 &#39;steel&#39;"), message


def test_scenario_lever_errors_from_the_service_are_korean_with_the_field_label(app_and_key):
    c = signed_in(app_and_key, "ko")
    r = c.post("/ui/scenario", data={"csrf": csrf(c), "sector": "battery", "entry_rate": "5"})
    assert r.status_code == 422
    assert "레버 산업 진입률(0~1): 0~1 사이여야 합니다 (입력: 5)" in r.text and "must be between" not in r.text


def test_a_form_posted_without_the_csrf_token_is_refused_in_korean(app_and_key):
    r = signed_in(app_and_key, "ko").post("/ui/scenario", data={"sector": "battery"})
    assert r.status_code == 403 and "양식이 오래되었거나" in r.text and "out of date" not in r.text


@pytest.mark.parametrize("lang, text", [("ko", "알 수 없거나 폐기된 키입니다"), ("en", "unknown or revoked key")])
def test_a_failed_sign_in_says_so_in_the_page_language(app_and_key, lang, text):
    r = TestClient(app_and_key[0]).get(f"/ui/login?error=1&lang={lang}")
    assert r.status_code == 401 and f'id="login-error">{text}</p>' in r.text


def test_http_json_errors_keep_their_english_text_and_shape(app_and_key):
    app, key = app_and_key
    c = TestClient(app, headers={"Authorization": f"Bearer {key}"})
    body = c.get("/api/v1/sectors/steel").json()
    assert body == {"error": {"code": "sector.unknown",
                              "message": "unknown sector 'steel'; sectors are semiconductor, battery, quantum, 6g, "
                                         "security"}}
    r = c.post("/api/v1/datasets", files={"file": ("bad.csv", io.BytesIO(BAD_YEAR.encode()), "text/csv")})
    assert r.status_code == 422 and r.json() == {"error": {
        "code": "upload.invalid", "message": "1 problem(s) in the upload",
        "problems": ["row 2, column year: must be a whole year between 1950 and 2100 (got '20x3')"]}}
    assert not HANGUL.search(r.text)


def test_why_a_report_failed_shows_in_the_page_language_and_the_api_keeps_its_id(tmp_path):
    from datetime import UTC, datetime, timedelta

    from talentgap.data.reports import add_report, fail_abandoned, failure, update_report
    from talentgap.models.sector import UnknownSector

    store = Store.open(f"sqlite:///{tmp_path / 'r.db'}")
    params = {"formats": ["html"], "sectors": None, "scenario": "trend", "horizon": None, "lang": "ko"}
    add_report(store, report_id="r-stale", params=params)
    later = datetime.now(UTC) + timedelta(seconds=30)
    assert fail_abandoned(store, stale_after=timedelta(seconds=2), now=later) == ["r-stale"]
    add_report(store, report_id="r-coded", params=params)
    update_report(store, "r-coded", status="failed", **failure(UnknownSector(msg("sector.unknown", sector="'steel'",
                                                                                 sectors="battery"))))
    add_report(store, report_id="r-ours", params=params)
    update_report(store, "r-ours", status="failed", **failure(RuntimeError("renderer crashed")))
    key = create_key(store, role="admin", name="a")
    c = TestClient(create_app(store))
    sign_in(c, key, "ko")
    page = html.unescape(c.get("/ui/reports").text)
    assert "중단됨: 작성하던 프로세스가 멈췄습니다(2초 동안 응답 없음)" in page
    assert "알 수 없는 산업 'steel'" in page and "RuntimeError: renderer crashed" in page
    api = {r["id"]: r for r in c.get("/api/v1/reports", headers={"Authorization": f"Bearer {key}"}).json()}
    assert api["r-stale"]["error"].startswith("interrupted: the process running it stopped (no sign of life for 2 s)")
    assert api["r-stale"]["error_id"] == {"key": "report.interrupted", "params": {"seconds": "2"}}
    assert api["r-coded"]["error"] == "unknown sector 'steel'; sectors are battery"
    assert api["r-ours"]["error_id"] is None
