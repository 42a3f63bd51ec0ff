"""What /profile, its credentials sections and /settings say (the profile's questions and
card are shared with signup, in handlers/core/texts.py)."""

from __future__ import annotations

from html import escape

from domain.credentials import Credentials, DocumentKind
from domain.model import User
from domain.profiles import ProfileField
from handlers.core import texts

QUESTIONS: dict[ProfileField, str] = {
    ProfileField.DISPLAY_NAME: "What name should others see?",
    ProfileField.HEADLINE: texts.HEADLINE_QUESTION,
    ProfileField.SKILLS: texts.SKILLS_QUESTION,
    ProfileField.LOCATION: texts.LOCATION_QUESTION,
    ProfileField.TIMEZONE: texts.TIMEZONE_QUESTION,
    ProfileField.EMAIL: texts.EMAIL_QUESTION,
    ProfileField.ORGANIZATION: texts.ORGANIZATION_QUESTION,
}
KEEP_AS_IS = "Send /cancel to keep it as it is."
RESEND_EMAIL = "📨 Resend email"

# Credentials.
CANCEL_HINT = "/cancel to stop."
PROMPTS = {
    "education": "Send the degree and the school, and the year if you like, e.g. "
    "<i>BSc Computer Science, TU Berlin, 2019</i>.",
    "portfolio": "Send a link to your work, optionally followed by a title, e.g. "
    "<i>https://dribbble.com/ann Logo work</i>.",
    "experience": "Send your years per skill, e.g. <i>Python 5, Django 3</i>.",
}
KIND_NAMES = {
    DocumentKind.CERTIFICATE: "Certificate",
    DocumentKind.AWARD: "Award",
    DocumentKind.REFERENCE: "Reference",
}
RESUME_QUESTION = "Send your resume as a document (PDF or Word)."
KIND_QUESTION = "What kind of document is it?"
TAP_KIND = "Please tap the kind of document first."
TITLE_QUESTION = "What is its title? e.g. <i>AWS Solutions Architect</i>."
TITLE_LENGTH = "The title must be 1–80 characters; please send it again."
FILE_QUESTION = "Now send the document itself as a file."
NOT_A_FILE = "Please send a document (a file), or /cancel."
REMOVED = "Removed."
DEFAULT_RESUME_TITLE = "Resume"
ADD = "➕ Add"
UPLOAD = "⬆️ Upload"
REPLACE = "⬆️ Replace"
SET_YEARS = "✏️ Set years"
BACK_TO_PROFILE = "⬅️ Profile"

# Settings.
ALERTS_ON_BUTTON = "🔔 Turn alerts on"
ALERTS_OFF_BUTTON = "🔕 Mute new-lead alerts"


def edit_question(field: ProfileField) -> str:
    return f"{QUESTIONS[field]}\n\n{KEEP_AS_IS}"


def remove_button(number: int) -> str:
    return f"✖ {number}"


def credentials_section(section: str, user: User, credentials: Credentials) -> str:
    """One credentials section with its entries, numbered as their ✖ buttons are."""
    if section == "education":
        lines = ["🎓 <b>Education</b>"]
        for n, entry in enumerate(credentials.education, 1):
            year = f", {entry.year}" if entry.year else ""
            lines.append(f"{n}. {escape(entry.degree)} — {escape(entry.school)}{year}")
    elif section == "resume":
        resume = credentials.resume
        lines = [f"📄 <b>Resume</b>: {escape(resume.title) if resume else 'none yet'}"]
    elif section == "documents":
        lines = ["🏅 <b>Verification documents</b> (certificates, awards, references)"]
        for n, doc in enumerate(credentials.verification, 1):
            lines.append(f"{n}. {escape(doc.title)} ({KIND_NAMES.get(doc.kind, doc.kind.value)})")
    elif section == "portfolio":
        lines = ["🔗 <b>Portfolio</b>"]
        for n, link in enumerate(credentials.links, 1):
            title = f"{escape(link.title)}: " if link.title else ""
            lines.append(f"{n}. {title}{escape(link.url)}")
    else:
        lines = ["⏳ <b>Experience</b>"]
        for skill in user.profile.skills:
            years = credentials.skill_years.get(skill)
            lines.append(f"• {escape(skill)}: {'—' if years is None else f'{years} yr'}")
    if len(lines) == 1 and section not in ("resume", "experience"):
        lines.append("Nothing yet.")
    return "\n".join(lines)


SETTINGS_TITLE = "⚙️ <b>Settings</b>"


def alerts_setting(user: User) -> str:
    state = "off 🔕" if user.alerts_muted else "on 🔔"
    return f"New-lead alerts: <b>{state}</b>"
