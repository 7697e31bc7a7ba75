"""The web UI in a real browser (Playwright driving the distribution's Chromium) against a live
`talentgap serve`: every page opens, every form is used, and no request leaves the app.

Screenshots of each page at 1366×768 and at 390×844 are written to ``$TALENTGAP_SCREENSHOTS`` when set.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
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

SHOTS = os.environ.get("TALENTGAP_SCREENSHOTS")
HEADER = "series_id,sector,metric,definition,occupation,education,region,year,value,unit,source_id\n"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("ui")
    db = f"sqlite:///{tmp / 'ui.db'}"
    exe = str(Path(sys.executable).with_name("talentgap"))
    keys = {}
    for role in ("analyst", "university", "reporter"):
        out = subprocess.run([exe, "keys", "create", "--role", role, "--name", role, "--db", db],
                             capture_output=True, text=True, check=True).stdout
        keys[role] = out.strip().splitlines()[-1]
    port = free_port()
    env = {**os.environ, "TALENTGAP_REPORTS_DIR": str(tmp / "reports")}
    proc = subprocess.Popen([exe, "serve", "--port", str(port), "--db", db], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            urllib.request.urlopen(base + "/api/v1/health", timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    else:
        proc.kill()
        raise RuntimeError("server did not start: " + (proc.stdout.read() if proc.stdout else ""))
    # the web font is subset on its first request, which takes a while on a busy machine: made here, so
    # that no page's load waits for it past the browser's timeout
    from talentgap.api.render.fonts import WEB_FONT_VERSION

    urllib.request.urlopen(f"{base}/static-font/NanumGothic-{WEB_FONT_VERSION}.woff2", timeout=600).read()
    yield {"base": base, "keys": keys, "tmp": tmp}
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        yield b
        b.close()


class Page:
    """A signed-in page that records every request leaving the app."""

    def __init__(self, browser, server, role, viewport=(1366, 768), bypass_csp=False):
        self.base = server["base"]
        # bypass_csp only lets the tests inject axe-core; the app's own pages run under the CSP
        self.ctx = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]}, bypass_csp=bypass_csp)
        self.page = self.ctx.new_page()
        self.outside: list[str] = []
        self.page.on("request", lambda r: None if r.url.startswith(self.base) or r.url.startswith("data:")
                     else self.outside.append(r.url))
        self.page.goto(self.base + "/ui/login")
        self.page.fill("#key", server["keys"][role])
        self.page.click("button[type=submit]")
        self.page.wait_for_url(re.compile(re.escape(self.base) + r"/ui/(\?lang=\w+)?$"))

    def go(self, path):
        self.page.goto(self.base + path)
        return self.page

    def shot(self, name):
        if SHOTS:
            Path(SHOTS).mkdir(parents=True, exist_ok=True)
            self.page.evaluate("document.fonts.load('16px NanumGothic', '한').then(() => true)")
            self.page.screenshot(path=f"{SHOTS}/{name}.png", full_page=False)


def test_login_rejects_a_bad_key(browser, server):
    ctx = browser.new_context()
    page = ctx.new_page()
    page.goto(server["base"] + "/ui/sectors/battery")
    assert page.url.endswith("/ui/login")
    page.fill("#key", "tg_wrong")
    page.click("button[type=submit]")
    page.locator("#login-error").wait_for()
    assert page.locator("#login-error").is_visible()
    ctx.close()


def test_dashboards_charts_and_sources(browser, server):
    p = Page(browser, server, "analyst")
    for sector in ("semiconductor", "battery", "quantum", "6g", "security"):
        page = p.go(f"/ui/sectors/{sector}")
        assert page.locator("#fan-chart svg path").count() > 10, f"{sector}: chart drawn"
        first = page.locator("#gap-table tr").nth(1).inner_text()
        assert any(ch.isdigit() for ch in first)
        grade = page.locator("#grade").inner_text()
        assert len(grade) == 1 and grade in ("D" if sector == "6g" else "ABC"), f"{sector}: grade {grade}"
        p.shot(f"sector-{sector}")
    page = p.go("/ui/sectors/battery?scenario=policy")
    assert "policy" in page.locator("select[name=scenario]").input_value()
    page.locator("#sources a").first.click()
    assert "/ui/sources/" in page.url and page.locator(".card").inner_text()
    page = p.go("/ui/")
    assert page.locator(".sector-card").count() == 5
    p.shot("home")
    page = p.go("/ui/?lang=ko")
    assert "대시보드" in page.locator("header").inner_text()
    # the Korean font comes from the app itself and the browser accepts it
    assert page.evaluate("document.fonts.load('16px NanumGothic', '한').then(f => f.length)") == 1
    p.shot("home-ko")
    p.go("/ui/?lang=en")
    assert p.outside == []


def test_scenario_form_compares_and_saves(browser, server):
    p = Page(browser, server, "analyst")
    page = p.go("/ui/scenario?sector=battery")
    page.fill("input[name=extra_graduates]", "2000")
    page.click("button[value=run]")
    page.locator("#compare tr").nth(2).locator("td").first.wait_for()
    cells = page.locator("#compare tr").nth(2).locator("td").all_inner_texts()
    assert float(cells[3].replace(",", "").replace("−", "-")) < 0, "extra graduates lower the gap"
    page.fill("input[name=name]", "more-grads")
    page.click("button[value=save]")
    assert "more-grads" in page.locator("#saved").inner_text()
    assert page.locator("#saved").get_attribute("role") == "status"
    page.fill("input[name=extra_graduates]", "100")
    page.fill("input[name=name]", "few-grads")
    page.click("button[value=save]")
    assert "few-grads" in page.locator("#saved").inner_text()
    page.fill("input[name=entry_rate]", "7")
    page.click("button[value=run]")
    assert "entry_rate" in page.locator("#errors").inner_text()
    bad = page.locator("input[name=entry_rate]")
    assert bad.get_attribute("aria-invalid") == "true"
    assert page.evaluate("document.activeElement.name") == "entry_rate", "the bad field has the focus"
    p.shot("scenario")
    # the saved scenarios are listed; any two are compared in the page
    page = p.go("/ui/scenario?sector=battery")
    assert page.locator("#baseline-chart svg").count() == 1, "the empty page shows the baseline"
    assert page.locator("#saved-list li a").all_inner_texts() == ["more-grads", "few-grads"]
    page.select_option("#compare-form select[name=a]", "more-grads")
    page.select_option("#compare-form select[name=b]", "few-grads")
    page.click("#compare-form button[type=submit]")
    page.locator("#compare-saved tr").nth(2).wait_for()
    heads = page.locator("#compare-saved th").all_inner_texts()
    assert "more-grads" in heads[1] and "few-grads" in heads[2]
    cells = page.locator("#compare-saved tr").nth(2).locator("td").all_inner_texts()
    assert float(cells[3].replace(",", "").replace("+", "")) > 0, "fewer graduates than the other leave a larger gap"
    page.select_option("#compare-form select[name=a]", "trend")
    page.click("#compare-form button[type=submit]")
    page.locator("#compare-saved tr").nth(2).wait_for()
    cells = page.locator("#compare-saved tr").nth(2).locator("td").all_inner_texts()
    assert float(cells[3].replace(",", "").replace("−", "-")) < 0, "100 graduates more than the baseline lower the gap"
    p.shot("scenario-compare")
    page = p.go("/ui/sectors/battery?scenario=more-grads")
    assert page.locator("#fan-chart svg").count() == 3, "gap, workforce, openings and supply"
    assert p.outside == []


def test_skill_gap_and_programme_forms(browser, server):
    p = Page(browser, server, "university")
    page = p.go("/ui/gap")
    page.fill("input[name=w_cell_design]", "1")
    page.fill("input[name=w_bms]", "0.5")
    page.click("#gap-form button[type=submit]")
    page.locator("#matches tr").nth(1).wait_for()
    assert page.locator("#matches tr").count() > 1
    assert any(c.isdigit() for c in page.locator("#profile-gap tr").nth(1).inner_text())
    assert "occupations with similar skills" in page.locator("#gap-summary").inner_text()
    assert page.locator("#profile-chart svg text").count() > 5, "a chart with real text"
    assert page.locator("input[name=w_bms]").input_value() == "0.5", "choices kept after submit"
    p.shot("gap")
    page = p.go("/ui/program")
    page.fill("input[name=name]", "Battery process MS")
    page.select_option("select[name=sector]", "battery")
    page.select_option("select[name=degree]", "master")
    page.fill("input[name=seats_per_year]", "30")
    page.fill("input[name=w_production_engineering]", "1")
    page.click("#program-form button[type=submit]")
    page.locator("#mismatch").wait_for()
    assert 0 <= float(page.locator("#mismatch").inner_text()) <= 1
    assert page.locator("#skills-to-add tr").count() > 1
    p.shot("program")
    # a university key cannot upload data: the form is not shown
    assert p.go("/ui/data").locator("#upload-form").count() == 0
    assert p.outside == []


def test_a_long_form_shows_progress_and_cannot_be_sent_twice(browser, server):
    """On submit the buttons are disabled and the clicked one reads "computing…" (the page's language);
    the clicked button's value goes with the form in a hidden copy (the scenario form's run/save). The
    sending itself is held back here so the state can be read."""
    p = Page(browser, server, "analyst")
    page = p.go("/ui/scenario?sector=battery&lang=ko")
    page.evaluate("document.getElementById('scenario-form').addEventListener('submit', e => e.preventDefault())")
    page.fill("input[name=extra_graduates]", "300")
    page.click("button[value=run]")
    page.wait_for_function("document.querySelector('button[value=run]').disabled")
    assert page.locator("button[value=run]").inner_text() == "계산 중…"
    assert page.locator("button[value=save]").is_disabled(), "no second computation from the other button"
    assert page.locator("#scenario-form").get_attribute("aria-busy") == "true"
    assert page.locator("#scenario-form .progress-status").inner_text() == "계산 중…"
    assert page.locator("#scenario-form [data-progress-copy]").get_attribute("name") == "action"
    assert page.locator("#scenario-form [data-progress-copy]").input_value() == "run"
    page = p.go("/ui/program?lang=en")
    page.evaluate("document.getElementById('program-form').addEventListener('submit', e => e.preventDefault())")
    page.click("#program-form button[type=submit]")
    page.wait_for_function("document.querySelector('#program-form button[type=submit]').disabled")
    assert page.locator("#program-form button[type=submit]").inner_text() == "Computing…"
    assert p.outside == []


def test_data_page_upload_errors_history_activation(browser, server):
    p = Page(browser, server, "analyst")
    page = p.go("/ui/data")
    bad = server["tmp"] / "bad.csv"
    bad.write_text(HEADER + ",steel,stock,x,,,,2023,many,persons,bat-w01\n", encoding="utf-8")
    page.set_input_files("input[type=file]", str(bad))
    page.click("#upload-form button[type=submit]")
    errors = page.locator("#upload-errors").inner_text()
    assert "row 2, column sector" in errors and "row 2, column value" in errors
    p.shot("data-errors")
    good = server["tmp"] / "good.csv"
    good.write_text(HEADER + ",battery,stock,kiat_emerging,,,,2023,61000,persons,bat-w01\n", encoding="utf-8")
    page.set_input_files("input[type=file]", str(good))
    page.click("#upload-form button[type=submit]")
    assert "version 2" in page.locator("#imported").inner_text().lower()
    page.locator("#versions form button").first.click()
    page.wait_for_load_state()
    assert page.locator("#versions tr").nth(2).inner_text().count("active") + \
        page.locator("#versions tr").nth(1).inner_text().count("active") >= 1
    with page.expect_download() as dl:
        page.click("a[href=\"/ui/download/battery?format=xlsx\"]")
    assert dl.value.suggested_filename == "talentgap-battery.xlsx"
    assert p.outside == []


def test_reports_page_starts_and_downloads(browser, server):
    p = Page(browser, server, "reporter")
    page = p.go("/ui/reports")
    page.check("input[name=sector][value=battery]")
    page.uncheck("input[name=pdf]")
    page.click("#report-form button[type=submit]")
    page.locator("#started").wait_for()
    for _ in range(120):
        page = p.go("/ui/reports")
        if page.locator("td.status").first.inner_text() in ("done", "failed"):
            break
        time.sleep(0.5)
    assert page.locator("td.status").first.inner_text() == "done"
    p.shot("reports")
    with page.expect_popup() if False else page.expect_navigation():
        page.locator("#reports a", has_text="html").first.click()
    assert "Secondary batteries" in page.content()
    assert p.outside == []


def test_narrow_screen(browser, server):
    p = Page(browser, server, "analyst", viewport=(390, 844))
    page = p.go("/ui/sectors/semiconductor")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, "no horizontal scroll on the page itself (tables scroll inside their box)"
    p.shot("narrow-semiconductor")
    p.go("/ui/")
    p.shot("narrow-home")


PAGES = ["/ui/", "/ui/sectors/semiconductor", "/ui/sectors/battery", "/ui/sectors/6g", "/ui/scenario?sector=battery",
         "/ui/gap", "/ui/program", "/ui/data", "/ui/reconcile", "/ui/reports", "/ui/sources/semi-w01", "/ui/nowhere"]
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
#: The smallest chart text on the page in CSS px: the SVG font size times the SVG's scale on screen.
SMALLEST_CHART_TEXT = """() => Math.min(1e9, ...Array.from(document.querySelectorAll('svg text')).map(t => {
  const m = t.getScreenCTM(); const size = parseFloat(getComputedStyle(t).fontSize);
  return m ? size * Math.hypot(m.a, m.b) : 1e9; }))"""


@pytest.mark.parametrize("viewport", [(1366, 900), (390, 844)], ids=lambda v: f"{v[0]}x{v[1]}")
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_every_page_fits_reads_and_passes_axe(browser, server, lang, viewport):
    """Every page in both languages at desk and phone size: no horizontal overflow of the page, no chart
    text under 11 CSS px, the page's language set, and axe-core finds nothing serious or critical."""
    p = Page(browser, server, "analyst", viewport=viewport, bypass_csp=True)
    p.go(f"/ui/?lang={lang}")
    for path in PAGES:
        page = p.go(path)
        where = f"{path} {lang} {viewport}"
        assert page.evaluate("document.documentElement.lang") == lang, where
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport[0], f"{where}: the page scrolls sideways ({width} px)"
        if page.locator("svg text").count():
            assert page.evaluate(SMALLEST_CHART_TEXT) >= 11, f"{where}: chart text under 11 px"
            assert page.locator("svg path").count() > 0 and page.locator("svg title").count() > 0, where
        if lang == "ko":
            assert re.search("[가-힣]", page.locator("h1").inner_text()), f"{where}: the heading is Korean"
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        bad = [f"{v['id']}: {v['help']} ({len(v['nodes'])})" for v in result["violations"]
               if v["impact"] in ("serious", "critical")]
        assert bad == [], f"{where}: {bad}"
    assert p.outside == []


