"""lead_alerts without foreign keys: recording thousands of alerts locks no user row

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 20:10:00

Publishing a lead writes one row per seller who shares a skill with it. PostgreSQL checks
each row's foreign keys with a `SELECT … FOR KEY SHARE` on the user and the lead, which cost
as much as the insert itself. Leads and users are never deleted (an account is erased in
place), so the keys guarded nothing the code does not already keep.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPENED = "opened_at IS NOT NULL"


def _rebuild(*foreign_keys: sa.ForeignKeyConstraint) -> None:
    """SQLite cannot drop or add a foreign key: the table is copied into a new one."""
    op.create_table(
        "lead_alerts_new",
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("seller_id", sa.Integer(), nullable=False),
        sa.Column("alerted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("rank", sa.Integer(), nullable=True),
        sa.Column("queued_at", sa.DateTime(timezone=True), nullable=True),
        *foreign_keys,
        sa.PrimaryKeyConstraint("lead_id", "seller_id", name="pk_lead_alerts"),
        sqlite_with_rowid=False,
    )
    op.execute(
        "INSERT INTO lead_alerts_new SELECT lead_id, seller_id, alerted_at, opened_at, rank, "
        "queued_at FROM lead_alerts"
    )
    op.drop_index("ix_lead_alerts_opened_by_seller", table_name="lead_alerts")
    op.drop_table("lead_alerts")
    op.rename_table("lead_alerts_new", "lead_alerts")
    op.create_index(
        "ix_lead_alerts_opened_by_seller",
        "lead_alerts",
        ["seller_id"],
        sqlite_where=sa.text(OPENED),
    )


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _rebuild()
        return
    op.drop_constraint("fk_lead_alerts_lead_id_leads", "lead_alerts", type_="foreignkey")
    op.drop_constraint("fk_lead_alerts_seller_id_users", "lead_alerts", type_="foreignkey")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _rebuild(
            sa.ForeignKeyConstraint(
                ["lead_id"], ["leads.id"], name="fk_lead_alerts_lead_id_leads", ondelete="CASCADE"
            ),
            sa.ForeignKeyConstraint(
                ["seller_id"],
                ["users.id"],
                name="fk_lead_alerts_seller_id_users",
                ondelete="CASCADE",
            ),
        )
        return
    op.create_foreign_key(
        "fk_lead_alerts_lead_id_leads",
        "lead_alerts",
        "leads",
        ["lead_id"],
        ["id"],
        ondelete="CASCADE",
    )
    op.create_foreign_key(
        "fk_lead_alerts_seller_id_users",
        "lead_alerts",
        "users",
        ["seller_id"],
        ["id"],
        ondelete="CASCADE",
    )
