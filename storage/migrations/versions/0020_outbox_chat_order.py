"""outbox: each chat's open messages by age, so a newer one never overtakes an older one

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-02 04:20:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_outbox_recipient_status_id", "outbox", ["recipient", "status", "id"])


def downgrade() -> None:
    op.drop_index("ix_outbox_recipient_status_id", table_name="outbox")
