"""Every button the bot shows, pressed by someone it is not for, changes nothing.

The journeys of the other end-to-end tests run again (and a few of this module's own, for
the buttons no other test shows), each on a bot and a database of its own with
administrators configured; then the data of the inline buttons the chats received (edited-away
keyboards included) is replayed

* (a) by an intruder who is signed up as buyer and seller,
* (b) by a stranger who only pressed /start, and by a ghost the bot has never heard of
  (one button of each kind; a bot message is planted in the ghost's chat, since a button
  needs a message),
* (c) by the person it was sent to, once its object has moved on (a withdrawn, cancelled
  or completed lead, an answered or superseded offer, a closed contract, a resolved
  dispute), and once they are suspended (every kind they were ever sent, but for their
  own preferences, see OWN_PREFERENCES).

Buttons that differ only in which object they name, when those objects are in the same
state, take the same road through the code: each sort of presser takes a road once, in the
first journey that shows it, where a road is (kind, the states of the objects the button
names, its other fields but pages and list positions; see ``variant``), for an owner also
their roles, and for the ghost only the kind.

After each press the database must be as before, the presser must have had a sentence
(an answer with text, or a message) that is not the error handler's, and nobody else may
have been written to. What "as before" means:

* Not compared (bookkeeping): ``inbox`` (updates handled), ``ptb_persistence`` and
  ``ptb_conversations`` (where the presser is in a conversation), ``alembic_version``,
  ``nudge_sweeps`` (the scheduled job's progress).
* ``outbox``: only who a row is for and what kind it is (id, kind, recipient, user_id);
  its delivery columns move on their own. Before and after each press the bot has handled
  every update (its replies sent) and the outbox is drained: no fixed sleeps.
* For (a) and (b), a changed row (as it was, or as it is) is allowed only when it is the
  presser's own: one of its columns referring to ``users`` is the presser (for ``users``,
  its ``id``). Connecting to an open lead or turning one's own alerts off is fine; anything
  touching another person's row is not, and neither is an outbox row for anyone else, nor
  an intruder left writing in a conversation that is not theirs.
* For (c), nothing may change at all but the presser's read marks and where they are
  writing (READ_MARKS, POSITION).

The set of button kinds replayed is compared with every kind registered with the codec
(``Button.registered()``): a kind that no journey shows fails here, by name.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sqlite3
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, fields
from enum import StrEnum
from pathlib import Path
from typing import Any, cast

from bot.runner import RunningBot, start_bot
from bot.settings import Settings
from domain.lead_cases import PAGE_SIZE
from handlers.core import texts
from handlers.core.callbacks import Button
from sandbox import Sandbox, SimUser
from storage.migrate import upgrade
from tests.e2e import (
    test_admin,
    test_contact,
    test_contracts,
    test_disputes,
    test_leads,
    test_mydata,
    test_negotiation,
    test_negotiation_more,
    test_privacy,
    test_profile,
    test_providers,
    test_reviews,
    test_signup,
    test_terms,
    test_verification,
)
from tests.e2e.conftest import BOT_USERNAME, TOKEN
from tests.e2e.journeys import sign_up

# nudge_sweeps: how far the scheduled nudge job has looked, moved by the clock, not a press.
BOOKKEEPING = {
    "inbox",
    "ptb_persistence",
    "ptb_conversations",
    "alembic_version",
    "nudge_sweeps",
}
OUTBOX_COLUMNS = ("id", "kind", "recipient", "user_id")
# Columns that name a user without a foreign key (kept off for speed, see the models).
UNDECLARED_USER_COLUMNS = {"lead_alerts": ("seller_id",), "nudges": ("subject_id",)}

# What a person has read: opening their own thread or an alerted lead moves these, which is
# no action. Left out of the comparison only when the person pressing is the one the button
# was sent to (c); an intruder moving someone's read marks would be caught.
READ_MARKS = {
    "threads": ("buyer_read_up_to", "seller_read_up_to"),
    "lead_alerts": ("opened_at",),
}
# Where a person is writing: their conversation state mirrored for the other side's relay
# (like ptb_conversations, a position, no action). Left out for (c) only; for (a) and (b)
# it is the presser's own row, and ``astray`` checks it names none of someone else's threads.
POSITION = {"users": ("writing_in_thread_id",)}

# One's own preferences: a suspended person may still mute nudges or alerts, or choose how
# often their digest comes (it touches nobody else), so these are left out of the suspended
# round only; the intruders of (a) and (b) press them like every other button.
OWN_PREFERENCES = {("ng", "mute"), ("st", "alerts"), ("st", "digest")}

Row = tuple[Any, ...]
Snapshot = dict[str, frozenset[Row]]


@dataclass(frozen=True)
class Shown:
    """One button's data as a chat received it."""

    data: str
    chat_id: int
    message_id: int


