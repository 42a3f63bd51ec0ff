"""Giving a review: a row of stars per skill changed in place, Submit, then an optional
comment; changing it in its 48 hours."""

from __future__ import annotations

from html import escape
from typing import Any

from telegram import Message, Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
)

from domain import review_cases
from domain.errors import InvalidInput
from domain.review_cases import Comment, OpenReview, Rate, SubmitReview
from domain.reviews import ReviewCard
from handlers.core import texts as common_texts
from handlers.core.common import (
    NEW_MESSAGE,
    TEXT_ANSWER,
    answer_query,
    ask,
    edit_markup,
    edit_text,
    retire_question,
    say,
)
from handlers.core.context import LeadlineContext
from handlers.core.conversation import Handlers, persistent_conversation
from handlers.core.flows import Flows
from handlers.core.flows import enter as enter_flow
from handlers.reviews import texts, views
from handlers.reviews.buttons import (
    ReviewAspect,
    ReviewComment,
    ReviewEdit,
    ReviewSkipComment,
    ReviewStar,
    ReviewStart,
    ReviewSubmit,
)

END = ConversationHandler.END
COMMENT = "comment"
LEAD = "review_lead"  # user_data: the lead whose review's comment is being written


def _zone(context: LeadlineContext) -> str:
    return context.turn.actor.profile.timezone


async def start(update: Update, context: LeadlineContext) -> None:
    """⭐ Review (on a notice, a reminder or the dashboard): sends the user's review card."""
    command = OpenReview(ReviewStart.of(update).lead_id)
    card = await context.turn.run(review_cases.open_review, command)
    await answer_query(update, context)
    await say(update, context, texts.card(card, _zone(context)), views.card(card))


async def edit(update: Update, context: LeadlineContext) -> None:
    """Change stars, on a given review: its card with the rows of stars again, in place."""
    command = OpenReview(ReviewEdit.of(update).lead_id)
    card = await context.turn.run(review_cases.change_stars, command)
    await answer_query(update, context)
    await edit_text(update, context, texts.card(card, _zone(context)), views.card(card))


async def star(update: Update, context: LeadlineContext) -> None:
    """A star tapped: stores it and redraws the card in place."""
    pressed = ReviewStar.of(update)
    command = Rate(pressed.lead_id, pressed.aspect, pressed.stars)
    card = await context.turn.run(review_cases.rate, command)
    await answer_query(update, context, texts.rated(card.aspects[pressed.aspect], pressed.stars))
    keyboard = views.card(card)
    query = update.callback_query
    shown = query.message if query is not None else None
    if isinstance(shown, Message) and shown.reply_markup == keyboard:
        return  # the same star again: the card already shows it
    await edit_text(update, context, texts.card(card, _zone(context)), keyboard)


async def aspect(update: Update, context: LeadlineContext) -> None:
    """A skill's name above its stars: says what the row is for."""
    pressed = ReviewAspect.of(update)
    card = await context.turn.run(review_cases.open_review, OpenReview(pressed.lead_id))
    names = card.aspects
    name = names[pressed.aspect] if pressed.aspect < len(names) else ""
    await answer_query(update, context, texts.aspect_hint(name))


async def submit(update: Update, context: LeadlineContext) -> str | int:
    """Submit (or Save changes): the other side hears the stars; the first time, asks for
    a comment."""
    command = SubmitReview(ReviewSubmit.of(update).lead_id)
    submission = await context.turn.run(review_cases.submit, command)
    card = submission.card
    await edit_text(update, context, texts.summary(card, _zone(context)), views.summary(card))
    if not submission.first:
        await answer_query(update, context, texts.saved(card))
        return END
    await answer_query(update, context, texts.SUBMITTED_ALERT)
    return await _ask_comment(update, context, card)


async def comment_button(update: Update, context: LeadlineContext) -> str:
    """Add a comment (or Change comment), on a given review: asks for it."""
    command = OpenReview(ReviewComment.of(update).lead_id)
    card = await context.turn.run(review_cases.start_comment, command)
    await answer_query(update, context)
    return await _ask_comment(update, context, card)


async def _ask_comment(
    update: Update, context: LeadlineContext, card: ReviewCard, prefix: str = ""
) -> str:
    """Asks for the comment, remembering whose review it goes on."""
    enter_flow(context, "review")
    assert context.user_data is not None
    context.user_data[LEAD] = card.lead.key
    question = texts.comment_question(card)
    text = f"{escape(prefix)}\n\n{question}" if prefix else question
    await ask(update, context, text, views.skip_comment(card))
    return COMMENT


async def comment(update: Update, context: LeadlineContext) -> str | int:
    """Stores the comment; the other side reads it. A wrong one gets a sentence and the
    same question."""
    message = update.effective_message
    assert message is not None and message.text is not None and context.user_data is not None
    lead_id = int(context.user_data.get(LEAD, 0))
    try:
        card = await context.turn.attempt(review_cases.comment, Comment(lead_id, message.text))
    except InvalidInput as error:
        card = await context.turn.run(review_cases.open_review, OpenReview(lead_id))
        return await _ask_comment(update, context, card, prefix=error.sentence)
    retire_question(update, context)
    await say(update, context, texts.commented(card))
    return END


async def skip(update: Update, context: LeadlineContext) -> int:
    """Skip: no comment; the review is complete."""
    ReviewSkipComment.of(update)
    await answer_query(update, context)
    await edit_markup(update, context, None)
    await say(update, context, texts.NO_COMMENT)
    return END


async def cancel(update: Update, context: LeadlineContext) -> int:
    """/cancel at the comment: the stars stay given."""
    await say(update, context, texts.CANCELLED)
    return END


async def wrong_input(update: Update, context: LeadlineContext) -> str:
    """Something other than text at the comment: one sentence, and the question again with
    its Skip."""
    assert context.user_data is not None
    lead_id = int(context.user_data.get(LEAD, 0))
    card = await context.turn.run(review_cases.open_review, OpenReview(lead_id))
    return await _ask_comment(update, context, card, prefix=common_texts.SEND_TEXT)


def build(flows: Flows) -> ConversationHandler[LeadlineContext]:
    in_flow = flows.only("review")
    states: dict[object, Handlers] = {
        COMMENT: [
            MessageHandler(TEXT_ANSWER & in_flow, comment),
            CallbackQueryHandler(skip, ReviewSkipComment.matches),
        ],
    }
    return persistent_conversation(
        "review",
        entry_points=[
            CallbackQueryHandler(submit, ReviewSubmit.matches),
            CallbackQueryHandler(comment_button, ReviewComment.matches),
        ],
        states=states,
        fallbacks=[
            CommandHandler("cancel", cancel, filters=in_flow),
            MessageHandler(NEW_MESSAGE & in_flow, wrong_input),
        ],
    )


def handlers() -> list[BaseHandler[Update, LeadlineContext, Any]]:
    return [
        CallbackQueryHandler(start, ReviewStart.matches),
        CallbackQueryHandler(edit, ReviewEdit.matches),
        CallbackQueryHandler(star, ReviewStar.matches),
        CallbackQueryHandler(aspect, ReviewAspect.matches),
    ]
