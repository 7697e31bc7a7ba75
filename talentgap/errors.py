"""The one base of every error the user is told about.

A :class:`TalentgapError` subclass is the user's: it names a stable ``code`` (unique across the
subclasses; a test holds it), the HTTP ``status`` it answers (422 unless it says otherwise) and the CLI
``exit_code`` (2). Anything that is not a :class:`TalentgapError` is ours: HTTP 500 / exit 1, the
traceback logged under an error id that the user is shown (:mod:`talentgap.api.errors`).

Subclasses also derive from the built-in class they mean (``ValueError``, ``LookupError``), so callers
that catch those keep working. The message comes from the ``errors`` catalogue
(:func:`talentgap.i18n.msg`) and is the exception's first argument.
"""

from __future__ import annotations

from typing import ClassVar


class TalentgapError(Exception):
    """A user error: bad input, a name that names nothing, a request refused for now."""

    code: ClassVar[str] = "error"
    status: ClassVar[int] = 422
    exit_code: ClassVar[int] = 2


def error_classes() -> list[type[TalentgapError]]:
    """Every subclass of :class:`TalentgapError` defined so far (import the packages first)."""
    out: list[type[TalentgapError]] = []
    todo = list(TalentgapError.__subclasses__())
    while todo:
        cls = todo.pop()
        if cls not in out:
            out.append(cls)
            todo.extend(cls.__subclasses__())
    return out
