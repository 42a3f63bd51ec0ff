"""Signup and profile use cases against the fake unit of work."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain import accounts, profiles
from domain.errors import InvalidInput, NotAllowed
from domain.model import AccountType, EmailDraft, OutboxKind, Role, SignupStage
from tests.fakes import FakeStore, FakeUnitOfWork

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
TID = 1001
ME = accounts.TelegramIdentity(TID, "Ann", "ann")


def compose(address: str, payload: str) -> EmailDraft:
    return EmailDraft(address, "Confirm", f"https://t.me/bot?start={payload}", "")


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork(FakeStore())


def sent_payload(uow: FakeUnitOfWork) -> str:
    email = uow.store.outbox[-1]
    assert email.kind is OutboxKind.EMAIL
    return str(email.payload["text"]).rsplit("start=", 1)[1]


async def signed_up_to_email(uow: FakeUnitOfWork, role: Role = Role.SELLER) -> None:
    await accounts.open_account(uow, ME, NOW)
    await accounts.accept_terms(uow, TID, NOW)
    await accounts.choose_role(uow, TID, role)
    await accounts.choose_account_type(uow, TID, AccountType.INDIVIDUAL)


async def test_signup_follows_the_designed_order(uow: FakeUnitOfWork) -> None:
    user = await accounts.open_account(uow, ME, NOW)
    assert user.signup_stage is SignupStage.TERMS
    assert (await accounts.accept_terms(uow, TID, NOW)).signup_stage is SignupStage.ROLE
    assert (
        await accounts.choose_role(uow, TID, Role.BUYER)
    ).signup_stage is SignupStage.ACCOUNT_TYPE
    user = await accounts.choose_account_type(uow, TID, AccountType.ORGANIZATION)
    assert user.signup_stage is SignupStage.ORGANIZATION
    user = await accounts.set_organization_name(uow, TID, "  Acme   <Ltd> ")
    assert (user.organization_name, user.signup_stage) == ("Acme <Ltd>", SignupStage.EMAIL)
    user = await accounts.submit_email(uow, TID, "Ann@Example.COM", NOW, compose)
    assert (user.email, user.signup_stage) == ("Ann@example.com", SignupStage.CONFIRM_EMAIL)
    assert not user.email_verified
    user = await accounts.confirm_email(uow, TID, sent_payload(uow), NOW + timedelta(hours=1))
    assert user.email_verified and user.signup_stage is SignupStage.DISPLAY_NAME
    await profiles.set_display_name(uow, TID, "Ann")
    await profiles.skip_step(uow, TID, SignupStage.HEADLINE)
    await profiles.skip_step(uow, TID, SignupStage.SKILLS)
    await profiles.toggle_category(uow, TID, "Legal")
    await profiles.finish_categories(uow, TID)
    user = await profiles.set_location(uow, TID, "Berlin")
    assert user.signed_up and user.profile.categories == ["Legal"]


async def test_a_question_answered_twice_is_refused(uow: FakeUnitOfWork) -> None:
    await signed_up_to_email(uow)
    with pytest.raises(NotAllowed, match="already answered"):
        await accounts.choose_role(uow, TID, Role.BUYER)
    with pytest.raises(NotAllowed):
        await profiles.skip_step(uow, TID, SignupStage.HEADLINE)


async def test_sellers_cannot_skip_skills_and_skills_are_normalized(uow: FakeUnitOfWork) -> None:
    await signed_up_to_email(uow, Role.SELLER)
    await accounts.submit_email(uow, TID, "ann@example.com", NOW, compose)
    await accounts.confirm_email(uow, TID, sent_payload(uow), NOW)
    await profiles.set_display_name(uow, TID, "Ann")
    await profiles.set_headline(uow, TID, "Django dev")
    with pytest.raises(InvalidInput, match="Sellers need"):
        await profiles.skip_step(uow, TID, SignupStage.SKILLS)
    user = await profiles.set_skills(uow, TID, "python,  PYTHON , django")
    assert user.profile.skills == ["Python", "Django"]


async def test_confirmation_link_is_one_time(uow: FakeUnitOfWork) -> None:
    await signed_up_to_email(uow)
    await accounts.submit_email(uow, TID, "ann@example.com", NOW, compose)
    payload = sent_payload(uow)
    await accounts.confirm_email(uow, TID, payload, NOW)
    with pytest.raises(NotAllowed, match="already used"):
        await accounts.confirm_email(uow, TID, payload, NOW)


async def test_confirmation_link_expires_after_a_day(uow: FakeUnitOfWork) -> None:
    await signed_up_to_email(uow)
    await accounts.submit_email(uow, TID, "ann@example.com", NOW, compose)
    with pytest.raises(NotAllowed, match="expired"):
        await accounts.confirm_email(uow, TID, sent_payload(uow), NOW + timedelta(hours=24))


async def test_resend_replaces_the_old_link_after_a_cooldown(uow: FakeUnitOfWork) -> None:
    await signed_up_to_email(uow)
    await accounts.submit_email(uow, TID, "ann@example.com", NOW, compose)
    old = sent_payload(uow)
    with pytest.raises(NotAllowed, match="wait"):
        await accounts.resend_confirmation(uow, TID, NOW + timedelta(seconds=2), compose)
    later = NOW + timedelta(minutes=1)
    await accounts.resend_confirmation(uow, TID, later, compose)
    new = sent_payload(uow)
    assert new != old and len(uow.store.outbox) == 2
    with pytest.raises(NotAllowed, match="replaced"):
        await accounts.confirm_email(uow, TID, old, later)
    assert (await accounts.confirm_email(uow, TID, new, later)).email_verified


async def test_wrong_and_foreign_tokens_are_refused(uow: FakeUnitOfWork) -> None:
    await signed_up_to_email(uow)
    await accounts.submit_email(uow, TID, "ann@example.com", NOW, compose)
    payload = sent_payload(uow)
    with pytest.raises(InvalidInput, match="not valid"):
        await accounts.confirm_email(uow, TID, "e_forged", NOW)
    await accounts.open_account(uow, accounts.TelegramIdentity(2002, "Bob"), NOW)
    with pytest.raises(NotAllowed, match="another account"):
        await accounts.confirm_email(uow, 2002, payload, NOW)


async def test_a_failed_use_case_changes_nothing(uow: FakeUnitOfWork) -> None:
    await signed_up_to_email(uow)
    with pytest.raises(InvalidInput):
        await accounts.submit_email(uow, TID, "not-an-email", NOW, compose)
    user = await accounts.get_user(uow, TID)
    assert user is not None and user.email is None and uow.store.outbox == []


async def test_adding_the_seller_role_needs_a_skill(uow: FakeUnitOfWork) -> None:
    await signed_up_to_email(uow, Role.BUYER)
    await accounts.submit_email(uow, TID, "ann@example.com", NOW, compose)
    await accounts.confirm_email(uow, TID, sent_payload(uow), NOW)
    for stage in (
        SignupStage.HEADLINE,
        SignupStage.SKILLS,
        SignupStage.CATEGORIES,
        SignupStage.LOCATION,
    ):
        if stage is SignupStage.HEADLINE:
            await profiles.set_display_name(uow, TID, "Ann")
        await profiles.skip_step(uow, TID, stage)
    with pytest.raises(InvalidInput, match="skill"):
        await profiles.add_role(uow, TID, Role.SELLER)
    await profiles.set_skills(uow, TID, "Copywriting")
    user = await profiles.add_role(uow, TID, Role.SELLER)
    assert user.roles == {Role.BUYER, Role.SELLER}


async def test_changing_a_verified_email_keeps_the_old_one_until_confirmed(
    uow: FakeUnitOfWork,
) -> None:
    await signed_up_to_email(uow, Role.BUYER)
    await accounts.submit_email(uow, TID, "ann@example.com", NOW, compose)
    await accounts.confirm_email(uow, TID, sent_payload(uow), NOW)
    await profiles.set_display_name(uow, TID, "Ann")
    for stage in (
        SignupStage.HEADLINE,
        SignupStage.SKILLS,
        SignupStage.CATEGORIES,
        SignupStage.LOCATION,
    ):
        await profiles.skip_step(uow, TID, stage)
    user = await accounts.submit_email(uow, TID, "new@example.com", NOW, compose)
    assert user.email == "ann@example.com" and user.email_verified
    user = await accounts.confirm_email(uow, TID, sent_payload(uow), NOW)
    assert user.email == "new@example.com" and user.signed_up


async def test_resending_is_capped_per_hour(uow: FakeUnitOfWork) -> None:
    await signed_up_to_email(uow)
    await accounts.submit_email(uow, TID, "ann@example.com", NOW, compose)
    for minute in range(1, accounts.MAX_EMAILS_PER_HOUR):
        await accounts.resend_confirmation(uow, TID, NOW + timedelta(minutes=minute), compose)
    with pytest.raises(NotAllowed, match="last hour"):
        await accounts.resend_confirmation(uow, TID, NOW + timedelta(minutes=30), compose)
    await accounts.resend_confirmation(uow, TID, NOW + timedelta(minutes=90), compose)


async def test_an_organization_can_turn_back_into_an_individual(uow: FakeUnitOfWork) -> None:
    await accounts.open_account(uow, ME, NOW)
    await accounts.accept_terms(uow, TID, NOW)
    await accounts.choose_role(uow, TID, Role.BUYER)
    await accounts.choose_account_type(uow, TID, AccountType.ORGANIZATION)
    user = await accounts.choose_account_type(uow, TID, AccountType.INDIVIDUAL)
    assert user.account_type is AccountType.INDIVIDUAL and user.signup_stage is SignupStage.EMAIL
    with pytest.raises(NotAllowed):
        await accounts.choose_account_type(uow, TID, AccountType.ORGANIZATION)
