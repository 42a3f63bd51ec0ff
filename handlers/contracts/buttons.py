"""Buttons of a contract in progress (named here so nudges can offer them too)."""

from __future__ import annotations

from handlers.core.callbacks import Button

CONTRACT = "ct"


class ContractCancel(Button, area=CONTRACT, action="cancel"):
    """The buyer cancels a contract whose due date has passed without a delivery."""

    contract_id: int


class ContractExtend(Button, area=CONTRACT, action="extend"):
    """The buyer proposes a new due date."""

    contract_id: int
