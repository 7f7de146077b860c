"""The diagram view: zoom, pan and the gestures that edit a diagram (canvas layer).

Gestures show a preview while the mouse moves (ghost outlines, guide lines, a connection
line) and push exactly one command when they end, so the model changes once per gesture and
the scene redraws from it.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from dataclasses import dataclass, field

import shiboken6
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPen,
    QUndoStack,
    QWheelEvent,
)
from PySide6.QtWidgets import QGraphicsView, QPlainTextEdit, QWidget

from ..commands.base import execute
from ..commands.diagram import DiagramCommand, NudgeCommand
from ..model import bpmn as b
from ..model import di
from ..model.di import Bounds, Point
from ..model.document import Document
from ..modeling import geometry, shapes
from ..modeling.shapes import ModelingError, ShapeSpec
from .items import SELECTION_COLOUR, DiagramItem, EdgeItem, LabelItem, ShapeItem
from .scene import DiagramScene

MIN_ZOOM, MAX_ZOOM = 0.05, 8.0
GRID = 10.0
SNAP_DISTANCE = 8.0  # screen pixels
HANDLE = 8.0  # screen pixels
PALETTE_MIME = "application/x-smo-designer-shape"
RESIZABLE = b.ACTIVITY_TYPES | {"participant", "lane", "textAnnotation", "group", "dataStoreReference"}


@dataclass
class Gesture:
    """What the mouse is doing between press and release."""

    kind: str  # move, resize, connect, segment, lane, space, pan, create
    start: QPointF
    current: QPointF
    items: list[ShapeItem] = field(default_factory=list)
    item: DiagramItem | None = None
    handle: str = ""
    segment: int = -1
    guides: list[QLineF] = field(default_factory=list)
    moved: bool = False
    pan_origin: QPointF | None = None


class DiagramView(QGraphicsView):
    zoom_changed = Signal(float)
    message = Signal(str)
    tool_changed = Signal(str)

    def __init__(self, scene: DiagramScene, undo_stack: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(scene, parent)
        self._kept_scene = scene  # the view outlives no scene it shows: Python owns the scene
        self.undo_stack = undo_stack
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.MinimalViewportUpdate)
        self.setOptimizationFlags(
            QGraphicsView.OptimizationFlag.DontSavePainterState
            | QGraphicsView.OptimizationFlag.DontAdjustForAntialiasing
        )
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
        self.setRubberBandSelectionMode(Qt.ItemSelectionMode.ContainsItemShape)
        self.setAcceptDrops(True)
        self.setMouseTracking(True)
        self.tool = "select"
        self.create_spec: ShapeSpec | None = None
        self.gesture: Gesture | None = None
        self.grid = GRID  # what mouse gestures snap to, in scene units; 0 snaps to nothing
        self._space_held = False
        self._editor: QPlainTextEdit | None = None
        self._editing: DiagramItem | None = None
        # Through a weak reference: a stack that outlives the view (it clears, and so signals,
        # while being destroyed) must not call into a deleted view.
        view_reference = weakref.ref(self)

        def flush_after_undo(_index: int) -> None:
            view = view_reference()
            if view is not None and shiboken6.isValid(view):
                view._flush_scene()

        undo_stack.indexChanged.connect(flush_after_undo)

    def setScene(self, scene) -> None:  # noqa: N802 (Qt override)
        super().setScene(scene)
        self._kept_scene = scene

    def _flush_scene(self, _index: int = 0) -> None:
        scene = self.scene()
        if isinstance(scene, DiagramScene):
            scene.flush()

    # --- model access ---------------------------------------------------------------------------

    def diagram(self) -> DiagramScene:
        return self.scene()  # type: ignore[return-value]

    @property
    def document(self) -> Document:
        return self.diagram().document

    @property
    def plane(self):
        return self.diagram().plane

    def run(self, label: str, function: Callable[[Document], object], *, nudge_key: tuple | None = None) -> object:
        """Perform one edit as one undo step; a refused edit shows its reason and changes nothing."""
        if self.plane is None:
            self.message.emit("This document has no diagram to edit")
            return None
        if nudge_key is not None:
            command: DiagramCommand = NudgeCommand(self.document, label, function, nudge_key)
        else:
            command = DiagramCommand(self.document, label, function)
        try:
            execute(self.undo_stack, command)
        except ModelingError as error:
            self.message.emit(str(error))
            return None
        self.diagram().flush()
        return command.result

    # --- zoom and pan ---------------------------------------------------------------------------

    def zoom(self) -> float:
        return self.transform().m11()

    def set_zoom(self, factor: float, anchor: QPointF | None = None) -> None:
        factor = max(MIN_ZOOM, min(MAX_ZOOM, factor))
        current = self.zoom()
        if abs(factor - current) < 1e-9:
            return
        if anchor is None:
            self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.scale(factor / current, factor / current)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.zoom_changed.emit(self.zoom())
        self.viewport().update()

    def zoom_in(self) -> None:
        self.set_zoom(self.zoom() * 1.25)

    def zoom_out(self) -> None:
        self.set_zoom(self.zoom() / 1.25)

    def actual_size(self) -> None:
        self.set_zoom(1.0)

    def fit(self) -> None:
        rect = self.diagram().drawing_rect()
        if rect.isNull():
            return
        self.fitInView(rect.adjusted(-20, -20, 20, 20), Qt.AspectRatioMode.KeepAspectRatio)
        if self.zoom() > 1.0:
            self.set_zoom(1.0)
            self.centerOn(rect.center())
        self.zoom_changed.emit(self.zoom())

    def zoom_to_rect(self, rect: QRectF) -> None:
        self.fitInView(rect.adjusted(-30, -30, 30, 30), Qt.AspectRatioMode.KeepAspectRatio)
        self.zoom_changed.emit(self.zoom())

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 (Qt override)
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            steps = event.angleDelta().y() / 120
            self.set_zoom(self.zoom() * (1.15**steps), event.position())
            event.accept()
            return
        super().wheelEvent(event)

    def scene_point(self, event: QMouseEvent) -> QPointF:
        return self.mapToScene(event.position().toPoint())

    def on_grid(self, value: float) -> float:
        """A scene coordinate or distance snapped to the grid (to whole units without one)."""
        return round(value / self.grid) * self.grid if self.grid > 0 else float(round(value))

    def _screen(self, pixels: float) -> float:
        """A length in scene units that looks `pixels` long at the current zoom."""
        return pixels / max(self.zoom(), 1e-6)

    # --- tools ----------------------------------------------------------------------------------

    def set_tool(self, tool: str, spec: ShapeSpec | None = None) -> None:
        """select, hand, connect, space or create (with the palette's spec)."""
        self.tool = tool
        self.create_spec = spec
        self.setDragMode(
            QGraphicsView.DragMode.ScrollHandDrag if tool == "hand" else QGraphicsView.DragMode.RubberBandDrag
        )
        cursor = {
            "hand": Qt.CursorShape.OpenHandCursor,
            "connect": Qt.CursorShape.CrossCursor,
            "space": Qt.CursorShape.SplitHCursor,
            "create": Qt.CursorShape.CrossCursor,
        }.get(tool, Qt.CursorShape.ArrowCursor)
        self.viewport().setCursor(cursor)
        self.tool_changed.emit(tool)

    # --- hit testing ----------------------------------------------------------------------------

    def diagram_item_at(self, scene_point: QPointF) -> DiagramItem | None:
        for item in self.diagram().items(
            scene_point, Qt.ItemSelectionMode.IntersectsItemShape, Qt.SortOrder.DescendingOrder, self.transform()
        ):
            if isinstance(item, DiagramItem):
                return item
            if isinstance(item, LabelItem):
                return item.owner
        return None

    def shape_item_at(self, scene_point: QPointF, exclude: set[int] | None = None) -> ShapeItem | None:
        """The topmost shape under a point, pools and lanes counting by their whole area."""
        best: ShapeItem | None = None
        for item in self.diagram().items(
            scene_point, Qt.ItemSelectionMode.IntersectsItemBoundingRect, Qt.SortOrder.DescendingOrder, self.transform()
        ):
            if not isinstance(item, ShapeItem) or (exclude and id(item) in exclude):
                continue
            if item.scene_rect().contains(scene_point):
                if best is None or item.zValue() > best.zValue():
                    best = item
        return best

    def selected_shapes(self) -> list[ShapeItem]:
        return [item for item in self.diagram().selectedItems() if isinstance(item, ShapeItem)]

    def _resize_handles(self, item: ShapeItem) -> dict[str, QRectF]:
        rect = item.scene_rect()
        size = self._screen(HANDLE)
        points = {
            "nw": rect.topLeft(),
            "n": QPointF(rect.center().x(), rect.top()),
            "ne": rect.topRight(),
            "e": QPointF(rect.right(), rect.center().y()),
            "se": rect.bottomRight(),
            "s": QPointF(rect.center().x(), rect.bottom()),
            "sw": rect.bottomLeft(),
            "w": QPointF(rect.left(), rect.center().y()),
        }
        if item.kind == "lane":
            vertical_lane = not item.look.horizontal
            keep = ("w", "e") if vertical_lane else ("n", "s")
            points = {k: v for k, v in points.items() if k in keep}
        return {name: QRectF(p.x() - size / 2, p.y() - size / 2, size, size) for name, p in points.items()}

    def _connect_handle(self, item: ShapeItem) -> QRectF:
        rect = item.scene_rect()
        size = self._screen(14)
        return QRectF(rect.right() + self._screen(6), rect.top() - size / 2, size, size)

    def _handle_at(self, point: QPointF) -> tuple[str, DiagramItem | None, int]:
        """A resize handle, a connect handle or an edge segment under the point."""
        selected = self.diagram().selected_diagram_items()
        if len(selected) != 1:
            return "", None, -1
        item = selected[0]
        if isinstance(item, ShapeItem):
            if item.kind in RESIZABLE and not (item.kind in b.SUBPROCESS_TYPES and not item.look.expanded and False):
                for name, rect in self._resize_handles(item).items():
                    if rect.adjusted(-2, -2, 2, 2).contains(point):
                        return name, item, -1
            if item.kind in b.FLOW_NODE_TYPES | {
                "dataObjectReference",
                "dataStoreReference",
                "textAnnotation",
                "participant",
            }:
                if self._connect_handle(item).contains(point):
                    return "connect", item, -1
        elif isinstance(item, EdgeItem):
            for index, (a, c) in enumerate(zip(item.points, item.points[1:], strict=False)):
                middle = (a + c) / 2
                if QLineF(middle, point).length() <= self._screen(7):
                    return "segment", item, index
        return "", None, -1

    # --- mouse ----------------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        point = self.scene_point(event)
        self._finish_label_edit()
        if event.button() == Qt.MouseButton.MiddleButton or (
            event.button() == Qt.MouseButton.LeftButton and (self._space_held or self.tool == "hand")
        ):
            self.gesture = Gesture("pan", point, point, pan_origin=event.position())
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
            event.accept()
            return
        if event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        if self.tool == "create" and self.create_spec is not None:
            self._create_at(self.create_spec, point)
            if not event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                self.set_tool("select")
            event.accept()
            return
        if self.tool == "space":
            self.gesture = Gesture("space", point, point)
            event.accept()
            return
        handle, handle_item, segment = self._handle_at(point)
        if handle == "connect":
            self.gesture = Gesture("connect", point, point, item=handle_item)
            event.accept()
            return
        if handle == "segment":
            self.gesture = Gesture("segment", point, point, item=handle_item, segment=segment)
            event.accept()
            return
        if handle:
            self.gesture = Gesture("resize", point, point, item=handle_item, handle=handle)
            event.accept()
            return
        item = self.diagram_item_at(point)
        if self.tool == "connect":
            source = self.shape_item_at(point)
            if source is not None:
                self.gesture = Gesture("connect", point, point, item=source)
            event.accept()
            return
        if item is None:
            if not event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier):
                self.diagram().clearSelection()
            super().mousePressEvent(event)  # rubber band
            return
        additive = bool(event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier))
        if additive:
            item.setSelected(not item.isSelected())
            event.accept()
            return
        if not item.isSelected():
            self.diagram().clearSelection()
            item.setSelected(True)
        if isinstance(item, ShapeItem):
            if item.kind == "lane" and len(self.selected_shapes()) == 1:
                self.gesture = Gesture("lane", point, point, items=[item], item=item)
            else:
                self.gesture = Gesture("move", point, point, items=self.selected_shapes(), item=item)
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        gesture = self.gesture
        if gesture is None:
            self._update_hover_cursor(self.scene_point(event))
            super().mouseMoveEvent(event)
            return
        point = self.scene_point(event)
        if gesture.kind == "pan":
            assert gesture.pan_origin is not None
            delta = event.position() - gesture.pan_origin
            gesture.pan_origin = event.position()
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() - round(delta.x()))
            self.verticalScrollBar().setValue(self.verticalScrollBar().value() - round(delta.y()))
            event.accept()
            return
        if not gesture.moved and QLineF(gesture.start, point).length() < self._screen(3):
            return
        gesture.moved = True
        gesture.current = point
        if gesture.kind == "move":
            self._snap_move(gesture, event)
        self.viewport().update()
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        gesture = self.gesture
        if gesture is None:
            super().mouseReleaseEvent(event)
            return
        self.gesture = None
        self.viewport().update()
        if gesture.kind == "pan":
            self.set_tool(self.tool, self.create_spec)
            event.accept()
            return
        if not gesture.moved:
            event.accept()
            return
        finish = {
            "move": self._finish_move,
            "lane": self._finish_lane_drag,
            "resize": self._finish_resize,
            "connect": self._finish_connect,
            "segment": self._finish_segment,
            "space": self._finish_space,
        }.get(gesture.kind)
        if finish is not None:
            finish(gesture, event)
        event.accept()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        item = self.diagram_item_at(self.scene_point(event))
        if item is not None and item.element is not None:
            self.edit_label(item)
            event.accept()
            return
        super().mouseDoubleClickEvent(event)

    def _update_hover_cursor(self, point: QPointF) -> None:
        if self.tool != "select" or self._space_held:
            return
        handle, _item, _segment = self._handle_at(point)
        cursors = {
            "n": Qt.CursorShape.SizeVerCursor,
            "s": Qt.CursorShape.SizeVerCursor,
            "e": Qt.CursorShape.SizeHorCursor,
            "w": Qt.CursorShape.SizeHorCursor,
            "nw": Qt.CursorShape.SizeFDiagCursor,
            "se": Qt.CursorShape.SizeFDiagCursor,
            "ne": Qt.CursorShape.SizeBDiagCursor,
            "sw": Qt.CursorShape.SizeBDiagCursor,
            "connect": Qt.CursorShape.CrossCursor,
            "segment": Qt.CursorShape.SizeAllCursor,
        }
        self.viewport().setCursor(cursors.get(handle, Qt.CursorShape.ArrowCursor))

    # --- gestures ending ------------------------------------------------------------------------

    def _drag_delta(self, gesture: Gesture) -> tuple[float, float]:
        delta = gesture.current - gesture.start
        return round(delta.x()), round(delta.y())

    def _snap_move(self, gesture: Gesture, event: QMouseEvent) -> None:
        """Snap the dragged shape's centre to other shapes' centres, else to the grid."""
        gesture.guides = []
        if event.modifiers() & Qt.KeyboardModifier.AltModifier or gesture.item is None:
            return
        primary = gesture.item
        assert isinstance(primary, ShapeItem)
        rect = primary.scene_rect()
        delta = gesture.current - gesture.start
        centre = rect.center() + delta
        moving = {id(i) for i in gesture.items}
        tolerance = self._screen(SNAP_DISTANCE)
        best_x: float | None = None
        best_y: float | None = None
        visible = self.mapToScene(self.viewport().rect()).boundingRect()
        for item in self.diagram().items(visible):
            if not isinstance(item, ShapeItem) or id(item) in moving or item.is_swimlane():
                continue
            other = item.scene_rect().center()
            if abs(other.x() - centre.x()) <= tolerance and (
                best_x is None or abs(other.x() - centre.x()) < abs(best_x - centre.x())
            ):
                best_x = other.x()
            if abs(other.y() - centre.y()) <= tolerance and (
                best_y is None or abs(other.y() - centre.y()) < abs(best_y - centre.y())
            ):
                best_y = other.y()
        dx = (best_x - rect.center().x()) if best_x is not None else self.on_grid(delta.x())
        dy = (best_y - rect.center().y()) if best_y is not None else self.on_grid(delta.y())
        gesture.current = gesture.start + QPointF(dx, dy)
        new_centre = rect.center() + QPointF(dx, dy)
        if best_x is not None:
            gesture.guides.append(QLineF(best_x, visible.top(), best_x, visible.bottom()))
        if best_y is not None:
            gesture.guides.append(QLineF(visible.left(), best_y, visible.right(), best_y))
        del new_centre

    def _finish_move(self, gesture: Gesture, event: QMouseEvent) -> None:
        dx, dy = self._drag_delta(gesture)
        if not (dx or dy):
            return
        drawings = [item.drawing for item in gesture.items]
        plane = self.plane
        self.run("Move", lambda doc: shapes.move_elements(doc, plane, drawings, dx, dy))

    def _finish_lane_drag(self, gesture: Gesture, event: QMouseEvent) -> None:
        from ..modeling import lanes

        lane_item = gesture.item
        assert isinstance(lane_item, ShapeItem)
        target = self._lane_drop_index(lane_item, gesture.current)
        if target is None:
            return
        lane = lane_item.element
        plane = self.plane
        self.run("Move lane", lambda doc: lanes.move_lane(doc, plane, lane, target))

    def _lane_siblings(self, lane_item: ShapeItem) -> list[ShapeItem]:
        lane = lane_item.element
        if lane is None or lane.parent is None:
            return []
        siblings = []
        for sibling in lane.parent.findall(lane.tag):
            item = self.diagram().item_for(sibling.id or "")
            if isinstance(item, ShapeItem):
                siblings.append(item)
        horizontal = lane_item.look.horizontal
        siblings.sort(key=lambda i: i.scene_rect().top() if horizontal else i.scene_rect().left())
        return siblings

    def _lane_drop_index(self, lane_item: ShapeItem, point: QPointF) -> int | None:
        siblings = self._lane_siblings(lane_item)
        if len(siblings) < 2:
            return None
        horizontal = lane_item.look.horizontal
        position = point.y() if horizontal else point.x()
        others = [s for s in siblings if s is not lane_item]
        index = 0
        for other in others:
            rect = other.scene_rect()
            middle = rect.center().y() if horizontal else rect.center().x()
            if position > middle:
                index += 1
        current = siblings.index(lane_item)
        return None if index == current else index

    def _finish_resize(self, gesture: Gesture, event: QMouseEvent) -> None:
        from ..modeling import lanes

        item = gesture.item
        assert isinstance(item, ShapeItem)
        rect = self._resized_rect(item, gesture)
        box = Bounds(round(rect.x()), round(rect.y()), round(rect.width()), round(rect.height()))
        element = item.element
        plane = self.plane
        drawing = item.drawing
        make_space = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        if item.kind == "lane":
            self.run("Resize lane", lambda doc: lanes.resize_lane(doc, plane, element, box, make_space=make_space))
        elif item.kind == "participant":
            self.run("Resize pool", lambda doc: lanes.resize_pool(doc, plane, element, box))
        else:
            self.run("Resize", lambda doc: _resize_shape(doc, plane, drawing, box))

    def _resized_rect(self, item: ShapeItem, gesture: Gesture) -> QRectF:
        rect = QRectF(item.scene_rect())
        delta = gesture.current - gesture.start
        dx, dy = self.on_grid(delta.x()), self.on_grid(delta.y())
        handle = gesture.handle
        minimum = 30.0 if item.kind != "lane" else 60.0
        if "w" in handle:
            rect.setLeft(min(rect.left() + dx, rect.right() - minimum))
        if "e" in handle:
            rect.setRight(max(rect.right() + dx, rect.left() + minimum))
        if "n" in handle:
            rect.setTop(min(rect.top() + dy, rect.bottom() - minimum))
        if "s" in handle:
            rect.setBottom(max(rect.bottom() + dy, rect.top() + minimum))
        return rect

    def _finish_connect(self, gesture: Gesture, event: QMouseEvent) -> None:
        source_item = gesture.item
        target_item = self.shape_item_at(gesture.current)
        if source_item is None or target_item is None or source_item.element is None or target_item.element is None:
            return
        source, target = source_item.element, target_item.element
        plane = self.plane
        result = self.run("Connect", lambda doc: shapes.connect(doc, plane, source, target))
        if result is not None:
            connection = result[0]  # type: ignore[index]
            self.diagram().select_elements([connection.id])

    def _finish_segment(self, gesture: Gesture, event: QMouseEvent) -> None:
        item = gesture.item
        assert isinstance(item, EdgeItem)
        points = _moved_segment(item.points, gesture.segment, gesture.current - gesture.start)
        drawing = item.drawing
        self.run("Move segment", lambda doc: shapes.set_waypoints(doc, drawing, points))

    def _finish_space(self, gesture: Gesture, event: QMouseEvent) -> None:
        delta = gesture.current - gesture.start
        horizontal = abs(delta.x()) >= abs(delta.y())
        dx = round(delta.x()) if horizontal else 0
        dy = 0 if horizontal else round(delta.y())
        at = Point(gesture.start.x(), gesture.start.y())
        plane = self.plane
        self.run(
            "Make space" if (dx > 0 or dy > 0) else "Remove space",
            lambda doc: shapes.make_space(doc, plane, at, dx, dy),
        )

    # --- creating -------------------------------------------------------------------------------

    def _create_at(self, spec: ShapeSpec, point: QPointF) -> None:
        plane = self.plane
        at = Point(self.on_grid(point.x()), self.on_grid(point.y()))
        result = self.run(f"Create {_words(spec.local)}", lambda doc: shapes.create_shape(doc, plane, spec, at))
        if result is not None:
            element = result[0]  # type: ignore[index]
            self.diagram().select_elements([element.id])
            item = self.diagram().item_for(element.id)
            if item is not None and spec.local not in ("participant",):
                self.edit_label(item)

    def dragEnterEvent(self, event) -> None:  # noqa: N802
        if event.mimeData().hasFormat(PALETTE_MIME):
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dragMoveEvent(self, event) -> None:  # noqa: N802
        if event.mimeData().hasFormat(PALETTE_MIME):
            event.acceptProposedAction()
        else:
            super().dragMoveEvent(event)

    def dropEvent(self, event) -> None:  # noqa: N802
        if event.mimeData().hasFormat(PALETTE_MIME):
            spec = spec_from_mime(bytes(event.mimeData().data(PALETTE_MIME)).decode())
            self._create_at(spec, self.mapToScene(event.position().toPoint()))
            event.acceptProposedAction()
            return
        super().dropEvent(event)

    # --- keyboard -------------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key = event.key()
        if key == Qt.Key.Key_Space and not event.isAutoRepeat() and self._editor is None:
            self._space_held = True
            self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
            event.accept()
            return
        if key == Qt.Key.Key_Escape:
            if self.gesture is not None:
                self.gesture = None
                self.viewport().update()
            elif self.tool != "select":
                self.set_tool("select")
            else:
                self.diagram().clearSelection()
            event.accept()
            return
        arrows = {Qt.Key.Key_Left: (-1, 0), Qt.Key.Key_Right: (1, 0), Qt.Key.Key_Up: (0, -1), Qt.Key.Key_Down: (0, 1)}
        if key in arrows and self.selected_shapes():
            step = GRID if event.modifiers() & Qt.KeyboardModifier.ShiftModifier else 1
            dx, dy = arrows[key]
            self.nudge(dx * step, dy * step)
            event.accept()
            return
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space_held = False
            self.set_tool(self.tool, self.create_spec)
            event.accept()
            return
        super().keyReleaseEvent(event)

    def nudge(self, dx: float, dy: float) -> None:
        selection = [s for s in self.selected_shapes() if s.kind != "lane"]
        if not selection:
            return
        drawings = [s.drawing for s in selection]
        key = tuple(sorted(id(d) for d in drawings))
        plane = self.plane
        self.run("Move", lambda doc: shapes.move_elements(doc, plane, drawings, dx, dy), nudge_key=key)

    # --- label editing --------------------------------------------------------------------------

    def edit_label(self, item: DiagramItem | None = None) -> None:
        """Edit a name in place: Enter keeps it (Shift+Enter for a new line), Escape drops it."""
        if item is None:
            selected = self.diagram().selected_diagram_items()
            if len(selected) != 1:
                return
            item = selected[0]
        element = item.element
        if element is None:
            return
        self._finish_label_edit()
        editor = _LabelEditor(self.viewport(), self)
        editor.setPlainText(shapes.label_text(element))
        editor.selectAll()
        rect = self._label_rect(item)
        view_rect = self.mapFromScene(rect).boundingRect()
        width = max(view_rect.width(), 120)
        height = max(view_rect.height(), 48)
        editor.setGeometry(
            int(view_rect.center().x() - width / 2), int(view_rect.center().y() - height / 2), int(width), int(height)
        )
        self._editor = editor
        self._editing = item
        editor.show()
        editor.setFocus()

    def _label_rect(self, item: DiagramItem) -> QRectF:
        label = self.diagram().label_for(item)
        if label is not None and not label.rect.isEmpty():
            return label.rect
        if isinstance(item, ShapeItem):
            rect = item.scene_rect()
            if item.is_swimlane():
                return QRectF(rect.x(), rect.y(), min(rect.width(), 200), min(rect.height(), 60))
            return rect
        return item.sceneBoundingRect()

    def label_editor(self) -> QPlainTextEdit | None:
        return self._editor

    def _finish_label_edit(self, keep: bool = True) -> None:
        editor, item = self._editor, self._editing
        if editor is None or item is None:
            return
        self._editor = None
        self._editing = None
        text = editor.toPlainText()
        editor.hide()
        editor.deleteLater()
        element = item.element
        if keep and element is not None and text != shapes.label_text(element):
            self.run("Rename", lambda doc: shapes.set_label(doc, element, text))
        self.setFocus()

    # --- painting over the scene ---------------------------------------------------------------

    def drawForeground(self, painter: QPainter, rect: QRectF) -> None:  # noqa: N802
        painter.save()
        try:
            self._draw_handles(painter)
            if self.gesture is not None and self.gesture.moved:
                self._draw_gesture(painter, self.gesture)
        finally:
            painter.restore()

    def _draw_handles(self, painter: QPainter) -> None:
        selected = self.diagram().selected_diagram_items()
        if len(selected) != 1 or self.gesture is not None:
            return
        item = selected[0]
        pen = QPen(SELECTION_COLOUR, 1)
        pen.setCosmetic(True)
        painter.setPen(pen)
        painter.setBrush(QColor("white"))
        if isinstance(item, ShapeItem):
            if item.kind in RESIZABLE:
                for handle in self._resize_handles(item).values():
                    painter.drawRect(handle)
            if item.kind in b.FLOW_NODE_TYPES | {
                "dataObjectReference",
                "dataStoreReference",
                "textAnnotation",
                "participant",
            }:
                handle = self._connect_handle(item)
                painter.setBrush(SELECTION_COLOUR)
                painter.drawEllipse(handle)
                arrow = QPainterPath()
                c = handle.center()
                s = handle.width() / 4
                arrow.moveTo(c.x() - s, c.y())
                arrow.lineTo(c.x() + s, c.y())
                arrow.moveTo(c.x() + s * 0.2, c.y() - s * 0.8)
                arrow.lineTo(c.x() + s, c.y())
                arrow.lineTo(c.x() + s * 0.2, c.y() + s * 0.8)
                white = QPen(QColor("white"), 1.5)
                white.setCosmetic(True)
                painter.setPen(white)
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawPath(arrow)
        elif isinstance(item, EdgeItem):
            size = self._screen(7)
            for a, c in zip(item.points, item.points[1:], strict=False):
                middle = (a + c) / 2
                painter.drawRect(QRectF(middle.x() - size / 2, middle.y() - size / 2, size, size))

    def _draw_gesture(self, painter: QPainter, gesture: Gesture) -> None:
        pen = QPen(SELECTION_COLOUR, 1.5, Qt.PenStyle.DashLine)
        pen.setCosmetic(True)
        painter.setPen(pen)
        painter.setBrush(QColor(52, 120, 246, 30))
        delta = gesture.current - gesture.start
        if gesture.kind == "move":
            dx, dy = self._drag_delta(gesture)
            for item in gesture.items:
                painter.drawPath(
                    item.shape().translated(item.pos() + QPointF(dx, dy))
                    if not item.is_swimlane()
                    else _rect_path(item.scene_rect().translated(dx, dy))
                )
            guide = QPen(QColor(230, 80, 60), 1, Qt.PenStyle.DashLine)
            guide.setCosmetic(True)
            painter.setPen(guide)
            for line in gesture.guides:
                painter.drawLine(line)
        elif gesture.kind == "lane":
            item = gesture.item
            assert isinstance(item, ShapeItem)
            rect = item.scene_rect()
            offset = QPointF(0, delta.y()) if item.look.horizontal else QPointF(delta.x(), 0)
            painter.drawRect(rect.translated(offset))
            target = self._lane_drop_index(item, gesture.current)
            if target is not None:
                siblings = [s for s in self._lane_siblings(item) if s is not item]
                edge_rect = siblings[min(target, len(siblings) - 1)].scene_rect()
                at_end = target >= len(siblings)
                marker = QPen(QColor(230, 80, 60), 3)
                marker.setCosmetic(True)
                painter.setPen(marker)
                if item.look.horizontal:
                    y = edge_rect.bottom() if at_end else edge_rect.top()
                    painter.drawLine(QLineF(edge_rect.left(), y, edge_rect.right(), y))
                else:
                    x = edge_rect.right() if at_end else edge_rect.left()
                    painter.drawLine(QLineF(x, edge_rect.top(), x, edge_rect.bottom()))
        elif gesture.kind == "resize":
            item = gesture.item
            assert isinstance(item, ShapeItem)
            painter.drawRect(self._resized_rect(item, gesture))
        elif gesture.kind == "connect":
            item = gesture.item
            start = item.scene_rect().center() if isinstance(item, ShapeItem) else gesture.start
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawLine(QLineF(start, gesture.current))
            target = self.shape_item_at(gesture.current)
            if target is not None and target is not item:
                painter.drawRect(target.scene_rect().adjusted(-4, -4, 4, 4))
        elif gesture.kind == "segment":
            item = gesture.item
            assert isinstance(item, EdgeItem)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPolyline(_moved_segment(item.points, gesture.segment, delta, as_points=False))
        elif gesture.kind == "space":
            visible = self.mapToScene(self.viewport().rect()).boundingRect()
            horizontal = abs(delta.x()) >= abs(delta.y())
            line_pen = QPen(QColor(230, 80, 60), 2)
            line_pen.setCosmetic(True)
            painter.setPen(line_pen)
            if horizontal:
                painter.drawLine(QLineF(gesture.start.x(), visible.top(), gesture.start.x(), visible.bottom()))
                painter.fillRect(
                    QRectF(gesture.start.x(), visible.top(), delta.x(), visible.height()), QColor(230, 80, 60, 30)
                )
            else:
                painter.drawLine(QLineF(visible.left(), gesture.start.y(), visible.right(), gesture.start.y()))
                painter.fillRect(
                    QRectF(visible.left(), gesture.start.y(), visible.width(), delta.y()), QColor(230, 80, 60, 30)
                )


