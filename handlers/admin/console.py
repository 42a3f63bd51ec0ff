"""The admin console: /admin, finding a user, their card, suspending, announcements,
flagged messages, transcripts, and the Verify / Reject buttons of verification cards.

Only configured admins reach any of it: their commands are filtered by Telegram id (anyone
else falls through to the ordinary unknown-command answer), their buttons answer anyone else
as stale ones, and every use case checks again (domain/admin_cases.py).
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

from telegram import Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from domain import admin_cases, contact_cases
from domain.admin_cases import (
    Announce,
    AsAdmin,
    DecideVerification,
    FindUser,
    OpenTranscript,
    OpenUser,
    Suspend,
    Unsuspend,
    UserCard,
)
from domain.contact_cases import ListConversations
from domain.errors import InvalidInput, NotAllowed
from domain.model import Role
from handlers.admin import texts, views
from handlers.admin.buttons import (
    AdminAnnounce,
    AdminAnnounceDrop,
    AdminAnnounceSend,
    AdminAudience,
    AdminButton,
    AdminContacts,
    AdminCounts,
    AdminDisputes,
    AdminFind,
    AdminFlagged,
    AdminReject,
    AdminSuspend,
    AdminTranscript,
    AdminUnsuspend,
    AdminUser,
    AdminVerify,
    AudienceChoice,
)
from handlers.chat import texts as chat_texts
from handlers.core import texts as common_texts
from handlers.core.common import (
    NEW_MESSAGE,
    TEXT_ANSWER,
    answer_query,
    edit_markup,
    edit_text,
    later,
    say,
)
from handlers.core.context import LeadlineContext
from handlers.core.conversation import Handlers, persistent_conversation
from handlers.core.flows import Flows
from handlers.core.flows import enter as enter_flow
from handlers.disputes import admin as dispute_admin

FLOW = "admin"
FIND, REASON, AUDIENCE_TEXT, CONFIRM, REJECTION = (
    "admin_find",
    "admin_reason",
    "admin_text",
    "admin_confirm",
    "admin_rejection",
)
END = ConversationHandler.END
# user_data: what the admin is in the middle of (a user to suspend, an announcement, a
# document to reject).
TARGET, AUDIENCE, TEXT = "admin_target", "admin_audience", "admin_text"
# The user card whose Suspend was tapped: redrawn once the reason is typed, so it never
# goes on showing "Active" and a Suspend button for someone suspended.
CARD = "admin_card"
CONTACTS_LISTED = 10  # the latest exchanges the console lists


def _admins(context: LeadlineContext) -> frozenset[int]:
    return context.services.admin_ids


def _is_admin(update: Update, context: LeadlineContext) -> bool:
    user = update.effective_user
    return user is not None and user.id in _admins(context)


async def _refuse(update: Update, context: LeadlineContext) -> int:
    """Anyone else pressing an admin button: the answer any dead button gets."""
    await answer_query(update, context, common_texts.STALE_BUTTON, alert=True)
    return END


def _data(context: LeadlineContext) -> dict[Any, Any]:
    assert context.user_data is not None
    return context.user_data


async def console(update: Update, context: LeadlineContext) -> int:
    """/admin or Console: the counts and what the console offers."""
    if not _is_admin(update, context):
        return await _refuse(update, context)
    counts = await context.turn.run(admin_cases.console, AsAdmin(_admins(context)))
    await answer_query(update, context)
    await say(update, context, texts.console(counts), views.console())
    return END


async def ask_user(update: Update, context: LeadlineContext) -> int | str:
    """Find user: asks for an @username, a Telegram id or an email."""
    if not _is_admin(update, context):
        return await _refuse(update, context)
    await answer_query(update, context)
    enter_flow(context, FLOW)
    await say(update, context, texts.ASK_USER)
    return FIND


async def _show_card(update: Update, context: LeadlineContext, card: UserCard) -> None:
    await say(update, context, texts.user_card(card), views.user_card(card))


async def find(update: Update, context: LeadlineContext) -> int | str:
    """Shows the card of the user named; one sentence and the same question otherwise."""
    message = update.effective_message
    assert message is not None and message.text is not None
    try:
        card = await context.turn.attempt(
            admin_cases.find_user, FindUser(_admins(context), message.text)
        )
    except InvalidInput as error:
        await say(update, context, error.sentence)
        return FIND
    if card is None:
        await say(update, context, texts.NOBODY)
        return FIND
    await _show_card(update, context, card)
    return END


async def open_user(update: Update, context: LeadlineContext) -> int:
    """A user's card, from a button."""
    if not _is_admin(update, context):
        return await _refuse(update, context)
    user_id = AdminUser.of(update).user_id
    card = await context.turn.run(admin_cases.user_card, OpenUser(_admins(context), user_id))
    await answer_query(update, context)
    await _show_card(update, context, card)
    return END


