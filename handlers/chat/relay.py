"""The relayed chat: entering a thread, relaying messages and replies, edits, /messages,
thread cards and transcripts."""

from __future__ import annotations

from io import BytesIO
from typing import Any, NamedTuple

from telegram import Message, Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from domain import contract_cases, relay
from domain.chat import MessageKind
from domain.contract_cases import OpenContract
from domain.relay import (
    Content,
    EditMessage,
    ExportTranscript,
    ListThreads,
    OpenThread,
    Relayed,
    SendMessage,
    SendReply,
)
from handlers.chat import texts, views
from handlers.chat.buttons import ThreadMessage, ThreadOpen, ThreadPage, ThreadTranscript
from handlers.contracts import history as contract_history
from handlers.contracts import views as contract_views
from handlers.core import keyboards
from handlers.core import texts as common_texts
from handlers.core.common import NEW_MESSAGE, answer_query, later, say
from handlers.core.context import LeadlineContext
from handlers.core.conversation import Handlers, persistent_conversation
from handlers.core.flows import CHAT, THREAD, Flows
from handlers.core.flows import FLOW as FLOW_KEY
from handlers.core.flows import enter as enter_flow

END = ConversationHandler.END


class FileMeta(NamedTuple):
    """A file as Telegram describes it: photos and voice notes have no name."""

    file_id: str
    name: str | None
    size: int | None


IN_THREAD = "in_thread"
CURRENT = THREAD  # user_data: the thread the user is writing in
RELAYABLE = NEW_MESSAGE & (
    filters.TEXT
    | filters.PHOTO
    | filters.Document.ALL
    | filters.VOICE
    | filters.VIDEO
    | filters.AUDIO
)


def _parts(message: Message) -> tuple[MessageKind, str | None, FileMeta | None]:
    """(kind, text or caption, the file) of a message a user sends."""
    caption = message.caption
    if message.photo:
        photo = message.photo[-1]
        return MessageKind.PHOTO, caption, FileMeta(photo.file_id, None, photo.file_size)
    if message.document is not None:
        document = message.document
        meta = FileMeta(document.file_id, document.file_name, document.file_size)
        return MessageKind.DOCUMENT, caption, meta
    if message.voice is not None:
        voice = message.voice
        return MessageKind.VOICE, caption, FileMeta(voice.file_id, None, voice.file_size)
    if message.video is not None:
        video = message.video
        return MessageKind.VIDEO, caption, FileMeta(video.file_id, video.file_name, video.file_size)
    if message.audio is not None:
        audio = message.audio
        return MessageKind.AUDIO, caption, FileMeta(audio.file_id, audio.file_name, audio.file_size)
    return MessageKind.TEXT, message.text, None


def message_content(message: Message) -> Content:
    """What a user sends: kind, text or caption, file id and name, and the message replied to."""
    replying_to = message.reply_to_message.message_id if message.reply_to_message else None
    kind, text, meta = _parts(message)
    file_id, file_name, file_size = meta if meta else (None, None, None)
    return Content(kind, text, file_id, file_name, message.message_id, replying_to, file_size)


async def _relayed(update: Update, context: LeadlineContext, relayed: Relayed) -> None:
    """A flagged message reminds its sender of the rule, once per thread."""
    if relayed.remind:
        await say(update, context, texts.REMINDER)


async def enter(update: Update, context: LeadlineContext) -> str:
    """Message on a thread: everything the user sends now goes to the other side."""
    command = OpenThread(ThreadMessage.of(update).thread_id)
    view = await context.turn.run(relay.start_writing, command)
    enter_flow(context, CHAT)
    await answer_query(update, context)
    assert context.user_data is not None
    context.user_data[CURRENT] = view.thread.id
    await say(update, context, texts.writing_to(view))
    return IN_THREAD


async def in_thread(update: Update, context: LeadlineContext) -> str:
    """Relays what the user sends to the other side of the thread."""
    message = update.effective_message
    assert message is not None and context.user_data is not None
    thread_id = int(context.user_data.get(CURRENT, 0))
    relayed = await context.turn.run(relay.send, SendMessage(thread_id, message_content(message)))
    await _relayed(update, context, relayed)
    return IN_THREAD


