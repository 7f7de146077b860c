"""The palette: tools and the shapes a designer draws, each a click, a drag or a key (canvas layer).

Icons are painted by the same notation code as the canvas, so the palette shows exactly what
a click will create.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QMimeData, QPoint, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QAction,
    QColor,
    QDrag,
    QGuiApplication,
    QIcon,
    QKeySequence,
    QPainter,
    QPainterPath,
    QPen,
    QPixmap,
)
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


ICON_RATIOS = (1, 2, 3)  # device pixel ratios drawn, so that no screen scales a bitmap


def _painted_icon(size: int, draw: Callable[[QPainter], None]) -> QIcon:
    """An icon drawn afresh at each device pixel ratio (sharp on every screen)."""
    icon = QIcon()
    for ratio in ICON_RATIOS:
        pixmap = QPixmap(QSize(size * ratio, size * ratio))
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        draw(painter)
        painter.end()
        icon.addPixmap(pixmap)
    return icon


def shape_icon(spec: ShapeSpec, size: int = 28, palette: notation.Palette = notation.LIGHT) -> QIcon:
    """The palette icon of a shape: the notation drawing itself, scaled down."""
    width, height = default_size(spec.local, spec.expanded)
    if spec.local == "participant":
        width, height = (140, 80) if spec.horizontal else (80, 140)
    if spec.local in ("subProcess", "group"):
        width, height = 100, 80
    if spec.local == "textAnnotation":
        width, height = 60, 60  # its bracket tall enough to be recognised, with lines of text
    look = notation.Look(
        kind=spec.local,
        trigger=spec.trigger or "none",
        throwing=spec.local in ("endEvent", "intermediateThrowEvent"),
        expanded=spec.expanded,
        horizontal=spec.horizontal,
    )

    def draw(painter: QPainter) -> None:
        scale = (size - 4) / max(width, height)
        painter.translate((size - width * scale) / 2, (size - height * scale) / 2)
        painter.scale(scale, scale)
        notation.paint_shape(painter, look, QRectF(0, 0, width, height), palette, detail=0.3)
        if spec.local == "textAnnotation":
            painter.setPen(QPen(palette.stroke, 3))
            for line, length in enumerate((0.7, 0.55, 0.65)):
                y = height * (0.3 + line * 0.2)
                painter.drawLine(QPointF(width * 0.22, y), QPointF(width * (0.22 + length * 0.7), y))

    return _painted_icon(size, draw)


def tool_icon(tool: str, size: int = 28, colour: QColor | None = None) -> QIcon:
    """A tool's icon in the given colour (the window text colour by default)."""
    pen = QPen(colour if colour is not None else QGuiApplication.palette().windowText().color(), 2)
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

    def draw(painter: QPainter) -> None:
        painter.setPen(pen)
        painter.drawPath(path)

    return _painted_icon(size, draw)


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
                action.triggered.connect(lambda _checked=False, e=entry: choose(e))
                button = _PaletteButton(entry.spec, self)
                button.setDefaultAction(action)
                button.setAutoRaise(True)
                button.setIconSize(QSize(28, 28))
                self.addWidget(button)
                self.entry_actions.append((entry, action))
            self.addSeparator()
        self._paint_icons()

    def _paint_icons(self) -> None:
        """Icons in the colours of the current theme: the diagram's palette for shapes, the
        window's text colour for tools."""
        window = self.palette()
        dark = window.window().color().lightness() < 128
        diagram = notation.DARK if dark else notation.LIGHT
        for entry, action in self.entry_actions:
            if entry.spec is not None:
                action.setIcon(shape_icon(entry.spec, palette=diagram))
            else:
                action.setIcon(tool_icon(entry.tool, colour=window.windowText().color()))

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self._paint_icons()
        super().changeEvent(event)
