"""Registers every handler on the Application, in the order that gives flows priority."""

from __future__ import annotations

from typing import Any

from telegram import BotCommand, Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from handlers.admin import console as admin
from handlers.admin import notices as admin_notices
from handlers.chat import notices as chat_notices
from handlers.chat import relay as chat
from handlers.contact import flow as contact
from handlers.contact import notices as contact_notices
from handlers.contracts import actions as contract_actions
from handlers.contracts import flow as contracts
from handlers.contracts import notices as contract_notices
from handlers.contracts import payments as contract_payments
from handlers.core import texts
from handlers.core.common import NEW_MESSAGE
from handlers.core.context import Gate, LeadlineApp, LeadlineContext
from handlers.core.flows import Flows
from handlers.core.notify import Notifier
from handlers.core.turn import close_unclaimed, through_turns
from handlers.dashboard import view as dashboard
from handlers.deals import flow as deals
from handlers.deals import notices as deal_notices
from handlers.digests import notices as digest_notices
from handlers.digests.buttons import SettingsDigest
from handlers.disputes import admin as dispute_admin
from handlers.disputes import flow as disputes
from handlers.disputes import notices as dispute_notices
from handlers.leads import find as leads
from handlers.leads import notices as lead_notices
from handlers.leads import post as newlead
from handlers.menu import general
from handlers.menu.buttons import MenuButton
from handlers.mydata import flow as mydata
from handlers.nudges import notices as nudge_notices
from handlers.nudges.buttons import NudgeMute
from handlers.profile import credentials, settings
from handlers.profile import flow as profile
from handlers.profile.buttons import SettingsAlerts
from handlers.providers import find as providers
from handlers.providers import notices as provider_notices
from handlers.reviews import flow as reviews
from handlers.reviews import notices as review_notices
from handlers.signup import flow as signup
from handlers.signup import notices as signup_notices
from handlers.terms import flow as terms
from handlers.terms.gate import terms_gate

BOT_COMMANDS = [BotCommand(name, description) for name, description in texts.COMMANDS]
# Before every handler, in its turn: a signed-up user accepts changed terms first.
GATES: tuple[Gate, ...] = (terms_gate,)


def notifier(admin_ids: frozenset[int] = frozenset()) -> Notifier:
    """What every feature's events say, and to whom (``admin_ids``: who is told as an
    administrator)."""
    return Notifier(
        deal_notices.NOTICES,
        contract_notices.NOTICES,
        chat_notices.NOTICES,
        provider_notices.NOTICES,
        lead_notices.NOTICES,
        signup_notices.NOTICES,
        review_notices.NOTICES,
        nudge_notices.NOTICES,
        digest_notices.NOTICES,
        contact_notices.NOTICES,
        dispute_notices.NOTICES,
        admin_notices.NOTICES,
        reactions=[review_notices.REACTIONS],
        admin_ids=admin_ids,
    )


def register(app: LeadlineApp) -> None:
    flows = Flows(app.user_data)
    admin_ids: frozenset[int] = app.bot_data["services"].admin_ids
    # Group -1 runs first for every update: anything from a group chat stops there.
    app.add_handler(TypeHandler(Update, general.only_private_chats), group=-1)
    handlers: list[BaseHandler[Update, LeadlineContext, Any]] = [
        # Edits are looked at apart from the flows, whatever conversation the user is in.
        chat.edits_handler(),
        # A payment is recorded whatever flow the buyer is in.
        *contract_payments.handlers(),
        # Before signup: someone still signing up may write to the team, and signup would
        # take their message for an answer.
        contact.build(flows),
        contact.build_answers(flows),
        *terms.handlers(),
        # Before signup: an administrator need not have finished signing up to answer a
        # dispute's questions (the flow takes their text only while they are in it).
        disputes.build(flows),
        # Before signup: an admin need not sign up to answer the console's questions.
        admin.build(flows, admin_ids),
        signup.build(),
        profile.build(flows),
        newlead.build(flows),
        deals.build(flows),
        reviews.build(flows),
        contracts.build(flows),
        chat.build(flows),
        credentials.build(flows),
        credentials.remove_handler(),
        *admin.handlers(admin_ids),
        *providers.handlers(),
        *deals.handlers(),
        *reviews.handlers(),
        *contract_actions.handlers(),
        *dispute_admin.handlers(),
        *chat.handlers(),
        profile.profile_command(),
        profile.resend_handler(),
        *leads.handlers(),
        *dashboard.handlers(),
        *mydata.handlers(),
        CommandHandler("settings", settings.show),
        CallbackQueryHandler(settings.toggle_alerts, SettingsAlerts.matches),
        CallbackQueryHandler(settings.toggle_nudges, NudgeMute.matches),
        CallbackQueryHandler(settings.set_digest, SettingsDigest.matches),
        CommandHandler("menu", general.menu),
        CommandHandler("help", general.help_command),
        CommandHandler("cancel", general.nothing_to_cancel),
        CallbackQueryHandler(general.menu_button, MenuButton.matches),
        CallbackQueryHandler(general.stale_button),
        ChatMemberHandler(general.chat_member_changed, ChatMemberHandler.MY_CHAT_MEMBER),
        MessageHandler(filters.UpdateType.MESSAGE & filters.COMMAND, general.unknown_command),
        MessageHandler(NEW_MESSAGE, general.unexpected_message),
    ]
    through_turns(handlers)
    app.add_handlers(handlers)
    # Last for every update: one that no handler took is marked handled all the same.
    app.add_handler(TypeHandler(Update, close_unclaimed), group=1)
    app.add_error_handler(general.on_error)