async def ask_reason(update: Update, context: LeadlineContext) -> int | str:
    """Suspend: asks for the reason the user will read."""
    if not _is_admin(update, context):
        return await _refuse(update, context)
    user_id = AdminSuspend.of(update).user_id
    card = await context.turn.run(admin_cases.user_card, OpenUser(_admins(context), user_id))
    await answer_query(update, context)
    if card.user.suspended:
        await say(update, context, texts.suspended(card.user), views.suspended(user_id))
        return END
    enter_flow(context, FLOW)
    _data(context)[TARGET] = user_id
    query = update.callback_query
    if query is not None and query.message is not None:
        _data(context)[CARD] = [query.message.chat.id, query.message.message_id]
    await say(update, context, texts.ask_reason(card.user))
    return REASON


async def reason(update: Update, context: LeadlineContext) -> int | str:
    """Suspends with the reason typed; a wrong one gets a sentence and the same question."""
    message = update.effective_message
    assert message is not None and message.text is not None
    user_id = int(_data(context).get(TARGET, 0))
    command = Suspend(_admins(context), user_id, message.text)
    try:
        user = await context.turn.attempt(admin_cases.suspend, command)
    except InvalidInput as error:
        await say(update, context, error.sentence)
        return REASON
    _data(context).pop(TARGET, None)
    await _redraw_card(context, user_id)
    await say(update, context, texts.suspended(user), views.suspended(user.key))
    return END


async def _redraw_card(context: LeadlineContext, user_id: int) -> None:
    """Redraws the user card whose Suspend button started this, as it now stands."""
    where = _data(context).pop(CARD, None)
    if not where:
        return
    card = await context.turn.run(admin_cases.user_card, OpenUser(_admins(context), user_id))
    chat_id, message_id = int(where[0]), int(where[1])
    text, markup, bot = texts.user_card(card), views.user_card(card), context.bot
    later(context, lambda: bot.edit_message_text(text, chat_id, message_id, reply_markup=markup))


async def unsuspend(update: Update, context: LeadlineContext) -> int:
    """Unsuspend: lifts the suspension at once; the card is redrawn as it now stands (Active,
    with its buttons), so it never shows a suspension that was lifted."""
    if not _is_admin(update, context):
        return await _refuse(update, context)
    user_id = AdminUnsuspend.of(update).user_id
    user = await context.turn.run(admin_cases.unsuspend, Unsuspend(_admins(context), user_id))
    card = await context.turn.run(admin_cases.user_card, OpenUser(_admins(context), user_id))
    await answer_query(update, context)
    await edit_text(update, context, texts.user_card(card), views.user_card(card))
    await say(update, context, texts.unsuspended(user))
    return END


async def _named_user(update: Update, context: LeadlineContext, name: str) -> int | None:
    card = await context.turn.run(admin_cases.find_user, FindUser(_admins(context), name))
    if card is None:
        await say(update, context, texts.NOBODY_NAMED)
        return None
    return card.user.key


