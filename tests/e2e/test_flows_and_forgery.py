"""Flows left half-way never take later messages; replies find their own thread; forged or
absurd button data changes nothing and never crashes the bot."""

from __future__ import annotations

import asyncio

import pytest

from bot.runner import RunningBot
from sandbox import Sandbox, SimUser
from tests.e2e.journeys import sign_up
from tests.e2e.test_leads import post_lead
from tests.e2e.test_negotiation import offer

pytestmark = pytest.mark.on_both_engines  # listed in the README


async def publish(buyer: SimUser, title: str) -> None:
    await post_lead(buyer, title, "django")
    await buyer.send("1000")
    await buyer.wait_for_message("Attach a brief")
    await buyer.tap("Skip")
    await buyer.wait_for_message("Preview")
    await buyer.tap("Publish")
    await buyer.wait_for_message("Published")


async def bid(seller: SimUser, title: str) -> None:
    alert = await seller.wait_for_message(title)
    await seller.tap("Connect", message_id=alert.message_id)
    await offer(seller, "450", "7")


async def test_a_half_written_lead_or_offer_does_not_take_chat_messages(
    sandbox: Sandbox, bot: RunningBot
) -> None:
    buyer, seller = sandbox.create_user("Bella"), sandbox.create_user("Sid")
    await sign_up(sandbox, buyer, role="Buyer", email="bella@example.org")
    await sign_up(sandbox, seller, role="Seller", email="sid@example.org", skills="Django")
    await publish(buyer, "Alpha lead")
    await bid(seller, "Alpha lead")
    card = await buyer.wait_for_message("New bid")

    await buyer.send("/newlead")
    await buyer.wait_for_message("What is the title of your lead?")
    await buyer.send("Second <project>")
    await buyer.wait_for_message("Describe the work")
    await buyer.tap("Message", message_id=card.message_id)
    await buyer.wait_for_message("You are writing to Sid")
    await buyer.send("Hi Sid, when can you start?")
    await seller.wait_for_message("Hi Sid, when can you start?")

    alert = next(m for m in seller.bot_messages if "New lead" in (m.text or ""))
    await seller.tap("Connect", message_id=alert.message_id)
    await seller.wait_for_message("How much do you propose")
    sent = next(m for m in seller.bot_messages if "Your offer was sent" in (m.text or ""))
    await seller.tap("Message", message_id=sent.message_id)
    await seller.wait_for_message("You are writing to Bella")
    await seller.send("Tomorrow <b> & <3")
    await buyer.wait_for_message("Tomorrow <b> & <3")
    await seller.send("/done")
    await seller.wait_for_message("You left the conversation")

    # The abandoned lead is still there to finish, and the bot says so.
    await buyer.send("/done")
    await buyer.wait_for_message("You left the conversation")
    await buyer.send("A description typed out of turn")
    await buyer.wait_for_message("You have a lead you started writing")
    await buyer.send("/newlead")
    await buyer.wait_for_message("You have an unfinished lead")
    await buyer.tap("Continue")
    await buyer.wait_for_message("Describe the work")


async def test_a_reply_goes_to_the_thread_of_the_message_replied_to(
    sandbox: Sandbox, bot: RunningBot
) -> None:
    buyer, seller = sandbox.create_user("Bella"), sandbox.create_user("Sid")
    await sign_up(sandbox, buyer, role="Buyer", email="bella@example.org")
    await sign_up(sandbox, seller, role="Seller", email="sid@example.org", skills="Django")
    await publish(buyer, "Alpha lead")
    await bid(seller, "Alpha lead")
    alpha_bid = await buyer.wait_for_message("New bid on Alpha lead")
    await publish(buyer, "Beta project")
    await bid(seller, "Beta project")
    beta_bid = await buyer.wait_for_message("New bid on Beta project")

    await buyer.tap("Message", message_id=beta_bid.message_id)
    await buyer.wait_for_message("You are writing to Sid")
    await buyer.send("about beta")
    beta_message = await seller.wait_for_message("about beta")
    await buyer.send("/done")
    await seller.reply(beta_message.message_id, "beta answer")
    relayed = await buyer.wait_for_message("beta answer")
    assert "Beta project" in relayed.text

    await buyer.tap("Message", message_id=alpha_bid.message_id)
    await buyer.wait_for_message("You are writing to Sid")
    await buyer.reply(relayed.message_id, "reply meant for beta")
    got = await seller.wait_for_message("reply meant for beta")
    assert got.text.startswith("💬 Bella · Beta project")
    await buyer.send("still alpha")
    got = await seller.wait_for_message("still alpha")
    assert got.text.startswith("💬 Bella · Alpha lead")


