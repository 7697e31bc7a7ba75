"""Words for ids and the headline sentence (numbers: test_numbers.py; the catalogue: test_catalogue.py)."""

from __future__ import annotations

import re
from pathlib import Path

from talentgap.api.render import names
from talentgap.api.render.headline import headline, window_start
from talentgap.api.render.jinja import in_lang
from talentgap.api.render.numbers import plain
from talentgap.models.results import Quantiles, SectorForecast, SectorRow

ROOT = Path(__file__).resolve().parents[2] / "api"
TEMPLATES = sorted((ROOT / "web" / "templates").glob("*.html")) + sorted((ROOT / "render" / "templates").glob("*.html"))
HANGUL = re.compile("[가-힣]")


def test_words_for_ids_in_both_languages():
    assert names.sector_name("battery", "ko") == "이차전지"
    assert names.education_name("master_phd", "ko") == "석·박사"
    assert names.method_name("drift-from-growth-rates", "en").startswith("trend")
    assert names.status_name("queued", "ko") == "대기"
    assert names.method_name("unheard-of", "ko") == "unheard-of", "an unknown id shows as itself"
    assert names.assumption_name("supply_share.master_phd", "ko") == "관련 학과 졸업생 중 비중 · 석·박사"
    assert names.assumption_name("graduation_age.high_school", "en").startswith("Age at graduation · ")
    assert names.assumption_name("some_new_one", "en") == "some new one"
    assert names.role_name("university", "ko") == "대학" and names.origin_name("upload.csv", "ko") == "upload.csv"
    n = names.Names({"kiat_itw": ("KIAT industrial technology workforce", "반도체 산업기술인력 (KIAT)")},
                    names._skills_from_csv())
    assert n.definition("kiat_itw", "ko") == "반도체 산업기술인력 (KIAT)"
    assert n.skill("rtl_design", "ko") == "회로·RTL 설계"
    ref = {"definition": "kiat_itw", "series_id": "semiconductor.projection.kiat_itw.design"}
    assert n.reference_line(ref, "en") == "KIAT industrial technology workforce · design"


def _forecast(first_year: int, gaps: list[float]) -> SectorForecast:
    """A forecast with only the fields the headline reads (the rest left unset)."""
    rows = [SectorRow.model_construct(year=first_year + i, gap=Quantiles(p10=g - 1000, p50=g, p90=g + 1000))
            for i, g in enumerate(gaps)]
    return SectorForecast.model_construct(sector="battery", as_of=2026, quality_grade="B", rows=rows)


def test_headline_sums_one_common_window_whatever_the_first_year():
    early = _forecast(2023, [9000, 1000, 2000, 3000, 4000])  # 2023..2027
    late = _forecast(2025, [2000, 3000, 4000])  # 2025..2027
    assert window_start(early) == window_start(late) == 2025
    h = headline(early)
    assert h.start == 2025 and h.year == 2027
    assert h.cumulative["p50"] == 2000 + 3000 + 4000, "years before the common start are left out"
    assert h.cumulative["p10"] == 1000 + 2000 + 3000
    ko = plain(h.sentence("ko"))
    assert ko.startswith("2027년 신규 입직 부족 4,000명/년 (3,000~5,000)") and "2025~2027년 신규 입직 누적 부족 9,000명" in ko
    assert "품질 B (관측 3~7개)" in ko
    assert plain(h.sentence("en")).startswith("2027 new-entrant gap 4,000 a year (3,000 to 5,000) · new-entrant gap summed 2025 to 2027: 9,000")
    surplus = headline(_forecast(2025, [-500, -600, -700])).sentence("ko")
    assert surplus.startswith("2027년 초과공급 700명/년")


def test_data_texts_follow_the_language_and_fall_back_to_english_marked_as_such():
    rec = {"description": "A survey <2024>", "description_ko": ""}
    assert names.localized(rec, "description", "ko") == ("A survey <2024>", "en")
    assert str(in_lang(rec, "description", "ko")) == '<span lang="en">A survey &lt;2024&gt;</span>'
    assert str(in_lang(rec, "description", "en")) == "A survey &lt;2024&gt;"
    korean = {**rec, "description_ko": "조사 <2024>"}
    assert str(in_lang(korean, "description", "ko")) == "조사 &lt;2024&gt;"
    assert str(in_lang(korean, "description", "en")) == "A survey &lt;2024&gt;"
    assert names.localized({"rationale": "why"}, "rationale", "ko") == ("why", "en"), "no Korean field at all"