async def suspend_command(update: Update, context: LeadlineContext) -> None:
    """/suspend @user reason."""
    args = context.args or []
    if len(args) < 2:
        await say(update, context, texts.SUSPEND_USAGE)
        return
    user_id = await _named_user(update, context, args[0])
    if user_id is None:
        return
    command = Suspend(_admins(context), user_id, " ".join(args[1:]))
    user = await context.turn.run(admin_cases.suspend, command)
    await say(update, context, texts.suspended(user), views.suspended(user.key))


async def unsuspend_command(update: Update, context: LeadlineContext) -> None:
    """/unsuspend @user."""
    args = context.args or []
    if len(args) != 1:
        await say(update, context, texts.UNSUSPEND_USAGE)
        return
    user_id = await _named_user(update, context, args[0])
    if user_id is None:
        return
    user = await context.turn.run(admin_cases.unsuspend, Unsuspend(_admins(context), user_id))
    await say(update, context, texts.unsuspended(user))


async def transcript(update: Update, context: LeadlineContext) -> None:
    """Sends any thread's whole record as a UTF-8 text file."""
    if not _is_admin(update, context):
        await _refuse(update, context)
        return
    thread_id = AdminTranscript.of(update).thread_id
    command = OpenTranscript(_admins(context), thread_id)
    record = await context.turn.run(admin_cases.transcript, command)
    await answer_query(update, context)
    chat = update.effective_chat
    assert chat is not None
    bot, content = context.bot, chat_texts.transcript(record, context.turn.now).encode("utf-8")
    later(
        context,
        lambda: bot.send_document(
            chat.id,
            BytesIO(content),
            filename=chat_texts.transcript_file_name(thread_id),
            caption=texts.TRANSCRIPT_CAPTION,
        ),
    )


async def flagged(update: Update, context: LeadlineContext) -> None:
    """The latest flagged messages, with their threads' transcripts."""
    if not _is_admin(update, context):
        await _refuse(update, context)
        return
    found = await context.turn.run(admin_cases.flagged, AsAdmin(_admins(context)))
    await answer_query(update, context)
    if not found:
        await say(update, context, texts.NO_FLAGGED, views.console())
        return
    await say(update, context, texts.flagged(found), views.flagged(found))


async def open_disputes(update: Update, context: LeadlineContext) -> None:
    """Open disputes: the list /disputes gives."""
    if not _is_admin(update, context):
        await _refuse(update, context)
        return
    await answer_query(update, context)
    await dispute_admin.disputes(update, context)


async def contacts(update: Update, context: LeadlineContext) -> None:
    """Contact Us: the latest exchanges, with Reply for those waiting."""
    if not _is_admin(update, context):
        await _refuse(update, context)
        return
    found = await context.turn.run(
        contact_cases.conversations, ListConversations(_admins(context), CONTACTS_LISTED)
    )
    await answer_query(update, context)
    if not found:
        await say(update, context, texts.NO_CONTACTS, views.console())
        return
    await say(update, context, texts.contacts(found), views.contacts(found))


async def ask_audience(update: Update, context: LeadlineContext) -> int | str:
    """Announcement: asks who it is for."""
    if not _is_admin(update, context):
        return await _refuse(update, context)
    await answer_query(update, context)
    enter_flow(context, FLOW)
    # An audience is chosen afresh each time: a text typed before it is asked for it first.
    _data(context).pop(AUDIENCE, None)
    _data(context).pop(TEXT, None)
    await say(update, context, texts.ASK_AUDIENCE, views.audiences())
    return AUDIENCE_TEXT


async def _audience_again(update: Update, context: LeadlineContext, sentence: str) -> str:
    """One sentence, then the question the announcement is at: its audience (with the
    buttons) until one is tapped, then its text."""
    if AUDIENCE not in _data(context):
        question = f"{sentence}\n\n{texts.ASK_AUDIENCE}"
        await say(update, context, question, views.audiences())
    else:
        await say(update, context, f"{sentence}\n\n{texts.ASK_ANNOUNCEMENT}")
    return AUDIENCE_TEXT


