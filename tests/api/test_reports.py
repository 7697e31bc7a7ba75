"""The standard report: contents, numbers, self-containment, failure, archive, jobs and schedules."""

from __future__ import annotations

import csv
import re
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape
from typer.testing import CliRunner

from talentgap.api.cli import app as cli
from talentgap.api.http.app import create_app
from talentgap.api.jobs import Scheduler
from talentgap.api.render.numbers import people, plain, tidy
from talentgap.api.render.report import write_report
from talentgap.data.keys import create_key
from talentgap.data.reports import add_schedule, claim_due, get_report, list_reports, list_schedules
from talentgap.data.store import Store
from talentgap.seeds.loader import seed_dataset
from talentgap.seeds.specs import sector_specs

SECTORS = ["battery", "security"]


@pytest.fixture
def full_store(db_url) -> Store:
    return Store.open(db_url)


def test_report_sections_and_numbers_match_the_forecast(full_store, tmp_path):
    from talentgap.api.service import get_forecast

    info = write_report(store=full_store, out_dir=tmp_path, formats=["html"], sectors=SECTORS)
    folder = Path(info["directory"])
    assert sorted(p.name for p in folder.iterdir()) == ["data.csv", "report.html", "report.json"]
    html = (folder / "report.html").read_text(encoding="utf-8")
    # the Korean edition (the default) answers first: one headline sentence and a small chart per sector
    summary = html[html.index('id="summary"'):html.index('class="sector"')]
    assert summary.count("<svg") == len(SECTORS) and summary.count('class="headline"') == len(SECTORS)
    windows = re.findall(r'<p class="headline">[^<]*· (\d{4}~\d{4})년 신규 입직 누적', plain(summary))
    assert len(windows) == len(SECTORS) and len(set(windows)) == 1, "one cumulative window for every sector"
    for heading in ("부족 규모 · 시기 · 확실성", "부족 · 연도", "가정", "출처", "예측 정확도", "이전 보고서 대비 변경"):
        assert heading in html
    appendix = html[html.index('id="appendix"'):]
    assert "예측 정확도" in appendix and 'id="coverage"' in appendix, "the backtest sits in the appendix"
    assert html.count("<svg") >= 4 * len(SECTORS), "a small chart and three sector charts per sector"
    assert "<text" in html and "<title" in html, "charts keep their text as text"
    assert "이차전지" in html and "사이버보안" in html
    # self-contained: no script, stylesheet or image is fetched from anywhere
    assert not re.search(r"<(script|img|link)[^>]+(src|href)=", html)
    forecast = get_forecast(store=full_store, sector="battery")
    with open(folder / "data.csv", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["sector"] == "battery" and r["section"] == "forecast"]
    by = {(int(r["year"]), r["item"]): float(r["p50"]) for r in rows}
    for row in forecast.rows:
        assert by[(row.year, "gap")] == pytest.approx(row.gap.p50)
        assert by[(row.year, "demand")] == pytest.approx(row.demand.p50)
    # the page rounds to what the data support (tables too); data.csv keeps every digit
    assert people(forecast.rows[-1].demand.p50, "ko", prose=False) in html


def test_second_report_lists_what_changed(full_store, tmp_path):
    first = write_report(store=full_store, out_dir=tmp_path, formats=["html"], sectors=["battery"])
    header = "series_id,sector,metric,definition,occupation,education,region,year,value,unit,source_id\n"
    upload = tmp_path / "new.csv"
    upload.write_text(header + ",battery,stock,kiat_emerging,,,,2023,64000,persons,bat-w01\n", encoding="utf-8")
    full_store.import_file(upload)
    second = write_report(store=full_store, out_dir=tmp_path, formats=["html"], sectors=["battery"])
    html = (Path(second["directory"]) / "report.html").read_text(encoding="utf-8")
    assert f"이전 보고서 {first['id']}(데이터 버전 1), 이번 보고서는 데이터 버전 2입니다." in html
    assert second["dataset_version"] == 2


