"""Every sentence the bot says; user-supplied text is always HTML-escaped here."""

from __future__ import annotations

from html import escape

from domain.model import NOT_FINISHED, NOT_STARTED, AccountType, Role, SignupStage, User

WELCOME = (
    "👋 <b>Welcome to Leadline</b> — the marketplace inside Telegram where buyers post "
    "leads and sellers bid on them.\n\n"
    "<b>Terms in short</b>\n"
    "• Keep all business talk in Leadline: the bot keeps the record that settles disputes.\n"
    "• Be honest about your skills, prices and deadlines.\n"
    "• Buyers pay as agreed and rate sellers fairly.\n"
    "• Accounts that take deals off the platform may be suspended.\n\n"
    "Read them in full with /terms."
)
TERMS_QUESTION = "Do you accept these terms?"
ROLE_QUESTION = "How will you use Leadline first? You can add the other role later from /profile."
ACCOUNT_TYPE_QUESTION = "Are you signing up as an individual or as an organization?"
ORGANIZATION_QUESTION = "What is the name of your organization?"
EMAIL_QUESTION = "What is your email address? I will send you a link to confirm it."
DISPLAY_NAME_QUESTION = "Let's complete your profile. What name should others see?"
HEADLINE_QUESTION = (
    "Write a one-line headline (up to 120 characters), e.g. <i>Django developer, 6 years</i>."
)
SKILLS_QUESTION = (
    "Which skills do you offer? Send them separated by commas, e.g. <i>Python, Django</i>."
)
SKILLS_QUESTION_BUYER = "Which skills interest you? Send them separated by commas, or tap Skip."
CATEGORIES_QUESTION = "Pick the categories you work in (up to 5), then tap Done."
LOCATION_QUESTION = "Where are you based? For example <i>Berlin, Germany</i>."
TIMEZONE_BUTTON = "🕒 Time zone"
TIMEZONE_QUESTION = "Which time zone are you in? Send a name like <i>Europe/Berlin</i>."
SIGNUP_DONE = "🎉 You're all set. Here is your menu."
USE_BUTTONS = "Please tap one of the buttons."
PREVIOUS_PAGE = "◀️ Prev"
NEXT_PAGE = "Next ▶️"
STALE_BUTTON = "That button is no longer active."
SEND_TEXT = "Please answer with a text message."
CANCELLED = "Cancelled. Nothing you saved is lost."
CANCELLED_SIGNUP = "Cancelled. Your answers so far are saved; send /start to continue signing up."
NOTHING_TO_CANCEL = "There is nothing to cancel right now."
NOTHING_TO_EDIT = "Tap the part of your /profile you want to change first."
ERROR = "Sorry, something went wrong on our side; please try again."
UNKNOWN_USER = NOT_STARTED  # someone the bot has never seen
WAITING_FOR_CONFIRMATION = (
    "Please open the link in the email I sent to confirm your address. "
    "No email? Check the spam folder, or tap Resend."
)
EMAIL_RESENT = "I sent a new confirmation email."
PROFILE_SAVED = "Saved."
ROLE_ADDED = "You are now a {role} too."
MENU = "What would you like to do?"
BACK_TO_MENU = "🏠 Menu"
HELP = (
    "<b>Leadline</b> — buyers post leads, sellers bid, both sides agree through the bot.\n\n"
    "/start — sign up, or open the menu\n"
    "/menu — the main menu\n"
    "/newlead — post a lead (buyers)\n"
    "/leads — find open leads; /leads logo design searches "
    "(“exact words” in quotes, -word to leave out, or for either)\n"
    "/providers — find sellers; /providers logo design finds one skill, commas separate "
    "several: /providers logo design, figma\n"
    "/messages — your conversations with buyers and sellers\n"
    "/dashboard — your leads, requests and stars\n"
    "/profile — see and edit your profile\n"
    "/settings — alerts, their digest and other switches\n"
    "/terms — the terms of service\n"
    "/contact — write to the Leadline team\n"
    "/mydata — a file of everything Leadline stores about you\n"
    "/deleteaccount — delete your account\n"
    "/help — this help\n"
    "/cancel — leave what you are doing; /done — leave a conversation\n\n"
    "Keep every conversation about a deal inside Leadline: it is your record if anything "
    "goes wrong."
)

ROLE_NAMES = {Role.BUYER: "Buyer", Role.SELLER: "Seller"}
ACCOUNT_TYPE_NAMES = {
    AccountType.INDIVIDUAL: "Individual",
    AccountType.ORGANIZATION: "Organization",
}

COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", "Sign up or open the menu"),
    ("menu", "Main menu"),
    ("newlead", "Post a lead"),
    ("leads", "Find leads"),
    ("providers", "Find providers"),
    ("messages", "Your conversations"),
    ("dashboard", "Your dashboard"),
    ("profile", "Your profile"),
    ("settings", "Settings"),
    ("contact", "Write to the Leadline team"),
    ("terms", "Terms of service"),
    ("mydata", "Your data, as a file"),
    ("deleteaccount", "Delete your account"),
    ("help", "How Leadline works"),
    ("cancel", "Leave the current step"),
)


def plural(count: int, word: str, words: str | None = None) -> str:
    """ "1 day", "3 days", "1,200 sellers": the count with the word in the right form."""
    return f"{count:,} {word if count == 1 else words or word + 's'}"


