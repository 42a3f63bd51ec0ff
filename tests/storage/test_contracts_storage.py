"""Contracts after hiring on SQLite and PostgreSQL: delivering, asking for changes,
approving, paying (confirmed or by invoice, a repeated payment recorded once), new due
dates, cancelling after the due date and by agreement, and two changes at once."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domain import contract_cases, deals, payment_cases, relay
from domain.billing import Payment, PaymentMethod, invoice_payload
from domain.contract_cases import (
    AnswerProposal,
    OpenContract,
    OpenLeadContract,
    ProposeExtension,
    RequestChanges,
)
from domain.contracts import Stage, StepKind
from domain.deals import AnswerOffer
from domain.errors import DomainError, InvalidInput, NotAllowed, NotFound
from domain.events import (
    CancellationProposed,
    CancellationRefused,
    ChangesRequested,
    ContractCancelled,
    ContractPaid,
    DeliveryApproved,
    Event,
    ExtensionAnswered,
    ExtensionProposed,
    LeadCompleted,
    WorkDelivered,
)
from domain.lifecycle import LeadStatus
from domain.money import Money
from domain.negotiation import Contract
from domain.payment_cases import Approve, CheckInvoice, ConfirmPayment, InvoicePaid
from domain.relay import ExportTranscript, PaidHere, Stepped
from storage.models import ContractPaymentRow
from storage.uow import SqlUnitOfWork
from tests.acting import act
from tests.storage.test_deals_storage import NOW, market

BUYER, SELLER, OTHER_SELLER = 1, 2, 3
FEE = 10.0


async def hired(uow: SqlUnitOfWork) -> Contract:
    """Buyer 1 hired seller 2 (500 USD, 7 days, from NOW)."""
    _, first, _ = await market(uow)
    return (await act(uow, BUYER, deals.accept, AnswerOffer(first), NOW)).contract


async def lead_status(uow: SqlUnitOfWork, contract: Contract) -> LeadStatus:
    async with uow:
        lead = await uow.leads.get(contract.lead_id)
        assert lead is not None
        return lead.status


async def steps(uow: SqlUnitOfWork, contract: Contract) -> list[StepKind]:
    async with uow:
        return [step.kind for step in await uow.contracts.steps(contract.key)]


async def payments(sessions: async_sessionmaker[AsyncSession]) -> int:
    async with sessions() as session:
        count = await session.scalar(select(func.count()).select_from(ContractPaymentRow))
        return int(count or 0)


async def delivered(uow: SqlUnitOfWork, contract: Contract, at: datetime = NOW) -> None:
    await act(uow, SELLER, contract_cases.deliver, OpenContract(contract.key), at)


async def test_deliver_change_deliver_approve_pay_completes_the_lead(uow: SqlUnitOfWork) -> None:
    contract = await hired(uow)
    at = [NOW + timedelta(days=2, hours=hour) for hour in range(6)]
    events: list[Event] = []
    deliver = OpenContract(contract.key)
    with pytest.raises(NotAllowed, match="Only the hired seller"):
        await act(uow, BUYER, contract_cases.deliver, deliver, at[0])
    with pytest.raises(NotFound):  # another seller sees no such contract
        await act(uow, OTHER_SELLER, contract_cases.deliver, deliver, at[0])
    await act(uow, SELLER, contract_cases.deliver, deliver, at[0], events)
    assert await lead_status(uow, contract) is LeadStatus.DELIVERED
    with pytest.raises(InvalidInput):
        blank = RequestChanges(contract.key, " ")
        await act(uow, BUYER, contract_cases.request_changes, blank, at[1])
    change = RequestChanges(contract.key, "Bigger <logo> & brighter")
    await act(uow, BUYER, contract_cases.request_changes, change, at[1], events)
    assert await lead_status(uow, contract) is LeadStatus.IN_PROGRESS
    await act(uow, SELLER, contract_cases.deliver, deliver, at[2], events)
    pay = ConfirmPayment(contract.key, PaymentMethod.BANK_TRANSFER, "ref 8812", FEE)
    with pytest.raises(NotAllowed, match="approve the delivery first"):
        await act(uow, BUYER, payment_cases.confirm_payment, pay, at[3])
    approve = Approve(contract.key, FEE)
    billing = await act(uow, BUYER, payment_cases.approve, approve, at[3], events)
    assert billing.first and billing.bill.total == Money(55_000, "USD")
    again = await act(uow, BUYER, payment_cases.approve, approve, at[4], events)
    assert not again.first  # approving again only shows the bill
    completion = await act(uow, BUYER, payment_cases.confirm_payment, pay, at[5], events)

    assert await lead_status(uow, contract) is LeadStatus.COMPLETED
    assert completion.payment.total == Money(55_000, "USD")
    assert completion.payment.paid_at == at[5] and completion.payment.note == "ref 8812"
    kinds = [type(event) for event in events]
    assert kinds == [
        WorkDelivered,
        ChangesRequested,
        WorkDelivered,
        DeliveryApproved,
        ContractPaid,
        LeadCompleted,
    ]
    completed = events[-1]
    assert isinstance(completed, LeadCompleted) and completed.lead.status is LeadStatus.COMPLETED
    assert completed.contract.completed_at == at[5]
    assert completed.contract.approved_at == at[3] and completed.contract.delivered_at == at[2]
    assert await steps(uow, contract) == [
        StepKind.DELIVERED,
        StepKind.CHANGES_REQUESTED,
        StepKind.DELIVERED,
        StepKind.APPROVED,
        StepKind.COMPLETED,
    ]
    with pytest.raises(NotAllowed, match="This lead is completed"):
        await act(uow, BUYER, payment_cases.confirm_payment, pay, at[5])
    of_lead = OpenLeadContract(contract.lead_id)
    card = await act(uow, BUYER, contract_cases.card_of_lead, of_lead, at[5])
    assert card is not None and card.stage is Stage.COMPLETED and len(card.payments) == 1
    assert await act(uow, OTHER_SELLER, contract_cases.card_of_lead, of_lead, at[5]) is None
    export = ExportTranscript(contract.thread_id)
    record = await act(uow, SELLER, relay.transcript, export, at[5])
    logged = [entry for entry in record.entries if isinstance(entry, Stepped | PaidHere)]
    assert [type(entry) for entry in logged] == [Stepped] * 4 + [PaidHere, Stepped]


async def invoice(uow: SqlUnitOfWork, contract: Contract, charge: str) -> InvoicePaid:
    """Delivered and approved; the invoice Telegram reports paid with charge id ``charge``."""
    total = Money(55_000, "USD")
    return InvoicePaid(invoice_payload(contract, total), "USD", total.minor, charge, f"p-{charge}")


async def approved(uow: SqlUnitOfWork) -> Contract:
    contract = await hired(uow)
    await delivered(uow, contract)
    await act(uow, BUYER, payment_cases.approve, Approve(contract.key, FEE), NOW)
    return contract


async def test_the_pre_checkout_check_wants_the_contract_awaiting_this_payment(
    uow: SqlUnitOfWork,
) -> None:
    contract = await hired(uow)
    payload = invoice_payload(contract, Money(55_000, "USD"))
    asked = CheckInvoice(payload, "USD", 55_000, FEE)
    with pytest.raises(NotAllowed, match="Nothing has been delivered"):
        await act(uow, BUYER, payment_cases.check_invoice, asked, NOW)
    await delivered(uow, contract)
    with pytest.raises(NotAllowed, match="approve the delivery first"):
        await act(uow, BUYER, payment_cases.check_invoice, asked, NOW)
    await act(uow, BUYER, payment_cases.approve, Approve(contract.key, FEE), NOW)
    assert (await act(uow, BUYER, payment_cases.check_invoice, asked, NOW)).total.minor == 55_000
    for wrong in (
        CheckInvoice(payload, "USD", 55_001, FEE),  # not what the invoice billed
        CheckInvoice(payload, "EUR", 55_000, FEE),
        CheckInvoice(payload, "USD", 55_000, 12.0),  # the fee changed since
    ):
        with pytest.raises(NotAllowed, match="amount has changed"):
            await act(uow, BUYER, payment_cases.check_invoice, wrong, NOW)
    with pytest.raises(NotFound):
        await act(uow, BUYER, payment_cases.check_invoice, CheckInvoice("x", "USD", 1, FEE), NOW)
    with pytest.raises(NotAllowed, match="Only the buyer pays"):
        await act(uow, SELLER, payment_cases.check_invoice, asked, NOW)


async def test_a_repeated_successful_payment_is_recorded_once(
    uow: SqlUnitOfWork, sessions: async_sessionmaker[AsyncSession]
) -> None:
    contract = await approved(uow)
    paid = await invoice(uow, contract, "tg-charge-1")
    first_events: list[Event] = []
    outcome = await act(uow, BUYER, payment_cases.record_invoice_payment, paid, NOW, first_events)
    assert outcome is not None and outcome.completed
    assert outcome.payment.telegram_payment_charge_id == "tg-charge-1"
    assert outcome.payment.provider_payment_charge_id == "p-tg-charge-1"
    assert outcome.payment.method is PaymentMethod.TELEGRAM
    assert outcome.payment.fee == Money(5_000, "USD")
    repeat_events: list[Event] = []
    repeat = await act(uow, BUYER, payment_cases.record_invoice_payment, paid, NOW, repeat_events)
    assert repeat is None and repeat_events == []
    assert [type(event) for event in first_events] == [ContractPaid, LeadCompleted]
    assert await payments(sessions) == 1
    assert await lead_status(uow, contract) is LeadStatus.COMPLETED


@pytest.mark.parametrize("attempt", range(3))
async def test_the_same_payment_reported_twice_at_once_is_recorded_once(
    uow: SqlUnitOfWork, sessions: async_sessionmaker[AsyncSession], attempt: int
) -> None:
    contract = await approved(uow)
    paid = await invoice(uow, contract, f"tg-charge-{attempt}")
    results = await asyncio.gather(
        *(
            act(SqlUnitOfWork(sessions), BUYER, payment_cases.record_invoice_payment, paid, NOW)
            for _ in range(2)
        ),
        return_exceptions=True,
    )
    completed = [r for r in results if r is not None and not isinstance(r, BaseException)]
    assert len(completed) == 1
    for other in results:
        if other is not completed[0]:  # recorded already, or refused as a race: one sentence
            assert other is None or isinstance(other, DomainError)
    assert await payments(sessions) == 1


async def test_the_repository_refuses_a_charge_id_twice_and_keeps_the_transaction(
    uow: SqlUnitOfWork, sessions: async_sessionmaker[AsyncSession]
) -> None:
    contract = await hired(uow)
    payment = Payment(
        contract.key,
        PaymentMethod.TELEGRAM,
        Money(50_000, "USD"),
        Money(5_000, "USD"),
        NOW,
        telegram_payment_charge_id="same",
        provider_payment_charge_id="prov",
    )
    async with uow:
        assert await uow.contracts.add_payment(payment) is not None
        assert await uow.contracts.add_payment(payment) is None
        # Confirmed payments have no Telegram charge: any number of them may be recorded.
        plain = Payment(contract.key, PaymentMethod.CASH, payment.amount, payment.fee, NOW)
        assert await uow.contracts.add_payment(plain) is not None
        assert await uow.contracts.add_payment(plain) is not None
        await uow.commit()
    assert await payments(sessions) == 3


async def test_a_payment_arriving_after_the_lead_ended_is_still_recorded(
    uow: SqlUnitOfWork, sessions: async_sessionmaker[AsyncSession]
) -> None:
    contract = await approved(uow)
    proposed = await act(
        uow, SELLER, contract_cases.propose_cancellation, OpenContract(contract.key), NOW
    )
    answer = AnswerProposal(proposed.proposal.key, True)
    await act(uow, BUYER, contract_cases.answer_proposal, answer, NOW)
    paid = await invoice(uow, contract, "late")
    outcome = await act(uow, BUYER, payment_cases.record_invoice_payment, paid, NOW)
    assert outcome is not None and not outcome.completed
    assert await payments(sessions) == 1
    assert await lead_status(uow, contract) is LeadStatus.CANCELLED


async def test_the_buyer_cancels_only_once_the_due_date_passed_without_a_delivery(
    uow: SqlUnitOfWork,
) -> None:
    contract = await hired(uow)
    cancel = OpenContract(contract.key)
    with pytest.raises(NotAllowed, match="has not passed yet"):
        await act(uow, BUYER, contract_cases.cancel_overdue, cancel, NOW + timedelta(days=6))
    overdue = contract.due_at + timedelta(minutes=1)
    with pytest.raises(NotAllowed, match="Only the buyer"):
        await act(uow, SELLER, contract_cases.cancel_overdue, cancel, overdue)
    events: list[Event] = []
    await act(uow, BUYER, contract_cases.cancel_overdue, cancel, overdue, events)
    [event] = events
    assert isinstance(event, ContractCancelled) and not event.agreed
    assert event.engagement.contract.cancelled_at == overdue
    assert await lead_status(uow, contract) is LeadStatus.CANCELLED
    assert await steps(uow, contract) == [StepKind.CANCELLED]
    with pytest.raises(NotAllowed, match="This lead is cancelled"):
        await act(uow, SELLER, contract_cases.deliver, cancel, overdue)


async def test_a_late_delivery_stops_the_buyer_cancelling_alone(uow: SqlUnitOfWork) -> None:
    contract = await hired(uow)
    overdue = contract.due_at + timedelta(days=1)
    await delivered(uow, contract, overdue)
    with pytest.raises(NotAllowed, match="The work was delivered"):
        await act(uow, BUYER, contract_cases.cancel_overdue, OpenContract(contract.key), overdue)


async def test_extensions_are_proposed_by_the_buyer_and_answered_by_the_seller(
    uow: SqlUnitOfWork,
) -> None:
    contract = await hired(uow)
    with pytest.raises(NotAllowed, match="Only the buyer can propose"):
        await act(
            uow,
            SELLER,
            contract_cases.propose_extension,
            ProposeExtension(contract.key, days=3),
            NOW,
        )
    with pytest.raises(InvalidInput, match="like 2026-12-20"):
        await act(
            uow,
            BUYER,
            contract_cases.propose_extension,
            ProposeExtension(contract.key, "soon"),
            NOW,
        )
    events: list[Event] = []
    first = await act(
        uow,
        BUYER,
        contract_cases.propose_extension,
        ProposeExtension(contract.key, days=3),
        NOW,
        events,
    )
    assert first.proposal.due_at == contract.due_at + timedelta(days=3)
    with pytest.raises(NotAllowed, match="your own proposal"):
        await act(
            uow,
            BUYER,
            contract_cases.answer_proposal,
            AnswerProposal(first.proposal.key, True),
            NOW,
        )
    await act(
        uow,
        SELLER,
        contract_cases.answer_proposal,
        AnswerProposal(first.proposal.key, False),
        NOW,
        events,
    )
    async with uow:
        unchanged = await uow.contracts.get(contract.key)
    assert unchanged is not None and unchanged.due_at == contract.due_at
    with pytest.raises(NotAllowed, match="no longer open"):
        await act(
            uow,
            SELLER,
            contract_cases.answer_proposal,
            AnswerProposal(first.proposal.key, True),
            NOW,
        )

    second = await act(
        uow,
        BUYER,
        contract_cases.propose_extension,
        ProposeExtension(contract.key, days=5),
        NOW,
        events,
    )
    third = await act(
        uow,
        BUYER,
        contract_cases.propose_extension,
        ProposeExtension(contract.key, "9"),
        NOW,
        events,
    )
    with pytest.raises(NotAllowed, match="no longer open"):  # the newer one replaced it
        await act(
            uow,
            SELLER,
            contract_cases.answer_proposal,
            AnswerProposal(second.proposal.key, True),
            NOW,
        )
    answered = await act(
        uow,
        SELLER,
        contract_cases.answer_proposal,
        AnswerProposal(third.proposal.key, True),
        NOW,
        events,
    )
    assert answered.engagement.contract.due_at == contract.due_at + timedelta(days=9)
    async with uow:
        moved = await uow.contracts.get(contract.key)
    assert moved is not None and moved.due_at == contract.due_at + timedelta(days=9)
    assert [type(e) for e in events] == [
        ExtensionProposed,
        ExtensionAnswered,
        ExtensionProposed,
        ExtensionProposed,
        ExtensionAnswered,
    ]
    last = events[-1]
    assert isinstance(last, ExtensionAnswered) and last.accepted
    # Overdue before, in time now: the buyer can no longer cancel alone.
    before = contract.due_at + timedelta(days=1)
    with pytest.raises(NotAllowed, match="has not passed yet"):
        await act(uow, BUYER, contract_cases.cancel_overdue, OpenContract(contract.key), before)


async def test_a_mutual_cancellation_needs_the_other_sides_agreement(uow: SqlUnitOfWork) -> None:
    contract = await hired(uow)
    events: list[Event] = []
    propose = OpenContract(contract.key)
    first = await act(uow, SELLER, contract_cases.propose_cancellation, propose, NOW, events)
    with pytest.raises(NotAllowed, match="proposed this already"):
        await act(uow, SELLER, contract_cases.propose_cancellation, propose, NOW)
    with pytest.raises(NotAllowed, match="answer their proposal"):
        await act(uow, BUYER, contract_cases.propose_cancellation, propose, NOW)
    await act(
        uow,
        BUYER,
        contract_cases.answer_proposal,
        AnswerProposal(first.proposal.key, False),
        NOW,
        events,
    )
    assert await lead_status(uow, contract) is LeadStatus.IN_PROGRESS
    second = await act(uow, BUYER, contract_cases.propose_cancellation, propose, NOW, events)
    with pytest.raises(NotAllowed, match="your own proposal"):
        await act(
            uow,
            BUYER,
            contract_cases.answer_proposal,
            AnswerProposal(second.proposal.key, True),
            NOW,
        )
    await act(
        uow,
        SELLER,
        contract_cases.answer_proposal,
        AnswerProposal(second.proposal.key, True),
        NOW,
        events,
    )
    assert await lead_status(uow, contract) is LeadStatus.CANCELLED
    assert [type(e) for e in events] == [
        CancellationProposed,
        CancellationRefused,
        CancellationProposed,
        ContractCancelled,
    ]
    cancelled = events[-1]
    assert isinstance(cancelled, ContractCancelled) and cancelled.agreed
    assert cancelled.by.telegram_id == SELLER
    assert await steps(uow, contract) == [
        StepKind.CANCELLATION_PROPOSED,
        StepKind.CANCELLATION_REFUSED,
        StepKind.CANCELLATION_PROPOSED,
        StepKind.CANCELLATION_AGREED,
    ]


@pytest.mark.parametrize("attempt", range(3))
async def test_a_delivery_racing_a_cancellation_has_one_outcome(
    uow: SqlUnitOfWork, sessions: async_sessionmaker[AsyncSession], attempt: int
) -> None:
    contract = await hired(uow)
    overdue = contract.due_at + timedelta(hours=1)
    command = OpenContract(contract.key)
    results = await asyncio.gather(
        act(SqlUnitOfWork(sessions), SELLER, contract_cases.deliver, command, overdue),
        act(SqlUnitOfWork(sessions), BUYER, contract_cases.cancel_overdue, command, overdue),
        return_exceptions=True,
    )
    lost = [r for r in results if isinstance(r, BaseException)]
    assert len(lost) == 1 and isinstance(lost[0], DomainError)
    assert lost[0].sentence.endswith(".")
    status = await lead_status(uow, contract)
    assert status in (LeadStatus.DELIVERED, LeadStatus.CANCELLED)
    assert len(await steps(uow, contract)) == 1


@pytest.mark.parametrize("attempt", range(3))
async def test_two_answers_to_one_proposal_at_once_keep_one(
    uow: SqlUnitOfWork, sessions: async_sessionmaker[AsyncSession], attempt: int
) -> None:
    contract = await hired(uow)
    proposed = await act(
        uow, BUYER, contract_cases.propose_extension, ProposeExtension(contract.key, days=2), NOW
    )
    results = await asyncio.gather(
        *(
            act(
                SqlUnitOfWork(sessions),
                SELLER,
                contract_cases.answer_proposal,
                AnswerProposal(proposed.proposal.key, accept),
                NOW,
            )
            for accept in (True, False)
        ),
        return_exceptions=True,
    )
    assert len([r for r in results if isinstance(r, DomainError)]) == 1
    assert len(await steps(uow, contract)) == 2
