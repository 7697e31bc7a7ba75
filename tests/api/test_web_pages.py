"""The web UI's answers through the app (no browser): headline sentences, words for ids, Korean pages,
the scenario effect, the programme verdict, report statuses, upload errors and the web font."""

from __future__ import annotations

import re
from html import unescape

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from talentgap.api.http.app import create_app
from talentgap.api.render.names import education_name, scenario_name, sector_name
from talentgap.api.render.numbers import plain, tidy
from talentgap.data.store import Store
from talentgap.i18n import translator
from talentgap.seeds.loader import seed_dataset
from talentgap.seeds.specs import sector_specs
from talentgap.seeds.vocab import SECTORS

from .web_client import csrf, sign_in, web_client


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    return web_client(Store.open(f"sqlite:///{tmp_path_factory.mktemp('web') / 'w.db'}"))


def test_home_cards_answer_with_one_window_and_a_chart(client):
    html = client.get("/ui/?lang=ko").text
    heads = [plain(h) for h in re.findall(r'<p class="headline">([^<]+)</p>', html)]
    assert len(heads) == 5
    assert all(re.match(r"\d{4}년 (신규 입직 부족|초과공급) ([\d,]+|[\d.]+만 )명/년 \(", h) for h in heads), heads
    assert len({re.search(r"(\d{4}~\d{4})년 신규 입직 누적", h).group(1) for h in heads}) == 1, "one cumulative window"
    assert html.count('class="chart card-chart"><svg') == 5 and "<text" in html


def test_korean_sector_page_shows_words_not_ids(client):
    html = client.get("/ui/sectors/semiconductor?lang=ko").text
    assert '<html lang="ko">' in html and "반도체 산업기술인력" in html
    # text without a Korean edition would be marked lang="en"; the rest, the model's notes, rationales and
    # source descriptions included, is Korean
    korean = re.sub(r'<(ul|td|span|p) [^>]*lang="en"[^>]*>.*?</\1>', " ", html.split('id="sources"')[0], flags=re.S)
    visible = re.sub(r'title="[^"]*"|<[^>]+>', " ", korean)
    for raw in ("kiat_itw", "drift-from-growth-rates", "master_phd", "separation_rate", "nowcast"):
        assert raw not in visible, f"{raw!r} shown on the Korean page"
    assert not re.search(r"\b\d{4,}\.0\b", visible), "no float artefacts such as 2027.0 or 49000.0"
    assert "부족 (명/년)" in html and "시나리오 실험" in html


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_source_descriptions_and_rationales_follow_the_page_language(client, lang):
    ko = lang == "ko"
    sources = seed_dataset().sources.set_index("source_id")
    html = client.get(f"/ui/sectors/semiconductor?lang={lang}").text
    listed = re.findall(r'<li><a href="/ui/sources/([^"]+)">([^<]+)</a> <span class="meta">[^<]+</span></li>',
                        html.split('id="sources"')[1])
    assert len(listed) >= 5
    assert [unescape(text) for _, text in listed] == [tidy(sources.loc[s, "description_ko" if ko else "description"],
                                                           lang) for s, _ in listed]
    table = html.split('id="assumptions"')[1].split("</table>")[0]
    entry = sector_specs()["semiconductor"].assumptions["entry_rate"]
    assert str(escape(tidy(entry.rationale_ko if ko else entry.rationale, lang))) in table
    assert 'lang="en"' not in table and 'lang="en"' not in html.split('id="sources"')[1]
    page = client.get(f"/ui/sources/semi-w02?lang={lang}").text
    shown = unescape(re.search(r'id="source-description">([^<]+)<', page).group(1))
    assert shown == tidy(sources.loc["semi-w02", "description_ko" if ko else "description"], lang)


def test_programme_entry_rate_source_is_korean_on_a_korean_page(client):
    r = client.post("/ui/program?lang=ko", data={"csrf": csrf(client), "name": "보안", "sector": "security",
                                                 "degree": "bachelor", "seats_per_year": "40", "w_security_operations": "1"})
    assert r.status_code == 200, r.text
    shown = unescape(re.search(r'id="entry-rate-source">([^<]+)<', r.text).group(1))
    rationale = sector_specs()["security"].assumptions["entry_rate"].rationale_ko
    assert shown == tidy(f"사이버보안 부문의 진입률 가정 ({rationale})", "ko")


