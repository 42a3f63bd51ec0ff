"""/profile: the user's own card, editing each part, and adding the other role."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from html import escape

from telegram import Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
)

from domain import accounts, profiles
from domain.errors import DomainError, InvalidInput
from domain.model import Role, User
from domain.ports import UnitOfWork
from handlers.core import category_picker, keyboards, texts
from handlers.core.common import (
    NEW_MESSAGE,
    TEXT_ANSWER,
    answer_query,
    edit_markup,
    identity,
    say,
    telegram_id,
)
from handlers.core.context import LeadlineContext
from handlers.core.conversation import Handlers, persistent_conversation
from handlers.core.flows import Flows
from handlers.core.flows import enter as enter_flow
from handlers.profile.buttons import (
    ProfileAddRole,
    ProfileCategoriesDone,
    ProfileCategory,
    ProfileEdit,
    ProfileResendEmail,
)
from handlers.signup.emails import confirmation_composer

END = ConversationHandler.END
EDIT_TEXT = "edit_text"
EDIT_CATEGORIES = "edit_categories"
EDITING = "editing"
THEN_ADD_ROLE = "then_add_role"

TextAction = Callable[[UnitOfWork, int, str], Awaitable[User]]

QUESTIONS: dict[str, str] = {
    "display_name": texts.DISPLAY_NAME_QUESTION.removeprefix("Let's complete your profile. "),
    "headline": texts.HEADLINE_QUESTION,
    "skills": texts.SKILLS_QUESTION,
    "location": texts.LOCATION_QUESTION,
    "timezone": texts.TIMEZONE_QUESTION,
    "email": texts.EMAIL_QUESTION,
    "organization": texts.ORGANIZATION_QUESTION,
}


def _setter(context: LeadlineContext, field: str) -> TextAction:
    if field == "email":
        compose = confirmation_composer(context.bot.username)

        async def submit(uow: UnitOfWork, tid: int, text: str) -> User:
            user = await accounts.submit_email(uow, tid, text, context.now(), compose)
            context.services.kick_outbox()
            return user

        return submit
    setters: dict[str, TextAction] = {
        "display_name": profiles.set_display_name,
        "headline": profiles.set_headline,
        "skills": profiles.set_skills,
        "location": profiles.set_location,
        "timezone": profiles.set_timezone,
        "organization": accounts.set_organization_name,
    }
    return setters[field]


async def _signed_up_user(update: Update, context: LeadlineContext) -> User | None:
    user = await accounts.open_account(context.uow(), identity(update), context.now())
    if not user.signed_up:
        await answer_query(update, context)
        await say(update, context, texts.NOT_SIGNED_UP)
        return None
    return user


async def show_profile(update: Update, context: LeadlineContext) -> int:
    """Shows the user's profile card with a button for each part."""
    user = await _signed_up_user(update, context)
    if user is not None:
        await answer_query(update, context)
        await say(update, context, texts.profile_card(user), keyboards.profile_actions(user))
    return END


async def start_edit(update: Update, context: LeadlineContext) -> str | int:
    """Asks for the new value of the profile part whose button was tapped."""
    enter_flow(context, "profile")
    user = await _signed_up_user(update, context)
    field = ProfileEdit.of(update).field
    if user is None:
        return END
    await answer_query(update, context)
    if field == "categories":
        names = await profiles.category_names(context.uow())
        await say(
            update,
            context,
            texts.CATEGORIES_QUESTION,
            keyboards.category_picker(names, user.profile.categories, keyboards.PROFILE_CATEGORIES),
        )
        return EDIT_CATEGORIES
    if field not in QUESTIONS:
        await say(update, context, texts.STALE_BUTTON)
        return END
    assert context.user_data is not None
    context.user_data[EDITING] = field
    context.user_data.pop(THEN_ADD_ROLE, None)
    await say(update, context, QUESTIONS[field] + "\n\nSend /cancel to keep it as it is.")
    return EDIT_TEXT


async def receive_text(update: Update, context: LeadlineContext) -> str | int:
    """Stores the new value, or explains what is wrong and asks again."""
    assert context.user_data is not None
    message = update.effective_message
    assert message is not None and message.text is not None
    field = str(context.user_data.get(EDITING, ""))
    if field not in QUESTIONS:
        await say(update, context, texts.NOTHING_TO_EDIT)
        return END
    try:
        user = await _setter(context, field)(context.uow(), telegram_id(update), message.text)
        role = context.user_data.get(THEN_ADD_ROLE)
        if role:
            user = await profiles.add_role(context.uow(), user.telegram_id, Role(str(role)))
    except DomainError as error:
        await say(update, context, f"{escape(error.sentence)}\n\n{QUESTIONS[field]}")
        return EDIT_TEXT
    context.user_data.pop(EDITING, None)
    role = context.user_data.pop(THEN_ADD_ROLE, None)
    done = texts.ROLE_ADDED.format(role=role) if role else texts.PROFILE_SAVED
    if field == "email" and user.email != message.text.strip():
        done = texts.email_sent(message.text.strip())
        resend = keyboards.rows(keyboards.button("📨 Resend email", ProfileResendEmail()))
        await say(update, context, done, resend)
    else:
        await say(update, context, done)
    await say(update, context, texts.profile_card(user), keyboards.profile_actions(user))
    return END


