"""One open document with its undo stack, file and problems (app layer).

Every edit reaches the document as a command pushed here; the modified mark is the undo
stack's clean state. Views subscribe to `changed` (every model change) and redraw from the model.
"""

from __future__ import annotations

import gc
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from ..formats.bpmn import Problem, read_bpmn, write_bpmn
from ..model import bpmn
from ..model.document import Document


class DocumentController(QObject):
    changed = Signal(object)  # a model Change
    replaced = Signal()  # a different document was loaded
    modified_changed = Signal(bool)
    saved = Signal()  # written to self.path

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
        self.adopt(result.document, Path(path), result.problems)

    def adopt(
        self, document: Document, path: Path | None, problems: list[Problem] | None = None, *, modified: bool = False
    ) -> None:
        """Show another document (read from a file, or recovered from the journal: then it is
        `modified`, since its edits are in no file yet)."""
        gc.unfreeze()  # what the last open froze (the model replaced now) may be collected again
        self._unsubscribe()
        old = self.document
        self.document = document
        self._unsubscribe = self.document.subscribe(self._forward)
        self.problems = list(problems or [])
        self.path = path
        self.undo_stack.clear()
        if modified:
            self.undo_stack.resetClean()  # no step leads back to a saved state
        self.replaced.emit()
        self.modified_changed.emit(modified)
        release(old)
        # A large model is long-lived and full of parent links: leaving it to the cyclic
        # collector costs a pause of a few tenths of a second on every full collection. Once the
        # window has painted, collect what the replaced model left behind and freeze the rest.
        QTimer.singleShot(300, settle_memory)

    def save(self, path: str | Path | None = None) -> None:
        """Save atomically (raises BpmnWriteError with a one-line message)."""
        target = Path(path) if path is not None else self.path
        if target is None:
            raise ValueError("the document has no file yet; give a path")
        write_bpmn(self.document, target)
        self.path = target
        self.undo_stack.setClean()
        self.saved.emit()

    def close(self) -> None:
        """The document's tab closes: stop following it and free the model (it is frozen out of
        the cyclic collector's sight after a load, so it has to be let go by hand)."""
        gc.unfreeze()
        self._unsubscribe()
        release(self.document)
        QTimer.singleShot(300, settle_memory)


def settle_memory() -> None:
    gc.collect()
    gc.freeze()


def release(document: Document) -> None:
    """Break a closed document's parent links, so plain reference counting frees it (frozen
    objects are never visited by the cyclic collector)."""
    for node in document.root.iter():
        node.parent = None
    for node in document.prolog:
        node.parent = None
    document.derived.clear()
