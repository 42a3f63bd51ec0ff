"""Repositories: plain dataclasses in, plain dataclasses out; they never commit."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Select,
    bindparam,
    delete,
    func,
    literal,
    select,
    text,
    union,
    union_all,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.orm import selectinload
from sqlalchemy.sql.elements import ColumnElement

from domain.errors import NotAllowed
from domain.model import (
    AccountType,
    DigestInterval,
    EmailToken,
    OutboxMessage,
    Profile,
    Role,
    SignupStage,
    User,
    UserStatus,
)
from domain.skills import SkillName, skill_key
from storage.hot import HotStatement
from storage.models import (
    CategoryRow,
    EmailTokenRow,
    InboxRow,
    LeadRow,
    LeadSkillRow,
    OutboxRow,
    ProfileCategoryRow,
    ProfileRow,
    ProfileSkillRow,
    SkillAliasRow,
    SkillRow,
    UserRoleRow,
    UserRow,
)

# A skill is suggested as popular once this many people use it.
POPULAR_AMONG = 2


def dialect_insert(session: AsyncSession) -> Any:
    """The dialect's INSERT, for ON CONFLICT DO NOTHING (SQLite and PostgreSQL share it)."""
    return pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert


async def core(session: AsyncSession) -> AsyncConnection:
    """The session's connection, for a Core statement on a hot path: what the ORM holds
    unwritten is flushed first (as ``session.execute`` would), and the statement skips the
    ORM's execution machinery (identity map, bulk-update evaluation), which costs more than
    SQLite takes to run it."""
    if session.new or session.dirty or session.deleted:
        await session.flush()
    return await session.connection()


def _alertable(user: User) -> bool:
    """Whether new leads may be pushed to the user (the ``alertable`` column)."""
    return (
        user.is_seller
        and user.signed_up
        and user.status is UserStatus.ACTIVE
        and user.reachable
        and not user.alerts_muted
    )


def _to_user(row: Row[Any], roles: set[Role], skills: list[str], categories: list[str]) -> User:
    """A user from its row (its profile's columns joined, ``None`` without a profile) and
    its roles' and profile's names."""
    return User(
        id=row.id,
        telegram_id=row.telegram_id,
        first_name=row.first_name,
        username=row.username,
        created_at=row.created_at,
        roles=roles,
        account_type=AccountType(row.account_type) if row.account_type else None,
        organization_name=row.organization_name,
        email=row.email,
        email_verified_at=row.email_verified_at,
        terms_accepted_at=row.terms_accepted_at,
        terms_version=row.terms_version,
        status=UserStatus(row.status),
        reachable=row.reachable,
        alerts_muted=row.alerts_muted,
        digest=DigestInterval(row.digest),
        signup_stage=SignupStage(row.signup_stage),
        deleted_at=row.deleted_at,
        suspension_reason=row.suspension_reason,
        verified_at=row.verified_at,
        writing_in=row.writing_in_thread_id,
        profile=Profile(
            display_name=row.display_name,
            headline=row.headline,
            location=row.location,
            timezone=row.timezone,
            skills=skills,
            categories=categories,
        )
        if row.has_profile is not None
        else Profile(),
    )


# Writing a user replaces its roles, skills and categories, so it loads all of them.
_USER_FOR_WRITE = (
    selectinload(UserRow.roles),
    selectinload(UserRow.profile).options(
        selectinload(ProfileRow.skills).joinedload(ProfileSkillRow.skill),
        selectinload(ProfileRow.categories).joinedload(ProfileCategoryRow.category),
    ),
)


