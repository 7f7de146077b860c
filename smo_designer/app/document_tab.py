"""One open document in the main window's tabs (app layer): its controller (document, undo
stack, file), crash journal and disk watcher, and its own canvas with the find bar above it.

The window's docks show the current tab's document; the tab itself knows nothing of them.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPointF, Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from ..canvas import notation
from ..canvas.find import FindBar
from ..canvas.scene import DiagramScene
from ..canvas.view import DiagramView
from ..model.document import Document
from .disk_watch import DiskWatcher
from .document_controller import DocumentController
from .journal import DocumentJournal


class DocumentTab(QWidget):
    selection_changed = Signal(list)  # ids of the elements selected on this tab's canvas
    document_replaced = Signal()  # the canvas shows the controller's new document

    def __init__(self, window, untitled_number: int, *, blank: bool) -> None:
        super().__init__()
        self.untitled_number = untitled_number  # "Untitled 2" until the document has a file
        self.started_blank = blank  # a blank document nobody touched makes way for an opened one
        self.notation_palette = notation.LIGHT
        self.controller = DocumentController(parent=self)
        self.journal = DocumentJournal(self.controller)
        self.disk_watch = DiskWatcher(self, window)
        self.scene = DiagramScene(self.controller.document)
        self.view = DiagramView(self.scene, self.controller.undo_stack)
        self.find_bar = FindBar(self.view)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.find_bar)
        layout.addWidget(self.view)
        self.scene.element_selection_changed.connect(self.selection_changed)
        self.controller.replaced.connect(self._show_document)

    @property
    def document(self) -> Document:
        return self.controller.document

    @property
    def path(self) -> Path | None:
        return self.controller.path

    def is_untouched(self) -> bool:
        """A blank document with no file and no edit, not even an undone one."""
        return self.started_blank and self.path is None and self.controller.undo_stack.count() == 0

    def name(self) -> str:
        """The file's name, or "Untitled 2" for a document that has none yet."""
        return self.path.name if self.path is not None else f"Untitled {self.untitled_number}"

    def label(self) -> str:
        """What the tab says: the name, with * while there are unsaved changes."""
        return self.name() + ("*" if self.controller.modified else "")

    def tooltip(self) -> str:
        return str(self.path) if self.path is not None else "Not saved yet"

    def set_notation_palette(self, palette: notation.Palette) -> None:
        self.notation_palette = palette
        self.scene.set_palette(palette)

    def view_state(self) -> tuple[float, QPointF]:
        """The zoom, and the point of the diagram in the middle of the canvas."""
        return self.view.zoom(), self.view.mapToScene(self.view.viewport().rect().center())

    def set_view_state(self, zoom: float, centre: QPointF) -> None:
        self.view.set_zoom(zoom)
        self.view.centerOn(centre)
        self.view.zoom_changed.emit(self.view.zoom())

    def _show_document(self) -> None:
        """A new scene for the controller's new document (read from a file, recovered)."""
        self.scene.detach()
        old = self.scene
        self.scene = DiagramScene(self.controller.document)
        self.scene.set_palette(self.notation_palette)
        self.view.setScene(self.scene)
        self.scene.element_selection_changed.connect(self.selection_changed)
        self.find_bar.hide()  # its matches were items of the old scene
        self.find_bar.matches = []
        old.deleteLater()
        self.view.fit()
        self.started_blank = False
        self.document_replaced.emit()

    def reload_from_disk(self) -> None:
        """Read the file again, keeping the zoom and the part of the diagram in view."""
        path = self.controller.path
        assert path is not None
        transform = self.view.transform()
        horizontal, vertical = self.view.horizontalScrollBar().value(), self.view.verticalScrollBar().value()
        self.controller.load(path)
        self.view.setTransform(transform)
        self.view.horizontalScrollBar().setValue(horizontal)
        self.view.verticalScrollBar().setValue(vertical)
        self.view.zoom_changed.emit(self.view.zoom())

    def close_document(self) -> None:
        """The tab closes on purpose: nothing to recover, nothing to watch, the model let go."""
        self.disk_watch.stop()
        self.journal.discard()
        self.scene.detach()
        self.controller.close()
