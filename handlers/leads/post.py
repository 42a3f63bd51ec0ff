"""Posting a lead (/newlead) and editing one: title → description → category → skills →
budget → attachments → preview with Publish / Edit / Cancel."""

from __future__ import annotations

from html import escape

from telegram import Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from domain import lead_cases
from domain.errors import InvalidInput
from domain.lead_cases import (
    AskField,
    Attach,
    LeadEdit,
    LeadField,
    OwnLead,
    Question,
    StartDraft,
    WriteField,
)
from domain.leads import Attachment, AttachmentKind, Lead
from domain.lifecycle import LeadStatus
from handlers.core import keyboards, texts
from handlers.core.callbacks import StaleButton
from handlers.core.common import (
    NEW_MESSAGE,
    TEXT_ANSWER,
    answer_query,
    close_question,
    edit_markup,
    retire_question,
    say,
)
from handlers.core.common import ask as ask_question
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
TITLE, DESCRIPTION, CATEGORY, SKILLS, BUDGET, ATTACHMENTS = (field.value for field in LeadField)
PREVIEW, RESUME, CHOOSE_FIELD = "preview", "resume", "choose_field"
ORDER = [TITLE, DESCRIPTION, CATEGORY, SKILLS, BUDGET, ATTACHMENTS]
REPLACE_FILES = "lead_replace_files"
# user_data keys: the lead being written, where an edit returns to ("preview" or "card"),
# the step being asked (to repeat it after an unexpected message) and what it offered
# (the categories its buttons stand for, or the skills it suggested).
LEAD_ID, RETURN_TO, ASKING, CHOICES = "lead", "lead_return", "lead_asking", "lead_choices"


def _lead_id(context: LeadlineContext) -> int:
    assert context.user_data is not None
    return int(context.user_data.get(LEAD_ID, 0))


async def ask(
    update: Update, context: LeadlineContext, question: Question, prefix: str = ""
) -> str:
    """Asks for one field of the lead and returns the state waiting for it."""
    field, choices = question.field, list(question.choices)
    markup = None
    if field is LeadField.TITLE:
        text = lead_texts.TITLE_QUESTION
    elif field is LeadField.DESCRIPTION:
        text = lead_texts.DESCRIPTION_QUESTION
    elif field is LeadField.CATEGORY:
        text = lead_texts.CATEGORY_QUESTION
        markup = lead_views.categories(choices, NewLeadCategory)
    elif field is LeadField.SKILLS:
        text = lead_texts.skills_question(choices)
    elif field is LeadField.BUDGET:
        text = lead_texts.budget_question(context.services.currency)
    else:
        text = lead_texts.ATTACHMENT_QUESTION
        markup = lead_views.attachments_done(0)
    await ask_question(update, context, f"{prefix}\n\n{text}" if prefix else text, markup)
    assert context.user_data is not None
    context.user_data[ASKING] = field.value
    context.user_data[CHOICES] = choices
    return field.value


def _asked(context: LeadlineContext, field: str) -> Question:
    """The question last asked for ``field``, to ask it again."""
    assert context.user_data is not None
    data = context.user_data
    choices = data.get(CHOICES, []) if data.get(ASKING) == field else []
    return Question(LeadField(field), tuple(choices))


def _following(context: LeadlineContext, field: str) -> LeadField | None:
    """The question after ``field``; none when an edit goes back to the preview or card."""
    assert context.user_data is not None
    if context.user_data.get(RETURN_TO) or field == ATTACHMENTS:
        return None
    return LeadField(ORDER[ORDER.index(field) + 1])


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


async def _next(update: Update, context: LeadlineContext, edit: LeadEdit) -> str | int:
    """After an answer: the next question, back to the preview, or the edited card."""
    assert context.user_data is not None
    if context.user_data.get(RETURN_TO) == "card" or edit.published:
        context.user_data.pop(RETURN_TO, None)
        await say(update, context, texts.PROFILE_SAVED)
        await say(
            update,
            context,
            lead_texts.lead_card(edit.lead, None, context.bot.username),
            lead_views.owner_actions(edit.lead),
        )
        return END
    if edit.then is None:
        return await show_preview(update, context, edit.lead)
    return await ask(update, context, edit.then)


async def new_lead(update: Update, context: LeadlineContext) -> str | int:
    """Starts a lead, or offers to continue the unfinished draft."""
    draft = await context.turn.run(lead_cases.start_draft, StartDraft())
    enter_flow(context, "newlead")
    await answer_query(update, context)
    assert context.user_data is not None
    context.user_data[LEAD_ID] = draft.id
    context.user_data.pop(RETURN_TO, None)
    if draft.title:
        return await ask_resume(update, context)
    return await ask(update, context, Question(LeadField.TITLE))


