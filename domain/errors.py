"""Errors the domain raises; each carries one sentence a user can read."""


class DomainError(Exception):
    """A rule was broken; ``str(error)`` is a sentence fit to show the user."""

    def __init__(self, sentence: str) -> None:
        super().__init__(sentence)
        self.sentence = sentence


class InvalidInput(DomainError):
    """The user typed something the current question cannot accept."""


class NotAllowed(DomainError):
    """The user may not perform this action now."""


class NotFound(DomainError):
    """The thing asked for does not exist (or is not visible to this user)."""


class Conflict(DomainError):
    """Someone else changed the same thing first; nothing was written."""


class LimitReached(NotAllowed):
    """The user did something too often; ``resets_at`` is when they may do it again."""

    def __init__(self, sentence: str, resets_at: object) -> None:
        super().__init__(sentence)
        self.resets_at = resets_at
