"""Errors a user can fix. They carry a catalogue message id, translated when shown."""

from __future__ import annotations


def N_(message: str) -> str:
    """Mark a sentence for the catalogue without translating it yet."""
    return message


class UserError(Exception):
    """Something the user typed or chose that SalesMeet cannot act on.

    `message` is an English catalogue id with `{name}` placeholders, filled from
    `params` after translation into the reader's language.
    """

    def __init__(self, message: str, field: str | None = None, **params: object) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.params = params


class DatabaseBusy(Exception):
    """Another process (or a long write here) held the database past our patience.
    Nothing was changed; the same request can simply be tried again."""


class AlreadyDone(Exception):
    """The request this work is for was already carried out (a replay after a restart
    found its change committed): the change is not made a second time."""


class AmbiguousName(UserError):
    """A name typed for an attendee that more than one member answers to: the person is
    asked which one they meant (`candidates`: Slack user id and name), and nothing is
    booked."""

    def __init__(self, name: str, candidates: tuple[tuple[str, str], ...], people: str) -> None:
        super().__init__(
            N_(
                "More than one person here answers to “{name}”: {people}. Say which with an"
                " @mention, or pick one."
            ),
            "attendees",
            name=name,
            people=people,  # their @mentions, as the caller writes them
        )
        self.name = name
        self.candidates = candidates


class Example(str):
    """An example command shown in a message: translated like a sentence (its English is
    a catalogue id), so a Malay or Hindi reader is shown one written their way."""
