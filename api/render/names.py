"""Words instead of ids: readable Korean and English names for sectors, education levels, scenarios,
methods, models, report statuses, definitions (from the data's label columns), skills and reference
lines. Data ids take their names from the data (vocabularies, label columns); the product's own ids
(methods, scenarios, statuses, periods, assumptions) from the ``ui`` catalogue (``talentgap.i18n``).
An id with no name falls back to itself, so a new id shows, never fails.
"""

from __future__ import annotations

from collections.abc import Mapping

from talentgap.i18n import gettext
from talentgap.seeds.vocab import EDUCATION, METRICS, SECTORS


def pick(pair: tuple[str, str] | None, lang: str, fallback: str) -> str:
    """The Korean or English word of ``pair``; ``fallback`` (the id) when there is none."""
    if not pair:
        return fallback
    return pair[1] if lang == "ko" else pair[0]


def word(kind: str, id_: str, lang: str, fallback: str | None = None) -> str:
    """The catalogue's name for an id of a kind (``method.drift``); ``fallback`` or the id when none."""
    return gettext(f"{kind}.{id_}", lang) or (id_ if fallback is None else fallback)


def sector_name(sector: str, lang: str) -> str:
    term = SECTORS.get(sector)
    return pick((term.label_en, term.label_ko) if term else None, lang, sector)


def education_name(level: str, lang: str) -> str:
    term = EDUCATION.get(level)
    return pick((term.label_en, term.label_ko), lang, level) if term else word("degree", level, lang)


def method_name(method: str, lang: str) -> str:
    return word("method", method, lang)


def scenario_name(name: str, lang: str) -> str:
    return word("scenario_name", name, lang)


def status_name(status: str, lang: str) -> str:
    return word("status", status, lang)


def period_name(period: str, lang: str) -> str:
    return word("period", period, lang)


def assumption_name(name: str, lang: str) -> str:
    """An assumption's name; one held per education level (``supply_share.master_phd``) is named as the
    assumption, then the level."""
    kind, _, level = name.partition(".")
    if level:
        return f"{assumption_name(kind, lang)} · {education_name(level, lang)}"
    return word("assumption", name, lang, name.replace("_", " "))


def role_name(role: str, lang: str) -> str:
    return word("role", role, lang)


def origin_name(origin: str, lang: str) -> str:
    """A dataset version's origin: the seed data by name, an upload by its file name."""
    return word("origin", origin, lang)


def metric_name(metric: str, lang: str) -> str:
    term = METRICS.get(metric)
    return pick((term.label_en, term.label_ko) if term else None, lang, metric)


def localized(record: object, field: str, lang: str) -> tuple[str, str]:
    """A text that comes from the data (a source's ``description``, an assumption's ``rationale``) in
    ``lang``, and the language it is in: the ``<field>_ko`` edition for Korean when the record has one,
    else the English ``field`` (a source stored before Korean editions existed, an upload without one)."""
    def get(name: str) -> str:
        value = record.get(name) if isinstance(record, Mapping) else getattr(record, name, None)
        return str(value) if value else ""

    korean = get(field + "_ko") if lang == "ko" else ""
    return (korean, "ko") if korean else (get(field), "en")


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
        pair = self.definitions.get(definition)
        return pick(pair, lang, "") or assumption_name(definition, lang)

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
