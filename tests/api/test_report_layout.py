"""The PDF report as pages: every table split across pages repeats its header, no table leaves one row
alone on a page, no heading ends a page, and the chart grid has no empty cell. Checked on WeasyPrint's
page layout (which boxes land on which page) and on the PDF's own text, page by page (poppler's
``pdftotext``, where installed)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from talentgap.api.render.report import TEMPLATES, build, render_html, render_pdf
from talentgap.data.store import Store

pytestmark = pytest.mark.slow
weasyprint = pytest.importorskip("weasyprint")


@pytest.fixture(scope="module", params=["ko", "en"])
def report(request, tmp_path_factory):
    """A two-sector report in one language: its HTML, its laid-out pages and its PDF."""
    tmp = tmp_path_factory.mktemp(f"layout-{request.param}")
    data = build(store=Store.open(f"sqlite:///{tmp / 'r.db'}"), sectors=["semiconductor", "battery"], lang=request.param)
    data["id"], data["changes"] = "layout-test", {"previous": None, "revisions": []}
    html = render_html(data)
    document = weasyprint.HTML(string=html, base_url=str(TEMPLATES))
    pdf = tmp / "report.pdf"
    render_pdf(html, pdf)
    return {"html": html, "document": document, "pages": document.render().pages, "pdf": pdf}


def _boxes(box):
    yield box
    for child in getattr(box, "children", None) or []:
        yield from _boxes(child)


def _placement(report) -> dict:
    """Element → the pages its boxes are on (first box first), for the report's laid-out pages."""
    where: dict = {}
    for number, page in enumerate(report["pages"]):
        for box in _boxes(page._page_box):
            element = getattr(box, "element", None)
            if element is not None and number not in where.setdefault(element, []):
                where[element].append(number)
    return where


def test_split_tables_repeat_their_header_and_leave_no_row_alone(report):
    where = _placement(report)
    parent = {child: p for p in report["document"].etree_element.iter() for child in p}
    split = 0
    for table in (e for e in report["document"].etree_element.iter() if e.tag == "table"):
        head = next((c for c in table if c.tag == "thead"), None)
        body = [row for part in table if part.tag == "tbody" for row in part]
        assert head is not None, "every table has a header row"
        rows_on = {}
        for row in body:
            for page in where.get(row, []):
                rows_on[page] = rows_on.get(page, 0) + 1
        if len(rows_on) < 2:
            continue
        split += 1
        head_pages = set(where.get(head[0], []))
        assert set(rows_on) <= head_pages, f"a table split over pages {sorted(rows_on)} repeats its header only on {sorted(head_pages)}"
        if len(body) >= 4:
            assert min(rows_on.values()) >= 2, f"one row alone on a page: {rows_on} ({parent[table].tag})"
    assert split >= 1, "the report has long tables that do split (the check has something to check)"


def test_no_heading_ends_a_page_and_the_chart_grid_is_full(report):
    where = _placement(report)
    root = report["document"].etree_element
    for parent in root.iter():
        children = list(parent)
        for i, element in enumerate(children):
            if element.tag not in ("h2", "h3") or i + 1 >= len(children):
                continue
            heading_page = where[element][0]
            next_page = where.get(children[i + 1], [heading_page])[0]
            assert next_page == heading_page, f"heading {''.join(element.itertext())!r} ends page {heading_page + 1}"
    for grid in (e for e in root.iter() if e.get("class") == "charts"):
        assert len(list(grid)) % 2 == 0, "the chart grid fills both columns of every row (charts and a reading box)"


def test_the_pdf_text_has_no_heading_at_a_page_foot_and_no_headless_table_at_a_page_top(report):
    if not shutil.which("pdftotext"):
        pytest.skip("poppler's pdftotext is not installed")
    headings = {re.sub(r"<[^>]+>|\s+", " ", h).strip() for h in re.findall(r"<h[23][^>]*>(.*?)</h[23]>", report["html"], re.S)}
    pages = subprocess.run(["pdftotext", "-layout", str(report["pdf"]), "-"], capture_output=True, text=True,
                           check=True).stdout.split("\f")
    body_row = re.compile(r"^\s*(19|20)\d\d\s+\S+.*\d")  # a year, then figures: a row of a year table
    for number, text in enumerate(p for p in pages if p.strip()):
        lines = [line for line in text.splitlines() if line.strip() and not re.fullmatch(r"\s*\d+ / \d+\s*", line)]
        assert lines[-1].strip() not in headings, f"page {number + 1} ends with the heading {lines[-1].strip()!r}"
        assert not body_row.match(lines[0]), f"page {number + 1} starts with a table row and no header: {lines[0]!r}"


def test_no_page_is_nearly_blank(report):
    """Blocks that move whole to the next page leave some room, never nearly all of it: every page but the
    last and the one before the appendix (which opens a page) is at least a fifth full (a sector's last
    rows before the next sector's charts, which keep together, may fill a quarter)."""
    appendix = _placement(report)[next(e for e in report["document"].etree_element.iter() if e.get("id") == "appendix")][0]
    for number, page in enumerate(report["pages"][:-1]):
        if number == appendix - 1:
            continue
        content = page._page_box.children[0]  # the page's part of the document, not its margin boxes
        bottoms = [b.position_y + b.height for b in _boxes(content) if type(b).__name__ in ("LineBox", "SVGBox")]
        top = page._page_box.margin_top
        filled = (max(bottoms) - top) / (page.height - top - page._page_box.margin_bottom)
        assert filled > 1 / 5, f"page {number + 1} is {filled:.0%} full"
    assert Path(report["pdf"]).read_bytes().startswith(b"%PDF")


def test_page_one_is_a_cover_with_the_key_messages_and_the_ranking_and_no_model_id(report):
    if not shutil.which("pdftotext"):
        pytest.skip("poppler's pdftotext is not installed")
    from talentgap.data.settings import get_settings
    from talentgap.models.sector import MODEL_VERSION

    pages = subprocess.run(["pdftotext", "-layout", str(report["pdf"]), "-"], capture_output=True, text=True,
                           check=True).stdout.split("\f")
    first = re.sub(r"\s+", " ", pages[0])
    ko = "전략산업" in first
    assert get_settings().issuer in first
    assert re.search(r"20\d\d년 1?\d월" if ko else r"(January|February|March|April|May|June|July|August|September|"
                     r"October|November|December) 20\d\d", first), first[:300]
    assert ("핵심 메시지" if ko else "Key messages") in first
    assert ("부족이 가장 큰 산업은" if ko else "has the largest shortage") in first
    assert ("부족일 확률" if ko else "Probability of a shortage") in first and re.search(r"\d+%", first)
    assert ("데이터 버전 1 (" if ko else "Dataset version 1 of ") in first
    assert "stockflow" not in first and MODEL_VERSION not in first and "layout-test" not in first
    assert MODEL_VERSION in re.sub(r"\s+", "", "".join(pages[1:])), "the model id is in the appendix"
