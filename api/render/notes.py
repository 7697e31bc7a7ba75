"""The models' notes in the reader's language.

A forecast carries its notes twice: ``notes``, the English text (the JSON contract), and ``note_ids``,
each note's message id and parameters in the ``notes`` catalogue (``talentgap.i18n.Message.as_dict``).
:func:`render_note` fills the catalogue text of either language from the parameters: numbers with the
locale's separators (Babel, through :mod:`.numbers`) by the placeholder's format (``{backlog:,.0f}``,
``{rate:.1%}``), years as integers, and ids as words by the parameter's name (``definition``,
``education``, ``sector``, ``model``, ``lever``, ``assumption``, ``quantity``; see :data:`KINDS`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from functools import reduce
from string import Formatter
from typing import NamedTuple

from talentgap.i18n import gettext

from . import names as words
from . import numbers
from .names import Names

#: Parameter name → how its id is shown as a word in a language.
KINDS: dict[str, Callable[[str, str, Names], str]] = {
    "definition": lambda v, lang, n: n.definition(v, lang),
    "education": lambda v, lang, n: words.education_name(v, lang),
    "sector": lambda v, lang, n: words.sector_name(v, lang),
    "model": lambda v, lang, n: words.method_name(v, lang),
    "lever": lambda v, lang, n: words.assumption_name(v, lang),
    "needs": lambda v, lang, n: words.assumption_name(v, lang),
    "assumption": lambda v, lang, n: words.assumption_name(v, lang),
    # a quantity by its word in the ui catalogue (``quantity.supply``: English ``supply``, Korean ``공급``)
    "quantity": lambda v, lang, n: gettext(f"quantity.{v}", lang) or v,
}
_SPEC = re.compile(r"^(?P<sign>\+?)(?P<comma>,?)(?:\.(?P<digits>\d+))?(?P<kind>[fg%]?)$")


class Shown(NamedTuple):
    """A note as shown: its text and the language it is in (English where a note has no id)."""

    text: str
    lang: str


def number(value: float, spec: str, lang: str) -> str:
    """``value`` by a placeholder's format spec, in ``lang``: ``,.0f`` and ``.2f`` with the locale's
    separators, ``.1%`` a percent, ``+`` a sign, ``g`` and no spec a whole number without decimals
    (a year stays ``2027``)."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    m = _SPEC.match(spec)
    if not m:
        return format(value, spec)
    kind = m["kind"]
    if kind == "" and not m["digits"] and not m["comma"]:
        return str(int(value)) if float(value).is_integer() else str(value)
    if kind == "g":
        return numbers.num(value, lang) if float(value).is_integer() else format(value, "g")
    x = value * 100 if kind == "%" else value
    digits = int(m["digits"] or 0)
    text = numbers.num(x, lang, digits)
    if m["sign"] and round(x, digits) > 0:
        text = "+" + text
    return text + ("%" if kind == "%" else "")


class _Filler(Formatter):
    def __init__(self, lang: str) -> None:
        self.lang = lang

    def format_field(self, value: object, format_spec: str) -> str:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return number(value, format_spec, self.lang)
        return str(value)


def _value(name: str, value: object, lang: str, names: Names) -> object:
    if isinstance(value, dict):
        if "items" in value:
            items = (_value(name, v, lang, names) for v in value["items"])
            parts = [_Filler(lang).format_field(v, "") for v in items]
            sep = str(value.get("sep", ", "))
            if sep == "; " and parts:  # clauses: a semicolon in English, sentences one after another in Korean
                join = gettext("clause_join", lang) or "{first}; {then}"
                return reduce(lambda a, b: join.format(first=a, then=b), parts)
            return sep.join(parts)
        return render_note(value, lang, names)
    if isinstance(value, str) and name in KINDS:
        return KINDS[name](value, lang, names)
    return value


def render_note(entry: dict | None, lang: str, names: Names | None = None, *, fallback: str = "") -> str:
    """One note's id (``{"key", "params"}`` or ``{"text": {"en", "ko"}}``) in ``lang``; ``fallback``
    (the stored English) where the note has no id or the catalogue no entry."""
    if not entry:
        return fallback
    if "text" in entry:
        texts = entry["text"]
        return texts.get(lang) or texts.get("en") or fallback
    template = gettext(str(entry.get("key")), lang, "notes")
    if template is None:
        return fallback or str(entry.get("key"))
    names = names or Names()
    params = {k: _value(k, v, lang, names) for k, v in (entry.get("params") or {}).items()}
    try:
        return _Filler(lang).format(template, **params)
    except (KeyError, IndexError, ValueError):  # a stored note older than its catalogue entry
        return fallback or template


def result_notes(result: dict, lang: str, names: Names | None = None) -> list[Shown]:
    """A result's notes (``notes`` with ``note_ids``) in ``lang``, in the page's number style and with
    source ids as words; a note without an id stays English."""
    def get(key: str) -> list:
        return (result.get(key) if isinstance(result, dict) else getattr(result, key, None)) or []

    names = names or Names()
    ids, out = get("note_ids"), []
    for i, text in enumerate(get("notes")):
        entry = ids[i] if i < len(ids) else None
        shown_lang = lang if entry else "en"
        shown = render_note(entry, lang, names, fallback=str(text))
        out.append(Shown(numbers.tidy(names.without_ids(shown, lang), shown_lang), shown_lang))
    return out
