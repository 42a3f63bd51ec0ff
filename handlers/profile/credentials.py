"""/profile → a seller's credentials: education, resume, verification documents, portfolio
links and years per skill."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from html import escape

from telegram import Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from domain import credential_cases
from domain.credentials import Credentials, DocumentKind
from domain.errors import InvalidInput
from domain.model import User
from domain.onboarding import TextAnswer
from domain.ports import UnitOfWork
from handlers.core import texts as common_texts
from handlers.core.common import NEW_MESSAGE, TEXT_ANSWER, answer_query, say
from handlers.core.context import LeadlineContext
from handlers.core.conversation import Handlers, persistent_conversation
from handlers.core.flows import Flows
from handlers.core.flows import enter as enter_flow
from handlers.profile import texts, views
from handlers.profile.buttons import (
    CredentialAdd,
    CredentialKind,
    CredentialRemove,
    ProfileCredentials,
)

END = ConversationHandler.END
ADD_TEXT, DOC_TITLE, DOC_FILE = "add_text", "doc_title", "doc_file"
SECTION, KIND, TITLE = "cred_section", "cred_kind", "cred_title"  # user_data keys
FILE = filters.UpdateType.MESSAGE & filters.Document.ALL
SECTIONS = frozenset({"education", "resume", "documents", "portfolio", "experience"})
# The section a removed entry was listed in.
SECTION_OF = {"education": "education", "document": "documents", "link": "portfolio"}

TextAdder = Callable[[UnitOfWork, User, TextAnswer, datetime], Awaitable[Credentials]]
ADDERS: dict[str, TextAdder] = {
    "education": credential_cases.add_education,
    "portfolio": credential_cases.add_link,
    "experience": credential_cases.set_skill_years,
}


async def _show(
    update: Update,
    context: LeadlineContext,
    section: str,
    credentials: Credentials,
    prefix: str = "",
) -> None:
    """Sends one credentials section with its entries and buttons."""
    text = texts.credentials_section(section, context.turn.actor, credentials)
    markup = views.credentials_section(section, credentials)
    await say(update, context, f"{prefix}\n\n{text}" if prefix else text, markup)


async def open_section(update: Update, context: LeadlineContext) -> int:
    """Shows one credentials section with its entries and buttons."""
    await answer_query(update, context)
    section = ProfileCredentials.of(update).section
    if section not in SECTIONS:
        return END
    credentials = await context.turn.run(credential_cases.credentials_of, None)
    await _show(update, context, section, credentials)
    return END


async def start_adding(update: Update, context: LeadlineContext) -> str | int:
    """Asks for a new entry of the section whose Add button was tapped (a suspended user is
    refused here, not after answering)."""
    await context.turn.run(credential_cases.start_adding, None)
    enter_flow(context, "credentials")
    await answer_query(update, context)
    section = CredentialAdd.of(update).section
    assert context.user_data is not None
    context.user_data[SECTION] = section
    if section in texts.PROMPTS:
        await say(update, context, f"{texts.PROMPTS[section]}\n\n{texts.CANCEL_HINT}")
        return ADD_TEXT
    if section == "resume":
        context.user_data[KIND] = DocumentKind.RESUME.value
        await say(update, context, texts.RESUME_QUESTION)
        return DOC_FILE
    if section == "documents":
        await say(update, context, texts.KIND_QUESTION, views.document_kinds())
        return DOC_TITLE
    return END


async def add_text(update: Update, context: LeadlineContext) -> str | int:
    """Stores an education entry, a link or years per skill; a bad one is asked again."""
    assert context.user_data is not None
    message = update.effective_message
    assert message is not None and message.text is not None
    section = str(context.user_data.get(SECTION, ""))
    adder = ADDERS.get(section)
    if adder is None:
        return END
    try:
        credentials = await context.turn.attempt(adder, TextAnswer(message.text))
    except InvalidInput as error:
        await say(update, context, f"{escape(error.sentence)}\n\n{texts.PROMPTS[section]}")
        return ADD_TEXT
    await _show(update, context, section, credentials, prefix=common_texts.PROFILE_SAVED)
    return END


async def choose_kind(update: Update, context: LeadlineContext) -> str:
    """Stores the document kind and asks for its title."""
    await answer_query(update, context)
    kind = CredentialKind.of(update).kind
    assert context.user_data is not None
    if kind not in texts.KIND_NAMES:
        return DOC_TITLE
    context.user_data[KIND] = kind.value
    await say(update, context, texts.TITLE_QUESTION)
    return DOC_TITLE


async def document_title(update: Update, context: LeadlineContext) -> str:
    """Stores the title and asks for the file."""
    assert context.user_data is not None
    message = update.effective_message
    assert message is not None and message.text is not None
    if KIND not in context.user_data:
        # The kind is tapped first: one sentence, and that question with its buttons again.
        question = f"{texts.TAP_KIND}\n\n{texts.KIND_QUESTION}"
        await say(update, context, question, views.document_kinds())
        return DOC_TITLE
    title = " ".join(message.text.split())
    if not title or len(title) > 80:
        await say(update, context, texts.TITLE_LENGTH)
        return DOC_TITLE
    context.user_data[TITLE] = title
    await say(update, context, texts.FILE_QUESTION)
    return DOC_FILE


async def document_file(update: Update, context: LeadlineContext) -> int:
    """Stores the uploaded resume or document."""
    assert context.user_data is not None
    message = update.effective_message
    assert message is not None and message.document is not None
    document = message.document
    kind = DocumentKind(str(context.user_data.pop(KIND, DocumentKind.RESUME.value)))
    title = str(context.user_data.pop(TITLE, document.file_name or texts.DEFAULT_RESUME_TITLE))
    command = credential_cases.UploadDocument(kind, title, document.file_id, document.file_name)
    credentials = await context.turn.run(credential_cases.upload_document, command)
    section = "resume" if kind is DocumentKind.RESUME else "documents"
    await _show(update, context, section, credentials, prefix=common_texts.PROFILE_SAVED)
    return END


async def not_a_file(update: Update, context: LeadlineContext) -> str:
    """Asks again for a file."""
    await say(update, context, texts.NOT_A_FILE)
    return DOC_FILE


async def remove(update: Update, context: LeadlineContext) -> None:
    """Removes one entry after a tap on its ✖ button."""
    pressed = CredentialRemove.of(update)
    command = credential_cases.RemoveEntry(pressed.kind, pressed.entry_id)
    credentials = await context.turn.run(credential_cases.remove_entry, command)
    await answer_query(update, context, texts.REMOVED)
    await _show(update, context, SECTION_OF[pressed.kind], credentials)


async def cancel(update: Update, context: LeadlineContext) -> int:
    """Leaves without adding anything."""
    if context.user_data is not None:
        for key in (SECTION, KIND, TITLE):
            context.user_data.pop(key, None)
    await say(update, context, common_texts.CANCELLED)
    return END


def build(flows: Flows) -> ConversationHandler[LeadlineContext]:
    in_flow = flows.only("credentials")
    states: dict[object, Handlers] = {
        ADD_TEXT: [MessageHandler(TEXT_ANSWER & in_flow, add_text)],
        DOC_TITLE: [
            CallbackQueryHandler(choose_kind, CredentialKind.matches),
            MessageHandler(TEXT_ANSWER & in_flow, document_title),
        ],
        DOC_FILE: [
            MessageHandler(FILE & in_flow, document_file),
            MessageHandler(NEW_MESSAGE & in_flow, not_a_file),
        ],
    }
    return persistent_conversation(
        "credentials",
        entry_points=[
            CallbackQueryHandler(open_section, ProfileCredentials.matches),
            CallbackQueryHandler(start_adding, CredentialAdd.matches),
        ],
        states=states,
        fallbacks=[CommandHandler("cancel", cancel, filters=in_flow)],
    )


def remove_handler() -> CallbackQueryHandler[LeadlineContext, None]:
    return CallbackQueryHandler(remove, CredentialRemove.matches)