@pytest.mark.slow
def test_pdf_has_pages_and_the_korean_font(full_store, tmp_path):
    info = write_report(store=full_store, out_dir=tmp_path, formats=["pdf"], sectors=["battery"])
    pdf = (Path(info["directory"]) / "report.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and len(pdf) > 20_000
    assert any(b"NanumGothic" in chunk for chunk in _pdf_streams(pdf)), "the Korean font is embedded"


def _pdf_streams(pdf: bytes):
    """The raw bytes plus every Flate-decoded stream of a PDF (font names live in compressed objects)."""
    import zlib

    yield pdf
    for m in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            yield zlib.decompress(m.group(1))
        except zlib.error:
            continue


def test_failed_render_leaves_nothing_and_is_archived(full_store, tmp_path, monkeypatch):
    from talentgap.api.render import report as report_module

    def broken(html, out):
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr(report_module, "render_pdf", broken)
    out = tmp_path / "reports"
    with pytest.raises(RuntimeError):
        write_report(store=full_store, out_dir=out, formats=["html", "pdf"], sectors=["battery"])
    assert list(out.iterdir()) == []
    failed = list_reports(full_store)[0]
    assert failed["status"] == "failed" and "renderer crashed" in failed["error"]


def test_cli_exit_codes(db_url, tmp_path):
    runner = CliRunner()
    res = runner.invoke(cli, ["report", "--out", str(tmp_path / "r"), "--format", "html", "--sector", "battery", "--db", db_url])
    assert res.exit_code == 0, res.output
    report_id = res.stdout.strip().splitlines()[-1]
    assert (tmp_path / "r" / report_id / "report.html").exists()
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    res = runner.invoke(cli, ["report", "--out", str(blocked / "sub"), "--format", "html", "--db", db_url])
    assert res.exit_code == 1 and "not writable" in res.output
    res = runner.invoke(cli, ["report", "--out", str(tmp_path), "--format", "docx", "--db", db_url])
    assert res.exit_code == 2 and "format must be html, pdf" in res.output
    res = runner.invoke(cli, ["report", "--out", str(tmp_path), "--sector", "steel", "--db", db_url])
    assert res.exit_code == 2 and "unknown sector 'steel'" in res.output


def test_scheduled_job_fires_on_a_controlled_clock(full_store, tmp_path):
    t0 = datetime(2026, 1, 1, 5, 59, tzinfo=UTC)
    add_schedule(full_store, name="daily", cron="0 6 * * *",
                 params={"formats": ["html"], "sectors": ["battery"], "scenario": "trend", "horizon": None,
                         "out": str(tmp_path)}, now=t0)
    clock = {"now": t0}
    sched = Scheduler(full_store, log=lambda m: None, clock=lambda: clock["now"])
    assert sched.tick() == []  # not due yet
    clock["now"] = t0 + timedelta(minutes=1)
    done = sched.tick()
    assert [d["status"] for d in done] == ["done"]
    archived = get_report(full_store, done[0]["report_id"])
    assert archived["schedule"] == "daily" and archived["status"] == "done"
    assert (Path(archived["directory"]) / "report.html").exists()
    assert sched.tick() == [], "the next run is tomorrow"
    (s,) = list_schedules(full_store)
    assert s["next_run_at"] == datetime(2026, 1, 2, 6, 0, tzinfo=UTC) and s["last_status"] == "done"


def test_running_schedule_is_not_started_twice_and_failures_retry(full_store, tmp_path):
    t0 = datetime(2026, 1, 1, 0, 0, tzinfo=UTC)
    add_schedule(full_store, name="often", cron="* * * * *",
                 params={"formats": ["html"], "sectors": ["steel"], "scenario": "trend", "horizon": None,
                         "out": str(tmp_path)}, now=t0)
    later = t0 + timedelta(minutes=1)
    first = claim_due(full_store, now=later)
    assert [s["name"] for s in first] == ["often"]
    assert claim_due(full_store, now=later) == [], "the lease stops a second start"
    from talentgap.data.reports import finish_run

    finish_run(full_store, "often", now=later, status="done")
    sched = Scheduler(full_store, log=lambda m: None, clock=lambda: later + timedelta(minutes=1))
    outcome = sched.tick()
    assert outcome[0]["status"] == "failed" and "unknown sector 'steel'" in outcome[0]["error"]
    (s,) = list_schedules(full_store)
    assert s["last_status"] == "failed" and "steel" in s["last_error"] and not s["running"]
    assert s["next_run_at"] > later + timedelta(minutes=1), "retried at the next tick"


def test_report_jobs_over_http(full_store, tmp_path, monkeypatch):
    monkeypatch.setenv("TALENTGAP_REPORTS_DIR", str(tmp_path / "archive"))
    from talentgap.data import settings

    settings.get_settings.cache_clear()
    try:
        client = TestClient(create_app(full_store))
        reporter = {"Authorization": f"Bearer {create_key(full_store, role='reporter', name='job')}"}
        university = {"Authorization": f"Bearer {create_key(full_store, role='university', name='uni')}"}
        body = {"formats": ["html"], "sectors": ["battery"], "lang": "en"}
        assert client.post("/api/v1/reports", json=body, headers=university).status_code == 403
        r = client.post("/api/v1/reports", json=body, headers=reporter)
        assert r.status_code == 202 and r.json()["status"] in ("queued", "running")
        report_id = r.json()["id"]
        for _ in range(300):
            status = client.get(f"/api/v1/reports/{report_id}", headers=reporter).json()["status"]
            if status in ("done", "failed"):
                break
            time.sleep(0.1)
        assert status == "done"
        page = client.get(f"/api/v1/reports/{report_id}/download?format=html", headers=reporter)
        assert page.status_code == 200 and "Secondary batteries" in page.text
        assert client.get(f"/api/v1/reports/{report_id}/download?format=pdf", headers=reporter).status_code == 404
        assert client.get("/api/v1/reports/nope", headers=reporter).status_code == 404
        assert report_id in [x["id"] for x in client.get("/api/v1/reports", headers=reporter).json()]
        bad = client.post("/api/v1/reports", json={"sectors": ["steel"]}, headers=reporter)
        assert bad.status_code == 404
    finally:
        settings.get_settings.cache_clear()


def test_english_edition_speaks_english(full_store, tmp_path):
    """``lang="en"``: the same report in English, the same numbers, no Korean labels in its first part."""
    info = write_report(store=full_store, out_dir=tmp_path, formats=["html"], sectors=["battery"], lang="en")
    html = (Path(info["directory"]) / "report.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in html and "How big is the gap, when, how sure" in html
    summary = html[html.index('id="summary"'):html.index('class="sector"')]
    assert "2035 new-entrant gap" in summary and "summed 2025 to 2035" in plain(summary)
    assert not re.search("[가-힣]", summary), "no Korean in the English summary"
    assert "Appendix: accuracy, method and sources" in html
    with pytest.raises(ValueError, match="lang must be ko or en"):
        write_report(store=full_store, out_dir=tmp_path, formats=["html"], sectors=["battery"], lang="fr")


@pytest.mark.parametrize("lang,words", [("en", ("Supply by cohort", "by occupation", "Plan horizons")),
                                        ("ko", ("코호트 공급", "직무별", "계획 기간"))])
def test_method_appendix_describes_cohort_supply_breakdowns_and_plan_horizons(full_store, tmp_path, lang, words):
    info = write_report(store=full_store, out_dir=tmp_path, formats=["html"], sectors=["security"], lang=lang)
    html = (Path(info["directory"]) / "report.html").read_text(encoding="utf-8")
    appendix = html[html.index('id="appendix"'):]
    assert all(w in appendix for w in words)


def test_a_horizon_past_the_limit_is_refused_before_any_work(tmp_path):
    """The one horizon limit (base year + 30, never after 2060) holds for reports in the CLI and the API."""
    db = f"sqlite:///{tmp_path / 'h.db'}"
    store = Store.open(db)
    res = CliRunner().invoke(cli, ["report", "--out", str(tmp_path / "out"), "--format", "html", "--sector",
                                   "quantum", "--horizon", "2061", "--db", db])
    assert res.exit_code == 2 and "and at most 20" in res.output
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())
    client = TestClient(create_app(store))
    r = client.post("/api/v1/reports", json={"formats": ["html"], "sectors": ["quantum"], "horizon": 2061},
                    headers={"Authorization": f"Bearer {create_key(store, role='reporter', name='r')}"})
    assert r.status_code == 422 and "and at most 20" in r.json()["error"]["message"]
    early = client.post("/api/v1/reports", json={"formats": ["html"], "sectors": ["quantum"], "horizon": 2000},
                        headers={"Authorization": f"Bearer {create_key(store, role='reporter', name='e')}"})
    assert early.status_code == 422 and "after quantum's base year" in early.json()["error"]["message"]
    assert list_reports(store) == []


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_sources_rationales_and_definitions_follow_the_edition(full_store, tmp_path, lang):
    """The texts that come from the data (source descriptions, assumption rationales, the definition's
    description) are in the edition's language, not English marked ``lang="en"``."""
    info = write_report(store=full_store, out_dir=tmp_path, formats=["html"], sectors=["security"], lang=lang)
    html = (Path(info["directory"]) / "report.html").read_text(encoding="utf-8")
    ko = lang == "ko"
    sources = seed_dataset().sources.set_index("source_id")
    assert str(escape(tidy(sources.loc["sec-w21", "description_ko" if ko else "description"], lang))) in html
    for a in sector_specs()["security"].assumptions.values():
        assert str(escape(tidy(a.rationale_ko if ko else a.rationale, lang))) in html, a.name
    definitions = full_store.definitions().set_index("definition")
    assert str(escape(tidy(definitions.loc["kisia_industry_survey", "description_ko" if ko else "description"],
                           lang))) in html
    assert '<td class="l" lang="en">' not in html and '<span lang="en">' not in html