@dataclass
class Findings:
    """What the journeys so far showed, what went wrong, and which roads were taken: a road
    an earlier journey took (by the same sort of presser) is not taken again."""

    kinds: set[tuple[str, str]] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)
    taken: set[tuple[object, ...]] = field(default_factory=set)

    def untaken(
        self, presser: str, buttons: list[Shown], key: Callable[[Shown], object]
    ) -> list[Shown]:
        """The first button of each road ``presser`` has not taken yet, in the order shown."""
        chosen: dict[tuple[object, ...], Shown] = {}
        for shown in buttons:
            road = (presser, key(shown))
            if road not in self.taken:
                chosen.setdefault(road, shown)
        self.taken |= set(chosen)
        return list(chosen.values())


class Database:
    """The bot's SQLite file read directly (one connection, autocommit: every read sees the
    latest commit), to compare what a press changed."""

    def __init__(self, url: str) -> None:
        self.path = url.removeprefix("sqlite+aiosqlite:///")
        self.db = sqlite3.connect(self.path, isolation_level=None)
        tables = [
            name for (name,) in self.db.execute("SELECT name FROM sqlite_master WHERE type='table'")
        ]
        self.tables = [t for t in tables if t not in BOOKKEEPING]
        self.columns = {
            t: [c[1] for c in self.db.execute(f"PRAGMA table_info({t})")] for t in self.tables
        }
        self.user_columns: dict[str, tuple[str, ...]] = {
            t: tuple(
                str(fk[3])
                for fk in self.db.execute(f"PRAGMA foreign_key_list({t})")
                if fk[2] == "users"
            )
            + UNDECLARED_USER_COLUMNS.get(t, ())
            for t in self.tables
        }
        self.user_columns["users"] = ("id",)
        self.selects = {
            reads: {t: f"SELECT {', '.join(self.compared(t, reads))} FROM {t}" for t in self.tables}
            for reads in (True, False)
        }

    def close(self) -> None:
        self.db.close()

    def query(self, sql: str, *args: object) -> list[Row]:
        return list(self.db.execute(sql, args))

    def execute(self, sql: str, *args: object) -> None:
        self.db.execute(sql, args)

    def compared(self, table: str, reads: bool) -> list[str]:
        """The columns of a table compared (read marks and position only when ``reads``)."""
        if table == "outbox":
            return list(OUTBOX_COLUMNS)
        skipped = () if reads else READ_MARKS.get(table, ()) + POSITION.get(table, ())
        return [c for c in self.columns[table] if c not in skipped]

    def snapshot(self, reads: bool) -> Snapshot:
        """Every compared row, in one read transaction (a consistent picture)."""
        selects = self.selects[reads]
        self.db.execute("BEGIN")
        try:
            return {t: frozenset(self.db.execute(selects[t])) for t in self.tables}
        finally:
            self.db.execute("COMMIT")

    def user_id(self, telegram_id: int) -> int | None:
        rows = self.query("SELECT id FROM users WHERE telegram_id = ?", telegram_id)
        return int(rows[0][0]) if rows else None

    def changes(self, before: Snapshot, after: Snapshot, own: int | None, reads: bool) -> list[str]:
        """Rows that changed and are not the presser's own (all of them if ``own`` is None)."""
        found = []
        for table in self.tables:
            if before[table] == after[table]:
                continue
            columns = self.compared(table, reads)
            mine = [columns.index(c) for c in self.user_columns[table]]
            for row in before[table] ^ after[table]:
                if own is not None and any(row[i] == own for i in mine):
                    continue
                state = "now" if row in after[table] else "was"
                found.append(f"{table} {state} {dict(zip(columns, row, strict=True))}")
        return found

    def astray(self, own: int) -> list[str]:
        """The presser writing in a conversation they are not in."""
        return [
            f"left writing in thread {thread_id}, not theirs"
            for (thread_id,) in self.query(
                "SELECT u.writing_in_thread_id FROM users u "
                "LEFT JOIN threads t ON t.id = u.writing_in_thread_id "
                "AND u.id IN (t.buyer_id, t.seller_id) "
                "WHERE u.id = ? AND u.writing_in_thread_id IS NOT NULL AND t.id IS NULL",
                own,
            )
        ]

    async def drained(self) -> None:
        """Waits until the outbox has sent what it holds (and what it is sending)."""
        for _ in range(500):
            if not self.query(
                "SELECT 1 FROM outbox WHERE status IN ('pending', 'sending') LIMIT 1"
            ):
                return
            await asyncio.sleep(0.01)


