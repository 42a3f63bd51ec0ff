"""The questions of disputes: a side gives the reason (then files, if any) and opens it;
an administrator writes to a side, or resolves it (an amount for a split, then a note).

Every button is also an entry point, so a question answered from an older message still
finds its handler; each one checks again on the server that this user may do it now
(administrators: that the presser is one, at every step).
"""

from __future__ import annotations

from html import escape
from typing import Any

from telegram import Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from domain import contract_cases, dispute_cases
from domain.contract_cases import AskMove
from domain.contracts import Move
from domain.dispute_cases import (
    CheckReason,
    CheckSplit,
    DisputeRef,
    MessageSide,
    OpenDispute,
    Resolve,
)
from domain.disputes import MAX_FILES, Outcome, split_amount, validate_file_caption
from domain.errors import InvalidInput, NotAllowed
from domain.leads import Attachment, AttachmentKind
from domain.lifecycle import Actor
from handlers.core.callbacks import StaleButton
from handlers.core.common import NEW_MESSAGE, TEXT_ANSWER, answer_query, edit_markup, say
from handlers.core.context import LeadlineContext
from handlers.core.conversation import Handlers, persistent_conversation
from handlers.core.flows import Flows
from handlers.core.flows import enter as enter_flow
from handlers.disputes import texts, views
from handlers.disputes.admin import admin_of, run_as_admin, show_resolved
from handlers.disputes.buttons import (
    DisputeFormStop,
    DisputeOutcome,
    DisputeStart,
    DisputeSubmit,
    DisputeWrite,
)

END = ConversationHandler.END
NAME = "dispute"
REASON, FILES, WRITING, SPLIT, NOTE = "reason", "files", "writing", "split", "note"
# user_data: the question being asked and what was answered so far.
FORM = "dispute_form"
FILE_MESSAGES = NEW_MESSAGE & (filters.PHOTO | filters.Document.ALL)


def _form(context: LeadlineContext) -> dict[str, Any]:
    assert context.user_data is not None
    form = context.user_data.get(FORM)
    if not isinstance(form, dict):
        raise StaleButton
    return form


def _start_form(context: LeadlineContext, **form: Any) -> None:
    enter_flow(context, NAME)
    assert context.user_data is not None
    context.user_data[FORM] = form


def _leave(context: LeadlineContext) -> None:
    if context.user_data is not None:
        context.user_data.pop(FORM, None)


def _text(update: Update) -> str:
    message = update.effective_message
    assert message is not None and message.text is not None
    return message.text


def _again(error: InvalidInput, question: str) -> str:
    return f"{escape(error.sentence)}\n\n{question}"


# A side opens a dispute.


async def start(update: Update, context: LeadlineContext) -> str:
    """Open dispute: asks for the reason (once it is checked that this side may)."""
    contract_id = DisputeStart.of(update).contract_id
    card = await context.turn.run(contract_cases.ask, AskMove(contract_id, Move.DISPUTE))
    _start_form(context, form=REASON, contract=contract_id)
    await answer_query(update, context)
    await say(update, context, texts.reason_question(card.engagement), views.stop())
    return REASON


async def reason(update: Update, context: LeadlineContext) -> str:
    """Keeps the reason and asks for files (or to open the dispute now)."""
    form = _form(context)
    contract_id = int(form["contract"])
    try:
        checked = await context.turn.attempt(
            dispute_cases.check_reason, CheckReason(contract_id, _text(update))
        )
    except InvalidInput as error:
        card = await context.turn.run(contract_cases.ask, AskMove(contract_id, Move.DISPUTE))
        await say(
            update, context, _again(error, texts.reason_question(card.engagement)), views.stop()
        )
        return REASON
    form.update(form=FILES, reason=checked, files=[])
    await say(update, context, texts.files_question(0), views.files_prompt(contract_id))
    return FILES


