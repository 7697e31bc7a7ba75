"""One error rule for every interface.

Domain errors carry a stable ``code`` (``UnknownSector.code = "sector.unknown"``). A coded error is the
user's: the CLI exits 2 with its message, HTTP answers the status from :data:`STATUS_BY_CODE` (422 when
the code is not listed), the web UI shows an error page with that status. Anything without a ``code`` is
ours: exit 1, HTTP 500, logged. Interfaces call :func:`classify` and never list exception classes.

A coded error's message comes from the ``errors`` catalogue through :func:`talentgap.i18n.msg`: its
``str()`` is the English text (CLI, HTTP JSON bodies, logs), and the web UI shows it in the page's
language (:func:`talentgap.i18n.localize`); :func:`classify` hands the message on unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

#: Domain error code → HTTP status. A code not listed is a 422 (bad input).
STATUS_BY_CODE: dict[str, int] = {
    "auth.missing": 401,
    "auth.invalid": 401,
    "auth.forbidden": 403,
    "csrf.invalid": 403,
    "sector.unknown": 404,
    "dataset.unknown_version": 404,
    "scenario.unknown": 404,
    "keys.unknown": 404,
    "source.unknown": 404,
    "report.unknown": 404,
    "report.format_missing": 404,
    "schedule.unknown": 404,
    "page.unknown": 404,
    "scenario.exists": 409,
    "series.missing": 409,
    "report.not_ready": 409,
    "report.not_cancellable": 409,
    "report.not_yours": 403,
    "report.queue_full": 429,
    "upload.too_large": 413,
    "request.too_large": 413,
}

#: Longest text of a received value echoed back in an error (longer values are cut and say so).
MAX_ECHO = 200
#: Longest error message an interface shows; a message quoting a huge value is cut and says so.
MAX_MESSAGE = 2_000


class BadInput(ValueError):
    """An argument, parameter or form field that cannot be used; the message names it and the value."""

    code = "request.invalid"


class TooLarge(ValueError):
    """A request, upload or batch above a configured limit."""

    code = "upload.too_large"


class NotFound(LookupError):
    """A source, file or page that does not exist."""

    code = "source.unknown"


class PageNotFound(LookupError):
    """A web UI address that names nothing."""

    code = "page.unknown"


class NotReady(ValueError):
    """A report that is queued, running or failed, asked for its files."""

    code = "report.not_ready"


class AuthError(Exception):
    """A missing or unknown key (401), or a role that may not do this (403)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


@dataclass(frozen=True)
class Outcome:
    """How an interface answers an exception: user error or internal, with status and exit code."""

    user: bool
    code: str
    message: str
    status: int
    exit_code: int


def classify(exc: BaseException) -> Outcome:
    """The single rule: an exception with a ``code`` is the user's; anything else is internal."""
    code = getattr(exc, "code", None)
    if not isinstance(code, str):
        return Outcome(False, "internal", "internal error", 500, 1)
    # the first argument, not str(exc): a KeyError's str() wraps the message in quotes
    message = exc.args[0] if exc.args and isinstance(exc.args[0], str) else str(exc)
    if len(message) > MAX_MESSAGE:
        message = f"{message[:MAX_MESSAGE]}… (cut, {len(message):,} characters)"
    return Outcome(True, code, message, STATUS_BY_CODE.get(code, 422), 2)


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
