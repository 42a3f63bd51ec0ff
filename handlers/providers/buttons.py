"""Buttons of the provider search and of a seller's public card."""

from __future__ import annotations

from handlers.core.callbacks import Button

PROVIDER = "pv"


class ProviderView(Button, area=PROVIDER, action="view"):
    seller_id: int


class ProviderPage(Button, area=PROVIDER, action="page"):
    offset: int


class ProviderCategory(Button, area=PROVIDER, action="cat"):
    index: int


class ProviderFiles(Button):
    """A seller's resume or verification documents, sent as files."""

    seller_id: int


class ProviderResume(ProviderFiles, area=PROVIDER, action="resume"):
    pass


class ProviderDocuments(ProviderFiles, area=PROVIDER, action="docs"):
    pass


class ProviderInvite(Button, area=PROVIDER, action="invite"):
    """Invite to lead: asks which of the buyer's leads."""

    seller_id: int


class ProviderInviteTo(Button, area=PROVIDER, action="inv"):
    seller_id: int
    lead_id: int