#: Every control a finger or a pointer aims at, as the page shows it (hidden ones and the skip link,
#: which sits off-screen until focused, are left out).
TARGETS = """() => Array.from(document.querySelectorAll(
    'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex="-1"])'))
  .filter(e => e.getClientRects().length && !e.classList.contains('skip'))
  .filter(e => {  // WCAG 2.2 2.5.8: a link inside a sentence is exempt (its size is the line's)
    if (e.tagName !== 'A') return true;
    const block = e.closest('p, li, td');
    return !(block && block.textContent.trim().length > e.textContent.trim().length + 1 && getComputedStyle(e).display === 'inline');
  })
  .map(e => { const r = e.getBoundingClientRect();
    return {what: e.tagName + (e.id ? '#' + e.id : '') + ' ' + (e.textContent || e.name || e.type || '').trim().slice(0, 30),
            w: r.width, h: r.height, nav: !!e.closest('header nav'), submit: e.matches('main button[type=submit], main .button')}; })"""
#: Visible text of the page, charts' text included.
VISIBLE = "() => document.body.innerText + ' ' + Array.from(document.querySelectorAll('svg text')).map(t => t.textContent).join(' ')"
SOURCE_IDS = None
LIST_LITERAL = re.compile(r"\[\s*(?:-?\d+|'[^']*'|\"[^\"]*\")(?:\s*,\s*(?:-?\d+|'[^']*'|\"[^\"]*\"))+\s*\]")


