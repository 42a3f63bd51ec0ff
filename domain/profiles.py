"""Use cases that fill in and edit a profile, during signup and from /profile later.

Each runs inside the update's unit of work (the caller commits) as the acting user and takes
one small command.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from domain import accounts, validation
from domain.errors import InvalidInput, NotAllowed
from domain.model import DigestInterval, Role, SignupStage, User
from domain.onboarding import (
    SKIPPABLE,
    Progress,
    TextAnswer,
    answer,
    progress,
    require_editable,
    require_stage,
)
from domain.ports import UnitOfWork
from domain.skills import parse_skill_list

MAX_CATEGORIES = 5


class ProfileField(StrEnum):
    """A part of the profile edited by typing its new value."""

    DISPLAY_NAME = "display_name"
    HEADLINE = "headline"
    SKILLS = "skills"
    LOCATION = "location"
    TIMEZONE = "timezone"
    EMAIL = "email"
    ORGANIZATION = "organization"


@dataclass(frozen=True)
class UseTelegramName:
    pass


@dataclass(frozen=True)
class SkipQuestion:
    stage: SignupStage


@dataclass(frozen=True)
class ToggleCategory:
    """A tap on the category picker: the category's place in the offered list; ``at_signup``
    when the tap is on the signup question's picker, which works only while it is asked."""

    index: int
    at_signup: bool = False


@dataclass(frozen=True)
class FinishCategories:
    pass


@dataclass(frozen=True)
class AddRole:
    role: Role


@dataclass(frozen=True)
class EditProfile:
    """A new value for one part of the profile; ``then_add`` adds a role right after (a buyer
    becoming a seller gives skills first)."""

    field: ProfileField
    text: str
    then_add: Role | None = None


@dataclass(frozen=True)
class Edited:
    """The user after an edit, and the address a confirmation link went to, if any."""

    user: User
    confirming: str | None = None


@dataclass(frozen=True)
class SetAlerts:
    muted: bool


@dataclass(frozen=True)
class SetDigest:
    interval: DigestInterval


@dataclass(frozen=True)
class CategoryChoice:
    """The categories offered, for a user picking theirs."""

    user: User
    categories: list[str]


async def set_display_name(
    uow: UnitOfWork, user: User, command: TextAnswer, now: datetime
) -> Progress:
    name = validation.validate_display_name(command.text)
    require_editable(user, SignupStage.DISPLAY_NAME)
    user.profile.display_name = name
    answer(user, SignupStage.DISPLAY_NAME)
    await uow.users.save(user)
    return await progress(uow, user)


async def use_telegram_name(
    uow: UnitOfWork, user: User, command: UseTelegramName, now: datetime
) -> Progress:
    """The signup button "Use <Telegram name>": only while that question is open."""
    require_stage(user, SignupStage.DISPLAY_NAME)
    user.profile.display_name = validation.validate_display_name(user.first_name)
    answer(user, SignupStage.DISPLAY_NAME)
    await uow.users.save(user)
    return await progress(uow, user)


async def set_headline(uow: UnitOfWork, user: User, command: TextAnswer, now: datetime) -> Progress:
    headline = validation.validate_headline(command.text)
    require_editable(user, SignupStage.HEADLINE)
    user.profile.headline = headline
    answer(user, SignupStage.HEADLINE)
    await uow.users.save(user)
    return await progress(uow, user)


async def set_skills(uow: UnitOfWork, user: User, command: TextAnswer, now: datetime) -> Progress:
    """Replaces the user's skills with the canonical forms of the typed list."""
    names = parse_skill_list(command.text)
    require_editable(user, SignupStage.SKILLS)
    user.profile.skills = await uow.skills.resolve(names)
    answer(user, SignupStage.SKILLS)
    await uow.users.save(user)
    return await progress(uow, user)


async def set_location(uow: UnitOfWork, user: User, command: TextAnswer, now: datetime) -> Progress:
    location = validation.validate_location(command.text)
    require_editable(user, SignupStage.LOCATION)
    user.profile.location = location
    # Signup asks no time zone: the city typed gives it when it can (else it stays as it was).
    zone = validation.zone_of_place(location)
    if zone is not None:
        user.profile.timezone = zone
    answer(user, SignupStage.LOCATION)
    await uow.users.save(user)
    return await progress(uow, user)


async def set_timezone(uow: UnitOfWork, user: User, command: TextAnswer, now: datetime) -> Progress:
    user.ensure_active("edit your profile")
    user.profile.timezone = validation.validate_timezone(command.text)
    await uow.users.save(user)
    return await progress(uow, user)


