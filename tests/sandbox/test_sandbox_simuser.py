"""The scripting API (SimUser) against a small real PTB application."""

from __future__ import annotations

import html
from collections.abc import AsyncIterator

import pytest
from sandbox_testkit import PtbApp, builder, running
from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    ReplyKeyboardMarkup,
    Update,
)
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from sandbox import Sandbox, SandboxError, SandboxTimeout

Ctx = ContextTypes.DEFAULT_TYPE
ROLES = InlineKeyboardMarkup(
    [
        [
            InlineKeyboardButton("Buyer", callback_data="role:buyer"),
            InlineKeyboardButton("Seller", callback_data="role:seller"),
        ],
        [InlineKeyboardButton("Terms", callback_data="terms")],
        [InlineKeyboardButton("Silent", callback_data="silent")],
    ]
)


async def start(update: Update, context: Ctx) -> None:
    assert update.effective_message and update.effective_user
    if context.args:
        await update.effective_message.reply_text(f"Deep link payload: {context.args[0]}")
        return
    name = html.escape(update.effective_user.first_name)
    await update.effective_message.reply_html(
        f"Hi <b>{name}</b>! Choose your role", reply_markup=ROLES
    )
    await update.effective_message.reply_text(
        "Or use the menu", reply_markup=ReplyKeyboardMarkup([["Help", "Profile"]])
    )


async def on_button(update: Update, context: Ctx) -> None:
    query = update.callback_query
    assert query and query.data is not None
    if query.data == "silent":
        return  # deliberately never answered
    if query.data == "terms":
        await query.answer("Be nice.", show_alert=True)
        return
    if not query.data.startswith("role:"):
        await query.answer("Unknown action")
        return
    role = query.data.split(":", 1)[1]
    await query.answer(f"You are a {role}")
    await query.edit_message_text(f"Role chosen: {role}")


async def on_text(update: Update, context: Ctx) -> None:
    message = update.effective_message
    assert message and message.text
    if message.reply_to_message:
        await message.reply_text(f"You replied to: {message.reply_to_message.text}")
    else:
        await message.reply_text(f"Echo: {message.text}")


async def on_edit(update: Update, context: Ctx) -> None:
    assert update.edited_message
    await update.edited_message.reply_text(f"Edited to: {update.edited_message.text}")


async def on_document(update: Update, context: Ctx) -> None:
    message = update.effective_message
    assert message and message.document
    data = await (await message.document.get_file()).download_as_bytearray()
    await message.reply_text(f"Got {message.document.file_name}: {len(data)} bytes")


@pytest.fixture
async def app(sb: Sandbox) -> AsyncIterator[PtbApp]:
    application = builder(sb).build()
    application.add_handler(CommandHandler("start", start))
    application.add_handler(CallbackQueryHandler(on_button))
    application.add_handler(MessageHandler(filters.UpdateType.EDITED_MESSAGE, on_edit))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, on_text))
    application.add_handler(MessageHandler(filters.Document.ALL, on_document))
    async with running(application):
        yield application
    # A clean shutdown of the poller must not look like a second bot instance.
    assert [e for e in sb.api_errors if e.error_code == 409] == []


async def test_signup_style_flow(sb: Sandbox, app: PtbApp) -> None:
    alice = sb.create_user("Alice <3", username="alice")
    await alice.send("/start")
    welcome = await alice.wait_for_message(contains="Choose your role")
    assert welcome.text == "Hi Alice <3! Choose your role"
    assert welcome.html == "Hi <b>Alice &lt;3</b>! Choose your role"
    assert welcome.button_texts() == ["Buyer", "Seller", "Terms", "Silent"]
    answer = await alice.tap("Buyer")
    assert (answer.kind, answer.text, answer.show_alert) == ("callback", "You are a buyer", False)
    edited = await alice.wait_for_message(contains="Role chosen")
    assert edited.message_id == welcome.message_id and edited.edited
    current = alice.message(welcome.message_id)
    assert current.text == "Role chosen: buyer" and current.reply_markup is None
    assert [v.text for v in current.history] == ["Hi Alice <3! Choose your role"]
    assert sb.unanswered_callback_queries() == [] and sb.api_errors == []


async def test_alerts_forged_data_and_unanswered(sb: Sandbox, app: PtbApp) -> None:
    bob = sb.create_user("Bob")
    await bob.send("/start")
    menu = await bob.wait_for_message(contains="Choose your role")
    alert = await bob.tap("Terms")
    assert (alert.text, alert.show_alert) == ("Be nice.", True)
    forged = await bob.tap_data(menu.message_id, "lead:delete:1")
    assert forged.text == "Unknown action"
    with pytest.raises(SandboxTimeout, match="did not answer callback query"):
        await bob.tap("Silent", timeout=1)
    assert [q.data for q in sb.unanswered_callback_queries()] == ["silent"]
    with pytest.raises(SandboxError, match="No button 'Nope'"):
        await bob.tap("Nope")


async def test_deep_links_reply_keyboard_replies_and_edits(sb: Sandbox, app: PtbApp) -> None:
    carol = sb.create_user("Carol")
    await carol.send("/start abc_TOKEN")
    assert (await carol.wait_for_message()).text == "Deep link payload: abc_TOKEN"
    await carol.open_link("https://t.me/leadline_bot?start=confirm_42")
    assert (await carol.wait_for_message()).text == "Deep link payload: confirm_42"
    await carol.send("/start")
    await carol.wait_for_message(contains="Or use the menu")
    tapped = await carol.tap("Profile")
    assert tapped.kind == "reply_keyboard"
    assert (await carol.wait_for_message()).text == "Echo: Profile"
    original = await carol.send("first draft")
    await carol.wait_for_message(contains="Echo: first draft")
    await carol.reply(original.message_id, "about that")
    assert (await carol.wait_for_message()).text == "You replied to: first draft"
    await carol.edit(original.message_id, "second draft")
    assert (await carol.wait_for_message()).text == "Edited to: second draft"


async def test_documents_reach_the_bot(sb: Sandbox, app: PtbApp) -> None:
    dave = sb.create_user("Dave")
    await dave.send("/start")
    await dave.send_document(b"x" * 1234, filename="brief.pdf")
    reply = await dave.wait_for_message(contains="Got ")
    assert reply.text == "Got brief.pdf: 1234 bytes"
    assert sb.sent_count(dave.id) == 3


async def test_timeout_explains_the_chat(sb: Sandbox, app: PtbApp) -> None:
    erin = sb.create_user("Erin")
    await erin.send("hello")
    await erin.wait_for_message(contains="Echo: hello")
    with pytest.raises(SandboxTimeout) as caught:
        await erin.wait_for_message(contains="never sent", timeout=0.5)
    assert "Echo: hello" in str(caught.value) and "Chat of SimUser" in str(caught.value)