async def settled(stage: Stage, db: Database) -> None:
    """Waits until the bot has handled every update sent to it, replies included (a turn's
    replies go out before PTB marks its update done), and the outbox is empty."""
    await stage.sandbox.wait_until_delivered()
    await stage.bot.app.update_queue.join()
    await db.drained()


def shown_buttons(sandbox: Sandbox) -> list[Shown]:
    """Every callback button any chat ever got, keyboards replaced by edits included."""
    seen: dict[str, Shown] = {}
    for chat_id, state in sandbox.world.chats.items():
        for message in state.messages.values():
            keyboards = [v.reply_markup for v in message.history] + [message.reply_markup]
            for markup in keyboards:
                for row in (markup or {}).get("inline_keyboard", []):
                    for button in row:
                        data = button.get("callback_data")
                        if data is not None and data not in seen:
                            seen[data] = Shown(data, chat_id, message.message_id)
    return list(seen.values())


def kind_of(data: str) -> tuple[str, str]:
    pressed = Button.decode(data)
    assert pressed is not None, f"the bot sent button data its codec refuses: {data!r}"
    return pressed.area, pressed.action


# -- the objects a button names, their states, and whether they have moved on -------------

FINISHED_LEAD = "('withdrawn', 'cancelled', 'completed')"
MOVED_ON = {
    "lead_id": f"SELECT 1 FROM leads WHERE id = ? AND status IN {FINISHED_LEAD}",
    "offer_id": "SELECT 1 FROM offers WHERE id = ? AND status != 'open'",
    "contract_id": (
        "SELECT 1 FROM contracts WHERE id = ? "
        "AND (completed_at IS NOT NULL OR cancelled_at IS NOT NULL)"
    ),
    "step_id": (
        "SELECT 1 FROM contract_steps s JOIN contracts c ON c.id = s.contract_id "
        "WHERE s.id = ? AND (c.completed_at IS NOT NULL OR c.cancelled_at IS NOT NULL)"
    ),
    "dispute_id": "SELECT 1 FROM disputes WHERE id = ? AND status = 'resolved'",
}
# A finished lead is what a review is for.
REVIEWS = "rv"

