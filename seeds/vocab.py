"""The controlled vocabulary of talentgap: sectors, metrics, units and education levels.

Every id carries its Korean label beside the English one, so the glossary lives in the code
(see GLOSSARY.md in the specification). Uploads may use either the id or the Korean label.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    """One vocabulary entry: a stable English id with English and Korean labels."""

    id: str
    label_en: str
    label_ko: str


def _index(*terms: Term) -> dict[str, Term]:
    return {t.id: t for t in terms}


SECTORS: dict[str, Term] = _index(
    Term("semiconductor", "Semiconductors", "반도체"),
    Term("battery", "Secondary batteries", "이차전지"),
    Term("quantum", "Quantum", "양자"),
    Term("6g", "Next-generation communications (5G/6G)", "차세대 통신"),
    Term("security", "Cybersecurity", "사이버보안"),
)

#: The five education levels KIAT reports, plus the master's/PhD aggregate many sources use.
EDUCATION: dict[str, Term] = _index(
    Term("high_school", "High school", "고졸"),
    Term("junior_college", "Junior college", "전문대졸"),
    Term("bachelor", "Bachelor's", "학사"),
    Term("master", "Master's", "석사"),
    Term("phd", "PhD", "박사"),
    Term("master_phd", "Master's or PhD", "석·박사"),
)

METRICS: dict[str, Term] = _index(
    Term("stock", "Workforce stock", "현원"),
    Term("shortage", "Shortage", "부족인원"),
    Term("shortage_rate", "Shortage rate", "부족률"),
    Term("openings", "Openings (sought hires)", "구인인원"),
    Term("hires", "Hires", "채용인원"),
    Term("separations", "Separations", "퇴사인원"),
    Term("graduates", "Graduates", "졸업·배출"),
    Term("entrants", "Graduates entering the sector", "산업 진입"),
    Term("capacity", "Seats", "정원"),
    Term("training_target", "Training target", "양성 목표"),
    Term("projection", "Published projection", "인력 전망"),
    Term("stock_growth_rate", "Stock growth rate", "현원 증가율"),
    Term("early_separations", "Separations within a year of joining", "조기퇴사"),
    Term("employment_rate", "Employment rate", "취업률"),
    Term("capacity_increase", "Seat increase", "정원 증원"),
    Term("training_output", "People trained", "양성 실적"),
    Term("projection_change", "Projected change", "전망 증감"),
    Term("projected_shortage", "Projected shortage", "부족 전망"),
    Term("expansion_demand", "Expansion demand", "성장수요"),
    Term("replacement_demand", "Replacement demand", "대체수요"),
    Term("projected_supply", "Projected supply", "공급 전망"),
    Term("employment_outlook", "Employment outlook", "고용 증감 전망"),
    Term("workforce_share", "Share of workforce", "인력 비중"),
    Term("alumni_destination", "Alumni by destination", "졸업생 진로"),
    Term("alumni_destination_share", "Alumni share by destination", "졸업생 진로 비중"),
    Term("programme_count", "Programmes or institutions", "프로그램·기관 수"),
    Term("firm_count", "Firms", "기업 수"),
    Term("job_postings", "Job postings", "채용공고"),
    Term("applicants", "Applicants", "지원자"),
    Term("budget", "Budget", "예산"),
    Term("net_inflow", "Net inflow", "순유입"),
)

UNITS: dict[str, Term] = _index(
    Term("persons", "persons", "명"),
    Term("persons_per_year", "persons per year", "명/년"),
    Term("%", "percent", "%"),
    Term("seats", "seats", "석"),
    Term("seats_per_year", "seats per year", "석/년"),
    Term("programmes", "programmes or institutions", "개"),
    Term("firms", "firms", "개사"),
    Term("job_postings", "job postings", "건"),
    Term("applicants", "applicants", "명(지원)"),
    Term("KRW", "Korean won", "원"),
    Term("jobs", "jobs", "개(일자리)"),
)

#: Columns of the long observation format (PRODUCT.md §3.2), with Korean header aliases.
OBSERVATION_COLUMNS: dict[str, tuple[str, ...]] = {
    "series_id": ("시리즈", "시리즈id", "계열"),
    "sector": ("산업", "분야"),
    "metric": ("지표",),
    "definition": ("정의",),
    "occupation": ("직무", "직종"),
    "education": ("학력",),
    "region": ("지역",),
    "year": ("연도", "년도"),
    "value": ("값", "수치"),
    "unit": ("단위",),
    "source_id": ("출처", "출처id"),
}

#: Columns an upload must have; the others default to blank.
REQUIRED_COLUMNS = ("sector", "metric", "definition", "year", "value", "unit", "source_id")


def resolve(vocab: dict[str, Term], text: str) -> str | None:
    """Map an id or Korean label to the id; ``None`` when it is neither."""
    if text in vocab:
        return text
    lowered = text.lower()
    for term in vocab.values():
        if lowered == term.id.lower() or text == term.label_ko:
            return term.id
    return None
