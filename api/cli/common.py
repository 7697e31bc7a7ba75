"""What every command shares: the ``--db`` option, opening the store, the output formats, argument
parsers, and :func:`handle_errors` — the one error rule of :mod:`talentgap.api.errors` for the CLI
(a user error exits 2 with its message; anything else exits 1, its traceback logged to standard error
under the error id the message names)."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from enum import StrEnum
from typing import Annotated, Any

import typer

from talentgap.i18n import msg

from ..errors import BadInput, classify, internal

log = logging.getLogger("talentgap.cli")
DbOption = Annotated[str | None, typer.Option("--db", help="Database URL (default: TALENTGAP_DATABASE_URL, "
                                              "else an SQLite file in the user data directory).")]


class Fmt(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def fail(message: str, code: int) -> None:
    typer.echo(message, err=True)
    raise typer.Exit(code)


def handle_errors(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Map exceptions to exit codes by the one rule: a user error → exit 2 with the message, else exit 1."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except typer.Exit:
            raise
        except Exception as exc:  # noqa: BLE001 - the CLI's last line of defence
            out = classify(exc)
            if not out.user:
                fail(str(internal(exc, log).message), out.exit_code)
            problems = getattr(exc, "problems", None)
            if problems is not None:
                fail(f"rejected: {len(problems)} problem(s)\n{exc}", out.exit_code)
            fail(f"error: {out.message}", out.exit_code)

    return wrapper


def open_store(db: str | None):
    """The store at ``db`` (default: the configured database), upgraded to the current schema; an
    upgrade is said on standard error (standard output stays the command's own)."""
    from ..service.data import open_store as open_database

    store = open_database(db)
    if store.schema_upgrade is not None and store.schema_upgrade.from_revision is not None:
        typer.echo(f"talentgap: {store.schema_upgrade}", err=True)
    return store


def parse_levers(items: list[str] | None) -> dict[str, float]:
    """``["extra_graduates=500", "entry_rate=0.3"]`` → dict; names are checked by the model."""
    out: dict[str, float] = {}
    for item in items or []:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise BadInput(msg("cli.bad_set", item=repr(item)))
        try:
            out[name.strip()] = float(value)
        except ValueError:
            raise BadInput(msg("cli.set_not_number", name=name.strip(), value=repr(value))) from None
    return out


def parse_skills(text: str) -> dict[str, float]:
    """``"rtl_design=1,verification=0.5"`` → dict; raises :class:`BadInput` naming --skills."""
    out: dict[str, float] = {}
    for part in text.split(","):
        if not part.strip():
            continue
        name, sep, value = part.partition("=")
        if not sep:
            raise BadInput(msg("cli.bad_skills", part=repr(part.strip())))
        try:
            out[name.strip()] = float(value)
        except ValueError:
            raise BadInput(msg("cli.skill_not_number", name=name.strip(), value=repr(value.strip()))) from None
    if not out:
        raise BadInput(msg("cli.skills_empty"))
    return out
