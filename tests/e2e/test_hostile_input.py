"""Hostile input through the real bot: random Unicode in every kind of free-text step is
either stored and shown back exactly, or refused with one sentence and the same question —
never the error handler's message, never a Bot API error, never an error in the log.

The domain's own checks (tests/unit/test_hostile_input.py) are the oracle: whatever they
accept must come back from the bot unchanged, whatever they refuse must be refused with
their sentence. Few examples per test keep the suite fast; the unit tests try many more.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.runner import RunningBot
from domain import lead_cases
from domain.errors import InvalidInput
from domain.leads import validate_description, validate_title
from domain.validation import check_message, validate_display_name, validate_headline
from handlers.core import texts as common_texts
from handlers.core.context import Services
from sandbox import Message, Sandbox, SimUser
from tests.acting import act
from tests.e2e.journeys import sign_up
from tests.e2e.test_leads import post_lead
from tests.e2e.test_negotiation import offer
from tests.hostile import RIGHT_TO_LEFT_OVERRIDE, typed_text

# The bot and the sandbox are started once per test, not once per example: each example
# goes on in the same chat, which is what a person typing one message after another does.
E2E = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
LONG_SEARCH = "a" * 4089  # with "/leads " or "/providers ": a whole message


def refusal_of(check: Callable[[str], object], text: str) -> str | None:
    """The sentence the domain refuses ``text`` with, or None if it accepts it."""
    try:
        check(text)
    except InvalidInput as refused:
        return refused.sentence
    return None


def nothing_broke(sandbox: Sandbox, caplog: pytest.LogCaptureFixture, *users: SimUser) -> None:
    """No error handler's message, no Bot API error, no error logged."""
    for user in users:
        assert not [m for m in user.bot_messages if common_texts.ERROR in (m.content or "")]
    assert sandbox.api_errors == []
    assert sandbox.unanswered_callback_queries() == []
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []


