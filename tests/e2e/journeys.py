"""Steps of the user guide, written once and reused by the end-to-end tests."""

from __future__ import annotations

import asyncio
from datetime import datetime

from bot.runner import RunningBot
from domain.model import Role, SignupStage, User
from domain.skills import parse_skill_list
from sandbox import Sandbox, SimUser


async def confirm_email_from_inbox(sandbox: Sandbox, user: SimUser, address: str) -> None:
    """Opens the confirmation link of the newest email to ``address``, as a person would."""
    email = await sandbox.wait_for_email(address)
    [link] = [link for link in email.links if sandbox.is_deep_link(link)]
    await user.open_link(link)
    await user.wait_for_message("is confirmed")


async def sign_up(
    sandbox: Sandbox,
    user: SimUser,
    *,
    role: str,
    email: str,
    skills: str | None = None,
    organization: str | None = None,
) -> None:
    """Walks the whole signup: terms, role, account type, email link, then the profile."""
    await user.send("/start")
    await user.wait_for_message("Do you accept these terms?")
    await user.tap("Accept")
    await user.wait_for_message("How will you use Leadline")
    await user.tap(role)
    await user.wait_for_message("individual or as an organization")
    if organization:
        await user.tap("Organization")
        await user.wait_for_message("name of your organization")
        await user.send(organization)
    else:
        await user.tap("Individual")
    await user.wait_for_message("email address?")
    await user.send(email)
    await user.wait_for_message("I sent a confirmation link")
    await confirm_email_from_inbox(sandbox, user, email)
    await user.wait_for_message("What name should others see?")
    await user.tap(f"Use “{user.first_name}”")
    await user.wait_for_message("headline")
    await user.tap("Skip")
    await user.wait_for_message("skills")
    if skills:
        await user.send(skills)
    else:
        await user.tap("Skip")
    await user.wait_for_message("categories")
    await user.tap("Done")
    await user.wait_for_message("Where are you based?")
    await user.tap("Skip")
    await user.wait_for_message("You're all set")


async def python_sellers(
    sandbox: Sandbox, bot: RunningBot, count: int, now: datetime
) -> list[SimUser]:
    """``count`` signed-up sellers of Python, written straight to the database (quicker than
    signing each up); each has talked to the bot first, so that it may write to them."""
    sellers = [sandbox.create_user(f"Seller{i}") for i in range(count)]
    for seller in sellers:
        await seller.send("/help")
    await asyncio.gather(*(s.wait_for_message("/profile", timeout=60) for s in sellers))
    async with bot.app.bot_data["services"].uow() as uow:
        skills = await uow.skills.resolve(parse_skill_list("Python"))
        for seller in sellers:
            user = await uow.users.add(
                User(telegram_id=seller.id, first_name=seller.first_name, created_at=now)
            )
            user.roles, user.signup_stage = {Role.SELLER}, SignupStage.DONE
            user.email, user.email_verified_at = f"s{seller.id}@example.org", now
            user.profile.skills = skills
            user.terms_version = bot.app.bot_data["services"].terms.version
            await uow.users.save(user)
        await uow.commit()
    return sellers
