"""Every parser of what people type, fed hostile Unicode: it either returns a clean value
or refuses with one sentence — never another exception, never a control character kept."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from bot.settings import Settings
from domain import disputes, validation
from domain.billing import validate_payment_note
from domain.contracts import new_due_date, validate_change_note
from domain.credentials import (
    parse_education,
    parse_skill_years,
    validate_document_title,
    validate_link,
)
from domain.errors import InvalidInput
from domain.leads import (
    MAX_DESCRIPTION,
    MAX_TITLE,
    MIN_DESCRIPTION,
    MIN_TITLE,
    LeadMinimums,
    parse_lead_skills,
    validate_description,
    validate_title,
)
from domain.money import MAX_MAJOR_UNITS, Money, parse_money
from domain.negotiation import MAX_DAYS, MIN_DAYS, Contract, validate_days, validate_note
from domain.reviews import validate_comment
from domain.search import MAX_QUERY, SearchQuery, check_length
from domain.skills import MAX_SKILL_LENGTH, parse_skill_list
from domain.validation import (
    forbidden,
    shown_length,
    validate_display_name,
    validate_email,
    validate_headline,
    validate_location,
    validate_organization_name,
    validate_timezone,
)
from tests.hostile import (
    BIDI_CONTROLS,
    CONTROLS,
    RIGHT_TO_LEFT_OVERRIDE,
    ZERO_WIDTH,
    hostile_text,
)

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
CONTRACT = Contract(
    lead_id=10,
    thread_id=5,
    offer_id=7,
    buyer_id=1,
    seller_id=2,
    amount=Money(45_000, "USD"),
    days=7,
    started_at=NOW - timedelta(days=3),
    due_at=NOW + timedelta(days=4),
)

# Texts that are stored and shown to others, with their limits.
ONE_LINE: dict[str, tuple[Callable[[str], str], int]] = {
    "display name": (validate_display_name, 64),
    "headline": (validate_headline, 120),
    "organization name": (validate_organization_name, 120),
    "location": (validate_location, 100),
    "title": (validate_title, MAX_TITLE),
    "document title": (validate_document_title, 80),
    "payment note": (validate_payment_note, 200),
}
PARAGRAPHS: dict[str, tuple[Callable[[str], str], int]] = {
    "description": (validate_description, MAX_DESCRIPTION),
    "offer note": (validate_note, 1000),
    "review comment": (validate_comment, 1000),
    "change note": (validate_change_note, 1000),
    "dispute reason": (disputes.validate_reason, disputes.MAX_REASON),
    "dispute note": (disputes.validate_note, disputes.MAX_NOTE),
    "support message": (disputes.validate_support_message, disputes.MAX_SUPPORT_MESSAGE),
}
TEXTS = {**ONE_LINE, **PARAGRAPHS}

# Every parser of typed text; each must answer a value or InvalidInput.
PARSERS: dict[str, Callable[[str], object]] = {
    **{name: check for name, (check, _) in TEXTS.items()},
    "email": validate_email,
    "skills": parse_skill_list,
    "lead skills": parse_lead_skills,
    "amount": lambda text: parse_money(text, "USD"),
    "amount in yen": lambda text: parse_money(text, "JPY"),
    "days": validate_days,
    "new due date": lambda text: new_due_date(text, CONTRACT, NOW, "Europe/Lisbon"),
    "education": parse_education,
    "portfolio link": validate_link,
    "years per skill": lambda text: parse_skill_years(text, ["Python", "Go"]),
    "search": check_length,
}


def one_sentence(refusal: InvalidInput) -> None:
    """A refusal fits in a chat message before the question it repeats."""
    sentence = refusal.sentence
    assert sentence and sentence[-1] in ".?!", sentence
    assert len(sentence) <= 300, sentence
    assert "\n" not in sentence and not any(forbidden(c) for c in sentence), sentence


def clean(value: str, limit: int, *, multiline: bool) -> None:
    """What is stored: no control character, nothing blank, nothing over the limit."""
    assert not any(forbidden(char) for char in value)
    assert not validation.is_blank(value)
    assert validation.trimmed(value) == value
    assert len(value) <= limit
    if not multiline:
        assert "\n" not in value and "\t" not in value


@pytest.mark.parametrize("name", PARSERS)
@settings(max_examples=60, deadline=None)
@given(text=hostile_text())
def test_every_parser_returns_a_value_or_one_sentence(name: str, text: str) -> None:
    try:
        PARSERS[name](text)
    except InvalidInput as refusal:
        one_sentence(refusal)


@pytest.mark.parametrize("name", TEXTS)
@settings(max_examples=80, deadline=None)
@given(text=hostile_text())
def test_stored_texts_are_clean_and_stay_as_they_were_accepted(name: str, text: str) -> None:
    check, limit = TEXTS[name]
    try:
        value = check(text)
    except InvalidInput:
        return
    clean(value, limit, multiline=name in PARAGRAPHS)
    assert check(value) == value  # showing it back and saving it again changes nothing


@pytest.mark.parametrize("name", TEXTS)
@pytest.mark.parametrize("control", [*BIDI_CONTROLS, *CONTROLS])
def test_controls_and_direction_overrides_are_refused(name: str, control: str) -> None:
    check, _ = TEXTS[name]
    with pytest.raises(InvalidInput, match="invisible control characters") as refused:
        check(f"{control}Logo for a coffee shop, with the source files in SVG")
    one_sentence(refused.value)


@pytest.mark.parametrize("name", TEXTS)
@given(invisible=st.lists(st.sampled_from([*ZERO_WIDTH, " ", "\u3164", "\u2800"]), min_size=1))
def test_text_of_invisible_characters_only_is_empty(name: str, invisible: list[str]) -> None:
    check, _ = TEXTS[name]
    with pytest.raises(InvalidInput):
        check("".join(invisible))


def test_the_attack_run_findings_are_refused() -> None:
    with pytest.raises(InvalidInput, match="control characters"):
        validate_display_name(RIGHT_TO_LEFT_OVERRIDE + "evil.exe")
    with pytest.raises(InvalidInput, match="control characters"):
        parse_skill_list("Python, " + RIGHT_TO_LEFT_OVERRIDE + "evil.exe")
    for text in ("\x00Ann", "Ann\x1b[31m", "Ann\x7f"):
        with pytest.raises(InvalidInput, match="control characters"):
            validate_display_name(text)
    with pytest.raises(InvalidInput, match="cannot be empty"):
        validate_title("\u200b\u200c\u200d\u2060\ufeff")
    with pytest.raises(InvalidInput, match="at least one skill"):
        parse_skill_list("\u200b, \u200d")


def test_invisible_characters_are_trimmed_at_the_ends_and_kept_inside() -> None:
    assert validate_display_name("\u200b Ann \u200d") == "Ann"
    assert validate_display_name("👩‍💻 Ann") == "👩‍💻 Ann"  # the joiner builds the emoji
    assert validate_display_name("Ann ❤️") == "Ann ❤️"  # the variation selector stays
    # so do a flag's tags (a name of a flag alone was fine until names needed a letter)
    assert validate_display_name("Ann 🏴󠁧󠁢󠁥󠁮󠁧󠁿") == "Ann 🏴󠁧󠁢󠁥󠁮󠁧󠁿"
    assert validate_display_name("\u200fשלום") == "שלום"
    assert validate_headline("می\u200cخواهم") == "می\u200cخواهم"  # a Persian non-joiner


def test_markup_look_alikes_are_kept_as_typed() -> None:
    for text in ("<b>Ann</b>", "*Ann*", "[Ann](http://x.y)", "Ann & <3", "||Ann||"):
        assert validate_display_name(text) == text


def test_a_lead_needs_a_few_words_and_the_refusal_shows_an_example() -> None:
    with pytest.raises(InvalidInput) as short:
        validate_title("🍰")
    assert short.value.sentence == (
        f"The title needs at least {MIN_TITLE} characters, for example "
        "“Logo for a coffee shop”; yours has 1."
    )
    with pytest.raises(InvalidInput, match=f"at least {MIN_DESCRIPTION} characters, for example"):
        validate_description("Cakes")
    # Zero-width characters do not count towards the minimum.
    with pytest.raises(InvalidInput, match="yours has 1"):
        validate_title("a" + "\u200b" * 20)
    assert validate_title("Logo for a coffee shop") == "Logo for a coffee shop"
    # marketplace.min_title_length = 1: one letter will do, though not one emoji (until the
    # play-test "🍰" was a title then; a title is written in letters now).
    assert validate_title("Q", minimum=1) == "Q"
    with pytest.raises(InvalidInput, match="needs a letter, not only emoji"):
        validate_title("🍰", minimum=1)
    assert validate_description("Cakes", minimum=5) == "Cakes"


def test_a_lead_is_written_in_words_not_emoji() -> None:
    with pytest.raises(InvalidInput) as emoji:
        validate_title("🔥🔥🔥🔥🔥🔥🔥🔥🔥🔥🔥")
    assert emoji.value.sentence == (
        "The title needs at least 3 letters or digits, not only emoji or symbols, for example "
        "“Logo for a coffee shop”."
    )
    with pytest.raises(InvalidInput, match="at least 3 letters or digits"):
        validate_title("🔥🔥🔥🔥 ok 🔥🔥🔥🔥")
    assert validate_title("🔥 Logo for my café 🔥") == "🔥 Logo for my café 🔥"
    assert validate_title("为我的咖啡店设计一个圆形标志") == "为我的咖啡店设计一个圆形标志"
    with pytest.raises(InvalidInput) as one_word:
        validate_description("T" * 44)
    assert one_word.value.sentence.startswith(
        "The description needs at least 3 words saying what is wanted, for example"
    )
    for bad in (
        "🔥 " * 20,
        "TTTTTTTTTTTTTTT TTTTTTTTTTTTTTT",
        "12345 67890 12345 67890 12345 67890",
    ):
        with pytest.raises(InvalidInput, match="at least 3 words"):
            validate_description(bad)
    fine = "🔥 A round logo for my coffee shop 🔥"
    assert validate_description(fine) == fine
    chinese = "我需要为我的咖啡店设计一个圆形标志，两种颜色，附带源文件和几个版本，谢谢"
    assert validate_description(chinese) == chinese


@given(st.text(max_size=20), st.integers(min_value=1, max_value=10))
def test_the_minimum_counts_what_a_reader_sees(text: str, minimum: int) -> None:
    try:
        title = validate_title(text, minimum)
    except InvalidInput:
        return
    assert shown_length(title) >= minimum
    assert sum(char.isalnum() for char in title) >= min(3, minimum)


@pytest.mark.parametrize("typed", ["²", "5²", "٣", "１", "3\u0663", "⁵", "Ⅻ", "7\u200b"])
def test_digits_that_are_not_ascii_are_no_number(typed: str) -> None:
    with pytest.raises(InvalidInput, match="whole number of days"):
        validate_days(typed)
    with pytest.raises(InvalidInput):
        parse_money(typed, "USD")
    with pytest.raises(InvalidInput):
        parse_skill_years(f"Python {typed}", ["Python"])
    with pytest.raises(InvalidInput):
        new_due_date(f"+{typed}", CONTRACT, NOW, "UTC")


@given(st.integers(min_value=MIN_DAYS, max_value=MAX_DAYS))
def test_every_allowed_number_of_days_is_read(days: int) -> None:
    assert validate_days(str(days)) == days
    assert validate_days(f"{days} days") == days


@pytest.mark.parametrize("digits", [9, 27, 28, 29, 400, 5000])
def test_amounts_of_many_digits_are_refused_with_a_sentence(digits: int) -> None:
    for typed in ("9" * digits, "9" * digits + ".5", "1." + "0" * digits + "1"):
        with pytest.raises(InvalidInput) as refused:
            parse_money(typed, "USD")
        one_sentence(refused.value)


@given(st.integers(min_value=1, max_value=MAX_MAJOR_UNITS * 100))
def test_every_amount_shown_is_read_back(minor: int) -> None:
    money = Money(minor, "USD")
    assert parse_money(money.format(), "USD") == money


@given(hostile_text())
def test_any_amount_read_is_positive_and_bounded(text: str) -> None:
    try:
        money = parse_money(text, "USD")
    except InvalidInput:
        return
    assert 0 < money.minor <= MAX_MAJOR_UNITS * 100


@given(hostile_text())
def test_skills_read_from_anything_are_short_and_clean(text: str) -> None:
    try:
        skills = parse_skill_list(text)
    except InvalidInput as refusal:
        one_sentence(refusal)
        return
    for skill in skills:
        assert 0 < len(skill.display) <= MAX_SKILL_LENGTH
        assert not validation.is_blank(skill.display)
        assert not any(forbidden(char) for char in skill.display)


@settings(deadline=None)
@given(hostile_text())
def test_any_search_is_parsed_and_only_long_ones_refused(text: str) -> None:
    SearchQuery.parse(text)
    if len(text) <= MAX_QUERY:
        check_length(text)
    else:
        with pytest.raises(InvalidInput, match=f"at most {MAX_QUERY} characters") as refused:
            check_length(text)
        one_sentence(refused.value)


@settings(max_examples=30, deadline=None)
@given(hostile_text())
def test_time_zones_are_names_or_refused(text: str) -> None:
    try:
        zone = validate_timezone(text)
    except InvalidInput as refusal:
        one_sentence(refusal)
        return
    assert not any(forbidden(char) for char in zone)


def test_the_lead_minimums_are_configurable() -> None:
    configured = Settings.model_validate(
        {"telegram": {"token": "1:x"}, "marketplace": {"min_title_length": 3}}
    )
    assert configured.marketplace.lead_minimums() == LeadMinimums(3, MIN_DESCRIPTION)
    with pytest.raises(ValidationError):
        Settings.model_validate({"marketplace": {"min_description_length": 0}})