async def toggle_category(update: Update, context: LeadlineContext) -> str:
    """Ticks or unticks one category in place."""
    index = ProfileCategory.of(update).index
    await category_picker.toggle(update, context, index, keyboards.PROFILE_CATEGORIES)
    return EDIT_CATEGORIES


async def categories_hint(update: Update, context: LeadlineContext) -> str:
    """Reminds the user to tick categories and tap Done, showing the picker again."""
    user = await _signed_up_user(update, context)
    if user is not None:
        names = await profiles.category_names(context.uow())
        picker = keyboards.category_picker(
            names, user.profile.categories, keyboards.PROFILE_CATEGORIES
        )
        await say(update, context, f"{texts.USE_BUTTONS}\n\n{texts.CATEGORIES_QUESTION}", picker)
    return EDIT_CATEGORIES


async def categories_done(update: Update, context: LeadlineContext) -> int:
    """Closes the picker and shows the updated profile."""
    user = await _signed_up_user(update, context)
    if user is None:
        return END
    await answer_query(update, context, texts.PROFILE_SAVED)
    await edit_markup(update, context, None)
    await say(update, context, texts.profile_card(user), keyboards.profile_actions(user))
    return END


async def add_role(update: Update, context: LeadlineContext) -> str | int:
    """Adds the other role; a buyer becoming a seller is first asked for skills."""
    enter_flow(context, "profile")
    user = await _signed_up_user(update, context)
    if user is None:
        return END
    role = ProfileAddRole.of(update).role
    try:
        user = await profiles.add_role(context.uow(), user.telegram_id, role)
    except InvalidInput as error:
        assert context.user_data is not None
        context.user_data[EDITING], context.user_data[THEN_ADD_ROLE] = "skills", role.value
        await answer_query(update, context)
        await say(update, context, f"{escape(error.sentence)}\n\n{texts.SKILLS_QUESTION}")
        return EDIT_TEXT
    except DomainError as error:
        await answer_query(update, context, error.sentence)
        return END
    await answer_query(update, context, texts.ROLE_ADDED.format(role=role.value))
    await say(update, context, texts.profile_card(user), keyboards.profile_actions(user))
    return END


async def wrong_input(update: Update, context: LeadlineContext) -> str:
    """Asks again for a text answer when something else was sent."""
    assert context.user_data is not None
    field = str(context.user_data.get(EDITING, ""))
    await say(update, context, f"{texts.SEND_TEXT}\n\n{QUESTIONS.get(field, '')}".strip())
    return EDIT_TEXT


async def cancel(update: Update, context: LeadlineContext) -> int:
    """Leaves editing without changing anything."""
    if context.user_data is not None:
        context.user_data.pop(EDITING, None)
        context.user_data.pop(THEN_ADD_ROLE, None)
    await say(update, context, texts.CANCELLED)
    return END


def build(flows: Flows) -> ConversationHandler[LeadlineContext]:
    in_flow = flows.only("profile")
    states: dict[object, Handlers] = {
        EDIT_TEXT: [
            MessageHandler(TEXT_ANSWER & in_flow, receive_text),
            MessageHandler(NEW_MESSAGE & in_flow, wrong_input),
        ],
        EDIT_CATEGORIES: [
            CallbackQueryHandler(toggle_category, ProfileCategory.matches),
            CallbackQueryHandler(categories_done, ProfileCategoriesDone.matches),
            MessageHandler(NEW_MESSAGE & in_flow, categories_hint),
        ],
    }
    return persistent_conversation(
        "profile",
        entry_points=[
            CallbackQueryHandler(start_edit, ProfileEdit.matches),
            CallbackQueryHandler(add_role, ProfileAddRole.matches),
        ],
        states=states,
        fallbacks=[CommandHandler("cancel", cancel, filters=in_flow)],
    )


def profile_command() -> CommandHandler[LeadlineContext, int]:
    return CommandHandler("profile", show_profile)


async def resend_email(update: Update, context: LeadlineContext) -> None:
    """Sends a fresh link for a new address given here."""
    compose = confirmation_composer(context.bot.username)
    try:
        address = await accounts.resend_confirmation(
            context.uow(), telegram_id(update), context.now(), compose
        )
    except DomainError as error:
        await answer_query(update, context, error.sentence, alert=True)
        return
    context.services.kick_outbox()
    await answer_query(update, context, texts.EMAIL_RESENT)
    await say(update, context, texts.email_resent(address))


def resend_handler() -> CallbackQueryHandler[LeadlineContext, None]:
    return CallbackQueryHandler(resend_email, ProfileResendEmail.matches)