async def ask_resume(update: Update, context: LeadlineContext, prefix: str = "") -> str:
    """Asks whether to continue the unfinished draft or start over."""
    assert context.user_data is not None
    context.user_data[ASKING] = RESUME
    text = f"{prefix}\n\n{lead_texts.RESUME_DRAFT}" if prefix else lead_texts.RESUME_DRAFT
    await ask_question(update, context, text, lead_views.resume_or_restart())
    return RESUME


async def ask_field_choice(update: Update, context: LeadlineContext, prefix: str = "") -> str:
    """Asks which part of the lead to change."""
    assert context.user_data is not None
    context.user_data[ASKING] = CHOOSE_FIELD
    text = f"{prefix}\n\n{lead_texts.WHICH_FIELD}" if prefix else lead_texts.WHICH_FIELD
    await ask_question(update, context, text, lead_views.field_chooser(True))
    return CHOOSE_FIELD


async def resume(update: Update, context: LeadlineContext) -> str | int:
    """Continues the draft at its first missing field, or at the preview."""
    edit = await context.turn.run(lead_cases.resume_draft, OwnLead(_lead_id(context)))
    await answer_query(update, context)
    if edit.then is not None:
        return await ask(update, context, edit.then)
    return await show_preview(update, context, edit.lead)


async def restart(update: Update, context: LeadlineContext) -> str | int:
    """Throws the draft away and asks for a title."""
    await context.turn.run(lead_cases.discard_draft, OwnLead(_lead_id(context)))
    await answer_query(update, context)
    return await ask(update, context, Question(LeadField.TITLE))


async def _write(
    update: Update, context: LeadlineContext, field: str, text: str
) -> LeadEdit | InvalidInput:
    """Stores one answer; a wrong one comes back as the sentence saying why."""
    command = WriteField(
        _lead_id(context),
        LeadField(field),
        text,
        context.services.currency,
        _following(context, field),
        context.services.lead_minimums,
    )
    try:
        return await context.turn.attempt(lead_cases.write_field, command)
    except InvalidInput as error:
        return error


async def _text_answer(update: Update, context: LeadlineContext, field: str) -> str | int:
    """Stores a typed answer; a wrong one gets a sentence and the same question."""
    message = update.effective_message
    assert message is not None and message.text is not None
    edit = await _write(update, context, field, message.text)
    if isinstance(edit, InvalidInput):
        return await ask(update, context, _asked(context, field), prefix=escape(edit.sentence))
    return await _next(update, context, edit)


async def title(update: Update, context: LeadlineContext) -> str | int:
    """Stores the title and asks for the description."""
    return await _text_answer(update, context, TITLE)


async def description(update: Update, context: LeadlineContext) -> str | int:
    """Stores the description and asks for the category."""
    return await _text_answer(update, context, DESCRIPTION)


async def skills(update: Update, context: LeadlineContext) -> str | int:
    """Stores the normalized skills and asks for the budget."""
    return await _text_answer(update, context, SKILLS)


async def budget(update: Update, context: LeadlineContext) -> str | int:
    """Stores the budget and asks for attachments."""
    return await _text_answer(update, context, BUDGET)


async def category(update: Update, context: LeadlineContext) -> str | int:
    """Stores the tapped category and asks for the skills."""
    assert context.user_data is not None
    offered = list(context.user_data.get(CHOICES, []))
    index = NewLeadCategory.of(update).index
    if index >= len(offered):
        raise StaleButton()
    edit = await _write(update, context, CATEGORY, offered[index])
    if isinstance(edit, InvalidInput):
        await answer_query(update, context, edit.sentence)
        return CATEGORY
    await close_question(
        update, context, texts.chose_html(lead_texts.CATEGORY_QUESTION, offered[index])
    )
    return await _next(update, context, edit)


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
    # An edit of the files starts over with its first file (so /cancel keeps the old ones).
    replace = bool(context.user_data.pop(REPLACE_FILES, False))
    try:
        edit = await context.turn.attempt(
            lead_cases.attach, Attach(_lead_id(context), item, replace)
        )
    except InvalidInput as error:
        return await ask_files(update, context, escape(error.sentence))
    count = len(edit.lead.attachments)
    await ask_question(
        update,
        context,
        lead_texts.attachment_added(item.file_name or "file", count, bool(message.caption)),
        lead_views.attachments_done(count),
    )
    return ATTACHMENTS


