"""The diagram scene: mirrors one diagram plane of a document as graphics items (canvas layer).

The scene builds an item per DI shape and edge, keeps an element id → item map, and follows
the model's change events: each change marks the items it touches, and `flush()` (at the end
of every command, or on the next turn of the event loop) re-reads them. It never writes the
model.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QTimer, Signal
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene

from ..model import di
from ..model.document import AttributeChanged, ChildInserted, ChildRemoved, Document, TextChanged
from ..model.element import Element
from ..model.namespaces import SMO, bpmndi
from . import notation
from .items import DiagramItem, EdgeItem, LabelItem, ShapeItem, label_text, needs_label

SEMANTIC = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"
SMO_PREFIX = "{" + SMO
SHAPE_TAG = bpmndi("BPMNShape")
EDGE_TAG = bpmndi("BPMNEdge")
MARGIN = 200.0  # room around the drawing so shapes can be dragged beyond its edge


class DiagramScene(QGraphicsScene):
    """Items for one plane; `plane=None` takes the document's first diagram."""

    element_selection_changed = Signal(list)  # ids of the selected elements

    def __init__(self, document: Document, plane: Element | None = None, parent=None) -> None:
        super().__init__(parent)
        self.notation_palette = notation.LIGHT
        self.document = document
        self.plane = plane if plane is not None else first_plane(document)
        self._by_drawing: dict[int, DiagramItem] = {}
        self._labels: dict[int, LabelItem] = {}
        self._by_element: dict[str, list[DiagramItem]] = {}
        self._dirty_all = False
        self._badges: dict[str, tuple[str, ...]] | None = None
        self._dirty: set[int] = set()
        self._dirty_elements: set[str] = set()
        self._structure_changed = False
        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.setInterval(0)
        self._flush_timer.timeout.connect(self.flush)
        self._unsubscribe = document.subscribe(self._on_change)
        self.selectionChanged.connect(self._emit_selection)
        self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.BspTreeIndex)
        self.build()

    # --- building -----------------------------------------------------------------------------

    def build(self) -> None:
        self._badges = None
        self._extent = QRectF()
        self._scene_rect = QRectF()
        self.clear()
        self._by_drawing.clear()
        self._labels.clear()
        self._by_element.clear()
        if self.plane is None:
            return
        for child in self.plane.children:
            self._add_item(child)
        self._update_scene_rect()

    def _add_item(self, drawing: Element) -> None:
        if drawing.tag == SHAPE_TAG:
            item: DiagramItem = ShapeItem(self.document, drawing)
            kind = item.kind  # type: ignore[attr-defined]
        elif drawing.tag == EDGE_TAG:
            item = EdgeItem(self.document, drawing)
            kind = item.element.local if item.element is not None else ""
        else:
            return
        self.addItem(item)
        self._by_drawing[id(drawing)] = item
        if item.element_id is not None:
            self._by_element.setdefault(item.element_id, []).append(item)
        if needs_label(item.element, kind) and label_text(item):
            label = LabelItem(item)
            self.addItem(label)
            self._labels[id(drawing)] = label
        self._extent = _grow(self._extent, item.boundingRect().translated(item.pos()))

    def _remove_item(self, drawing: Element) -> None:
        item = self._by_drawing.pop(id(drawing), None)
        if item is None:
            return
        if item.element_id is not None:
            siblings = self._by_element.get(item.element_id, [])
            if item in siblings:
                siblings.remove(item)
            if not siblings:
                self._by_element.pop(item.element_id, None)
        label = self._labels.pop(id(drawing), None)
        if label is not None:
            self.removeItem(label)
        self.removeItem(item)

    def detach(self) -> None:
        """Stop following the document (the scene is being thrown away)."""
        self._unsubscribe()
        self._unsubscribe = lambda: None

    # --- following the model --------------------------------------------------------------------

    def _on_change(self, change) -> None:
        if isinstance(change, (ChildInserted, ChildRemoved)):
            parent, child = change.parent, change.child
            if parent is self.plane and child.tag in (SHAPE_TAG, EDGE_TAG):
                self._structure_changed = True
            elif child.tag == bpmndi("BPMNPlane") or child.tag == bpmndi("BPMNDiagram"):
                self._structure_changed = True
            elif child.tag.startswith(SEMANTIC) and "id" in child.attributes:
                # an element with an id came or went: items drawing it change what they show
                self._dirty_elements.add(child.attributes["id"])
                self._touch(parent)
            else:
                self._touch(parent)
        elif isinstance(change, (AttributeChanged, TextChanged)):
            self._touch(change.element)
        else:
            return
        if not self._flush_timer.isActive():
            self._flush_timer.start()

    def _touch(self, element: Element) -> None:
        """Mark the item drawing `element`, or the items drawing the semantic element it is part of."""
        node: Element | None = element
        while node is not None:
            tag = node.tag
            if tag == SHAPE_TAG or tag == EDGE_TAG:
                self._dirty.add(id(node))
                return
            if tag.startswith(SMO_PREFIX):
                # policies and RACI change badges that any activity may show
                self._dirty_all = True
                return
            ident = node.attributes.get("id")
            if ident is not None and tag.startswith(SEMANTIC):
                self._dirty_elements.add(ident)
                return
            node = node.parent

    def flush(self) -> None:
        """Bring the items in step with the model now."""
        self._flush_timer.stop()
        if self._structure_changed:
            self._structure_changed = False
            self._resync_structure()
        dirty_items: dict[int, DiagramItem] = {}
        if self._dirty_all:
            self._dirty_all = False
            self._badges = None
            dirty_items = dict(self._by_drawing)
        for key in self._dirty:
            item = self._by_drawing.get(key)
            if item is not None:
                dirty_items[key] = item
        for ident in self._dirty_elements:
            for item in self._by_element.get(ident, ()):
                dirty_items[id(item.drawing)] = item
        self._dirty.clear()
        self._dirty_elements.clear()
        for key, item in dirty_items.items():
            item.sync()
            self._extent = _grow(self._extent, item.boundingRect().translated(item.pos()))
            label = self._labels.get(key)
            if label is None and needs_label(item.element, _local(item)) and label_text(item):
                label = LabelItem(item)
                self.addItem(label)
                self._labels[key] = label
            if label is not None:
                label.sync()
        if dirty_items:
            self._update_scene_rect()

    def _resync_structure(self) -> None:
        """Shapes or edges came or went: add and remove items to match the plane."""
        if self.plane is None or self.plane.parent is None:
            self.plane = first_plane(self.document)
            self.build()
            return
        present = {id(child): child for child in self.plane.children if child.tag in (SHAPE_TAG, EDGE_TAG)}
        for key in [k for k in self._by_drawing if k not in present]:
            self._remove_item(self._by_drawing[key].drawing)
        for key, child in present.items():
            if key not in self._by_drawing:
                self._add_item(child)
            else:
                self._dirty.add(key)
        # keep paint order in step with document order for items of the same level
        self._update_scene_rect()

    def _update_scene_rect(self) -> None:
        """The scene only grows while editing, from the items that changed: asking Qt for the
        bounds of all items would walk every one of them after every edit."""
        rect = self._extent if not self._extent.isNull() else QRectF(0, 0, 800, 600)
        wanted = rect.adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN)
        if not self._scene_rect.contains(wanted):
            self._scene_rect = wanted.united(self._scene_rect) if not self._scene_rect.isNull() else wanted
            self.setSceneRect(self._scene_rect)

    def drawing_rect(self) -> QRectF:
        """The bounds of what is drawn, without the scene's margin (exact: for pictures)."""
        return self.itemsBoundingRect()

    # --- lookup and selection ---------------------------------------------------------------------

    def badges_for(self, element_id: str | None) -> tuple[str, ...]:
        """Badges an element shows: 'policy' when a policy links to it."""
        if self._badges is None:
            from ..model import smo

            badges: dict[str, tuple[str, ...]] = {}
            for policy in smo.policies(self.document):
                for link in policy.links:
                    badges[link] = ("policy",)
            self._badges = badges
        return self._badges.get(element_id or "", ())

    def item_for(self, element_id: str) -> DiagramItem | None:
        items = self._by_element.get(element_id)
        return items[0] if items else None

    def items_of_kind(self, kind: type) -> list[QGraphicsItem]:
        return [item for item in self._by_drawing.values() if isinstance(item, kind)]

    def diagram_items(self) -> list[DiagramItem]:
        return list(self._by_drawing.values())

    def label_for(self, item: DiagramItem) -> LabelItem | None:
        return self._labels.get(id(item.drawing))

    def selected_diagram_items(self) -> list[DiagramItem]:
        return [item for item in self.selectedItems() if isinstance(item, DiagramItem)]

    def selected_elements(self) -> list[Element]:
        return [e for item in self.selected_diagram_items() if (e := item.element) is not None]

    def select_elements(self, element_ids: list[str]) -> None:
        self.blockSignals(True)
        try:
            self.clearSelection()
            for ident in element_ids:
                for item in self._by_element.get(ident, ()):
                    item.setSelected(True)
        finally:
            self.blockSignals(False)
        self._emit_selection()

    def _emit_selection(self) -> None:
        self.element_selection_changed.emit([i.element_id for i in self.selected_diagram_items() if i.element_id])

    def set_palette(self, palette: notation.Palette) -> None:
        self.notation_palette = palette
        self.setBackgroundBrush(palette.background)
        self.update()


def _local(item: DiagramItem) -> str:
    element = item.element
    return element.local if element is not None else ""


def _grow(extent: QRectF, rect: QRectF) -> QRectF:
    return rect if extent.isNull() else extent.united(rect)


def first_plane(document: Document) -> Element | None:
    for diagram in di.diagrams(document):
        plane = di.plane(diagram)
        if plane is not None:
            return plane
    return None
