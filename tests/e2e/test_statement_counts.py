"""What one command costs in SQL statements does not grow with the account: a buyer with
30 leads and 20 threads, and a seller with 40 offers, cost what a buyer with one lead does.

Through the real bot and the sandbox; only the statements issued while the bot handles the
user's update are counted (the outbox dispatcher and the persistence writer run in tasks of
their own, so their statements never land in the count)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, cast

import pytest
from telegram.ext import BaseUpdateProcessor

from bot.runner import RunningBot
from domain.chat import MessageKind, RelayedMessage
from domain.leads import Lead
from domain.lifecycle import LeadStatus
from domain.model import Role, SignupStage, User
from domain.money import Money
from domain.negotiation import Offer, OfferStatus
from domain.ports import UnitOfWork
from domain.skills import parse_skill_list
from sandbox import Sandbox, SimUser
from tests.e2e.test_leads import post_lead
from tests.e2e.test_negotiation import offer
from tests.statements import counted, watch

pytestmark = pytest.mark.on_both_engines  # listed in the README

BASE = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
# Generous for what each command needs, far below what one query per item would cost.
MOST_STATEMENTS = 30
# A larger account may take a different branch (a page with a Next button, say), never more.
LEEWAY = 2


class CountingProcessor(BaseUpdateProcessor):
    """Handles updates as PTB's own processor does, counting each one's statements."""

    def __init__(self, inner: BaseUpdateProcessor) -> None:
        super().__init__(inner.max_concurrent_updates)
        self._inner = inner
        self.counts: list[int] = []
        self.running = 0
        self.changed = asyncio.Event()

    async def do_process_update(
        self, update: object, coroutine: Awaitable[Any] | Coroutine[Any, Any, Any]
    ) -> None:
        self.running += 1
        try:
            with counted() as statements:
                await self._inner.do_process_update(update, coroutine)
        finally:
            self.running -= 1
            self.counts.append(len(statements))
            self.changed.set()

    async def initialize(self) -> None:
        await self._inner.initialize()

    async def shutdown(self) -> None:
        await self._inner.shutdown()

    async def statements_of(self, action: Callable[[], Awaitable[object]]) -> int:
        """Runs a user's action (which sends one update and waits for the reply) and
        returns the statements the bot issued handling that update."""
        await self._settled(len(self.counts))  # the previous step's update may still run
        before = len(self.counts)
        await action()
        await self._settled(before + 1)
        handled = self.counts[before:]
        assert len(handled) == 1, f"expected one update, the bot handled {len(handled)}"
        return handled[0]

    async def _settled(self, handled: int) -> None:
        """Waits until at least ``handled`` updates were handled and none is running."""
        while self.running or len(self.counts) < handled:
            self.changed.clear()
            await asyncio.wait_for(self.changed.wait(), 15)


def count_statements(bot: RunningBot) -> CountingProcessor:
    app = bot.app
    processor = CountingProcessor(app._update_processor)
    app._update_processor = processor
    watch(cast(Any, app.bot_data["runtime"]).engine)
    return processor


@dataclass
class Account:
    """How much a buyer and a seller have going on."""

    leads: int
    threads: int
    offers: int
    other_bidders: int
    counts: dict[str, int] = field(default_factory=dict)


async def _person(uow: UnitOfWork, sim: SimUser, role: Role, terms: str) -> User:
    """A signed-up user with a confirmed email who accepted the ``terms`` version, written
    straight to the database."""
    async with uow:
        user = await uow.users.add(
            User(telegram_id=sim.id, first_name=sim.first_name, created_at=BASE)
        )
        user.roles, user.signup_stage = {role}, SignupStage.DONE
        user.terms_version = terms
        user.email, user.email_verified_at = f"{sim.id}@example.org", BASE
        if role is Role.SELLER:
            user.profile.skills = await uow.skills.resolve(parse_skill_list("Django"))
        await uow.users.save(user)
        await uow.commit()
        return user


async def populate(
    new_uow: Callable[[], UnitOfWork], buyer: User, seller: User, others: list[User], size: Account
) -> None:
    """Open leads for the buyer (the newest is the one bid on); the seller's threads on the
    newest leads with ``size.offers`` offers between them, the latest of each open; each
    other bidder's thread on the newest lead with one offer; one unread message per thread."""
    assert buyer.id is not None and seller.id is not None
    async with new_uow() as uow:
        await uow.skills.resolve(parse_skill_list("Django"))
        leads = []
        for number in range(size.leads):
            lead = await uow.leads.add(Lead(buyer_id=buyer.id, created_at=BASE))
            lead.title, lead.description = f"Lead {number}", "A shop in Django"
            lead.category, lead.skills = "Software Development", ["Django"]
            lead.budget, lead.status = Money(100_000, "USD"), LeadStatus.OPEN
            lead.published_at = BASE + timedelta(minutes=number)
            await uow.leads.save(lead)
            leads.insert(0, lead)
        seller_threads = size.threads - len(others)
        talks = [(lead, seller) for lead in leads[:seller_threads]]
        talks += [(leads[0], other) for other in others]
        when = BASE + timedelta(days=1)
        for index, (lead, who) in enumerate(talks):
            assert lead.id is not None and who.id is not None
            thread = await uow.threads.open(lead.id, buyer.id, who.id, when)
            assert thread.id is not None
            mine = size.offers // seller_threads + (index < size.offers % seller_threads)
            for made in range(mine if who is seller else 1):
                if made:
                    previous = await uow.threads.latest_offer(thread.id)
                    assert previous is not None and previous.id is not None
                    await uow.threads.decide(previous.id, OfferStatus.SUPERSEDED, when)
                amount = Money(50_000 + 1_000 * made, "USD")
                await uow.threads.add_offer(Offer(thread.id, who.id, amount, 7, when))
            await uow.threads.add_message(
                RelayedMessage(
                    thread.id, who.id, buyer.id, MessageKind.TEXT, when, index + 1, text="Hello"
                )
            )
        await uow.commit()


