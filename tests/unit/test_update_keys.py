"""The inbox key of an update in flight is found by the update object itself."""

from __future__ import annotations

import gc

from telegram import Update

from handlers.core.turn import expect, update_key


def text_update(update_id: int) -> Update:
    return Update.de_json(
        {
            "update_id": update_id,
            "message": {
                "message_id": update_id,
                "date": 1_790_000_000,
                "chat": {"id": 7, "type": "private", "first_name": "Ada"},
                "from": {"id": 7, "is_bot": False, "first_name": "Ada"},
                "text": f"hello {update_id}",
            },
        },
        None,
    )


def test_a_stored_key_goes_with_its_update_and_no_other() -> None:
    stored = text_update(1)
    digest = update_key(stored)
    expect(stored, "1:from-the-inbox")
    assert update_key(stored) == "1:from-the-inbox"
    assert update_key(text_update(1)) == digest  # the same content, another object


def test_an_update_that_died_in_flight_never_lends_its_key_to_a_later_one() -> None:
    """An update queued but never finished (the app stopped with it still queued, or its
    turn died) keeps its entry; a later update put where it lived in memory must not
    inherit its key, or the inbox would take it for a repeat and drop it."""
    dead = text_update(30)
    expect(dead, "30:the-dead-one")
    del dead
    gc.collect()
    for update_id in range(31, 2031):
        fresh = text_update(update_id)
        assert not update_key(fresh).startswith("30:"), "a later update took a dead one's key"
        del fresh
