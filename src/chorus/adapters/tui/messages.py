"""Messages that cross screens: posted by a widget, handled by the application."""

from __future__ import annotations

from textual.message import Message


class TicketPropose(Message):
    """The assistant could not answer: open the creation of a support ticket, its
    description pre-filled with the user's question."""

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question