async def skip_step(uow: UnitOfWork, user: User, command: SkipQuestion, now: datetime) -> Progress:
    """Skips an optional signup question; sellers cannot skip their skills."""
    stage = command.stage
    if stage not in SKIPPABLE or user.signup_stage is not stage:
        raise NotAllowed("That question was already answered.")
    if stage is SignupStage.SKILLS and user.is_seller:
        raise InvalidInput("Sellers need at least one skill, so buyers can find you.")
    answer(user, stage)
    await uow.users.save(user)
    return await progress(uow, user)


async def start_editing(uow: UnitOfWork, user: User, _: object, now: datetime) -> None:
    """An edit button of /profile: refuses a suspended user at the tap, before the question."""
    user.ensure_signed_up()
    user.ensure_active("edit your profile")


async def category_choice(uow: UnitOfWork, user: User, _: object, now: datetime) -> CategoryChoice:
    """The categories offered, with the user's ticked ones (from /profile)."""
    user.ensure_signed_up()
    return CategoryChoice(user, await uow.categories.names())


async def toggle_category(
    uow: UnitOfWork, user: User, command: ToggleCategory, now: datetime
) -> CategoryChoice:
    """Ticks or unticks one category, at its signup question or from /profile."""
    if command.at_signup:
        require_stage(user, SignupStage.CATEGORIES)
    else:
        require_editable(user, SignupStage.CATEGORIES)
    names = await uow.categories.names()
    if not 0 <= command.index < len(names):
        raise InvalidInput("That category is not on the list.")
    category, chosen = names[command.index], user.profile.categories
    if category in chosen:
        chosen.remove(category)
    elif len(chosen) >= MAX_CATEGORIES:
        raise InvalidInput(f"You can pick at most {MAX_CATEGORIES} categories.")
    else:
        chosen.append(category)
    await uow.users.save(user)
    return CategoryChoice(user, names)


async def finish_categories(
    uow: UnitOfWork, user: User, command: FinishCategories, now: datetime
) -> Progress:
    """Done on the signup question's picker; a stale one after signup is refused."""
    require_stage(user, SignupStage.CATEGORIES)
    answer(user, SignupStage.CATEGORIES)
    await uow.users.save(user)
    return await progress(uow, user)


async def add_role(uow: UnitOfWork, user: User, command: AddRole, now: datetime) -> User:
    """Adds the other role; a new seller must already list a skill."""
    role = command.role
    user.ensure_signed_up()
    user.ensure_active("add a role")
    if role in user.roles:
        raise NotAllowed(f"You are already a {role.value}.")
    if role is Role.SELLER and not user.profile.skills:
        raise InvalidInput("Add at least one skill first, so buyers can find you.")
    user.roles.add(role)
    await uow.users.save(user)
    return user


Setter = Callable[[UnitOfWork, User, TextAnswer, datetime], Awaitable[Progress]]
SETTERS: dict[ProfileField, Setter] = {
    ProfileField.DISPLAY_NAME: set_display_name,
    ProfileField.HEADLINE: set_headline,
    ProfileField.SKILLS: set_skills,
    ProfileField.LOCATION: set_location,
    ProfileField.TIMEZONE: set_timezone,
    ProfileField.EMAIL: accounts.submit_email,
    ProfileField.ORGANIZATION: accounts.set_organization_name,
}


async def edit_profile(uow: UnitOfWork, user: User, command: EditProfile, now: datetime) -> Edited:
    """Stores a new value for one part of a finished profile (a new email address is
    confirmed by its own link first), then adds the role waiting for it, if any."""
    user.ensure_signed_up()
    user.ensure_active("edit your profile")
    await SETTERS[command.field](uow, user, TextAnswer(command.text), now)
    if command.then_add is not None:
        await add_role(uow, user, AddRole(command.then_add), now)
    confirming = None
    if command.field is ProfileField.EMAIL:
        confirming = validation.validate_email(command.text)
    return Edited(user, confirming)


async def set_alerts(uow: UnitOfWork, user: User, command: SetAlerts, now: datetime) -> User:
    """Turns new-lead alerts off or on."""
    user.ensure_signed_up()
    user.alerts_muted = command.muted
    await uow.users.save(user)
    return user


async def set_digest(uow: UnitOfWork, user: User, command: SetDigest, now: datetime) -> User:
    """Sets how often the leads beyond the daily alerts come as a digest (or never)."""
    user.ensure_signed_up()
    user.digest = command.interval
    await uow.users.save(user)
    return user


async def category_names(uow: UnitOfWork) -> list[str]:
    """The categories offered, for callers with a unit of work of their own."""
    async with uow:
        return await uow.categories.names()


async def sync_categories(uow: UnitOfWork, names: list[str]) -> None:
    """Offers exactly the configured categories (run at start)."""
    async with uow:
        await uow.categories.sync(names)
        await uow.commit()
