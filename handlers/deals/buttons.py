"""Buttons of offers and of the offer form."""

from __future__ import annotations

from handlers.core.callbacks import Button

OFFER = "of"


class OfferAccept(Button, area=OFFER, action="accept"):
    offer_id: int


class OfferCounter(Button, area=OFFER, action="counter"):
    offer_id: int


class OfferDecline(Button, area=OFFER, action="decline"):
    offer_id: int


class OfferWithdraw(Button, area=OFFER, action="withdraw"):
    offer_id: int


class OfferSkipNote(Button, area=OFFER, action="skipnote"):
    pass


class OfferSend(Button, area=OFFER, action="send"):
    pass


class OfferCancel(Button, area=OFFER, action="cancel"):
    pass
