"""Signup's buttons; one handler routes the whole family by the stage stored with the user."""

from __future__ import annotations

from domain.model import AccountType, Role, SignupStage
from handlers.core.callbacks import Button

SIGNUP = "su"


class SignupButton(Button):
    """Any signup button."""


class SignupTerms(SignupButton, area=SIGNUP, action="terms"):
    pass


class SignupRole(SignupButton, area=SIGNUP, action="role"):
    role: Role


class SignupAccountType(SignupButton, area=SIGNUP, action="type"):
    kind: AccountType


class SignupResendEmail(SignupButton, area=SIGNUP, action="resend"):
    pass


class SignupChangeEmail(SignupButton, area=SIGNUP, action="chemail"):
    pass


class SignupTelegramName(SignupButton, area=SIGNUP, action="tgname"):
    pass


class SignupCategory(SignupButton, area=SIGNUP, action="cat"):
    index: int


class SignupCategoriesDone(SignupButton, area=SIGNUP, action="catdone"):
    pass


class SignupSkip(SignupButton, area=SIGNUP, action="skip"):
    """Skip names its question, so a stale Skip can never skip a later one."""

    stage: SignupStage