# The state of each kind of object a button names: two buttons naming objects in the same
# state take the same road. A field not listed here is kept as it is (a role, a method, an
# outcome, another id), but for CHOICES.
USER_STATE = "SELECT status, deleted_at IS NULL FROM users WHERE id = ?"
STATES = {
    "lead_id": "SELECT status FROM leads WHERE id = ?",
    "offer_id": "SELECT status FROM offers WHERE id = ?",
    "contract_id": (
        "SELECT delivered_at IS NULL, approved_at IS NULL, completed_at IS NULL, "
        "cancelled_at IS NULL, (SELECT status FROM disputes d WHERE d.contract_id = c.id "
        "ORDER BY d.id DESC LIMIT 1) FROM contracts c WHERE id = ?"
    ),
    "step_id": (
        "SELECT s.kind, c.completed_at IS NULL AND c.cancelled_at IS NULL, "
        "EXISTS (SELECT 1 FROM contract_steps l WHERE l.contract_id = s.contract_id "
        "AND l.id > s.id) FROM contract_steps s JOIN contracts c ON c.id = s.contract_id "
        "WHERE s.id = ?"
    ),
    "dispute_id": "SELECT status FROM disputes WHERE id = ?",
    "thread_id": "SELECT l.status FROM threads t JOIN leads l ON l.id = t.lead_id WHERE t.id = ?",
    "user_id": USER_STATE,
    "seller_id": USER_STATE,
    "document_id": (
        "SELECT d.id IS NOT NULL, v.verified FROM (SELECT ? AS id) i "
        "LEFT JOIN profile_documents d ON d.id = i.id "
        "LEFT JOIN verification_decisions v ON v.document_id = i.id"
    ),
}
# Fields that only pick one of several alike: a page, a place in a list, stars, days.
CHOICES = {"offset", "index", "stars", "days"}


def moved_on(db: Database, data: str) -> bool:
    pressed = Button.decode(data)
    if pressed is None or pressed.area == REVIEWS:
        return False
    return any(
        bool(db.query(sql, getattr(pressed, name)))
        for name, sql in MOVED_ON.items()
        if hasattr(pressed, name)
    )


def variant(db: Database, data: str) -> tuple[object, ...]:
    """What decides the road a press takes: the kind, the states of the objects the button
    names, its other fields (but those in CHOICES)."""
    pressed = Button.decode(data)
    assert pressed is not None
    key: list[object] = [pressed.area, pressed.action]
    for spec in fields(cast(Any, pressed)):
        value = getattr(pressed, spec.name)
        if spec.name in CHOICES:
            continue
        if spec.name in STATES:
            key.append((spec.name, tuple(db.query(STATES[spec.name], value))))
        else:
            key.append((spec.name, value.value if isinstance(value, StrEnum) else value))
    return tuple(key)


def roles(db: Database, telegram_id: int) -> str:
    """The roles of the person a chat is with ("" for none): a buyer's and a seller's press
    of the same button take different roads."""
    rows = db.query(
        "SELECT r.role FROM user_roles r JOIN users u ON u.id = r.user_id "
        "WHERE u.telegram_id = ? ORDER BY r.role",
        telegram_id,
    )
    return ",".join(str(role) for (role,) in rows)


# -- pressing ---------------------------------------------------------------------------


@dataclass
class Round:
    """Presses in a row, under one rule (``strict``: (c), nothing may change). The picture
    taken after a press is the one before the next: nothing happens in between."""

    stage: Stage
    db: Database
    strict: bool
    findings: Findings
    picture: Snapshot | None = None

    async def press(self, presser: SimUser, message_id: int, shown: Shown) -> list[str]:
        """Replays one button's data as ``presser``; what went wrong, in words."""
        sandbox, db, reads = self.stage.sandbox, self.db, not self.strict
        if self.picture is None:
            await settled(self.stage, db)
            self.picture = db.snapshot(reads)
        before = self.picture
        others = [o for o in sandbox.users if o.id != presser.id]
        heard_before = {o.id: len(o.bot_messages) for o in others}
        errors = len(sandbox.api_errors)
        presser.skip_pending()
        answer = await presser.tap_data(message_id, shown.data, timeout=15)
        said = [answer.text] if answer.text else []
        if not said:
            reply = await presser.wait_for_message(timeout=5)
            said.append(reply.content or "(a message without text)")
        await settled(self.stage, db)
        after = self.picture = db.snapshot(reads)
        own = None if self.strict else db.user_id(presser.id)
        problems = [f"changed {change}" for change in db.changes(before, after, own, reads)]
        problems += db.astray(own) if own is not None else []
        problems += [f"said {text!r}" for text in said if texts.ERROR in text]
        problems += [f"Bot API {e.method}: {e.description}" for e in sandbox.api_errors[errors:]]
        for other in others:
            if len(other.bot_messages) != heard_before[other.id]:
                problems.append(f"{other.first_name} ({other.id}) was written to")
        who = f"{presser.first_name} pressing {shown.data!r} (shown to {shown.chat_id})"
        return [f"{who}: {problem}" for problem in problems]

    async def as_owners(self, buttons: list[Shown]) -> list[str]:
        """Each button pressed again by the one it was sent to, on the message it came on."""
        problems: list[str] = []
        for shown in sorted(buttons, key=lambda b: b.chat_id):
            owner = self.stage.sandbox.user(shown.chat_id)
            problems += await self.press(owner, shown.message_id, shown)
        return problems


