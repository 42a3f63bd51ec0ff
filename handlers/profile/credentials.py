"""/profile → a seller's credentials: education, resume, verification documents, portfolio
links and years per skill."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from html import escape

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from domain import accounts, sellers
from domain.credentials import Credentials, DocumentKind
from domain.errors import DomainError
from domain.model import User
from domain.ports import UnitOfWork
from handlers.core import texts
from handlers.core.common import NEW_MESSAGE, TEXT_ANSWER, answer_query, say, telegram_id
from handlers.core.context import LeadlineContext
from handlers.core.conversation import Handlers, persistent_conversation
from handlers.core.flows import Flows
from handlers.core.flows import enter as enter_flow
from handlers.core.keyboards import button, rows
from handlers.menu.buttons import MenuProfile
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

PROMPTS = {
    "education": "Send the degree and the school, and the year if you like, e.g. "
    "<i>BSc Computer Science, TU Berlin, 2019</i>.",
    "portfolio": "Send a link to your work, optionally followed by a title, e.g. "
    "<i>https://dribbble.com/ann Logo work</i>.",
    "experience": "Send your years per skill, e.g. <i>Python 5, Django 3</i>.",
}
KIND_NAMES = {
    DocumentKind.CERTIFICATE: "Certificate",
    DocumentKind.AWARD: "Award",
    DocumentKind.REFERENCE: "Reference",
}
TextAdder = Callable[[UnitOfWork, int, str], Awaitable[Credentials]]
ADDERS: dict[str, TextAdder] = {
    "education": sellers.add_education,
    "portfolio": sellers.add_link,
    "experience": sellers.set_skill_years,
}


def _view(section: str, user: User, credentials: Credentials) -> tuple[str, InlineKeyboardMarkup]:
    """The text and buttons of one credentials section."""
    removals = []
    if section == "education":
        lines = ["🎓 <b>Education</b>"]
        for n, entry in enumerate(credentials.education, 1):
            year = f", {entry.year}" if entry.year else ""
            lines.append(f"{n}. {escape(entry.degree)} — {escape(entry.school)}{year}")
            removals.append(button(f"✖ {n}", CredentialRemove("education", entry.id or 0)))
        add = button("➕ Add", CredentialAdd("education"))
    elif section == "resume":
        resume = credentials.resume
        lines = [f"📄 <b>Resume</b>: {escape(resume.title) if resume else 'none yet'}"]
        add = button("⬆️ Upload" if resume is None else "⬆️ Replace", CredentialAdd("resume"))
    elif section == "documents":
        lines = ["🏅 <b>Verification documents</b> (certificates, awards, references)"]
        for n, doc in enumerate(credentials.verification, 1):
            lines.append(f"{n}. {escape(doc.title)} ({KIND_NAMES.get(doc.kind, doc.kind.value)})")
            removals.append(button(f"✖ {n}", CredentialRemove("document", doc.id or 0)))
        add = button("➕ Add", CredentialAdd("documents"))
    elif section == "portfolio":
        lines = ["🔗 <b>Portfolio</b>"]
        for n, link in enumerate(credentials.links, 1):
            title = f"{escape(link.title)}: " if link.title else ""
            lines.append(f"{n}. {title}{escape(link.url)}")
            removals.append(button(f"✖ {n}", CredentialRemove("link", link.id or 0)))
        add = button("➕ Add", CredentialAdd("portfolio"))
    else:
        lines = ["⏳ <b>Experience</b>"]
        for skill in user.profile.skills:
            years = credentials.skill_years.get(skill)
            lines.append(f"• {escape(skill)}: {'—' if years is None else f'{years} yr'}")
        add = button("✏️ Set years", CredentialAdd("experience"))
    if len(lines) == 1 and section not in ("resume", "experience"):
        lines.append("Nothing yet.")
    keyboard = [removals[i : i + 5] for i in range(0, len(removals), 5)]
    keyboard.append([add, button("⬅️ Profile", MenuProfile())])
    return "\n".join(lines), InlineKeyboardMarkup(keyboard)


async def _show(update: Update, context: LeadlineContext, section: str, prefix: str = "") -> None:
    user = await accounts.get_user(context.uow(), telegram_id(update))
    assert user is not None
    credentials = await sellers.credentials_of(context.uow(), telegram_id(update))
    text, markup = _view(section, user, credentials)
    await say(update, context, f"{prefix}\n\n{text}" if prefix else text, markup)


async def open_section(update: Update, context: LeadlineContext) -> int:
    """Shows one credentials section with its entries and buttons."""
    await answer_query(update, context)
    section = ProfileCredentials.of(update).section
    if section not in ("education", "resume", "documents", "portfolio", "experience"):
        return END
    try:
        await _show(update, context, section)
    except DomainError as error:
        await say(update, context, escape(error.sentence))
    return END


async def start_adding(update: Update, context: LeadlineContext) -> str | int:
    """Asks for a new entry of the section whose Add button was tapped."""
    enter_flow(context, "credentials")
    await answer_query(update, context)
    section = CredentialAdd.of(update).section
    assert context.user_data is not None
    context.user_data[SECTION] = section
    if section in PROMPTS:
        await say(update, context, PROMPTS[section] + "\n\n/cancel to stop.")
        return ADD_TEXT
    if section == "resume":
        context.user_data[KIND] = DocumentKind.RESUME.value
        await say(update, context, "Send your resume as a document (PDF or Word).")
        return DOC_FILE
    if section == "documents":
        kinds = [button(name, CredentialKind(kind)) for kind, name in KIND_NAMES.items()]
        await say(update, context, "What kind of document is it?", rows(*kinds, width=3))
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
        await adder(context.uow(), telegram_id(update), message.text)
    except DomainError as error:
        await say(update, context, f"{escape(error.sentence)}\n\n{PROMPTS[section]}")
        return ADD_TEXT
    await _show(update, context, section, prefix=texts.PROFILE_SAVED)
    return END


async def choose_kind(update: Update, context: LeadlineContext) -> str:
    """Stores the document kind and asks for its title."""
    await answer_query(update, context)
    kind = CredentialKind.of(update).kind
    assert context.user_data is not None
    if kind not in KIND_NAMES:
        return DOC_TITLE
    context.user_data[KIND] = kind.value
    await say(update, context, "What is its title? e.g. <i>AWS Solutions Architect</i>.")
    return DOC_TITLE


async def document_title(update: Update, context: LeadlineContext) -> str:
    """Stores the title and asks for the file."""
    assert context.user_data is not None
    message = update.effective_message
    assert message is not None and message.text is not None
    if KIND not in context.user_data:
        await say(update, context, texts.USE_BUTTONS)
        return DOC_TITLE
    title = " ".join(message.text.split())
    if not title or len(title) > 80:
        await say(update, context, "The title must be 1–80 characters; please send it again.")
        return DOC_TITLE
    context.user_data[TITLE] = title
    await say(update, context, "Now send the document itself as a file.")
    return DOC_FILE


async def document_file(update: Update, context: LeadlineContext) -> int:
    """Stores the uploaded resume or document."""
    assert context.user_data is not None
    message = update.effective_message
    assert message is not None and message.document is not None
    kind = DocumentKind(str(context.user_data.pop(KIND, DocumentKind.RESUME.value)))
    title = str(context.user_data.pop(TITLE, message.document.file_name or "Resume"))
    try:
        await sellers.upload_document(
            context.uow(),
            telegram_id(update),
            kind,
            title,
            message.document.file_id,
            message.document.file_name,
        )
    except DomainError as error:
        await say(update, context, escape(error.sentence))
        return END
    section = "resume" if kind is DocumentKind.RESUME else "documents"
    await _show(update, context, section, prefix=texts.PROFILE_SAVED)
    return END


async def not_a_file(update: Update, context: LeadlineContext) -> str:
    """Asks again for a file."""
    await say(update, context, "Please send a document (a file), or /cancel.")
    return DOC_FILE


async def remove(update: Update, context: LeadlineContext) -> None:
    """Removes one entry after a tap on its ✖ button."""
    pressed = CredentialRemove.of(update)
    kind = pressed.kind
    try:
        await sellers.remove_entry(context.uow(), telegram_id(update), kind, pressed.entry_id)
    except DomainError as error:
        await answer_query(update, context, error.sentence)
        return
    await answer_query(update, context, "Removed.")
    section = {"education": "education", "document": "documents", "link": "portfolio"}[kind]
    await _show(update, context, section)


async def cancel(update: Update, context: LeadlineContext) -> int:
    """Leaves without adding anything."""
    if context.user_data is not None:
        for key in (SECTION, KIND, TITLE):
            context.user_data.pop(key, None)
    await say(update, context, texts.CANCELLED)
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
