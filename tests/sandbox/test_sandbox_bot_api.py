"""Telegram's rules, as a real PTB Bot experiences them over HTTP."""

from __future__ import annotations

import asyncio
import html

import pytest
from sandbox_testkit import TOKEN
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    KeyboardButton,
    LabeledPrice,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    ReplyParameters,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, Conflict, EndPointNotFound, Forbidden, InvalidToken

from sandbox import Sandbox


def _descriptions(sb: Sandbox) -> list[str]:
    return [e.description for e in sb.api_errors]


async def started_user(sb: Sandbox, name: str = "Alice") -> int:
    user = sb.create_user(name, username=name.lower())
    await user.send("/start")
    return user.id


async def test_get_me_wrong_token_and_unknown_method(sb: Sandbox, bot: Bot) -> None:
    me = await bot.get_me()
    assert (me.id, me.username, me.is_bot) == (123456, "leadline_bot", True)
    stranger = Bot("999:WRONG", base_url=sb.base_url)
    with pytest.raises(InvalidToken):
        await stranger.initialize()
    await stranger.shutdown()
    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("sendTelepathy")
    assert _descriptions(sb) == ["Unauthorized", "Not Found: method not found"]


async def test_html_accepted_and_refused(sb: Sandbox, bot: Bot) -> None:
    chat_id = await started_user(sb)
    sent = await bot.send_message(chat_id, "<b>Hi</b> &lt;3", parse_mode=ParseMode.HTML)
    assert sent.text == "Hi <3"
    assert sent.entities[0].type == "bold"
    for bad in ("I <3 this", "<script>x</script>", "<b>open", "Tom & Jerry"):
        with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
            await bot.send_message(chat_id, bad, parse_mode=ParseMode.HTML)
    assert _descriptions(sb) == [
        'Bad Request: can\'t parse entities: Unsupported start tag "3" at byte offset 2',
        'Bad Request: can\'t parse entities: Unsupported start tag "script" at byte offset 0',
        "Bad Request: can't parse entities: Can't find end tag corresponding to start tag \"b\"",
        'Bad Request: can\'t parse entities: Unescaped "&" at byte offset 4; '
        'use "&amp;" for a literal ampersand',
    ]


async def test_escaped_user_text_displays_as_typed(sb: Sandbox, bot: Bot) -> None:
    chat_id = await started_user(sb)
    title = "<script>alert('x')</script> & <3"
    sent = await bot.send_message(chat_id, f"<b>{html.escape(title)}</b>", parse_mode="HTML")
    assert sent.text == title
    message = sb.user(chat_id).last_bot_message
    assert message is not None and message.text == title
    assert message.html == f"<b>{html.escape(title, quote=False)}</b>"
    plain = await bot.send_message(chat_id, "<b>not parsed</b>")
    assert plain.text == "<b>not parsed</b>" and not plain.entities


async def test_length_limits_count_text_after_parsing(sb: Sandbox, bot: Bot) -> None:
    chat_id = await started_user(sb)
    ok = await bot.send_message(chat_id, "<b>" + "a" * 4096 + "</b>", parse_mode="HTML")
    assert len(ok.text) == 4096
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.send_message(chat_id, "a" * 4097)
    with pytest.raises(BadRequest, match="Message text is empty"):
        await bot.send_message(chat_id, "<b></b>  ", parse_mode="HTML")
    await bot.send_document(
        chat_id, b"x", filename="a.txt", caption="<i>" + "c" * 1024 + "</i>", parse_mode="HTML"
    )
    with pytest.raises(BadRequest, match="Message caption is too long"):
        await bot.send_document(chat_id, b"x", filename="a.txt", caption="c" * 1025)