async def add_file(update: Update, context: LeadlineContext) -> str:
    """A photo or document that goes with the dispute."""
    message = update.effective_message
    assert message is not None
    form = _form(context)
    files: list[dict[str, Any]] = form.setdefault("files", [])
    contract_id = int(form["contract"])
    if len(files) >= MAX_FILES:
        await say(update, context, texts.TOO_MANY_FILES, views.files_prompt(contract_id))
        return FILES
    try:
        caption = validate_file_caption(message.caption)
    except InvalidInput as error:
        await say(
            update,
            context,
            _again(error, texts.files_question(len(files))),
            views.files_prompt(contract_id),
        )
        return FILES
    name: str | None = "photo"
    if message.photo:
        kind, file_id = AttachmentKind.PHOTO, message.photo[-1].file_id
    else:
        assert message.document is not None
        document = message.document
        kind, file_id, name = AttachmentKind.DOCUMENT, document.file_id, document.file_name
    files.append({"kind": kind.value, "file_id": file_id, "file_name": name, "caption": caption})
    await say(update, context, texts.files_question(len(files)), views.files_prompt(contract_id))
    return FILES


async def not_a_file(update: Update, context: LeadlineContext) -> str:
    """Anything but a photo or document while files are asked for."""
    contract_id = int(_form(context)["contract"])
    await say(update, context, texts.SEND_FILES, views.files_prompt(contract_id))
    return FILES


async def submit(update: Update, context: LeadlineContext) -> int:
    """Open dispute now: the lead is disputed; the other side and the administrators hear."""
    contract_id = DisputeSubmit.of(update).contract_id
    assert context.user_data is not None
    form = context.user_data.get(FORM)
    if not isinstance(form, dict) or form.get("contract") != contract_id or "reason" not in form:
        # Someone who may not dispute hears why; a side, that the reason comes first.
        await context.turn.run(contract_cases.ask, AskMove(contract_id, Move.DISPUTE))
        raise NotAllowed(texts.REASON_FIRST)
    files = tuple(
        Attachment(
            AttachmentKind(f["kind"]), str(f["file_id"]), f.get("file_name"), f.get("caption")
        )
        for f in form.get("files", [])
    )
    admins = tuple(sorted(context.services.admin_ids))
    case = await context.turn.run(
        dispute_cases.open_dispute, OpenDispute(contract_id, str(form["reason"]), files, admins)
    )
    _leave(context)
    await answer_query(update, context)
    await edit_markup(update, context, None)
    await say(update, context, texts.opened_by_me(case))
    return END


# An administrator writes to a side.


async def start_writing(update: Update, context: LeadlineContext) -> str:
    """Message buyer / Message seller: asks for the text."""
    pressed = DisputeWrite.of(update)
    if pressed.side not in (Actor.BUYER, Actor.SELLER):
        raise StaleButton
    case = await run_as_admin(
        update, context, dispute_cases.ask_message, DisputeRef(pressed.dispute_id)
    )
    _start_form(context, form=WRITING, dispute=pressed.dispute_id, side=pressed.side.value)
    recipient = case.engagement.buyer if pressed.side is Actor.BUYER else case.engagement.seller
    await answer_query(update, context)
    await say(update, context, texts.write_question(case, recipient), views.stop())
    return WRITING


async def write(update: Update, context: LeadlineContext) -> int | str:
    """Sends the text to the side, as from Leadline support."""
    form = _form(context)
    dispute_id, side = int(form["dispute"]), Actor(form["side"])
    admin = admin_of(update, context)
    try:
        async with context.turn.uow.joined() as uow:
            case = await dispute_cases.message_side(
                uow, admin, MessageSide(dispute_id, side, _text(update)), context.turn.now
            )
            await uow.commit()
    except InvalidInput as error:
        case = await run_as_admin(
            update, context, dispute_cases.ask_message, DisputeRef(dispute_id)
        )
        recipient = case.engagement.buyer if side is Actor.BUYER else case.engagement.seller
        await say(
            update, context, _again(error, texts.write_question(case, recipient)), views.stop()
        )
        return WRITING
    _leave(context)
    recipient = case.engagement.buyer if side is Actor.BUYER else case.engagement.seller
    await say(update, context, texts.written(recipient))
    return END


# An administrator resolves a dispute.


