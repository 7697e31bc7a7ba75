"""In a real browser, as an admin: the data page's form adds a sector, the upload form imports its
figures, and its sector page draws its forecast in Korean and English."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]
sync_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = os.environ.get("TALENTGAP_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
if not CHROMIUM:
    pytest.skip("no Chromium on this machine (.ci/run installs Debian's chromium package)", allow_module_level=True)

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "display"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from .test_pages import free_port

    tmp = tmp_path_factory.mktemp("sector-ui")
    db = f"sqlite:///{tmp / 'ui.db'}"
    exe = str(Path(sys.executable).with_name("talentgap"))
    key = subprocess.run([exe, "keys", "create", "--role", "admin", "--name", "admin-ui", "--db", db],
                         capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1]
    port = free_port()
    proc = subprocess.Popen([exe, "serve", "--port", str(port), "--db", db], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, "TALENTGAP_REPORTS_DIR": str(tmp / "reports")})
    base = f"http://127.0.0.1:{port}"
    for _ in range(900):  # a new database is seeded first; the machine may be busy
        try:
            urllib.request.urlopen(base + "/api/v1/health", timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    else:
        proc.kill()
        raise RuntimeError("server did not start")
    yield {"base": base, "key": key}
    proc.terminate()
    proc.wait(timeout=10)


def test_an_admin_adds_a_sector_on_the_data_page(server):
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
        page.set_default_timeout(300_000)  # a new database computes every forecast on its first pages
        base = server["base"]
        page.goto(base + "/ui/login")
        page.fill("#key", server["key"])
        page.click("button[type=submit]")
        page.wait_for_url(re.compile(re.escape(base) + r"/ui/(\?lang=\w+)?$"))
        page.goto(base + "/ui/data?lang=en")
        page.fill("#sector-id", "display")
        page.fill("#sector-ko", "디스플레이")
        page.fill("#sector-en", "Display")
        page.set_input_files("#sector-spec", str(EXAMPLE / "display.toml"))
        page.click("#sector-form button[type=submit]")
        page.locator("#sector-added").wait_for()
        page.set_input_files("#upload-file", str(EXAMPLE / "observations.csv"))
        page.click("#upload-form button[type=submit]")
        page.locator("#imported").wait_for()
        for lang, word in (("en", "Display"), ("ko", "디스플레이")):
            page.goto(base + f"/ui/sectors/display?lang={lang}")
            assert word in page.locator("h1").inner_text()
            assert page.locator("#fan-chart svg path").count() > 10, "its forecast is drawn"
            assert page.locator("#grade").inner_text() == "C"
        page.goto(base + "/ui/?lang=en")
        assert page.locator(".sector-card").count() == 6
        browser.close()
