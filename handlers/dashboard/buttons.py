"""Buttons of the dashboard and its lists."""

from __future__ import annotations

from domain.dashboard import LeadList
from handlers.core.callbacks import Button

DASHBOARD = "ds"


class DashboardOpen(Button, area=DASHBOARD, action="open"):
    pass


class DashboardList(Button, area=DASHBOARD, action="list"):
    kind: LeadList
    offset: int
