"""In a real browser: a dataset version in which one sector's model cannot run (a battery stock imported
past the plausibility checks, far out of range) leaves the dashboard drawing the other sectors, with the
battery card saying why in words, in both languages."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .test_pages import CHROMIUM, HEADER, Page, free_port, sync_api

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--no-first-run",
                                                              "--disable-background-networking"])
        yield b
        b.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    import os
    import time
    import urllib.error
    import urllib.request

    tmp = tmp_path_factory.mktemp("fault")
    db = f"sqlite:///{tmp / 'f.db'}"
    exe = str(Path(sys.executable).with_name("talentgap"))
    bad = tmp / "bad.csv"
    bad.write_text(HEADER + ",battery,stock,kiat_emerging,,,,2023,1e200,persons,bat-w01\n", encoding="utf-8")
    subprocess.run([exe, "data", "import", str(bad), "--allow-implausible", "--db", db], check=True,
                   capture_output=True)
    out = subprocess.run([exe, "keys", "create", "--role", "reporter", "--name", "reader", "--db", db],
                         capture_output=True, text=True, check=True).stdout
    port = free_port()
    proc = subprocess.Popen([exe, "serve", "--port", str(port), "--db", db],
                            env={**os.environ, "TALENTGAP_REPORTS_DIR": str(tmp / "reports")},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            urllib.request.urlopen(base + "/api/v1/health", timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    key = out.strip().splitlines()[-1]
    # compute the forecasts once before any page asks (a busy machine may need longer than a page load)
    for sector in ("semiconductor", "battery", "quantum", "6g", "security"):
        request = urllib.request.Request(f"{base}/api/v1/forecasts/{sector}", headers={"Authorization": f"Bearer {key}"})
        try:
            urllib.request.urlopen(request, timeout=300).read()
        except urllib.error.HTTPError as exc:  # battery: 422, the failure the pages must show
            assert exc.code == 422 and sector == "battery", (sector, exc.code)
    from talentgap.api.render.fonts import WEB_FONT_VERSION  # subset on first request: made before any page

    urllib.request.urlopen(f"{base}/static-font/NanumGothic-{WEB_FONT_VERSION}.woff2", timeout=600).read()
    yield {"base": base, "keys": {"reporter": key}}
    proc.terminate()
    proc.wait(timeout=20)


@pytest.mark.parametrize("lang, reason", [
    ("en", "the Secondary batteries forecast cannot be computed from this dataset version"),
    ("ko", "이 데이터셋 버전으로는 이차전지 전망을 계산할 수 없습니다"),
])
def test_the_dashboard_draws_the_other_sectors_and_says_why_battery_is_missing(browser, server, lang, reason):
    p = Page(browser, server, "reporter")
    page = p.go(f"/ui/?lang={lang}")
    assert page.locator(".sector-card").count() == 5
    for sector in ("semiconductor", "quantum", "6g", "security"):
        assert page.locator(f"#card-{sector} svg").count() == 1, f"{sector}: its chart is drawn"
        assert page.locator(f"#card-{sector} .headline").inner_text().strip()
    battery = page.locator("#card-battery")
    assert battery.locator("svg").count() == 0
    assert reason in battery.locator(".error").inner_text()
    assert p.outside == []
    p.ctx.close()
