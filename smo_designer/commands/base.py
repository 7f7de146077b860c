"""The command every edit goes through: one user intent, one undo step (commands layer).

A command runs its model edit once, inside Document.edit(), and keeps the recorded changes;
undo and redo replay them. redo() never pushes another command, and commands touch only the
model: views redraw from the model's change events.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand, QUndoStack

from ..model.document import Document, Edit


class DocumentCommand(QUndoCommand):
    """Subclasses implement perform(); it may raise, and then nothing is applied."""

    def __init__(self, document: Document, label: str) -> None:
        super().__init__(label)
        self.document = document
        self._edit: Edit | None = None
        self._performed_before_push = False

    def perform(self, document: Document) -> None:
        raise NotImplementedError

    def redo(self) -> None:
        if self._performed_before_push:
            self._performed_before_push = False  # QUndoStack.push calls redo(): already done
            return
        if self._edit is None:
            try:
                with self.document.edit(self.text()) as edit:
                    self.perform(self.document)
            except Exception:
                # the edit rolled itself back; an obsolete command leaves no step on the stack
                self.setObsolete(True)
                raise
            self._edit = edit
            if not edit.changes:
                # nothing changed (say, a cell set to what it held): no undo step for it
                self.setObsolete(True)
        else:
            self._edit.redo(self.document)

    def undo(self) -> None:
        assert self._edit is not None
        self._edit.undo(self.document)


def execute(stack: QUndoStack, command: DocumentCommand) -> None:
    """Perform a command and push it when it changed something. Unlike a plain push, an error
    raised by the edit reaches the caller (Qt would swallow it inside redo()), and the document is
    left as it was."""
    command.redo()
    if command.isObsolete():
        return
    command._performed_before_push = True
    stack.push(command)


class FunctionCommand(DocumentCommand):
    """A command from a function of the document, for intents that need no class of their own."""

    def __init__(self, document: Document, label: str, function: Callable[[Document], None]) -> None:
        super().__init__(document, label)
        self._function = function

    def perform(self, document: Document) -> None:
        self._function(document)
