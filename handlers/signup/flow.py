"""The signup conversation: terms → role → account type → email → confirmation → profile."""

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
from domain.errors import DomainError
from domain.model import SignupStage, User
from domain.ports import UnitOfWork
from domain.validation import validate_email
from handlers.core import category_picker, keyboards, texts
from handlers.core.common import (
    NEW_MESSAGE,
    answer_query,
    close_question,
    identity,
    say,
    telegram_id,
)
from handlers.core.context import LeadlineContext
from handlers.core.conversation import Handlers, persistent_conversation
from handlers.leads import find as leads
from handlers.signup.buttons import (
    SignupAccountType,
    SignupButton,
    SignupCategoriesDone,
    SignupCategory,
    SignupChangeEmail,
    SignupResendEmail,
    SignupRole,
    SignupSkip,
    SignupTelegramName,
    SignupTerms,
)
from handlers.signup.emails import confirmation_composer

END = ConversationHandler.END
# user_data key: the user left signup with /cancel, so messages are not answers.
PAUSED = "signup_paused"
BUTTON_STAGES = frozenset(
    {SignupStage.TERMS, SignupStage.ROLE, SignupStage.ACCOUNT_TYPE, SignupStage.CATEGORIES}
)

TextAction = Callable[[UnitOfWork, int, str], Awaitable[User]]


async def ask(update: Update, context: LeadlineContext, user: User, prefix: str = "") -> str | int:
    """Sends the question for where the user is in signup and returns that state."""
    if user.signed_up:
        await say(update, context, prefix or texts.MENU, keyboards.menu())
        return END
    categories = []
    if user.signup_stage is SignupStage.CATEGORIES:
        categories = await profiles.category_names(context.uow())
    text = f"{prefix}\n\n{texts.question(user)}" if prefix else texts.question(user)
    await say(update, context, text, keyboards.signup_question(user, categories))
    return user.signup_stage.value


async def _next(update: Update, context: LeadlineContext, user: User) -> str | int:
    """Asks the next question, or celebrates when that answer finished signup."""
    return await ask(update, context, user, prefix=texts.SIGNUP_DONE if user.signed_up else "")


async def _current(context: LeadlineContext, update: Update) -> User:
    return await accounts.open_account(context.uow(), identity(update), context.now())


async def start(update: Update, context: LeadlineContext) -> str | int:
    """Signs a newcomer up, resumes signup, confirms an email link, or shows the menu."""
    user = await _current(context, update)
    if context.user_data is not None:
        context.user_data.pop(PAUSED, None)
    payload = context.args[0] if context.args else ""
    if accounts.is_confirmation_payload(payload):
        try:
            user = await accounts.confirm_email(
                context.uow(), user.telegram_id, payload, context.now()
            )
        except DomainError as error:
            await say(update, context, escape(error.sentence))
        else:
            await say(update, context, texts.email_confirmed(user.email or ""))
            if user.signup_stage is SignupStage.DISPLAY_NAME:
                return await ask(update, context, user)
    elif (lead := leads.DEEP_LINK.match(payload)) is not None:
        # A shared lead opens for whoever taps the link; newcomers then go on signing up.
        await leads.send_lead(update, context, int(lead.group(1)))
        if user.signed_up:
            return END
    if user.signup_stage is SignupStage.TERMS:
        await say(update, context, texts.WELCOME)
    return await ask(update, context, user)


async def _button_step(
    update: Update, context: LeadlineContext, action: Callable[[], Awaitable[User]], answer: str
) -> str | int:
    try:
        user = await action()
    except DomainError as error:
        await answer_query(update, context, error.sentence)
        return await ask(update, context, await _current(context, update))
    message = update.effective_message
    assert message is not None
    await close_question(update, context, texts.chose_html(message.text_html or "", answer))
    return await _next(update, context, user)


async def accept_terms(update: Update, context: LeadlineContext) -> str | int:
    """Records that the terms were accepted and asks for the role."""
    tid = telegram_id(update)
    return await _button_step(
        update,
        context,
        lambda: accounts.accept_terms(context.uow(), tid, context.now()),
        "Accepted",
    )


