"""/terms shows the terms of service; I accept records a new version for a signed-up user."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from domain import terms
from domain.terms import AcceptNewTerms
from handlers.core import keyboards
from handlers.core.common import answer_query, say
from handlers.core.context import LeadlineContext
from handlers.terms import markdown, texts, views
from handlers.terms.buttons import TermsAccept, TermsShow


@lru_cache(maxsize=4)
def pages_of(document: str) -> tuple[str, ...]:
    """The Markdown document as the Telegram messages that show it."""
    return tuple(markdown.pages(markdown.to_html(document)))


def must_accept(context: LeadlineContext) -> bool:
    """Whether the acting user is signed up and has not accepted the current terms."""
    user, version = context.turn.user, _version(context)
    return (
        bool(version) and user is not None and user.signed_up and not user.accepted_terms(version)
    )


def _version(context: LeadlineContext) -> str:
    return context.services.terms.version


async def show(update: Update, context: LeadlineContext) -> None:
    """/terms (or Read the terms): the whole document; the last part offers I accept to a
    user who has not accepted this version."""
    await answer_query(update, context)
    document = context.services.terms
    shown = pages_of(document.text)
    for index, page in enumerate(shown):
        last = index == len(shown) - 1
        markup = views.accept(document.version) if last and must_accept(context) else None
        await say(update, context, page, markup)


async def accept(update: Update, context: LeadlineContext) -> None:
    """I accept: records the version for a signed-up user (signup records it on its own)."""
    pressed = TermsAccept.of(update)
    version = _version(context)
    if pressed.tag != views.tag(version):
        await answer_query(update, context, texts.CHANGED_SINCE, alert=True)
        await show(update, context)
        return
    # Someone still signing up is refused: signup's first question records the terms.
    accepted = await context.turn.run(terms.accept_new_terms, AcceptNewTerms(version))
    await answer_query(update, context, None if accepted else texts.ALREADY_ACCEPTED)
    if accepted:
        await say(update, context, texts.ACCEPTED, await keyboards.main_menu(context))


def handlers() -> list[BaseHandler[Update, LeadlineContext, Any]]:
    return [
        CommandHandler("terms", show),
        CallbackQueryHandler(show, TermsShow.matches),
        CallbackQueryHandler(accept, TermsAccept.matches),
    ]
