"""Regenerate ``docs/screenshots/``: every UI page at 1366×900 and 390×844, in Korean and English,
from a running ``talentgap serve`` (Playwright driving the system Chromium), the programme form's answer
(``program-answer``), and the first page of the PDF report in both languages (``report-page1-<lang>.png``,
poppler's ``pdftoppm``; ``--no-pdf`` leaves it out).

    .venv/bin/python docs/screenshots.py --base http://127.0.0.1:8123 --key tg_... [--pages home,sector-semiconductor]
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

PAGES = {"home": "/ui/", "sector-semiconductor": "/ui/sectors/semiconductor", "sector-battery": "/ui/sectors/battery",
         "sector-6g": "/ui/sectors/6g", "scenario": "/ui/scenario?sector=semiconductor", "gap": "/ui/gap",
         "program": "/ui/program", "program-answer": "/ui/program", "data": "/ui/data", "reports": "/ui/reports",
         "not-found": "/ui/nowhere"}
SIZES = {"desktop": (1366, 900), "phone": (390, 844)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", default="http://127.0.0.1:8123")
    ap.add_argument("--key", required=True)
    ap.add_argument("--out", default=str(Path(__file__).resolve().parent / "screenshots"))
    ap.add_argument("--pages", default=",".join(PAGES))
    ap.add_argument("--full", action="store_true", help="whole pages, not the first screen")
    ap.add_argument("--no-pdf", action="store_true", help="leave out the PDF report's first page")
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        for size, (w, h) in SIZES.items():
            ctx = browser.new_context(viewport={"width": w, "height": h})
            page = ctx.new_page()
            page.goto(args.base + "/ui/login")
            page.fill("#key", args.key)
            page.click("button[type=submit]")
            page.wait_for_url(re.compile(r".*/ui/(\?lang=\w+)?$"))
            for lang in ("ko", "en"):
                for name in args.pages.split(","):
                    sep = "&" if "?" in PAGES[name] else "?"
                    page.goto(f"{args.base}{PAGES[name]}{sep}lang={lang}")
                    if name == "program-answer":
                        answer_programme(page)
                    page.evaluate("document.fonts.ready.then(() => true)")
                    page.screenshot(path=str(out / f"{name}-{lang}-{size}.png"), full_page=args.full)
            ctx.close()
        browser.close()
    if not args.no_pdf:
        for lang in ("ko", "en"):
            pdf_first_page(args.base, args.key, lang, out / f"report-page1-{lang}.png")


def answer_programme(page) -> None:
    """Fill the programme form with an example (a battery master's programme in Ulsan) and wait for the answer."""
    page.fill("input[name=name]", "Battery cell process MS")
    page.select_option("select[name=sector]", "battery")
    page.select_option("select[name=degree]", "master")
    page.fill("input[name=seats_per_year]", "35")
    page.fill("input[name=region]", "Ulsan")
    page.fill("input[name=w_production_engineering]", "1")
    page.fill("input[name=w_cell_design]", "0.5")
    page.click("#program-form button[type=submit]")
    page.locator("#programme-chart").wait_for(timeout=120_000)


def _call(base: str, key: str, path: str, body: dict | None = None) -> bytes:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, headers={
        "Authorization": f"Bearer {key}", **({"Content-Type": "application/json"} if data else {})})
    with urllib.request.urlopen(request, timeout=120) as r:
        return r.read()


def pdf_first_page(base: str, key: str, lang: str, png: Path) -> None:
    """Ask the service for the standard report in ``lang`` (PDF), wait for it, and write its page 1 as a PNG."""
    report = json.loads(_call(base, key, "/api/v1/reports", {"formats": ["pdf"], "lang": lang}))
    for _ in range(600):
        status = json.loads(_call(base, key, f"/api/v1/reports/{report['id']}"))["status"]
        if status in ("done", "failed"):
            break
        time.sleep(1)
    if status != "done":
        raise SystemExit(f"the {lang} report did not finish: {status}")
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "report.pdf"
        pdf.write_bytes(_call(base, key, f"/api/v1/reports/{report['id']}/download?format=pdf"))
        subprocess.run(["pdftoppm", "-png", "-r", "96", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                        str(png.with_suffix(""))], check=True)


if __name__ == "__main__":
    main()