class _LabelEditor(QPlainTextEdit):
    def __init__(self, parent: QWidget, view: DiagramView) -> None:
        super().__init__(parent)
        self._view = view
        self.setFrameShape(QPlainTextEdit.Shape.Box)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if (
            event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier
        ):
            self._view._finish_label_edit(keep=True)
            return
        if event.key() == Qt.Key.Key_Escape:
            self._view._finish_label_edit(keep=False)
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event) -> None:  # noqa: N802
        super().focusOutEvent(event)
        if self._view.label_editor() is self:
            self._view._finish_label_edit(keep=True)


def _rect_path(rect: QRectF) -> QPainterPath:
    path = QPainterPath()
    path.addRect(rect)
    return path


def _moved_segment(points: list[QPointF], index: int, delta: QPointF, as_points: bool = True):
    """Move one segment of an orthogonal route across its own direction. Its neighbours only
    change length, so the route stays orthogonal; an end segment slides its end along the
    shape's side, so the flow stays attached."""
    moved = [QPointF(p) for p in points]
    a, c = moved[index], moved[index + 1]
    horizontal = abs(a.y() - c.y()) <= abs(a.x() - c.x())
    shift = QPointF(0, round(delta.y())) if horizontal else QPointF(round(delta.x()), 0)
    moved[index] = a + shift
    moved[index + 1] = c + shift
    if as_points:
        return [Point(p.x(), p.y()) for p in moved]
    return moved


def _resize_shape(document: Document, plane, drawing, box: Bounds) -> None:
    di.set_bounds(document, drawing, box)
    element = geometry.element_of(document, drawing)
    index = di.plane_index(document, plane)
    if element is not None:
        for edge in index.edges(element.id):
            geometry.reconnect(document, plane, edge)
    shapes._settle(document, plane, [drawing])


def _words(local: str) -> str:
    return "".join(" " + c.lower() if c.isupper() else c for c in local)


def spec_to_mime(spec: ShapeSpec) -> str:
    return f"{spec.local}|{spec.trigger or ''}|{int(spec.expanded)}|{int(spec.interrupting)}|{int(spec.horizontal)}"


def spec_from_mime(text: str) -> ShapeSpec:
    local, trigger, expanded, interrupting, horizontal = (text.split("|") + ["", "0", "1", "1"])[:5]
    return ShapeSpec(local, trigger or None, expanded == "1", interrupting != "0", horizontal != "0")
