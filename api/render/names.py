"""Words instead of ids: readable Korean and English names for sectors, education levels, scenarios,
methods, models, report statuses, definitions (from the data's label columns), skills and reference
lines. Data ids take their names from the data (vocabularies, label columns); the product's own ids
(methods, scenarios, statuses, periods, assumptions) from the ``ui`` catalogue (``talentgap.i18n``).
An id with no name falls back to itself, so a new id shows, never fails.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

from talentgap.i18n import edition, gettext, pick
from talentgap.seeds.naming import documents, publisher_names
from talentgap.seeds.vocab import EDUCATION, METRICS, SECTORS

from .numbers import between

_SOURCE_ID = re.compile(r"\b[a-z][a-z0-9]*(?:-[a-z0-9]+)+\b")


def word(kind: str, id_: str, lang: str, fallback: str | None = None) -> str:
    """The catalogue's name for an id of a kind (``method.drift``); ``fallback`` or the id when none."""
    return gettext(f"{kind}.{id_}", lang) or (id_ if fallback is None else fallback)


def sector_name(sector: str, lang: str) -> str:
    term = SECTORS.get(sector)
    return pick(term, "label", lang) if term else sector


def education_name(level: str, lang: str) -> str:
    term = EDUCATION.get(level)
    return pick(term, "label", lang) if term else word("degree", level, lang)


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
    return pick(term, "label", lang) if term else metric


def _get(record: object, name: str) -> str:
    value = record.get(name) if isinstance(record, Mapping) else getattr(record, name, None)
    return str(value) if value else ""


def localized(record: object, field: str, lang: str) -> tuple[str, str]:
    """A text that comes from the data (a source's ``description``, an assumption's ``rationale``) in
    ``lang``, and the language it is in: the ``<field>_ko`` edition for Korean when the record has one,
    else the English ``field`` (a source stored before Korean editions existed, an upload without one)."""
    return edition(record, field, lang)


def publisher(source: object, lang: str) -> tuple[str, str]:
    """Who published a source, in ``lang`` where a name in it is known (``seeds/names/``), and the
    language of the name: a seed document by its issuer, a web page by its publisher as written."""
    doc = documents().get(_get(source, "ref")) if _get(source, "kind") == "seed" else None
    written = _get(source, "publisher")
    if doc is not None:
        text, text_lang = edition(doc, "publisher", lang)
        if text:
            return text, text_lang
    # a name written in Korean is its own Korean edition
    korean = publisher_names().get(written, "") or (written if _hangul(written) else "")
    return edition({"publisher": written, "publisher_ko": korean}, "publisher", lang)


def _hangul(text: str) -> bool:
    return any(unicodedata.name(c, "").startswith("HANGUL SYLLABLE") for c in text)


def published_year(source: object) -> str:
    """The year a source was published (``2023`` of ``2023-12-27``), ``""`` when not recorded."""
    text = _get(source, "published")
    return text[:4] if text[:4].isdigit() else ""


def source_credit(source: object, lang: str) -> str:
    """A source by its publisher and year, for a link or a table cell: ``전자신문, 2023``."""
    name, _ = publisher(source, lang)
    year = published_year(source)
    return ", ".join(p for p in (name, year) if p) or word("source_kind", _get(source, "kind") or "upload", lang)


def citation(source: object, lang: str) -> str:
    """Where in a source a figure stands: a seed document by its title and lines
    (``「국가미래전략기술 정책연구소 연차보고서」 9861~9863행``, ``… lines 9861 to 9863``), a web page by
    its address, anything else by its reference as written."""
    ref = _get(source, "ref")
    if _get(source, "kind") != "seed":
        return ref
    doc = documents().get(ref)
    title = pick(doc, "title", lang) if doc else ref
    lines = _get(source, "lines")
    first, _, last = lines.partition("-")
    where = between(first, last, lang) if last else first
    key = "cite.lines" if last else "cite.line" if lines else "cite.document"
    return (gettext(key, lang) or "{title}").format(title=title, where=where)


