"""What the offer form asks and what the cards and notices about offers say."""

from __future__ import annotations

from html import escape

from domain.leads import Lead
from domain.negotiation import Contract, Deal, Offer, OfferDraft, OfferStatus
from domain.reviews import Reputation, StarTally
from handlers.core.texts import plural
from handlers.providers.texts import badge, completed
from handlers.providers.texts import buyer_rating as rated_buyer
from handlers.reviews.texts import NO_STARS, tally

DAYS_QUESTION = "In how many days will the work be done? (1–365)"
_NOTE_QUESTIONS = {
    False: "Add a note for the buyer (what is included, how you will work), or tap Skip.",
    True: "Add a note for the seller (the scope, what you expect), or tap Skip.",
}
SKIP = "Skip"
SEND = "📨 Send offer"
CANCEL = "✖️ Cancel"
CANCELLED = "Cancelled; no offer was sent."
COUNTER_PREFIX = "🔁 Counter-offer. "
HIRED_ALERT = "Hired!"
WITHDRAWN_ALERT = "Withdrawn."
DECLINED_ALERT = "Declined."
WITHDRAWN = "Your offer is withdrawn."
ACCEPT, COUNTER, DECLINE, MESSAGE = "✅ Accept", "🔁 Counter", "✖️ Decline", "💬 Message"
WITHDRAW = "↩️ Withdraw offer"
NEW_OFFER = "💼 New offer"
SELLER_PROFILE = "👤 Seller's profile"


# What became of an offer, as the people in the thread say it.
_OFFER_STATES = {
    OfferStatus.OPEN: "waiting for an answer",
    OfferStatus.ACCEPTED: "accepted",
    OfferStatus.DECLINED: "declined",
    OfferStatus.WITHDRAWN: "withdrawn",
    OfferStatus.SUPERSEDED: "no longer open",
}


def offer_state(status: OfferStatus) -> str:
    """An offer's state in plain words ("superseded" is a word nobody uses)."""
    return _OFFER_STATES[status]


def amount_question(currency: str, *, buyer: bool) -> str:
    """The amount asked of a seller bidding, or of a buyer countering."""
    verb = "offer" if buyer else "propose"
    return f"How much do you {verb}, in {currency}?"


def note_question(*, buyer: bool) -> str:
    return _NOTE_QUESTIONS[buyer]


def offer_for(lead: Lead, currency: str, prefix: str = "", *, buyer: bool = False) -> str:
    """The first question of the form, naming the lead and its budget."""
    budget = f" (budget {lead.budget.format()})" if lead.budget else ""
    return (
        f"{prefix}Your offer for <b>{escape(lead.title or '')}</b>{budget}.\n"
        f"{amount_question(currency, buyer=buyer)}"
    )


def confirm(draft: OfferDraft) -> str:
    assert draft.amount is not None and draft.days is not None
    days = plural(draft.days, "day")
    lines = [f"Send this offer?\n\n💰 <b>{draft.amount.format()}</b> in <b>{days}</b>"]
    if draft.note:
        lines.append(f"📝 {escape(draft.note)}")
    return "\n".join(lines)


def sent(deal: Deal) -> str:
    return f"📨 Your offer was sent to {escape(deal.recipient.name)}."


def declined_by_me(deal: Deal) -> str:
    return f"You declined the offer of {escape(deal.author.name)}."


def offer_lines(offer: Offer, lead: Lead) -> list[str]:
    lines = [f"💰 <b>{offer.amount.format()}</b> in <b>{plural(offer.days, 'day')}</b>"]
    budget = lead.budget
    if budget and offer.amount.currency == budget.currency and offer.amount > budget:
        lines[0] += f" — above the budget of {budget.format()}"
    if offer.note:
        lines.append(f"📝 {escape(offer.note)}")
    return lines


def bid_card(
    deal: Deal,
    counter: bool,
    reputation: Reputation | None = None,
    buyer_rating: StarTally | None = None,
) -> str:
    """An offer as its recipient sees it, with the author's record: a seller's stars in the
    lead's skills and completed leads, or what sellers rated the buyer."""
    kind = "🔁 <b>Counter-offer</b>" if counter else "💼 <b>New bid</b>"
    lines = [
        f"{kind} on <b>{escape(deal.lead.title or '')}</b>",
        f"From: <b>{escape(deal.author.name)}</b>{badge(deal.author)}",
    ]
    if deal.author.id == deal.thread.seller_id:
        earned = reputation or Reputation()
        stars = " · ".join(
            f"{escape(skill)} {tally(earned.of(skill))}"
            for skill in deal.lead.skills
            if earned.of(skill).count or skill in deal.author.profile.skills
        )
        lines.append(f"⭐ {stars or NO_STARS} · {completed(earned.completed)}")
    else:
        lines.append(rated_buyer(deal.author, buyer_rating or StarTally()))
    return "\n".join([*lines, "", *offer_lines(deal.offer, deal.lead)])


def hired(deal: Deal, contract: Contract) -> str:
    return (
        f"🎉 <b>Hired!</b> {escape(deal.lead.title or '')}\n"
        f"{contract.amount.format()} · {plural(contract.days, 'day')} · "
        f"due {contract.due_at:%d %b %Y}"
    )


def accepted(deal: Deal, contract: Contract) -> str:
    who = escape(deal.recipient.name)
    return f"✅ <b>{who}</b> accepted your offer.\n\n{hired(deal, contract)}"


def declined(deal: Deal) -> str:
    return (
        f"✖️ <b>{escape(deal.recipient.name)}</b> declined your offer on "
        f"<b>{escape(deal.lead.title or '')}</b>. You can make a new one."
    )


def withdrawn(deal: Deal) -> str:
    return (
        f"↩️ <b>{escape(deal.author.name)}</b> withdrew the offer on "
        f"<b>{escape(deal.lead.title or '')}</b>."
    )


def filled(lead: Lead) -> str:
    return (
        f"🔒 The lead <b>{escape(lead.title or '')}</b> has been filled. Thank you for your "
        "interest — more leads will come your way."
    )