async def ivy(sandbox: Sandbox) -> SimUser:
    """The intruder of (a): signed up, buyer and seller."""
    ivy = sandbox.create_user("Ivy")
    await sign_up(sandbox, ivy, role="Seller", email="ivy.intruder@example.org", skills="Django")
    await ivy.send("/profile")
    card = await ivy.wait_for_message("Member since")
    await ivy.tap("Become a buyer", message_id=card.message_id)
    await ivy.wait_for_message("Roles: Buyer, Seller")
    return ivy


async def stan(sandbox: Sandbox) -> SimUser:
    """The stranger of (b): pressed /start only."""
    stan = sandbox.create_user("Stan")
    await stan.send("/start")
    await stan.wait_for_message("Do you accept these terms?")
    return stan


async def gus(sandbox: Sandbox) -> SimUser:
    """The ghost of (b): the bot never heard of him."""
    gus = sandbox.create_user("Gus")
    # A button needs a message in the presser's chat; the bot never wrote to Gus.
    sandbox.world.add_message(sandbox.world.chat(gus.id), True, text="(not from this bot)")
    return gus


@dataclass
class Stage:
    """What a journey works with: the sandbox, the bot (which it may restart with other
    settings), and the administrators it asked for."""

    sandbox: Sandbox
    settings: Settings
    bot: RunningBot
    admins: list[SimUser]
    directory: Path

    async def restart(self, settings: Settings | None = None) -> None:
        await self.bot.stop()
        self.settings = settings or self.settings
        self.bot = await start_bot(self.settings)


Journey = Callable[[Stage], Awaitable[None]]


@dataclass(frozen=True)
class Replayed:
    """A journey, with the administrators it expects: Telegram users named ``admins``
    created before the bot starts, and (``console``) the fixed id of test_admin."""

    name: str
    run: Journey
    admins: tuple[str, ...] = ()
    console: bool = False


async def replay_journey(
    journey: Replayed, directory: Path, migrated: Path, seen: Findings
) -> None:
    """Runs one journey on a bot of its own (its database a copy of ``migrated``, an empty
    one at the newest revision: migrating each anew would cost a third of a second), then
    replays the buttons it showed."""
    await asyncio.to_thread(directory.mkdir)
    await asyncio.to_thread(shutil.copyfile, migrated, directory / "leadline.db")
    problems: list[str] = []
    async with Sandbox(bot_token=TOKEN, bot_username=BOT_USERNAME, default_timeout=15) as sb:
        team = [sb.create_user(name) for name in journey.admins]
        admin_ids = [a.id for a in team] + ([test_admin.ADMIN_ID] if journey.console else [])
        settings = Settings.model_validate(
            {
                "telegram": {
                    "token": TOKEN,
                    "base_url": sb.base_url,
                    "base_file_url": sb.base_file_url,
                    # The sandbox counts no chat's pace (its flood limits are off).
                    "chat_messages_per_second": 1000,
                },
                "database": {"url": f"sqlite+aiosqlite:///{directory / 'leadline.db'}"},
                "email": {"smtp_host": sb.smtp_host, "smtp_port": sb.smtp_port},
                "admins": {"telegram_ids": admin_ids},
            }
        )
        stage = Stage(sb, settings, await start_bot(settings), team, directory)
        try:
            await journey.run(stage)
            db = Database(stage.settings.database.url)
            try:
                problems += await replay(stage, db, admin_ids, seen)
            finally:
                db.close()
        finally:
            await stage.bot.stop()
        problems += [f"unanswered {q.data!r}" for q in sb.unanswered_callback_queries()]
    seen.problems += [f"[{journey.name}] {problem}" for problem in problems]


