"""deleted accounts: when a person deleted their account

A deleted account's row stays (the other side of its conversations, contracts and reviews
refers to it), erased and named "a deleted user"; its Telegram id is given up so that the
same person can sign up again as someone new (domain/account_cases.py).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-08 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    # Plain ALTER TABLE … DROP COLUMN (SQLite 3.35+): a batch copy would drop the old
    # table, and the ON DELETE CASCADE of the tables referring to it would empty them.
    op.drop_column("users", "deleted_at")
