"""The signup conversation: terms → role → account type → email → confirmation → profile."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from html import escape
from typing import TypeVar

from telegram import Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
)

from domain import accounts, onboarding, profiles
from domain.errors import InvalidInput, NotAllowed
from domain.model import SignupStage, User
from domain.onboarding import Progress, TextAnswer
from domain.ports import UnitOfWork
from handlers.core import category_picker, keyboards, texts
from handlers.core.common import (
    NEW_MESSAGE,
    answer_query,
    close_question,
    identity,
    retire_question,
    say,
)
from handlers.core.common import ask as ask_question
from handlers.core.context import LeadlineContext
from handlers.core.conversation import Handlers, persistent_conversation
from handlers.leads import find as leads
from handlers.signup import texts as signup_texts
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

END = ConversationHandler.END
# user_data key: the user left signup with /cancel, so messages are not answers.
PAUSED = "signup_paused"
BUTTON_STAGES = frozenset(
    {SignupStage.TERMS, SignupStage.ROLE, SignupStage.ACCOUNT_TYPE, SignupStage.CATEGORIES}
)

C = TypeVar("C")
Step = Callable[[UnitOfWork, User, C, datetime], Awaitable[Progress]]


async def ask(
    update: Update, context: LeadlineContext, progress: Progress, prefix: str = ""
) -> str | int:
    """Sends the question for where the user is in signup and returns that state."""
    user = progress.user
    if user.signed_up:
        retire_question(update, context)
        await say(update, context, prefix or texts.MENU, await keyboards.main_menu(context))
        return END
    text = f"{prefix}\n\n{texts.question(user)}" if prefix else texts.question(user)
    await ask_question(update, context, text, keyboards.signup_question(user, progress.categories))
    return user.signup_stage.value


async def _next(update: Update, context: LeadlineContext, progress: Progress) -> str | int:
    """Asks the next question, or celebrates when that answer finished signup."""
    prefix = texts.SIGNUP_DONE if progress.user.signed_up else ""
    return await ask(update, context, progress, prefix)


async def start(update: Update, context: LeadlineContext) -> str | int:
    """Signs a newcomer up, resumes signup, confirms an email link, or shows the menu."""
    turn = context.turn
    payload = context.args[0] if context.args else ""
    shared = leads.DEEP_LINK.match(payload)
    if shared is not None and turn.user is None:
        # Someone unknown opening a share link reads the lead and is told how to join;
        # nothing is stored about them until they send /start to sign up.
        await leads.send_lead(update, context, int(shared.group(1)))
        await say(update, context, signup_texts.JOIN_AFTER_SHARED_LEAD)
        return END
    arrival = await accounts.start(
        turn.uow, turn.user, accounts.Start(identity(update), payload), turn.now
    )
    turn.user = user = arrival.user  # a newcomer is known from now on
    if context.user_data is not None:
        context.user_data.pop(PAUSED, None)
    if arrival.confirmed:
        await say(update, context, texts.email_confirmed(user.email or ""))
        if user.signup_stage is SignupStage.DISPLAY_NAME:
            return await ask(update, context, arrival.progress)
    elif shared is not None:
        # A shared lead opens for whoever taps the link; newcomers then go on signing up.
        await leads.send_lead(update, context, int(shared.group(1)))
        if user.signed_up:
            return END
    if user.signup_stage is SignupStage.TERMS:
        await say(update, context, texts.WELCOME)
    return await ask(update, context, arrival.progress)


async def _button_step(
    update: Update, context: LeadlineContext, step: Step[C], command: C, answer: str
) -> str | int:
    """Takes a button's answer, shows it in place of the buttons, asks the next question."""
    progress = await context.turn.run(step, command)
    message = update.effective_message
    assert message is not None
    await close_question(update, context, texts.chose_html(message.text_html or "", answer))
    return await _next(update, context, progress)


async def _text_step(update: Update, context: LeadlineContext, step: Step[TextAnswer]) -> str | int:
    """Takes a typed answer and asks the next question, or says what is wrong and asks again."""
    message = update.effective_message
    assert message is not None and message.text is not None
    try:
        progress = await context.turn.attempt(step, TextAnswer(message.text))
    except InvalidInput as error:
        again = Progress(context.turn.actor)
        return await ask(update, context, again, prefix=escape(error.sentence))
    return await _next(update, context, progress)


async def accept_terms(update: Update, context: LeadlineContext) -> str | int:
    """Records that the terms were accepted, and their version, and asks for the role."""
    command = accounts.AcceptTerms(context.services.terms.version)
    return await _button_step(
        update, context, accounts.accept_terms, command, signup_texts.ACCEPTED
    )


