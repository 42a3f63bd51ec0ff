"""/profile: the user's own card, editing each part, and adding the other role."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
)

from domain import accounts, profiles
from domain.errors import InvalidInput
from domain.model import Role, User
from domain.profiles import CategoryChoice, ProfileField
from handlers.core import category_picker, keyboards, texts
from handlers.core.common import NEW_MESSAGE, TEXT_ANSWER, answer_query, edit_markup, say
from handlers.core.context import LeadlineContext
from handlers.core.conversation import Handlers, persistent_conversation
from handlers.core.flows import Flows
from handlers.core.flows import enter as enter_flow
from handlers.profile import texts as profile_texts
from handlers.profile import views
from handlers.profile.buttons import (
    ProfileAddRole,
    ProfileCategoriesDone,
    ProfileCategory,
    ProfileEdit,
    ProfileResendEmail,
)

END = ConversationHandler.END
EDIT_TEXT = "edit_text"
EDIT_CATEGORIES = "edit_categories"
EDITING = "editing"  # user_data keys: the field being edited,
THEN_ADD_ROLE = "then_add_role"  # and the role to add once it is saved
CATEGORIES = "categories"


def _me(context: LeadlineContext) -> User:
    """The acting user, who must have finished signing up."""
    user = context.turn.actor
    user.ensure_signed_up()
    return user


async def _card(update: Update, context: LeadlineContext, user: User) -> None:
    await say(update, context, texts.profile_card(user), keyboards.profile_actions(user))


def _editing(context: LeadlineContext) -> ProfileField | None:
    """The profile part whose new value is awaited, if any."""
    assert context.user_data is not None
    editing = str(context.user_data.get(EDITING, ""))
    return ProfileField(editing) if editing in profile_texts.QUESTIONS else None


def _picker(choice: CategoryChoice) -> InlineKeyboardMarkup:
    chosen = choice.user.profile.categories
    return keyboards.category_picker(choice.categories, chosen, keyboards.PROFILE_CATEGORIES)


async def show_profile(update: Update, context: LeadlineContext) -> int:
    """Shows the user's profile card with a button for each part."""
    user = _me(context)
    await answer_query(update, context)
    await _card(update, context, user)
    return END


async def start_edit(update: Update, context: LeadlineContext) -> str | int:
    """Asks for the new value of the profile part whose button was tapped (a suspended user
    is refused here, not after answering)."""
    await context.turn.run(profiles.start_editing, None)
    enter_flow(context, "profile")
    _me(context)
    field = ProfileEdit.of(update).field
    await answer_query(update, context)
    if field == CATEGORIES:
        choice = await context.turn.run(profiles.category_choice, None)
        await say(update, context, texts.CATEGORIES_QUESTION, _picker(choice))
        return EDIT_CATEGORIES
    if field not in profile_texts.QUESTIONS:
        await say(update, context, texts.STALE_BUTTON)
        return END
    assert context.user_data is not None
    context.user_data[EDITING] = field
    context.user_data.pop(THEN_ADD_ROLE, None)
    await say(update, context, profile_texts.edit_question(ProfileField(field)))
    return EDIT_TEXT


async def receive_text(update: Update, context: LeadlineContext) -> str | int:
    """Stores the new value, or explains what is wrong and asks again."""
    assert context.user_data is not None
    message = update.effective_message
    assert message is not None and message.text is not None
    field = _editing(context)
    if field is None:
        await say(update, context, texts.NOTHING_TO_EDIT)
        return END
    role = context.user_data.get(THEN_ADD_ROLE)
    command = profiles.EditProfile(field, message.text, Role(str(role)) if role else None)
    try:
        edited = await context.turn.attempt(profiles.edit_profile, command)
    except InvalidInput as error:
        await say(update, context, f"{escape(error.sentence)}\n\n{profile_texts.QUESTIONS[field]}")
        return EDIT_TEXT
    context.user_data.pop(EDITING, None)
    context.user_data.pop(THEN_ADD_ROLE, None)
    if edited.confirming is not None:
        await say(update, context, texts.email_sent(edited.confirming), views.resend_email())
    else:
        done = texts.ROLE_ADDED.format(role=role) if role else texts.PROFILE_SAVED
        await say(update, context, done)
    await _card(update, context, edited.user)
    return END


async def toggle_category(update: Update, context: LeadlineContext) -> str:
    """Ticks or unticks one category in place."""
    index = ProfileCategory.of(update).index
    await category_picker.toggle(update, context, index, keyboards.PROFILE_CATEGORIES)
    return EDIT_CATEGORIES


async def categories_hint(update: Update, context: LeadlineContext) -> str:
    """Reminds the user to tick categories and tap Done, showing the picker again."""
    choice = await context.turn.run(profiles.category_choice, None)
    question = f"{texts.USE_BUTTONS}\n\n{texts.CATEGORIES_QUESTION}"
    await say(update, context, question, _picker(choice))
    return EDIT_CATEGORIES


async def categories_done(update: Update, context: LeadlineContext) -> int:
    """Closes the picker (each tap was saved) and shows the updated profile."""
    user = _me(context)
    await answer_query(update, context, texts.PROFILE_SAVED)
    await edit_markup(update, context, None)
    await _card(update, context, user)
    return END


async def add_role(update: Update, context: LeadlineContext) -> str | int:
    """Adds the other role; a buyer becoming a seller is first asked for skills."""
    enter_flow(context, "profile")
    role = ProfileAddRole.of(update).role
    try:
        user = await context.turn.attempt(profiles.add_role, profiles.AddRole(role))
    except InvalidInput as error:
        assert context.user_data is not None
        context.user_data[EDITING], context.user_data[THEN_ADD_ROLE] = "skills", role.value
        await answer_query(update, context)
        await say(update, context, f"{escape(error.sentence)}\n\n{texts.SKILLS_QUESTION}")
        return EDIT_TEXT
    await answer_query(update, context, texts.ROLE_ADDED.format(role=role.value))
    await _card(update, context, user)
    return END


async def wrong_input(update: Update, context: LeadlineContext) -> str:
    """Asks again for a text answer when something else was sent."""
    field = _editing(context)
    question = profile_texts.QUESTIONS[field] if field is not None else ""
    await say(update, context, f"{texts.SEND_TEXT}\n\n{question}".strip())
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
    address = await context.turn.run(accounts.resend_confirmation, accounts.ResendEmail())
    await answer_query(update, context, texts.EMAIL_RESENT)
    await say(update, context, texts.email_resent(address))


def resend_handler() -> CallbackQueryHandler[LeadlineContext, None]:
    return CallbackQueryHandler(resend_email, ProfileResendEmail.matches)
