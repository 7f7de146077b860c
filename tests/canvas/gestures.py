"""Real mouse and keyboard gestures on the canvas for pytest-qt tests: events go through the
viewport exactly as a user's would, with the buttons held during a drag."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from smo_designer.canvas.view import DiagramView

LEFT = Qt.MouseButton.LeftButton
NO_MODIFIER = Qt.KeyboardModifier.NoModifier


def at(view: DiagramView, scene_x: float, scene_y: float) -> QPoint:
    """The viewport point showing a scene point, which must be in sight (a gesture's points are
    computed before it starts, so the view must not scroll in between)."""
    point = view.mapFromScene(QPointF(scene_x, scene_y))
    assert view.viewport().rect().contains(point), f"({scene_x}, {scene_y}) is not in view"
    return point


def _send(view: DiagramView, kind: QEvent.Type, point: QPoint, button, buttons, modifiers) -> None:
    local = QPointF(point)
    global_point = QPointF(view.viewport().mapToGlobal(point))
    event = QMouseEvent(kind, local, global_point, button, buttons, modifiers)
    QApplication.sendEvent(view.viewport(), event)


def click(view: DiagramView, point: QPoint, modifiers=NO_MODIFIER) -> None:
    _send(view, QEvent.Type.MouseButtonPress, point, LEFT, LEFT, modifiers)
    _send(view, QEvent.Type.MouseButtonRelease, point, LEFT, Qt.MouseButton.NoButton, modifiers)


def double_click(view: DiagramView, point: QPoint) -> None:
    click(view, point)
    _send(view, QEvent.Type.MouseButtonDblClick, point, LEFT, LEFT, NO_MODIFIER)
    _send(view, QEvent.Type.MouseButtonRelease, point, LEFT, Qt.MouseButton.NoButton, NO_MODIFIER)


def drag(view: DiagramView, start: QPoint, end: QPoint, modifiers=NO_MODIFIER, steps: int = 8) -> None:
    """Press at start, move in steps with the button held, release at end."""
    _send(view, QEvent.Type.MouseButtonPress, start, LEFT, LEFT, modifiers)
    for step in range(1, steps + 1):
        point = QPoint(
            round(start.x() + (end.x() - start.x()) * step / steps),
            round(start.y() + (end.y() - start.y()) * step / steps),
        )
        _send(view, QEvent.Type.MouseMove, point, Qt.MouseButton.NoButton, LEFT, modifiers)
    _send(view, QEvent.Type.MouseButtonRelease, end, LEFT, Qt.MouseButton.NoButton, modifiers)


def key(view: DiagramView, key_code, modifiers=NO_MODIFIER) -> None:
    QTest.keyClick(view, key_code, modifiers)


def type_text(widget, text: str) -> None:
    QTest.keyClicks(widget, text)
