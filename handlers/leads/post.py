"""Posting a lead (/newlead) and editing one: title → description → category → skills →
budget → attachments → preview with Publish / Edit / Cancel."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from html import escape

from telegram import Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from domain import lead_cases, profiles
from domain.errors import DomainError
from domain.lead_cases import LeadEdit, RenderChange
from domain.leads import Attachment, AttachmentKind, Lead
from domain.lifecycle import LeadStatus
from domain.ports import UnitOfWork
from handlers.core import keyboards, texts
from handlers.core.common import (
    NEW_MESSAGE,
    TEXT_ANSWER,
    answer_query,
    close_question,
    edit_markup,
    say,
    telegram_id,
)
from handlers.core.context import LeadlineContext
from handlers.core.conversation import Handlers, persistent_conversation
from handlers.core.flows import Flows
from handlers.core.flows import enter as enter_flow
from handlers.leads import texts as lead_texts
from handlers.leads import views as lead_views
from handlers.leads.buttons import (
    LeadStartEdit,
    NewLeadAttachmentsDone,
    NewLeadButton,
    NewLeadCategory,
    NewLeadDiscard,
    NewLeadEdit,
    NewLeadField,
    NewLeadPublish,
    NewLeadRestart,
    NewLeadResume,
)
from handlers.menu.buttons import MenuNewLead

END = ConversationHandler.END
TITLE, DESCRIPTION, CATEGORY, SKILLS, BUDGET = (
    "title",
    "description",
    "category",
    "skills",
    "budget",
)
ATTACHMENTS, PREVIEW, RESUME, CHOOSE_FIELD = "attachments", "preview", "resume", "choose_field"
ORDER = [TITLE, DESCRIPTION, CATEGORY, SKILLS, BUDGET, ATTACHMENTS]
REPLACE_FILES = "lead_replace_files"
# user_data keys: the lead being written, where an edit returns to ("preview" or "card"),
# and the step being asked (to repeat it after an unexpected message).
LEAD_ID, RETURN_TO, ASKING = "lead", "lead_return", "lead_asking"

TextSetter = Callable[[UnitOfWork, int, int, str, RenderChange | None], Awaitable[LeadEdit]]


def _notify(context: LeadlineContext) -> RenderChange:
    bot_username = context.bot.username
    return lambda lead: lead_views.changed_payload(lead, bot_username)


def _lead_id(context: LeadlineContext) -> int:
    assert context.user_data is not None
    return int(context.user_data.get(LEAD_ID, 0))


async def ask(update: Update, context: LeadlineContext, field: str, prefix: str = "") -> str:
    """Asks for one field of the lead and returns the state waiting for it."""
    markup = None
    if field == TITLE:
        text = lead_texts.TITLE_QUESTION
    elif field == DESCRIPTION:
        text = lead_texts.DESCRIPTION_QUESTION
    elif field == CATEGORY:
        text = lead_texts.CATEGORY_QUESTION
        markup = lead_views.categories(
            await profiles.category_names(context.uow()), NewLeadCategory
        )
    elif field == SKILLS:
        text = lead_texts.skills_question(await lead_cases.popular_skills(context.uow(), 8))
    elif field == BUDGET:
        text = lead_texts.budget_question(context.services.currency)
    else:
        text = lead_texts.ATTACHMENT_QUESTION
        markup = lead_views.attachments_done(0)
    await say(update, context, f"{prefix}\n\n{text}" if prefix else text, markup)
    assert context.user_data is not None
    context.user_data[ASKING] = field
    return field


async def show_preview(update: Update, context: LeadlineContext, lead: Lead) -> str:
    """Shows the draft as sellers will see it, with Publish / Edit / Cancel."""
    assert context.user_data is not None
    context.user_data[RETURN_TO] = "preview"
    context.user_data[ASKING] = PREVIEW
    await say(
        update,
        context,
        lead_texts.preview(lead, context.bot.username),
        lead_views.preview_actions(),
    )
    return PREVIEW


async def _next(update: Update, context: LeadlineContext, edit: LeadEdit, field: str) -> str | int:
    """After an answer: the next question, back to the preview, or the edited card."""
    assert context.user_data is not None
    back = context.user_data.get(RETURN_TO)
    if back == "card" or edit.published:
        context.user_data.pop(RETURN_TO, None)
        await say(update, context, texts.PROFILE_SAVED)
        await say(
            update,
            context,
            lead_texts.lead_card(edit.lead, None, context.bot.username),
            lead_views.owner_actions(edit.lead),
        )
        return END
    if back == "preview" and field != ATTACHMENTS:
        return await show_preview(update, context, edit.lead)
    following = ORDER[ORDER.index(field) + 1] if field != ATTACHMENTS else None
    if following is None:
        return await show_preview(update, context, edit.lead)
    return await ask(update, context, following)


async def new_lead(update: Update, context: LeadlineContext) -> str | int:
    """Starts a lead, or offers to continue the unfinished draft."""
    enter_flow(context, "newlead")
    await answer_query(update, context)
    try:
        draft = await lead_cases.start_draft(context.uow(), telegram_id(update), context.now())
    except DomainError as error:
        await say(update, context, escape(error.sentence))
        return END
    assert context.user_data is not None
    context.user_data[LEAD_ID] = draft.id
    context.user_data.pop(RETURN_TO, None)
    if draft.title:
        await say(update, context, lead_texts.RESUME_DRAFT, lead_views.resume_or_restart())
        return RESUME
    return await ask(update, context, TITLE)


async def resume(update: Update, context: LeadlineContext) -> str | int:
    """Continues the draft at its first missing field, or at the preview."""
    await answer_query(update, context)
    view = await lead_cases.view_lead(
        context.uow(), telegram_id(update), _lead_id(context), context.now()
    )
    missing = view.lead.missing
    if missing:
        return await ask(update, context, missing[0])
    return await show_preview(update, context, view.lead)


async def restart(update: Update, context: LeadlineContext) -> str | int:
    """Throws the draft away and asks for a title."""
    await answer_query(update, context)
    await lead_cases.discard_draft(
        context.uow(), telegram_id(update), _lead_id(context), context.now()
    )
    return await ask(update, context, TITLE)


async def _text_answer(
    update: Update, context: LeadlineContext, field: str, setter: TextSetter
) -> str | int:
    message = update.effective_message
    assert message is not None and message.text is not None
    try:
        edit = await setter(
            context.uow(), telegram_id(update), _lead_id(context), message.text, _notify(context)
        )
    except DomainError as error:
        return await ask(update, context, field, prefix=escape(error.sentence))
    return await _next(update, context, edit, field)


async def title(update: Update, context: LeadlineContext) -> str | int:
    """Stores the title and asks for the description."""
    return await _text_answer(update, context, TITLE, lead_cases.set_title)


async def description(update: Update, context: LeadlineContext) -> str | int:
    """Stores the description and asks for the category."""
    return await _text_answer(update, context, DESCRIPTION, lead_cases.set_description)


async def skills(update: Update, context: LeadlineContext) -> str | int:
    """Stores the normalized skills and asks for the budget."""
    return await _text_answer(update, context, SKILLS, lead_cases.set_skills)


async def budget(update: Update, context: LeadlineContext) -> str | int:
    """Stores the budget and asks for attachments."""
    currency = context.services.currency

    async def setter(
        uow: UnitOfWork, tid: int, lead_id: int, text: str, notify: RenderChange | None
    ) -> LeadEdit:
        return await lead_cases.set_budget(uow, tid, lead_id, text, currency, notify)

    return await _text_answer(update, context, BUDGET, setter)


async def category(update: Update, context: LeadlineContext) -> str | int:
    """Stores the tapped category and asks for the skills."""
    names = await profiles.category_names(context.uow())
    index = NewLeadCategory.of(update).index
    if index >= len(names):
        await answer_query(update, context, texts.STALE_BUTTON)
        return CATEGORY
    try:
        edit = await lead_cases.set_category(
            context.uow(),
            telegram_id(update),
            _lead_id(context),
            names[index],
            _notify(context),
        )
    except DomainError as error:
        await answer_query(update, context, error.sentence)
        return CATEGORY
    await close_question(
        update, context, texts.chose_html(lead_texts.CATEGORY_QUESTION, names[index])
    )
    return await _next(update, context, edit, CATEGORY)


async def attachment(update: Update, context: LeadlineContext) -> str | int:
    """Adds a document or photo to the lead."""
    message = update.effective_message
    assert message is not None
    if message.document is not None:
        item = Attachment(
            AttachmentKind.DOCUMENT, message.document.file_id, message.document.file_name
        )
    else:
        item = Attachment(AttachmentKind.PHOTO, message.photo[-1].file_id, "photo")
    assert context.user_data is not None
    if context.user_data.pop(REPLACE_FILES, False):
        await lead_cases.clear_attachments(context.uow(), telegram_id(update), _lead_id(context))
    try:
        edit = await lead_cases.add_attachment(
            context.uow(), telegram_id(update), _lead_id(context), item
        )
    except DomainError as error:
        await say(update, context, escape(error.sentence), lead_views.attachments_done(1))
        return ATTACHMENTS
    count = len(edit.lead.attachments)
    await say(
        update,
        context,
        lead_texts.attachment_added(item.file_name or "file", count),
        lead_views.attachments_done(count),
    )
    return ATTACHMENTS


async def attachments_done(update: Update, context: LeadlineContext) -> str | int:
    """Finishes attachments and shows the preview (or the edited card)."""
    await answer_query(update, context)
    view = await lead_cases.view_lead(
        context.uow(), telegram_id(update), _lead_id(context), context.now()
    )
    return await _next(
        update, context, LeadEdit(view.lead, view.lead.status is LeadStatus.OPEN), ATTACHMENTS
    )


async def not_a_file(update: Update, context: LeadlineContext) -> str:
    """Asks again for a file when something else arrives at the attachment step."""
    await say(update, context, lead_texts.SEND_FILE, lead_views.attachments_done(1))
    return ATTACHMENTS


async def publish(update: Update, context: LeadlineContext) -> str | int:
    """Publishes the lead and alerts the matching sellers."""
    bot_username = context.bot.username
    try:
        result = await lead_cases.publish(
            context.uow(),
            telegram_id(update),
            _lead_id(context),
            context.now(),
            lambda lead: lead_views.alert_payload(lead, bot_username),
        )
    except DomainError as error:
        await answer_query(update, context, error.sentence, alert=True)
        return PREVIEW
    context.services.kick_outbox()
    await answer_query(update, context)
    await edit_markup(update, context, None)
    assert context.user_data is not None
    context.user_data.pop(RETURN_TO, None)
    await say(update, context, lead_texts.published(result.alerted))
    await say(
        update,
        context,
        lead_texts.lead_card(result.lead, None, bot_username),
        lead_views.owner_actions(result.lead),
    )
    return END


async def choose_field(update: Update, context: LeadlineContext) -> str:
    """Asks which part of the lead to change."""
    await answer_query(update, context)
    await say(update, context, lead_texts.WHICH_FIELD, lead_views.field_chooser(True))
    return CHOOSE_FIELD


async def edit_published(update: Update, context: LeadlineContext) -> str | int:
    """Starts editing one of the buyer's leads from its card."""
    enter_flow(context, "newlead")
    await answer_query(update, context)
    lead_id = LeadStartEdit.of(update).lead_id
    try:
        view = await lead_cases.view_lead(
            context.uow(), telegram_id(update), lead_id, context.now()
        )
    except DomainError as error:
        await say(update, context, escape(error.sentence))
        return END
    if not view.own or view.lead.status not in lead_cases.EDITABLE:
        await say(update, context, "This lead can no longer be edited.")
        return END
    assert context.user_data is not None
    context.user_data[LEAD_ID] = view.lead.id
    context.user_data[RETURN_TO] = "card" if view.lead.status is LeadStatus.OPEN else "preview"
    await say(update, context, lead_texts.WHICH_FIELD, lead_views.field_chooser(True))
    return CHOOSE_FIELD


