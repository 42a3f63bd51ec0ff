"""Signup and profile use cases against the fake unit of work."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import TypeVar

import pytest

from domain import accounts, profiles
from domain.errors import InvalidInput, NotAllowed
from domain.events import ConfirmationEmailRequested, Event
from domain.model import AccountType, OutboxKind, Role, SignupStage, User
from domain.onboarding import TextAnswer
from domain.ports import UnitOfWork
from handlers.core.notify import Telling
from handlers.signup import notices
from tests.acting import act
from tests.fakes import FakeStore, FakeUnitOfWork

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
TID = 1001
ME = accounts.TelegramIdentity(TID, "Ann", "ann")

C = TypeVar("C")
R = TypeVar("R")


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork(FakeStore())


class Signup:
    """Runs use cases as one user, each in its own transaction, keeping the events."""

    def __init__(self, uow: FakeUnitOfWork, telegram_id: int = TID) -> None:
        self.uow = uow
        self.telegram_id = telegram_id
        self.events: list[Event] = []

    async def __call__(
        self,
        use_case: Callable[[UnitOfWork, User, C, datetime], Awaitable[R]],
        command: C,
        now: datetime = NOW,
    ) -> R:
        return await act(self.uow, self.telegram_id, use_case, command, now, self.events)

    async def open(self, who: accounts.TelegramIdentity = ME, payload: str = "") -> User:
        """/start: there is no user to act as yet."""
        async with self.uow:
            known = await self.uow.users.get_by_telegram_id(who.telegram_id)
            arrival = await accounts.start(self.uow, known, accounts.Start(who, payload), NOW)
            await self.uow.commit()
            return arrival.user

    def link(self) -> str:
        """The payload of the newest confirmation link sent."""
        event = [e for e in self.events if isinstance(e, ConfirmationEmailRequested)][-1]
        return event.token

    async def to_email(self, role: Role = Role.SELLER) -> None:
        await self.open()
        await self(accounts.accept_terms, accounts.AcceptTerms())
        await self(accounts.choose_role, accounts.ChooseRole(role))
        await self(accounts.choose_account_type, accounts.ChooseAccountType(AccountType.INDIVIDUAL))

    async def confirmed(self, role: Role = Role.SELLER, address: str = "ann@example.com") -> None:
        await self.to_email(role)
        await self(accounts.submit_email, TextAnswer(address))
        await self(accounts.confirm_email, accounts.ConfirmEmail(self.link()))

    async def skip(self, *stages: SignupStage) -> User:
        user = None
        for stage in stages:
            user = (await self(profiles.skip_step, profiles.SkipQuestion(stage))).user
        assert user is not None
        return user


@pytest.fixture
def ann(uow: FakeUnitOfWork) -> Signup:
    return Signup(uow)


async def test_signup_follows_the_designed_order(ann: Signup) -> None:
    user = await ann.open()
    assert user.signup_stage is SignupStage.TERMS
    progress = await ann(accounts.accept_terms, accounts.AcceptTerms())
    assert progress.user.signup_stage is SignupStage.ROLE
    progress = await ann(accounts.choose_role, accounts.ChooseRole(Role.BUYER))
    assert progress.user.signup_stage is SignupStage.ACCOUNT_TYPE
    kind = accounts.ChooseAccountType(AccountType.ORGANIZATION)
    progress = await ann(accounts.choose_account_type, kind)
    assert progress.user.signup_stage is SignupStage.ORGANIZATION
    user = (await ann(accounts.set_organization_name, TextAnswer("  Acme   <Ltd> "))).user
    assert (user.organization_name, user.signup_stage) == ("Acme <Ltd>", SignupStage.EMAIL)
    user = (await ann(accounts.submit_email, TextAnswer("Ann@Example.COM"))).user
    assert (user.email, user.signup_stage) == ("Ann@example.com", SignupStage.CONFIRM_EMAIL)
    assert not user.email_verified
    user = await ann.open(payload=ann.link())  # the link opens /start in Telegram
    assert user.email_verified and user.signup_stage is SignupStage.DISPLAY_NAME
    await ann(profiles.set_display_name, TextAnswer("Ann"))
    await ann.skip(SignupStage.HEADLINE, SignupStage.SKILLS)
    legal = ann.uow.store.categories.index("Legal")
    choice = await ann(profiles.toggle_category, profiles.ToggleCategory(legal))
    assert choice.user.profile.categories == ["Legal"]
    progress = await ann(profiles.finish_categories, profiles.FinishCategories())
    assert progress.user.signup_stage is SignupStage.LOCATION
    user = (await ann(profiles.set_location, TextAnswer("Berlin"))).user
    assert user.signed_up and user.profile.categories == ["Legal"]


async def test_the_category_question_comes_with_the_categories(ann: Signup) -> None:
    await ann.confirmed(Role.BUYER)
    await ann(profiles.set_display_name, TextAnswer("Ann"))
    progress = await ann(profiles.skip_step, profiles.SkipQuestion(SignupStage.HEADLINE))
    assert progress.categories == []
    progress = await ann(profiles.skip_step, profiles.SkipQuestion(SignupStage.SKILLS))
    assert progress.user.signup_stage is SignupStage.CATEGORIES
    assert progress.categories == ann.uow.store.categories


async def test_a_question_answered_twice_is_refused(ann: Signup) -> None:
    await ann.to_email()
    with pytest.raises(NotAllowed, match="already answered"):
        await ann(accounts.choose_role, accounts.ChooseRole(Role.BUYER))
    with pytest.raises(NotAllowed):
        await ann.skip(SignupStage.HEADLINE)


async def test_sellers_cannot_skip_skills_and_skills_are_normalized(ann: Signup) -> None:
    await ann.confirmed(Role.SELLER)
    await ann(profiles.set_display_name, TextAnswer("Ann"))
    await ann(profiles.set_headline, TextAnswer("Django dev"))
    with pytest.raises(InvalidInput, match="Sellers need"):
        await ann.skip(SignupStage.SKILLS)
    user = (await ann(profiles.set_skills, TextAnswer("python,  PYTHON , django"))).user
    assert user.profile.skills == ["Python", "Django"]


async def test_only_the_hash_of_a_token_is_stored(ann: Signup) -> None:
    await ann.to_email()
    await ann(accounts.submit_email, TextAnswer("ann@example.com"))
    payload = ann.link()
    [stored] = ann.uow.store.tokens
    token = payload.removeprefix(accounts.TOKEN_PREFIX)
    assert stored.token_hash == accounts.hash_token(token) and token not in stored.token_hash
    assert ann.uow.store.outbox == []  # the Telegram layer composes and queues the email


async def test_the_confirmation_notice_queues_the_email(ann: Signup) -> None:
    await ann.to_email()
    await ann(accounts.submit_email, TextAnswer("ann@example.com"))
    event = ann.events[-1]
    assert isinstance(event, ConfirmationEmailRequested)
    [email] = notices.confirmation_email(event, Telling(NOW, "leadline_bot"))
    assert (email.kind, email.recipient, email.user_id) == (
        OutboxKind.EMAIL,
        "ann@example.com",
        event.user.id,
    )
    assert set(email.payload) == {"subject", "text", "html"}
    assert f"https://t.me/leadline_bot?start={event.token}" in str(email.payload["text"])


async def test_confirmation_link_is_one_time(ann: Signup) -> None:
    await ann.to_email()
    await ann(accounts.submit_email, TextAnswer("ann@example.com"))
    payload = ann.link()
    await ann(accounts.confirm_email, accounts.ConfirmEmail(payload))
    with pytest.raises(NotAllowed, match="already used"):
        await ann(accounts.confirm_email, accounts.ConfirmEmail(payload))


async def test_confirmation_link_expires_after_a_day(ann: Signup) -> None:
    await ann.to_email()
    await ann(accounts.submit_email, TextAnswer("ann@example.com"))
    with pytest.raises(NotAllowed, match="expired"):
        await ann(
            accounts.confirm_email, accounts.ConfirmEmail(ann.link()), NOW + timedelta(hours=24)
        )


async def test_resend_replaces_the_old_link_after_a_cooldown(ann: Signup) -> None:
    await ann.to_email()
    await ann(accounts.submit_email, TextAnswer("ann@example.com"))
    old = ann.link()
    with pytest.raises(NotAllowed, match="wait"):
        await ann(accounts.resend_confirmation, accounts.ResendEmail(), NOW + timedelta(seconds=2))
    later = NOW + timedelta(minutes=1)
    assert await ann(accounts.resend_confirmation, accounts.ResendEmail(), later) == (
        "ann@example.com"
    )
    new = ann.link()
    sent = [e for e in ann.events if isinstance(e, ConfirmationEmailRequested)]
    assert new != old and len(sent) == 2
    with pytest.raises(NotAllowed, match="replaced"):
        await ann(accounts.confirm_email, accounts.ConfirmEmail(old), later)
    progress = await ann(accounts.confirm_email, accounts.ConfirmEmail(new), later)
    assert progress.user.email_verified


async def test_wrong_and_foreign_tokens_are_refused(ann: Signup, uow: FakeUnitOfWork) -> None:
    await ann.to_email()
    await ann(accounts.submit_email, TextAnswer("ann@example.com"))
    with pytest.raises(InvalidInput, match="not valid"):
        await ann(accounts.confirm_email, accounts.ConfirmEmail("e_forged"))
    bob = Signup(uow, 2002)
    await bob.open(accounts.TelegramIdentity(2002, "Bob"))
    with pytest.raises(NotAllowed, match="another account"):
        await bob(accounts.confirm_email, accounts.ConfirmEmail(ann.link()))


async def test_a_failed_use_case_changes_nothing(ann: Signup) -> None:
    await ann.to_email()
    with pytest.raises(InvalidInput):
        await ann(accounts.submit_email, TextAnswer("not-an-email"))
    user = await accounts.get_user(ann.uow, TID)
    assert user is not None and user.email is None and ann.uow.store.tokens == []


async def test_adding_the_seller_role_needs_a_skill(ann: Signup) -> None:
    await ann.confirmed(Role.BUYER)
    await ann(profiles.set_display_name, TextAnswer("Ann"))
    await ann.skip(
        SignupStage.HEADLINE, SignupStage.SKILLS, SignupStage.CATEGORIES, SignupStage.LOCATION
    )
    with pytest.raises(InvalidInput, match="skill"):
        await ann(profiles.add_role, profiles.AddRole(Role.SELLER))
    skills = profiles.EditProfile(profiles.ProfileField.SKILLS, "Copywriting", Role.SELLER)
    edited = await ann(profiles.edit_profile, skills)
    assert edited.user.roles == {Role.BUYER, Role.SELLER}
    assert edited.user.profile.skills == ["Copywriting"]
    with pytest.raises(NotAllowed, match="already a seller"):
        await ann(profiles.add_role, profiles.AddRole(Role.SELLER))


async def test_changing_a_verified_email_keeps_the_old_one_until_confirmed(ann: Signup) -> None:
    await ann.confirmed(Role.BUYER)
    await ann(profiles.set_display_name, TextAnswer("Ann"))
    await ann.skip(
        SignupStage.HEADLINE, SignupStage.SKILLS, SignupStage.CATEGORIES, SignupStage.LOCATION
    )
    email = profiles.EditProfile(profiles.ProfileField.EMAIL, "new@example.com")
    edited = await ann(profiles.edit_profile, email)
    assert edited.confirming == "new@example.com"
    assert edited.user.email == "ann@example.com" and edited.user.email_verified
    user = await ann.open(payload=ann.link())
    assert user.email == "new@example.com" and user.signed_up
    with pytest.raises(InvalidInput, match="already confirmed"):
        await ann(profiles.edit_profile, email)


async def test_a_suspended_user_gets_no_new_email_for_an_address_changed_before(
    ann: Signup,
) -> None:
    await ann.confirmed(Role.BUYER)
    await ann(profiles.set_display_name, TextAnswer("Ann"))
    await ann.skip(
        SignupStage.HEADLINE, SignupStage.SKILLS, SignupStage.CATEGORIES, SignupStage.LOCATION
    )
    email = profiles.EditProfile(profiles.ProfileField.EMAIL, "new@example.com")
    await ann(profiles.edit_profile, email)
    async with ann.uow:
        user = await ann.uow.users.get_by_telegram_id(TID)
        assert user is not None
        user.suspend("Spam.")
        await ann.uow.users.save(user)
        await ann.uow.commit()
    sent = len(ann.events)
    with pytest.raises(NotAllowed, match="suspended"):
        await ann(accounts.resend_confirmation, accounts.ResendEmail(), NOW + timedelta(hours=1))
    assert len(ann.events) == sent


async def test_resending_is_capped_per_hour(ann: Signup) -> None:
    await ann.to_email()
    await ann(accounts.submit_email, TextAnswer("ann@example.com"))
    for minute in range(1, accounts.MAX_EMAILS_PER_HOUR):
        await ann(
            accounts.resend_confirmation, accounts.ResendEmail(), NOW + timedelta(minutes=minute)
        )
    with pytest.raises(NotAllowed, match="last hour"):
        await ann(accounts.resend_confirmation, accounts.ResendEmail(), NOW + timedelta(minutes=30))
    await ann(accounts.resend_confirmation, accounts.ResendEmail(), NOW + timedelta(minutes=90))


async def test_an_organization_can_turn_back_into_an_individual(ann: Signup) -> None:
    await ann.open()
    await ann(accounts.accept_terms, accounts.AcceptTerms())
    await ann(accounts.choose_role, accounts.ChooseRole(Role.BUYER))
    organization = accounts.ChooseAccountType(AccountType.ORGANIZATION)
    await ann(accounts.choose_account_type, organization)
    individual = accounts.ChooseAccountType(AccountType.INDIVIDUAL)
    user = (await ann(accounts.choose_account_type, individual)).user
    assert user.account_type is AccountType.INDIVIDUAL and user.signup_stage is SignupStage.EMAIL
    with pytest.raises(NotAllowed):
        await ann(accounts.choose_account_type, organization)


async def test_start_keeps_the_telegram_name_current(ann: Signup) -> None:
    first = await ann.open()
    again = await ann.open(accounts.TelegramIdentity(TID, "Annie", None))
    assert again.id == first.id and (again.first_name, again.username) == ("Annie", None)
    assert len(ann.uow.store.users) == 1


async def test_categories_are_capped_and_a_stale_index_refused(ann: Signup) -> None:
    await ann.confirmed(Role.BUYER)
    await ann(profiles.set_display_name, TextAnswer("Ann"))
    await ann.skip(SignupStage.HEADLINE, SignupStage.SKILLS)
    for index in range(profiles.MAX_CATEGORIES):
        await ann(profiles.toggle_category, profiles.ToggleCategory(index))
    with pytest.raises(InvalidInput, match="at most"):
        await ann(profiles.toggle_category, profiles.ToggleCategory(profiles.MAX_CATEGORIES))
    with pytest.raises(InvalidInput, match="not on the list"):
        await ann(profiles.toggle_category, profiles.ToggleCategory(999))
    choice = await ann(profiles.toggle_category, profiles.ToggleCategory(0))
    assert len(choice.user.profile.categories) == profiles.MAX_CATEGORIES - 1


async def test_the_signup_category_picker_is_refused_once_signup_is_done(ann: Signup) -> None:
    await ann.confirmed(Role.BUYER)
    await ann(profiles.set_display_name, TextAnswer("Ann"))
    await ann.skip(SignupStage.HEADLINE, SignupStage.SKILLS)
    await ann(profiles.finish_categories, profiles.FinishCategories())
    await ann.skip(SignupStage.LOCATION)
    # The old signup picker is still in the chat: its ticks and its Done are stale now.
    with pytest.raises(NotAllowed, match="already answered"):
        await ann(profiles.toggle_category, profiles.ToggleCategory(0, at_signup=True))
    with pytest.raises(NotAllowed, match="already answered"):
        await ann(profiles.finish_categories, profiles.FinishCategories())
    # /profile's picker edits them any time.
    choice = await ann(profiles.toggle_category, profiles.ToggleCategory(0))
    assert choice.user.signed_up and len(choice.user.profile.categories) == 1