async def announcement_not_text(update: Update, context: LeadlineContext) -> str:
    """A photo or file at the announcement's questions."""
    sentence = common_texts.SEND_TEXT if AUDIENCE in _data(context) else texts.TAP_AUDIENCE
    return await _audience_again(update, context, sentence)


async def audience(update: Update, context: LeadlineContext) -> int | str:
    """Notes the audience and asks for the text."""
    if not _is_admin(update, context):
        return await _refuse(update, context)
    chosen = AdminAudience.of(update).audience
    await answer_query(update, context)
    await edit_markup(update, context, None)
    _data(context)[AUDIENCE] = None if chosen is AudienceChoice.EVERYONE else chosen.value
    await say(update, context, texts.ASK_ANNOUNCEMENT)
    return AUDIENCE_TEXT


def _announcement(context: LeadlineContext, text: str) -> Announce:
    role = _data(context).get(AUDIENCE)
    return Announce(_admins(context), text, Role(role) if role else None)


async def announcement_text(update: Update, context: LeadlineContext) -> int | str:
    """Shows the announcement as it will read, with Send / Cancel."""
    message = update.effective_message
    assert message is not None and message.text is not None
    if AUDIENCE not in _data(context):
        return await _audience_again(update, context, texts.TAP_AUDIENCE)
    try:
        text = admin_cases.check_announcement(_announcement(context, message.text))
    except InvalidInput as error:
        await say(update, context, error.sentence)
        return AUDIENCE_TEXT
    _data(context)[TEXT] = text
    preview = texts.preview(text, _data(context).get(AUDIENCE))
    await say(update, context, preview, views.confirm_announcement())
    return CONFIRM


async def confirm_hint(update: Update, context: LeadlineContext) -> str:
    """A message at "Send it?": the buttons decide; the preview is shown again with them."""
    preview = texts.preview(str(_data(context).get(TEXT, "")), _data(context).get(AUDIENCE))
    await say(update, context, f"{texts.TAP_SEND}\n\n{preview}", views.confirm_announcement())
    return CONFIRM


async def send_announcement(update: Update, context: LeadlineContext) -> int:
    """Send: queues the announcement through the outbox."""
    if not _is_admin(update, context):
        return await _refuse(update, context)
    AdminAnnounceSend.of(update)
    text = _data(context).pop(TEXT, None)
    if text is None:
        return await _refuse(update, context)
    command = _announcement(context, str(text))
    await context.turn.run(admin_cases.announce, command)
    await answer_query(update, context)
    await edit_markup(update, context, None)
    await say(update, context, texts.announced(_data(context).pop(AUDIENCE, None)))
    return END


async def drop_announcement(update: Update, context: LeadlineContext) -> int:
    """Cancel on the preview: nothing is sent."""
    AdminAnnounceDrop.of(update)
    await answer_query(update, context)
    await edit_markup(update, context, None)
    _data(context).pop(TEXT, None)
    await say(update, context, texts.ANNOUNCEMENT_DROPPED)
    return END


async def verify(update: Update, context: LeadlineContext) -> None:
    """Verify on a verification card: the seller gets the badge and is told."""
    if not _is_admin(update, context):
        await _refuse(update, context)
        return
    document_id = AdminVerify.of(update).document_id
    command = DecideVerification(_admins(context), document_id, verified=True)
    found = await context.turn.run(admin_cases.decide_verification, command)
    await answer_query(update, context)
    await edit_markup(update, context, None)
    await say(update, context, texts.verified_admin(found))


async def ask_rejection(update: Update, context: LeadlineContext) -> int | str:
    """Reject on a verification card: asks the reason the seller will read."""
    if not _is_admin(update, context):
        return await _refuse(update, context)
    document_id = AdminReject.of(update).document_id
    await context.turn.run(
        admin_cases.submission, admin_cases.OpenDocument(_admins(context), document_id)
    )
    await answer_query(update, context)
    enter_flow(context, FLOW)
    _data(context)[TARGET] = document_id
    await say(update, context, texts.ASK_REJECTION)
    return REJECTION


