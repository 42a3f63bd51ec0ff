"""Buttons of lead cards, result lists and filters, and of the /newlead form."""

from __future__ import annotations

from handlers.core.callbacks import Button

LEAD = "ld"
NEWLEAD = "nl"


class LeadView(Button, area=LEAD, action="view"):
    lead_id: int


class LeadConnect(Button, area=LEAD, action="connect"):
    lead_id: int


class LeadStartEdit(Button, area=LEAD, action="edit"):
    lead_id: int


class LeadWithdraw(Button, area=LEAD, action="withdraw"):
    lead_id: int


class LeadWithdrawConfirmed(Button, area=LEAD, action="withdrawok"):
    lead_id: int


class LeadBids(Button, area=LEAD, action="bids"):
    lead_id: int


class LeadMatchingSellers(Button, area=LEAD, action="sellers"):
    lead_id: int


class LeadPage(Button, area=LEAD, action="page"):
    offset: int


class LeadFilterCategories(Button, area=LEAD, action="fcat"):
    pass


class LeadCategory(Button, area=LEAD, action="cat"):
    index: int


class LeadFilterSkills(Button, area=LEAD, action="fskill"):
    pass


class LeadSkill(Button, area=LEAD, action="skill"):
    index: int


class LeadClearFilters(Button, area=LEAD, action="fclear"):
    pass


class NewLeadButton(Button):
    """Any button of the /newlead form."""


class NewLeadResume(NewLeadButton, area=NEWLEAD, action="resume"):
    pass


class NewLeadRestart(NewLeadButton, area=NEWLEAD, action="restart"):
    pass


class NewLeadCategory(NewLeadButton, area=NEWLEAD, action="cat"):
    index: int


class NewLeadAttachmentsDone(NewLeadButton, area=NEWLEAD, action="done"):
    pass


class NewLeadPublish(NewLeadButton, area=NEWLEAD, action="publish"):
    pass


class NewLeadEdit(NewLeadButton, area=NEWLEAD, action="edit"):
    pass


class NewLeadDiscard(NewLeadButton, area=NEWLEAD, action="discard"):
    pass


class NewLeadField(NewLeadButton, area=NEWLEAD, action="field"):
    field: str