async def attachments_done(update: Update, context: LeadlineContext) -> str | int:
    """Finishes attachments and shows the preview (or the edited card)."""
    lead = await context.turn.run(lead_cases.own_lead, OwnLead(_lead_id(context)))
    await answer_query(update, context)
    retire_question(update, context)
    return await _next(update, context, LeadEdit(lead))


async def ask_files(update: Update, context: LeadlineContext, prefix: str) -> str:
    """Asks for files again: Skip while none is attached, Done once some are."""
    assert context.user_data is not None
    lead = await context.turn.run(lead_cases.own_lead, OwnLead(_lead_id(context)))
    # While an edit replaces the files, the old ones do not count: the first new one drops them.
    count = 0 if context.user_data.get(REPLACE_FILES) else len(lead.attachments)
    text = f"{prefix}\n\n{lead_texts.files_question(count)}"
    await ask_question(update, context, text, lead_views.attachments_done(count))
    return ATTACHMENTS


async def not_a_file(update: Update, context: LeadlineContext) -> str:
    """Asks again for a file when something else arrives at the attachment step."""
    return await ask_files(update, context, lead_texts.SEND_FILE)


async def publish(update: Update, context: LeadlineContext) -> str | int:
    """Publishes the lead; its alerts go to the matching sellers through the outbox."""
    result = await context.turn.run(lead_cases.publish, OwnLead(_lead_id(context)))
    await answer_query(update, context)
    await edit_markup(update, context, None)
    assert context.user_data is not None
    context.user_data.pop(RETURN_TO, None)
    await say(update, context, lead_texts.published(result.alerted))
    await say(
        update,
        context,
        lead_texts.lead_card(result.lead, None, context.bot.username),
        lead_views.owner_actions(result.lead),
    )
    return END


async def choose_field(update: Update, context: LeadlineContext) -> str:
    """Asks which part of the lead to change."""
    await answer_query(update, context)
    return await ask_field_choice(update, context)


async def edit_published(update: Update, context: LeadlineContext) -> str | int:
    """Starts editing one of the buyer's leads from its card."""
    lead_id = LeadStartEdit.of(update).lead_id
    lead = await context.turn.run(lead_cases.start_edit, OwnLead(lead_id))
    enter_flow(context, "newlead")
    await answer_query(update, context)
    assert context.user_data is not None
    context.user_data[LEAD_ID] = lead.id
    context.user_data[RETURN_TO] = "card" if lead.status is LeadStatus.OPEN else "preview"
    return await ask_field_choice(update, context)


async def field_chosen(update: Update, context: LeadlineContext) -> str | int:
    """Asks for the chosen field; attachments start over from none."""
    field = NewLeadField.of(update).field
    if field not in ORDER:
        await answer_query(update, context)
        return CHOOSE_FIELD
    assert context.user_data is not None
    command = AskField(LeadField(field), context.user_data.get(LEAD_ID))
    question = await context.turn.run(lead_cases.ask_field, command)
    await answer_query(update, context)
    if field == ATTACHMENTS:
        # The old files go only when the first new one arrives: /cancel keeps them.
        assert context.user_data is not None
        context.user_data[REPLACE_FILES] = True
    return await ask(update, context, question)


async def discard(update: Update, context: LeadlineContext) -> int:
    """Throws the draft away."""
    await context.turn.run(lead_cases.discard_draft, OwnLead(_lead_id(context)))
    await answer_query(update, context)
    await say(update, context, lead_texts.DISCARDED, await keyboards.main_menu(context))
    return END


async def wrong_input(update: Update, context: LeadlineContext) -> str | None:
    """Answers an unexpected message or button with a sentence and the same question."""
    if update.callback_query is not None:
        await answer_query(update, context, texts.STALE_BUTTON)
        return None
    assert context.user_data is not None
    asking = str(context.user_data.get(ASKING, ""))
    if asking in (TITLE, DESCRIPTION, SKILLS, BUDGET):
        return await ask(update, context, _asked(context, asking), prefix=texts.SEND_TEXT)
    if asking == ATTACHMENTS:
        return await not_a_file(update, context)
    # A question answered by a tap: one sentence naming its buttons, and the question again.
    if asking == CATEGORY:
        return await ask(update, context, _asked(context, CATEGORY), lead_texts.TAP_CATEGORY)
    if asking == RESUME:
        return await ask_resume(update, context, lead_texts.TAP_RESUME)
    if asking == CHOOSE_FIELD:
        return await ask_field_choice(update, context, lead_texts.TAP_FIELD)
    if asking == PREVIEW:
        await say(update, context, lead_texts.TAP_PREVIEW)
        lead = await context.turn.run(lead_cases.own_lead, OwnLead(_lead_id(context)))
        return await show_preview(update, context, lead)
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