def email_sent(address: str) -> str:
    return (
        f"📧 I sent a confirmation link to <b>{escape(address)}</b>. Open it to confirm your "
        "address; it is valid for 24 hours."
    )


def email_undeliverable(address: str) -> str:
    return (
        f"⚠️ I could not deliver the email to <b>{escape(address)}</b>. Please check the "
        "address (in /profile, or send /start to change it) and ask for a new email."
    )


def email_resent(address: str) -> str:
    return (
        f"📨 I sent a new confirmation link to <b>{escape(address)}</b>; "
        "only the newest link works."
    )


def email_confirmed(address: str) -> str:
    return f"✅ Your email address <b>{escape(address)}</b> is confirmed."


def chose_html(question_html: str, answer: str) -> str:
    """The question (already HTML) followed by the answer given, replacing its buttons."""
    return f"{question_html}\n\n<b>→ {escape(answer)}</b>"


def use_telegram_name(name: str) -> str:
    return f"Use “{name}”"


def profile_card(user: User) -> str:
    profile = user.profile
    lines = [f"👤 <b>{escape(user.name)}</b>"]
    if profile.headline:
        lines.append(f"<i>{escape(profile.headline)}</i>")
    lines.append("")
    roles = ", ".join(ROLE_NAMES[r] for r in sorted(user.roles)) or "—"
    lines.append(f"<b>Roles:</b> {roles}")
    if user.account_type is AccountType.ORGANIZATION:
        lines.append(f"<b>Organization:</b> {escape(user.organization_name or '—')}")
    elif user.account_type is AccountType.INDIVIDUAL:
        lines.append("<b>Account:</b> Individual")
    if user.email:
        mark = "✅ verified" if user.email_verified else "⏳ not confirmed yet"
        lines.append(f"<b>Email:</b> {escape(user.email)} — {mark}")
    lines.append(f"<b>Skills:</b> {escape(', '.join(profile.skills)) or '—'}")
    lines.append(f"<b>Categories:</b> {escape(', '.join(profile.categories)) or '—'}")
    lines.append(f"<b>Location:</b> {escape(profile.location or '—')}")
    zone = escape(profile.timezone)
    if profile.timezone == "UTC":
        # The default, unless chosen: say how times are shown and how to change it.
        zone = f"UTC — tap {TIMEZONE_BUTTON} to set yours"
    lines.append(f"<b>Time zone:</b> {zone}")
    lines.append(f"<b>Member since:</b> {user.created_at:%B %Y}")
    return "\n".join(lines)


QUESTIONS: dict[SignupStage, str] = {
    SignupStage.TERMS: TERMS_QUESTION,
    SignupStage.ROLE: ROLE_QUESTION,
    SignupStage.ACCOUNT_TYPE: ACCOUNT_TYPE_QUESTION,
    SignupStage.ORGANIZATION: ORGANIZATION_QUESTION,
    SignupStage.EMAIL: EMAIL_QUESTION,
    SignupStage.DISPLAY_NAME: DISPLAY_NAME_QUESTION,
    SignupStage.HEADLINE: HEADLINE_QUESTION,
    SignupStage.CATEGORIES: CATEGORIES_QUESTION,
    SignupStage.LOCATION: LOCATION_QUESTION,
}


def question(user: User) -> str:
    """The question for where the user is in signup."""
    stage = user.signup_stage
    if stage is SignupStage.SKILLS:
        return SKILLS_QUESTION if user.is_seller else SKILLS_QUESTION_BUYER
    if stage is SignupStage.CONFIRM_EMAIL:
        return email_sent(user.email or "")
    return QUESTIONS.get(stage, SIGNUP_DONE)


def confirmation_email(link: str) -> tuple[str, str, str]:
    """Subject, plain text and HTML of the confirmation email."""
    subject = "Confirm your email address for Leadline"
    text = (
        "Hello,\n\n"
        "Open this link in Telegram to confirm your email address for Leadline:\n\n"
        f"{link}\n\n"
        "The link works once and expires in 24 hours. If you did not sign up for Leadline, "
        "ignore this email.\n"
    )
    safe = escape(link, quote=True)
    html = (
        "<p>Hello,</p>"
        "<p>Open this link in Telegram to confirm your email address for Leadline:</p>"
        f'<p><a href="{safe}">{safe}</a></p>'
        "<p>The link works once and expires in 24 hours. If you did not sign up for "
        "Leadline, ignore this email.</p>"
    )
    return subject, text, html


UNFINISHED_LEAD = (
    "You have a lead you started writing. Send /newlead to continue it, or /menu for more."
)
NOT_IN_THREAD = "You are not in a conversation right now; /messages lists them."
UNKNOWN_MESSAGE = "I'm not sure what to do with that. Pick something from the menu:"


def unknown_command(command: str, *, signed_up: bool) -> str:
    """The answer to a command Leadline does not have (or does not offer this user)."""
    known = f"I don't know the command {escape(command[:64])}."
    if not signed_up:
        return f"{known} Send /start to sign up, or /help to see what Leadline does."
    return f"{known} /help lists them all; or pick something from the menu:"


def not_signed_up(user: User | None) -> str:
    """Why someone may not act yet: never started (send /start), or started and not
    finished (/start goes on where they left off)."""
    if user is None or user.signup_stage is SignupStage.TERMS:
        return NOT_STARTED
    return NOT_FINISHED
