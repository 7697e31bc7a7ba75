"""The message catalogue: gettext ``.po`` files in ``talentgap/locale/<lang>/LC_MESSAGES/<domain>.po``,
read through Babel, one per language (``en``, ``ko``) and domain.

Domains: ``ui`` (labels, names of methods, scenarios, statuses, periods and assumptions; web UI and
reports), ``notes`` (the models' notes on a result), ``errors`` (messages of coded errors). A message id
is a stable key (``gap``, ``method.drift``); both languages carry a full entry, so a missing entry in
either is a defect the catalogue test finds. Every layer may use this module (it sits below ``seeds``).

A model's note and a coded error's message are one kind of value, :class:`Message`: a ``str`` holding
the English text of a ``notes`` or ``errors`` entry (so JSON, the CLI, HTTP bodies and logs read
English), which keeps its message id and parameters, so an interface can show it in another language.
Write ``note("backlog.added", year=2022, backlog=1784.0)`` or ``msg("sector.unknown", sector=...)``, the
id a literal: the catalogue test finds the ids with Babel's extractor.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import cache
from importlib.resources import files
from typing import Any

LANGUAGES = ("en", "ko")
DOMAINS = ("ui", "notes", "errors")


@cache
def catalogue(lang: str, domain: str = "ui") -> dict[str, str]:
    """Message id → text of one language and domain (an empty dict when the file is absent)."""
    from babel.messages.pofile import read_po

    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {', '.join(LANGUAGES)}; got {lang!r}")
    path = files("talentgap") / "locale" / lang / "LC_MESSAGES" / f"{domain}.po"
    if not path.is_file():
        return {}
    with path.open("rb") as f:
        parsed = read_po(f, locale=lang, domain=domain)
    return {str(m.id): str(m.string) for m in parsed if m.id and m.string}


def gettext(key: str, lang: str, domain: str = "ui") -> str | None:
    """The text of ``key`` in ``lang`` (English for an unknown language), or None when there is none."""
    return catalogue(lang if lang in LANGUAGES else "en", domain).get(key)


def choose_language(query: str | None = None, cookie: str | None = None, accept: str | None = None) -> str:
    """The language of a page, by one rule: the ``?lang=`` of the request, then the ``tg_lang`` cookie,
    then the browser's ``Accept-Language`` (its most preferred language we have), then English. A value
    that is not one of :data:`LANGUAGES` is passed over."""
    for chosen in (query, cookie):
        if chosen in LANGUAGES:
            return chosen
    for tag in _accepted(accept or ""):
        base = tag.replace("_", "-").split("-")[0].lower()
        if base in LANGUAGES:
            return base
    return LANGUAGES[0]


def _accepted(header: str) -> list[str]:
    """The language tags of an ``Accept-Language`` header, most preferred first (``q=0`` left out)."""
    ranked = []
    for i, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        weight = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        if tag.strip() and tag.strip() != "*" and weight > 0:
            ranked.append((-weight, i, tag.strip()))
    return [tag for _, _, tag in sorted(ranked)]


def translator(lang: str, domain: str = "ui"):
    """``t(key)`` → the label in ``lang``, falling back to the key (the templates' ``t``)."""
    table = catalogue(lang if lang in LANGUAGES else "en", domain)
    return lambda key: table.get(key, key)


def edition(record: object, field: str, lang: str) -> tuple[str, str]:
    """A text the data gives in several languages (a label, a description, a rationale) in ``lang``, and
    the language it is in: the record's ``<field>_<lang>`` edition when it has one, else the English
    (``<field>_en``, or ``field`` itself where the English edition carries no suffix). ``record`` is a
    mapping or an object with attributes (a row, a dataclass); a missing field reads as empty."""
    for chosen in dict.fromkeys((lang, LANGUAGES[0])):
        text = _field(record, f"{field}_{chosen}")
        if text:
            return text, chosen
    return _field(record, field), LANGUAGES[0]


def pick(record: object, field: str, lang: str) -> str:
    """``record``'s ``field`` in ``lang``, falling back to English (see :func:`edition`)."""
    return edition(record, field, lang)[0]


def _field(record: object, name: str) -> str:
    value = record.get(name) if isinstance(record, Mapping) else getattr(record, name, None)
    return str(value) if value else ""


class Text(str):
    """A text the data gives in both languages (a model file's note or label): its value is the English,
    ``.ko`` the Korean."""

    ko: str

    def __new__(cls, en: str, ko: str) -> Text:
        self = super().__new__(cls, en)
        self.ko = ko
        return self

    def __reduce__(self):
        return Text, (str(self), self.ko)

    def in_lang(self, lang: str) -> str:
        return pick({"text": str(self), "text_ko": self.ko}, "text", lang)

    def as_dict(self) -> dict:
        return {"text": {"en": str(self), "ko": self.ko}}


class Listing(tuple):
    """Values shown one after another, joined by ``sep`` (``", "`` unless stated) in every language."""

    sep: str

    def __new__(cls, items=(), sep: str = ", ") -> Listing:
        self = super().__new__(cls, items)
        self.sep = sep
        return self

    def __reduce__(self):
        return Listing, (tuple(self), self.sep)

    def __str__(self) -> str:
        return self.sep.join(str(v) for v in self)


class Message(str):
    """The English text of entry ``key`` of a catalogue ``domain`` (``notes`` or ``errors``) with
    ``params`` filled in; it keeps ``domain``, ``key`` and ``params`` (:meth:`in_lang` for another
    language, :meth:`as_dict` for the JSON-safe form a stored result keeps).

    A parameter is a number, an id, a nested :class:`Message`, a :class:`Text` or a :class:`Listing`.
    :meth:`in_lang` shows nested values in the same language and a ``field`` parameter (a form field or
    lever id) by its ``ui`` label; richer display (numbers per locale, ids as words) is the interface's
    (``talentgap.api.render.notes``). An id missing from the catalogue shows as ``key name=value``, never
    fails (the catalogue test finds it).
    """

    domain: str
    key: str
    params: dict[str, Any]

    def __new__(cls, domain: str, key: str, params: dict[str, Any]) -> Message:
        params = {name: _plain(v) for name, v in params.items()}
        self = super().__new__(cls, _fill(domain, key, "en", params))
        self.domain, self.key, self.params = domain, key, params
        return self

    def __reduce__(self):  # pickles as itself (jobs, process pools), its English kept as made
        return _restore, (str(self), self.domain, self.key, self.params)

    def in_lang(self, lang: str) -> str:
        """The text in ``lang`` (English for an unknown language)."""
        return _fill(self.domain, self.key, lang, self.params)

    def as_dict(self) -> dict:
        return {"key": self.key, "params": {name: _json(v) for name, v in self.params.items()}}

    @classmethod
    def from_dict(cls, domain: str, entry: dict) -> Message:
        """The message again from its :meth:`as_dict` form (parameters as JSON kept them)."""
        return cls(domain, str(entry["key"]), dict(entry.get("params") or {}))


def note(key: str, /, **params: Any) -> Message:
    """The note ``key`` of the ``notes`` catalogue with ``params`` (see :class:`Message`)."""
    return Message("notes", key, params)


def msg(key: str, /, **params: Any) -> Message:
    """The message ``key`` of the ``errors`` catalogue with ``params`` (see :class:`Message`); received
    values are passed already cut (``talentgap.api.errors.short``)."""
    return Message("errors", key, params)


def localize(text: Any, lang: str) -> str:
    """``text`` in ``lang`` when it knows its id (:class:`Message`, :class:`Text`), else ``str(text)``."""
    return text.in_lang(lang) if isinstance(text, Message | Text) else str(text)


def error_text(exc: BaseException, lang: str) -> str:
    """The message of ``exc`` (its first argument, as ``talentgap.api.errors.classify`` takes it) in
    ``lang``."""
    first = exc.args[0] if exc.args and isinstance(exc.args[0], str) else str(exc)
    return localize(first, lang)


def note_ids(notes) -> list[dict | None]:
    """The JSON-safe form of each note of a list (``{"key", "params"}`` or ``{"text": {"en", "ko"}}``),
    ``None`` for a plain string: stored beside the English ``notes`` so a result keeps its notes'
    ids through JSON."""
    return [n.as_dict() if isinstance(n, Message | Text) else None for n in notes]


def _restore(text: str, domain: str, key: str, params: dict) -> Message:
    self = str.__new__(Message, text)
    self.domain, self.key, self.params = domain, key, params
    return self


def _fill(domain: str, key: str, lang: str, params: dict[str, Any]) -> str:
    text = gettext(key, lang, domain) or gettext(key, "en", domain)
    if text is None:
        return " ".join([key, *(f"{k}={v}" for k, v in params.items())])
    return text.format(**{name: _shown(name, v, lang) for name, v in params.items()})


def _shown(name: str, value: Any, lang: str) -> Any:
    if isinstance(value, Message | Text):
        return value.in_lang(lang)
    if isinstance(value, Listing):
        return value.sep.join(str(_shown(name, v, lang)) for v in value)
    if name == "field" and isinstance(value, str):  # each language's entry says: the id, or its ui label
        entry = gettext("field", lang, "errors") or "{id}"
        return entry.format(id=value, label=gettext(value, lang, "ui") or value)
    return value


def _plain(value: object) -> object:
    """numpy scalars as Python numbers, lists and tuples as a :class:`Listing`."""
    if isinstance(value, str | Listing | bool) or value is None:
        return value
    if isinstance(value, list | tuple):
        return Listing(_plain(v) for v in value)
    if hasattr(value, "item"):  # a numpy scalar
        return value.item()
    return value


def _json(value: object) -> object:
    if isinstance(value, Message | Text):
        return value.as_dict()
    if isinstance(value, Listing):
        return {"items": [_json(v) for v in value], "sep": value.sep}
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)  # JSON has no infinity; shown as text
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)  # an exception or another object a message quotes: its text
