"""Reviews on SQLite and PostgreSQL: a completed lead opens one review per side, stars are
given, changed for 48 hours and added up, and /providers ranks by them."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domain import deals, lead_cases, review_cases, sellers
from domain.dashboard import LeadList, ListLeads, dashboard, lead_list
from domain.errors import InvalidInput, NotAllowed, NotFound
from domain.events import Event, LeadCompleted, ReviewCommented, ReviewGiven
from domain.lead_cases import OwnLead
from domain.leads import Lead
from domain.lifecycle import LeadStatus
from domain.model import Role
from domain.review_cases import Comment, OpenReview, Rate, SubmitReview
from domain.reviews import AS_BUYER, FINAL, Reputation, ReviewSide, StarTally, star_tallies
from domain.sellers import FindSellers, Search, ViewSeller
from handlers.setup import notifier
from storage.models import OutboxRow, ReviewRow, ReviewStarRow
from storage.uow import SqlUnitOfWork
from tests.acting import act
from tests.storage.test_deals_storage import offer
from tests.storage.test_leads_storage import person, posted

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
BOT = "leadline_bot"
BUYER = 1


async def hire(uow: SqlUnitOfWork, seller: int, skills: str, title: str = "Online shop") -> Lead:
    """A lead of the buyer (telegram id 1), posted, published and given to ``seller``."""
    draft = await posted(uow, BUYER, title, skills, "Software Development")
    await act(uow, BUYER, lead_cases.publish, OwnLead(draft.key), NOW)
    drafting = await act(uow, seller, deals.connect, deals.Connect(draft.key, "USD"), NOW)
    deal = await offer(uow, seller, deals.StartOffer(drafting.draft.thread_id, "USD"), "500", "7")
    await act(uow, BUYER, deals.accept, deals.AnswerOffer(deal.offer.id or 0), NOW)
    return await act(uow, BUYER, lead_cases.own_lead, OwnLead(draft.key), NOW)


async def complete(uow: SqlUnitOfWork, lead_id: int, when: datetime = NOW) -> int:
    """Completes a lead as the closing flow will (contracts branch): the status changes and
    LeadCompleted is told through the application's notifier; returns the rows it queued."""
    async with uow:
        lead = await uow.leads.get(lead_id)
        contract = await uow.threads.contract_of_lead(lead_id)
        assert lead is not None and contract is not None
        lead.status = LeadStatus.COMPLETED
        await uow.leads.save(lead)
        written = await notifier().publish(uow, [LeadCompleted(lead, contract)], when, BOT)
        await uow.commit()
    return written


async def review(
    uow: SqlUnitOfWork,
    author: int,
    lead: Lead,
    stars: list[int],
    when: datetime = NOW,
    events: list[Event] | None = None,
) -> None:
    """Taps the stars of each row in order, then Submit, as ``author`` (a telegram id)."""
    for row, value in enumerate(stars):
        await act(uow, author, review_cases.rate, Rate(lead.key, row, value), when)
    await act(uow, author, review_cases.submit, SubmitReview(lead.key), when, events)


async def count(sessions: async_sessionmaker[AsyncSession], table: type[object]) -> int:
    async with sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(table)) or 0)


