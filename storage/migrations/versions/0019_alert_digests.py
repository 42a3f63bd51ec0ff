"""daily alert cap and digests: pushed/held/digested alerts, each seller's digest interval

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-02 00:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_STAMPS = ("pushed_at", "held_at", "digested_at")


def upgrade() -> None:
    op.add_column(
        "users", sa.Column("digest", sa.String(length=8), server_default="1d", nullable=False)
    )
    for name in _STAMPS:
        op.add_column("lead_alerts", sa.Column(name, sa.DateTime(timezone=True), nullable=True))
    # Alerts queued before this revision are not counted against the cap: the first day
    # after the upgrade may push a seller more than the cap.
    for name in ("pushed_at", "held_at"):
        op.create_index(
            f"ix_lead_alerts_{name.removesuffix('_at')}_by_seller",
            "lead_alerts",
            ["seller_id", name],
            sqlite_where=sa.text(f"{name} IS NOT NULL"),
            postgresql_where=sa.text(f"{name} IS NOT NULL"),
        )


def downgrade() -> None:
    op.drop_index("ix_lead_alerts_held_by_seller", table_name="lead_alerts")
    op.drop_index("ix_lead_alerts_pushed_by_seller", table_name="lead_alerts")
    # Plain ALTER TABLE … DROP COLUMN (SQLite 3.35+): a batch copy of users would drop the
    # old table, and the ON DELETE CASCADE of the tables referring to it would empty them.
    for name in reversed(_STAMPS):
        op.drop_column("lead_alerts", name)
    op.drop_column("users", "digest")
