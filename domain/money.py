"""Money as integer minor units plus an ISO currency code; parsing what people type."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from domain.errors import InvalidInput

# A budget above this is almost certainly a typo (ten million in major units).
MAX_MAJOR_UNITS = 10_000_000
# ISO 4217 minor-unit exponents that differ from 2.
_EXPONENTS = {
    "JPY": 0,
    "KRW": 0,
    "VND": 0,
    "CLP": 0,
    "ISK": 0,
    "HUF": 2,
    "KWD": 3,
    "BHD": 3,
    "JOD": 3,
    "OMR": 3,
    "TND": 3,
}
_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "₽": "RUB", "₴": "UAH"}
# ASCII digits only: "²" passes str.isdigit() and crashes int(); \d takes "٣" too.
_NUMBER = re.compile(r"[0-9]{1,3}(?:[ ,'][0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?")
# More digits than this before the point is over MAX_MAJOR_UNITS, and read no further: 27
# digits are more than decimal arithmetic's default precision can round to cents.
_MAX_WHOLE_DIGITS = len(str(MAX_MAJOR_UNITS))


def exponent(currency: str) -> int:
    return _EXPONENTS.get(currency, 2)


@dataclass(frozen=True, order=True)
class Money:
    minor: int
    currency: str

    def format(self) -> str:
        """Like ``1,200.50 USD`` (or ``1,200 USD`` for whole amounts)."""
        digits = exponent(self.currency)
        major, minor = divmod(self.minor, 10**digits) if digits else (self.minor, 0)
        text = f"{major:,}"
        if minor:
            text += f".{minor:0{digits}d}"
        return f"{text} {self.currency}"


def parse_money(raw: str, currency: str) -> Money:
    """Parses "500", "$1,200", "1200.50", "1 200 USD"; refuses zero, negatives and nonsense."""
    text = raw.strip().replace("\u00a0", " ")
    refusal = InvalidInput(f"Please send a positive amount like 500 or 1,200.50 (in {currency}).")
    for symbol, code in _SYMBOLS.items():
        if symbol in text:
            if code != currency:
                raise InvalidInput(
                    f"Amounts here are in {currency}; please send one without {symbol}."
                )
            text = text.replace(symbol, "").strip()
    upper = text.upper()
    if upper.endswith(currency):
        text = text[: -len(currency)].strip()
    elif upper.startswith(currency):
        text = text[len(currency) :].strip()
    if text.startswith("-"):
        raise InvalidInput("The amount must be more than zero.")
    if not _NUMBER.fullmatch(text):
        raise refusal
    digits_only = re.sub(r"[ ,']", "", text)
    if len(digits_only.partition(".")[0].lstrip("0")) > _MAX_WHOLE_DIGITS:
        raise InvalidInput(f"That is more than {MAX_MAJOR_UNITS:,} {currency}; please check it.")
    try:
        amount = Decimal(digits_only)
    except InvalidOperation:
        raise refusal from None
    digits = exponent(currency)
    if amount != amount.quantize(Decimal(1).scaleb(-digits)):
        raise InvalidInput(f"{currency} amounts have at most {digits} decimal places.")
    if amount <= 0:
        raise InvalidInput("The amount must be more than zero.")
    if amount > MAX_MAJOR_UNITS:
        raise InvalidInput(f"That is more than {MAX_MAJOR_UNITS:,} {currency}; please check it.")
    return Money(int(amount.scaleb(digits)), currency)
