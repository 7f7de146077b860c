"""Graphics items: one per drawn shape, edge and external label (canvas layer).

An item holds its DI element and draws what the model says through `notation`; it never
changes the model. `sync()` re-reads the model after a change.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPainterPathStroker, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyle, QStyleOptionGraphicsItem, QWidget

from ..model import bpmn as b
from ..model import di
from ..model.document import Document
from ..model.element import Element
from . import notation

SELECTION_COLOUR = QColor(52, 120, 246)
HOVER_COLOUR = QColor(52, 120, 246, 110)

# Stacking: containers below, nodes above them, flows above nodes, labels on top.
Z_POOL, Z_LANE, Z_GROUP, Z_CONTAINER, Z_NODE, Z_EDGE, Z_BOUNDARY, Z_LABEL = 0, 1, 2, 3, 10, 20, 21, 30


class DiagramItem(QGraphicsItem):
    """Shared by shapes and edges: the DI element, the semantic element, the scene's palette."""

    def __init__(self, document: Document, drawing: Element) -> None:
        super().__init__()
        self.document = document
        self.drawing = drawing
        ref = drawing.get("bpmnElement")
        self.element_id = ref.rpartition(":")[2] if ref else None
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, True)
        self.setAcceptHoverEvents(True)
        self._hover = False

    @property
    def element(self) -> Element | None:
        return self.document.element(self.element_id)

    def palette(self) -> notation.Palette:
        scene = self.scene()
        return getattr(scene, "notation_palette", notation.LIGHT)

    def hoverEnterEvent(self, event) -> None:  # noqa: N802 (Qt override)
        self._hover = True
        self.update()

    def hoverLeaveEvent(self, event) -> None:  # noqa: N802
        self._hover = False
        self.update()

    def sync(self) -> None:
        raise NotImplementedError


class ShapeItem(DiagramItem):
    """A BPMNShape: task, event, gateway, data, artifact, sub-process, pool or lane."""

    def __init__(self, document: Document, drawing: Element) -> None:
        super().__init__(document, drawing)
        self.look = notation.Look(kind="unknown")
        self.rect = QRectF()
        self._outline: QPainterPath | None = None
        self.sync()

    @property
    def kind(self) -> str:
        return self.look.kind

    def is_container(self) -> bool:
        return self.look.kind in ("participant", "lane") or (
            (self.look.kind in b.SUBPROCESS_TYPES or self.look.kind == "callActivity") and self.look.expanded
        )

    def is_swimlane(self) -> bool:
        return self.look.kind in ("participant", "lane")

    def sync(self) -> None:
        box = di.bounds(self.drawing) or di.Bounds(0, 0, 0, 0)
        look = notation.look_of(self.element, self.drawing, self.document)
        scene = self.scene()
        badges = scene.badges_for(self.element_id) if scene is not None and hasattr(scene, "badges_for") else ()
        if badges != look.badges:
            look = replace(look, badges=badges)
        rect = QRectF(0, 0, box.width, box.height)
        if rect != self.rect or look != self.look:
            self.prepareGeometryChange()
            self.rect = rect
            self.look = look
            self._outline = None  # made when hit testing first asks for it
            self.setZValue(_z_for(look))
        if self.pos() != QPointF(box.x, box.y):
            self.setPos(box.x, box.y)
        if self.scene() is not None:
            self.update()

    def outline(self) -> QPainterPath:
        if self._outline is None:
            self._outline = notation.outline(self.look, self.rect)
        return self._outline

    def scene_rect(self) -> QRectF:
        return self.rect.translated(self.pos())

    def boundingRect(self) -> QRectF:  # noqa: N802
        return self.rect.adjusted(-4, -4, 4, 4)

    def shape(self) -> QPainterPath:
        if self.is_swimlane():
            # pools and lanes are picked by their header band and border, so that a drag on
            # their body draws a selection rectangle, as on an empty canvas
            path = QPainterPath()
            band = notation.HEADER_SIZE
            if self.look.horizontal:
                path.addRect(QRectF(0, 0, band, self.rect.height()))
            else:
                path.addRect(QRectF(0, 0, self.rect.width(), band))
            stroker = QPainterPathStroker()
            stroker.setWidth(6)
            border = QPainterPath()
            border.addRect(self.rect)
            return path.united(stroker.createStroke(border))
        if (self.is_container() and not self.is_swimlane()) or self.look.kind == "group":
            stroker = QPainterPathStroker()
            stroker.setWidth(10)
            header = QPainterPath()
            header.addRect(QRectF(0, 0, self.rect.width(), 24))
            return stroker.createStroke(self.outline()).united(header)
        return self.outline()

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        detail = option.levelOfDetailFromTransform(painter.worldTransform())
        notation.paint_shape(painter, self.look, self.rect, self.palette(), detail)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        if selected or self._hover:
            pen = QPen(SELECTION_COLOUR if selected else HOVER_COLOUR, 2 if selected else 1.5)
            pen.setCosmetic(True)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            if self.is_swimlane():
                painter.drawRect(self.rect)
            else:
                painter.drawRect(self.rect.adjusted(-3, -3, 3, 3))


