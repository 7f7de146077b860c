"""Find by name (Ctrl+F): a bar above the canvas that selects and shows each match in turn
(canvas layer)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

from ..modeling.shapes import label_text
from .items import DiagramItem
from .view import DiagramView


class FindBar(QWidget):
    def __init__(self, view: DiagramView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = view
        self.field = QLineEdit()
        self.field.setPlaceholderText("Find by name: Enter for the next match, Shift+Enter for the previous")
        self.field.setClearButtonEnabled(True)
        self.field.textChanged.connect(self._search)
        self.field.installEventFilter(self)
        self.count = QLabel()
        close = QToolButton()
        close.setText("✕")
        close.setAutoRaise(True)
        close.setToolTip("Close (Escape)")
        close.clicked.connect(self.close_bar)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 3, 6, 3)
        layout.addWidget(QLabel("Find"))
        layout.addWidget(self.field, 1)
        layout.addWidget(self.count)
        layout.addWidget(close)
        self.matches: list[DiagramItem] = []
        self.current = -1
        self.hide()

    def open(self) -> None:
        self.show()
        self.field.setFocus()
        self.field.selectAll()
        self._search(self.field.text())

    def close_bar(self) -> None:
        self.hide()
        self.view.setFocus()

    def _search(self, text: str) -> None:
        needle = " ".join(text.split()).casefold()
        self.matches = []
        if needle:
            for item in self.view.diagram().diagram_items():
                element = item.element
                if element is not None and needle in " ".join(label_text(element).split()).casefold():
                    self.matches.append(item)
            self.matches.sort(key=lambda item: (item.sceneBoundingRect().top(), item.sceneBoundingRect().left()))
        self.current = -1
        if self.matches:
            self.step(1)
        else:
            self.count.setText("no match" if needle else "")

    def step(self, direction: int) -> None:
        if not self.matches:
            return
        self.current = (self.current + direction) % len(self.matches)
        item = self.matches[self.current]
        self.view.diagram().select_elements([item.element_id] if item.element_id else [])
        self.view.ensureVisible(item.sceneBoundingRect(), 80, 80)
        self.count.setText(f"{self.current + 1} of {len(self.matches)}")

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt override)
        if watched is self.field and isinstance(event, QKeyEvent) and event.type() == QKeyEvent.Type.KeyPress:
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.step(-1 if event.modifiers() & Qt.KeyboardModifier.ShiftModifier else 1)
                return True
            if event.key() == Qt.Key.Key_Escape:
                self.close_bar()
                return True
        return super().eventFilter(watched, event)
