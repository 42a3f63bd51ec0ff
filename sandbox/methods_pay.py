"""Bot API payment methods: sendInvoice and answerPreCheckoutQuery.

Parameters are checked in the order and words of Telegram's layers: the Bot API server
(required parameters, the prices JSON), tdlib (amounts, tips) and Telegram's servers
(lengths, currency, provider, the currency's total limits), each "Bad Request: ...".
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from sandbox import compose, payments
from sandbox.currencies import CURRENCIES, STARS
from sandbox.errors import bad_request
from sandbox.methods_send import deliver
from sandbox.models import JSON
from sandbox.params import Params
from sandbox.world import World

# tdlib's check_currency_amount: no single amount or total beyond this.
MAX_AMOUNT = 9_999_999_999_999
TITLE_LIMIT = 32
DESCRIPTION_LIMIT = 255
PAYLOAD_LIMIT = 128  # bytes
_INTEGER = re.compile(r"^-?\d+$")
_FLAGS = (
    "need_name",
    "need_phone_number",
    "need_email",
    "need_shipping_address",
    "send_phone_number_to_provider",
    "send_email_to_provider",
    "is_flexible",
)


class _Refused(Exception):
    """One labeled price could not be read (worded like tdlib's JSON helpers)."""


@dataclass(frozen=True)
class _Invoice:
    title: str
    description: str
    payload: str
    provider_token: str
    currency: str
    prices: list[JSON]
    start_parameter: str
    max_tip_amount: int
    suggested_tip_amounts: list[int]

    @property
    def total(self) -> int:
        return sum(int(price["amount"]) for price in self.prices)


def _required(p: Params, name: str) -> str:
    value = p.string(name)
    if not value:
        raise bad_request(f'parameter "{name}" is required')
    return value


def _integer(value: Any) -> int:
    text = value if isinstance(value, str) else json.dumps(value)
    if not _INTEGER.match(text):
        raise _Refused(f'Can\'t parse "{text}" as number')
    return int(text)


def _price(item: Any) -> JSON:
    if not isinstance(item, dict):
        raise _Refused("LabeledPrice must be an Object")
    if "label" not in item:
        raise _Refused('Can\'t find field "label"')
    label = item["label"]
    if isinstance(label, bool) or not isinstance(label, str | int | float):
        raise _Refused('Field "label" must be of type String')
    if str(label) == "":
        raise _Refused("LabeledPrice label must be non-empty")
    if "amount" not in item:
        raise _Refused('Can\'t find field "amount"')
    amount = item["amount"]
    if isinstance(amount, bool) or not isinstance(amount, str | int | float):
        raise _Refused('Field "amount" must be a Number')
    return {"label": str(label), "amount": _integer(amount)}


def _prices(p: Params) -> list[JSON]:
    raw = p.values.get("prices")
    if raw is None or raw == "":
        raise bad_request('parameter "prices" is required')
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            raise bad_request("can't parse prices JSON object") from None
    if not isinstance(raw, list):
        raise bad_request("expected an Array of labeled prices")
    prices: list[JSON] = []
    for item in raw:
        try:
            prices.append(_price(item))
        except _Refused as refusal:
            raise bad_request(f"can't parse labeled price: {refusal}") from None
    if not prices:
        raise bad_request("there must be at least one price")
    return prices


def _tips(p: Params) -> tuple[int, list[int]]:
    max_tip = 0
    raw_max = p.string("max_tip_amount")
    if raw_max:
        if not _INTEGER.match(raw_max):
            raise bad_request('can\'t parse "max_tip_amount" as Number')
        max_tip = int(raw_max)
    raw = p.obj("suggested_tip_amounts", "suggested_tip_amounts")
    if raw is None:
        return max_tip, []
    if not isinstance(raw, list):
        raise bad_request("expected an Array of suggested tip amounts")
    try:
        suggested = [_integer(tip) for tip in raw]
    except _Refused as refusal:
        raise bad_request(f"can't parse suggested tip amount: {refusal}") from None
    return max_tip, suggested


def _read_invoice(p: Params) -> _Invoice:
    """The Bot API server's reading of the request."""
    title = _required(p, "title")
    description = _required(p, "description")
    payload = _required(p, "payload")
    provider_token = p.string("provider_token") or ""
    start_parameter = p.string("start_parameter") or ""
    currency = _required(p, "currency")
    prices = _prices(p)
    max_tip, suggested = _tips(p)
    return _Invoice(
        title,
        description,
        payload,
        provider_token,
        currency,
        prices,
        start_parameter,
        max_tip,
        suggested,
    )


def _check_amounts(invoice: _Invoice) -> None:
    """tdlib's checks of the amounts."""
    if any(abs(int(price["amount"])) > MAX_AMOUNT for price in invoice.prices):
        raise bad_request("too big amount of the currency specified")
    if invoice.total <= 0:
        raise bad_request("total price must be positive")
    if invoice.total > MAX_AMOUNT:
        raise bad_request("total price is too big")
    if not 0 <= invoice.max_tip_amount <= MAX_AMOUNT:
        raise bad_request("invalid max_tip_amount of the currency specified")
    for tip in invoice.suggested_tip_amounts:
        if tip <= 0:
            raise bad_request("suggested tip amount must be positive")
        if tip > invoice.max_tip_amount:
            raise bad_request("suggested tip amount can't be bigger than max_tip_amount")
    if len(invoice.suggested_tip_amounts) > 4:
        raise bad_request("there can be at most 4 suggested tip amounts")


def _check_with_telegram(world: World, invoice: _Invoice) -> None:
    """Telegram's servers: lengths, the currency, the provider and the currency's limits."""
    if len(invoice.title) > TITLE_LIMIT:
        raise bad_request("TITLE_INVALID")
    if len(invoice.description) > DESCRIPTION_LIMIT:
        raise bad_request("DESCRIPTION_INVALID")
    if len(invoice.payload.encode("utf-8")) > PAYLOAD_LIMIT:
        raise bad_request("INVOICE_PAYLOAD_INVALID")
    currency = CURRENCIES.get(invoice.currency)
    if currency is None:
        raise bad_request("CURRENCY_INVALID")
    if invoice.currency == STARS:
        # Stars need no provider, and exactly one price.
        if invoice.provider_token:
            raise bad_request("PAYMENT_PROVIDER_INVALID")
        if len(invoice.prices) != 1:
            raise bad_request("STARS_INVOICE_INVALID")
    elif not invoice.provider_token or world.provider_token not in (
        None,
        invoice.provider_token,
    ):
        raise bad_request("PAYMENT_PROVIDER_INVALID")
    if not currency.min_amount <= invoice.total <= currency.max_amount:
        raise bad_request("CURRENCY_TOTAL_AMOUNT_INVALID")


async def send_invoice(world: World, p: Params) -> JSON:
    invoice = _read_invoice(p)
    state = compose.writable_chat(world, p)
    _check_amounts(invoice)
    _check_with_telegram(world, invoice)
    public = {
        "title": invoice.title,
        "description": invoice.description,
        "start_parameter": invoice.start_parameter,
        "currency": invoice.currency,
        "total_amount": invoice.total,
    }
    private = {
        "payload": invoice.payload,
        "prices": invoice.prices,
        "provider_token": invoice.provider_token,
        "max_tip_amount": invoice.max_tip_amount,
        "suggested_tip_amounts": invoice.suggested_tip_amounts,
        **{flag: p.flag(flag) for flag in _FLAGS},
    }
    # Keys starting with "_" stay in the sandbox (the bot never sees them on the Message).
    return deliver(world, state, p, invoice=True, extra={"invoice": public, "_invoice": private})


async def answer_pre_checkout_query(world: World, p: Params) -> bool:
    query_id = p.string("pre_checkout_query_id") or ""
    ok = p.flag("ok")
    error_message = p.string("error_message") or None
    if not ok and error_message is None:
        raise bad_request('parameter "error_message" is required')
    payments.answer(world, query_id, ok, None if ok else error_message)
    return True


PAY_METHODS = {
    "sendinvoice": send_invoice,
    "answerprecheckoutquery": answer_pre_checkout_query,
}