async def test_forged_and_absurd_button_data_gets_a_sentence(
    sandbox: Sandbox, bot: RunningBot
) -> None:
    eve = sandbox.create_user("Eve")
    await sign_up(sandbox, eve, role="Buyer", email="eve@example.org")
    await eve.send("/profile")
    profile = await eve.wait_for_message("Member since")
    await eve.tap("Name", message_id=profile.message_id)
    await eve.wait_for_message("What name should others see?")
    await eve.send("Evelyn <3")
    await eve.wait_for_message("Saved.")
    await eve.send("/menu")
    menu = await eve.wait_for_message("What would you like to do?")
    answer = await eve.tap("Find providers", message_id=menu.message_id)
    assert answer.answered
    big = "9" * 20
    for data in (
        f"v1:of:accept:{big}",
        f"v1:ld:view:{big}",
        f"v1:ld:connect:{big}",
        f"v1:th:msg:{big}",
        f"v1:pv:view:{big}",
        f"v1:ld:page:{big}",
        f"v1:ds:list:mine.{big}",
        f"v1:pv:page:{big}",
        f"v1:th:page:{big}",
        "v1:th:transcript:1",
        "v1:th:offer:1",
        "v1:th:open:1",
        "v1:pv:inv:2.1",
        "v1:of:decline:1",
        "v1:of:withdraw:1",
        "v1:ld:withdrawok:1",
        "v1:cr:rm:education.1",
        "v1:pf:edit:nothing",
        "v1:st:alerts:maybe",
        "v1:su:tgname",
        "v1:su:role:seller",
        "v1:su:skip:location",
        "v1:su:resend",
    ):
        answer = await eve.tap_data(menu.message_id, data)
        assert answer.answered, data
    await eve.send("/profile")
    card = await eve.wait_for_message("Member since")
    assert card.text.startswith("👤 Evelyn <3\n")  # a replayed "Use “name”" changed nothing
    await eve.send("/start lead_999999999999")
    await eve.wait_for_message("That lead does not exist.")
    assert await eve.inline_query("x" * 300) == []
    await asyncio.sleep(0.5)
    assert not [m for m in eve.bot_messages if "something went wrong" in (m.text or "")]


async def test_a_forged_connect_gets_one_sentence_and_opens_no_form(
    sandbox: Sandbox, bot: RunningBot
) -> None:
    buyer, seller = sandbox.create_user("Bella"), sandbox.create_user("Sid")
    await sign_up(sandbox, buyer, role="Buyer", email="bella@example.org")
    await sign_up(sandbox, seller, role="Seller", email="sid@example.org", skills="Django")
    await publish(buyer, "Forgery lead")
    alert = await seller.wait_for_message("Forgery lead")
    for data in ("v1:ld:connect:abc", "v1:ld:connect:1.2", f"v1:ld:connect:{'9' * 20}"):
        answer = await seller.tap_data(alert.message_id, data)
        assert (answer.text, answer.show_alert) == ("That button is no longer active.", True)
    # No offer form was opened: a number now is not taken as a bid.
    await seller.send("450")
    await seller.wait_for_message("not sure what to do with that")
    await seller.tap("Connect", message_id=alert.message_id)
    await seller.wait_for_message("How much do you propose")
