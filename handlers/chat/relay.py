"""The relayed chat: entering a thread, relaying messages and replies, edits, /messages,
thread cards and transcripts."""

from __future__ import annotations

from html import escape
from io import BytesIO
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from domain import relay
from domain.chat import MessageKind
from domain.errors import DomainError
from domain.ports import Page, ThreadSummary
from handlers.chat import views as chat_views
from handlers.chat.buttons import ThreadMessage, ThreadOpen, ThreadPage, ThreadTranscript
from handlers.core import keyboards, texts
from handlers.core.common import NEW_MESSAGE, answer_query, later, say, telegram_id
from handlers.core.context import LeadlineContext
from handlers.core.conversation import Handlers, persistent_conversation
from handlers.core.flows import FLOW as FLOW_KEY
from handlers.core.flows import Flows
from handlers.core.flows import enter as enter_flow
from handlers.core.keyboards import button

END = ConversationHandler.END
IN_THREAD = "in_thread"
CURRENT = "chat_thread"  # user_data: the thread the user is writing in
RELAYABLE = NEW_MESSAGE & (
    filters.TEXT
    | filters.PHOTO
    | filters.Document.ALL
    | filters.VOICE
    | filters.VIDEO
    | filters.AUDIO
)
REMINDER = (
    "⚠️ Your message was delivered, but it contains contact details or a link. Please keep "
    "the deal on Leadline: only what is said here counts if there is a dispute."
)


def _content(message: Message) -> tuple[MessageKind, str | None, str | None, str | None]:
    """(kind, text or caption, file id, file name) of a message a user sends."""
    if message.photo:
        return MessageKind.PHOTO, message.caption, message.photo[-1].file_id, "photo"
    if message.document is not None:
        document = message.document
        return MessageKind.DOCUMENT, message.caption, document.file_id, document.file_name
    if message.voice is not None:
        return MessageKind.VOICE, message.caption, message.voice.file_id, "voice"
    if message.video is not None:
        return MessageKind.VIDEO, message.caption, message.video.file_id, message.video.file_name
    if message.audio is not None:
        return MessageKind.AUDIO, message.caption, message.audio.file_id, message.audio.file_name
    return MessageKind.TEXT, message.text, None, None


async def _relay(update: Update, context: LeadlineContext, thread_id: int) -> bool:
    message = update.effective_message
    assert message is not None
    kind, text, file_id, file_name = _content(message)
    replying_to = message.reply_to_message.message_id if message.reply_to_message else None
    try:
        relayed = await relay.relay(
            context.uow(),
            telegram_id(update),
            thread_id,
            kind,
            text,
            file_id,
            file_name,
            message.message_id,
            context.now(),
            chat_views.relay_payload,
            replying_to,
        )
    except DomainError as error:
        await say(update, context, escape(error.sentence))
        return False
    context.services.kick_outbox()
    if relayed.remind:
        await say(update, context, REMINDER)
    return True


async def enter(update: Update, context: LeadlineContext) -> str | int:
    """Message on a thread: everything the user sends now goes to the other side."""
    enter_flow(context, "chat")
    await answer_query(update, context)
    thread_id = ThreadMessage.of(update).thread_id
    try:
        view = await relay.view_thread(context.uow(), telegram_id(update), thread_id)
    except DomainError as error:
        await say(update, context, escape(error.sentence))
        return END
    assert context.user_data is not None
    context.user_data[CURRENT] = view.thread.id
    await say(
        update,
        context,
        f"💬 You are writing to <b>{escape(view.other.name)}</b> about "
        f"<b>{escape(view.lead.title or '')}</b>. Text, photos, files, voice, audio and video are "
        "passed on and kept as the record. Send /done to leave.",
    )
    return IN_THREAD


async def in_thread(update: Update, context: LeadlineContext) -> str:
    """Relays what the user sends to the other side of the thread."""
    assert context.user_data is not None
    await _relay(update, context, int(context.user_data.get(CURRENT, 0)))
    return IN_THREAD


async def unsupported(update: Update, context: LeadlineContext) -> str:
    """Stickers, locations and the like are not passed on."""
    await say(
        update,
        context,
        "That kind of message is not passed on; send text, a photo, a file, voice, audio or video.",
    )
    return IN_THREAD


async def done(update: Update, context: LeadlineContext) -> int:
    """Leaves the thread."""
    if context.user_data is not None:
        context.user_data.pop(CURRENT, None)
    await say(update, context, "You left the conversation. /messages lists your conversations.")
    return END


async def not_in_thread(update: Update, context: LeadlineContext) -> None:
    """/done when no conversation is open."""
    await say(update, context, texts.NOT_IN_THREAD)


async def reply(update: Update, context: LeadlineContext) -> None:
    """A reply to a relayed message answers in its thread, without entering it."""
    message = update.effective_message
    assert message is not None and message.reply_to_message is not None
    replied = message.reply_to_message
    thread_id = await relay.thread_of_reply(context.uow(), telegram_id(update), replied.message_id)
    if thread_id is None:
        # Delivered a moment ago, before its id was stored: its own button names the thread
        # (the use case still checks that the user is a party to it).
        thread_id = _thread_of_buttons(replied)
    if thread_id is None and context.user_data is not None:
        # A reply to something else while writing in a thread stays in that thread.
        current = context.user_data.get(CURRENT)
        thread_id = int(current) if current and context.user_data.get(FLOW_KEY) == "chat" else None
    if thread_id is None:
        await say(update, context, texts.UNKNOWN_MESSAGE, keyboards.menu())
        return
    if await _relay(update, context, thread_id):
        later(context, lambda: message.reply_text("↪️ Sent.", do_quote=True))


