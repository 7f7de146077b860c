"""Moving drawn shapes and keeping their flows attached (modeling layer).

Every function works on one diagram plane's DI elements and changes the document only through
its mutation API, so a caller's `Document.edit()` (a command) makes it one undo step.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..layout import routing
from ..model import bpmn as b
from ..model import di
from ..model.di import Bounds
from ..model.document import Document
from ..model.element import Element
from ..model.namespaces import bpmn, bpmndi

CONTAINER_KINDS = frozenset({"participant", "lane", *b.SUBPROCESS_TYPES})


def element_of(document: Document, drawing: Element) -> Element | None:
    """The semantic element a shape or edge draws."""
    ref = drawing.get("bpmnElement")
    return document.element(ref.rpartition(":")[2]) if ref else None


def bounds_of(shape: Element) -> Bounds:
    return di.bounds(shape) or Bounds(0, 0, 0, 0)


def shifted(box: Bounds, dx: float, dy: float) -> Bounds:
    return Bounds(box.x + dx, box.y + dy, box.width, box.height)


def contains(outer: Bounds, inner: Bounds) -> bool:
    return (
        outer.x <= inner.x
        and outer.y <= inner.y
        and inner.x + inner.width <= outer.x + outer.width
        and inner.y + inner.height <= outer.y + outer.height
    )


def centre_in(outer: Bounds, inner: Bounds) -> bool:
    cx, cy = inner.x + inner.width / 2, inner.y + inner.height / 2
    return outer.x <= cx <= outer.x + outer.width and outer.y <= cy <= outer.y + outer.height


def contents(document: Document, plane: Element, container_shape: Element) -> list[Element]:
    """The shapes that travel with a container: a pool's process (lanes, nodes, artifacts), an
    expanded sub-process's children, and boundary events on the activities among them."""
    element = element_of(document, container_shape)
    if element is None:
        return []
    index = di.plane_index(document, plane)
    semantic_children: list[Element] = []
    local = element.local
    if local == "participant":
        process = document.element((element.get("processRef") or "").rpartition(":")[2])
        if process is not None:
            semantic_children = [*b.lanes(process), *b.flow_elements(process)]
    elif local in b.SUBPROCESS_TYPES and di.is_expanded(container_shape) is not False:
        semantic_children = list(b.flow_elements(element))
    found = []
    for child in semantic_children:
        drawing = index.drawing(child.id)
        if drawing is not None and di.is_shape(drawing):
            found.append(drawing)
    return found


def with_dependants(document: Document, plane: Element, shapes: Iterable[Element]) -> list[Element]:
    """The shapes plus what moves with them: container contents and attached boundary events."""
    index = di.plane_index(document, plane)
    result: dict[int, Element] = {}
    pending = list(shapes)
    while pending:
        shape = pending.pop()
        if id(shape) in result:
            continue
        result[id(shape)] = shape
        element = element_of(document, shape)
        if element is None:
            continue
        if element.local in CONTAINER_KINDS and element.local != "lane":
            pending.extend(contents(document, plane, shape))
        if element.id is not None:
            for boundary in _boundary_events(document, element.id):
                drawing = index.drawing(boundary.id)
                if drawing is not None:
                    pending.append(drawing)
    return list(result.values())


def _boundary_events(document: Document, activity_id: str) -> list[Element]:
    key = ("boundary_events",)
    table = document.derived.get(key)
    if not isinstance(table, dict):
        table = {}
        for node in document.root.iter(bpmn("boundaryEvent")):
            attached = (node.get("attachedToRef") or "").rpartition(":")[2]
            table.setdefault(attached, []).append(node)
        document.derived[key] = table
    return table.get(activity_id, [])


def move_label(document: Document, drawing: Element, dx: float, dy: float) -> None:
    label = drawing.find(bpmndi("BPMNLabel"))
    if label is not None and (box := di.bounds(label)) is not None:
        di.set_bounds(document, label, shifted(box, dx, dy))


def move_shapes(document: Document, plane: Element, shapes: Iterable[Element], dx: float, dy: float) -> list[Element]:
    """Translate shapes with their labels, containers' contents and boundary events; flows
    between moved shapes move whole, flows with one moved end are re-attached. Returns every
    shape moved."""
    moved = with_dependants(document, plane, shapes)
    if dx == 0 and dy == 0:
        return moved
    for shape in moved:
        di.set_bounds(document, shape, shifted(bounds_of(shape), dx, dy))
        move_label(document, shape, dx, dy)
    moved_ids = {ref.rpartition(":")[2] for shape in moved if (ref := shape.get("bpmnElement"))}
    reattach_edges(document, plane, moved_ids, dx, dy)
    return moved


def reattach_edges(document: Document, plane: Element, moved_ids: set[str], dx: float, dy: float) -> None:
    """After the shapes of `moved_ids` moved by (dx, dy): translate the flows between them and
    repair the flows with one end among them."""
    index = di.plane_index(document, plane)
    edges: dict[int, Element] = {}
    for element_id in moved_ids:
        for edge in index.edges(element_id):
            edges[id(edge)] = edge
    # flows drawn inside a moved container (a sub-process's own flows) move whole too
    for element_id in moved_ids:
        drawing = index.drawing(element_id)
        if drawing is not None and di.is_edge(drawing):
            edges[id(drawing)] = drawing
    for edge in edges.values():
        connection = element_of(document, edge)
        if connection is None:
            continue
        source, target = b.connection_ends(connection)
        if (source in moved_ids and target in moved_ids) or connection.id in moved_ids:
            di.set_waypoints(document, edge, routing.translate(di.waypoints(edge), dx, dy))
            move_label(document, edge, dx, dy)
        else:
            reconnect(document, plane, edge)


def reconnect(document: Document, plane: Element, edge: Element, *, fresh: bool = False) -> None:
    """Re-attach an edge to its ends' current bounds, keeping bend points unless `fresh`."""
    connection = element_of(document, edge)
    if connection is None:
        return
    index = di.plane_index(document, plane)
    source_id, target_id = b.connection_ends(connection)
    source, target = index.drawing(source_id), index.drawing(target_id)
    if source is None or target is None or not di.is_shape(source) or not di.is_shape(target):
        return  # attached to a flow or to something not drawn here: leave it as drawn
    old = di.waypoints(edge)
    source_box, target_box = bounds_of(source), bounds_of(target)
    if fresh or len(old) < 2:
        points = routing.route(
            source_box,
            target_box,
            source_fork=_is_fork(document, index, source_id),
            target_join=_is_join(document, index, target_id),
        )
    else:
        points = routing.repair(source_box, target_box, old)
    if points != old:
        middle_before = routing.middle(old)
        di.set_waypoints(document, edge, points)
        if middle_before is not None:
            middle_after = routing.middle(points)
            if middle_after is not None:
                move_label(document, edge, middle_after.x - middle_before.x, middle_after.y - middle_before.y)


def _is_fork(document: Document, index: di.PlaneIndex, element_id: str | None) -> bool:
    element = document.element(element_id)
    return element is not None and element.local in b.GATEWAY_TYPES


def _is_join(document: Document, index: di.PlaneIndex, element_id: str | None) -> bool:
    element = document.element(element_id)
    return element is not None and element.local in b.GATEWAY_TYPES and len(index.edges(element_id)) > 2
