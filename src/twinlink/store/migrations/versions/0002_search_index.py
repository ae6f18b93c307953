"""search index: SQLite FTS5, PostgreSQL tsvector

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 15:40:00
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # FTS5 rows are found by rowid; search_keys gives each (kind, id) its rowid
        op.execute(
            "CREATE TABLE search_keys (id INTEGER PRIMARY KEY AUTOINCREMENT, kind VARCHAR(20) NOT NULL, "
            "ref_id VARCHAR(64) NOT NULL, UNIQUE (kind, ref_id))"
        )
        op.execute(
            "CREATE VIRTUAL TABLE search_index USING fts5(title, body, tokenize='unicode61 remove_diacritics 2')"
        )
    else:
        op.execute(
            "CREATE TABLE search_index ("
            "kind VARCHAR(20) NOT NULL, ref_id VARCHAR(64) NOT NULL, title TEXT NOT NULL, body TEXT NOT NULL, "
            "terms tsvector GENERATED ALWAYS AS "
            "(setweight(to_tsvector('simple', title), 'A') || setweight(to_tsvector('simple', body), 'B')) STORED, "
            "PRIMARY KEY (kind, ref_id))"
        )
        op.execute("CREATE INDEX ix_search_index_terms ON search_index USING GIN (terms)")


def downgrade() -> None:
    op.execute("DROP TABLE search_index")
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE search_keys")