def _source_ids() -> re.Pattern:
    global SOURCE_IDS
    if SOURCE_IDS is None:
        from talentgap.seeds.loader import seed_dataset

        ids = sorted(seed_dataset().sources["source_id"], key=len, reverse=True)
        SOURCE_IDS = re.compile(r"(?<![\w/-])(" + "|".join(map(re.escape, ids)) + r")(?![\w-])")
    return SOURCE_IDS


@pytest.mark.parametrize("viewport", [(1366, 900), (390, 844)], ids=lambda v: f"{v[0]}x{v[1]}")
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_every_page_has_big_enough_targets_and_no_ids_in_its_text(browser, server, lang, viewport):
    """Every interactive element at least 24×24 CSS px (WCAG 2.2 AA), the navigation and the main buttons
    44 px high on a phone; no source id and no Python list literal anywhere in the visible text."""
    p = Page(browser, server, "analyst", viewport=viewport)
    p.go(f"/ui/?lang={lang}")
    for path in PAGES:
        page = p.go(path)
        where = f"{path} {lang} {viewport}"
        small = [t for t in page.evaluate(TARGETS) if t["w"] < 23.5 or t["h"] < 23.5]
        assert small == [], f"{where}: targets under 24 px: {small[:5]}"
        if viewport[0] < 500:
            key = [t for t in page.evaluate(TARGETS) if (t["nav"] or t["submit"]) and t["h"] < 43.5]
            assert key == [], f"{where}: key targets under 44 px: {key[:5]}"
        text = page.evaluate(VISIBLE)
        assert not _source_ids().search(text), f"{where}: a source id in the text: {_source_ids().search(text)[0]}"
        assert not LIST_LITERAL.search(text), f"{where}: a list literal: {LIST_LITERAL.search(text)[0]}"