def _z_for(look: notation.Look) -> float:
    kind = look.kind
    if kind == "participant":
        return Z_POOL
    if kind == "lane":
        return Z_LANE
    if kind == "group":
        return Z_GROUP
    if (kind in b.SUBPROCESS_TYPES or kind == "callActivity") and look.expanded:
        return Z_CONTAINER
    if kind == "boundaryEvent":
        return Z_BOUNDARY
    return Z_NODE


class EdgeItem(DiagramItem):
    """A BPMNEdge drawn through its waypoints, in scene coordinates."""

    def __init__(self, document: Document, drawing: Element) -> None:
        super().__init__(document, drawing)
        self.setZValue(Z_EDGE)
        self.points: list[QPointF] = []
        self.edge_look: notation.EdgeLook | None = None
        self._bounds = QRectF()
        self._hit: QPainterPath | None = None
        self.sync()

    def sync(self) -> None:
        points = [QPointF(p.x, p.y) for p in di.waypoints(self.drawing)]
        look = notation.look_of_edge(self.element, self.drawing, self.document)
        if points != self.points or look != self.edge_look:
            self.prepareGeometryChange()
            self.points = points
            self.edge_look = look
            self._hit = None  # made when hit testing first asks for it
            if points:
                xs = [p.x() for p in points]
                ys = [p.y() for p in points]
                self._bounds = QRectF(min(xs) - 14, min(ys) - 14, max(xs) - min(xs) + 28, max(ys) - min(ys) + 28)
            else:
                self._bounds = QRectF()
        if self.scene() is not None:
            self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802
        return self._bounds

    def shape(self) -> QPainterPath:
        if self._hit is None:
            self._hit = notation.edge_shape(self.points) if len(self.points) >= 2 else QPainterPath()
        return self._hit

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        if len(self.points) < 2 or self.edge_look is None:
            return
        detail = option.levelOfDetailFromTransform(painter.worldTransform())
        notation.paint_edge(painter, self.points, self.edge_look, self.palette(), detail)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        if selected or self._hover:
            pen = QPen(SELECTION_COLOUR if selected else HOVER_COLOUR, 2)
            pen.setCosmetic(True)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPolyline(self.points)
            if selected:
                painter.setBrush(QColor("white"))
                for point in self.points:
                    painter.drawEllipse(point, 4, 4)


class LabelItem(QGraphicsItem):
    """The external label of an event, gateway, data element or flow: at its DI label bounds
    when the file has them, else where bpmn-js would put it."""

    def __init__(self, owner: DiagramItem) -> None:
        super().__init__()
        self.owner = owner
        self.setZValue(Z_LABEL)
        self.text = ""
        self.rect = QRectF()
        self.sync()

    def sync(self) -> None:
        text = label_text(self.owner)
        box = di.label_bounds(self.owner.drawing)
        if box is not None and box.width > 0 and box.height > 0:
            rect = QRectF(box.x, box.y, box.width, box.height)
        elif isinstance(self.owner, ShapeItem):
            rect = notation.external_label_rect(self.owner.look, self.owner.scene_rect(), text)
        else:
            rect = _edge_label_rect(getattr(self.owner, "points", []), text)
        if rect != self.rect or text != self.text:
            self.prepareGeometryChange()
            self.rect = rect
            self.text = text
        self.setVisible(bool(text))
        self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802
        return self.rect.adjusted(-2, -2, 2, 2)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        detail = option.levelOfDetailFromTransform(painter.worldTransform())
        palette = self.owner.palette()
        notation.paint_label(painter, self.text, self.rect, palette, detail)


def label_text(item: DiagramItem) -> str:
    """The text of an item's external label: the name the notation resolved for a shape (a
    group's category value), a flow's name."""
    if isinstance(item, ShapeItem):
        return item.look.name if item.look.kind != "textAnnotation" else ""
    element = item.element
    return b.name(element) if element is not None else ""


def _edge_label_rect(points: list[QPointF], text: str) -> QRectF:
    if not points:
        return QRectF()
    middle_index = len(points) // 2
    if len(points) % 2 == 0:
        a, c = points[middle_index - 1], points[middle_index]
        middle = QPointF((a.x() + c.x()) / 2, (a.y() + c.y()) / 2)
    else:
        middle = points[middle_index]
    width = 90.0
    lines = max(1, min(4, len(text) // 14 + 1))
    return QRectF(middle.x() - width / 2 + 10, middle.y() - 8 - 14 * lines, width, 14 * lines)


def needs_label(element: Element | None, look_kind: str) -> bool:
    """Whether a shape's name is drawn outside it (events, gateways, data) or by a flow."""
    if element is None:
        return False
    if look_kind in b.EVENT_TYPES or look_kind in b.GATEWAY_TYPES:
        return True
    if look_kind in ("dataObjectReference", "dataStoreReference", "dataInput", "dataOutput", "dataObject", "group"):
        return True
    return look_kind in b.CONNECTION_TYPES
