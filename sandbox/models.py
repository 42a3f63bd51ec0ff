"""Plain data records of the simulated Telegram world."""

from __future__ import annotations

import asyncio
import copy
import time
from dataclasses import dataclass, field
from typing import Any

from sandbox.entities import Entity, to_html

JSON = dict[str, Any]


@dataclass
class MessageVersion:
    """A previous state of an edited message (edits never overwrite history)."""

    text: str | None
    entities: list[Entity]
    caption: str | None
    reply_markup: JSON | None
    edit_date: int | None


@dataclass
class Message:
    """One message in a private chat, in either direction.

    `text`/`caption` are the plain text the user sees; `entities` carry the formatting.
    """

    message_id: int
    chat_id: int
    from_bot: bool
    sender: JSON
    date: int
    text: str | None = None
    entities: list[Entity] = field(default_factory=list)
    caption: str | None = None
    caption_entities: list[Entity] = field(default_factory=list)
    media_kind: str | None = None
    media: Any = None
    reply_markup: JSON | None = None
    reply_to_message_id: int | None = None
    edit_date: int | None = None
    history: list[MessageVersion] = field(default_factory=list)
    deleted: bool = False
    extra: JSON = field(default_factory=dict)

    @property
    def content(self) -> str:
        """Text or caption, whichever the message has (empty string for bare media)."""
        return self.text if self.text is not None else (self.caption or "")

    @property
    def html(self) -> str:
        """The message rendered back to Telegram HTML with the text escaped."""
        if self.text is not None:
            return to_html(self.text, self.entities)
        return to_html(self.caption or "", self.caption_entities)

    @property
    def edited(self) -> bool:
        return self.edit_date is not None

    @property
    def invoice(self) -> JSON | None:
        """The Invoice object of an invoice message (title, description, currency, total)."""
        invoice: JSON | None = self.extra.get("invoice")
        return invoice

    @property
    def successful_payment(self) -> JSON | None:
        """The SuccessfulPayment object of the service message a payment leaves in the chat."""
        payment: JSON | None = self.extra.get("successful_payment")
        return payment

    @property
    def inline_buttons(self) -> list[list[JSON]]:
        if not self.reply_markup:
            return []
        rows: list[list[JSON]] = self.reply_markup.get("inline_keyboard", [])
        return rows

    def button_texts(self) -> list[str]:
        return [button["text"] for row in self.inline_buttons for button in row]

    def snapshot(self) -> Message:
        return copy.deepcopy(self)

    def version(self) -> MessageVersion:
        return MessageVersion(
            self.text,
            copy.deepcopy(self.entities),
            self.caption,
            copy.deepcopy(self.reply_markup),
            self.edit_date,
        )

    def describe(self) -> str:
        who = "bot" if self.from_bot else "user"
        label = f"#{self.message_id} {who}"
        if self.media_kind:
            label += f" [{self.media_kind}]"
        if self.invoice:
            invoice = self.invoice
            total = f"{invoice['total_amount']} {invoice['currency']}"
            label += f" [invoice {invoice['title']!r} {total}]"
        if self.successful_payment:
            paid = self.successful_payment
            label += f" [successful_payment {paid['total_amount']} {paid['currency']}]"
        if self.edited:
            label += " (edited)"
        if self.deleted:
            label += " (deleted)"
        line = f"{label}: {self.content!r}"
        if self.inline_buttons:
            line += f"  buttons={self.button_texts()}"
        return line


@dataclass
class StoredFile:
    file_id: str
    file_unique_id: str
    data: bytes
    file_path: str
    file_name: str | None
    mime_type: str | None

    @property
    def file_size(self) -> int:
        return len(self.data)


@dataclass
class CallbackQuery:
    """A tap on an inline button and how (or whether) the bot answered it."""

    id: str
    user_id: int
    message_id: int | None
    data: str | None
    created: float = field(default_factory=time.time)
    answered: bool = False
    answer_text: str | None = None
    show_alert: bool = False
    url: str | None = None
    cache_time: int = 0
    # Answered while the update that brought the tap was not yet confirmed by the bot: had
    # the bot died then, Telegram would have sent it again, to be answered twice.
    answered_unconfirmed: bool = False
    answered_event: asyncio.Event = field(default_factory=asyncio.Event, repr=False)


@dataclass(frozen=True)
class ApiError:
    """An error the server answered to the bot."""

    method: str
    params: JSON
    error_code: int
    description: str
    time: float


@dataclass
class Email:
    sender: str
    recipients: list[str]
    subject: str
    text: str
    html: str | None
    links: list[str]
    received_at: float
    id: int = 0

    @property
    def to(self) -> list[str]:
        return self.recipients


@dataclass
class TapResult:
    """What tapping a button did. For inline callback buttons, `text`/`show_alert`
    are the bot's answerCallbackQuery."""

    kind: str  # "callback" | "reply_keyboard" | "deep_link" | "url" | "pay"
    message_id: int | None = None
    callback_query_id: str | None = None
    answered: bool = False
    text: str | None = None
    show_alert: bool = False
    url: str | None = None
    sent: Message | None = None
    payment: Payment | None = None  # kind "pay": the payment that tap started and its outcome


@dataclass
class Notice:
    """Something the web page should pop up for one user (callback answers)."""

    id: int
    user_id: int
    kind: str  # "toast" | "alert" | "url"
    text: str


@dataclass
class Payment:
    """One press of an invoice's Pay button: the pre_checkout_query the bot got, its answer,
    and what came of it.

    ``status`` is "pending" (waiting for answerPreCheckoutQuery), "paid" (ok=True: the
    successful_payment message is in the chat), "declined" (ok=False; ``error_message`` is
    what the payer was shown) or "expired" (no answer within the deadline: no payment).
    """

    id: str  # the pre_checkout_query id
    user_id: int
    invoice_message_id: int
    currency: str
    total_amount: int
    invoice_payload: str
    created: float = field(default_factory=time.time)
    status: str = "pending"
    error_message: str | None = None
    pre_checkout_update_id: int | None = None  # None: allowed_updates kept it from the bot
    telegram_payment_charge_id: str | None = None
    provider_payment_charge_id: str | None = None
    receipt_message_id: int | None = None  # the successful_payment message in the chat
    update_id: int | None = None  # the message update that carried successful_payment
    expiry: asyncio.TimerHandle | None = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        return self.status == "paid"

    @property
    def pending(self) -> bool:
        return self.status == "pending"