async def replay(stage: Stage, db: Database, admin_ids: list[int], seen: Findings) -> list[str]:
    """The three rounds of the module's docstring over the buttons the journey showed."""
    sb = stage.sandbox
    buttons = shown_buttons(sb)
    seen.kinds |= {kind_of(b.data) for b in buttons}

    def road(shown: Shown) -> tuple[object, ...]:
        return variant(db, shown.data)

    def owners_road(shown: Shown) -> tuple[object, ...]:
        return (roles(db, shown.chat_id), variant(db, shown.data))

    problems: list[str] = []
    intruding = Round(stage, db, strict=False, findings=seen)
    # Pressed by an intruder, only the road matters, not whose chat the button was in;
    # without an account every press takes the same road: one button of each kind. An
    # intruder with nothing left to press is not even created.
    for intruder, pressed in (
        (ivy, seen.untaken("signed up", buttons, road)),
        (stan, seen.untaken("started", buttons, road)),
        (gus, seen.untaken("unknown", buttons, lambda b: kind_of(b.data))),
    ):
        if not pressed:
            continue
        presser = await intruder(sb)
        await settled(stage, db)
        somewhere = presser.bot_messages[-1].message_id
        for shown in pressed:
            problems += await intruding.press(presser, somewhere, shown)
    owned = [b for b in buttons if b.chat_id not in admin_ids]
    finished = seen.untaken("owner", [b for b in owned if moved_on(db, b.data)], owners_road)
    problems += await Round(stage, db, strict=True, findings=seen).as_owners(finished)
    db.execute(
        "UPDATE users SET status = 'suspended', suspension_reason = 'Replay test.', "
        f"alertable = 0 WHERE telegram_id NOT IN ({','.join(map(str, admin_ids)) or 0})"
    )
    signed = [
        b
        for b in owned
        if db.user_id(b.chat_id) is not None and kind_of(b.data) not in OWN_PREFERENCES
    ]
    suspended = seen.untaken("suspended owner", signed, owners_road)
    problems += await Round(stage, db, strict=True, findings=seen).as_owners(suspended)
    return problems


def admins_started(run: Callable[..., Awaitable[None]]) -> Journey:
    """A journey whose administrators have talked to the bot first."""

    async def journey(stage: Stage) -> None:
        for admin in stage.admins:
            await admin.send("/help")
            await admin.wait_for_message("/contact")
        await run(stage.sandbox, stage.bot, stage.admins)

    return journey


def plain(test: Callable[[Sandbox, RunningBot], Awaitable[None]]) -> Journey:
    async def journey(stage: Stage) -> None:
        await test(stage.sandbox, stage.bot)

    return journey


def with_admin(test: Callable[[Sandbox, RunningBot, SimUser], Awaitable[None]]) -> Journey:
    """A journey of test_disputes, with the first administrator as its support."""

    async def journey(stage: Stage) -> None:
        await test(stage.sandbox, stage.bot, stage.admins[0])

    return journey


# -- journeys of this module, for buttons no other end-to-end test shows -------------------


