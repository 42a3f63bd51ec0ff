"""Use cases that fill in and edit a profile, during signup and from /profile later."""

from __future__ import annotations

from domain import validation
from domain.errors import InvalidInput, NotAllowed
from domain.model import Role, SignupStage, User
from domain.onboarding import SKIPPABLE, answer, load_user, require_editable, require_stage
from domain.ports import UnitOfWork
from domain.skills import parse_skill_list

MAX_CATEGORIES = 5


async def set_display_name(uow: UnitOfWork, telegram_id: int, text: str) -> User:
    name = validation.validate_display_name(text)
    async with uow:
        user = await load_user(uow, telegram_id)
        require_editable(user, SignupStage.DISPLAY_NAME)
        user.profile.display_name = name
        answer(user, SignupStage.DISPLAY_NAME)
        await uow.users.save(user)
        await uow.commit()
        return user


async def use_telegram_name(uow: UnitOfWork, telegram_id: int) -> User:
    """The signup button "Use <Telegram name>": only while that question is open."""
    async with uow:
        user = await load_user(uow, telegram_id)
        require_stage(user, SignupStage.DISPLAY_NAME)
        user.profile.display_name = validation.validate_display_name(user.first_name)
        answer(user, SignupStage.DISPLAY_NAME)
        await uow.users.save(user)
        await uow.commit()
        return user


async def set_headline(uow: UnitOfWork, telegram_id: int, text: str) -> User:
    headline = validation.validate_headline(text)
    async with uow:
        user = await load_user(uow, telegram_id)
        require_editable(user, SignupStage.HEADLINE)
        user.profile.headline = headline
        answer(user, SignupStage.HEADLINE)
        await uow.users.save(user)
        await uow.commit()
        return user


async def set_skills(uow: UnitOfWork, telegram_id: int, text: str) -> User:
    """Replaces the user's skills with the canonical forms of the typed list."""
    names = parse_skill_list(text)
    async with uow:
        user = await load_user(uow, telegram_id)
        require_editable(user, SignupStage.SKILLS)
        user.profile.skills = await uow.skills.resolve(names)
        answer(user, SignupStage.SKILLS)
        await uow.users.save(user)
        await uow.commit()
        return user


async def toggle_category(uow: UnitOfWork, telegram_id: int, category: str) -> User:
    async with uow:
        user = await load_user(uow, telegram_id)
        require_editable(user, SignupStage.CATEGORIES)
        if category not in await uow.categories.names():
            raise InvalidInput("That category is not on the list.")
        chosen = user.profile.categories
        if category in chosen:
            chosen.remove(category)
        elif len(chosen) >= MAX_CATEGORIES:
            raise InvalidInput(f"You can pick at most {MAX_CATEGORIES} categories.")
        else:
            chosen.append(category)
        await uow.users.save(user)
        await uow.commit()
        return user


async def finish_categories(uow: UnitOfWork, telegram_id: int) -> User:
    async with uow:
        user = await load_user(uow, telegram_id)
        require_editable(user, SignupStage.CATEGORIES)
        answer(user, SignupStage.CATEGORIES)
        await uow.users.save(user)
        await uow.commit()
        return user


async def set_location(uow: UnitOfWork, telegram_id: int, text: str) -> User:
    location = validation.validate_location(text)
    async with uow:
        user = await load_user(uow, telegram_id)
        require_editable(user, SignupStage.LOCATION)
        user.profile.location = location
        answer(user, SignupStage.LOCATION)
        await uow.users.save(user)
        await uow.commit()
        return user


async def set_timezone(uow: UnitOfWork, telegram_id: int, text: str) -> User:
    zone = validation.validate_timezone(text)
    async with uow:
        user = await load_user(uow, telegram_id)
        user.profile.timezone = zone
        await uow.users.save(user)
        await uow.commit()
        return user


async def skip_step(uow: UnitOfWork, telegram_id: int, stage: SignupStage) -> User:
    """Skips an optional signup question; sellers cannot skip their skills."""
    async with uow:
        user = await load_user(uow, telegram_id)
        if stage not in SKIPPABLE or user.signup_stage is not stage:
            raise NotAllowed("That question was already answered.")
        if stage is SignupStage.SKILLS and user.is_seller:
            raise InvalidInput("Sellers need at least one skill, so buyers can find you.")
        answer(user, stage)
        await uow.users.save(user)
        await uow.commit()
        return user


async def add_role(uow: UnitOfWork, telegram_id: int, role: Role) -> User:
    """Adds the other role; a new seller must already list a skill."""
    async with uow:
        user = await load_user(uow, telegram_id)
        if not user.signed_up:
            raise NotAllowed("Please finish signing up first.")
        if role in user.roles:
            raise NotAllowed(f"You are already a {role.value}.")
        if role is Role.SELLER and not user.profile.skills:
            raise InvalidInput("Add at least one skill first, so buyers can find you.")
        user.roles.add(role)
        await uow.users.save(user)
        await uow.commit()
        return user


async def category_names(uow: UnitOfWork) -> list[str]:
    async with uow:
        return await uow.categories.names()


async def sync_categories(uow: UnitOfWork, names: list[str]) -> None:
    """Offers exactly the configured categories (run at start)."""
    async with uow:
        await uow.categories.sync(names)
        await uow.commit()