async def test_callback_data_and_button_urls(sb: Sandbox, bot: Bot) -> None:
    chat_id = await started_user(sb)

    def keyboard(**kwargs: str) -> InlineKeyboardMarkup:
        return InlineKeyboardMarkup([[InlineKeyboardButton("Go", **kwargs)]])  # type: ignore[arg-type]

    await bot.send_message(chat_id, "ok", reply_markup=keyboard(callback_data="x" * 64))
    for bad in ("x" * 65, "é" * 33):
        with pytest.raises(BadRequest, match="Button_data_invalid"):
            await bot.send_message(chat_id, "no", reply_markup=keyboard(callback_data=bad))
    with pytest.raises(BadRequest, match="Button_url_invalid"):
        await bot.send_message(chat_id, "no", reply_markup=keyboard(url="javascript:alert(1)"))
    await bot.send_message(chat_id, "ok", reply_markup=keyboard(url="https://t.me/leadline_bot"))
    assert _descriptions(sb) == ["Bad Request: BUTTON_DATA_INVALID"] * 2 + [
        "Bad Request: BUTTON_URL_INVALID"
    ]


async def test_edit_rules(sb: Sandbox, bot: Bot) -> None:
    alice = sb.create_user("Alice")
    user_message = await alice.send("/start")
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("A", callback_data="a")]])
    sent = await bot.send_message(alice.id, "<b>v1</b>", parse_mode="HTML", reply_markup=markup)
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_text(
            "<b>v1</b>", alice.id, sent.message_id, parse_mode="HTML", reply_markup=markup
        )
    edited = await bot.edit_message_text("v2", alice.id, sent.message_id)
    assert edited.text == "v2" and edited.edit_date is not None and edited.reply_markup is None
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("x", alice.id, 999)
    with pytest.raises(BadRequest, match="Message can't be edited"):
        await bot.edit_message_text("x", alice.id, user_message.message_id)
    message = alice.message(sent.message_id)
    assert [v.text for v in message.history] == ["v1"] and message.text == "v2"
    assert sb.api_errors[0].description == (
        "Bad Request: message is not modified: specified new message content and reply markup "
        "are exactly the same as a current content and reply markup of the message"
    )


async def test_forbidden_and_unknown_chats(sb: Sandbox, bot: Bot) -> None:
    stranger = sb.create_user("Stranger")
    with pytest.raises(Forbidden, match="Forbidden: bot can't initiate conversation with a user"):
        await bot.send_message(stranger.id, "hi")
    blocker = sb.create_user("Blocker")
    await blocker.send("/start")
    blocker.block_bot()
    with pytest.raises(Forbidden, match="Forbidden: bot was blocked by the user"):
        await bot.send_message(blocker.id, "hi")
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(42, "hi")
    blocker.unblock_bot()
    await bot.send_message(blocker.id, "welcome back")
    kinds = [next(k for k in u if k != "update_id") for u in sb.pending_updates]
    assert kinds == ["message", "my_chat_member", "my_chat_member"]
    assert [e.error_code for e in sb.api_errors] == [403, 403, 400]


async def test_second_poller_gets_conflict(sb: Sandbox, bot: Bot) -> None:
    first = asyncio.create_task(bot.get_updates(timeout=10))
    await sb.wait_for_poller()
    async with Bot(TOKEN, base_url=sb.base_url) as second:
        assert await second.get_updates(timeout=0) == ()
    with pytest.raises(Conflict, match="terminated by other getUpdates request"):
        await first
    await bot.set_webhook("https://example.org/hook")
    with pytest.raises(Conflict, match="can't use getUpdates method while webhook is active"):
        await bot.get_updates()
    await bot.delete_webhook()
    assert await bot.get_updates() == ()


async def test_get_updates_offset_confirms(sb: Sandbox, bot: Bot) -> None:
    alice = sb.create_user("Alice")
    await alice.send("one")
    await alice.send("two")
    updates = await bot.get_updates()
    assert [u.message.text for u in updates if u.message] == ["one", "two"]
    assert len(await bot.get_updates(offset=updates[0].update_id + 1)) == 1
    assert await bot.get_updates(offset=updates[1].update_id + 1) == ()