async def field_chosen(update: Update, context: LeadlineContext) -> str | int:
    """Asks for the chosen field; attachments start over from none."""
    await answer_query(update, context)
    field = NewLeadField.of(update).field
    if field not in ORDER:
        return CHOOSE_FIELD
    if field == ATTACHMENTS:
        # The old files go only when the first new one arrives: /cancel keeps them.
        assert context.user_data is not None
        context.user_data[REPLACE_FILES] = True
    return await ask(update, context, field)


async def discard(update: Update, context: LeadlineContext) -> int:
    """Throws the draft away."""
    await answer_query(update, context)
    await lead_cases.discard_draft(
        context.uow(), telegram_id(update), _lead_id(context), context.now()
    )
    await say(update, context, lead_texts.DISCARDED, keyboards.menu())
    return END


async def wrong_input(update: Update, context: LeadlineContext) -> str | None:
    """Answers an unexpected message or button with a sentence and the same question."""
    if update.callback_query is not None:
        await answer_query(update, context, texts.STALE_BUTTON)
        return None
    assert context.user_data is not None
    asking = str(context.user_data.get(ASKING, ""))
    if asking in (TITLE, DESCRIPTION, SKILLS, BUDGET):
        return await ask(update, context, asking, prefix=texts.SEND_TEXT)
    if asking == ATTACHMENTS:
        return await not_a_file(update, context)
    await say(update, context, texts.USE_BUTTONS)
    return None