async def measure(
    sandbox: Sandbox, bot: RunningBot, meter: CountingProcessor, size: Account
) -> None:
    """Builds the account, then counts each command's statements into ``size.counts``."""
    services = bot.app.bot_data["services"]
    tag = f"{size.leads}x{size.threads}"
    buyer_sim = sandbox.create_user(f"Bella{tag}")
    seller_sim = sandbox.create_user(f"Sid{tag}")
    terms = services.terms.version
    buyer = await _person(services.uow(), buyer_sim, Role.BUYER, terms)
    seller = await _person(services.uow(), seller_sim, Role.SELLER, terms)
    others = []
    for n in range(size.other_bidders):
        other = sandbox.create_user(f"Otto{tag}n{n}")
        await other.send("/help")  # they have talked to the bot, so it may write to them
        await other.wait_for_message("/profile")
        others.append(await _person(services.uow(), other, Role.SELLER, terms))
    await populate(services.uow, buyer, seller, others, size)

    async def command(user: SimUser, text: str, reply: str) -> None:
        await user.send(text)
        await user.wait_for_message(reply)

    async def tap(user: SimUser, label: str, reply: str, message_id: int | None = None) -> None:
        await user.tap(label, message_id=message_id)
        await user.wait_for_message(reply)

    counts = size.counts
    counts["/dashboard"] = await meter.statements_of(
        lambda: command(buyer_sim, "/dashboard", f"{size.leads} open")
    )
    counts["/messages"] = await meter.statements_of(
        lambda: command(buyer_sim, "/messages", f"Your conversations ({size.threads})")
    )
    counts["/leads"] = await meter.statements_of(
        lambda: command(seller_sim, "/leads", "Open leads for your skills")
    )
    counts["/dashboard (seller)"] = await meter.statements_of(
        lambda: command(seller_sim, "/dashboard", "Dashboard")
    )
    counts["requested leads (seller's dashboard list)"] = await meter.statements_of(
        lambda: tap(seller_sim, "Requested leads", f"of {size.threads - size.other_bidders}")
    )
    newest = f"Lead {size.leads - 1}"
    counts["lead card"] = await meter.statements_of(lambda: tap(seller_sim, f"📌 {newest}", newest))
    await seller_sim.tap("Connect")
    await offer(seller_sim, "450", "7")
    bid = await buyer_sim.wait_for_message("New bid")
    counts["accept"] = await meter.statements_of(
        lambda: tap(buyer_sim, "Accept", "Hired!", bid.message_id)
    )
    await post_lead(buyer_sim, "One more shop", "django")
    await buyer_sim.send("1,000")
    await buyer_sim.wait_for_message("Attach a brief")
    await buyer_sim.tap("Skip")
    await buyer_sim.wait_for_message("Preview")
    counts["publish"] = await meter.statements_of(lambda: tap(buyer_sim, "Publish", "Published."))


async def test_each_command_costs_the_same_few_statements_however_big_the_account(
    sandbox: Sandbox, bot: RunningBot
) -> None:
    meter = count_statements(bot)
    small = Account(leads=1, threads=2, offers=1, other_bidders=1)
    large = Account(leads=30, threads=20, offers=40, other_bidders=5)
    await measure(sandbox, bot, meter, small)
    await measure(sandbox, bot, meter, large)

    print("\n| command | statements, 1 lead / 2 threads | 30 leads / 20 threads / 40 offers |")
    print("|---|---:|---:|")
    for name, few in small.counts.items():
        print(f"| {name} | {few} | {large.counts[name]} |")
    for name, few in small.counts.items():
        many = large.counts[name]
        assert many <= MOST_STATEMENTS, f"{name} took {many} statements"
        assert abs(many - few) <= LEEWAY, f"{name}: {few} statements small, {many} large"