async def test_files_round_trip(sb: Sandbox, bot: Bot) -> None:
    alice = sb.create_user("Alice")
    await alice.send_document(b"%PDF-1.4 brief", filename="brief.pdf", caption="my brief")
    update = (await bot.get_updates())[-1]
    assert update.message and update.message.document
    assert update.message.document.file_name == "brief.pdf"
    incoming = await bot.get_file(update.message.document.file_id)
    assert bytes(await incoming.download_as_bytearray()) == b"%PDF-1.4 brief"
    sent = await bot.send_photo(
        alice.id, b"\x89PNG\r\n\x1a\n" + b"\0" * 8 + b"\0\0\0\x02\0\0\0\x03"
    )
    assert (sent.photo[-1].width, sent.photo[-1].height) == (2, 3)
    again = await bot.send_document(alice.id, update.message.document.file_id)
    assert again.document and again.document.file_unique_id == (
        update.message.document.file_unique_id
    )
    with pytest.raises(BadRequest, match="Wrong file identifier"):
        await bot.send_document(alice.id, "nonsense-file-id")


async def test_replies_keyboards_and_callback_answers(sb: Sandbox, bot: Bot) -> None:
    alice = sb.create_user("Alice")
    question = await alice.send("/start")
    answer = await bot.send_message(
        alice.id,
        "Pick",
        reply_parameters=ReplyParameters(question.message_id),
        reply_markup=ReplyKeyboardMarkup(
            [[KeyboardButton("Buyer"), "Seller"]],
            resize_keyboard=True,
            input_field_placeholder="Your role",
        ),
    )
    assert answer.reply_to_message and answer.reply_to_message.text == "/start"
    assert alice.reply_keyboard and alice.reply_keyboard["input_field_placeholder"] == "Your role"
    await bot.send_message(alice.id, "Thanks", reply_markup=ReplyKeyboardRemove())
    assert alice.reply_keyboard is None
    with pytest.raises(BadRequest, match="Query is too old"):
        await bot.answer_callback_query("12345")
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("A", callback_data="a")]])
    menu = await bot.send_message(alice.id, "Menu", reply_markup=keyboard)
    tapped = await alice.tap("A", wait_answer=False)
    assert tapped.message_id == menu.message_id
    assert sb.unanswered_callback_queries()[0].data == "a"
    with pytest.raises(BadRequest, match="Message_too_long"):
        await bot.answer_callback_query(str(tapped.callback_query_id), text="x" * 201)
    await bot.answer_callback_query(str(tapped.callback_query_id), text="Done", show_alert=True)
    assert sb.unanswered_callback_queries() == []
    record = sb.callback_queries[0]
    assert (record.answer_text, record.show_alert) == ("Done", True)


async def test_inline_queries_and_payments(sb: Sandbox, bot: Bot) -> None:
    alice = sb.create_user("Alice")
    await alice.send("/start")
    searching = asyncio.create_task(alice.inline_query("python django"))
    await sb.world.wait_for(lambda: True if sb.pending_updates[1:] else None, 10)
    update = (await bot.get_updates())[-1]
    assert update.inline_query and update.inline_query.query == "python django"
    result = InlineQueryResultArticle("1", "Lead 42", InputTextMessageContent("Lead 42"))
    await bot.answer_inline_query(update.inline_query.id, [result])
    assert [r["title"] for r in await searching] == ["Lead 42"]

    invoice = await bot.send_invoice(
        alice.id,
        "Lead 42",
        "Payment",
        "lead:42",
        "USD",
        [LabeledPrice("Work", 12_000)],
        provider_token="test",
    )
    paying = asyncio.create_task(alice.pay(invoice.message_id))
    query = None
    while query is None:
        updates = await bot.get_updates(offset=update.update_id + 1, timeout=5)
        query = next((u.pre_checkout_query for u in updates if u.pre_checkout_query), None)
    assert (query.invoice_payload, query.total_amount) == ("lead:42", 12_000)
    await bot.answer_pre_checkout_query(query.id, ok=True)
    paid = await paying
    assert paid.ok and paid.total_amount == 12_000
    receipt = alice.message(paid.receipt_message_id or 0).successful_payment
    assert receipt is not None and receipt["invoice_payload"] == "lead:42"
    assert sb.api_errors == []