async def cancel(update: Update, context: LeadlineContext) -> int:
    """Leaves posting; the draft stays for later."""
    await say(update, context, lead_texts.CANCELLED)
    return END


def build(flows: Flows) -> ConversationHandler[LeadlineContext]:
    in_flow = flows.only("newlead")
    states: dict[object, Handlers] = {
        RESUME: [
            CallbackQueryHandler(resume, NewLeadResume.matches),
            CallbackQueryHandler(restart, NewLeadRestart.matches),
        ],
        TITLE: [MessageHandler(TEXT_ANSWER & in_flow, title)],
        DESCRIPTION: [MessageHandler(TEXT_ANSWER & in_flow, description)],
        CATEGORY: [CallbackQueryHandler(category, NewLeadCategory.matches)],
        SKILLS: [MessageHandler(TEXT_ANSWER & in_flow, skills)],
        BUDGET: [MessageHandler(TEXT_ANSWER & in_flow, budget)],
        ATTACHMENTS: [
            MessageHandler(
                filters.UpdateType.MESSAGE & (filters.Document.ALL | filters.PHOTO) & in_flow,
                attachment,
            ),
            CallbackQueryHandler(attachments_done, NewLeadAttachmentsDone.matches),
            MessageHandler(NEW_MESSAGE & in_flow, not_a_file),
        ],
        PREVIEW: [
            CallbackQueryHandler(publish, NewLeadPublish.matches),
            CallbackQueryHandler(choose_field, NewLeadEdit.matches),
            CallbackQueryHandler(discard, NewLeadDiscard.matches),
        ],
        CHOOSE_FIELD: [CallbackQueryHandler(field_chosen, NewLeadField.matches)],
    }
    return persistent_conversation(
        "newlead",
        entry_points=[
            CommandHandler("newlead", new_lead),
            CallbackQueryHandler(new_lead, MenuNewLead.matches),
            CallbackQueryHandler(edit_published, LeadStartEdit.matches),
        ],
        states=states,
        fallbacks=[
            CommandHandler("cancel", cancel, filters=in_flow),
            CallbackQueryHandler(wrong_input, NewLeadButton.matches),
            MessageHandler(NEW_MESSAGE & in_flow, wrong_input),
        ],
    )
