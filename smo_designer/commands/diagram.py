"""Diagram edits as undoable commands: one gesture, one step (commands layer).

Each command runs one modeling function inside Document.edit(); repeated keyboard nudges of
the same shapes merge into one step, as in Qt's undo framework example.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from ..model.document import Document, Edit
from .base import DocumentCommand

NUDGE_ID = 0x5E0D


class DiagramCommand(DocumentCommand):
    """A diagram edit from a function of the document."""

    def __init__(self, document: Document, label: str, function: Callable[[Document], object]) -> None:
        super().__init__(document, label)
        self._function = function
        self.result: object = None

    def perform(self, document: Document) -> None:
        self.result = self._function(document)


class NudgeCommand(DiagramCommand):
    """Arrow-key moves of one selection merge while the selection stays the same."""

    def __init__(self, document: Document, label: str, function: Callable[[Document], object], key: tuple) -> None:
        super().__init__(document, label, function)
        self.key = key

    def id(self) -> int:
        return NUDGE_ID

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 (Qt override)
        if not isinstance(other, NudgeCommand) or other.key != self.key:
            return False
        mine, theirs = self._edit, other._edit
        if mine is None or theirs is None:
            return False
        self._edit = Edit(mine.label, [*mine.changes, *theirs.changes])
        return True
