"""Writing to the Leadline team (/contact, the menu, Reply under an answer) and an admin's
answer (Reply under a user's message). Anyone who has talked to the bot may write: someone
still signing up, or suspended, too."""

from __future__ import annotations

from html import escape

from telegram import Message, Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from domain import accounts, contact_cases
from domain.chat import MessageKind
from domain.contact import ContactFile
from domain.contact_cases import OpenContact, ReplyToUser, WriteToSupport
from domain.errors import InvalidInput, LimitReached
from domain.model import User
from handlers.contact import texts
from handlers.contact.buttons import ContactReply, ContactWrite
from handlers.core.common import NEW_MESSAGE, answer_query, identity, say
from handlers.core.context import LeadlineContext
from handlers.core.conversation import persistent_conversation
from handlers.core.flows import Flows
from handlers.core.flows import enter as enter_flow
from handlers.menu.buttons import MenuContact

END = ConversationHandler.END
WRITING, ANSWERING = "writing", "answering"
ANSWERING_TO = "contact_answering"  # user_data: the message an admin is answering
CONTACTABLE = NEW_MESSAGE & (filters.TEXT | filters.PHOTO | filters.Document.ALL)


def _content(message: Message) -> tuple[str | None, tuple[ContactFile, ...]]:
    """The text (or caption) and the file of a message."""
    if message.photo:
        photo = ContactFile(MessageKind.PHOTO, message.photo[-1].file_id, "photo")
        return message.caption, (photo,)
    if message.document is not None:
        document = message.document
        return message.caption, (
            ContactFile(MessageKind.DOCUMENT, document.file_id, document.file_name),
        )
    return message.text, ()


async def _known(update: Update, context: LeadlineContext) -> User:
    """The user writing; one who never sent /start gets an account, so the answer can reach
    them."""
    turn = context.turn
    if turn.user is None:
        turn.user = await accounts.open_account(turn.uow, identity(update), turn.now)
    return turn.user


async def start(update: Update, context: LeadlineContext) -> str:
    """/contact, ✉️ Contact us or Reply under an answer: asks for the message."""
    await _known(update, context)
    await context.turn.run(contact_cases.start_writing, None)
    enter_flow(context, "contact")
    await answer_query(update, context)
    await say(update, context, texts.ASK)
    return WRITING


async def write(update: Update, context: LeadlineContext) -> str | int:
    """Sends the message to every admin; an empty or too long one is asked for again."""
    message = update.effective_message
    assert message is not None
    text, files = _content(message)
    command = WriteToSupport(text, files, context.services.admin_ids)
    try:
        await context.turn.attempt(contact_cases.write_to_support, command)
    except InvalidInput as error:
        await say(update, context, f"{escape(error.sentence)}\n\n{texts.ASK}")
        return WRITING
    except LimitReached as error:
        await say(update, context, escape(error.sentence))
        return END
    await say(update, context, texts.SENT)
    return END


async def wrong_kind(update: Update, context: LeadlineContext) -> str:
    """A sticker, voice note or the like: one sentence, the question stays."""
    await say(update, context, texts.SEND_TEXT_OR_FILE)
    return WRITING


async def cancel(update: Update, context: LeadlineContext) -> int:
    """/cancel while writing: nothing is sent."""
    await say(update, context, texts.CANCELLED)
    return END


async def start_answer(update: Update, context: LeadlineContext) -> str:
    """Reply under a user's message (admins only): asks for the answer."""
    await _known(update, context)
    pressed = ContactReply.of(update)
    command = OpenContact(pressed.message_id, context.services.admin_ids)
    thread = await context.turn.run(contact_cases.open_contact, command)
    enter_flow(context, "contact_reply")
    assert context.user_data is not None
    context.user_data[ANSWERING_TO] = thread.message.key
    await answer_query(update, context)
    await say(update, context, texts.ask_admin(thread.message, thread.user))
    return ANSWERING


async def answer(update: Update, context: LeadlineContext) -> str | int:
    """Sends the admin's answer to the user, marked as from Leadline support."""
    message = update.effective_message
    assert message is not None and context.user_data is not None
    text, files = _content(message)
    answering = int(context.user_data.get(ANSWERING_TO, 0))
    command = ReplyToUser(answering, text, files, context.services.admin_ids)
    try:
        thread = await context.turn.attempt(contact_cases.reply_to_user, command)
    except InvalidInput as error:
        await say(update, context, escape(error.sentence))
        return ANSWERING
    context.user_data.pop(ANSWERING_TO, None)
    await say(update, context, texts.answered(thread.user))
    return END


async def wrong_answer_kind(update: Update, context: LeadlineContext) -> str:
    """Not text, a photo or a file: one sentence, the question stays."""
    await say(update, context, texts.SEND_TEXT_OR_FILE)
    return ANSWERING


async def cancel_answer(update: Update, context: LeadlineContext) -> int:
    """/cancel while answering: nothing is sent."""
    if context.user_data is not None:
        context.user_data.pop(ANSWERING_TO, None)
    await say(update, context, texts.ADMIN_CANCELLED)
    return END


def build(flows: Flows) -> ConversationHandler[LeadlineContext]:
    """The user's side: one message to the team per /contact."""
    in_flow = flows.only("contact")
    return persistent_conversation(
        "contact",
        entry_points=[
            CommandHandler("contact", start),
            CallbackQueryHandler(start, ContactWrite.matches),
            CallbackQueryHandler(start, MenuContact.matches),
        ],
        states={
            WRITING: [
                MessageHandler(CONTACTABLE & in_flow, write),
                MessageHandler(NEW_MESSAGE & ~filters.COMMAND & in_flow, wrong_kind),
            ]
        },
        fallbacks=[CommandHandler("cancel", cancel, filters=in_flow)],
    )


def build_answers(flows: Flows) -> ConversationHandler[LeadlineContext]:
    """The admin's side: one answer per Reply."""
    in_flow = flows.only("contact_reply")
    return persistent_conversation(
        "contact_reply",
        entry_points=[CallbackQueryHandler(start_answer, ContactReply.matches)],
        states={
            ANSWERING: [
                MessageHandler(CONTACTABLE & in_flow, answer),
                MessageHandler(NEW_MESSAGE & ~filters.COMMAND & in_flow, wrong_answer_kind),
            ]
        },
        fallbacks=[CommandHandler("cancel", cancel_answer, filters=in_flow)],
    )