async def choose_role(update: Update, context: LeadlineContext) -> str | int:
    """Stores the chosen role and asks for the account type."""
    role = SignupRole.of(update).role
    return await _button_step(
        update, context, accounts.choose_role, accounts.ChooseRole(role), texts.ROLE_NAMES[role]
    )


async def choose_account_type(update: Update, context: LeadlineContext) -> str | int:
    """Stores individual or organization and asks for the organization name or the email."""
    kind = SignupAccountType.of(update).kind
    command = accounts.ChooseAccountType(kind)
    answer = texts.ACCOUNT_TYPE_NAMES[kind]
    return await _button_step(update, context, accounts.choose_account_type, command, answer)


async def organization_name(update: Update, context: LeadlineContext) -> str | int:
    """Stores the organization name and asks for the email address."""
    return await _text_step(update, context, accounts.set_organization_name)


async def email(update: Update, context: LeadlineContext) -> str | int:
    """Stores the address, sends the confirmation email and waits for the link."""
    return await _text_step(update, context, accounts.submit_email)


async def text_while_waiting(update: Update, context: LeadlineContext) -> str | int:
    """Takes a new address typed while waiting, or reminds the user to open the link."""
    message = update.effective_message
    assert message is not None and message.text is not None
    try:
        progress = await context.turn.attempt(accounts.submit_email, TextAnswer(message.text))
    except InvalidInput:
        user = context.turn.actor
        await say(
            update, context, texts.WAITING_FOR_CONFIRMATION, keyboards.signup_question(user, [])
        )
        return SignupStage.CONFIRM_EMAIL.value
    return await _next(update, context, progress)


async def resend(update: Update, context: LeadlineContext) -> str | int:
    """Sends a fresh confirmation link, replacing the old one."""
    try:
        address = await context.turn.attempt(accounts.resend_confirmation, accounts.ResendEmail())
    except NotAllowed as error:
        # Too soon, or nothing to resend: said in the chat, under the question it concerns.
        await answer_query(update, context)
        await say(update, context, escape(error.sentence))
        return SignupStage.CONFIRM_EMAIL.value
    await answer_query(update, context, texts.EMAIL_RESENT)
    await say(update, context, texts.email_resent(address))
    return SignupStage.CONFIRM_EMAIL.value


async def change_email(update: Update, context: LeadlineContext) -> str | int:
    """Goes back to the email question."""
    return await _button_step(
        update,
        context,
        accounts.change_signup_email,
        accounts.ChangeEmail(),
        signup_texts.CHANGE_EMAIL,
    )


async def display_name(update: Update, context: LeadlineContext) -> str | int:
    """Stores the display name and asks for a headline."""
    return await _text_step(update, context, profiles.set_display_name)


async def use_telegram_name(update: Update, context: LeadlineContext) -> str | int:
    """Takes the Telegram first name as the display name and asks for a headline."""
    name = identity(update).first_name
    return await _button_step(
        update, context, profiles.use_telegram_name, profiles.UseTelegramName(), name
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
    command = profiles.SkipQuestion(SignupSkip.of(update).stage)
    return await _button_step(update, context, profiles.skip_step, command, signup_texts.SKIPPED)


async def toggle_category(update: Update, context: LeadlineContext) -> str | int:
    """Ticks or unticks one category in place."""
    index = SignupCategory.of(update).index
    await category_picker.toggle(update, context, index, keyboards.SIGNUP_CATEGORIES)
    return SignupStage.CATEGORIES.value


async def categories_done(update: Update, context: LeadlineContext) -> str | int:
    """Closes the category picker and asks for the location."""
    chosen = signup_texts.categories_chosen(context.turn.actor.profile.categories)
    return await _button_step(
        update, context, profiles.finish_categories, profiles.FinishCategories(), chosen
    )


async def wrong_input(update: Update, context: LeadlineContext) -> str | int:
    """Tells the user what kind of answer the question needs and asks it again."""
    progress = await context.turn.run(onboarding.current_question, None)
    stage = progress.user.signup_stage
    hint = texts.USE_BUTTONS if stage in BUTTON_STAGES else texts.SEND_TEXT
    if stage is SignupStage.CONFIRM_EMAIL:
        hint = texts.WAITING_FOR_CONFIRMATION
    return await ask(update, context, progress, prefix=hint)


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
    user = context.turn.actor
    if user.signed_up:
        await say(update, context, texts.UNKNOWN_MESSAGE, await keyboards.main_menu(context))
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
