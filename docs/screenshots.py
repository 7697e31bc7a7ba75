"""Regenerate ``docs/screenshots/``: every UI page at 1366×900 and 390×844, in Korean and English,
from a running ``talentgap serve`` (Playwright driving the system Chromium).

    .venv/bin/python docs/screenshots.py --base http://127.0.0.1:8123 --key tg_... [--pages home,sector-semiconductor]
"""

from __future__ import annotations

import argparse
import re
import shutil
from pathlib import Path

from playwright.sync_api import sync_playwright

PAGES = {"home": "/ui/", "sector-semiconductor": "/ui/sectors/semiconductor", "sector-battery": "/ui/sectors/battery",
         "sector-6g": "/ui/sectors/6g", "scenario": "/ui/scenario?sector=semiconductor", "gap": "/ui/gap",
         "program": "/ui/program", "data": "/ui/data", "reports": "/ui/reports", "not-found": "/ui/nowhere"}
SIZES = {"desktop": (1366, 900), "phone": (390, 844)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", default="http://127.0.0.1:8123")
    ap.add_argument("--key", required=True)
    ap.add_argument("--out", default=str(Path(__file__).resolve().parent / "screenshots"))
    ap.add_argument("--pages", default=",".join(PAGES))
    ap.add_argument("--full", action="store_true", help="whole pages, not the first screen")
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
                    page.evaluate("document.fonts.ready.then(() => true)")
                    page.screenshot(path=str(out / f"{name}-{lang}-{size}.png"), full_page=args.full)
            ctx.close()
        browser.close()


if __name__ == "__main__":
    main()
