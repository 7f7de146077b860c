"""How an editor's item model follows the document (editors layer): it listens to the model's
change events and redraws once after an edit, however many changes the edit made."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

from ..model.document import Document
from ..model.namespaces import BPMNDI, DC, DI

DRAWING_NAMESPACES = tuple("{" + uri + "}" for uri in (BPMNDI, DC, DI))


def _drawing_only(change: object) -> bool:
    """Whether a change touches diagram interchange only (bounds, waypoints, shapes)."""
    element = getattr(change, "element", None) or getattr(change, "parent", None)
    return element is not None and element.tag.startswith(DRAWING_NAMESPACES)


class DocumentFollower:
    """Calls `refresh` once the event loop is back after changes to the followed document.
    Stops listening when `owner` is deleted by Qt, since the document may outlive it."""

    def __init__(self, owner: QObject, document: Document, refresh: Callable[[], None]) -> None:
        self.document = document
        self.timer = QTimer(owner)
        self.timer.setSingleShot(True)
        self.timer.setInterval(0)
        self.timer.timeout.connect(refresh)
        subscription = [document.subscribe(self._changed)]
        self._subscription = subscription
        owner.destroyed.connect(lambda *_: subscription[0]())

    def _changed(self, change: object) -> None:
        if _drawing_only(change):
            return  # geometry: editors show semantics, and a drag must not rebuild a large grid
        self.timer.start()

    @property
    def pending(self) -> bool:
        return self.timer.isActive()

    def follow(self, document: Document) -> None:
        self._subscription[0]()
        self.document = document
        self._subscription[0] = document.subscribe(self._changed)
