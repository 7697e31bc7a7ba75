"""One error rule for every interface.

A user error is a :class:`talentgap.errors.TalentgapError`: it carries a stable ``code``, the HTTP
``status`` it answers and the CLI exit code (2); the web UI shows an error page with that status.
Anything else is ours: exit 1, HTTP 500, the traceback logged under an error id that the user is shown
(:func:`internal`). Interfaces call :func:`classify`, which decides by class alone (``isinstance``):
an attribute named ``code`` on a foreign exception (SQLAlchemy's errors carry one) means nothing.

A user error's message comes from the ``errors`` catalogue through :func:`talentgap.i18n.msg`: its
``str()`` is the English text (CLI, HTTP JSON bodies, logs), and the web UI shows it in the page's
language (:func:`talentgap.i18n.localize`); :func:`classify` hands the message on unchanged.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from typing import Any

from talentgap.errors import TalentgapError

#: Longest text of a received value echoed back in an error (longer values are cut and say so).
MAX_ECHO = 200
#: Longest error message an interface shows; a message quoting a huge value is cut and says so.
MAX_MESSAGE = 2_000


class BadInput(TalentgapError, ValueError):
    """An argument, parameter or form field that cannot be used; the message names it and the value."""

    code = "request.invalid"


class TooLarge(TalentgapError, ValueError):
    """A request, upload or batch above a configured limit."""

    code = "upload.too_large"
    status = 413


class NotFound(TalentgapError, LookupError):
    """A source, file or page that does not exist."""

    code = "source.unknown"
    status = 404


class NotReady(TalentgapError, ValueError):
    """A report that is queued, running or failed, asked for its files."""

    code = "report.not_ready"
    status = 409


class AuthError(TalentgapError):
    """A missing or unknown key (401), or a role that may not do this (403): one subclass each."""

    @property
    def message(self) -> str:
        return self.args[0]


class MissingKey(AuthError):
    code = "auth.missing"
    status = 401


class InvalidKey(AuthError):
    code = "auth.invalid"
    status = 401


class Forbidden(AuthError):
    code = "auth.forbidden"
    status = 403


@dataclass(frozen=True)
class Outcome:
    """How an interface answers an exception: user error or internal, with status and exit code.
    ``error_id`` is set for an internal error (:func:`internal`)."""

    user: bool
    code: str
    message: str
    status: int
    exit_code: int
    error_id: str = ""


def classify(exc: BaseException) -> Outcome:
    """The single rule: a :class:`TalentgapError` is the user's; anything else is internal (and is not
    logged here: :func:`internal` does that)."""
    if not isinstance(exc, TalentgapError):
        return Outcome(False, "internal", "internal error", 500, 1)
    # the first argument, not str(exc): a KeyError's str() wraps the message in quotes
    message = exc.args[0] if exc.args and isinstance(exc.args[0], str) else str(exc)
    if len(message) > MAX_MESSAGE:
        message = f"{message[:MAX_MESSAGE]}… (cut, {len(message):,} characters)"
    return Outcome(True, exc.code, message, exc.status, exc.exit_code)


def internal(exc: BaseException, log: logging.Logger, what: str = "internal error") -> Outcome:
    """An internal error: its traceback logged under a new error id; the outcome carries the id and the
    message the user is shown (which names the id and nothing of the error itself)."""
    from talentgap.i18n import msg

    error_id = secrets.token_hex(4)
    log.error("%s (error id %s)", what, error_id, exc_info=exc)
    return Outcome(False, "internal", msg("internal.error_id", id=error_id), 500, 1, error_id)


def short(value: Any, limit: int = MAX_ECHO) -> Any:
    """A received value safe to echo in an error: scalars as they are, anything longer than ``limit``
    characters cut and marked with its full length."""
    if isinstance(value, bool | int | type(None)):
        return value
    if isinstance(value, float):
        return value if value == value and abs(value) != float("inf") else str(value)
    text = value if isinstance(value, str) else repr(value)
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… (cut, {len(text):,} characters)"
