"""One open document with its undo stack, file and problems (app layer).

Every edit reaches the document as a command pushed here; the modified mark is the undo
stack's clean state. Views subscribe to `changed` (every model change) and redraw from the model.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from ..formats.bpmn import Problem, read_bpmn, write_bpmn
from ..model import bpmn
from ..model.document import Document


class DocumentController(QObject):
    changed = Signal(object)  # a model Change
    replaced = Signal()  # a different document was loaded
    modified_changed = Signal(bool)

    def __init__(self, document: Document | None = None, path: Path | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(self._clean_changed)
        self.problems: list[Problem] = []
        self.path = path
        self.document = document or bpmn.new_document()
        self._unsubscribe = self.document.subscribe(self._forward)

    def _clean_changed(self, clean: bool) -> None:
        self.modified_changed.emit(not clean)

    def _forward(self, change) -> None:
        self.changed.emit(change)

    @property
    def modified(self) -> bool:
        return not self.undo_stack.isClean()

    def push(self, command: QUndoCommand) -> None:
        self.undo_stack.push(command)

    def load(self, path: str | Path) -> None:
        """Replace the document by a file's; raises BpmnReadError and keeps the old one then."""
        result = read_bpmn(path)
        self._unsubscribe()
        self.document = result.document
        self._unsubscribe = self.document.subscribe(self._forward)
        self.problems = result.problems
        self.path = Path(path)
        self.undo_stack.clear()
        self.replaced.emit()

    def save(self, path: str | Path | None = None) -> None:
        """Save atomically (raises BpmnWriteError with a one-line message)."""
        target = Path(path) if path is not None else self.path
        if target is None:
            raise ValueError("the document has no file yet; give a path")
        write_bpmn(self.document, target)
        self.path = target
        self.undo_stack.setClean()
