"""``talentgap sector add|list|show|remove``: sectors as data."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from .common import DbOption, Fmt, handle_errors, open_store

app = typer.Typer(help="Sectors: add one by data, list, show, remove.", no_args_is_help=True)


@app.command("add")
@handle_errors
def sector_add(
    sector: Annotated[str, typer.Argument(help="The new sector's id, e.g. display.")],
    name_ko: Annotated[str, typer.Option("--name-ko", help="Korean name (in Hangul).")] = "",
    name_en: Annotated[str, typer.Option("--name-en", help="English name, e.g. Display.")] = "",
    file: Annotated[Path | None, typer.Option("--file", help="Specification: a .toml or .xlsx file with "
                                              "definitions, assumptions, model tables and optional links to "
                                              "the skill taxonomy (occupations, feeder_fields).")] = None,
    db: DbOption = None,
) -> None:
    """Add a sector; its observations then import with ``talentgap data import``."""
    from ..service import sectors

    entry = sectors.sector_entry(file=file, sector=sector, name_en=name_en, name_ko=name_ko)
    added = sectors.add_sector(store=open_store(db), entry=entry)
    typer.echo(f"added sector {added['id']} ({added['name_ko']}, {added['name_en']}) as dataset version "
               f"{added['dataset_version']}")


@app.command("list")
@handle_errors
def sector_list(format: Annotated[Fmt, typer.Option("--format", help="table or json.")] = Fmt.table,
                db: DbOption = None) -> None:
    """Every sector with its names and how many series it holds."""
    from ..service import sectors

    rows = sectors.list_sectors(store=open_store(db))
    if format is Fmt.json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for r in rows:
        kind = "shipped" if r["shipped"] else "added"
        typer.echo(f"{r['id']:16} {r['name_ko']:12} {r['name_en']:40} {kind:8} {r['series']:>4} series")


@app.command("show")
@handle_errors
def sector_show(sector: str, format: Annotated[Fmt, typer.Option("--format", help="table or json.")] = Fmt.table,
                db: DbOption = None) -> None:
    """One sector: names, definitions and the assumptions its forecasts use (defaults marked)."""
    from ..service import sectors

    s = sectors.get_sector(store=open_store(db), sector=sector)
    if format is Fmt.json:
        typer.echo(json.dumps(s, ensure_ascii=False, indent=2, default=str))
        return
    typer.echo(f"{s['id']}: {s['name_ko']} / {s['name_en']}")
    for d in s.get("definitions", []):
        typer.echo(f"  definition {d['definition']}: {d.get('label_en', '')} ({', '.join(d.get('metrics', []))})")
    if s.get("occupations") or s.get("feeder_fields"):
        from talentgap.seeds.taxonomy import taxonomy

        tax = taxonomy()
        labels = {r.id: r.label_ko for r in tax.occupations.itertuples()} | \
            {r.id: r.name_ko for r in tax.programmes.itertuples()}
        for name in ("occupations", "feeder_fields"):
            if s.get(name):
                shown = ", ".join(f"{i} ({labels[i]})" if labels.get(i) else i for i in s[name])
                typer.echo(f"  {name.replace('_', ' ')} (skill taxonomy): {shown}")
    if not s["forecastable"]:
        typer.echo(f"  not forecast yet: {s['reason']}")
    for a in s["assumptions_used"]:
        mark = "  (default)" if a["name"] in s["defaults"] else ""
        typer.echo(f"  {a['name']:22} {a['value']:>10.4g}  [{a['low']:.4g}, {a['high']:.4g}] {a['unit']}{mark}")


@app.command("remove")
@handle_errors
def sector_remove(sector: str, db: DbOption = None) -> None:
    """Remove a sector (refused while a saved scenario or report schedule uses it)."""
    from ..service import sectors

    done = sectors.remove_sector(store=open_store(db), sector=sector)
    typer.echo(f"removed sector {done['id']} as dataset version {done['dataset_version']}")