#: Each number or range in the page's text (charts left out) that the browser laid over two lines.
SPLIT_NUMBERS = r"""() => {
  const re = /[−+]?\d[\d,.]*만?(?:[\u2060\u00a0]*(?:~|to)[\u2060\u00a0]*[−+]?\d[\d,.]*만?)?/g;
  const out = []; const walk = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
  for (let node = walk.nextNode(); node; node = walk.nextNode()) {
    if (node.parentElement.closest('svg')) continue;
    for (const m of node.textContent.matchAll(re)) {
      const range = document.createRange(); range.setStart(node, m.index); range.setEnd(node, m.index + m[0].length);
      const tops = new Set(Array.from(range.getClientRects()).filter(r => r.width > 0).map(r => Math.round(r.top / 4)));
      if (tops.size > 1) out.push(m[0]);
    }
  }
  return out; }"""
#: Per chart: pairs of text boxes that overlap, and texts that a drawn line (data, zero or grid line) crosses
#: (the figures' lines, and the inline charts' series lines).
CHART_TEXT = r"""() => Array.from(document.querySelectorAll('svg[role=img]')).map(svg => {
  const boxes = Array.from(svg.querySelectorAll('text')).filter(t => t.textContent.trim())
    .map(t => ({t: t.textContent.trim(), r: t.getBoundingClientRect()}));
  const inside = (r, x, y) => x > r.left + 1 && x < r.right - 1 && y > r.top + 1 && y < r.bottom - 1;
  const overlaps = [];
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const a = boxes[i].r, b = boxes[j].r;
    if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1)
      overlaps.push(boxes[i].t + ' / ' + boxes[j].t);
  }
  const crossed = [];
  for (const path of svg.querySelectorAll('g[id^=line2d] > path[clip-path], path.series')) {
    const m = path.getScreenCTM(); const n = path.getTotalLength();
    for (let s = 0; s <= n; s += 1) {
      const p = path.getPointAtLength(s); const x = m.a * p.x + m.c * p.y + m.e, y = m.b * p.x + m.d * p.y + m.f;
      const hit = boxes.find(b => inside(b.r, x, y));
      if (hit) { crossed.push(hit.t); break; }
    }
  }
  return {id: svg.id || svg.getAttribute('aria-labelledby'), overlaps, crossed}; })"""


