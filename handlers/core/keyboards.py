"""Inline keyboards; every button's data comes from the callback codec."""

from __future__ import annotations

from collections.abc import Iterable

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from domain.model import AccountType, Role, SignupStage, User
from handlers.core import texts
from handlers.core.callbacks import Callback

SIGNUP = "su"
PROFILE = "pf"
MENU = "mn"


def button(text: str, area: str, action: str, argument: str = "") -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=Callback(area, action, argument).encode())


def rows(*buttons: InlineKeyboardButton, width: int = 2) -> InlineKeyboardMarkup:
    items = list(buttons)
    return InlineKeyboardMarkup([items[i : i + width] for i in range(0, len(items), width)])


def skip(stage: SignupStage) -> InlineKeyboardButton:
    """Skip names its question, so a stale Skip can never skip a later one."""
    return button("Skip", SIGNUP, "skip", stage.value)


def category_picker(
    categories: Iterable[str], chosen: Iterable[str], area: str, *, skippable: bool = False
) -> InlineKeyboardMarkup:
    picked = set(chosen)
    buttons = [
        button(("✅ " if name in picked else "") + name, area, "cat", str(index))
        for index, name in enumerate(categories)
    ]
    keyboard = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    last = [button("Done", area, "catdone")]
    if skippable:
        last.append(skip(SignupStage.CATEGORIES))
    keyboard.append(last)
    return InlineKeyboardMarkup(keyboard)


def signup_question(user: User, categories: list[str]) -> InlineKeyboardMarkup | None:
    """The buttons under the question for where the user is in signup."""
    match user.signup_stage:
        case SignupStage.TERMS:
            return rows(button("✅ Accept", SIGNUP, "terms"))
        case SignupStage.ROLE:
            return rows(
                button(texts.ROLE_NAMES[Role.BUYER], SIGNUP, "role", Role.BUYER.value),
                button(texts.ROLE_NAMES[Role.SELLER], SIGNUP, "role", Role.SELLER.value),
            )
        case SignupStage.ACCOUNT_TYPE:
            return rows(
                *(
                    button(texts.ACCOUNT_TYPE_NAMES[kind], SIGNUP, "type", kind.value)
                    for kind in AccountType
                )
            )
        case SignupStage.ORGANIZATION:
            individual = AccountType.INDIVIDUAL.value
            return rows(button("⬅️ I'm an individual", SIGNUP, "type", individual))
        case SignupStage.CONFIRM_EMAIL:
            return rows(
                button("📨 Resend email", SIGNUP, "resend"),
                button("✏️ Change email", SIGNUP, "chemail"),
            )
        case SignupStage.DISPLAY_NAME:
            name = user.first_name[:40]
            return rows(
                button(texts.use_telegram_name(name), SIGNUP, "tgname"), skip(user.signup_stage)
            )
        case SignupStage.HEADLINE | SignupStage.LOCATION:
            return rows(skip(user.signup_stage))
        case SignupStage.SKILLS:
            return None if user.is_seller else rows(skip(user.signup_stage))
        case SignupStage.CATEGORIES:
            return category_picker(categories, user.profile.categories, SIGNUP, skippable=True)
        case _:
            return None


def menu() -> InlineKeyboardMarkup:
    return rows(
        button("➕ Post a lead", MENU, "newlead"),
        button("🔎 Find leads", MENU, "leads"),
        button("🧑‍💻 Find providers", MENU, "providers"),
        button("📊 Dashboard", MENU, "dashboard"),
        button("👤 Profile", MENU, "profile"),
        button("⚙️ Settings", MENU, "settings"),
        button("❓ Help", MENU, "help"),
    )


def profile_actions(user: User) -> InlineKeyboardMarkup:
    buttons = [
        button("✏️ Name", PROFILE, "edit", "display_name"),
        button("✏️ Headline", PROFILE, "edit", "headline"),
        button("✏️ Skills", PROFILE, "edit", "skills"),
        button("✏️ Categories", PROFILE, "edit", "categories"),
        button("✏️ Location", PROFILE, "edit", "location"),
        button("🕒 Time zone", PROFILE, "edit", "timezone"),
        button("📧 Email", PROFILE, "edit", "email"),
    ]
    if user.account_type is AccountType.ORGANIZATION:
        buttons.append(button("🏢 Organization", PROFILE, "edit", "organization"))
    if user.is_seller:
        buttons += [
            button("⏳ Experience", PROFILE, "cred", "experience"),
            button("🎓 Education", PROFILE, "cred", "education"),
            button("📄 Resume", PROFILE, "cred", "resume"),
            button("🏅 Documents", PROFILE, "cred", "documents"),
            button("🔗 Portfolio", PROFILE, "cred", "portfolio"),
            button("👁 My public card", "pv", "view", str(user.id)),
        ]
    for role in Role:
        if role not in user.roles:
            buttons.append(button(f"➕ Become a {role.value}", PROFILE, "role", role.value))
    buttons.append(button("⬅️ Menu", MENU, "open"))
    return rows(*buttons)
