"""Inline keyboards; every button's data is one of the typed buttons of the callback codec."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from domain import relay
from domain.model import AccountType, Role, SignupStage, User
from handlers.core import texts
from handlers.core.callbacks import Button
from handlers.core.context import LeadlineContext
from handlers.menu.buttons import (
    MenuContact,
    MenuDashboard,
    MenuHelp,
    MenuLeads,
    MenuMessages,
    MenuNewLead,
    MenuOpen,
    MenuProfile,
    MenuProviders,
    MenuSettings,
)
from handlers.profile.buttons import (
    ProfileAddRole,
    ProfileCategoriesDone,
    ProfileCategory,
    ProfileCredentials,
    ProfileEdit,
)
from handlers.providers.buttons import ProviderView
from handlers.signup.buttons import (
    SignupAccountType,
    SignupCategoriesDone,
    SignupCategory,
    SignupChangeEmail,
    SignupResendEmail,
    SignupRole,
    SignupSkip,
    SignupTelegramName,
    SignupTerms,
)


def button(text: str, pressed: Button) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=pressed.encode())


@dataclass(frozen=True)
class CategoryPicker:
    """Where the taps on a category picker go, and whether it offers Skip."""

    choice: Callable[[int], Button]
    done: Button
    skippable: bool


SIGNUP_CATEGORIES = CategoryPicker(SignupCategory, SignupCategoriesDone(), skippable=True)
PROFILE_CATEGORIES = CategoryPicker(ProfileCategory, ProfileCategoriesDone(), skippable=False)


def rows(*buttons: InlineKeyboardButton, width: int = 2) -> InlineKeyboardMarkup:
    items = list(buttons)
    return InlineKeyboardMarkup([items[i : i + width] for i in range(0, len(items), width)])


def skip(stage: SignupStage) -> InlineKeyboardButton:
    """Skip names its question, so a stale Skip can never skip a later one."""
    return button("Skip", SignupSkip(stage))


def category_picker(
    categories: Iterable[str], chosen: Iterable[str], picker: CategoryPicker
) -> InlineKeyboardMarkup:
    picked = set(chosen)
    buttons = [
        button(("✅ " if name in picked else "") + name, picker.choice(index))
        for index, name in enumerate(categories)
    ]
    keyboard = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    last = [button("Done", picker.done)]
    if picker.skippable:
        last.append(skip(SignupStage.CATEGORIES))
    keyboard.append(last)
    return InlineKeyboardMarkup(keyboard)


def signup_question(user: User, categories: list[str]) -> InlineKeyboardMarkup | None:
    """The buttons under the question for where the user is in signup."""
    match user.signup_stage:
        case SignupStage.TERMS:
            return rows(button("✅ Accept", SignupTerms()))
        case SignupStage.ROLE:
            return rows(
                button(texts.ROLE_NAMES[Role.BUYER], SignupRole(Role.BUYER)),
                button(texts.ROLE_NAMES[Role.SELLER], SignupRole(Role.SELLER)),
            )
        case SignupStage.ACCOUNT_TYPE:
            return rows(
                *(
                    button(texts.ACCOUNT_TYPE_NAMES[kind], SignupAccountType(kind))
                    for kind in AccountType
                )
            )
        case SignupStage.ORGANIZATION:
            individual = SignupAccountType(AccountType.INDIVIDUAL)
            return rows(button("⬅️ I'm an individual", individual))
        case SignupStage.CONFIRM_EMAIL:
            return rows(
                button("📨 Resend email", SignupResendEmail()),
                button("✏️ Change email", SignupChangeEmail()),
            )
        case SignupStage.DISPLAY_NAME:
            name = user.first_name[:40]
            if not any(char.isalpha() for char in name):
                # A name needs a letter (domain/validation.py): "Use “🔥🔥🔥”" would be refused.
                return rows(skip(user.signup_stage))
            return rows(
                button(texts.use_telegram_name(name), SignupTelegramName()), skip(user.signup_stage)
            )
        case SignupStage.HEADLINE | SignupStage.LOCATION:
            return rows(skip(user.signup_stage))
        case SignupStage.SKILLS:
            return None if user.is_seller else rows(skip(user.signup_stage))
        case SignupStage.CATEGORIES:
            return category_picker(categories, user.profile.categories, SIGNUP_CATEGORIES)
        case _:
            return None


def menu(user: User | None = None, unread: int = 0) -> InlineKeyboardMarkup:
    """The main menu: what the user's roles can do (everything when not known), and their
    conversations with the count of unread messages."""
    buyer = user is None or user.is_buyer
    seller = user is None or user.is_seller
    buttons = []
    if buyer:
        buttons.append(button("➕ Post a lead", MenuNewLead()))
    if seller:
        buttons.append(button("🔎 Find leads", MenuLeads()))
    if buyer:
        buttons.append(button("🧑‍💻 Find providers", MenuProviders()))
    messages = f"💬 Messages ({unread})" if unread else "💬 Messages"
    buttons += [
        button(messages, MenuMessages()),
        button("📊 Dashboard", MenuDashboard()),
        button("👤 Profile", MenuProfile()),
        button("⚙️ Settings", MenuSettings()),
        button("❓ Help", MenuHelp()),
        button("✉️ Contact us", MenuContact()),
    ]
    return rows(*buttons)


def profile_actions(user: User) -> InlineKeyboardMarkup:
    buttons = [
        button("✏️ Name", ProfileEdit("display_name")),
        button("✏️ Headline", ProfileEdit("headline")),
        button("✏️ Skills", ProfileEdit("skills")),
        button("✏️ Categories", ProfileEdit("categories")),
        button("✏️ Location", ProfileEdit("location")),
        button(texts.TIMEZONE_BUTTON, ProfileEdit("timezone")),
        button("📧 Email", ProfileEdit("email")),
    ]
    if user.account_type is AccountType.ORGANIZATION:
        buttons.append(button("🏢 Organization", ProfileEdit("organization")))
    if user.is_seller:
        buttons += [
            button("⏳ Experience", ProfileCredentials("experience")),
            button("🎓 Education", ProfileCredentials("education")),
            button("📄 Resume", ProfileCredentials("resume")),
            button("🏅 Documents", ProfileCredentials("documents")),
            button("🔗 Portfolio", ProfileCredentials("portfolio")),
            button("👁 My public card", ProviderView(user.id or 0)),
        ]
    for role in Role:
        if role not in user.roles:
            buttons.append(button(f"➕ Become a {role.value}", ProfileAddRole(role)))
    buttons.append(button("⬅️ Menu", MenuOpen()))
    return rows(*buttons)


async def main_menu(context: LeadlineContext) -> InlineKeyboardMarkup:
    """The main menu for whoever is acting in this update (one query for the unread count)."""
    user = context.turn.user
    if user is None or not user.signed_up:
        return menu(user)
    return menu(user, await context.turn.run(relay.unread_count, None))
