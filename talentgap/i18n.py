"""The message catalogue: gettext ``.po`` files in ``talentgap/locale/<lang>/LC_MESSAGES/<domain>.po``,
read through Babel, one per language (``en``, ``ko``) and domain.

Domains: ``ui`` (labels, names of methods, scenarios, statuses, periods and assumptions; web UI and
reports), ``notes`` (the models' notes on a result), ``errors`` (messages of coded errors). A message id
is a stable key (``gap``, ``method.drift``); both languages carry a full entry, so a missing entry in
either is a defect the catalogue test finds. Every layer may use it (it sits below ``seeds``).
"""

from __future__ import annotations

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
