"""``talentgap keys create|list|revoke``: API keys (stored hashed; a key is shown once)."""

from __future__ import annotations

from typing import Annotated

import typer

from .common import DbOption, handle_errors, open_store

app = typer.Typer(help="API keys: create, list, revoke.", no_args_is_help=True)


@app.command("create")
@handle_errors
def keys_create(role: Annotated[str, typer.Option("--role", help="admin, analyst, university or reporter.")],
                name: Annotated[str, typer.Option("--name", help="A unique name for the key.")],
                db: DbOption = None) -> None:
    """Create an API key; the key is printed alone on the last line (shown once, stored hashed)."""
    from ..service.keys import create

    key = create(store=open_store(db), role=role, name=name)
    typer.echo(f"created {role} key {name!r}")
    typer.echo(key)


@app.command("list")
@handle_errors
def keys_list(db: DbOption = None) -> None:
    """List keys (names and roles; keys themselves are not stored)."""
    from ..service.keys import list_all

    for k in list_all(store=open_store(db)):
        typer.echo(f"{k['name']:30} {k['role']:10} {k['created_at']:%Y-%m-%d %H:%M} "
                   f"{'revoked' if k['revoked'] else 'active'}")


@app.command("revoke")
@handle_errors
def keys_revoke(name: Annotated[str, typer.Argument(help="Name of the key.")], db: DbOption = None) -> None:
    """Revoke a key by name."""
    from ..service.keys import revoke

    revoke(store=open_store(db), name=name)
    typer.echo(f"revoked key {name!r}")
