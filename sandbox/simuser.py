"""SimUser: a simulated Telegram user that tests script in-process."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from sandbox import actions, payments
from sandbox.errors import SandboxError, SandboxTimeout
from sandbox.models import JSON, CallbackQuery, Email, Message, Payment, TapResult
from sandbox.world import ChatState, World

MessagePredicate = Callable[[Message], bool]


class SimUser:
    """One simulated account chatting privately with the bot."""

    def __init__(self, world: World, state: ChatState, default_timeout: float = 10.0) -> None:
        self._world = world
        self._state = state
        self._cursor = 0
        self.default_timeout = default_timeout

    def __repr__(self) -> str:
        return f"SimUser(id={self.id}, first_name={self.first_name!r}, username={self.username!r})"

    # -- identity and chat state ---------------------------------------------------------

    @property
    def id(self) -> int:
        return int(self._state.user["id"])

    @property
    def first_name(self) -> str:
        return str(self._state.user["first_name"])

    @property
    def last_name(self) -> str | None:
        return self._state.user.get("last_name")

    @property
    def username(self) -> str | None:
        return self._state.user.get("username")

    @property
    def user(self) -> JSON:
        """The Telegram User object the bot sees."""
        return dict(self._state.user)

    @property
    def chat(self) -> list[Message]:
        """Messages in both directions (deleted ones left out), oldest first."""
        return [m for m in self._state.messages.values() if not m.deleted]

    @property
    def bot_messages(self) -> list[Message]:
        return [m for m in self.chat if m.from_bot]

    @property
    def last_bot_message(self) -> Message | None:
        messages = self.bot_messages
        return messages[-1] if messages else None

    @property
    def reply_keyboard(self) -> JSON | None:
        return self._state.reply_keyboard

    @property
    def blocked(self) -> bool:
        return self._state.blocked

    @property
    def started(self) -> bool:
        return self._state.started

    @property
    def emails(self) -> list[Email]:
        """Mails to any address this user typed in the chat."""
        mine = self._state.addresses
        return [e for e in self._world.emails if mine & {r.lower() for r in e.recipients}]

    def message(self, message_id: int) -> Message:
        found = self._state.messages.get(message_id)
        if found is None:
            raise SandboxError(f"no message {message_id} in the chat of {self!r}")
        return found

    def dump(self) -> str:
        """The chat as readable lines, for failure messages."""
        lines = [f"Chat of {self!r}:"] + [
            "  " + m.describe() for m in self._state.messages.values()
        ]
        if self._state.reply_keyboard:
            rows = self._state.reply_keyboard.get("keyboard", [])
            lines.append(f"  reply keyboard: {[[b['text'] for b in row] for row in rows]}")
        errors = self._world.errors[-5:]
        if errors:
            lines.append("Recent Bot API errors:")
            lines += [f"  {e.method}: {e.description}" for e in errors]
        return "\n".join(lines)

    # -- writing to the bot ------------------------------------------------------------

    async def send(self, text: str, *, reply_to: int | None = None) -> Message:
        """Send text; a leading /command gets its bot_command entity like real clients."""
        message = actions.send_text(self._world, self._state, text, reply_to)
        await asyncio.sleep(0)
        return message

    async def reply(self, to_message_id: int, text: str) -> Message:
        return await self.send(text, reply_to=to_message_id)

    async def send_document(
        self,
        data: bytes,
        filename: str = "document.bin",
        *,
        caption: str | None = None,
        mime_type: str | None = None,
        reply_to: int | None = None,
    ) -> Message:
        return self._media("document", data, filename, mime_type, caption, reply_to)

    async def send_photo(
        self, data: bytes, *, caption: str | None = None, reply_to: int | None = None
    ) -> Message:
        return self._media("photo", data, None, "image/jpeg", caption, reply_to)

    async def send_voice(
        self, data: bytes, *, caption: str | None = None, reply_to: int | None = None
    ) -> Message:
        return self._media("voice", data, None, "audio/ogg", caption, reply_to)

    async def send_audio(
        self,
        data: bytes,
        filename: str = "audio.mp3",
        *,
        caption: str | None = None,
        reply_to: int | None = None,
    ) -> Message:
        return self._media("audio", data, filename, "audio/mpeg", caption, reply_to)

    async def send_video(
        self,
        data: bytes,
        filename: str = "video.mp4",
        *,
        caption: str | None = None,
        reply_to: int | None = None,
    ) -> Message:
        return self._media("video", data, filename, "video/mp4", caption, reply_to)

    def _media(
        self,
        kind: str,
        data: bytes,
        filename: str | None,
        mime: str | None,
        caption: str | None,
        reply_to: int | None,
    ) -> Message:
        return actions.send_media(
            self._world,
            self._state,
            kind,
            data,
            filename=filename,
            mime_type=mime,
            caption=caption,
            reply_to=reply_to,
        )

    async def edit(self, message_id: int, text: str) -> Message:
        """Edit one of this user's text messages (the bot gets an edited_message)."""
        return actions.edit_text(self._world, self._state, message_id, text)

    async def open_link(self, url: str) -> Message:
        """Open a t.me deep link to the bot: sends `/start <payload>` like Telegram."""
        payload = actions.deep_link_payload(self._world, url)
        if payload is None:
            raise SandboxError(f"{url!r} is not a link to @{self._world.bot_user['username']}")
        return actions.open_deep_link(self._world, self._state, payload)

    def block_bot(self) -> None:
        actions.set_blocked(self._world, self._state, True)

    def unblock_bot(self) -> None:
        actions.set_blocked(self._world, self._state, False)

    # -- waiting for the bot -------------------------------------------------------------

    def skip_pending(self) -> None:
        """Forget bot messages not yet consumed by wait_for_message."""
        self._cursor = len(self._state.bot_events)

    async def wait_for_message(
        self,
        contains: str | None = None,
        *,
        predicate: MessagePredicate | None = None,
        timeout: float | None = None,
    ) -> Message:
        """The next bot message or edit (in arrival order) whose text/caption contains
        `contains` and satisfies `predicate`. Everything up to it counts as consumed."""

        def probe() -> Message | None:
            events = self._state.bot_events
            for index in range(self._cursor, len(events)):
                event = events[index]
                if contains is not None and contains not in event.content:
                    continue
                if predicate is not None and not predicate(event):
                    continue
                self._cursor = index + 1
                return event
            return None

        found = await self._world.wait_for(probe, self._timeout(timeout))
        if found is None:
            wanted = f"containing {contains!r}" if contains is not None else "any"
            raise SandboxTimeout(
                f"No bot message ({wanted}) arrived within {self._timeout(timeout)} s.\n"
                + self.dump()
            )
        return found

    async def wait_for_messages(self, count: int, *, timeout: float | None = None) -> list[Message]:
        return [await self.wait_for_message(timeout=timeout) for _ in range(count)]

    def _timeout(self, timeout: float | None) -> float:
        return self.default_timeout if timeout is None else timeout

    # -- buttons -------------------------------------------------------------------------

    def _find_inline(
        self, text: str, message_id: int | None, exact: bool
    ) -> tuple[Message, JSON] | None:
        messages = [self.message(message_id)] if message_id is not None else self.bot_messages
        for message in reversed(messages):
            for row in message.inline_buttons:
                for button in row:
                    label = button["text"]
                    if label == text if exact else text.lower() in label.lower():
                        return message, button
        return None

    def _find_reply(self, text: str, exact: bool) -> JSON | None:
        rows = (self._state.reply_keyboard or {}).get("keyboard", [])
        for row in rows:
            for button in row:
                if button["text"] == text if exact else text.lower() in button["text"].lower():
                    return dict(button)
        return None

    async def tap(
        self,
        text: str,
        *,
        message_id: int | None = None,
        data: str | None = None,
        timeout: float | None = None,
        wait_answer: bool = True,
    ) -> TapResult:
        """Tap the button labelled `text` on the newest bot message that has one (inline),
        else on the reply keyboard. Exact labels win over substring matches."""
        for exact in (True, False):
            found = self._find_inline(text, message_id, exact)
            if found:
                message, button = found
                return await self._tap_inline(message, button, data, timeout, wait_answer)
            reply_button = None if message_id is not None else self._find_reply(text, exact)
            if reply_button:
                sent = await self.send(reply_button["text"])
                return TapResult(kind="reply_keyboard", sent=sent)
        raise SandboxError(f"No button {text!r} found.\n{self.dump()}")

    async def tap_data(
        self,
        message_id: int,
        data: str,
        *,
        timeout: float | None = None,
        wait_answer: bool = True,
    ) -> TapResult:
        """Send a callback query with arbitrary (forged or replayed) data for a message."""
        return await self._tap_inline(
            self.message(message_id), {"callback_data": data}, data, timeout, wait_answer
        )

    async def _tap_inline(
        self,
        message: Message,
        button: JSON,
        data: str | None,
        timeout: float | None,
        wait_answer: bool,
    ) -> TapResult:
        if data is None and "url" in button:
            payload = actions.deep_link_payload(self._world, button["url"])
            if payload is None:
                return TapResult(kind="url", message_id=message.message_id, url=button["url"])
            sent = actions.open_deep_link(self._world, self._state, payload)
            return TapResult(kind="deep_link", message_id=message.message_id, sent=sent)
        if data is None and "pay" in button:
            payment = payments.start(self._world, self._state, message.message_id)
            outcome = await self._outcome(payment)
            return TapResult(kind="pay", message_id=message.message_id, payment=outcome)
        if data is None and "callback_data" not in button:
            raise SandboxError(f"button {button!r} is neither a callback nor a url button")
        query = actions.tap_callback(
            self._world, self._state, message, data or button["callback_data"]
        )
        result = TapResult(
            kind="callback", message_id=message.message_id, callback_query_id=query.id
        )
        if wait_answer:
            await self.wait_answer(query, timeout)
            result.answered, result.text = True, query.answer_text
            result.show_alert, result.url = query.show_alert, query.url
        return result

    async def wait_answer(self, query: CallbackQuery, timeout: float | None = None) -> None:
        try:
            await asyncio.wait_for(query.answered_event.wait(), self._timeout(timeout))
        except TimeoutError:
            raise SandboxTimeout(
                f"The bot did not answer callback query {query.id} (data={query.data!r}) "
                f"within {self._timeout(timeout)} s.\n{self.dump()}"
            ) from None

    # -- inline mode and payments --------------------------------------------------------

    async def inline_query(self, query: str, *, timeout: float | None = None) -> list[JSON]:
        """Type `@bot query` and return the results the bot answered."""
        query_id = actions.inline_query(self._world, self._state, query)
        answers = self._world.inline_answers
        answer = await self._world.wait_for(
            lambda: answers[query_id] or None, self._timeout(timeout)
        )
        if answer is None:
            raise SandboxTimeout(f"The bot did not answer inline query {query!r}.")
        results: list[JSON] = answer["results"]
        return results

    async def pay(self, message_id: int | None = None) -> Payment:
        """Pay an invoice like Telegram: the bot gets a pre_checkout_query; this waits until
        it answers (or its 10 s run out) and returns the outcome. ``status`` "paid": the
        bot also got the message with successful_payment (``update_id``); "declined":
        ``error_message`` is what the bot answered; "expired": no answer in time.
        Without ``message_id``, the newest invoice not paid yet."""
        if message_id is None:
            message_id = payments.newest_unpaid_invoice(self._world, self._state).message_id
        payment = payments.start(self._world, self._state, message_id)
        return await self._outcome(payment)

    async def _outcome(self, payment: Payment) -> Payment:
        # The world's own timer ends the payment at the deadline; a little slack on top.
        wait = self._world.pre_checkout_timeout + 5.0
        done = await self._world.wait_for(lambda: None if payment.pending else payment, wait)
        if done is None:
            raise SandboxTimeout(f"Payment {payment.id} neither ended nor expired.\n{self.dump()}")
        return done

    async def wait_for_invoice(
        self, title_contains: str | None = None, *, timeout: float | None = None
    ) -> Message:
        """The next invoice from the bot (whose title contains ``title_contains``)."""

        def wanted(message: Message) -> bool:
            invoice = message.invoice
            return invoice is not None and (
                title_contains is None or title_contains in invoice["title"]
            )

        return await self.wait_for_message(predicate=wanted, timeout=timeout)

    @property
    def payments(self) -> list[Payment]:
        """This user's payments, oldest first."""
        return [p for p in self._world.payments.values() if p.user_id == self.id]
