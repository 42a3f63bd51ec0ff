"""messages.file_size: a transcript names a file and its size

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 20:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("file_size", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    # Plain ALTER TABLE … DROP COLUMN (SQLite 3.35+): a batch copy would drop the old
    # table, and the ON DELETE CASCADE of the tables referring to it would empty them.
    op.drop_column("messages", "file_size")
