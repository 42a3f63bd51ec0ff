"""Use cases of a person's own data: everything stored about them (/mydata), and deleting
their account (/deleteaccount).

Deleting erases what identifies the person (names, username, email, profile, credentials
and their files, links of email confirmation), withdraws their open leads and lets their
open offers lapse (the other side hears of it as of any withdrawal), and keeps the account's
row, nameless, so that the other side of past conversations, contracts and reviews keeps
its copy: wherever the person used to be named, "a deleted user" is.

The row gives its Telegram id up (it becomes the negative of the row id, which no Telegram
account has), so the same person sending /start later signs up as someone new, with a new
row: nothing of the deleted account comes back, and nobody's old conversations get the new
name. A contract under way or an open dispute must end first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from domain import deals, lead_cases
from domain.errors import NotAllowed
from domain.leads import Lead
from domain.lifecycle import LeadStatus
from domain.model import DELETED_NAME, Profile, User
from domain.money import Money
from domain.negotiation import OfferStatus, Thread
from domain.ports import UnitOfWork

# Pages read while gathering everything (the repositories list page by page).
BATCH = 100
# A lead in one of these holds a contract that is not over (or its dispute).
UNDER_WAY = frozenset({LeadStatus.IN_PROGRESS, LeadStatus.DELIVERED, LeadStatus.DISPUTED})

Json = dict[str, Any]


@dataclass(frozen=True)
class ExportData:
    pass


@dataclass(frozen=True)
class DeleteAccount:
    """Delete the account ``user_id``: only its own person may (a button carries the id, so
    a press copied by anyone else is refused)."""

    user_id: int


@dataclass(frozen=True)
class Deletion:
    """What deleting the account did."""

    withdrawn_leads: int
    lapsed_offers: int


def _money(money: Money | None) -> Json | None:
    if money is None:
        return None
    return {"minor_units": money.minor, "currency": money.currency, "text": money.format()}


async def _all_leads(uow: UnitOfWork, user: User) -> list[Lead]:
    statuses = list(LeadStatus)
    leads: list[Lead] = []
    while True:
        page = await uow.leads.of_buyer(user.key, statuses, len(leads), BATCH)
        leads += page.items
        if not page.items or len(leads) >= page.total:
            return leads


async def _all_threads(uow: UnitOfWork, user: User) -> list[tuple[Thread, str]]:
    """The user's threads with their leads' titles."""
    found: list[tuple[Thread, str]] = []
    while True:
        page = await uow.threads.of_user(user.key, len(found), BATCH)
        found += [(summary.thread, summary.lead_title) for summary in page.items]
        if not page.items or len(found) >= page.total:
            return found


async def export_data(uow: UnitOfWork, user: User, command: ExportData, now: datetime) -> Json:
    """Everything stored about the user, as plain data (a suspended user may have it too):
    account, profile, credentials, leads, conversations with their offers and the user's own
    messages, contracts and payments, reviews given and received."""
    profile = user.profile
    credentials = await uow.sellers.credentials(user.key)
    leads = await _all_leads(uow, user)
    threads = await _all_threads(uow, user)
    others = await uow.users.get_many({thread.other(user.key) for thread, _ in threads})
    conversations = []
    for thread, title in threads:
        offers = await uow.threads.offers(thread.id or 0)
        messages = await uow.threads.messages(thread.id or 0)
        other = others.get(thread.other(user.key))
        conversations.append(
            {
                "id": thread.id,
                "lead_id": thread.lead_id,
                "lead_title": title,
                "as": "buyer" if thread.buyer_id == user.id else "seller",
                "with": other.name if other else None,
                "started_at": thread.created_at,
                "offers": [
                    {
                        "id": o.id,
                        "by": "me" if o.author_id == user.id else "them",
                        "amount": _money(o.amount),
                        "days": o.days,
                        "note": o.note,
                        "status": o.status,
                        "made_at": o.created_at,
                        "decided_at": o.decided_at,
                    }
                    for o in offers
                ],
                "my_messages": [
                    {
                        "id": m.id,
                        "kind": m.kind,
                        "text": m.text,
                        "file_name": m.file_name,
                        "sent_at": m.created_at,
                        "edit_of": m.original_id,
                        "flagged": m.flagged,
                    }
                    for m in messages
                    if m.sender_id == user.id
                ],
            }
        )
    contracts = []
    for contract in await uow.threads.contracts_of(user.key):
        payments = await uow.contracts.payments(contract.key)
        contracts.append(
            {
                "id": contract.id,
                "lead_id": contract.lead_id,
                "as": "buyer" if contract.buyer_id == user.id else "seller",
                "amount": _money(contract.amount),
                "days": contract.days,
                "started_at": contract.started_at,
                "due_at": contract.due_at,
                "delivered_at": contract.delivered_at,
                "approved_at": contract.approved_at,
                "completed_at": contract.completed_at,
                "cancelled_at": contract.cancelled_at,
                "payments": [
                    {
                        "method": p.method,
                        "amount": _money(p.amount),
                        "fee": _money(p.fee),
                        "paid_at": p.paid_at,
                        "note": p.note,
                    }
                    for p in payments
                ],
            }
        )
    lead_ids = {lead.key for lead in leads} | {thread.lead_id for thread, _ in threads}
    reviews = [
        r
        for r in await uow.reviews.of_leads(lead_ids)
        if r.submitted_at is not None and user.id in (r.author_id, r.subject_id)
    ]

    def review(r: Any) -> Json:
        return {
            "lead_id": r.lead_id,
            "side": r.side,
            "stars": dict(r.stars),
            "comment": r.comment,
            "submitted_at": r.submitted_at,
        }

    # Why and since when the account is suspended (who suspended it is the admin's data).
    suspension: Json | None = None
    latest = await uow.admin.latest_suspension(user.key) if user.suspended else None
    if user.suspended:
        suspension = {
            "reason": user.suspension_reason,
            "since": latest.suspended_at if latest is not None else None,
        }
    return {
        "exported_at": now,
        "account": {
            "id": user.id,
            "telegram_id": user.telegram_id,
            "telegram_name": user.first_name,
            "username": user.username,
            "roles": sorted(user.roles),
            "account_type": user.account_type,
            "organization_name": user.organization_name,
            "email": user.email,
            "email_verified_at": user.email_verified_at,
            "terms_accepted_at": user.terms_accepted_at,
            "terms_version": user.terms_version,
            "status": user.status,
            "suspension": suspension,
            "signup_stage": user.signup_stage,
            "created_at": user.created_at,
        },
        "profile": {
            "display_name": profile.display_name,
            "headline": profile.headline,
            "location": profile.location,
            "timezone": profile.timezone,
            "skills": list(profile.skills),
            "categories": list(profile.categories),
        },
        "settings": {
            "new_lead_alerts_muted": user.alerts_muted,
            "new_lead_digest": user.digest.value,
            "muted_reminders": sorted(await uow.nudges.muted(user.key)),
        },
        "credentials": {
            "education": [
                {"degree": e.degree, "school": e.school, "year": e.year}
                for e in credentials.education
            ],
            "documents": [
                {"kind": d.kind, "title": d.title, "file_name": d.file_name}
                for d in credentials.documents
            ],
            "portfolio": [{"url": link.url, "title": link.title} for link in credentials.links],
            "years_per_skill": dict(credentials.skill_years),
        },
        "leads": [
            {
                "id": lead.id,
                "status": lead.status,
                "title": lead.title,
                "description": lead.description,
                "category": lead.category,
                "skills": list(lead.skills),
                "budget": _money(lead.budget),
                "attachments": [
                    {"kind": a.kind, "file_name": a.file_name} for a in lead.attachments
                ],
                "created_at": lead.created_at,
                "published_at": lead.published_at,
            }
            for lead in leads
        ],
        "conversations": conversations,
        "contracts": contracts,
        "reviews_given": [review(r) for r in reviews if r.author_id == user.id],
        "reviews_received": [review(r) for r in reviews if r.subject_id == user.id],
    }


async def check_deletion(
    uow: UnitOfWork, user: User, command: DeleteAccount, now: datetime
) -> None:
    """Refuses, with the reason, an account that cannot be deleted now: asked before the
    confirmation, so nobody confirms what cannot be done."""
    if command.user_id != user.id:
        raise NotAllowed("This question was asked to someone else.")
    user.ensure_active("delete your account")
    contracts = await uow.threads.contracts_of(user.key)
    leads = await uow.leads.get_many({contract.lead_id for contract in contracts})
    for lead in leads.values():
        if lead.status is LeadStatus.DISPUTED:
            raise NotAllowed(
                f"You cannot delete your account while the dispute on “{lead.title}” is open; "
                "it can be deleted once the dispute is resolved."
            )
        if lead.status in UNDER_WAY:
            raise NotAllowed(
                f"You cannot delete your account while the contract on “{lead.title}” is "
                "under way; it can be deleted once that lead is completed or cancelled."
            )


async def delete_account(
    uow: UnitOfWork, user: User, command: DeleteAccount, now: datetime
) -> Deletion:
    """Erases the person's data and closes what they had open (see the module's words)."""
    await check_deletion(uow, user, command, now)
    withdrawn = 0
    for lead in await _all_leads(uow, user):
        if lead.status is LeadStatus.OPEN:
            # As if the buyer withdrew it: offers lapse, the sellers in talks are told.
            lead = await lead_cases.withdraw(uow, user, lead_cases.OwnLead(lead.key), now)
            withdrawn += 1
        if lead.status is LeadStatus.DRAFT:
            lead.start_over(now)
            await uow.leads.save(lead)
        elif lead.status is LeadStatus.WITHDRAWN and lead.attachments:
            # Files of a lead that never became a contract are the person's alone; those of
            # a contract's lead stay with its record.
            lead.attachments = []
            await uow.leads.save(lead)
    lapsed = 0
    for thread, _ in await _all_threads(uow, user):
        latest = await uow.threads.latest_offer(thread.id or 0)
        if latest is None or latest.status is not OfferStatus.OPEN:
            continue
        # The other side hears of it as of any withdrawn or declined offer.
        answer = deals.AnswerOffer(latest.id or 0)
        if latest.author_id == user.id:
            await deals.withdraw(uow, user, answer, now)
        else:
            await deals.decline(uow, user, answer, now)
        lapsed += 1
    await uow.threads.drop_draft(user.key)
    credentials = await uow.sellers.credentials(user.key)
    for entry in credentials.education:
        await uow.sellers.remove(user.key, "education", entry.id or 0)
    for document in credentials.documents:
        await uow.sellers.remove(user.key, "document", document.id or 0)
    for link in credentials.links:
        await uow.sellers.remove(user.key, "link", link.id or 0)
    await uow.email_tokens.forget(user.key)
    _erase(user, now)
    await uow.users.save(user)
    return Deletion(withdrawn, lapsed)


def _erase(user: User, now: datetime) -> None:
    """Leaves of the person only a nameless row that past records can point to."""
    user.telegram_id = -user.key
    user.first_name, user.username = DELETED_NAME, None
    user.email, user.email_verified_at = None, None
    user.account_type, user.organization_name = None, None
    user.roles = set()
    user.profile = Profile()
    user.reachable, user.alerts_muted = False, True
    user.deleted_at = now