@pytest.fixture
def errors_logged(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    caplog.set_level(logging.WARNING)
    yield caplog


async def refused_again(user: SimUser, sentence: str, question: str) -> Message:
    """The refusal: its sentence first, then the same question."""
    again = await user.wait_for_message(predicate=lambda m: (m.text or "").startswith(sentence))
    assert question in again.text
    return again


async def test_what_the_attack_run_found_gets_one_sentence(
    sandbox: Sandbox, bot: RunningBot, errors_logged: pytest.LogCaptureFixture
) -> None:
    buyer, seller = sandbox.create_user("Bella"), sandbox.create_user("Sid")
    await sign_up(sandbox, buyer, role="Buyer", email="bella@example.org")
    await sign_up(sandbox, seller, role="Seller", email="sid@example.org", skills="Django")

    # A search of a whole message's length: one sentence, not a reply over Telegram's limit.
    await seller.send("/leads " + LONG_SEARCH)
    await seller.wait_for_message("A search can be at most 200 characters (yours has 4,089)")
    await seller.send("/providers " + LONG_SEARCH)
    await seller.wait_for_message("A search can be at most 200 characters (yours has 4,089)")

    # A right-to-left override, a NUL, an escape: never a name or a skill.
    await seller.send("/profile")
    await seller.wait_for_message("Member since")
    await seller.tap("Name")
    await seller.wait_for_message("What name should others see?")
    for name in (RIGHT_TO_LEFT_OVERRIDE + "evil.exe", "Sid\x00", "\x1b[31mSid", "Sid\x7f"):
        await seller.send(name)
        await refused_again(
            seller, "The display name contains invisible control characters", "What name"
        )
    await seller.send("\u200b\u200c\u200d\ufeff")
    await refused_again(seller, "The display name cannot be empty", "What name")
    await seller.send("/cancel")
    await seller.wait_for_message("Cancelled.")
    await seller.send("/profile")
    card = await seller.wait_for_message("Member since")
    assert card.text.startswith("👤 Sid\n") and RIGHT_TO_LEFT_OVERRIDE not in card.text
    await seller.tap("Skills", message_id=card.message_id)
    await seller.wait_for_message("Which skills")
    await seller.send("Django, " + RIGHT_TO_LEFT_OVERRIDE + "evil.exe")
    await refused_again(seller, "A skill cannot contain invisible control characters", "skills")
    await seller.send("/cancel")
    await seller.wait_for_message("Cancelled.")

    # A title of one cake, or of zero-width characters only; a description of one word.
    await buyer.send("/newlead")
    await buyer.wait_for_message("What is the title of your lead?")
    await buyer.send("🍰")
    again = await refused_again(
        buyer, "The title needs at least 10 characters, for example “Logo for a coffee shop”", ""
    )
    assert "What is the title of your lead?" in again.text
    await buyer.send("\u200b\u200b\u200b\u200b\u200b\u200b\u200b\u200b\u200b\u200b")
    await refused_again(buyer, "The title cannot be empty", "What is the title of your lead?")
    await buyer.send("Booking site for a bakery")
    await buyer.wait_for_message("Describe the work")
    await buyer.send("Cakes")
    await refused_again(buyer, "The description needs at least 30 characters", "Describe the work")
    await buyer.send("A booking site for my bakery, with payments by card.")
    await buyer.wait_for_message("Which category fits")
    await buyer.tap("Software Development")
    await buyer.wait_for_message("Which skills should the seller have?")
    await buyer.send("django, " + RIGHT_TO_LEFT_OVERRIDE + "nohtyp")
    await refused_again(buyer, "A skill cannot contain invisible control characters", "skills")
    await buyer.send("django")

    # An amount of 27 digits and days written as "²": a sentence, the same question.
    await buyer.wait_for_message("What is your budget in USD?")
    await buyer.send("9" * 27)
    await refused_again(buyer, "That is more than 10,000,000 USD", "What is your budget in USD?")
    await buyer.send("1,000")
    await buyer.wait_for_message("Attach a brief")
    await buyer.tap("Skip")
    await buyer.wait_for_message("Preview")
    await buyer.tap("Publish")
    alert = await seller.wait_for_message("New lead for your skills")
    await seller.tap("Connect", message_id=alert.message_id)
    await seller.wait_for_message("How much do you propose")
    await seller.send("9" * 27)
    await refused_again(seller, "That is more than 10,000,000 USD", "How much do you propose")
    await seller.send("²")
    await refused_again(seller, "Please send a positive amount", "How much do you propose")
    await seller.send("450")
    await seller.wait_for_message("In how many days")
    for days in ("²", "٣", "7²"):
        await seller.send(days)
        await refused_again(seller, "Please send a whole number of days", "In how many days")
    await seller.send("7")
    await seller.wait_for_message("Add a note for the buyer")
    await seller.send("Done in a week " + RIGHT_TO_LEFT_OVERRIDE + "evil.exe")
    await refused_again(seller, "The note contains invisible control characters", "Add a note")
    await seller.tap("Skip")
    await seller.wait_for_message("Send this offer?")
    await seller.tap("Send offer")
    await seller.wait_for_message("Your offer was sent")
    nothing_broke(sandbox, errors_logged, buyer, seller)


async def test_someone_without_an_account_gets_a_sentence_for_edits_replies_and_old_buttons(
    sandbox: Sandbox, bot: RunningBot, errors_logged: pytest.LogCaptureFixture
) -> None:
    stranger = sandbox.create_user("Stranger")
    sent = await stranger.send("/help")
    help_text = await stranger.wait_for_message("Leadline")
    await stranger.edit(sent.message_id, "/help me")  # an edit is no request: no answer
    await stranger.reply(help_text.message_id, "What is this?")
    await stranger.wait_for_message(predicate=lambda m: m.message_id > help_text.message_id)
    pickers = [
        "v1:su:cat:0",
        "v1:su:catdone",
        "v1:pf:cat:0",
        "v1:pf:catdone",
        "v1:ld:fcat",
        "v1:ld:cat:0",
        "v1:ld:fskill",
        "v1:ld:skill:0",
        "v1:nl:cat:0",
        "v1:pv:cat:0",
    ]
    for data in pickers:
        answer = await stranger.tap_data(help_text.message_id, data)
        assert answer.answered and answer.text, data

    # Halfway through signup (an account, not yet signed up), old pickers say so too.
    await stranger.send("/start")
    await stranger.wait_for_message("Do you accept these terms?")
    for data in ("v1:ld:fcat", "v1:ld:fskill", "v1:pv:cat:0"):
        answer = await stranger.tap_data(help_text.message_id, data)
        assert answer.answered and answer.text, data
    edited = await stranger.send("Hello")
    await stranger.edit(edited.message_id, "Hello again")
    nothing_broke(sandbox, errors_logged, stranger)
    assert not [m for m in stranger.bot_messages if "Which category" in (m.text or "")]


PROFILE_FIELDS = {
    "Name": (validate_display_name, "What name should others see?"),
    "Headline": (validate_headline, "headline"),
}


@pytest.fixture
async def olga(sandbox: Sandbox, bot: RunningBot) -> SimUser:
    """A signed-up buyer, to edit her profile."""
    olga = sandbox.create_user("Olga")
    await sign_up(sandbox, olga, role="Buyer", email="olga@example.org")
    return olga


@E2E
@given(field=st.sampled_from(sorted(PROFILE_FIELDS)), text=typed_text())
async def test_names_and_headlines_come_back_exactly_or_are_refused(
    sandbox: Sandbox, errors_logged: pytest.LogCaptureFixture, olga: SimUser, field: str, text: str
) -> None:
    check, question = PROFILE_FIELDS[field]
    await olga.send("/profile")
    card = await olga.wait_for_message("Member since")
    await olga.tap(field, message_id=card.message_id)
    await olga.wait_for_message(question)
    await olga.send(text)
    refusal = refusal_of(check, text)
    if refusal is not None:
        await refused_again(olga, refusal, question)
        await olga.send("/cancel")
        await olga.wait_for_message("Cancelled.")
    else:
        await olga.wait_for_message("Saved.")
        card = await olga.wait_for_message("Member since")
        lines = card.text.split("\n")
        shown = lines[0].removeprefix("👤 ") if field == "Name" else lines[1]
        assert shown == check(text)
    nothing_broke(sandbox, errors_logged, olga)


@pytest.fixture
async def bella(sandbox: Sandbox, bot: RunningBot) -> SimUser:
    """A signed-up buyer at the first question of a new lead."""
    bella = sandbox.create_user("Bella")
    await sign_up(sandbox, bella, role="Buyer", email="bella@example.org")
    await bella.send("/newlead")
    await bella.wait_for_message("What is the title of your lead?")
    return bella


@E2E
@given(title=typed_text(), description=typed_text(max_size=30))
async def test_lead_titles_and_descriptions_are_stored_as_accepted_or_refused(
    sandbox: Sandbox,
    bot: RunningBot,
    errors_logged: pytest.LogCaptureFixture,
    bella: SimUser,
    title: str,
    description: str,
) -> None:
    services: Services = bot.app.bot_data["services"]
    await bella.send(title)
    refusal = refusal_of(validate_title, title)
    if refusal is not None:
        await refused_again(bella, refusal, "What is the title of your lead?")
        nothing_broke(sandbox, errors_logged, bella)
        return
    await bella.wait_for_message("Describe the work")
    await bella.send(description)
    refusal = refusal_of(validate_description, description)
    if refusal is not None:
        await refused_again(bella, refusal, "Describe the work")
    else:
        await bella.wait_for_message("Which category fits")
    draft = await act(services.uow(), bella.id, lead_cases.unfinished_draft, None, services.clock())
    assert draft is not None and draft.title == validate_title(title)
    if refusal is None:
        assert draft.description == validate_description(description)
    # Back to the first question for the next example.
    await bella.send("/cancel")
    await bella.wait_for_message("Your draft is kept")
    await bella.send("/newlead")
    await bella.wait_for_message("You have an unfinished lead")
    await bella.tap("Start over")
    await bella.wait_for_message("What is the title of your lead?")
    nothing_broke(sandbox, errors_logged, bella)


@pytest.fixture
async def in_thread(sandbox: Sandbox, bot: RunningBot) -> tuple[SimUser, SimUser]:
    """A buyer writing to the seller who bid on her lead, and that seller."""
    buyer, seller = sandbox.create_user("Bella"), sandbox.create_user("Sid")
    await sign_up(sandbox, buyer, role="Buyer", email="bella@example.org")
    await sign_up(sandbox, seller, role="Seller", email="sid@example.org", skills="Django")
    await post_lead(buyer, "Django shop for a bakery", "django")
    await buyer.send("1,000")
    await buyer.wait_for_message("Attach a brief")
    await buyer.tap("Skip")
    await buyer.wait_for_message("Preview")
    await buyer.tap("Publish")
    alert = await seller.wait_for_message("New lead for your skills")
    await seller.tap("Connect", message_id=alert.message_id)
    await offer(seller, "450", "7")
    bid = await buyer.wait_for_message("New bid")
    await buyer.tap("Message", message_id=bid.message_id)
    await buyer.wait_for_message("You are writing to Sid")
    return buyer, seller


@pytest.mark.on_both_engines
@E2E
@given(text=typed_text())
async def test_relayed_messages_arrive_exactly_or_are_refused(
    sandbox: Sandbox,
    errors_logged: pytest.LogCaptureFixture,
    in_thread: tuple[SimUser, SimUser],
    text: str,
) -> None:
    buyer, seller = in_thread
    await buyer.send(text)
    try:
        check_message(text)
    except InvalidInput as refused:
        await buyer.wait_for_message(refused.sentence)
    else:
        relayed = await seller.wait_for_message("💬 Bella · Django shop for a bakery")
        body = relayed.text.split("\n\n", 1)[1]
        # Telegram trims the ends of a whole message: the end of the text, if it ends it.
        assert body == text.rstrip(" \t\r\n") or body.startswith(text + "\n\n⚠️")
    nothing_broke(sandbox, errors_logged, buyer, seller)


@pytest.mark.on_both_engines
async def test_a_message_or_search_of_only_invisible_characters_is_no_message(
    sandbox: Sandbox, errors_logged: pytest.LogCaptureFixture, in_thread: tuple[SimUser, SimUser]
) -> None:
    buyer, seller = in_thread
    await buyer.send("\u200b\u200c")
    await buyer.wait_for_message("The message cannot be empty")
    await buyer.send("Still there?")
    relayed = await seller.wait_for_message("💬 Bella · Django shop for a bakery")
    assert relayed.text.endswith("Still there?")  # the blank one never reached Sid
    await buyer.send("/done")
    await buyer.wait_for_message("You left the conversation")

    # A search of invisible words is a search of no words: the category picker.
    await buyer.send("/providers \u200b\u200b")
    await buyer.wait_for_message("Which skills are you looking for?")
    nothing_broke(sandbox, errors_logged, buyer, seller)
