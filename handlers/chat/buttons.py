"""Buttons of conversation threads: write in one, open, list, transcript, make an offer."""

from __future__ import annotations

from handlers.core.callbacks import Button

THREAD = "th"


class ThreadMessage(Button, area=THREAD, action="msg"):
    thread_id: int


class ThreadOpen(Button, area=THREAD, action="open"):
    thread_id: int


class ThreadPage(Button, area=THREAD, action="page"):
    offset: int


class ThreadTranscript(Button, area=THREAD, action="transcript"):
    thread_id: int


class ThreadOffer(Button, area=THREAD, action="offer"):
    """Make offer on a thread card; the offer form is in ``handlers/deals``."""

    thread_id: int
