"""With a payment provider configured, approving sends the buyer a Telegram invoice: the
pre-checkout is answered yes only while the contract awaits that payment, the payment is
recorded with both charge ids, and a repeated successful_payment changes nothing."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from bot.runner import RunningBot
from bot.settings import PaymentSettings, Settings
from domain.billing import Payment, PaymentMethod
from domain.money import Money
from sandbox import Sandbox
from tests.e2e.test_contracts import hired, the_contract, thread_card

PROVIDER_TOKEN = "284685063:TEST:NjI3YzY1ZjQ5ZjEy"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(
        update={"payments": PaymentSettings(provider_token=SecretStr(PROVIDER_TOKEN))}
    )


async def recorded_payments(bot: RunningBot) -> list[Payment]:
    contract = await the_contract(bot)
    async with bot.app.bot_data["services"].uow() as uow:
        return await uow.contracts.payments(contract.key)


async def test_the_buyer_pays_the_invoice_once(sandbox: Sandbox, bot: RunningBot) -> None:
    buyer, seller = await hired(sandbox)
    card = await thread_card(seller)
    await seller.tap("Delivered", message_id=card.message_id)
    await seller.wait_for_message("Delivering")
    await seller.tap("Send delivery")
    await seller.wait_for_message("Delivered.")
    delivery = await buyer.wait_for_message("delivered")

    await buyer.tap("Approve", message_id=delivery.message_id)
    await buyer.wait_for_message("Pay with the invoice below")
    first = await buyer.wait_for_invoice()
    assert first.invoice is not None and first.invoice["currency"] == "USD"
    assert first.invoice["total_amount"] == 49_500  # 450 USD + 10% fee, in cents
    await seller.wait_for_message("approved your delivery")
    # Any invoice for the contract will do: the card's Pay button sends another.
    card = await thread_card(buyer)
    await buyer.tap("💳 Pay", message_id=card.message_id)
    second = await buyer.wait_for_invoice()
    assert second.message_id != first.message_id

    paid = await buyer.pay(second.message_id)
    assert paid.ok, paid.error_message
    await buyer.wait_for_message("Payment received")
    told = await seller.wait_for_message("paid")
    assert "450 USD" in told.text and "Telegram payment" in told.text

    # Telegram sends the same successful_payment again, as the same update and under a new
    # update_id: recorded once, nothing said twice.
    assert paid.update_id is not None
    sandbox.repeat_update(paid.update_id)
    sandbox.repeat_update(paid.update_id, new_id=True)
    await sandbox.wait_until_delivered()
    await buyer.send("/help")
    await buyer.wait_for_message("/profile")
    assert len([m for m in buyer.bot_messages if "Payment received" in m.content]) == 1
    [row] = await recorded_payments(bot)
    assert row.method is PaymentMethod.TELEGRAM
    assert row.amount == Money(45_000, "USD") and row.fee == Money(4_500, "USD")
    assert row.telegram_payment_charge_id == paid.telegram_payment_charge_id
    assert row.provider_payment_charge_id == paid.provider_payment_charge_id

    # The other invoice cannot be paid any more: the pre-checkout says why, in one sentence.
    refused = await buyer.pay(first.message_id)
    assert refused.status == "declined"
    assert refused.error_message == "This lead is completed, so that can no longer be done."
    assert len(await recorded_payments(bot)) == 1
