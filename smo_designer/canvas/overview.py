"""The overview map: the whole diagram in small with the visible part framed; click or drag to
go there (canvas layer).

The small picture is rendered once per change (after a short pause), not on every scroll, so
the map costs nothing while the designer pans a large model.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QPointF, QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QImage, QPainter, QPen
from PySide6.QtWidgets import QGraphicsScene, QSizePolicy, QWidget

from .view import DiagramView


class OverviewMap(QWidget):
    def __init__(self, view: DiagramView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = view
        self._image: QImage | None = None
        self._source = QRectF()
        self._target = QRectF()
        self.setMinimumSize(QSize(160, 110))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._refresh = QTimer(self)
        self._refresh.setSingleShot(True)
        self._refresh.setInterval(250)
        self._refresh.timeout.connect(self.render_picture)
        self._followed: tuple[DiagramView, QGraphicsScene] | None = None
        self._follow()

    def set_view(self, view: DiagramView) -> None:
        """Map another view (a window shows one document per tab), or the same view's new scene."""
        self._unfollow()
        self.view = view
        self._image = None
        self._follow()
        self._refresh.start()  # after the window has painted: the map is never in the way

    def _follow(self) -> None:
        view, scene = self.view, self.view.scene()
        scene.changed.connect(self._scene_changed)
        view.horizontalScrollBar().valueChanged.connect(self._frame_moved)
        view.verticalScrollBar().valueChanged.connect(self._frame_moved)
        view.zoom_changed.connect(self._frame_moved)
        self._followed = (view, scene)

    def _unfollow(self) -> None:
        """Stop hearing from the view and scene mapped so far (either may be gone already)."""
        if self._followed is None:
            return
        view, scene = self._followed
        self._followed = None
        if shiboken6.isValid(scene):
            scene.changed.disconnect(self._scene_changed)
        if shiboken6.isValid(view):
            view.horizontalScrollBar().valueChanged.disconnect(self._frame_moved)
            view.verticalScrollBar().valueChanged.disconnect(self._frame_moved)
            view.zoom_changed.disconnect(self._frame_moved)

    def _scene_changed(self, _regions) -> None:
        self._refresh.start()

    def _frame_moved(self, *_args) -> None:
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(240, 160)

    def resizeEvent(self, event) -> None:  # noqa: N802
        self._refresh.start()
        super().resizeEvent(event)

    def render_picture(self) -> None:
        scene = self.view.diagram()
        source = scene.drawing_rect().adjusted(-20, -20, 20, 20)
        if source.isEmpty() or self.width() < 10 or self.height() < 10:
            self._image = None
            self.update()
            return
        ratio = self.devicePixelRatioF()
        image = QImage(
            QSize(int(self.width() * ratio), int(self.height() * ratio)), QImage.Format.Format_ARGB32_Premultiplied
        )
        image.setDevicePixelRatio(ratio)
        image.fill(self.palette().base().color())
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        scale = min(self.width() / source.width(), self.height() / source.height())
        target = QRectF(0, 0, source.width() * scale, source.height() * scale)
        target.moveCenter(QRectF(0, 0, self.width(), self.height()).center())
        selected = scene.selectedItems()
        for item in selected:
            item.setSelected(False)
        scene.render(painter, target, source, Qt.AspectRatioMode.KeepAspectRatio)
        for item in selected:
            item.setSelected(True)
        painter.end()
        self._image, self._source, self._target = image, source, target
        self.update()

    def _to_scene(self, point: QPointF) -> QPointF:
        if self._target.isEmpty():
            return QPointF()
        scale = self._source.width() / self._target.width()
        return QPointF(
            self._source.x() + (point.x() - self._target.x()) * scale,
            self._source.y() + (point.y() - self._target.y()) * scale,
        )

    def _to_map(self, rect: QRectF) -> QRectF:
        if self._source.isEmpty():
            return QRectF()
        scale = self._target.width() / self._source.width()
        return QRectF(
            self._target.x() + (rect.x() - self._source.x()) * scale,
            self._target.y() + (rect.y() - self._source.y()) * scale,
            rect.width() * scale,
            rect.height() * scale,
        )

    def visible_frame(self) -> QRectF:
        """The part of the map the main view shows, in map coordinates."""
        visible = self.view.mapToScene(self.view.viewport().rect()).boundingRect()
        return self._to_map(visible)

    def paintEvent(self, event) -> None:  # noqa: N802
        painter = QPainter(self)
        if self._image is None and not self._refresh.isActive():
            self._refresh.start()
        if self._image is not None:
            painter.drawImage(QPointF(0, 0), self._image)
        pen = QPen(QColor(52, 120, 246), 2)
        painter.setPen(pen)
        painter.setBrush(QColor(52, 120, 246, 30))
        painter.drawRect(self.visible_frame())
        painter.end()

    def mousePressEvent(self, event) -> None:  # noqa: N802
        self.view.centerOn(self._to_scene(event.position()))
        self.update()

    def mouseMoveEvent(self, event) -> None:  # noqa: N802
        if event.buttons() & Qt.MouseButton.LeftButton:
            self.view.centerOn(self._to_scene(event.position()))
            self.update()