async def lists_drafts_and_cards(stage: Stage) -> None:
    """A second page of open leads and of conversations, the lead search's filters, a lead
    draft resumed, the providers' category picker, a seller's own verification documents,
    a new email's confirmation resent, an account deletion declined, and a suspension undone
    from the user's card."""
    sb = stage.sandbox
    admin = await test_admin.admin_user(sb)
    bella = sb.create_user("Bella", username="bella_b")
    sid = sb.create_user("Sid", username="sid_s")
    await sign_up(sb, bella, role="Buyer", email="bella@example.org")
    await sign_up(sb, sid, role="Seller", email="sid@example.org", skills="Django")
    # One lead more than a page, and a conversation about each (Connect, then /cancel).
    for n in range(PAGE_SIZE + 1):
        await test_reviews.publish_lead(bella, f"Booking site no. {n}", "django")
        alert = await sid.wait_for_message("New lead for your skills")
        await sid.tap("Connect", message_id=alert.message_id)
        await sid.wait_for_message("How much do you propose")
        await sid.send("/cancel")
        await sid.wait_for_message()

    await sid.send("/leads")
    results = await sid.wait_for_message(f"1–{PAGE_SIZE} of {PAGE_SIZE + 1}")
    await sid.tap("Next ▶️", message_id=results.message_id)
    await sid.wait_for_message(f"{PAGE_SIZE + 1}–{PAGE_SIZE + 1} of")
    await sid.tap("🗂 Category", message_id=results.message_id)
    await sid.wait_for_message("Which category")
    await sid.tap("Software Development")
    await sid.wait_for_message("Filters: Software Development")
    await sid.tap("🛠 Skill", message_id=results.message_id)
    await sid.wait_for_message("Filter by which skill?")
    await sid.tap("Django")
    await sid.wait_for_message("Filters: Software Development · Django")

    await sid.send("/messages")
    listing = await sid.wait_for_message("Your conversations")
    await sid.tap("Next ▶️", message_id=listing.message_id)
    await sid.wait_for_message("Your conversations")

    # Sid's own card shows his verification documents.
    await test_privacy.upload_credentials(sid)
    await admin.wait_for_message("Passport")
    await sid.send("/profile")
    profile = await sid.wait_for_message("Member since")
    await sid.tap("My public card", message_id=profile.message_id)
    card = await sid.wait_for_message("Member since")
    await sid.tap("Documents", message_id=card.message_id)
    await sid.wait_for_message(predicate=lambda m: m.media_kind == "document")

    await bella.send("/newlead")
    await bella.wait_for_message("What is the title of your lead?")
    await bella.send("Half a lead")
    await bella.wait_for_message("Describe the work")
    await bella.send("/cancel")
    await bella.wait_for_message("Your draft is kept")
    await bella.send("/newlead")
    await bella.wait_for_message("You have an unfinished lead")
    await bella.tap("Continue")
    await bella.wait_for_message("Describe the work")
    await bella.send("/cancel")
    await bella.wait_for_message("Your draft is kept")
    await bella.send("/newlead")
    await bella.wait_for_message("You have an unfinished lead")

    await bella.send("/providers")
    await bella.wait_for_message("pick a category")
    await bella.tap("Software Development")
    await bella.wait_for_message()

    await bella.send("/profile")
    await bella.wait_for_message("Email:")
    await bella.tap("Email")
    await bella.wait_for_message("email address?")
    await bella.send("bella.new@example.org")
    await bella.wait_for_message("I sent a confirmation link to bella.new@example.org")

    await bella.send("/deleteaccount")
    question = await bella.wait_for_message("Delete your account?")
    await bella.tap("No, keep it", message_id=question.message_id)
    await bella.send("/deleteaccount")
    await bella.wait_for_message("Delete your account?")

    await admin.send("/suspend @bella_b Testing the card")
    suspended = await admin.wait_for_message("Bella is suspended")
    await admin.tap("Open the card", message_id=suspended.message_id)
    card = await admin.wait_for_message("Telegram id")
    await admin.tap("Unsuspend", message_id=card.message_id)
    await admin.wait_for_message("Bella is no longer suspended")
    await admin.send("/admin")
    console = await admin.wait_for_message("Admin console")
    await admin.tap("Open disputes", message_id=console.message_id)
    await admin.wait_for_message("No disputes")
    await admin.tap("Contact Us", message_id=console.message_id)
    await admin.wait_for_message("Contact Us")


async def new_terms(stage: Stage) -> None:
    """The operator changes the terms: the gate's Read and Accept, and the accepted terms."""
    path = stage.directory / "terms.md"
    path.write_text(test_terms.terms("1"), encoding="utf-8")
    marketplace = stage.settings.marketplace.model_copy(update={"terms_file": str(path)})
    await stage.restart(stage.settings.model_copy(update={"marketplace": marketplace}))
    sb = stage.sandbox
    bella, bob = sb.create_user("Bella"), sb.create_user("Bob")
    await sign_up(sb, bella, role="Buyer", email="bella@example.org")
    await sign_up(sb, bob, role="Buyer", email="bob@example.org")
    path.write_text(test_terms.terms("2"), encoding="utf-8")
    await stage.restart()
    for person in (bella, bob):
        await person.send("/newlead")
        await person.wait_for_message("Our Terms of Service have changed")
    await bella.tap("Read")
    await bella.wait_for_message("Keep every deal")
    await bella.tap("I accept the terms")
    await bella.wait_for_message("you accepted the terms")


