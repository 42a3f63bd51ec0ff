"""Contact Us both ways: a buyer writes to the team, every admin gets it with Reply, the
admin's answer comes back as from Leadline support and the buyer answers again; files go
both ways; someone who never finished signing up can write too."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.runner import RunningBot, start_bot
from bot.settings import AdminSettings, Settings
from sandbox import Sandbox, SimUser
from tests.e2e.journeys import sign_up

pytestmark = pytest.mark.on_both_engines


@pytest.fixture
async def admins(sandbox: Sandbox) -> list[SimUser]:
    """Two admins who have talked to the bot (so that it may write to them)."""
    team = [sandbox.create_user("Ada"), sandbox.create_user("Abe")]
    return team


@pytest.fixture
async def staffed(
    sandbox: Sandbox, settings: Settings, admins: list[SimUser]
) -> AsyncIterator[RunningBot]:
    """The bot with those two admins configured."""
    ids = [admin.id for admin in admins]
    running = await start_bot(
        settings.model_copy(update={"admins": AdminSettings(telegram_ids=ids)})
    )
    try:
        for admin in admins:
            await admin.send("/help")
            await admin.wait_for_message("/contact")
        yield running
    finally:
        await running.stop()
    assert sandbox.api_errors == []
    assert sandbox.unanswered_callback_queries() == []


async def test_a_buyer_writes_the_admins_answer_and_the_buyer_answers_back(
    sandbox: Sandbox, staffed: RunningBot, admins: list[SimUser]
) -> None:
    ada, abe = admins
    bella = sandbox.create_user("Bella", username="bella")
    await sign_up(sandbox, bella, role="Buyer", email="bella@example.org")
    await bella.send("/menu")
    await bella.wait_for_message("What would you like to do?")
    await bella.tap("Contact us")
    await bella.wait_for_message("Write your message to the Leadline team")
    # A direction override would show the admins the text reversed: refused, step kept.
    await bella.send("Invoice attached \u202efdp.exe")
    await bella.wait_for_message("invisible control characters")
    await bella.send("How do fees work? <b>not bold</b> & more")
    await bella.wait_for_message("Sent to the Leadline team")

    for admin in (ada, abe):
        card = await admin.wait_for_message("Contact Us — from Bella")
        assert "@bella" in card.text and "buyer" in card.text
        assert "How do fees work? <b>not bold</b> & more" in card.text
    card = ada.bot_messages[-1]
    await ada.tap("Reply", message_id=card.message_id)
    await ada.wait_for_message("Write your answer to Bella")
    await ada.send("\u200b\u200b")  # an answer of nothing visible is refused
    await ada.wait_for_message("Please write a few words")
    await ada.send("The fee is 10% <3")
    await ada.wait_for_message("Your answer was sent to Bella")

    answer = await bella.wait_for_message("Leadline support")
    assert "The fee is 10% <3" in answer.text
    await bella.tap("Reply", message_id=answer.message_id)
    await bella.wait_for_message("Write your message to the Leadline team")
    await bella.send("Thanks!")
    await bella.wait_for_message("Sent to the Leadline team")
    again = await abe.wait_for_message("Thanks!")
    assert "Contact Us — from Bella" in again.text

    # The exchange is kept, and the console's list has it first.
    services = staffed.app.bot_data["services"]
    async with services.uow() as uow:
        [conversation] = await uow.contact.latest_conversations(10)
        exchange = await uow.contact.of_user(conversation.user.key)
    assert conversation.user.telegram_id == bella.id and conversation.waiting
    assert [m.text for m in exchange] == [
        "How do fees work? <b>not bold</b> & more",
        "The fee is 10% <3",
        "Thanks!",
    ]

    # The admin console counts the exchange as waiting and lists it with Reply.
    await ada.send("/admin")
    console = await ada.wait_for_message("Admin console")
    assert "Contact Us waiting for an answer: 1" in console.text
    assert "Open disputes: 0" in console.text
    await ada.tap("✉️ Contact Us", message_id=console.message_id)
    listing = await ada.wait_for_message("Contact Us, the latest exchanges")
    assert "⏳ Bella" in listing.text and "3 messages" in listing.text and "Thanks!" in listing.text
    await ada.tap("↩️ Reply to Bella", message_id=listing.message_id)
    await ada.wait_for_message("Write your answer to Bella")
    await ada.send("You are welcome")
    await ada.wait_for_message("Your answer was sent to Bella")
    await bella.wait_for_message("You are welcome")
    await ada.send("/admin")
    console = await ada.wait_for_message("Contact Us waiting for an answer: 0")


async def test_files_go_both_ways_and_a_forged_reply_is_refused(
    sandbox: Sandbox, staffed: RunningBot, admins: list[SimUser]
) -> None:
    ada, _ = admins
    sid = sandbox.create_user("Sid")
    await sign_up(sandbox, sid, role="Seller", email="sid@example.org", skills="Django")
    await sid.send("/contact")
    await sid.wait_for_message("Write your message")
    await sid.send_photo(b"\xff\xd8screenshot", caption="The card looks broken")
    await sid.wait_for_message("Sent to the Leadline team")
    card = await ada.wait_for_message("The card looks broken")
    assert "1 file below" in card.text
    photo = await ada.wait_for_message("From Sid (Contact Us)")
    assert photo.media_kind == "photo"

    # Someone else forging the admin's Reply button gets one sentence, no prompt.
    reply_data = next(
        b["callback_data"] for row in card.inline_buttons for b in row if "Reply" in b["text"]
    )
    sent = await sid.send("/help")
    tap = await sid.tap_data(sent.message_id, reply_data)
    assert tap.text == "That Contact Us message does not exist."

    await ada.tap("Reply", message_id=card.message_id)
    await ada.wait_for_message("Write your answer to Sid")
    await ada.send_document(b"%PDF-1.4 guide", "guide.pdf", caption="See page 2")
    await ada.wait_for_message("Your answer was sent to Sid")
    answer = await sid.wait_for_message("See page 2")
    assert "Leadline support" in answer.text
    document = await sid.wait_for_message("From Leadline support")
    assert document.media_kind == "document"


async def test_someone_still_signing_up_writes_and_gets_the_answer(
    sandbox: Sandbox, staffed: RunningBot, admins: list[SimUser]
) -> None:
    ada, _ = admins
    nia = sandbox.create_user("Nia")
    await nia.send("/start")
    await nia.wait_for_message("Do you accept these terms?")
    await nia.send("/contact")
    await nia.wait_for_message("Write your message")
    await nia.send("x" * 3501)
    await nia.wait_for_message("That is too long")
    await nia.send("/cancel")
    await nia.wait_for_message("Cancelled; nothing was sent.")
    await nia.send("/contact")
    await nia.wait_for_message("Write your message")
    await nia.send("Can I sign up as a company?")
    await nia.wait_for_message("Sent to the Leadline team")
    card = await ada.wait_for_message("Contact Us — from Nia")
    assert "has not finished signing up" in card.text
    await ada.tap("Reply", message_id=card.message_id)
    await ada.wait_for_message("Write your answer to Nia")
    await ada.send("Yes: choose Organization.")
    await nia.wait_for_message("Yes: choose Organization.")
    # Signup goes on where it was.
    await nia.tap("Accept")
    await nia.wait_for_message("How will you use Leadline")

    # Someone who never sent /start at all may write too.
    ned = sandbox.create_user("Ned")
    await ned.send("/contact")
    await ned.wait_for_message("Write your message")
    await ned.send("Hello?")
    await ned.wait_for_message("Sent to the Leadline team")
    await ada.wait_for_message("Contact Us — from Ned")
