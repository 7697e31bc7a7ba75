"""The message catalogue: gettext ``.po`` files in ``talentgap/locale/<lang>/LC_MESSAGES/<domain>.po``,
read through Babel, one per language (``en``, ``ko``) and domain.

Domains: ``ui`` (labels, names of methods, scenarios, statuses, periods and assumptions; web UI and
reports), ``notes`` (the models' notes on a result), ``errors`` (messages of coded errors, through
:mod:`talentgap.messages`). A message id is a stable key (``gap``, ``method.drift``); both languages
carry a full entry, so a missing entry in either is a defect the catalogue test finds. Every layer may use it (it sits below ``seeds``).
"""

from __future__ import annotations

import math
from functools import cache
from importlib.resources import files

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


def translate(key: str, lang: str, domain: str = "ui", /, **params: object) -> str:
    """The text of ``key`` in ``lang`` with ``{name}`` placeholders filled; the key itself when the
    catalogue has no entry (so a new id shows, never fails)."""
    text = gettext(key, lang, domain)
    if text is None:
        return key
    return text.format(**params) if params else text


def translator(lang: str, domain: str = "ui"):
    """``t(key)`` → the label in ``lang``, falling back to the key (the templates' ``t``)."""
    table = catalogue(lang if lang in LANGUAGES else "en", domain)
    return lambda key: table.get(key, key)


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


class Note(str):
    """A model's note on a result: its value is the English text of ``key`` in the ``notes`` catalogue
    with ``params`` filled in, and it keeps ``key`` and ``params`` so an interface can show it in
    another language (:meth:`as_dict` is the JSON-safe form, :func:`note_ids` for a list of notes).

    A parameter is a number, an id (shown as a word where the interface knows the kind by the
    parameter's name, e.g. ``definition``), a nested :class:`Note`, a :class:`Text` or a :class:`Listing`.
    """

    key: str
    params: dict

    def __new__(cls, key: str, /, **params: object) -> Note:
        params = {name: _plain(v) for name, v in params.items()}
        template = catalogue("en", "notes").get(key)
        if template is None:
            raise LookupError(f"note key {key!r} is not in talentgap/locale/en/LC_MESSAGES/notes.po; add it "
                              "in both languages")
        self = super().__new__(cls, template.format(**params))
        self.key, self.params = key, params
        return self

    def __reduce__(self):
        return _restore_note, (str(self), self.key, self.params)

    def as_dict(self) -> dict:
        return {"key": self.key, "params": {name: _json(v) for name, v in self.params.items()}}


def _restore_note(text: str, key: str, params: dict) -> Note:
    self = str.__new__(Note, text)
    self.key, self.params = key, params
    return self


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
    if isinstance(value, Note | Text):
        return value.as_dict()
    if isinstance(value, Listing):
        return {"items": [_json(v) for v in value], "sep": value.sep}
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)  # JSON has no infinity; shown as text
    return value


def note(key: str, /, **params: object) -> Note:
    """The note ``key`` of the ``notes`` catalogue with ``params`` (see :class:`Note`)."""
    return Note(key, **params)


def note_ids(notes) -> list[dict | None]:
    """The JSON-safe form of each note of a list (``{"key", "params"}`` or ``{"text": {"en", "ko"}}``),
    ``None`` for a plain string: stored beside the English ``notes`` so a result keeps its notes'
    ids through JSON."""
    return [n.as_dict() if isinstance(n, Note | Text) else None for n in notes]
