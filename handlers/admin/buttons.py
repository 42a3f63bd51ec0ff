"""Buttons of the admin console and of the verification cards sent to admins."""

from __future__ import annotations

from enum import StrEnum

from handlers.core.callbacks import Button

ADMIN = "ad"


class AudienceChoice(StrEnum):
    EVERYONE = "all"
    BUYERS = "buyer"
    SELLERS = "seller"


class AdminButton(Button):
    """Every admin button: a family, so one check refuses them all to anyone else."""


class AdminCounts(AdminButton, area=ADMIN, action="home"):
    pass


class AdminFind(AdminButton, area=ADMIN, action="find"):
    pass


class AdminDisputes(AdminButton, area=ADMIN, action="disputes"):
    pass


class AdminContacts(AdminButton, area=ADMIN, action="contacts"):
    pass


class AdminUser(AdminButton, area=ADMIN, action="user"):
    user_id: int


class AdminSuspend(AdminButton, area=ADMIN, action="susp"):
    user_id: int


class AdminUnsuspend(AdminButton, area=ADMIN, action="unsusp"):
    user_id: int


class AdminTranscript(AdminButton, area=ADMIN, action="tx"):
    thread_id: int


class AdminFlagged(AdminButton, area=ADMIN, action="flagged"):
    pass


class AdminAnnounce(AdminButton, area=ADMIN, action="ann"):
    pass


class AdminAudience(AdminButton, area=ADMIN, action="aud"):
    audience: AudienceChoice


class AdminAnnounceSend(AdminButton, area=ADMIN, action="annsend"):
    pass


class AdminAnnounceDrop(AdminButton, area=ADMIN, action="anndrop"):
    pass


class AdminVerify(AdminButton, area=ADMIN, action="verify"):
    document_id: int


class AdminReject(AdminButton, area=ADMIN, action="reject"):
    document_id: int
