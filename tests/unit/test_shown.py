"""The bot's memory of what each message says (handlers/core/outgoing.py ``Shown``): an edit
that changes nothing is recognised, any other is not."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from handlers.core.outgoing import Shown

CARD = InlineKeyboardMarkup([[InlineKeyboardButton("Mute", callback_data="mute")]])
OTHER = InlineKeyboardMarkup([[InlineKeyboardButton("Unmute", callback_data="unmute")]])


def _text(text: str, markup: InlineKeyboardMarkup | None = CARD) -> dict[str, object]:
    data: dict[str, object] = {"chat_id": 1, "message_id": 7, "text": text, "parse_mode": "HTML"}
    if markup is not None:
        data["reply_markup"] = markup
    return data


def test_an_edit_to_what_the_message_says_is_unchanged_and_any_other_is_not() -> None:
    shown = Shown()
    assert not shown.unchanged("editMessageText", _text("<b>Card</b>"))  # never seen
    sent = {"chat_id": 1, "text": "<b>Card</b>", "parse_mode": "HTML", "reply_markup": CARD}
    shown.note("sendMessage", sent, {"message_id": 7})
    assert shown.unchanged("editMessageText", _text("<b>Card</b>"))
    assert not shown.unchanged("editMessageText", _text("<i>Card</i>"))
    assert not shown.unchanged("editMessageText", _text("<b>Card</b>", OTHER))
    assert not shown.unchanged("editMessageText", _text("<b>Card</b>", None))  # drops buttons
    assert shown.unchanged(
        "editMessageReplyMarkup", {"chat_id": 1, "message_id": 7, "reply_markup": CARD}
    )
    assert not shown.unchanged("editMessageText", {**_text("<b>Card</b>"), "message_id": 8})


def test_a_change_of_buttons_keeps_the_text_and_a_deletion_forgets() -> None:
    shown = Shown()
    shown.note("editMessageText", _text("Card"), True)
    buttons = {"chat_id": 1, "message_id": 7, "reply_markup": OTHER}
    shown.note("editMessageReplyMarkup", buttons, True)
    assert shown.unchanged("editMessageReplyMarkup", buttons)
    assert shown.unchanged("editMessageText", _text("Card", OTHER))
    assert not shown.unchanged("editMessageText", _text("Card"))
    shown.note("deleteMessage", {"chat_id": 1, "message_id": 7}, True)
    assert not shown.unchanged("editMessageText", _text("Card", OTHER))
