"""Your data: /mydata sends a JSON file of everything stored about the user; /deleteaccount
is refused while a contract is under way, and otherwise erases the account after a
confirmation: the open offer lapses, the other side keeps the conversation naming "a
deleted user", and /start afterwards signs the person up as someone new."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.runner import RunningBot
from domain import accounts
from sandbox import Message, Sandbox, SimUser
from tests.e2e.journeys import sign_up
from tests.e2e.test_leads import post_lead
from tests.e2e.test_negotiation import offer

pytestmark = pytest.mark.on_both_engines  # listed in the README

TITLE = "Logo <design> & brand"


async def bid_on_a_lead(sandbox: Sandbox) -> tuple[SimUser, SimUser, Message]:
    """Bella posts a lead with a brief; Sid bids 450 USD over 7 days; Bella writes to him."""
    bella, sid = sandbox.create_user("Bella"), sandbox.create_user("Sid")
    await sign_up(sandbox, bella, role="Buyer", email="bella@example.org")
    await sign_up(sandbox, sid, role="Seller", email="sid@example.org", skills="Django")
    await post_lead(bella, TITLE, "django")
    await bella.send("1,000")
    await bella.wait_for_message("Attach a brief")
    await bella.send_document(b"%PDF brief", filename="brief.pdf", caption="brief caption")
    added = await bella.wait_for_message("Added brief.pdf")
    assert "Its caption is not kept" in added.text  # said, not silently dropped
    await bella.tap("Done")
    await bella.wait_for_message("Preview")
    await bella.tap("Publish")
    await bella.wait_for_message("1 matching seller will hear of it")
    alert = await sid.wait_for_message("New lead for your skills")
    await sid.tap("Connect", message_id=alert.message_id)
    await offer(sid, "450", "7", "Vector files included")
    bid = await bella.wait_for_message("New bid")
    await bella.tap("Message", message_id=bid.message_id)
    await bella.wait_for_message("You are writing to Sid")
    await bella.send("Hello <Sid> & welcome")
    await sid.wait_for_message("Hello <Sid> & welcome")
    await bella.send("/done")
    await bella.wait_for_message("You left the conversation")
    return bella, sid, bid


def has_buttons(message: Message) -> bool:
    return bool(message.inline_buttons)


async def my_data(sandbox: Sandbox, user: SimUser) -> dict[str, Any]:
    await user.send("/mydata")
    sent = await user.wait_for_message(predicate=lambda m: m.media_kind == "document")
    assert sent.media is not None
    assert str(sent.media["file_name"]).startswith("leadline-data-")
    assert str(sent.media["file_name"]).endswith(".json")
    data = json.loads(sandbox.world.files[sent.media["file_id"]].data.decode("utf-8"))
    assert isinstance(data, dict)
    return data


async def test_my_data_holds_what_was_created_and_a_contract_blocks_deletion(
    sandbox: Sandbox, bot: RunningBot
) -> None:
    bella, sid, bid = await bid_on_a_lead(sandbox)

    data = await my_data(sandbox, bella)
    assert data["account"]["email"] == "bella@example.org"
    assert data["account"]["roles"] == ["buyer"] and data["account"]["telegram_id"] == bella.id
    assert data["account"]["terms_version"] and data["account"]["suspension"] is None
    assert data["profile"]["display_name"] == "Bella"
    [lead] = data["leads"]
    assert (lead["title"], lead["status"]) == (TITLE, "open")
    assert lead["budget"]["text"] == "1,000 USD"
    assert lead["attachments"] == [{"kind": "document", "file_name": "brief.pdf"}]
    [talk] = data["conversations"]
    assert (talk["lead_title"], talk["as"], talk["with"]) == (TITLE, "buyer", "Sid")
    [made] = talk["offers"]
    assert (made["by"], made["amount"]["text"], made["days"]) == ("them", "450 USD", 7)
    assert made["note"] == "Vector files included" and made["status"] == "open"
    assert [m["text"] for m in talk["my_messages"]] == ["Hello <Sid> & welcome"]
    assert data["contracts"] == [] and data["reviews_given"] == []

    sids = await my_data(sandbox, sid)
    assert sids["profile"]["skills"] == ["Django"] and sids["leads"] == []
    [talk] = sids["conversations"]
    assert talk["as"] == "seller" and talk["with"] == "Bella"
    assert talk["offers"][0]["by"] == "me" and talk["my_messages"] == []

    await bella.tap("Accept", message_id=bid.message_id)
    await bella.wait_for_message("Hired!")
    await sid.wait_for_message("accepted your offer")
    [contract] = (await my_data(sandbox, sid))["contracts"]
    assert (contract["as"], contract["amount"]["text"], contract["days"]) == (
        "seller",
        "450 USD",
        7,
    )

    for person in (sid, bella):
        await person.send("/deleteaccount")
        refusal = await person.wait_for_message("You cannot delete your account")
        assert f"the contract on “{TITLE}” is under way" in refusal.text
        assert not refusal.inline_buttons
    assert (await accounts.get_user(bot.app.bot_data["services"].uow(), sid.id)) is not None


async def test_a_deleted_account_is_a_deleted_user_to_the_other_side_and_starts_afresh(
    sandbox: Sandbox, bot: RunningBot
) -> None:
    bella, sid, _ = await bid_on_a_lead(sandbox)
    uow = bot.app.bot_data["services"].uow
    before = await accounts.get_user(uow(), sid.id)
    assert before is not None

    await sid.send("/deleteaccount")
    question = await sid.wait_for_message("Delete your account?")
    kept = await sid.tap("No, keep it", message_id=question.message_id)
    assert kept.text == "Your account stays as it is."
    await sid.send("/deleteaccount")
    question = await sid.wait_for_message("Delete your account?", predicate=has_buttons)
    # Someone else's press of that button deletes nothing.
    await bella.send("/menu")
    menu = await bella.wait_for_message("What would you like to do?")
    forged = await bella.tap_data(menu.message_id, f"v1:ac:delete:{before.id}")
    assert forged.text == "This question was asked to someone else."
    await sid.tap("Yes, delete my account", message_id=question.message_id)
    done = await sid.wait_for_message("Your account is deleted")
    assert "1 open offer lapsed" in done.text
    await bella.wait_for_message("a deleted user withdrew the offer")

    # The row stays, erased, and gave its Telegram id up.
    async with uow() as work:
        erased = await work.users.get(before.id or 0)
    assert erased is not None and erased.deleted and erased.telegram_id < 0
    assert erased.name == "a deleted user" and erased.email is None and not erased.roles
    assert await accounts.get_user(uow(), sid.id) is None

    # Bella's copy of the conversation stays, naming a deleted user.
    await bella.send("/messages")
    listing = await bella.wait_for_message("Your conversations")
    assert f"{TITLE} — a deleted user" in listing.text
    await bella.tap("a deleted user", message_id=listing.message_id)
    card = await bella.wait_for_message("With a deleted user")
    await bella.tap("Transcript", message_id=card.message_id)
    export = await bella.wait_for_message(predicate=lambda m: m.media_kind == "document")
    transcript = sandbox.world.files[export.media["file_id"]].data.decode("utf-8")
    assert "Hello <Sid> & welcome" in transcript and "a deleted user (seller)" in transcript
    await bella.tap("Message", message_id=card.message_id)
    await bella.wait_for_message("You are writing to a deleted user")
    await bella.send("Are you there?")
    await bella.wait_for_message("This person deleted their account")
    await bella.send("/done")

    # /start is a new beginning: a new account, nothing of the old one.
    await sign_up(sandbox, sid, role="Seller", email="sid@example.org", skills="Go")
    after = await accounts.get_user(uow(), sid.id)
    assert after is not None and after.id != before.id and after.profile.skills == ["Go"]
    fresh = await my_data(sandbox, sid)
    assert fresh["conversations"] == [] and fresh["leads"] == []
    await sid.send("/messages")
    await sid.wait_for_message("No conversations yet")
