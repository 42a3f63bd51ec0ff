"""Steps of the user guide, written once and reused by the end-to-end tests."""

from __future__ import annotations

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