JOURNEYS = [
    Replayed(
        "signup", plain(test_signup.test_a_buyer_organization_signs_up_and_confirms_the_email)
    ),
    Replayed("profile", plain(test_profile.test_a_buyer_edits_the_profile_and_becomes_a_seller)),
    Replayed(
        "leads", plain(test_leads.test_a_lead_is_posted_matched_found_shared_edited_and_withdrawn)
    ),
    Replayed(
        "muted", plain(test_leads.test_a_muted_seller_gets_no_alert_and_the_dashboard_counts_leads)
    ),
    Replayed("providers", plain(test_providers.test_credentials_public_card_and_invitation)),
    Replayed(
        "negotiation", plain(test_negotiation.test_bid_counter_counter_accept_chat_and_transcript)
    ),
    Replayed(
        "more", plain(test_negotiation_more.test_edits_bids_withdrawal_invitation_and_dashboard)
    ),
    Replayed(
        "contracts", plain(test_contracts.test_deliver_change_deliver_approve_and_confirm_payment)
    ),
    Replayed("missed", plain(test_contracts.test_a_missed_due_date_lets_the_buyer_cancel)),
    Replayed("due date", plain(test_contracts.test_a_new_due_date_is_declined_then_accepted)),
    Replayed("mutual", plain(test_contracts.test_a_mutual_cancellation_is_refused_then_agreed)),
    Replayed(
        "reviews",
        plain(test_reviews.test_stars_per_skill_a_rating_of_the_buyer_and_where_they_show),
    ),
    Replayed(
        "disputes",
        with_admin(test_disputes.test_the_seller_disputes_a_delivery_and_support_splits_it),
        admins=("Ada",),
    ),
    Replayed(
        "dispute list",
        with_admin(test_disputes.test_the_buyer_disputes_work_in_progress_and_support_cancels_it),
        admins=("Ada",),
    ),
    Replayed("admin", plain(test_admin.test_the_admin_finds_suspends_and_announces), console=True),
    Replayed(
        "contact",
        admins_started(
            test_contact.test_a_buyer_writes_the_admins_answer_and_the_buyer_answers_back
        ),
        admins=("Ada", "Abe"),
    ),
    Replayed(
        "mydata",
        plain(test_mydata.test_my_data_holds_what_was_created_and_a_contract_blocks_deletion),
    ),
    Replayed(
        "privacy", plain(test_privacy.test_a_withdrawn_lead_is_read_only_by_those_who_were_in_it)
    ),
    Replayed(
        "verification",
        plain(test_verification.test_admins_verify_or_reject_and_the_badge_shows),
        console=True,
    ),
    Replayed("lists", lists_drafts_and_cards, console=True),
    Replayed("terms", new_terms),
]


async def test_every_button_pressed_by_the_wrong_person_changes_nothing(tmp_path: Path) -> None:
    findings = Findings()
    migrated = tmp_path / "migrated.db"
    await asyncio.to_thread(upgrade, f"sqlite+aiosqlite:///{migrated}")
    # REPLAY_ONLY=disputes,contact replays only those journeys (the kinds check then fails).
    only = os.environ.get("REPLAY_ONLY")
    for journey in JOURNEYS:
        if only and journey.name not in only.split(","):
            continue
        directory = tmp_path / journey.name.replace(" ", "_")
        await replay_journey(journey, directory, migrated, findings)
    assert not findings.problems, "\n".join(findings.problems)
    never_shown = set(Button.registered()) - findings.kinds
    assert not never_shown, f"button kinds no journey showed (add a journey): {sorted(never_shown)}"
