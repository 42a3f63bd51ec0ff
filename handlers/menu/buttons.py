"""The main menu's buttons; one handler routes the whole family."""

from __future__ import annotations

from handlers.core.callbacks import Button

MENU = "mn"


class MenuButton(Button):
    """Any main-menu button."""


class MenuOpen(MenuButton, area=MENU, action="open"):
    pass


class MenuNewLead(MenuButton, area=MENU, action="newlead"):
    pass


class MenuLeads(MenuButton, area=MENU, action="leads"):
    pass


class MenuProviders(MenuButton, area=MENU, action="providers"):
    pass


class MenuDashboard(MenuButton, area=MENU, action="dashboard"):
    pass


class MenuProfile(MenuButton, area=MENU, action="profile"):
    pass


class MenuSettings(MenuButton, area=MENU, action="settings"):
    pass


class MenuHelp(MenuButton, area=MENU, action="help"):
    pass


class MenuMessages(MenuButton, area=MENU, action="messages"):
    pass


class MenuContact(MenuButton, area=MENU, action="contact"):
    pass