async def choose_role(update: Update, context: LeadlineContext) -> str | int:
    """Stores the chosen role and asks for the account type."""
    tid, role = telegram_id(update), SignupRole.of(update).role

    async def action() -> User:
        return await accounts.choose_role(context.uow(), tid, role)

    return await _button_step(update, context, action, texts.ROLE_NAMES[role])


async def choose_account_type(update: Update, context: LeadlineContext) -> str | int:
    """Stores individual or organization and asks for the organization name or the email."""
    tid, kind = telegram_id(update), SignupAccountType.of(update).kind

    async def action() -> User:
        return await accounts.choose_account_type(context.uow(), tid, kind)

    return await _button_step(update, context, action, texts.ACCOUNT_TYPE_NAMES[kind])


async def _text_step(update: Update, context: LeadlineContext, action: TextAction) -> str | int:
    message = update.effective_message
    assert message is not None and message.text is not None
    try:
        user = await action(context.uow(), telegram_id(update), message.text)
    except DomainError as error:
        user = await _current(context, update)
        return await ask(update, context, user, prefix=escape(error.sentence))
    return await _next(update, context, user)


async def organization_name(update: Update, context: LeadlineContext) -> str | int:
    """Stores the organization name and asks for the email address."""
    return await _text_step(update, context, accounts.set_organization_name)


def _submit_email(context: LeadlineContext) -> TextAction:
    compose = confirmation_composer(context.bot.username)

    async def action(uow: UnitOfWork, tid: int, text: str) -> User:
        user = await accounts.submit_email(uow, tid, text, context.now(), compose)
        context.services.kick_outbox()
        return user

    return action


async def email(update: Update, context: LeadlineContext) -> str | int:
    """Stores the address, sends the confirmation email and waits for the link."""
    return await _text_step(update, context, _submit_email(context))


async def text_while_waiting(update: Update, context: LeadlineContext) -> str | int:
    """Takes a new address typed while waiting, or reminds the user to open the link."""
    message = update.effective_message
    assert message is not None and message.text is not None
    try:
        validate_email(message.text)
    except DomainError:
        user = await _current(context, update)
        await say(
            update, context, texts.WAITING_FOR_CONFIRMATION, keyboards.signup_question(user, [])
        )
        return SignupStage.CONFIRM_EMAIL.value
    return await _text_step(update, context, _submit_email(context))


async def resend(update: Update, context: LeadlineContext) -> str | int:
    """Sends a fresh confirmation link, replacing the old one."""
    compose = confirmation_composer(context.bot.username)
    try:
        address = await accounts.resend_confirmation(
            context.uow(), telegram_id(update), context.now(), compose
        )
    except DomainError as error:
        await answer_query(update, context)
        await say(update, context, escape(error.sentence))
        return SignupStage.CONFIRM_EMAIL.value
    context.services.kick_outbox()
    await answer_query(update, context, texts.EMAIL_RESENT)
    await say(update, context, texts.email_resent(address))
    return SignupStage.CONFIRM_EMAIL.value


async def change_email(update: Update, context: LeadlineContext) -> str | int:
    """Goes back to the email question."""
    tid = telegram_id(update)
    return await _button_step(
        update,
        context,
        lambda: accounts.change_signup_email(context.uow(), tid, context.now()),
        "Change email",
    )


async def display_name(update: Update, context: LeadlineContext) -> str | int:
    """Stores the display name and asks for a headline."""
    return await _text_step(update, context, profiles.set_display_name)


async def use_telegram_name(update: Update, context: LeadlineContext) -> str | int:
    """Takes the Telegram first name as the display name and asks for a headline."""
    who = identity(update)
    return await _button_step(
        update,
        context,
        lambda: profiles.use_telegram_name(context.uow(), who.telegram_id),
        who.first_name,
    )


async def headline(update: Update, context: LeadlineContext) -> str | int:
    """Stores the headline and asks for skills."""
    return await _text_step(update, context, profiles.set_headline)


async def skills(update: Update, context: LeadlineContext) -> str | int:
    """Stores the normalized skills and asks for categories."""
    return await _text_step(update, context, profiles.set_skills)


