"""a contract is delivered, paid, completed, cancelled or extended

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 18:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MOMENTS = ("delivered_at", "approved_at", "completed_at", "cancelled_at")


def upgrade() -> None:
    with op.batch_alter_table("contracts") as batch:
        for name in MOMENTS:
            batch.add_column(sa.Column(name, sa.DateTime(timezone=True), nullable=True))
        batch.add_column(
            sa.Column("version", sa.Integer(), server_default=sa.text("0"), nullable=False)
        )
    op.create_table(
        "contract_steps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["users.id"],
            name=op.f("fk_contract_steps_actor_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["contracts.id"],
            name=op.f("fk_contract_steps_contract_id_contracts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contract_steps")),
    )
    op.create_index(
        op.f("ix_contract_steps_contract_id"), "contract_steps", ["contract_id"], unique=False
    )
    op.create_table(
        "contract_payments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=True),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("fee_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("telegram_payment_charge_id", sa.String(length=255), nullable=True),
        sa.Column("provider_payment_charge_id", sa.String(length=255), nullable=True),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["contracts.id"],
            name=op.f("fk_contract_payments_contract_id_contracts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contract_payments")),
        sa.UniqueConstraint(
            "telegram_payment_charge_id",
            name=op.f("uq_contract_payments_telegram_payment_charge_id"),
        ),
    )
    op.create_index(
        op.f("ix_contract_payments_contract_id"),
        "contract_payments",
        ["contract_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_contract_payments_contract_id"), table_name="contract_payments")
    op.drop_table("contract_payments")
    op.drop_index(op.f("ix_contract_steps_contract_id"), table_name="contract_steps")
    op.drop_table("contract_steps")
    with op.batch_alter_table("contracts") as batch:
        batch.drop_column("version")
        for name in reversed(MOMENTS):
            batch.drop_column(name)
