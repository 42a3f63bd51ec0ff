"""What /mydata and /deleteaccount say."""

from __future__ import annotations

from datetime import datetime

from domain.account_cases import Deletion
from handlers.core.texts import plural

EXPORT_CAPTION = (
    "📦 Everything Leadline stores about you: account, profile, credentials, leads, "
    "conversations with your offers and messages, contracts, payments and reviews."
)
DELETE_QUESTION = (
    "⚠️ <b>Delete your account?</b>\n\n"
    "Your name, username, email, profile, skills, resume, documents and portfolio are erased; "
    "your open leads are withdrawn and your open offers lapse (the other side is told). "
    "People you talked with keep their copy of your conversations, naming you "
    "“a deleted user”. This cannot be undone. /mydata first sends you a copy of your data."
)
YES_DELETE = "Yes, delete my account"
KEEP = "No, keep it"
KEPT = "Your account stays as it is."


def export_file_name(now: datetime) -> str:
    return f"leadline-data-{now:%Y-%m-%d}.json"


def deleted(deletion: Deletion) -> str:
    closed = []
    if deletion.withdrawn_leads:
        closed.append(plural(deletion.withdrawn_leads, "open lead") + " withdrawn")
    if deletion.lapsed_offers:
        closed.append(plural(deletion.lapsed_offers, "open offer") + " lapsed")
    done = f" ({', '.join(closed)})" if closed else ""
    return (
        f"🗑 Your account is deleted{done}. Past conversations stay with the other side, "
        "naming you “a deleted user”. Send /start if you ever want to sign up again, "
        "as someone new."
    )