async def location(update: Update, context: LeadlineContext) -> str | int:
    """Stores the location and finishes signup."""
    return await _text_step(update, context, profiles.set_location)


async def skip(update: Update, context: LeadlineContext) -> str | int:
    """Skips an optional question and asks the next one."""
    tid, stage = telegram_id(update), SignupSkip.of(update).stage

    async def action() -> User:
        return await profiles.skip_step(context.uow(), tid, stage)

    return await _button_step(update, context, action, "Skipped")


async def toggle_category(update: Update, context: LeadlineContext) -> str | int:
    """Ticks or unticks one category in place."""
    index = SignupCategory.of(update).index
    await category_picker.toggle(update, context, index, keyboards.SIGNUP_CATEGORIES)
    return SignupStage.CATEGORIES.value


async def categories_done(update: Update, context: LeadlineContext) -> str | int:
    """Closes the category picker and asks for the location."""
    tid = telegram_id(update)
    user = await _current(context, update)
    chosen = ", ".join(user.profile.categories) or "None"
    return await _button_step(
        update, context, lambda: profiles.finish_categories(context.uow(), tid), chosen
    )


async def wrong_input(update: Update, context: LeadlineContext) -> str | int:
    """Tells the user what kind of answer the question needs and asks it again."""
    user = await _current(context, update)
    hint = texts.USE_BUTTONS if user.signup_stage in BUTTON_STAGES else texts.SEND_TEXT
    if user.signup_stage is SignupStage.CONFIRM_EMAIL:
        hint = texts.WAITING_FOR_CONFIRMATION
    return await ask(update, context, user, prefix=hint)


async def cancel(update: Update, context: LeadlineContext) -> int:
    """Leaves signup; everything answered so far stays saved."""
    if context.user_data is not None:
        context.user_data[PAUSED] = True
    await say(update, context, texts.CANCELLED_SIGNUP)
    return END


# Buttons and answers are routed by the stage stored with the user, not by PTB's
# conversation state: that state is flushed every second, the stage at every answer, so
# after a hard kill the stage is the one that is right.
BUTTONS: dict[type[SignupButton], Callable[[Update, LeadlineContext], Awaitable[str | int]]] = {
    SignupTerms: accept_terms,
    SignupRole: choose_role,
    SignupAccountType: choose_account_type,
    SignupResendEmail: resend,
    SignupChangeEmail: change_email,
    SignupTelegramName: use_telegram_name,
    SignupCategory: toggle_category,
    SignupCategoriesDone: categories_done,
    SignupSkip: skip,
}
TEXT_ANSWERS: dict[SignupStage, Callable[[Update, LeadlineContext], Awaitable[str | int]]] = {
    SignupStage.ORGANIZATION: organization_name,
    SignupStage.EMAIL: email,
    SignupStage.CONFIRM_EMAIL: text_while_waiting,
    SignupStage.DISPLAY_NAME: display_name,
    SignupStage.HEADLINE: headline,
    SignupStage.SKILLS: skills,
    SignupStage.LOCATION: location,
}


async def any_button(update: Update, context: LeadlineContext) -> str | int | None:
    """Handles a signup button; the use case refuses it if its question is not current."""
    return await BUTTONS[type(SignupButton.of(update))](update, context)


async def answer_by_stage(update: Update, context: LeadlineContext) -> str | int:
    """Takes a message as the answer to the user's current signup question."""
    user = await _current(context, update)
    if user.signed_up:
        await say(update, context, texts.UNKNOWN_MESSAGE, keyboards.menu())
        return END
    message = update.effective_message
    handler = TEXT_ANSWERS.get(user.signup_stage)
    if handler is not None and message is not None and message.text is not None:
        return await handler(update, context)
    return await wrong_input(update, context)


def build() -> ConversationHandler[LeadlineContext]:
    answer: Handlers = [MessageHandler(NEW_MESSAGE, answer_by_stage)]
    return persistent_conversation(
        "signup",
        entry_points=[
            CommandHandler("start", start),
            CallbackQueryHandler(any_button, SignupButton.matches),
        ],
        states={stage.value: answer for stage in SignupStage if stage is not SignupStage.DONE},
        fallbacks=[CommandHandler("cancel", cancel)],
    )