def test_scenario_page_states_the_effect_in_persons(client):
    r = client.post("/ui/scenario", data={"csrf": csrf(client), "sector": "semiconductor", "base": "trend",
                                          "action": "run", "extra_graduates": "500", "start_year": "2027"})
    assert r.status_code == 200
    effect = plain(re.search(r'id="effect">([^<]+)<', r.text).group(1))
    assert re.match(r"2027년부터 졸업생 \+500명: 2025~2035년 누적 부족 −[\d,]+명 \(−[\d.]+%\)", effect), effect
    assert "산업 진입률" in r.text and "산업 진입" in r.text, "graduates become fewer entrants, in persons"
    assert 'id="scenario-chart"' in r.text and 'class="secondary">시나리오 저장' in r.text


def test_programme_verdict_and_skills_to_add(client):
    r = client.post("/ui/program", data={"csrf": csrf(client), "name": "배터리 공정", "sector": "battery",
                                         "degree": "master", "seats_per_year": "30", "w_production_engineering": "1"})
    assert r.status_code == 200
    verdict = re.search(r'id="verdict">([^<]+)<', r.text).group(1)
    assert verdict.startswith("배터리 공정: 2035년 졸업생 1인당 구인수요") and "1 " in verdict
    assert "등록 교육과정" in r.text
    rows = re.findall(r'<td class="l" data-skill="([a-z_]+)">[^<]+</td><td>([\d.]+)</td>', r.text)
    assert rows and all(skill != "production_engineering" and 0 < float(w) <= 1 for skill, w in rows), rows


def test_reports_page_polls_without_a_meta_refresh(client):
    html = client.get("/ui/reports?lang=ko").text
    assert 'http-equiv="refresh"' not in html and '/static/reports.js' in html and 'aria-live="polite"' in html
    assert "아직 보고서가 없습니다" in html
    r = client.get("/ui/reports/status")
    assert r.status_code == 200 and r.json() == []
    assert "<script>" not in html, "no inline script under the CSP"


