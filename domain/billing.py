"""Paying for a contract: the bill (the agreed amount, the platform's fee on top, the
total), how the buyer paid, and the payload that ties a Telegram invoice to its contract."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from domain.money import Money
from domain.negotiation import Contract
from domain.validation import clean_text

MAX_PAYMENT_NOTE = 200


@dataclass(frozen=True)
class Bill:
    amount: Money
    fee: Money
    fee_percent: Decimal

    @property
    def total(self) -> Money:
        return Money(self.amount.minor + self.fee.minor, self.amount.currency)


def bill(amount: Money, fee_percent: float | Decimal) -> Bill:
    """The fee is ``fee_percent`` of the agreed amount in whole minor units, rounded to the
    nearest one, halves up (10% of 0.05 USD is 0.01 USD): money never leaves integers."""
    percent = Decimal(str(fee_percent))
    exact = Decimal(amount.minor) * percent / 100
    fee = int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return Bill(amount, Money(fee, amount.currency), percent)


class PaymentMethod(StrEnum):
    BANK_TRANSFER = "bank_transfer"
    CARD = "card"
    PAYPAL = "paypal"
    CASH = "cash"
    OTHER = "other"  # typed by the buyer (the note says which)
    TELEGRAM = "telegram"  # a Telegram invoice, paid through the payment provider
    DISPUTE = "dispute"  # an administrator resolved a dispute: the seller is paid this


# The methods a buyer picks from with a tap; anything else they type.
PICKABLE_METHODS = (
    PaymentMethod.BANK_TRANSFER,
    PaymentMethod.CARD,
    PaymentMethod.PAYPAL,
    PaymentMethod.CASH,
)


@dataclass(frozen=True)
class Payment:
    """A payment the buyer confirmed (or Telegram reported), recorded with its time."""

    contract_id: int
    method: PaymentMethod
    amount: Money
    fee: Money
    paid_at: datetime
    note: str | None = None
    telegram_payment_charge_id: str | None = None
    provider_payment_charge_id: str | None = None
    id: int | None = None

    @property
    def total(self) -> Money:
        return Money(self.amount.minor + self.fee.minor, self.amount.currency)


def validate_payment_note(raw: str) -> str:
    return clean_text(
        raw,
        what="payment note",
        limit=MAX_PAYMENT_NOTE,
        if_empty="Please type how you paid, or tap one of the methods.",
    )


# An invoice's payload names the contract and the total it asks for, so that the payment
# Telegram reports is matched to what was billed.
_PAYLOAD = re.compile(r"ct1:([0-9]{1,10}):([0-9]{1,15}):([A-Z]{3})")


def invoice_payload(contract: Contract, total: Money) -> str:
    return f"ct1:{contract.key}:{total.minor}:{total.currency}"


def read_invoice_payload(payload: str) -> tuple[int, Money] | None:
    """(contract id, total billed) from an invoice payload; None if it is not ours."""
    found = _PAYLOAD.fullmatch(payload)
    if found is None:
        return None
    return int(found[1]), Money(int(found[2]), found[3])


# What Telegram lets one invoice charge, in minor units: about US$1 to US$10,000 in each
# currency (its currencies.json; kept on the safe side, as exchange rates move). A total
# outside this, or in another currency, is paid as agreed and confirmed by the buyer.
INVOICE_RANGES = {
    "USD": (100, 1_000_000),
    "EUR": (100, 840_000),
    "GBP": (100, 720_000),
}


def invoice_possible(total: Money) -> bool:
    """Whether Telegram would take an invoice for this total."""
    low, high = INVOICE_RANGES.get(total.currency, (1, 0))
    return low <= total.minor <= high
