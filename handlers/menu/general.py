"""Commands and buttons available everywhere: menu, help, cancel, and the safety nets."""

from __future__ import annotations

import contextlib
import logging

from telegram import ChatMember, MessageEntity, Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop

from domain import accounts, lead_cases
from domain.model import SignupStage, User
from handlers.chat import relay as chat
from handlers.core import keyboards, texts
from handlers.core.common import answer_query, identity, say
from handlers.core.context import LeadlineContext
from handlers.core.turn import close_unclaimed
from handlers.dashboard import view as dashboard
from handlers.leads import find as leads
from handlers.menu.buttons import (
    MenuButton,
    MenuDashboard,
    MenuHelp,
    MenuLeads,
    MenuMessages,
    MenuProfile,
    MenuProviders,
    MenuSettings,
)
from handlers.profile import settings
from handlers.profile.flow import show_profile
from handlers.providers import find as providers
from handlers.signup import flow as signup

log = logging.getLogger(__name__)


async def only_private_chats(update: Update, context: LeadlineContext) -> None:
    """Leadline talks to people one to one; in a group it stays silent."""
    chat = update.effective_chat
    if chat is not None and chat.type != ChatType.PRIVATE:
        await close_unclaimed(update, context)
        raise ApplicationHandlerStop


async def forget_old_updates(context: LeadlineContext) -> None:
    """Hourly job: drops records of updates too old to be delivered again."""
    await accounts.forget_old_updates(context.uow(), context.now())


async def menu(update: Update, context: LeadlineContext) -> None:
    """Shows the main menu, or points a newcomer at signup."""
    await answer_query(update, context)
    user = await _known(update, context)
    if not user.signed_up:
        await say(update, context, texts.not_signed_up(user))
        return
    await say(update, context, texts.MENU, await keyboards.main_menu(context))


async def _known(update: Update, context: LeadlineContext) -> User:
    """The user writing; one who never talked to the bot gets an account, so that the bot
    may write to them later."""
    turn = context.turn
    if turn.user is None:
        turn.user = await accounts.open_account(turn.uow, identity(update), turn.now)
    return turn.user


async def help_command(update: Update, context: LeadlineContext) -> None:
    """Explains what the bot does and lists the commands."""
    await answer_query(update, context)
    await say(update, context, texts.HELP)


async def menu_button(update: Update, context: LeadlineContext) -> None:
    """Routes a tap on the main menu."""
    routes = {
        MenuProfile: show_profile,
        MenuHelp: help_command,
        MenuLeads: leads.from_menu,
        MenuDashboard: dashboard.show,
        MenuSettings: settings.show,
        MenuProviders: providers.find,
        MenuMessages: chat.messages,
    }
    route = routes.get(type(MenuButton.of(update)), menu)
    await route(update, context)


async def nothing_to_cancel(update: Update, context: LeadlineContext) -> None:
    """Answers /cancel when no flow is active."""
    await say(update, context, texts.NOTHING_TO_CANCEL)


async def stale_button(update: Update, context: LeadlineContext) -> None:
    """Answers any button no flow claimed: old, forged or from an ended flow."""
    await answer_query(update, context, texts.STALE_BUTTON, alert=True)


async def unexpected_message(update: Update, context: LeadlineContext) -> None:
    """Guides someone whose message no flow expected."""
    user = await _known(update, context)
    paused = context.user_data is not None and context.user_data.get(signup.PAUSED)
    if not user.signed_up and user.signup_stage is not SignupStage.TERMS and not paused:
        # Mid-signup without a conversation (a kill before its state was saved, or after
        # /cancel): the stored stage says which question this answers.
        await signup.answer_by_stage(update, context)
    elif not user.signed_up:
        await say(update, context, texts.not_signed_up(user))
    elif await context.turn.run(lead_cases.unfinished_draft, None) is not None:
        await say(update, context, texts.UNFINISHED_LEAD)
    else:
        await say(update, context, texts.UNKNOWN_MESSAGE, await keyboards.main_menu(context))


async def unknown_command(update: Update, context: LeadlineContext) -> None:
    """Answers a command no handler took: never silence."""
    message = update.effective_message
    assert message is not None
    # filters.COMMAND: the message starts with a bot_command entity.
    entities = message.parse_entities([MessageEntity.BOT_COMMAND])
    command = min(entities.items(), key=lambda item: item[0].offset)[1].partition("@")[0]
    user = context.turn.user
    if user is None or not user.signed_up:
        await say(update, context, texts.unknown_command(command, signed_up=False))
    else:
        await say(
            update,
            context,
            texts.unknown_command(command, signed_up=True),
            await keyboards.main_menu(context),
        )


async def chat_member_changed(update: Update, context: LeadlineContext) -> None:
    """Notes that a user blocked or unblocked the bot."""
    change = update.my_chat_member
    if change is None or change.chat.type != ChatType.PRIVATE:
        return
    if context.turn.user is None:
        return  # someone who never talked to the bot: nothing to record
    blocked = change.new_chat_member.status in {ChatMember.BANNED, ChatMember.LEFT}
    await context.turn.run(accounts.set_reachable, accounts.SetReachable(not blocked))


async def on_error(update: object, context: LeadlineContext) -> None:
    """Logs the failure with its update id and tells the user in one sentence."""
    update_id = update.update_id if isinstance(update, Update) else None
    log.error("Update %s failed", update_id, exc_info=context.error)
    if not isinstance(update, Update):
        return
    if update.callback_query is not None:
        # The turn answers a button only after its commit, which a failure never reaches.
        with contextlib.suppress(TelegramError):
            await update.callback_query.answer()
    if update.effective_chat is None:
        return
    try:
        await context.bot.send_message(update.effective_chat.id, texts.ERROR)
    except TelegramError:
        log.warning("Could not tell the user about the failure of update %s", update_id)
