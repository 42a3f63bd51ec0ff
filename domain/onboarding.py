"""The order of signup questions and the guards that keep answers in that order."""

from __future__ import annotations

from domain.errors import NotAllowed, NotFound
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


async def load_user(uow: UnitOfWork, telegram_id: int) -> User:
    user = await uow.users.get_by_telegram_id(telegram_id)
    if user is None:
        raise NotFound("I don't know you yet; please send /start first.")
    return user


def answer(user: User, stage: SignupStage) -> None:
    """Moves signup past ``stage`` when that is the question being answered."""
    if user.signup_stage is stage:
        user.signup_stage = FOLLOWS[stage]


def require_stage(user: User, *stages: SignupStage) -> None:
    if user.signup_stage not in stages:
        raise NotAllowed("That question was already answered.")


def require_editable(user: User, stage: SignupStage) -> None:
    """Profile fields may be set at their own signup question or any time after signup."""
    require_stage(user, stage, SignupStage.DONE)