@pytest.mark.parametrize("viewport", [(1366, 900), (390, 844)], ids=lambda v: f"{v[0]}x{v[1]}")
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_numbers_stay_whole_and_chart_text_stays_clear(browser, server, lang, viewport):
    """On the dashboard, every sector page and the scenario page (its baseline): no number or range split
    across two lines, no two chart texts overlapping, and no chart line (data, zero or grid line) running
    through a chart text."""
    p = Page(browser, server, "analyst", viewport=viewport)
    p.go(f"/ui/?lang={lang}")
    for path in ["/ui/", *(f"/ui/sectors/{s}" for s in ("semiconductor", "battery", "quantum", "6g", "security")),
                 "/ui/scenario?sector=battery"]:
        page = p.go(path)
        page.evaluate("document.fonts.ready.then(() => true)")
        where = f"{path} {lang} {viewport}"
        assert page.evaluate(SPLIT_NUMBERS) == [], f"{where}: numbers split across lines"
        charts = page.evaluate(CHART_TEXT)
        assert charts, where
        for chart in charts:
            assert chart["overlaps"] == [], f"{where} {chart['id']}: chart texts overlap: {chart['overlaps']}"
            assert chart["crossed"] == [], f"{where} {chart['id']}: a line runs through {chart['crossed']}"


