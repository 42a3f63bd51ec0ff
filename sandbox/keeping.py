"""Keeping the simulated people across restarts: users, chats, files, mail and id counters.

The bot keeps its database in the data directory; its simulated Telegram keeps its world
there too, so that after a restart the web page lists the same people with their chats,
and a new person never gets the id (and so the account) of an earlier one. The file is
the sandbox's own (pickle): it is written and read only by the sandbox, never shared.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import pickle
from pathlib import Path
from typing import Any

from sandbox.world import World

log = logging.getLogger(__name__)

# What makes up the people and what they saw; callbacks, payments in flight and the
# update queue belong to one run of the bot and start afresh.
_KEPT = ("chats", "files", "emails", "notices", "next_user_id", "next_counter")
_VERSION = 1
SAVE_EVERY = 1.0  # seconds between saves while things change (a hard kill loses less)


def save(world: World, path: Path) -> None:
    """Writes the world's people to ``path`` atomically (a crash leaves the old file)."""
    state: dict[str, Any] = {name: getattr(world, name) for name in _KEPT}
    state["next_update_id"] = world.updates.next_update_id
    temporary = path.with_suffix(".tmp")
    temporary.write_bytes(pickle.dumps((_VERSION, state), protocol=pickle.HIGHEST_PROTOCOL))
    temporary.replace(path)


def load(world: World, path: Path) -> bool:
    """Brings back the people saved in ``path``; False when there is nothing to load."""
    if not path.exists():
        return False
    # The sandbox reads only the file it wrote itself.
    version, state = pickle.loads(path.read_bytes())
    if version != _VERSION:
        log.warning("Ignoring %s: written by another version of the sandbox", path)
        return False
    for name in _KEPT:
        setattr(world, name, state[name])
    world.updates.next_update_id = max(world.updates.next_update_id, state["next_update_id"])
    world.changed()
    return True


class Keeper:
    """Saves the world whenever it changed, at most every ``SAVE_EVERY`` seconds, and on stop."""

    def __init__(self, world: World, path: Path) -> None:
        self.world, self.path = world, path
        self._saved = -1
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        load(self.world, self.path)
        self._saved = self.world.version
        self._task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        while True:
            await self.world.wait_version(self._saved, timeout=3600)
            await asyncio.sleep(SAVE_EVERY)
            self.flush()

    def flush(self) -> None:
        if self.world.version != self._saved:
            self._saved = self.world.version
            save(self.world, self.path)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        self.flush()
