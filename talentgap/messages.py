"""Messages of coded errors, from the ``errors`` catalogue (``talentgap/locale/<lang>/LC_MESSAGES/errors.po``).

A raise site writes ``raise UnknownSector(msg("sector.unknown", sector=repr(name), sectors=...))``.
:func:`msg` returns a :class:`Message`: a ``str`` holding the English text (so ``str(exc)``, the CLI,
HTTP JSON bodies and logs read English), which also remembers its message id and parameters, so an
interface can show it in another language with :func:`localize` (the web UI, in the page's language).
Parameters are the values as given (received values already cut to ``MAX_ECHO``), except that a
parameter that is itself a :class:`Message` is localized too, and a ``field`` parameter (a form field or
lever id) shows the ``ui`` catalogue's label in a language other than English when there is one. Every
layer may use this module.
"""

from __future__ import annotations

from typing import Any

from .i18n import gettext

DOMAIN = "errors"


class Message(str):
    """English text of an ``errors`` catalogue entry, remembering ``key`` and ``params``."""

    key: str
    params: dict[str, Any]

    def __new__(cls, key: str, params: dict[str, Any]) -> Message:
        self = super().__new__(cls, _fill(key, "en", params))
        self.key, self.params = key, params
        return self

    def __reduce__(self):  # pickles as key and parameters (jobs, process pools)
        return Message, (self.key, self.params)

    def in_lang(self, lang: str) -> str:
        """The text in ``lang`` (English for an unknown language)."""
        return _fill(self.key, lang, self.params)


def msg(key: str, /, **params: Any) -> Message:
    """The message ``key`` of the errors catalogue with its ``{placeholders}`` filled from ``params``.

    ``key`` must be a literal at the call site: the catalogue test finds the ids with Babel's extractor."""
    return Message(key, params)


def localize(text: Any, lang: str) -> str:
    """``text`` in ``lang`` when it is a :class:`Message`, else ``str(text)`` as it is."""
    return text.in_lang(lang) if isinstance(text, Message) else str(text)


def error_text(exc: BaseException, lang: str) -> str:
    """The message of ``exc`` (its first argument, as :func:`talentgap.api.errors.classify` takes it) in
    ``lang``."""
    first = exc.args[0] if exc.args and isinstance(exc.args[0], str) else str(exc)
    return localize(first, lang)


def _fill(key: str, lang: str, params: dict[str, Any]) -> str:
    text = gettext(key, lang, DOMAIN) or gettext(key, "en", DOMAIN)
    if text is None:  # a new id shows, never fails; the catalogue test finds it missing
        return " ".join([key, *(f"{k}={v}" for k, v in params.items())])
    return text.format(**{k: _param(k, v, lang) for k, v in params.items()})


def _param(name: str, value: Any, lang: str) -> Any:
    if isinstance(value, Message):
        return value.in_lang(lang)
    if name == "field" and lang != "en" and isinstance(value, str):
        return gettext(value, lang, "ui") or value
    return value
