"""A suspended user is refused at the tap that would start a change, not after it: the
review card is not redrawn for editing."""

from __future__ import annotations

from bot.runner import RunningBot
from handlers.core.context import Services
from sandbox import Sandbox
from tests.e2e.journeys import sign_up
from tests.e2e.test_negotiation import offer
from tests.e2e.test_reviews import complete, publish_lead, tap_star


async def test_a_suspended_buyer_tapping_change_stars_is_refused_at_once(
    sandbox: Sandbox, bot: RunningBot
) -> None:
    sid, bella = sandbox.create_user("Sid"), sandbox.create_user("Bella")
    await sign_up(sandbox, sid, role="Seller", email="sid@example.org", skills="Python")
    await sign_up(sandbox, bella, role="Buyer", email="bella@example.org")
    await publish_lead(bella, "Price scraper", "python")
    alert = await sid.wait_for_message("New lead for your skills")
    await sid.tap("Connect", message_id=alert.message_id)
    await offer(sid, "300", "3")
    bid = await bella.wait_for_message("New bid")
    await bella.tap("Accept", message_id=bid.message_id)
    await bella.wait_for_message("Hired!")
    await complete(bot, bella, "Price scraper")
    card = await bella.wait_for_message("Rate the work of Sid")
    card = await tap_star(bella, card, 1, 4)
    await bella.tap("Submit", message_id=card.message_id)
    summary = await bella.wait_for_message("Your review of Sid")

    services: Services = bot.app.bot_data["services"]
    async with services.uow() as uow:
        me = await uow.users.get_by_telegram_id(bella.id)
        assert me is not None
        me.suspend("Fake reviews.")
        await uow.users.save(me)
        await uow.commit()

    answer = await bella.tap("Change stars", message_id=summary.message_id)
    assert answer.text is not None and "Your account is suspended" in answer.text
    assert "Fake reviews." in answer.text
    still = bella.message(summary.message_id)
    assert "Your review of Sid" in still.text and "Rate the work" not in still.text