def test_upload_error_names_the_file_and_says_nothing_changed(client):
    files = {"file": ("조사.csv", b"series_id,sector\n,steel\n", "text/csv")}
    r = client.post("/ui/data/upload", data={"csrf": csrf(client)}, files=files)
    assert r.status_code == 422 and "조사.csv: 사용 중인 데이터는 바뀌지 않았습니다" in r.text
    assert client.get("/ui/data/template.csv").text.startswith("series_id,sector,metric")
    xlsx = client.get("/ui/data/template.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK" and "template.xlsx" in r.text


def test_web_font_is_a_cached_woff2_subset(client):
    css = client.get("/static/style.css").text
    url = re.search(r'url\("(/static-font/[^"]+\.woff2)"\)', css).group(1)
    r = client.get(url)
    assert r.status_code == 200 and r.headers["content-type"] == "font/woff2" and r.content[:4] == b"wOF2"
    assert "max-age=31536000" in r.headers["cache-control"] and len(r.content) < 1_000_000


def test_failed_sign_in_keeps_the_language(tmp_path):
    c = TestClient(create_app(Store.open(f"sqlite:///{tmp_path / 'l.db'}")))
    r = sign_in(c, "tg_wrong", "ko", follow_redirects=False)
    assert r.status_code == 303 and "lang=ko" in r.headers["location"]
    assert '<html lang="ko">' in c.get(r.headers["location"]).text


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_home_opens_with_key_messages_and_the_ranking_with_probabilities(client, lang):
    from talentgap.api.render.names import sector_name

    html = client.get(f"/ui/?lang={lang}").text
    assert html.index('id="key-messages"') < html.index('class="card sector-card"'), "the message comes first"
    messages = [plain(unescape(m)) for m in re.findall(r'<ul class="messages">(.*?)</ul>', html, re.S)[0]
                .split("<li>")[1:]]
    assert 3 <= len(messages) <= 5 and all(any(c.isdigit() for c in m) for m in messages[:1])
    table = re.search(r'<table id="ranking".*?</table>', html, re.S).group(0)
    rows = re.findall(r'<tr class="rank-(shortage|balance|surplus)">(.*?)</tr>', table, re.S)
    assert len(rows) == 5
    names = [plain(unescape(re.search(r'<a [^>]*>([^<]+)</a>', r).group(1))) for _, r in rows]
    assert names[0] in messages[0] and set(names) == {sector_name(s, lang) for s in SECTORS}
    probabilities = [re.findall(r"<td>(\d+)%</td>", r) for _, r in rows]
    assert all(len(p) == 1 and 0 <= int(p[0]) <= 100 for p in probabilities), probabilities
    words = {"en": ("Shortage", "Balance", "Surplus"), "ko": ("부족", "균형", "초과공급")}[lang]
    assert all(any(f'<td class="l">{w}</td>' in r for w in words) for _, r in rows)
    assert html.count('class="own-scale"') == 5 and html.count('class="meta card-sources"') == 5


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_empty_scenario_page_shows_the_baseline(client, lang):
    html = client.get(f"/ui/scenario?sector=battery&lang={lang}").text
    head = plain(re.search(r'id="baseline-effect">([^<]+)<', html).group(1))
    assert re.search(r"\d{4}", head) and 'id="baseline-chart"><svg' in html
    assert ('기준 전망' if lang == "ko" else "Baseline") in head


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_bad_field_is_marked_and_focused(client, lang):
    r = client.post(f"/ui/scenario?lang={lang}", data={"csrf": csrf(client), "sector": "semiconductor", "base": "trend",
                                                       "action": "run", "entry_rate": "2", "reskilling": "lots"})
    assert r.status_code == 422
    inputs = {m.group(1): m.group(0) for m in re.finditer(r'<input type="text" inputmode="decimal" name="(\w+)"[^>]*>', r.text)}
    assert 'aria-invalid="true"' in inputs["reskilling"] and "autofocus" in inputs["reskilling"]
    assert 'class="invalid"' in inputs["reskilling"]
    assert all("aria-invalid" not in tag for name, tag in inputs.items() if name != "reskilling")
    r = client.post(f"/ui/scenario?lang={lang}", data={"csrf": csrf(client), "sector": "semiconductor", "base": "trend",
                                                       "action": "run", "entry_rate": "2", "reskilling": "10"})
    inputs = {m.group(1): m.group(0) for m in re.finditer(r'<input type="text" inputmode="decimal" name="(\w+)"[^>]*>', r.text)}
    assert r.status_code == 422 and "autofocus" in inputs["entry_rate"] and "aria-invalid" not in inputs["reskilling"]


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_saved_scenarios_are_listed_and_two_compared(tmp_path, lang):
    c = web_client(Store.open(f"sqlite:///{tmp_path / 'w.db'}"), lang=lang)
    assert 'id="no-saved"' in c.get("/ui/scenario?sector=battery").text
    for name, grads in (("more grads", "800"), ("few grads", "100")):
        r = c.post("/ui/scenario", data={"csrf": csrf(c), "sector": "battery", "base": "trend", "action": "save",
                                         "name": name, "extra_graduates": grads})
        assert r.status_code == 200, r.text
        saved = plain(unescape(re.search(r'id="saved" role="status">([^<]+)<', r.text).group(1)))
        assert f"“{name}”" in saved and ("저장했습니다" if lang == "ko" else "Saved as") in saved
    html = c.get("/ui/scenario?sector=battery").text
    listed = re.findall(r'<li><a href="/ui/sectors/battery\?scenario=[^"]+">([^<]+)</a>', html.split('id="saved-list"')[1])
    assert listed == ["more grads", "few grads"]
    html = c.get("/ui/scenario", params={"sector": "battery", "a": "more grads", "b": "few grads"}).text
    table = html.split('id="compare-saved"')[1].split("</table>")[0]
    rows = re.findall(r"<tr><td>(\d{4})</td>(.*?)</tr>", table)
    assert len(rows) >= 10
    diffs = [plain(re.findall(r"<td>(.*?)</td>", cells)[2]) for _, cells in rows]
    assert all(re.fullmatch(r"\+[\d,]+", d) for d in diffs), "fewer graduates leave a larger gap every year"
    baseline = c.get("/ui/scenario", params={"sector": "battery", "a": "trend", "b": "few grads"}).text
    heading = plain(re.search(r'id="compared-heading">([^<]+)<', baseline).group(1))
    assert 'id="compare-saved"' in baseline and heading.startswith(f"{scenario_name('trend', lang)} · few grads")


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_programme_answer_restates_its_inputs_and_draws_its_outlook(client, lang):
    r = client.post(f"/ui/program?lang={lang}", data={"csrf": csrf(client), "name": "Cell line", "sector": "battery",
                                                      "degree": "master", "seats_per_year": "35", "region": "Ulsan",
                                                      "w_production_engineering": "1"})
    assert r.status_code == 200, r.text
    inputs = plain(unescape(re.search(r'id="programme-inputs">([^<]+)<', r.text).group(1)))
    for part in ("Cell line", "35", "Ulsan", education_name("master", lang), sector_name("battery", lang)):
        assert part in inputs, (part, inputs)
    svg = re.search(r'<svg role="img"[^>]*id="programme-chart">.*?</svg>', r.text, flags=re.S).group(0)
    assert "<title" in svg and "2035" in svg
    t = translator(lang)
    assert re.findall(r'data-series="(\w+)"', svg) == ["graduates", "openings"], "two series, each a line"
    labels = [unescape(x) for x in re.findall(r'class="series-label">([^<]+)<', svg)]
    assert sorted(labels) == sorted([t("chart.openings"), t("chart.graduates")]), "each line named at its end"
    assert f'class="unit">{t("persons_year_axis")}<' in svg, "the unit is the axis title"
    lines = [plain(unescape(x)) for x in re.findall(r"<li>([^<]+)</li>", r.text.split('id="skills-to-add-words"')[1])]
    names = re.findall(r'data-skill="[a-z_]+">([^<]+)<', r.text)
    assert lines and len(lines) == len(names) and all(n in line for n, line in zip(names, lines))
    persons = r"약 [\d,]+명|about [\d,]+ (more )?people"
    assert all(re.search(persons, line) and "2035" in line for line in lines), lines
    assert not any(re.search(r"0[.,]\d\d\D+0[.,]\d\d", line) for line in lines), "people, not index changes"


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_reports_are_listed_by_title_and_seoul_time_with_ids_in_links_only(tmp_path, lang):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from talentgap.data.reports import add_report, update_report

    store = Store.open(f"sqlite:///{tmp_path / 'r.db'}")
    add_report(store, report_id="r-20261204-abc123", params={"formats": ["pdf"], "sectors": ["battery", "quantum"],
                                                             "scenario": "trend", "horizon": None, "lang": "ko"})
    update_report(store, "r-20261204-abc123", status="done")
    c = web_client(store, lang=lang)
    page = c.get("/ui/reports").text
    row = page.split('data-id="r-20261204-abc123"')[1].split("</tr>")[0]
    title = plain(unescape(re.search(r'class="l report-title">([^<]+)<', row).group(1)))
    assert title == ("표준 보고서, 한국어판 · 이차전지, 양자" if lang == "ko" else
                     f"Standard report, Korean edition · {sector_name('battery', 'en')}, {sector_name('quantum', 'en')}")
    stamp, shown = re.search(r'<time datetime="([^"]+)">([^<]+)</time>', row).groups()
    at = datetime.fromisoformat(stamp).astimezone(ZoneInfo("Asia/Seoul"))
    expected = (f"{at.year}년 {at.month}월 {at.day}일 {at:%H:%M}" if lang == "ko"
                else f"{at.day} {at:%B} {at.year}, {at:%H:%M}")
    assert plain(shown) == expected
    visible = re.sub(r"<[^>]+>", " ", re.sub(r'(href|data-id)="[^"]*"', "", row))
    assert "r-20261204-abc123" not in visible and "download?format=pdf" in row and "UTC" not in page


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_long_forms_carry_the_progress_script_and_words(client, lang):
    word = "계산 중…" if lang == "ko" else "Computing…"
    for path, form_id in (("/ui/gap", "gap-form"), ("/ui/program", "program-form"), ("/ui/scenario", "scenario-form")):
        html = client.get(f"{path}?lang={lang}").text
        tag = re.search(rf'<form [^>]*id="{form_id}"[^>]*>', html).group(0)
        assert f'data-progress="{word}"' in tag, (path, tag)
        assert '<script src="/static/progress.js" defer></script>' in html and "<script>" not in html
    assert client.get("/static/progress.js").status_code == 200


@pytest.mark.parametrize("lang,words", [("ko", "관측 없음"), ("en", "no observation")])
def test_a_sector_without_any_observation_gets_the_lowest_grade_and_says_so(client, lang, words):
    """6G's demand is an assumed level with no observation behind it: grade D, said in words, on its page
    and on its dashboard card; a sector with observations keeps a grade from A to C."""
    page = client.get(f"/ui/sectors/6g?lang={lang}").text
    assert re.search(r'id="grade">D</span> \(([^)]+)\)', page).group(1).startswith(words)
    assert re.search(r'id="grade">[ABC]</span>', client.get(f"/ui/sectors/quantum?lang={lang}").text)
    home = client.get(f"/ui/?lang={lang}").text
    assert home.count('class="grade">D<') == 1