async def rejection(update: Update, context: LeadlineContext) -> int | str:
    """Rejects the document with the reason typed; the seller is told."""
    message = update.effective_message
    assert message is not None and message.text is not None
    document_id = int(_data(context).get(TARGET, 0))
    command = DecideVerification(_admins(context), document_id, False, message.text)
    try:
        found = await context.turn.attempt(admin_cases.decide_verification, command)
    except InvalidInput as error:
        await say(update, context, error.sentence)
        return REJECTION
    except NotAllowed as error:
        await say(update, context, error.sentence)
        return END
    _data(context).pop(TARGET, None)
    await say(update, context, texts.rejected_admin(found))
    return END


async def cancel(update: Update, context: LeadlineContext) -> int:
    """/cancel inside the console's questions."""
    for key in (TARGET, AUDIENCE, TEXT):
        _data(context).pop(key, None)
    await say(update, context, texts.CANCELLED)
    return END


async def wrong_input(update: Update, context: LeadlineContext) -> None:
    """Something other than text where text is asked: one sentence, the question stays."""
    await say(update, context, common_texts.SEND_TEXT)


def build(flows: Flows, admin_ids: frozenset[int]) -> ConversationHandler[LeadlineContext]:
    in_flow = flows.only(FLOW) & filters.User(user_id=admin_ids, allow_empty=False)
    text = TEXT_ANSWER & in_flow
    states: dict[object, Handlers] = {
        FIND: [MessageHandler(text, find)],
        REASON: [MessageHandler(text, reason)],
        AUDIENCE_TEXT: [
            CallbackQueryHandler(audience, AdminAudience.matches),
            MessageHandler(text, announcement_text),
            MessageHandler(NEW_MESSAGE & in_flow, announcement_not_text),
        ],
        CONFIRM: [
            CallbackQueryHandler(send_announcement, AdminAnnounceSend.matches),
            CallbackQueryHandler(drop_announcement, AdminAnnounceDrop.matches),
            MessageHandler(NEW_MESSAGE & in_flow, confirm_hint),
        ],
        REJECTION: [MessageHandler(text, rejection)],
    }
    return persistent_conversation(
        FLOW,
        entry_points=[
            CallbackQueryHandler(ask_user, AdminFind.matches),
            CallbackQueryHandler(ask_reason, AdminSuspend.matches),
            CallbackQueryHandler(ask_audience, AdminAnnounce.matches),
            CallbackQueryHandler(ask_rejection, AdminReject.matches),
        ],
        states=states,
        fallbacks=[
            CommandHandler("cancel", cancel, filters=in_flow),
            MessageHandler(NEW_MESSAGE & in_flow, wrong_input),
        ],
    )


def handlers(admin_ids: frozenset[int]) -> list[BaseHandler[Update, LeadlineContext, Any]]:
    """Commands only admins' messages reach (anyone else's fall through to the unknown
    command answer), and the console's one-tap buttons."""
    only_admins = filters.User(user_id=admin_ids, allow_empty=False)
    return [
        CommandHandler("admin", console, filters=only_admins),
        CommandHandler("suspend", suspend_command, filters=only_admins),
        CommandHandler("unsuspend", unsuspend_command, filters=only_admins),
        CallbackQueryHandler(console, AdminCounts.matches),
        CallbackQueryHandler(open_user, AdminUser.matches),
        CallbackQueryHandler(unsuspend, AdminUnsuspend.matches),
        CallbackQueryHandler(transcript, AdminTranscript.matches),
        CallbackQueryHandler(flagged, AdminFlagged.matches),
        CallbackQueryHandler(open_disputes, AdminDisputes.matches),
        CallbackQueryHandler(contacts, AdminContacts.matches),
        CallbackQueryHandler(verify, AdminVerify.matches),
        # A stale console button of a flow that ended (Send, an audience): as stale.
        CallbackQueryHandler(_refuse, AdminButton.matches),
    ]