def _thread_of_buttons(message: Message) -> int | None:
    markup = message.reply_markup
    for row in markup.inline_keyboard if markup else ():
        for item in row:
            pressed = ThreadMessage.decode(item.callback_data)
            if pressed is not None:
                return pressed.thread_id
    return None


async def edited(update: Update, context: LeadlineContext) -> None:
    """An edit of a relayed message is stored as a new version and shown to the other side."""
    message = update.edited_message
    if message is None or message.from_user is None:
        return
    text = message.text if message.text is not None else message.caption
    stored = await relay.relay_edit(
        context.uow(),
        message.from_user.id,
        message.message_id,
        text,
        context.now(),
        chat_views.relay_payload,
    )
    if stored is not None:
        context.services.kick_outbox()


def _list(page: Page[ThreadSummary]) -> tuple[str, InlineKeyboardMarkup]:
    lines = [f"💬 <b>Your conversations</b> ({page.total})"]
    keyboard: list[list[InlineKeyboardButton]] = []
    for summary in page.items:
        unread = f" · <b>{summary.unread} new</b>" if summary.unread else ""
        last = summary.last_message
        snippet = (last.text or f"[{last.kind.value}]") if last else "no messages yet"
        snippet = snippet if len(snippet) <= 60 else snippet[:59] + "…"
        lines.append(
            f"\n📌 <b>{escape(summary.lead_title)}</b> — {escape(summary.other_name)}{unread}\n"
            f"   {escape(snippet)}"
        )
        label = f"{'🔵 ' if summary.unread else ''}{summary.lead_title} — {summary.other_name}"
        keyboard.append([button(label[:60], ThreadOpen(summary.thread.id or 0))])
    nav = []
    if page.has_previous:
        nav.append(button("◀️ Prev", ThreadPage(max(page.offset - page.size, 0))))
    if page.has_next:
        nav.append(button("Next ▶️", ThreadPage(page.offset + page.size)))
    if nav:
        keyboard.append(nav)
    return "\n".join(lines), InlineKeyboardMarkup(keyboard)


async def messages(update: Update, context: LeadlineContext) -> None:
    """/messages: the user's threads with the last message and unread counts."""
    await answer_query(update, context)
    offset = ThreadPage.of(update).offset if update.callback_query else 0
    try:
        page = await relay.threads_of(context.uow(), telegram_id(update), offset)
    except DomainError as error:
        await say(update, context, escape(error.sentence))
        return
    if page.total == 0:
        await say(
            update, context, "No conversations yet. Sellers start one with Connect on a lead."
        )
        return
    text, markup = _list(page)
    await say(update, context, text, markup)


async def open_thread(update: Update, context: LeadlineContext) -> None:
    """Opens a thread card with what the user may do in it."""
    await answer_query(update, context)
    thread_id = ThreadOpen.of(update).thread_id
    try:
        view = await relay.view_thread(context.uow(), telegram_id(update), thread_id)
    except DomainError as error:
        await say(update, context, escape(error.sentence))
        return
    await say(update, context, chat_views.thread_card(view), chat_views.thread_actions(view))


async def transcript(update: Update, context: LeadlineContext) -> None:
    """Sends the thread's whole record as a UTF-8 text file."""
    thread_id = ThreadTranscript.of(update).thread_id
    try:
        text = await relay.transcript(context.uow(), telegram_id(update), thread_id)
    except DomainError as error:
        await answer_query(update, context, error.sentence)
        return
    await answer_query(update, context)
    chat = update.effective_chat
    assert chat is not None
    bot, content = context.bot, text.encode("utf-8")
    later(
        context,
        lambda: bot.send_document(
            chat.id,
            BytesIO(content),
            filename=f"leadline-thread-{thread_id}.txt",
            caption="📄 The full record of this conversation (times in UTC).",
        ),
    )


def build(flows: Flows) -> ConversationHandler[LeadlineContext]:
    in_flow = flows.only("chat")
    states: dict[object, Handlers] = {
        IN_THREAD: [
            # A reply to a relayed message answers in that message's thread, whichever
            # thread the user is writing in.
            MessageHandler(RELAYABLE & filters.REPLY & in_flow, reply),
            MessageHandler(RELAYABLE & in_flow, in_thread),
            MessageHandler(NEW_MESSAGE & in_flow, unsupported),
        ]
    }
    return persistent_conversation(
        "chat",
        entry_points=[CallbackQueryHandler(enter, ThreadMessage.matches)],
        states=states,
        fallbacks=[
            CommandHandler("done", done, filters=in_flow),
            CommandHandler("cancel", done, filters=in_flow),
        ],
    )


def handlers() -> list[BaseHandler[Update, LeadlineContext, Any]]:
    return [
        CommandHandler("messages", messages),
        CommandHandler("done", not_in_thread),
        CallbackQueryHandler(messages, ThreadPage.matches),
        CallbackQueryHandler(open_thread, ThreadOpen.matches),
        CallbackQueryHandler(transcript, ThreadTranscript.matches),
        MessageHandler(RELAYABLE & filters.REPLY, reply),
    ]


def edits_handler() -> MessageHandler[LeadlineContext, None]:
    return MessageHandler(filters.UpdateType.EDITED_MESSAGE, edited)
