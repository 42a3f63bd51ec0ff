"""The people of the load bench, written straight to the database.

A few accounts go through the storage layer exactly as signup leaves them (roles, verified
email, accepted terms, profile skills); the thousands of sellers of a fan-out are copies of
one such seller, row for row, in bulk INSERTs (seconds instead of minutes), so they look to
the bot exactly like the one the repository wrote. A lead is published through the real use
cases and the outbox, as the buyer's Publish button does it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from domain import lead_cases
from domain.events import Event
from domain.lead_cases import LeadField, OwnLead, StartDraft, WriteField
from domain.model import AccountType, Role, SignupStage, User
from domain.skills import parse_skill_list
from handlers.setup import notifier
from storage.db import session_factory
from storage.models import Base, LeadAlertRow, OfferRow, ThreadRow, UserRow
from storage.uow import SqlUnitOfWork

C = TypeVar("C")
R = TypeVar("R")

# The fan-out's sellers share this skill with the lead; the measured people have another.
FANOUT_SKILL = "Python"
MEMBER_SKILL = "Figma"
# The dashboard's leads ask for a skill nobody has, so that publishing them alerts nobody.
QUIET_SKILL = "COBOL"
CATEGORY = "Software Development"
DASHBOARD_LEADS = 20
DASHBOARD_THREADS = 10
COPY_CHUNK = 2_000


@dataclass(frozen=True)
class Person:
    """Who someone is to the sandbox (Telegram id) and to the database (user id)."""

    telegram_id: int
    user_id: int


async def _act(
    uow: SqlUnitOfWork,
    telegram_id: int,
    use_case: Callable[[SqlUnitOfWork, User, C, datetime], Awaitable[R]],
    command: C,
    now: datetime,
    events: list[Event],
) -> R:
    """One use case as the update path runs it: one transaction, as the user."""
    async with uow:
        user = await uow.users.get_by_telegram_id(telegram_id)
        assert user is not None, f"no user {telegram_id}"
        result = await use_case(uow, user, command, now)
        events.extend(uow.collect_events())
        await uow.commit()
        return result


async def signed_up(
    engine: AsyncEngine,
    people: Sequence[tuple[int, str]],
    role: Role,
    skill: str | None,
    terms_version: str,
    now: datetime,
) -> list[Person]:
    """Accounts as a finished signup leaves them: (telegram id, first name) each."""
    uow = SqlUnitOfWork(session_factory(engine))
    added = []
    async with uow:
        skills = await uow.skills.resolve(parse_skill_list(skill)) if skill else []
        for telegram_id, first_name in people:
            user = await uow.users.add(
                User(telegram_id=telegram_id, first_name=first_name, created_at=now)
            )
            user.roles, user.signup_stage = {role}, SignupStage.DONE
            user.account_type = AccountType.INDIVIDUAL
            user.email, user.email_verified_at = f"u{telegram_id}@example.org", now
            user.terms_version, user.terms_accepted_at = terms_version, now
            user.profile.skills = list(skills)
            await uow.users.save(user)
            assert user.id is not None
            added.append(Person(telegram_id, user.id))
        await uow.commit()
    return added


async def copies(engine: AsyncEngine, model: Person, telegram_ids: Sequence[int]) -> list[Person]:
    """Copies of ``model``'s rows (the user and every table keyed by its user id: roles,
    profile, skills, categories), one per Telegram id, with their own id and email."""
    async with engine.begin() as connection:
        first = int(await connection.scalar(select(UserRow.id).order_by(UserRow.id.desc())) or 0)
        first += 1
        made = [Person(t, first + i) for i, t in enumerate(telegram_ids)]
        users = Base.metadata.tables["users"]
        [row] = (await connection.execute(users.select().where(users.c.id == model.user_id))).all()
        template = dict(row._mapping)
        rows = [
            {
                **template,
                "id": person.user_id,
                "telegram_id": person.telegram_id,
                "first_name": f"Seller {index}",
                "email": f"u{person.telegram_id}@example.org",
            }
            for index, person in enumerate(made)
        ]
        await _insert(connection, "users", rows)
        for table in Base.metadata.sorted_tables:
            keys = {column.name for column in table.primary_key.columns}
            if "user_id" not in keys:
                continue
            found = await connection.execute(table.select().where(table.c.user_id == model.user_id))
            own = [dict(r._mapping) for r in found]
            if own:
                await _insert(
                    connection,
                    table.name,
                    [{**r, "user_id": p.user_id} for p in made for r in own],
                )
    return made


async def _insert(connection: AsyncConnection, table: str, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), COPY_CHUNK):
        await connection.execute(
            insert(Base.metadata.tables[table]), rows[start : start + COPY_CHUNK]
        )


async def publish_lead(
    engine: AsyncEngine,
    buyer: Person,
    title: str,
    skill: str,
    now: datetime,
    bot_username: str,
) -> tuple[int, int]:
    """Publishes a lead as its buyer would (draft, each field, Publish) and queues what that
    says in the outbox; returns the lead's id and the number of sellers alerted."""
    uow = SqlUnitOfWork(session_factory(engine))
    events: list[Event] = []
    draft = await _act(uow, buyer.telegram_id, lead_cases.start_draft, StartDraft(), now, events)
    for field, text in (
        (LeadField.TITLE, title),
        (LeadField.DESCRIPTION, "Automate a weekly sales report from our CRM, with charts."),
        (LeadField.CATEGORY, CATEGORY),
        (LeadField.SKILLS, skill),
        (LeadField.BUDGET, "300"),
    ):
        command = WriteField(draft.key, field, text, "USD")
        await _act(uow, buyer.telegram_id, lead_cases.write_field, command, now, events)
    published = await _act(
        uow, buyer.telegram_id, lead_cases.publish, OwnLead(draft.key), now, events
    )
    async with uow:
        await notifier().publish(uow, events, now, bot_username)
        await uow.commit()
    return draft.key, published.alerted


async def dashboard_activity(
    engine: AsyncEngine,
    buyer: Person,
    sellers: Sequence[Person],
    now: datetime,
    bot_username: str,
) -> None:
    """Each seller opened DASHBOARD_LEADS of the buyer's leads and bid on DASHBOARD_THREADS
    of them (a conversation with an open offer each): a seller's dashboard with work."""
    leads = []
    for number in range(DASHBOARD_LEADS):
        title = f"Bench lead number {number}"
        leads.append((await publish_lead(engine, buyer, title, QUIET_SKILL, now, bot_username))[0])
    async with engine.begin() as connection:
        await connection.execute(
            insert(LeadAlertRow),
            [
                {"lead_id": lead, "seller_id": s.user_id, "alerted_at": now, "opened_at": now}
                for s in sellers
                for lead in leads
            ],
        )
        for seller in sellers:
            for number, lead in enumerate(leads[:DASHBOARD_THREADS]):
                bid_at = now - timedelta(minutes=number)
                thread = await connection.scalar(
                    insert(ThreadRow)
                    .values(
                        lead_id=lead,
                        buyer_id=buyer.user_id,
                        seller_id=seller.user_id,
                        created_at=bid_at,
                        buyer_read_up_to=0,
                        seller_read_up_to=0,
                        buyer_reminded=False,
                        seller_reminded=False,
                    )
                    .returning(ThreadRow.id)
                )
                await connection.execute(
                    insert(OfferRow).values(
                        thread_id=thread,
                        author_id=seller.user_id,
                        amount_minor=25_000,
                        currency="USD",
                        days=7,
                        status="open",
                        created_at=bid_at,
                    )
                )
