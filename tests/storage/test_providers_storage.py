"""Finding sellers, their public card and inviting them, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from domain import dashboard, lead_cases, sellers
from domain.dashboard import LeadList, ListLeads
from domain.errors import NotAllowed, NotFound
from domain.events import Event, SellerInvited
from domain.lead_cases import AskField, LeadField, StartDraft, WriteField
from domain.model import Role
from domain.reviews import Reputation
from domain.sellers import FindInCategory, FindSellers, Invite, Search, ViewSeller
from handlers.core.notify import Telling
from handlers.providers import notices
from storage.uow import SqlUnitOfWork
from tests.acting import act
from tests.storage.test_leads_storage import person, posted, publish

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


async def test_a_buyer_finds_sellers_best_match_first(uow: SqlUnitOfWork) -> None:
    await person(uow, 1, {Role.BUYER, Role.SELLER}, "Django")
    both = await person(uow, 2, {Role.SELLER}, "Python, Django")
    one = await person(uow, 3, {Role.SELLER}, "django", ("Software Development",))
    await person(uow, 4, {Role.SELLER}, "Figma")

    found = await act(uow, 1, sellers.find, FindSellers(Search(("python", "django"))), NOW)
    assert [user.id for user in found.page.items] == [both.id, one.id]  # the viewer left out
    assert found.page.total == 2 and found.search.skills == ("python", "django")

    in_category = await act(uow, 1, sellers.find_in_category, FindInCategory(0), NOW)
    assert in_category is not None and in_category.search.category is not None
    assert await act(uow, 1, sellers.find_in_category, FindInCategory(999), NOW) is None


async def test_only_signed_up_sellers_have_a_public_card(uow: SqlUnitOfWork) -> None:
    await person(uow, 1, {Role.BUYER})
    seller = await person(uow, 2, {Role.SELLER}, "Django")
    card = await act(uow, 1, sellers.public_profile, ViewSeller(seller.id or 0), NOW)
    assert card.user.id == seller.id and card.reputation == Reputation()
    with pytest.raises(NotFound, match="That seller does not exist"):
        await act(uow, 2, sellers.public_profile, ViewSeller(1), NOW)


async def test_an_invitation_opens_the_conversation_and_is_told_once(
    uow: SqlUnitOfWork,
) -> None:
    await person(uow, 1, {Role.BUYER})
    seller = await person(uow, 2, {Role.SELLER}, "Django")
    await person(uow, 3, {Role.BUYER})
    draft = await posted(uow, 1, "Online shop <3", "Django", "Software Development")
    assert draft.id is not None
    invite = Invite(seller.id or 0, draft.id)
    with pytest.raises(NotAllowed, match="open lead"):
        await act(uow, 1, sellers.invite, invite, NOW)
    await publish(uow, 1, draft.id)
    assert [lead.id for lead in await act(uow, 1, sellers.leads_to_invite_to, None, NOW)] == [
        draft.id
    ]
    with pytest.raises(NotFound, match="not yours"):
        await act(uow, 3, sellers.invite, invite, NOW)

    events: list[Event] = []
    assert await act(uow, 1, sellers.invite, invite, NOW, events) is True
    assert await act(uow, 1, sellers.invite, invite, NOW, events) is False
    [invited] = events
    assert isinstance(invited, SellerInvited) and invited.thread.seller_id == seller.id

    [message] = notices.invited(invited, Telling(NOW, "leadline_bot"))
    assert message.recipient == "2" and message.dedupe_key == f"invite:{draft.id}:{seller.id}"
    assert message.payload["send"] == "text" and "method" not in message.payload
    invitation = str(message.payload["text"])
    assert "<b>U1</b> invited you to a lead: <b>Online shop &lt;3</b>" in invitation
    assert "⭐ U1 as a buyer: not rated yet" in str(message.payload["text"])

    requested = await act(uow, 2, dashboard.lead_list, ListLeads(LeadList.REQUESTED, 0), NOW)
    assert [lead.id for lead in requested.page.items] == [draft.id]
    assert requested.offers == {}
    board = await act(uow, 2, dashboard.dashboard, None, NOW)
    assert board.requested == 1

    async with uow:
        buyer = await uow.users.get_by_telegram_id(1)
        assert buyer is not None
        buyer.suspend("Spam.")
        await uow.users.save(buyer)
        await uow.commit()
    with pytest.raises(NotAllowed, match="cannot invite sellers"):
        await act(uow, 1, sellers.leads_to_invite_to, None, NOW)


async def test_a_skill_is_found_by_its_words_without_commas(uow: SqlUnitOfWork) -> None:
    """The play-test: "/providers logo design" found nobody though Sam has Logo Design."""
    await person(uow, 1, {Role.BUYER})
    sam = await person(uow, 2, {Role.SELLER}, "Logo Design")
    logo = await person(uow, 3, {Role.SELLER}, "Logo")
    await person(uow, 4, {Role.SELLER}, "Catalogue Design, Graphic Design")
    django = await person(uow, 5, {Role.SELLER}, "Python, Django")

    async def ids(*asked: str) -> list[int | None]:
        found = await act(uow, 1, sellers.find, FindSellers(Search(asked)), NOW)
        return [user.id for user in found.page.items]

    assert await ids("logo design") == [sam.id]
    assert await ids("Logo Design") == [sam.id]
    # A word finds the skills it is a word of, a seller with the very skill first.
    assert await ids("logo") == [logo.id, sam.id]
    assert await ids("python django") == [django.id]  # known skills read from the words
    assert await ids("vintage logo") == [logo.id, sam.id]
    assert await ids("design, python") == [django.id]  # no skill is called "design"
    assert await ids("%") == [] and await ids("_ogo") == []  # no LIKE wildcards


async def test_popular_skills_are_those_of_the_chosen_category(uow: SqlUnitOfWork) -> None:
    """The play-test: one seller's odd skill, in no category, was "popular" in every one."""
    await person(uow, 1, {Role.BUYER})
    design = ("Design & Creative",)
    await person(uow, 2, {Role.SELLER}, "Figma, Logo Design, Photoshop", design)
    await person(uow, 3, {Role.SELLER}, "Figma", design)
    await person(uow, 4, {Role.SELLER}, "Nina Stuff")
    await person(uow, 5, {Role.SELLER}, "Django", ("Software Development",))
    await person(uow, 6, {Role.SELLER}, "Django, Python", ("Software Development",))
    lead = await posted(uow, 1, "Logo for a coffee shop", "Logo Design", "Design & Creative")
    async with uow:
        # A draft's skills count for nobody yet.
        assert await uow.skills.popular(8, "Design & Creative") == ["Figma"]
    await publish(uow, 1, lead.key)
    async with uow:
        assert await uow.skills.popular(8, "Design & Creative") == ["Figma", "Logo Design"]
        assert await uow.skills.popular(8, "Software Development") == ["Django"]
        everywhere = ["Django", "Figma", "Logo Design"]
        assert await uow.skills.popular(8) == everywhere
        # A category without a popular skill of its own suggests those of everywhere.
        assert await uow.skills.popular(8, "Writing & Translation") == everywhere
        assert await uow.skills.popular(1, "Design & Creative") == ["Figma"]

    # The lead form suggests them when the category is chosen.
    draft = await act(uow, 1, lead_cases.start_draft, StartDraft(), NOW)
    design_category = "Design & Creative"
    command = WriteField(draft.key, LeadField.CATEGORY, design_category, "USD", LeadField.SKILLS)
    edit = await act(uow, 1, lead_cases.write_field, command, NOW)
    assert edit.then is not None and edit.then.choices == ("Figma", "Logo Design")
    asked = AskField(LeadField.SKILLS, draft.key)
    assert (await act(uow, 1, lead_cases.ask_field, asked, NOW)).choices == ("Figma", "Logo Design")