async def test_a_completed_lead_opens_one_review_per_side_once(
    uow: SqlUnitOfWork, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await person(uow, BUYER, {Role.BUYER})
    seller = await person(uow, 2, {Role.SELLER}, "Python, Django")
    lead = await hire(uow, 2, "python, django", "Online shop <3")
    with pytest.raises(NotAllowed, match="once the lead is completed"):
        await act(uow, BUYER, review_cases.open_review, OpenReview(lead.key), NOW)

    assert await complete(uow, lead.key) == 2
    assert await complete(uow, lead.key) == 2  # told again (a re-delivery): queued once
    async with sessions() as session:
        rows = (await session.scalars(select(ReviewRow).order_by(ReviewRow.id))).all()
        queued = (await session.scalars(select(OutboxRow).order_by(OutboxRow.id))).all()
    # What the nudges read: who owes which review since when, none submitted yet.
    assert [(r.lead_id, r.side, r.author_id, r.subject_id) for r in rows] == [
        (lead.key, "buyer", 1, seller.id),
        (lead.key, "seller", seller.id, 1),
    ]
    assert all(r.submitted_at is None and r.created_at == NOW for r in rows)
    cards = {row.dedupe_key: str(row.payload["text"]) for row in queued}
    assert set(cards) == {f"review:{lead.key}:buyer", f"review:{lead.key}:seller"}
    buyer_card = cards[f"review:{lead.key}:buyer"]
    assert "Rate the work of U2</b> on <b>Online shop &lt;3</b>" in buyer_card
    assert "Rate U1 as a buyer" in cards[f"review:{lead.key}:seller"]

    # Opening it from a button finds the same review; a stranger has none to give.
    await person(uow, 3, {Role.SELLER}, "Python")
    card = await act(uow, BUYER, review_cases.open_review, OpenReview(lead.key), NOW)
    assert card.review.id == rows[0].id and card.aspects == ("Python", "Django")
    with pytest.raises(NotFound, match="not yours"):
        await act(uow, 3, review_cases.open_review, OpenReview(lead.key), NOW)
    assert await count(sessions, ReviewRow) == 2


@pytest.mark.parametrize("attempt", range(3))
async def test_opens_at_once_make_one_review_per_side(
    uow: SqlUnitOfWork, sessions: async_sessionmaker[AsyncSession], attempt: int
) -> None:
    await person(uow, BUYER, {Role.BUYER})
    await person(uow, 2, {Role.SELLER}, "Python")
    lead = await hire(uow, 2, "python")
    async with uow:
        found = await uow.leads.get(lead.key)
        assert found is not None
        found.status = LeadStatus.COMPLETED
        await uow.leads.save(found)
        await uow.commit()
    await asyncio.gather(
        act(SqlUnitOfWork(sessions), BUYER, review_cases.open_review, OpenReview(lead.key), NOW),
        act(SqlUnitOfWork(sessions), BUYER, review_cases.open_review, OpenReview(lead.key), NOW),
        act(SqlUnitOfWork(sessions), 2, review_cases.open_review, OpenReview(lead.key), NOW),
    )
    assert await count(sessions, ReviewRow) == 2


async def test_the_database_keeps_one_review_per_side_and_stars_from_one_to_five(
    uow: SqlUnitOfWork, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await person(uow, BUYER, {Role.BUYER})
    seller = await person(uow, 2, {Role.SELLER}, "Python")
    lead = await hire(uow, 2, "python")
    await complete(uow, lead.key)
    again = {
        "lead_id": lead.key,
        "side": "buyer",
        "author_id": 1,
        "subject_id": seller.id,
        "created_at": NOW,
        "updated_at": NOW,
    }
    async with sessions() as session:
        with pytest.raises(IntegrityError):
            await session.execute(insert(ReviewRow), again)
    async with sessions() as session:
        review_id = await session.scalar(select(ReviewRow.id).where(ReviewRow.side == "buyer"))
        with pytest.raises(IntegrityError):
            await session.execute(
                insert(ReviewStarRow), {"review_id": review_id, "skill_id": 1, "stars": 6}
            )


async def test_stars_are_given_changed_for_48_hours_and_added_up(
    uow: SqlUnitOfWork, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await person(uow, BUYER, {Role.BUYER})
    seller = await person(uow, 2, {Role.SELLER}, "Python, Django")
    shop = await hire(uow, 2, "python, django", "Online shop")
    api = await hire(uow, 2, "python", "API for orders")
    await complete(uow, shop.key)
    await complete(uow, api.key)

    async def reputation() -> Reputation:
        async with uow:
            return (await uow.reviews.reputations([seller.key]))[seller.key]

    await act(uow, BUYER, review_cases.rate, Rate(shop.key, 0, 5), NOW)
    with pytest.raises(InvalidInput, match=r"Please rate every skill first: Django\.$"):
        await act(uow, BUYER, review_cases.submit, SubmitReview(shop.key), NOW)
    assert (await reputation()).stars == {}  # a draft counts for nothing
    events: list[Event] = []
    await review(uow, BUYER, shop, [5, 4], events=events)
    [given] = events
    assert isinstance(given, ReviewGiven) and given.first and given.card.subject.id == seller.id
    await review(uow, BUYER, api, [4])
    assert await reputation() == Reputation(
        {"Python": StarTally(9, 2), "Django": StarTally(4, 1)}, completed=2
    )
    assert (await reputation()).of("python").average == "4.5"

    # Changed within 48 hours: counted at once, the seller told again.
    later = NOW + timedelta(hours=47)
    await act(uow, BUYER, review_cases.rate, Rate(shop.key, 0, 3), later)
    events = []
    await act(uow, BUYER, review_cases.submit, SubmitReview(shop.key), later, events)
    assert isinstance(events[0], ReviewGiven) and not events[0].first
    assert (await reputation()).of("Python") == StarTally(7, 2)
    too_late = NOW + timedelta(hours=48)
    for use_case, command in (
        (review_cases.rate, Rate(shop.key, 0, 1)),
        (review_cases.open_review, OpenReview(shop.key)),
        (review_cases.comment, Comment(shop.key, "Changed my mind")),
    ):
        with pytest.raises(NotAllowed) as refused:
            await act(uow, BUYER, use_case, command, too_late)  # type: ignore[arg-type]
        assert refused.value.sentence == FINAL
    assert (await reputation()).of("Python") == StarTally(7, 2)

    # The seller rates the buyer, with a comment.
    await review(uow, 2, shop, [4])
    events = []
    await act(uow, 2, review_cases.comment, Comment(shop.key, " Paid on time <3 "), NOW, events)
    assert isinstance(events[0], ReviewCommented)
    async with uow:
        assert await uow.reviews.buyer_ratings([1, seller.key]) == {1: StarTally(4, 1)}
        reviews = await uow.reviews.of_leads([shop.key, api.key])
    by_seller = next(r for r in reviews if r.side is ReviewSide.SELLER and r.submitted)
    assert by_seller.stars == {AS_BUYER: 4} and by_seller.comment == "Paid on time <3"
    # What SQL adds up is what the domain adds up from the reviews themselves.
    tallies = star_tallies(r for r in reviews if r.side is ReviewSide.BUYER)
    assert tallies[seller.key] == dict((await reputation()).stars)

    card = await act(uow, BUYER, sellers.public_profile, ViewSeller(seller.key), NOW)
    assert card.reputation.of("Django") == StarTally(4, 1) and card.reputation.completed == 2
    board = await act(uow, 2, dashboard, None, NOW)
    assert board.reputation is not None and board.reputation.of("Python") == StarTally(7, 2)
    buyer_board = await act(uow, BUYER, dashboard, None, NOW)
    assert buyer_board.buyer_rating == StarTally(4, 1)

    # Completed leads on both dashboards, with the stars given and received.
    listing = await act(uow, BUYER, lead_list, ListLeads(LeadList.COMPLETED, 0), NOW)
    assert [lead.title for lead in listing.page.items] == ["API for orders", "Online shop"]
    assert listing.given[shop.key].stars == {"Python": 3, "Django": 4}
    assert listing.received[shop.key].stars == {AS_BUYER: 4}
    assert api.key not in listing.received  # the seller has not rated the buyer there
    assert listing.reviewable == {shop.key, api.key}
    theirs = await act(uow, 2, lead_list, ListLeads(LeadList.COMPLETED, 0), NOW)
    assert theirs.received[api.key].stars == {"Python": 4}
    assert theirs.others[api.key].id == 1
    final = await act(uow, 2, lead_list, ListLeads(LeadList.COMPLETED, 0), too_late)
    assert final.reviewable == {api.key}  # the seller's own review of the API is still open


async def test_providers_rank_stars_in_the_asked_skills_then_completed_leads(
    uow: SqlUnitOfWork,
) -> None:
    """Every seller here has the asked skills or some of them; stars decide first."""
    await person(uow, BUYER, {Role.BUYER})
    plain = await person(uow, 10, {Role.SELLER}, "Python, Django")  # oldest, most overlap
    one_skill = await person(uow, 11, {Role.SELLER}, "Python")
    good = await person(uow, 12, {Role.SELLER}, "Python, Django")
    figma = await person(uow, 13, {Role.SELLER}, "Python, Django, Figma")
    twice = await person(uow, 14, {Role.SELLER}, "Python")
    drafted = await person(uow, 15, {Role.SELLER}, "Python, Django")

    for seller, skills, stars in (
        (11, "python", [5]),  # 5.0 from one rating
        (12, "python, django", [4, 4]),  # 4.0
        (13, "figma", [5]),  # stars, but not in the asked skills
        (14, "python", [5]),
        (14, "python", [5]),  # 5.0 from two ratings
    ):
        lead = await hire(uow, seller, skills, f"Lead for {seller}")
        await complete(uow, lead.key)
        await review(uow, BUYER, lead, stars)
    unsubmitted = await hire(uow, 15, "python", "Never reviewed")
    await complete(uow, unsubmitted.key)
    await act(uow, BUYER, review_cases.rate, Rate(unsubmitted.key, 0, 5), NOW)

    async def ranking(*skills: str) -> list[int | None]:
        """Every page of the search, in order."""
        ids: list[int | None] = []
        while True:
            command = FindSellers(Search(skills), offset=len(ids))
            page = (await act(uow, BUYER, sellers.find, command, NOW)).page
            ids += [user.id for user in page.items]
            if not page.has_next:
                return ids

    # Before: more of the asked skills, then the oldest account.
    # Now: the best average in the asked skills (more ratings first on a tie), then the
    # completed leads, then the asked skills, then the oldest.
    assert await ranking("python", "django") == [
        twice.id,
        one_skill.id,
        good.id,
        figma.id,
        drafted.id,
        plain.id,
    ]
    assert await ranking("figma") == [figma.id]
    assert (await ranking("django"))[:2] == [good.id, figma.id]
    found = await act(uow, BUYER, sellers.find, FindSellers(Search(("python", "django"))), NOW)
    assert found.reputations[twice.key] == Reputation({"Python": StarTally(10, 2)}, completed=2)
    assert found.reputations[drafted.key] == Reputation({}, completed=1)  # a draft: no stars


async def test_a_suspended_user_is_refused_a_comment_or_new_stars_at_the_tap(
    uow: SqlUnitOfWork,
) -> None:
    await person(uow, BUYER, {Role.BUYER})
    await person(uow, 2, {Role.SELLER}, "Python")
    shop = await hire(uow, 2, "python")
    await complete(uow, shop.key)
    await review(uow, BUYER, shop, [5])
    card = await act(uow, BUYER, review_cases.start_comment, OpenReview(shop.key), NOW)
    assert card.review.submitted_at is not None  # asked while active
    assert (await act(uow, BUYER, review_cases.change_stars, OpenReview(shop.key), NOW)).review
    async with uow:
        stored = await uow.users.get_by_telegram_id(BUYER)
        assert stored is not None
        stored.suspend("Spam.")
        await uow.users.save(stored)
        await uow.commit()
    with pytest.raises(NotAllowed, match="cannot give reviews"):
        await act(uow, BUYER, review_cases.start_comment, OpenReview(shop.key), NOW)
    with pytest.raises(NotAllowed, match="cannot give reviews"):
        await act(uow, BUYER, review_cases.change_stars, OpenReview(shop.key), NOW)
    # Reading their own review stays possible.
    assert (await act(uow, BUYER, review_cases.open_review, OpenReview(shop.key), NOW)).review
