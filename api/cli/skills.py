"""``talentgap skills``, ``talentgap gap`` and ``talentgap program assess``: the skill taxonomy, the
gap for a skill profile, and a university programme's outlook and mismatch."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from talentgap.i18n import msg

from ..errors import BadInput
from ..render.tables import gap_table, programme_table, skill_gaps_table, skills_table
from .common import DbOption, Fmt, handle_errors, open_store, parse_skills

program_app = typer.Typer(help="University programmes: demand outlook and skill mismatch.", no_args_is_help=True)


def _json(value) -> None:
    typer.echo(json.dumps(value, ensure_ascii=False, indent=2, default=str))


@handle_errors
def skills(sector: Annotated[str | None, typer.Option("--sector")] = None,
           format: Annotated[Fmt, typer.Option("--format", help="table or json.")] = Fmt.table,
           gaps: Annotated[bool, typer.Option("--gaps", help="Openings, supply and gap by skill (needs --sector).")] = False,
           horizon: Annotated[int | None, typer.Option("--horizon")] = None,
           db: DbOption = None) -> None:
    """The skill taxonomy: ids with English and Korean labels; with --gaps, the gap by skill."""
    from ..service import get_skill_gaps, list_skills

    if gaps:
        if not sector:
            raise BadInput(msg("cli.gaps_need_sector"))
        rows = get_skill_gaps(store=open_store(db), sector=sector, horizon=horizon)
        _json(rows) if format is Fmt.json else typer.echo(skill_gaps_table(rows))
        return
    if sector:  # the store's sectors (an added one's links among them) are known once it is open
        open_store(db)
    rows = list_skills(sector=sector)
    _json(rows) if format is Fmt.json else typer.echo(skills_table(rows))


@handle_errors
def gap(
    skills_: Annotated[str, typer.Option("--skills", help='Profile, e.g. "rtl_design=1,verification=0.5".')],
    sector: Annotated[str | None, typer.Option("--sector", help="Limit matching to one sector.")] = None,
    horizon: Annotated[int | None, typer.Option("--horizon")] = None,
    format: Annotated[Fmt, typer.Option("--format", help="json or table.")] = Fmt.json,
    db: DbOption = None,
) -> None:
    """Projected gap for a skill profile, with the occupations it matches."""
    from ..service import get_gap

    result = get_gap(store=open_store(db), skills=parse_skills(skills_), sector=sector, horizon=horizon)
    _json(result) if format is Fmt.json else typer.echo(gap_table(result))


@program_app.command("assess")
@handle_errors
def program_assess(
    file: Annotated[Path, typer.Option("--file", help="program.json: name, sector, degree, seats_per_year, skills, region?")],
    horizon: Annotated[int | None, typer.Option("--horizon")] = None,
    format: Annotated[Fmt, typer.Option("--format", help="json or table.")] = Fmt.json,
    db: DbOption = None,
) -> None:
    """A programme's demand outlook, skill mismatch and the skills to add."""
    from ..service import assess_programme

    if not file.is_file():
        raise BadInput(msg("cli.no_programme_file", file=file))
    try:
        programme = json.loads(file.read_text(encoding="utf-8-sig"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise BadInput(msg("cli.bad_programme_json", file=file, error=exc)) from None
    result = assess_programme(store=open_store(db), programme=programme, horizon=horizon)
    _json(result) if format is Fmt.json else typer.echo(programme_table(result))
