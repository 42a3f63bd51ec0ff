"""Contracts after hiring: their changes, their history and their payments."""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from domain.billing import Payment, PaymentMethod
from domain.contracts import ContractStep, StepKind
from domain.errors import Conflict
from domain.money import Money
from domain.negotiation import Contract
from storage.integrity import violated_constraint
from storage.models import ContractPaymentRow, ContractRow, ContractStepRow
from storage.threads import contract_of

ONE_CHARGE = "uq_contract_payments_telegram_payment_charge_id"


def _step(row: ContractStepRow) -> ContractStep:
    return ContractStep(
        id=row.id,
        contract_id=row.contract_id,
        kind=StepKind(row.kind),
        at=row.at,
        actor_id=row.actor_id,
        note=row.note,
        due_at=row.due_at,
    )


def _payment(row: ContractPaymentRow) -> Payment:
    return Payment(
        id=row.id,
        contract_id=row.contract_id,
        method=PaymentMethod(row.method),
        amount=Money(row.amount_minor, row.currency),
        fee=Money(row.fee_minor, row.currency),
        paid_at=row.paid_at,
        note=row.note,
        telegram_payment_charge_id=row.telegram_payment_charge_id,
        provider_payment_charge_id=row.provider_payment_charge_id,
    )


@dataclass
class SqlContractRepository:
    _session: AsyncSession

    async def get(self, contract_id: int) -> Contract | None:
        row = await self._session.get(ContractRow, contract_id)
        return contract_of(row) if row else None

    async def save(self, contract: Contract) -> Contract:
        """Writes the contract's due date and moments if nobody changed it since it was
        read (else Conflict); returns it at its new version."""
        result = await self._session.execute(
            update(ContractRow)
            .where(ContractRow.id == contract.key, ContractRow.version == contract.version)
            .values(
                due_at=contract.due_at,
                delivered_at=contract.delivered_at,
                approved_at=contract.approved_at,
                completed_at=contract.completed_at,
                cancelled_at=contract.cancelled_at,
                version=ContractRow.version + 1,
            )
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise Conflict("Someone changed this contract at the same moment; please try again.")
        return replace(contract, version=contract.version + 1)

    async def add_step(self, step: ContractStep) -> ContractStep:
        row = ContractStepRow(
            contract_id=step.contract_id,
            kind=step.kind.value,
            actor_id=step.actor_id,
            at=step.at,
            note=step.note,
            due_at=step.due_at,
        )
        self._session.add(row)
        await self._session.flush()
        return _step(row)

    async def get_step(self, step_id: int) -> ContractStep | None:
        row = await self._session.get(ContractStepRow, step_id)
        return _step(row) if row else None

    async def steps(self, contract_id: int) -> list[ContractStep]:
        rows = await self._session.scalars(
            select(ContractStepRow)
            .where(ContractStepRow.contract_id == contract_id)
            .order_by(ContractStepRow.id)
        )
        return [_step(row) for row in rows]

    async def add_payment(self, payment: Payment) -> Payment | None:
        """Records a payment; None when its Telegram charge was recorded before (Telegram
        repeated the update), leaving the transaction as it was."""
        row = ContractPaymentRow(
            contract_id=payment.contract_id,
            method=payment.method.value,
            note=payment.note,
            amount_minor=payment.amount.minor,
            fee_minor=payment.fee.minor,
            currency=payment.amount.currency,
            paid_at=payment.paid_at,
            telegram_payment_charge_id=payment.telegram_payment_charge_id,
            provider_payment_charge_id=payment.provider_payment_charge_id,
        )
        try:
            async with self._session.begin_nested():
                self._session.add(row)
                await self._session.flush()
        except IntegrityError as error:
            if violated_constraint(error) != ONE_CHARGE:
                raise
            return None
        return _payment(row)

    async def payments(self, contract_id: int) -> list[Payment]:
        rows = await self._session.scalars(
            select(ContractPaymentRow)
            .where(ContractPaymentRow.contract_id == contract_id)
            .order_by(ContractPaymentRow.id)
        )
        return [_payment(row) for row in rows]
