"""The order of signup questions, the guards that keep answers in that order, and what a
signup step hands back to be asked next."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from domain.errors import NotAllowed
from domain.model import SignupStage, User
from domain.ports import UnitOfWork

FOLLOWS: dict[SignupStage, SignupStage] = {
    SignupStage.TERMS: SignupStage.ROLE,
    SignupStage.ROLE: SignupStage.ACCOUNT_TYPE,
    SignupStage.ORGANIZATION: SignupStage.EMAIL,
    SignupStage.EMAIL: SignupStage.CONFIRM_EMAIL,
    SignupStage.CONFIRM_EMAIL: SignupStage.DISPLAY_NAME,
    SignupStage.DISPLAY_NAME: SignupStage.HEADLINE,
    SignupStage.HEADLINE: SignupStage.SKILLS,
    SignupStage.SKILLS: SignupStage.CATEGORIES,
    SignupStage.CATEGORIES: SignupStage.LOCATION,
    SignupStage.LOCATION: SignupStage.DONE,
}
# Skipping the display name keeps the Telegram name.
SKIPPABLE = frozenset(
    {
        SignupStage.DISPLAY_NAME,
        SignupStage.HEADLINE,
        SignupStage.SKILLS,
        SignupStage.CATEGORIES,
        SignupStage.LOCATION,
    }
)


@dataclass(frozen=True)
class TextAnswer:
    """A typed answer to a signup question or a profile field."""

    text: str


@dataclass(frozen=True)
class Progress:
    """Where a user is in signup after a step, with what the next question offers: the
    category names, loaded only when the next question is the category picker."""

    user: User
    categories: list[str] = field(default_factory=list)


async def progress(uow: UnitOfWork, user: User) -> Progress:
    """The user with what their current question needs."""
    if user.signup_stage is SignupStage.CATEGORIES:
        return Progress(user, await uow.categories.names())
    return Progress(user)


async def current_question(uow: UnitOfWork, user: User, _: object, now: datetime) -> Progress:
    """Where the user is in signup, to ask that question again."""
    return await progress(uow, user)


def answer(user: User, stage: SignupStage) -> None:
    """Moves signup past ``stage`` when that is the question being answered."""
    if user.signup_stage is stage:
        user.signup_stage = FOLLOWS[stage]


def require_stage(user: User, *stages: SignupStage) -> None:
    if user.signup_stage not in stages:
        raise NotAllowed("That question was already answered.")


def require_editable(user: User, stage: SignupStage) -> None:
    """Profile fields may be set at their own signup question or any time after signup
    (not while suspended)."""
    require_stage(user, stage, SignupStage.DONE)
    user.ensure_active("edit your profile")
