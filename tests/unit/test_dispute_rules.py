"""Disputes' rules and words: what a split may pay, and what the outcome says it costs."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from domain.billing import Payment, PaymentMethod, bill
from domain.disputes import Dispute, Outcome, split_amount, validate_file_caption
from domain.errors import InvalidInput
from domain.money import Money
from handlers.disputes.texts import outcome_words

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)
AGREED = Money(90_000, "USD")


@pytest.mark.parametrize("typed", ["0", "900", "950", "450.555", "abc"])
def test_a_split_is_more_than_nothing_and_less_than_agreed_in_cents(typed: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        split_amount(typed, AGREED)
    assert "more than 0 and less than 900 USD, with at most 2 decimal places" in str(
        refused.value.sentence
    )


def test_the_outcome_states_the_part_the_fee_and_the_total() -> None:
    paid = split_amount("450", AGREED)
    billed = bill(paid, 10)
    payment = Payment(1, PaymentMethod.DISPUTE, paid, billed.fee, NOW)
    dispute = Dispute(1, 1, 1, NOW, "r", outcome=Outcome.SPLIT, paid=paid, id=1)
    assert outcome_words(dispute, AGREED, payment) == (
        "split: the seller is paid 450 USD of the agreed 900 USD; with the service fee of "
        "45 USD the buyer pays 495 USD in all"
    )
    cancelled = Dispute(1, 1, 1, NOW, "r", outcome=Outcome.CANCELLED, id=1)
    assert outcome_words(cancelled, AGREED) == "cancelled: no payment and no service fee"


def test_a_file_caption_is_kept_and_checked() -> None:
    assert validate_file_caption(" screenshot ") == "screenshot"
    assert validate_file_caption("\u200b\u200c") is None
    assert validate_file_caption(None) is None
    with pytest.raises(InvalidInput, match="control characters"):
        validate_file_caption("a\u202eexe.txt")