class Names:
    """Names that come from the data: definitions (``definitions.csv`` label columns) and skills
    (``skills.csv``), looked up by id in either language."""

    def __init__(self, definitions: dict[str, tuple[str, str]] | None = None,
                 skills: dict[str, tuple[str, str]] | None = None,
                 categories: dict[str, tuple[str, str]] | None = None,
                 sources: dict[str, dict] | None = None) -> None:
        self.definitions = definitions or {}
        self.skills = skills or {}
        self.categories = categories or {}
        self.sources = sources or {}

    @classmethod
    def from_store(cls, store) -> Names:
        """Read the label columns of the active data (blocking: reads the store)."""
        defs = {}
        frame = store.definitions()
        for row in frame.itertuples(index=False):
            if row.label_en or row.label_ko:
                defs[row.definition] = (row.label_en or row.definition, row.label_ko or row.label_en)
        sources = {r["source_id"]: r for r in store.sources().to_dict("records")}
        return cls(defs, _skills_from_csv(), _categories(), sources)

    def definition(self, definition: str, lang: str) -> str:
        """A definition's name; an assumed-scale definition (``base_stock``) is named as the assumption."""
        pair = self.definitions.get(definition)
        return (_pick_pair(pair, lang) if pair else "") or assumption_name(definition, lang)

    def skill(self, skill: str, lang: str) -> str:
        pair = self.skills.get(skill)
        return _pick_pair(pair, lang) if pair else skill.replace("_", " ")

    def without_ids(self, text: str, lang: str) -> str:
        """``text`` with every source id in it (``semi-w23``) replaced by the source's publisher and year."""
        if not self.sources or "-" not in text:
            return text
        return _SOURCE_ID.sub(lambda m: source_credit(self.sources[m[0]], lang) if m[0] in self.sources else m[0], text)

    def category(self, id_: str, lang: str) -> str:
        """A breakdown id of a series (an occupation or an education level) by its label."""
        if id_ in EDUCATION:
            return education_name(id_, lang)
        pair = self.categories.get(id_)
        return _pick_pair(pair, lang) if pair else id_.replace("_", " ")

    def reference_line(self, ref: object, lang: str) -> str:
        """A published projection's label (of a forecast's reference line): its definition's name, then the
        breakdown part of the series id by its label (``….design`` → ``설계·디자인``), never the raw id."""
        name = self.definition(_get(ref, "definition"), lang)
        extra = [self.category(part, lang) for part in _get(ref, "series_id").split(".")[3:]]
        return " · ".join([name] + extra) if extra else name

    def series(self, series_id: str, lang: str) -> str:
        """A series by its words: quantity, definition and the breakdown part (``부족인원 · 반도체
        산업기술인력 (KIAT) · 석·박사``), never the id."""
        parts = series_id.split(".")
        words = [metric_name(parts[1], lang)] if len(parts) > 1 else [series_id]
        if len(parts) > 2:
            words.append(self.definition(parts[2], lang))
        words += [self.category(p, lang) for p in parts[3:]]
        return " · ".join(words)


def _pick_pair(pair: tuple[str, str], lang: str) -> str:
    """A data label held as an ``(English, Korean)`` pair, in ``lang`` (:func:`talentgap.i18n.pick`)."""
    return pick({"label_en": pair[0], "label_ko": pair[1]}, "label", lang)


def _categories() -> dict[str, tuple[str, str]]:
    """Breakdown ids of the shipped data (each sector's ``categories.csv``: occupations, fields) and the
    taxonomy's occupations → (English, Korean) label."""
    from talentgap.seeds.loader import seed_dataset
    from talentgap.seeds.taxonomy import taxonomy

    out = {r.id: (r.label_en, r.label_ko) for r in taxonomy().occupations.itertuples()}
    out.update({r.id: (r.label_en, r.label_ko) for r in seed_dataset().categories.itertuples()})
    return out


def _skills_from_csv() -> dict[str, tuple[str, str]]:
    import csv
    from importlib.resources import files

    path = files("talentgap.seeds") / "taxonomy" / "skills.csv"
    with path.open(encoding="utf-8") as f:
        return {r["id"]: (r["label_en"], r["label_ko"]) for r in csv.DictReader(f)}