async def pick_outcome(update: Update, context: LeadlineContext) -> str:
    """An outcome tapped: a split asks the amount; every outcome then asks the note."""
    pressed = DisputeOutcome.of(update)
    case = await run_as_admin(
        update, context, dispute_cases.ask_message, DisputeRef(pressed.dispute_id)
    )
    await answer_query(update, context)
    if pressed.outcome is Outcome.SPLIT:
        _start_form(context, form=SPLIT, dispute=pressed.dispute_id, outcome=pressed.outcome.value)
        question = texts.split_question(case.engagement.contract.amount)
        await say(update, context, question, views.stop())
        return SPLIT
    _start_form(context, form=NOTE, dispute=pressed.dispute_id, outcome=pressed.outcome.value)
    await say(update, context, texts.note_question(pressed.outcome, None), views.stop())
    return NOTE


async def split(update: Update, context: LeadlineContext) -> str:
    """Keeps the amount of a split (more than 0, less than agreed) and asks the note."""
    form = _form(context)
    dispute_id = int(form["dispute"])
    text = _text(update)
    try:
        case = await run_as_admin(
            update, context, dispute_cases.check_split, CheckSplit(dispute_id, text)
        )
    except InvalidInput as error:
        case = await run_as_admin(
            update, context, dispute_cases.ask_message, DisputeRef(dispute_id)
        )
        question = texts.split_question(case.engagement.contract.amount)
        await say(update, context, _again(error, question), views.stop())
        return SPLIT
    form.update(form=NOTE, amount=text)
    paid = split_amount(text, case.engagement.contract.amount)
    await say(update, context, texts.note_question(Outcome.SPLIT, paid), views.stop())
    return NOTE


async def note(update: Update, context: LeadlineContext) -> int | str:
    """Resolves the dispute with the note; both sides hear the outcome."""
    form = _form(context)
    dispute_id, outcome = int(form["dispute"]), Outcome(form["outcome"])
    admin = admin_of(update, context)
    command = Resolve(
        dispute_id, outcome, _text(update), context.services.service_fee_percent, form.get("amount")
    )
    try:
        async with context.turn.uow.joined() as uow:
            case = await dispute_cases.resolve(uow, admin, command, context.turn.now)
            await uow.commit()
    except InvalidInput as error:
        paid = None
        if outcome is Outcome.SPLIT:
            found = await run_as_admin(
                update, context, dispute_cases.ask_message, DisputeRef(dispute_id)
            )
            paid = split_amount(str(form.get("amount")), found.engagement.contract.amount)
        await say(update, context, _again(error, texts.note_question(outcome, paid)), views.stop())
        return NOTE
    _leave(context)
    show_resolved(context, case)
    await say(update, context, texts.resolved_for_admin(case))
    return END


# Leaving a question.


async def stop(update: Update, context: LeadlineContext) -> int:
    """Cancel or /cancel: leaves the question; nothing changes."""
    _leave(context)
    await answer_query(update, context)
    if update.callback_query is not None:
        await edit_markup(update, context, None)
    await say(update, context, texts.STOPPED)
    return END


async def wrong_input(update: Update, context: LeadlineContext) -> None:
    """A message the question cannot take: one sentence, the question stays."""
    await say(update, context, texts.TYPE_TEXT)


def build(flows: Flows) -> ConversationHandler[LeadlineContext]:
    in_flow = flows.only(NAME)
    text = TEXT_ANSWER & in_flow
    states: dict[object, Handlers] = {
        REASON: [MessageHandler(text, reason)],
        FILES: [
            MessageHandler(FILE_MESSAGES & in_flow, add_file),
            MessageHandler(NEW_MESSAGE & in_flow, not_a_file),
        ],
        WRITING: [MessageHandler(text, write)],
        SPLIT: [MessageHandler(text, split)],
        NOTE: [MessageHandler(text, note)],
    }
    return persistent_conversation(
        NAME,
        entry_points=[
            CallbackQueryHandler(start, DisputeStart.matches),
            CallbackQueryHandler(submit, DisputeSubmit.matches),
            CallbackQueryHandler(start_writing, DisputeWrite.matches),
            CallbackQueryHandler(pick_outcome, DisputeOutcome.matches),
            CallbackQueryHandler(stop, DisputeFormStop.matches),
        ],
        states=states,
        fallbacks=[
            CommandHandler("cancel", stop, filters=in_flow),
            MessageHandler(NEW_MESSAGE & in_flow, wrong_input),
        ],
    )