# The update path's statements, built once: building a statement and working out its cache
# key cost more than SQLite takes to run it (docs/PERFORMANCE.md). Core, not the ORM: every
# update loads its user, and the ORM's identity map and joined-eager rows cost more than the
# statements (a user's writes load the rows they change, ``_USER_FOR_WRITE``).
_users, _profiles = UserRow.__table__, ProfileRow.__table__
_USERS = select(
    *(column for column in _users.c if column.name != "alertable"),
    _profiles.c.display_name,
    _profiles.c.headline,
    _profiles.c.location,
    _profiles.c.timezone,
    _profiles.c.user_id.label("has_profile"),
).select_from(_users.outerjoin(_profiles, _profiles.c.user_id == _users.c.id))
_USER_BY_ID = _USERS.where(_users.c.id == bindparam("user_id"))
_USER_BY_TELEGRAM_ID = _USERS.where(_users.c.telegram_id == bindparam("telegram_id"))
_USERS_BY_IDS = _USERS.where(_users.c.id.in_(bindparam("user_ids", expanding=True)))
# Their roles, skill and category names, in one statement: (user id, kind, position, name).
_ROLE, _SKILL, _CATEGORY = 0, 1, 2


def _profile_names(match: Callable[[Any], ColumnElement[bool]]) -> Select[Any]:
    """The roles, skill and category names of the users whose id ``match`` accepts, in one
    statement: (user id, kind, position, name)."""
    names = union_all(
        select(
            UserRoleRow.user_id, literal(_ROLE).label("kind"), literal(0), UserRoleRow.role
        ).where(match(UserRoleRow.user_id)),
        select(
            ProfileSkillRow.user_id,
            literal(_SKILL).label("kind"),
            ProfileSkillRow.position,
            SkillRow.name,
        )
        .join(SkillRow, SkillRow.id == ProfileSkillRow.skill_id)
        .where(match(ProfileSkillRow.user_id)),
        select(
            ProfileCategoryRow.user_id,
            literal(_CATEGORY).label("kind"),
            ProfileCategoryRow.position,
            CategoryRow.name,
        )
        .join(CategoryRow, CategoryRow.id == ProfileCategoryRow.category_id)
        .where(match(ProfileCategoryRow.user_id)),
    ).subquery()
    return select(names).order_by(names.c.user_id, names.c.kind, names.c[2])


_PROFILE_NAMES = _profile_names(lambda user_id: user_id.in_(bindparam("ids", expanding=True)))
# One user's, as every update loads its user: no list to expand, so prepared once (storage/hot.py).
_ONE_USER_BY_ID = HotStatement(_USER_BY_ID)
_ONE_USER_BY_TELEGRAM_ID = HotStatement(_USER_BY_TELEGRAM_ID)
_ONE_USERS_NAMES = HotStatement(_profile_names(lambda user_id: user_id == bindparam("user_id")))
Names = tuple[set[Role], list[str], list[str]]


def _sort_names(rows: Iterable[Any], names: dict[int, Names]) -> None:
    """Puts each (user id, kind, position, name) row with its user's roles, skills or
    categories."""
    for user_id, kind, _, name in rows:
        roles, skills, categories = names[user_id]
        if kind == _ROLE:
            roles.add(Role(name))
        else:
            (skills if kind == _SKILL else categories).append(name)


class SqlUserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, user_id: int) -> User | None:
        return await self._load_one(_ONE_USER_BY_ID, {"user_id": user_id})

    async def get_by_telegram_id(self, telegram_id: int) -> User | None:
        return await self._load_one(_ONE_USER_BY_TELEGRAM_ID, {"telegram_id": telegram_id})

    async def get_many(self, user_ids: Collection[int]) -> dict[int, User]:
        """The users with these ids, by id, in two statements however many there are."""
        if not user_ids:
            return {}
        return await self._load(_USERS_BY_IDS, {"user_ids": list(set(user_ids))})

    async def _load(self, statement: Select[Any], params: dict[str, Any]) -> dict[int, User]:
        """Two Core statements: the users with their profiles' columns, then their roles'
        and their profiles' names."""
        connection = await core(self._session)
        rows = (await connection.execute(statement, params)).all()
        if not rows:
            return {}
        ids = [row.id for row in rows]
        names: dict[int, Names] = {uid: (set(), [], []) for uid in ids}
        _sort_names(await connection.execute(_PROFILE_NAMES, {"ids": ids}), names)
        return {row.id: _to_user(row, *names[row.id]) for row in rows}

    async def _load_one(self, statement: HotStatement, params: dict[str, Any]) -> User | None:
        """One user, as ``_load`` loads many, through the update path's hot statements."""
        connection = await core(self._session)
        rows = await statement.rows(connection, params)
        if not rows:
            return None
        row = rows[0]
        names: dict[int, Names] = {row.id: (set(), [], [])}
        _sort_names(await _ONE_USERS_NAMES.rows(connection, {"user_id": row.id}), names)
        return _to_user(row, *names[row.id])

    async def add(self, user: User) -> User:
        row = UserRow(
            telegram_id=user.telegram_id,
            first_name=user.first_name,
            username=user.username,
            created_at=user.created_at,
            status=user.status.value,
            reachable=user.reachable,
            signup_stage=user.signup_stage.value,
            roles=[],
            profile=ProfileRow(timezone=user.profile.timezone, skills=[], categories=[]),
        )
        self._session.add(row)
        await self._session.flush()
        await self.save(replace(user, id=row.id))
        stored = await self.get(row.id)
        assert stored is not None
        return stored

    async def save(self, user: User) -> None:
        assert user.id is not None
        row = await self._session.get(
            UserRow, user.id, options=_USER_FOR_WRITE, populate_existing=True
        )
        assert row is not None
        # A deleted account gives its Telegram id up (for a fresh signup): see account_cases.
        row.telegram_id, row.deleted_at = user.telegram_id, user.deleted_at
        row.first_name, row.username = user.first_name, user.username
        row.account_type = user.account_type.value if user.account_type else None
        row.organization_name = user.organization_name
        row.email, row.email_verified_at = user.email, user.email_verified_at
        row.terms_accepted_at, row.terms_version = user.terms_accepted_at, user.terms_version
        row.status, row.reachable = user.status.value, user.reachable
        row.suspension_reason, row.verified_at = user.suspension_reason, user.verified_at
        row.alerts_muted, row.digest = user.alerts_muted, user.digest.value
        row.alertable = _alertable(user)
        row.signup_stage = user.signup_stage.value
        if {r.role for r in row.roles} != {r.value for r in user.roles}:
            row.roles = [UserRoleRow(role=role.value) for role in sorted(user.roles)]
        await self._save_profile(row, user.profile)
        await self._session.flush()

    async def set_writing_in(self, user_id: int, thread_id: int | None) -> None:
        await self._session.execute(
            update(UserRow).where(UserRow.id == user_id).values(writing_in_thread_id=thread_id)
        )

    async def _save_profile(self, row: UserRow, profile: Profile) -> None:
        if row.profile is None:
            row.profile = ProfileRow(skills=[], categories=[])
        target = row.profile
        target.display_name, target.headline = profile.display_name, profile.headline
        target.location, target.timezone = profile.location, profile.timezone
        if [s.skill.name for s in target.skills] != profile.skills:
            skills = await self._skills_by_key([skill_key(n) for n in profile.skills])
            target.skills.clear()
            await self._session.flush()
            target.skills.extend(
                ProfileSkillRow(skill=skills[skill_key(name)], position=i)
                for i, name in enumerate(profile.skills)
            )
        if [c.category.name for c in target.categories] != profile.categories:
            names = profile.categories
            rows = await self._session.scalars(
                select(CategoryRow).where(CategoryRow.name.in_(names))
            )
            by_name = {c.name: c for c in rows}
            target.categories.clear()
            await self._session.flush()
            target.categories.extend(
                ProfileCategoryRow(category=by_name[name], position=i)
                for i, name in enumerate(names)
            )

    async def _skills_by_key(self, keys: list[str]) -> dict[str, SkillRow]:
        rows = await self._session.scalars(select(SkillRow).where(SkillRow.key.in_(keys)))
        return {row.key: row for row in rows}


class SqlSkillRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def resolve(self, names: Sequence[SkillName]) -> list[str]:
        """Maps each name to its stored skill (through aliases), creating unknown ones."""
        keys = [n.key for n in names]
        aliased = await self._session.execute(
            select(SkillAliasRow.alias_key, SkillRow)
            .join(SkillRow, SkillRow.id == SkillAliasRow.skill_id)
            .where(SkillAliasRow.alias_key.in_(keys))
        )
        by_key: dict[str, SkillRow] = {alias: row for alias, row in aliased.tuples()}
        direct = await self._session.scalars(select(SkillRow).where(SkillRow.key.in_(keys)))
        by_key.update({row.key: row for row in direct})
        unknown = {n.key: n.display for n in names if n.key not in by_key}
        if unknown:
            # Another user may be adding the same new skill right now: of two inserts one
            # does nothing, and both then read the row that won.
            insert = dialect_insert(self._session)
            await self._session.execute(
                insert(SkillRow)
                .values([{"key": key, "name": name} for key, name in unknown.items()])
                .on_conflict_do_nothing(index_elements=["key"])
            )
            added = await self._session.scalars(
                select(SkillRow).where(SkillRow.key.in_(list(unknown)))
            )
            by_key.update({row.key: row for row in added})
        result: list[str] = []
        for name in names:
            row = by_key[name.key]
            if row.name not in result:
                result.append(row.name)
        return result

    async def popular(self, limit: int, category: str | None = None) -> list[str]:
        """The skills most people use, two at least (one seller's odd skill is no
        suggestion): on the profiles of the category's sellers and in its published leads,
        or everywhere when the category has none."""
        if category is not None:
            found = await self._popular(limit, category)
            if found:
                return found
        return await self._popular(limit, None)

    async def _popular(self, limit: int, category: str | None) -> list[str]:
        profiles = select(
            ProfileSkillRow.user_id.label("person"), ProfileSkillRow.skill_id.label("skill_id")
        )
        leads = (
            select(LeadRow.buyer_id.label("person"), LeadSkillRow.skill_id.label("skill_id"))
            .join(LeadSkillRow, LeadSkillRow.lead_id == LeadRow.id)
            .where(LeadRow.status != "draft")
        )
        if category is not None:
            profiles = profiles.join(
                ProfileCategoryRow, ProfileCategoryRow.user_id == ProfileSkillRow.user_id
            ).join(
                CategoryRow,
                (CategoryRow.id == ProfileCategoryRow.category_id) & (CategoryRow.name == category),
            )
            in_category = (CategoryRow.id == LeadRow.category_id) & (CategoryRow.name == category)
            leads = leads.join(CategoryRow, in_category)
        uses = union(profiles, leads).subquery()  # one row per person and skill
        people = func.count(uses.c.person)
        rows = await self._session.scalars(
            select(SkillRow.name)
            .join(uses, uses.c.skill_id == SkillRow.id)
            .group_by(SkillRow.id, SkillRow.name)
            .having(people >= POPULAR_AMONG)
            .order_by(people.desc(), SkillRow.name)
            .limit(limit)
        )
        return list(rows)


class SqlCategoryRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def names(self) -> list[str]:
        rows = await self._session.scalars(
            select(CategoryRow.name)
            .where(CategoryRow.active.is_(True))
            .order_by(CategoryRow.position, CategoryRow.name)
        )
        return list(rows)

    async def sync(self, names: Sequence[str]) -> None:
        """Makes the offered categories exactly ``names``, in that order."""
        existing = {row.name: row for row in await self._session.scalars(select(CategoryRow))}
        for position, name in enumerate(names):
            row = existing.get(name)
            if row is None:
                self._session.add(CategoryRow(name=name, position=position, active=True))
            else:
                row.position, row.active = position, True
        for name, row in existing.items():
            if name not in names:
                row.active = False
        await self._session.flush()


def _to_token(row: EmailTokenRow) -> EmailToken:
    return EmailToken(
        id=row.id,
        user_id=row.user_id,
        email=row.email,
        token_hash=row.token_hash,
        created_at=row.created_at,
        expires_at=row.expires_at,
        used_at=row.used_at,
    )


class SqlEmailTokenRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, token: EmailToken) -> None:
        self._session.add(
            EmailTokenRow(
                user_id=token.user_id,
                email=token.email,
                token_hash=token.token_hash,
                created_at=token.created_at,
                expires_at=token.expires_at,
            )
        )
        await self._session.flush()

    async def get_by_hash(self, token_hash: str) -> EmailToken | None:
        row = await self._session.scalar(
            select(EmailTokenRow).where(EmailTokenRow.token_hash == token_hash)
        )
        return _to_token(row) if row else None

    async def latest_for_user(self, user_id: int) -> EmailToken | None:
        row = await self._session.scalar(
            select(EmailTokenRow)
            .where(EmailTokenRow.user_id == user_id)
            .order_by(EmailTokenRow.created_at.desc(), EmailTokenRow.id.desc())
            .limit(1)
        )
        return _to_token(row) if row else None

    async def count_since(self, user_id: int, since: datetime) -> int:
        count = await self._session.scalar(
            select(func.count())
            .select_from(EmailTokenRow)
            .where(EmailTokenRow.user_id == user_id, EmailTokenRow.created_at >= since)
        )
        return int(count or 0)

    async def save(self, token: EmailToken) -> None:
        """Marks the token used, once: of two clicks at the same moment only one wins."""
        result = await self._session.execute(
            update(EmailTokenRow)
            .where(EmailTokenRow.id == token.id, EmailTokenRow.used_at.is_(None))
            .values(used_at=token.used_at)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise NotAllowed("This confirmation link was already used.")

    async def revoke_open_tokens(self, user_id: int, now: datetime) -> None:
        await self._session.execute(
            update(EmailTokenRow)
            .where(
                EmailTokenRow.user_id == user_id,
                EmailTokenRow.used_at.is_(None),
                EmailTokenRow.expires_at > now,
            )
            .values(expires_at=now)
        )

    async def forget(self, user_id: int) -> None:
        await self._session.execute(delete(EmailTokenRow).where(EmailTokenRow.user_id == user_id))


class SqlOutboxRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        # Whether this transaction queued anything: the dispatcher is woken only then.
        self.queued = False

    async def add(self, message: OutboxMessage) -> None:
        await self.add_many([message])

    async def add_many(self, messages: Sequence[OutboxMessage]) -> None:
        """Queues the messages in one statement; a dedupe key seen before skips its message."""
        if not messages:
            return
        self.queued = True
        insert = dialect_insert(self._session)
        # A dedupe key makes a repeated enqueue (a re-run job, a re-delivered update) a no-op.
        statement = insert(OutboxRow.__table__).on_conflict_do_nothing()
        await self._session.execute(statement, [_outbox_values(m) for m in messages])


def _outbox_values(message: OutboxMessage) -> dict[str, Any]:
    return {
        "kind": message.kind.value,
        "recipient": message.recipient,
        "user_id": message.user_id,
        "payload": message.payload,
        "dedupe_key": message.dedupe_key,
        "relay_message_id": message.relay_message_id,
        "status": "pending",
        "attempts": 0,
        "next_attempt_at": message.created_at,
        "created_at": message.created_at,
    }


# Every update runs it first. One statement whether or not the poller stored the update:
# a row it stored (or is storing in a transaction of its own, on PostgreSQL) is marked
# handled; an update that reached the turn without it is recorded as handled; one handled
# before returns no row. Written out as text: SQLAlchemy compiles its dialects' ON CONFLICT
# constructs afresh on every call (storage/inbox.py).
_MARK_HANDLED = HotStatement(
    text(
        'INSERT INTO inbox ("key", update_id, received_at, handled_at) '
        "VALUES (:update_key, :update_id, :handled_now, :handled_now) "
        'ON CONFLICT ("key") DO UPDATE SET handled_at = excluded.handled_at '
        'WHERE inbox.handled_at IS NULL RETURNING "key"'
    )
    .bindparams(bindparam("handled_now", type_=InboxRow.__table__.c.handled_at.type))
    .columns(InboxRow.__table__.c.key)
)


class SqlUpdateLog:
    """The handler's side of the inbox: marks an update handled inside its transaction."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def mark_handled(self, key: str, now: datetime) -> bool:
        """True unless the update was handled before."""
        connection = await core(self._session)
        update_id = int(key.partition(":")[0] or 0)
        parameters = {"update_key": key, "update_id": update_id, "handled_now": now}
        return bool(await _MARK_HANDLED.rows(connection, parameters))

    async def forget_before(self, when: datetime) -> int:
        result = await self._session.execute(delete(InboxRow).where(InboxRow.handled_at < when))
        return int(result.rowcount)  # type: ignore[attr-defined]