async def unsupported(update: Update, context: LeadlineContext) -> str:
    """Stickers, locations and the like are not passed on."""
    await say(update, context, texts.UNSUPPORTED)
    return IN_THREAD


async def done(update: Update, context: LeadlineContext) -> int:
    """Leaves the thread."""
    if context.user_data is not None:
        context.user_data.pop(CURRENT, None)
    await say(update, context, texts.LEFT)
    return END


async def not_in_thread(update: Update, context: LeadlineContext) -> None:
    """/done when no conversation is open."""
    await say(update, context, common_texts.NOT_IN_THREAD)


async def reply(update: Update, context: LeadlineContext) -> None:
    """A reply to a relayed message answers in its thread, without entering it."""
    message = update.effective_message
    assert message is not None and message.reply_to_message is not None
    # Delivered a moment ago, before its id was stored: its own button names the thread
    # (the use case still checks that the user is a party to it).
    fallback = _thread_of_buttons(message.reply_to_message)
    if fallback is None and context.user_data is not None:
        # A reply to something else while writing in a thread stays in that thread.
        current = context.user_data.get(CURRENT)
        fallback = int(current) if current and context.user_data.get(FLOW_KEY) == CHAT else None
    relayed = await context.turn.run(relay.reply, SendReply(message_content(message), fallback))
    if relayed is None:
        await say(update, context, common_texts.UNKNOWN_MESSAGE, await keyboards.main_menu(context))
        return
    await _relayed(update, context, relayed)
    later(context, lambda: message.reply_text(texts.SENT, do_quote=True))


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
    if message is None or message.from_user is None or context.turn.user is None:
        return  # someone without an account edited a message: nothing of theirs was relayed
    text = message.text if message.text is not None else message.caption
    await context.turn.run(relay.edit, EditMessage(message.message_id, text))


async def messages(update: Update, context: LeadlineContext) -> None:
    """/messages: the user's threads with the last message and unread counts."""
    query = update.callback_query
    paging = query is not None and ThreadPage.matches(query.data)
    offset = ThreadPage.of(update).offset if paging else 0
    page = await context.turn.run(relay.threads_of, ListThreads(offset))
    await answer_query(update, context)
    if page.total == 0:
        await say(update, context, texts.NO_CONVERSATIONS, await keyboards.main_menu(context))
        return
    await say(update, context, texts.thread_list(page), views.thread_list_actions(page))


async def open_thread(update: Update, context: LeadlineContext) -> None:
    """Opens a thread card with what the user may do in it."""
    view = await context.turn.run(relay.view_thread, OpenThread(ThreadOpen.of(update).thread_id))
    await answer_query(update, context)
    card, markup = texts.thread_card(view), views.thread_actions(view)
    if view.contract is not None:
        contract = await context.turn.run(
            contract_cases.contract_card, OpenContract(view.contract.key)
        )
        card = f"{card}\n{contract_history.status_lines(contract)}"
        markup = views.thread_actions(view, contract_views.card_buttons(contract))
    await say(update, context, card, markup)


async def transcript(update: Update, context: LeadlineContext) -> None:
    """Sends the thread's whole record as a UTF-8 text file."""
    thread_id = ThreadTranscript.of(update).thread_id
    record = await context.turn.run(relay.transcript, ExportTranscript(thread_id))
    await answer_query(update, context)
    chat = update.effective_chat
    assert chat is not None
    bot, content = context.bot, texts.transcript(record, context.turn.now).encode("utf-8")
    later(
        context,
        lambda: bot.send_document(
            chat.id,
            BytesIO(content),
            filename=texts.transcript_file_name(thread_id),
            caption=texts.TRANSCRIPT_CAPTION,
        ),
    )


def build(flows: Flows) -> ConversationHandler[LeadlineContext]:
    in_flow = flows.only(CHAT)
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
