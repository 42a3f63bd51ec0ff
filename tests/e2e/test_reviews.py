"""After a lead is completed the buyer gives the seller stars in each skill and a comment,
the seller rates the buyer; the stars show on the public card, on bid cards, in the
/providers order and on both dashboards; a review changes for 48 hours, then is final.

The closing flow (deliver, approve, pay) comes with the contracts branch: here the lead is
completed through storage and LeadCompleted is told as that flow will tell it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest

from bot.runner import RunningBot
from domain.events import LeadCompleted
from domain.lifecycle import LeadStatus
from handlers.core.context import Services
from handlers.reviews.buttons import ReviewStar
from sandbox import Message, Sandbox, SimUser
from tests.e2e.journeys import sign_up
from tests.e2e.test_leads import post_lead
from tests.e2e.test_negotiation import offer

pytestmark = pytest.mark.on_both_engines  # listed in the README


async def publish_lead(buyer: SimUser, title: str, skills: str) -> None:
    await post_lead(buyer, title, skills)
    await buyer.send("1,000")
    await buyer.wait_for_message("Attach a brief")
    await buyer.tap("Skip")
    await buyer.wait_for_message("Preview")
    await buyer.tap("Publish")
    await buyer.wait_for_message("Published")


async def complete(bot: RunningBot, buyer: SimUser, title: str) -> None:
    """Completes the buyer's lead as the closing flow will: the lead's status, then
    LeadCompleted told in the same transaction."""
    services: Services = bot.app.bot_data["services"]
    now = services.clock()
    async with services.uow() as uow:
        me = await uow.users.get_by_telegram_id(buyer.id)
        assert me is not None
        mine = await uow.leads.of_buyer(me.key, [LeadStatus.IN_PROGRESS], 0, 10)
        [lead] = [lead for lead in mine.items if lead.title == title]
        contract = await uow.threads.contract_of_lead(lead.key)
        assert contract is not None
        lead.status = LeadStatus.COMPLETED
        await uow.leads.save(lead)
        await services.notifier.publish(uow, [LeadCompleted(lead, contract)], now, "bot")
        await uow.commit()
    services.kick_outbox()


def labels(message: Message, row: int) -> list[str]:
    return [button["text"] for button in message.inline_buttons[row]]


def lead_id_of(card: Message) -> int:
    for row in card.inline_buttons:
        for button in row:
            pressed = ReviewStar.decode(button["callback_data"])
            if pressed is not None:
                return pressed.lead_id
    raise AssertionError(f"no star on {card.text!r}")


async def tap_star(user: SimUser, card: Message, row: int, stars: int) -> Message:
    """Taps a star of one row (buttons: name, stars, name, stars, …) and waits for the card
    to be redrawn in place with that row filled up to it."""
    button = card.inline_buttons[row][stars - 1]
    answer = await user.tap_data(card.message_id, button["callback_data"])
    assert answer.text is not None and f"{stars} star" in answer.text
    filled = [f"{v}{'⭐' if v <= stars else '☆'}" for v in range(1, 6)]

    def redrawn(m: Message) -> bool:
        return m.message_id == card.message_id and labels(m, row) == filled

    return await user.wait_for_message(predicate=redrawn)


def order(text: str, *names: str) -> list[str]:
    """The names in the order the text lists them."""
    return sorted(names, key=lambda name: text.index(f"• {name} —"))


async def test_stars_per_skill_a_rating_of_the_buyer_and_where_they_show(
    sandbox: Sandbox, bot: RunningBot
) -> None:
    sam, sid, bella = (sandbox.create_user(n) for n in ("Sam", "Sid", "Bella"))
    for seller in (sam, sid):  # Sam's account is older: without stars he is listed first
        email = f"{seller.first_name.lower()}@example.org"
        await sign_up(sandbox, seller, role="Seller", email=email, skills="Python, Django")
    await sign_up(sandbox, bella, role="Buyer", email="bella@example.org")

    await publish_lead(bella, "Shop <rebuild>", "python, django")
    alert = await sid.wait_for_message("New lead for your skills")
    await sid.tap("Connect", message_id=alert.message_id)
    await offer(sid, "900", "7")
    bid = await bella.wait_for_message("New bid")
    assert "⭐ Python no stars yet · Django no stars yet · 0 completed leads" in bid.text
    await bella.tap("Accept", message_id=bid.message_id)
    await bella.wait_for_message("Hired!")
    await bella.send("/providers python, django")
    before = await bella.wait_for_message("Sellers for “python, django”")
    assert order(before.text, "Sid", "Sam") == ["Sam", "Sid"]

    await complete(bot, bella, "Shop <rebuild>")
    card = await bella.wait_for_message("Rate the work of Sid")
    assert "Shop <rebuild>" in card.text
    assert [labels(card, row) for row in (0, 2, 4)] == [["🛠 Python"], ["🛠 Django"], ["✅ Submit"]]
    assert labels(card, 1) == ["1☆", "2☆", "3☆", "4☆", "5☆"]
    rating = await sid.wait_for_message("Rate Bella as a buyer")

    answer = await bella.tap("Submit", message_id=card.message_id)
    assert answer.show_alert and answer.text == "Please rate every skill first: Python, Django."
    answer = await bella.tap("Django", message_id=card.message_id)
    assert answer.text == "Tap 1 to 5 stars in the row under “Django”."
    card = await tap_star(bella, card, 1, 3)
    card = await tap_star(bella, card, 1, 5)  # changed in place before submitting
    answer = await bella.tap_data(card.message_id, card.inline_buttons[1][4]["callback_data"])
    assert answer.text == "Python: 5 stars"  # the same star again: nothing to redraw
    card = await tap_star(bella, card, 3, 4)
    assert labels(card, 1) == ["1⭐", "2⭐", "3⭐", "4⭐", "5⭐"]
    answer = await bella.tap("Submit", message_id=card.message_id)
    assert answer.text == "Thank you for your review!"
    summary = await bella.wait_for_message("Your review of Sid")
    assert summary.message_id == card.message_id  # the card became the review
    assert (
        "Python ★★★★★ · Django ★★★★☆" in summary.text and "You can change it until" in summary.text
    )
    await bella.wait_for_message("Add a comment for Sid?")
    await bella.send("x" * 1001)
    again = await bella.wait_for_message("at most 1000 characters; yours has 1001.")
    assert "Add a comment for Sid?" in again.text  # one sentence, then the same question
    await bella.send_photo(b"a photo")
    again = await bella.wait_for_message("Please answer with a text message.")
    assert "Add a comment for Sid?" in again.text and labels(again, 0) == ["Skip"]
    await bella.send("Great <work> & fast!")
    await bella.wait_for_message("Sid will read your comment")

    awarded = await sid.wait_for_message("Bella gave you stars for Shop <rebuild>")
    assert "Python ★★★★★ · Django ★★★★☆" in awarded.text
    await sid.wait_for_message("“Great <work> & fast!”")

    # Forged or replayed: nobody else can give this review.
    lead_id = lead_id_of(card)
    answer = await sam.tap_data(sam.bot_messages[-1].message_id, ReviewStar(lead_id, 0, 1).encode())
    assert answer.text == "That review is not yours to give."

    await tap_star(sid, rating, 0, 4)
    await sid.tap("Submit", message_id=rating.message_id)
    await sid.wait_for_message("Add a comment for Bella?")
    await sid.tap("Skip")
    await sid.wait_for_message("your review is complete")
    rated = await bella.wait_for_message("Sid rated you as a buyer for Shop <rebuild>")
    assert "★★★★☆" in rated.text
    assert "Sellers see it on your counter-offers and invitations." in rated.text

    # /providers: Sid's stars in the asked skills put him first now.
    await bella.send("/providers python, django")
    after = await bella.wait_for_message("Sellers for “python, django”")
    assert order(after.text, "Sid", "Sam") == ["Sid", "Sam"]
    assert "• Sid — Python 5.0★ (1), Django 4.0★ (1) · 1 completed lead" in after.text
    assert "• Sam — no stars yet · 0 completed leads" in after.text
    await bella.tap("Sid", message_id=after.message_id)
    profile = await bella.wait_for_message("Member since")
    for line in ("Python — 5.0★ (1)", "Django — 4.0★ (1)", "Completed leads: 1"):
        assert line in profile.text

    # Bid cards: Sid's stars to the buyer, the buyer's rating to the sellers.
    await publish_lead(bella, "Logo <pack>", "python")
    alert = await sid.wait_for_message("New lead for your skills")
    await sid.tap("Connect", message_id=alert.message_id)
    await offer(sid, "300", "3")
    bid = await bella.wait_for_message("New bid")
    assert "⭐ Python 5.0★ (1) · 1 completed lead" in bid.text
    await bella.tap("Counter", message_id=bid.message_id)
    await offer(bella, "250", "3", buyer=True)
    countered = await sid.wait_for_message("Counter-offer")
    assert "⭐ Bella as a buyer: 4.0★ (1)" in countered.text
    await bella.tap("Sam", message_id=after.message_id)
    sam_card = await bella.wait_for_message("Member since")
    await bella.tap("Invite to lead", message_id=sam_card.message_id)
    await bella.wait_for_message("Invite to which lead?")
    await bella.tap("Logo <pack>")
    invitation = await sam.wait_for_message("invited you to a lead")
    assert "⭐ Bella as a buyer: 4.0★ (1)" in invitation.text

    # Both dashboards.
    await sid.send("/dashboard")
    board = await sid.wait_for_message("Dashboard")
    assert "⭐ My stars: Python: 5.0★ (1) · Django: 4.0★ (1)" in board.text
    assert "Completed leads as a seller: 1" in board.text
    await sid.tap("Completed leads", message_id=board.message_id)
    done = await sid.wait_for_message("Completed leads: 1–1 of 1")
    assert "Shop <rebuild> — completed, with Bella" in done.text
    assert "You got: Python 5★ · Django 4★ “Great <work> & fast!”" in done.text
    assert "You gave: 4★" in done.text
    await bella.send("/dashboard")
    board = await bella.wait_for_message("Dashboard")
    assert "My rating as a buyer: 4.0★ (1)" in board.text
    await bella.tap("Completed leads", message_id=board.message_id)
    listing = await bella.wait_for_message("Completed leads: 1–1 of 1")
    assert "You gave: Python 5★ · Django 4★" in listing.text and "You got: 4★" in listing.text

    # Changed within 48 hours: in place, and Sid hears of it.
    await bella.tap("Change stars", message_id=summary.message_id)
    card = await bella.wait_for_message(
        predicate=lambda m: m.message_id == summary.message_id and "Rate the work" in m.text
    )
    assert labels(card, 4) == ["💾 Save changes"]
    card = await tap_star(bella, card, 3, 5)
    answer = await bella.tap("Save changes", message_id=card.message_id)
    assert answer.text == "Saved; Sid is told."
    changed = await sid.wait_for_message("Bella changed your stars for Shop <rebuild>")
    assert "Python ★★★★★ · Django ★★★★★" in changed.text

    # Two days later the review is final.
    services: Services = bot.app.bot_data["services"]
    clock: Callable[[], datetime] = services.clock
    services.clock = lambda: clock() + timedelta(hours=49)
    try:
        for label in ("Change stars", "Change comment"):
            answer = await bella.tap(label, message_id=summary.message_id)
            assert answer.show_alert and answer.text == (
                "This review is final: a review can be changed only in the 48 hours after "
                "it is given."
            )
        review = next(b for b in listing.inline_buttons[0] if "Review" in b["text"])
        answer = await bella.tap_data(listing.message_id, review["callback_data"])
        assert answer.text is not None and answer.text.startswith("This review is final")
    finally:
        services.clock = clock
