"""Korean descriptions of sources and definitions.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02

Adds ``description_ko`` to ``source`` and ``definition``: the Korean edition of ``description``, shown
on Korean pages and in the Korean report. A stored row whose English description is word for word the
one shipped in the seed files (``seeds/**/sources.csv``, ``definitions.csv``) takes that file's Korean
text; any other row (an upload's own source) gets an empty Korean one, which readers take as "show the
English".
"""

from __future__ import annotations

import csv
from importlib.resources import as_file, files

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TABLES = ("source", "definition")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("description_ko", sa.Text, nullable=False, server_default=""))
    bind = op.get_bind()
    for table, key in (("source", "source_id"), ("definition", "definition")):
        fill = sa.text(f"UPDATE {table} SET description_ko = :ko WHERE {key} = :id AND description = :en "
                       "AND description_ko = ''")
        rows = [{"id": r[key], "en": r["description"], "ko": r["description_ko"]}
                for r in _shipped(f"{table}s.csv") if r.get("description_ko")]
        if rows:
            bind.execute(fill, rows)


def _shipped(name: str) -> list[dict[str, str]]:
    """Rows of every seed file called ``name`` shipped with the package (sector folders, population,
    taxonomy)."""
    root = files("talentgap.seeds")
    folders = [root / "data" / d.name for d in (root / "data").iterdir() if d.is_dir()]
    out: list[dict[str, str]] = []
    for folder in [*folders, root / "population", root / "taxonomy"]:
        path = folder / name
        if path.is_file():
            with as_file(path) as real, open(real, encoding="utf-8", newline="") as f:
                out.extend(csv.DictReader(f))
    return out


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("description_ko")
