"""the thread each user is writing in (read live, no Reply button)

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-01 20:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("users", sa.Column("writing_in_thread_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    # Plain ALTER TABLE … DROP COLUMN (SQLite 3.35+): a batch copy would drop the old
    # table, and the ON DELETE CASCADE of the tables referring to it would empty them.
    op.drop_column("users", "writing_in_thread_id")
