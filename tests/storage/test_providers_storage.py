"""Finding sellers, their public card and inviting them, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from domain import dashboard, sellers
from domain.dashboard import LeadList, ListLeads
from domain.errors import NotAllowed, NotFound
from domain.events import Event, SellerInvited
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
