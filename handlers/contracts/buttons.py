"""Buttons of a contract in progress (named here so nudges can offer them too)."""

from __future__ import annotations

from domain.billing import PaymentMethod
from handlers.core.callbacks import Button

CONTRACT = "ct"


class ContractCancel(Button, area=CONTRACT, action="cancel"):
    """The buyer cancels a contract whose due date has passed without a delivery."""

    contract_id: int


class ContractExtend(Button, area=CONTRACT, action="extend"):
    """The buyer proposes a new due date."""

    contract_id: int


class ContractCancelConfirm(Button, area=CONTRACT, action="cancelok"):
    """Yes to "Cancel this lead?"."""

    contract_id: int


class ContractExtendBy(Button, area=CONTRACT, action="extendby"):
    """A new due date ``days`` after the current one (or after today, once it has passed)."""

    contract_id: int
    days: int


class ContractDeliver(Button, area=CONTRACT, action="deliver"):
    """The seller starts delivering: a message and files may follow."""

    contract_id: int


class ContractDeliverSend(Button, area=CONTRACT, action="dsend"):
    """The seller sends the delivery to the buyer."""

    contract_id: int


class ContractApprove(Button, area=CONTRACT, action="approve"):
    """The buyer approves the delivery (again: shows what to pay, or a new invoice)."""

    contract_id: int


class ContractChanges(Button, area=CONTRACT, action="changes"):
    """The buyer asks for changes to the delivery (a note follows)."""

    contract_id: int


class ContractPayMethod(Button, area=CONTRACT, action="method"):
    """How the buyer paid, picked from the short list."""

    contract_id: int
    method: PaymentMethod


class ContractPayConfirm(Button, area=CONTRACT, action="payok"):
    """The buyer confirms having paid per the agreed terms; the lead is completed."""

    contract_id: int


class ContractProposeCancel(Button, area=CONTRACT, action="propose"):
    """Either side starts proposing a mutual cancellation (a question comes first)."""

    contract_id: int


class ContractProposeCancelConfirm(Button, area=CONTRACT, action="proposeok"):
    contract_id: int


class ContractProposalAccept(Button, area=CONTRACT, action="yes"):
    """The other side accepts a proposal: a new due date, or a mutual cancellation."""

    step_id: int


class ContractProposalDecline(Button, area=CONTRACT, action="no"):
    step_id: int


class ContractFormCancel(Button, area=CONTRACT, action="stop"):
    """Leaves the question being asked (delivery, changes, payment, new date)."""


class ContractDismiss(Button, area=CONTRACT, action="keep"):
    """No to a question that would change the contract: nothing changes."""
