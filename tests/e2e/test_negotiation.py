"""A seller connects and bids, the buyer counters, the seller counters, the buyer accepts;
other bidders are told; the relayed chat works both ways and the transcript has it all."""

from __future__ import annotations

import asyncio

import pytest

from bot.runner import RunningBot
from sandbox import Message, Sandbox, SimUser
from tests.e2e.journeys import sign_up
from tests.e2e.test_leads import post_lead

pytestmark = pytest.mark.on_both_engines  # listed in the README


def button_data(message: Message, label: str) -> str:
    return next(b["callback_data"] for r in message.inline_buttons for b in r if label in b["text"])


async def offer(
    user: SimUser, amount: str, days: str, note: str | None = None, *, buyer: bool = False
) -> None:
    """Answers the offer form: a seller is asked what they propose, a buyer countering what
    they offer, each with a note for the other side."""
    await user.wait_for_message("How much do you offer" if buyer else "How much do you propose")
    await user.send(amount)
    await user.wait_for_message("In how many days")
    await user.send(days)
    await user.wait_for_message(
        "Add a note for the seller" if buyer else "Add a note for the buyer"
    )
    if note is None:
        await user.tap("Skip")
    else:
        await user.send(note)
    await user.wait_for_message("Send this offer?")
    await user.tap("Send offer")
    await user.wait_for_message("Your offer was sent")


