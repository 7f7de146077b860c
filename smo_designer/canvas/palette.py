"""The palette: tools and the shapes a designer draws, each a click, a drag or a key (canvas layer).

Icons are painted by the same notation code as the canvas, so the palette shows exactly what
a click will create.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QMimeData, QPoint, QRectF, QSize, Qt
from PySide6.QtGui import QAction, QDrag, QGuiApplication, QIcon, QKeySequence, QPainter, QPainterPath, QPen, QPixmap
from PySide6.QtWidgets import QToolBar, QToolButton, QWidget

from ..modeling.shapes import ShapeSpec, default_size
from . import notation
from .view import PALETTE_MIME, spec_to_mime


@dataclass(frozen=True)
class PaletteEntry:
    label: str
    shortcut: str
    spec: ShapeSpec | None = None  # None: a tool
    tool: str = "create"


TOOLS = [
    PaletteEntry("Hand tool: pan the view", "H", tool="hand"),
    PaletteEntry("Space tool: drag to make or remove room", "S", tool="space"),
    PaletteEntry("Connect tool: drag from one shape to another", "C", tool="connect"),
]
SHAPES = [
    PaletteEntry("Start event", "1", ShapeSpec("startEvent")),
    PaletteEntry("Intermediate event", "2", ShapeSpec("intermediateThrowEvent")),
    PaletteEntry("End event", "3", ShapeSpec("endEvent")),
    PaletteEntry("Exclusive gateway (decision)", "G", ShapeSpec("exclusiveGateway")),
    PaletteEntry("Parallel gateway", "P", ShapeSpec("parallelGateway")),
    PaletteEntry("Task", "T", ShapeSpec("task")),
    PaletteEntry("User task", "U", ShapeSpec("userTask")),
    PaletteEntry("Sub-process (expanded)", "B", ShapeSpec("subProcess", expanded=True)),
    PaletteEntry("Data object", "O", ShapeSpec("dataObjectReference")),
    PaletteEntry("Data store", "D", ShapeSpec("dataStoreReference")),
    PaletteEntry("Text annotation", "A", ShapeSpec("textAnnotation")),
    PaletteEntry("Group", "Shift+G", ShapeSpec("group")),
    PaletteEntry("Pool (participant)", "Shift+P", ShapeSpec("participant")),
    PaletteEntry("Vertical pool", "Shift+V", ShapeSpec("participant", horizontal=False)),
]


def shape_icon(spec: ShapeSpec, size: int = 28) -> QIcon:
    """The palette icon of a shape: the notation drawing itself, scaled down."""
    pixmap = QPixmap(QSize(size * 2, size * 2))
    pixmap.setDevicePixelRatio(2)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    width, height = default_size(spec.local, spec.expanded)
    if spec.local == "participant":
        width, height = (140, 80) if spec.horizontal else (80, 140)
    if spec.local == "subProcess":
        width, height = 100, 80
    if spec.local == "group":
        width, height = 100, 80
    scale = (size - 4) / max(width, height)
    painter.translate((size - width * scale) / 2, (size - height * scale) / 2)
    painter.scale(scale, scale)
    look = notation.Look(
        kind=spec.local,
        trigger=spec.trigger or "none",
        throwing=spec.local in ("endEvent", "intermediateThrowEvent"),
        expanded=spec.expanded,
        horizontal=spec.horizontal,
    )
    notation.paint_shape(painter, look, QRectF(0, 0, width, height), notation.LIGHT, detail=0.3)
    painter.end()
    return QIcon(pixmap)


def tool_icon(tool: str, size: int = 28) -> QIcon:
    pixmap = QPixmap(QSize(size * 2, size * 2))
    pixmap.setDevicePixelRatio(2)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    pen = QPen(QGuiApplication.palette().windowText().color(), 2)  # light or dark theme alike
    painter.setPen(pen)
    path = QPainterPath()
    s = float(size)
    if tool == "hand":
        for index in range(4):
            x = s * 0.3 + index * s * 0.13
            path.moveTo(x, s * 0.55)
            path.lineTo(x, s * (0.22 if index in (1, 2) else 0.3))
        path.addRoundedRect(QRectF(s * 0.25, s * 0.5, s * 0.5, s * 0.3), 4, 4)
    elif tool == "space":
        path.moveTo(s * 0.5, s * 0.15)
        path.lineTo(s * 0.5, s * 0.85)
        for direction in (-1, 1):
            tip = s * 0.5 + direction * s * 0.35
            path.moveTo(s * 0.5 + direction * s * 0.08, s * 0.5)
            path.lineTo(tip, s * 0.5)
            path.moveTo(tip - direction * s * 0.1, s * 0.4)
            path.lineTo(tip, s * 0.5)
            path.lineTo(tip - direction * s * 0.1, s * 0.6)
    elif tool == "connect":
        path.moveTo(s * 0.15, s * 0.8)
        path.lineTo(s * 0.45, s * 0.8)
        path.lineTo(s * 0.45, s * 0.25)
        path.lineTo(s * 0.8, s * 0.25)
        path.moveTo(s * 0.68, s * 0.15)
        path.lineTo(s * 0.82, s * 0.25)
        path.lineTo(s * 0.68, s * 0.35)
    painter.drawPath(path)
    painter.end()
    return QIcon(pixmap)


class _PaletteButton(QToolButton):
    """A palette button: click to pick the shape, drag it onto the canvas to place it."""

    def __init__(self, spec: ShapeSpec | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self._press: QPoint | None = None

    def mousePressEvent(self, event) -> None:  # noqa: N802 (Qt override)
        self._press = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event) -> None:  # noqa: N802
        if self.spec is not None and self._press is not None and event.buttons() & Qt.MouseButton.LeftButton:
            if (event.position().toPoint() - self._press).manhattanLength() >= 6:
                self._press = None
                self.setDown(False)
                drag = QDrag(self)
                data = QMimeData()
                data.setData(PALETTE_MIME, spec_to_mime(self.spec).encode())
                drag.setMimeData(data)
                drag.setPixmap(self.icon().pixmap(QSize(40, 40)))
                drag.exec(Qt.DropAction.CopyAction)
                return
        super().mouseMoveEvent(event)


class Palette(QToolBar):
    """A vertical tool bar; `actions_by_label` lets the window list the same actions in menus."""

    def __init__(self, choose: Callable[[PaletteEntry], None], parent: QWidget | None = None) -> None:
        super().__init__("Palette", parent)
        self.setObjectName("palette")
        self.setOrientation(Qt.Orientation.Vertical)
        self.setIconSize(QSize(28, 28))
        self.setMovable(False)
        self.entry_actions: list[tuple[PaletteEntry, QAction]] = []
        for group in (TOOLS, SHAPES):
            for entry in group:
                action = QAction(entry.label, self)
                action.setShortcut(QKeySequence(entry.shortcut))
                action.setToolTip(f"{entry.label} ({entry.shortcut})")
                action.setIcon(shape_icon(entry.spec) if entry.spec is not None else tool_icon(entry.tool))
                action.triggered.connect(lambda _checked=False, e=entry: choose(e))
                button = _PaletteButton(entry.spec, self)
                button.setDefaultAction(action)
                button.setAutoRaise(True)
                button.setIconSize(QSize(28, 28))
                self.addWidget(button)
                self.entry_actions.append((entry, action))
            self.addSeparator()
