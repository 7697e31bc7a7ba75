"""Words instead of ids: readable Korean and English names for sectors, education levels, scenarios,
methods, models, report statuses, definitions (from the data's label columns), skills and reference
lines. An id with no name falls back to itself, so a new id shows, never fails.
"""

from __future__ import annotations

from talentgap.seeds.vocab import EDUCATION, METRICS, SECTORS

#: Forecast methods (``result["method"]``) and backtest models.
METHODS: dict[str, tuple[str, str]] = {
    "drift-from-growth-rates": ("trend from published growth rates", "발표된 증가율에 따른 추세"),
    "drift-to-anchor": ("trend towards the published outlook", "발표 전망을 향한 추세"),
    "anchored": ("anchored to a published figure", "발표 수치에 고정"),
    "assumed-level": ("assumed scale with a wide range", "넓은 범위의 가정 규모"),
    "target-prior": ("policy target as a prior", "정책 목표를 사전정보로 사용"),
    "auto": ("automatic choice", "자동 선택"),
    "naive": ("last value (naive)", "최근값 유지(단순)"),
    "drift": ("straight-line drift", "선형 추세"),
    "ets": ("exponential smoothing", "지수평활"),
    "theta": ("theta method", "세타 방법"),
    "arima": ("ARIMA", "ARIMA"),
}
SCENARIOS: dict[str, tuple[str, str]] = {"trend": ("trend", "추세"), "policy": ("policy plan", "정책 계획")}
STATUSES: dict[str, tuple[str, str]] = {"queued": ("queued", "대기"), "running": ("running", "작성 중"),
                                        "done": ("done", "완료"), "failed": ("failed", "실패")}
PERIODS: dict[str, tuple[str, str]] = {"nowcast": ("nowcast", "현재 추정"), "projection": ("projection", "전망"),
                                       "observed": ("observed", "실적")}
DEGREES: dict[str, tuple[str, str]] = {k: (v.label_en, v.label_ko) for k, v in EDUCATION.items()}
DEGREES["non_degree"] = ("Non-degree training", "비학위 훈련")
ASSUMPTIONS: dict[str, tuple[str, str]] = {
    "separation_rate": ("Net exits (share a year)", "순 이탈률(연)"),
    "entry_rate": ("Share of graduates entering the sector", "졸업생의 산업 진입률"),
    "graduates_per_year": ("Graduates a year", "연간 졸업생"),
    "reskilling": ("Reskilled entrants a year", "재교육 유입(연)"),
    "foreign_inflow": ("Foreign inflow a year", "해외 유입(연)"),
    "base_stock": ("Assumed workforce scale", "가정 인력 규모"),
    "policy_growth_ratio": ("Growth by the policy plan", "정책 계획에 따른 증가 배수"),
}


def pick(pair: tuple[str, str] | None, lang: str, fallback: str) -> str:
    """The Korean or English word of ``pair``; ``fallback`` (the id) when there is none."""
    if not pair:
        return fallback
    return pair[1] if lang == "ko" else pair[0]


def sector_name(sector: str, lang: str) -> str:
    term = SECTORS.get(sector)
    return pick((term.label_en, term.label_ko) if term else None, lang, sector)


def education_name(level: str, lang: str) -> str:
    return pick(DEGREES.get(level), lang, level)


def method_name(method: str, lang: str) -> str:
    return pick(METHODS.get(method), lang, method)


def scenario_name(name: str, lang: str) -> str:
    return pick(SCENARIOS.get(name), lang, name)


def status_name(status: str, lang: str) -> str:
    return pick(STATUSES.get(status), lang, status)


def period_name(period: str, lang: str) -> str:
    return pick(PERIODS.get(period), lang, period)


def assumption_name(name: str, lang: str) -> str:
    return pick(ASSUMPTIONS.get(name), lang, name.replace("_", " "))


def metric_name(metric: str, lang: str) -> str:
    term = METRICS.get(metric)
    return pick((term.label_en, term.label_ko) if term else None, lang, metric)


class Names:
    """Names that come from the data: definitions (``definitions.csv`` label columns) and skills
    (``skills.csv``), looked up by id in either language."""

    def __init__(self, definitions: dict[str, tuple[str, str]] | None = None,
                 skills: dict[str, tuple[str, str]] | None = None) -> None:
        self.definitions = definitions or {}
        self.skills = skills or {}

    @classmethod
    def from_store(cls, store) -> Names:
        """Read the label columns of the active data (blocking: reads the store)."""
        defs = {}
        frame = store.definitions()
        for row in frame.itertuples(index=False):
            if row.label_en or row.label_ko:
                defs[row.definition] = (row.label_en or row.definition, row.label_ko or row.label_en)
        return cls(defs, _skills_from_csv())

    def definition(self, definition: str, lang: str) -> str:
        """A definition's name; an assumed-scale definition (``base_stock``) is named as the assumption."""
        pair = self.definitions.get(definition) or ASSUMPTIONS.get(definition)
        return pick(pair, lang, definition.replace("_", " "))

    def skill(self, skill: str, lang: str) -> str:
        return pick(self.skills.get(skill), lang, skill.replace("_", " "))

    def reference_line(self, ref: dict, lang: str) -> str:
        """A published projection's label: its definition's name, then the breakdown part of the series
        id (``….design`` → ``design``), never the raw id alone."""
        name = self.definition(ref.get("definition", ""), lang)
        extra = ref.get("series_id", "").split(".")[3:]
        return " · ".join([name] + extra) if extra else name


def _skills_from_csv() -> dict[str, tuple[str, str]]:
    import csv
    from importlib.resources import files

    path = files("talentgap.seeds") / "taxonomy" / "skills.csv"
    with path.open(encoding="utf-8") as f:
        return {r["id"]: (r["label_en"], r["label_ko"]) for r in csv.DictReader(f)}
