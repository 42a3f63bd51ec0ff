"""search numbers come from the database; PostgreSQL's skill ids continue after the seed

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 16:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "search_numbers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_numbers")),
        sqlite_autoincrement=True,
    )
    # The next number follows the ones already given.
    op.execute(
        "INSERT INTO search_numbers (id) "
        "SELECT max(search_seq) FROM leads HAVING max(search_seq) IS NOT NULL"
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "SELECT setval(pg_get_serial_sequence('search_numbers', 'id'), "
            "max(id)) FROM search_numbers"
        )
        # Databases migrated before 0001 set it: the seeded skills' explicit ids left the
        # sequence at 1, so every new skill collided with a seeded one.
        op.execute("SELECT setval(pg_get_serial_sequence('skills', 'id'), max(id)) FROM skills")


def downgrade() -> None:
    op.drop_table("search_numbers")