@pytest.mark.parametrize("viewport", [(1366, 900), (390, 844)], ids=lambda v: f"{v[0]}x{v[1]}")
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_programme_answer_restates_its_inputs_and_its_chart_stays_clear(browser, server, lang, viewport):
    """The programme answer says the seats, level and region it was asked about; its chart names its two
    series (openings, graduates) at their ends with no text overlapping or crossed by a line; no number
    splits across lines and the page fits the screen."""
    p = Page(browser, server, "university", viewport=viewport)
    page = p.go(f"/ui/program?lang={lang}")
    page.fill("input[name=name]", "Cell line")
    page.select_option("select[name=sector]", "battery")
    page.select_option("select[name=degree]", "master")
    page.fill("input[name=seats_per_year]", "35")
    page.fill("input[name=region]", "Ulsan")
    page.fill("input[name=w_production_engineering]", "1")
    page.click("#program-form button[type=submit]")
    page.locator("#programme-chart").wait_for()
    page.evaluate("document.fonts.ready.then(() => true)")
    where = f"programme {lang} {viewport}"
    inputs = page.locator("#programme-inputs").inner_text()
    level = "석사" if lang == "ko" else "Master"
    assert "35" in inputs and "Ulsan" in inputs and level in inputs, f"{where}: {inputs}"
    labels = page.locator("#programme-chart .series-label").all_text_contents()
    assert sorted(labels) == sorted(["구인수요", "졸업생"] if lang == "ko" else ["Openings", "Graduates"]), labels
    chart = next(c for c in page.evaluate(CHART_TEXT) if c["id"] == "programme-chart")
    assert chart["overlaps"] == [] and chart["crossed"] == [], f"{where}: {chart}"
    assert page.evaluate(SPLIT_NUMBERS) == [], f"{where}: numbers split across lines"
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport[0], f"{where}: the page scrolls sideways"
    assert p.outside == []