async def test_bid_counter_counter_accept_chat_and_transcript(
    sandbox: Sandbox, bot: RunningBot
) -> None:
    buyer, sid, sam, eve = (sandbox.create_user(n) for n in ("Bella", "Sid", "Sam", "Eve"))
    await sign_up(sandbox, buyer, role="Buyer", email="bella@example.org")
    for seller in (sid, sam):
        await sign_up(
            sandbox,
            seller,
            role="Seller",
            email=f"{seller.first_name}@example.org",
            skills="Django",
        )
    await sign_up(sandbox, eve, role="Seller", email="eve@example.org", skills="Go")
    await post_lead(buyer, "Shop <rebuild> & more", "django")
    await buyer.send("1,000")
    await buyer.wait_for_message("Attach a brief")
    await buyer.tap("Skip")
    await buyer.wait_for_message("Preview")
    await buyer.tap("Publish")
    await buyer.wait_for_message("2 matching sellers will hear of it")

    alert = await sid.wait_for_message("New lead for your skills")
    await sid.tap("Connect", message_id=alert.message_id)
    await sid.wait_for_message("How much do you propose")
    await sid.send("abc")
    await sid.wait_for_message("Please send a positive amount")
    await sid.send("450")
    await sid.wait_for_message("In how many days")
    await sid.send("0")
    await sid.wait_for_message("from 1 to 365")
    await sid.send("7")
    await sid.wait_for_message("Add a note")
    await sid.tap("Skip")
    await sid.wait_for_message("Send this offer?")
    await sid.send("yes")
    again = await sid.wait_for_message("Please tap one of the buttons.")
    assert "Send this offer?" in again.text and "450 USD in 7 days" in again.text
    await sid.tap("Send offer")
    await sid.wait_for_message("Your offer was sent to Bella")

    bid = await buyer.wait_for_message("New bid")
    assert "450 USD" in bid.text and "7 days" in bid.text and "From: Sid" in bid.text
    assert "⭐ Django no stars yet · 0 completed leads" in bid.text
    await buyer.tap("Counter", message_id=bid.message_id)
    await offer(buyer, "400", "10", "Can you <do> it & faster?", buyer=True)

    counter = await sid.wait_for_message("Counter-offer")
    assert "400 USD" in counter.text and "Can you <do> it & faster?" in counter.text
    await sid.tap("Counter", message_id=counter.message_id)
    await offer(sid, "1,200", "8")

    second = await buyer.wait_for_message("From: Sid")
    assert "1,200 USD" in second.text and "above the budget of 1,000 USD" in second.text
    sam_alert = await sam.wait_for_message("New lead for your skills")
    await sam.tap("Connect", message_id=sam_alert.message_id)
    await offer(sam, "900", "12")
    sam_offer = await buyer.wait_for_message("From: Sam")
    answer = await buyer.tap("Accept", message_id=bid.message_id)  # the first, superseded bid
    assert answer.text == "A newer offer replaced this one."

    # Another user replays the Accept button: data can be forged, it changes nothing.
    await eve.send("/help")
    help_message = await eve.wait_for_message("/profile")
    accept_data = button_data(second, "Accept")
    for data in (accept_data, "v1:of:accept:999999", "v1:of:accept:abc", "v1:of:x"):
        forged = await eve.tap_data(help_message.message_id, data)
        assert forged.answered and forged.text in {
            "This offer is not yours to answer.",
            "That offer does not exist.",
            "That button is no longer active.",
        }
    answer = await sid.tap_data(counter.message_id, accept_data)  # the author cannot accept
    assert answer.text == "This is your own offer; the other side answers it."

    await buyer.tap("Accept", message_id=second.message_id)
    await buyer.wait_for_message("Hired!")
    accepted = await sid.wait_for_message("accepted your offer")
    assert "1,200 USD" in accepted.text and "due" in accepted.text
    await sam.wait_for_message("has been filled")
    answer = await buyer.tap("Accept", message_id=sam_offer.message_id)
    assert answer.text == "This offer lapsed: the lead is no longer open."
    # Sam's requested leads say the lead went to someone else, with no ✅ of success.
    await sam.send("/dashboard")
    board = await sam.wait_for_message("Dashboard")
    await sam.tap("Requested leads", message_id=board.message_id)
    listing = await sam.wait_for_message("Requested leads")
    [line] = [label for label in listing.button_texts() if "Shop" in label]
    assert line.endswith("went to another seller") and "✅" not in line
    await sam.tap(line, message_id=listing.message_id)
    card = await sam.wait_for_message("Status: in progress")
    assert "✅" not in card.text and card.button_texts() == ["🏠 Menu"]  # never a dead end

    # The relayed chat.
    await buyer.send("/messages")
    listing = await buyer.wait_for_message("Your conversations")
    await buyer.tap("Sid", message_id=listing.message_id)
    card = await buyer.wait_for_message("✅ Hired")
    await buyer.tap("Message", message_id=card.message_id)
    await buyer.wait_for_message("You are writing to Sid")
    await buyer.send("Hello <b>Sid</b> & welcome")
    hello = await sid.wait_for_message("Hello <b>Sid</b> & welcome")
    assert hello.text.startswith("💬 Bella · Shop <rebuild> & more")
    await sid.reply(hello.message_id, "Thanks! Call me at +1 555 123 4567")
    await sid.wait_for_message("contains contact details")
    await sid.wait_for_message("Sent.")
    flagged = await buyer.wait_for_message("Call me at +1 555 123 4567")
    assert "Keep the deal on Leadline" in flagged.text
    # Bella sees it as a reply to her own "Hello" message.
    hello_sent = next(
        m for m in buyer.chat if not m.from_bot and "Hello <b>Sid</b>" in (m.text or "")
    )
    assert flagged.reply_to_message_id == hello_sent.message_id
    await sid.reply(hello.message_id, "or mail sid@example.org")
    await buyer.wait_for_message("or mail sid@example.org")
    await asyncio.sleep(0.5)
    reminders = [m for m in sid.bot_messages if "Your message was delivered" in (m.text or "")]
    assert len(reminders) == 1  # reminded once per thread

    await buyer.send_document(b"brief v2", filename="brief-v2.pdf", caption="New brief")
    document = await sid.wait_for_message(predicate=lambda m: m.media_kind == "document")
    assert "New brief" in (document.caption or "")
    assert sandbox.world.files[document.media["file_id"]].data == b"brief v2"
    for send, kind in (
        (buyer.send_voice, "voice"),
        (buyer.send_video, "video"),
        (buyer.send_photo, "photo"),
        (buyer.send_audio, "audio"),
    ):
        await send(b"media " + kind.encode())
        relayed = await sid.wait_for_message(predicate=lambda m, k=kind: m.media_kind == k)
        assert relayed.caption is not None and relayed.caption.startswith("💬 Bella")
    # The longest text a user can send does not fit under the header: it comes in parts.
    longest = " ".join(f"<w{n}>" for n in range(820))[:4096]
    await buyer.send(longest)
    second = await sid.wait_for_message("(2/2)")
    first_part = next(m for m in sid.bot_messages if "(1/2)" in (m.text or ""))
    assert first_part.message_id < second.message_id
    bodies = [part.text.partition("\n\n")[2] for part in (first_part, second)]
    # Cut at a space, which Telegram trims from the end of the first part.
    assert " ".join(bodies) == longest
    first = next(m for m in buyer.chat if not m.from_bot and m.text == "Hello <b>Sid</b> & welcome")
    await buyer.edit(first.message_id, "Hello Sid, welcome aboard")
    await sid.wait_for_message(predicate=lambda m: "welcome aboard" in m.content and m.edited)
    await buyer.edit(first.message_id, "Hello Sid, welcome aboard")  # same text: nothing to do
    await buyer.send("/done")
    await buyer.wait_for_message("You left the conversation")
    await buyer.send("/done")
    await buyer.wait_for_message("You are not in a conversation right now")

    await sid.send("/messages")
    listing = await sid.wait_for_message("Your conversations")
    await sid.tap("Bella", message_id=listing.message_id)
    card = await sid.wait_for_message("With Bella")
    await sid.tap("Transcript", message_id=card.message_id)
    export = await sid.wait_for_message(predicate=lambda m: m.media_kind == "document")
    text = sandbox.world.files[export.media["file_id"]].data.decode("utf-8")
    for expected in (
        "Sid (seller) offered 450 USD in 7 days",
        "Bella (buyer) offered 400 USD",
        "note: Can you <do> it & faster?",
        "Offer 1 no longer open",
        "Offer 3 accepted by Bella (buyer)",
        "Hired: 1,200 USD, 8 days",
        "Hello <b>Sid</b> & welcome",
        "(edit 2 of message",
        "welcome aboard",
        "+1 555 123 4567 [flagged",
        "[document brief-v2.pdf, 8 bytes] New brief",
        "[photo, 11 bytes]",
        " UTC  ",
    ):
        assert expected in text, expected
    assert text.index("offered 450") < text.index("offered 400") < text.index("Hired:")
