"""Diagram interchange, kept apart from semantics: diagrams, shapes, edges, bounds and
waypoints (model layer)."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

from .document import Document
from .element import Element
from .namespaces import bpmndi, dc, di


@dataclass(frozen=True)
class Bounds:
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Point:
    x: float
    y: float


def format_number(value: float) -> str:
    """Numbers as people and diffs like them: 120, 80.5, never 1.2e+02 or 80.50000001."""
    if not math.isfinite(value):
        raise ValueError(f"not a finite coordinate: {value}")
    rounded = round(value, 3)
    if rounded == int(rounded):
        return str(int(rounded))
    return repr(rounded)


def parse_number(text: str | None) -> float | None:
    if text is None:
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def diagrams(document: Document) -> list[Element]:
    return document.root.findall(bpmndi("BPMNDiagram"))


def plane(diagram: Element) -> Element | None:
    return diagram.find(bpmndi("BPMNPlane"))


def diagram_elements(document: Document) -> Iterator[Element]:
    """Every BPMNShape and BPMNEdge of every diagram."""
    for diagram in diagrams(document):
        diagram_plane = plane(diagram)
        if diagram_plane is None:
            continue
        for child in diagram_plane.children:
            if child.tag in (bpmndi("BPMNShape"), bpmndi("BPMNEdge")):
                yield child


def is_shape(element: Element) -> bool:
    return element.tag == bpmndi("BPMNShape")


def is_edge(element: Element) -> bool:
    return element.tag == bpmndi("BPMNEdge")


def bounds(shape_or_label: Element) -> Bounds | None:
    node = shape_or_label.find(dc("Bounds"))
    if node is None:
        return None
    a = node.attributes
    return Bounds(
        parse_number(a.get("x")) or 0.0,
        parse_number(a.get("y")) or 0.0,
        parse_number(a.get("width")) or 0.0,
        parse_number(a.get("height")) or 0.0,
    )


def waypoints(edge: Element) -> list[Point]:
    return [
        Point(parse_number(p.get("x")) or 0.0, parse_number(p.get("y")) or 0.0) for p in edge.findall(di("waypoint"))
    ]


def label_bounds(diagram_element: Element) -> Bounds | None:
    label = diagram_element.find(bpmndi("BPMNLabel"))
    return bounds(label) if label is not None else None


def set_bounds(document: Document, shape_or_label: Element, value: Bounds) -> None:
    node = shape_or_label.find(dc("Bounds"))
    if node is None:
        node = Element(dc("Bounds"))
        document.append(shape_or_label, node)
    for key in ("x", "y", "width", "height"):
        document.set_attribute(node, key, format_number(getattr(value, key)))


def set_waypoints(document: Document, edge: Element, points: list[Point]) -> None:
    """Replace the edge's waypoints, keeping its label and extension in place."""
    old = edge.findall(di("waypoint"))
    index = old[0].index_in_parent() if old else len(edge.children)
    label = edge.find(bpmndi("BPMNLabel"))
    if not old and label is not None:
        index = label.index_in_parent()
    for point in old:
        document.remove(point)
    for offset, point in enumerate(points):
        node = Element(di("waypoint"), {"x": format_number(point.x), "y": format_number(point.y)})
        document.insert(edge, index + offset, node)


def is_horizontal(shape: Element) -> bool | None:
    value = shape.get("isHorizontal")
    return None if value is None else value == "true"


def is_expanded(shape: Element) -> bool | None:
    value = shape.get("isExpanded")
    return None if value is None else value == "true"


def shapes_by_element(document: Document) -> dict[str, list[Element]]:
    """bpmnElement id → the shapes and edges drawing it, over all diagrams."""
    index: dict[str, list[Element]] = {}
    for diagram_element in diagram_elements(document):
        ref = diagram_element.get("bpmnElement")
        if ref is not None:
            index.setdefault(ref.rpartition(":")[2], []).append(diagram_element)
    return index


class PlaneIndex:
    """One diagram plane's drawing of the semantics: the shape or edge of each element id, and
    the edges attached to each element. Built once and kept in `document.derived` until the
    structure changes, so that moving a shape in a large model does not walk the whole plane."""

    def __init__(self, document: Document, diagram_plane: Element) -> None:
        from .bpmn import connection_ends

        self.plane = diagram_plane
        self.by_element: dict[str, Element] = {}
        self.edges_at: dict[str, list[Element]] = {}
        shape_tag, edge_tag = bpmndi("BPMNShape"), bpmndi("BPMNEdge")
        for child in diagram_plane.children:
            if child.tag != shape_tag and child.tag != edge_tag:
                continue
            ref = child.attributes.get("bpmnElement")
            if ref is None:
                continue
            ref = ref.rpartition(":")[2]
            self.by_element.setdefault(ref, child)
            if child.tag == edge_tag:
                semantic = document.element(ref)
                if semantic is None:
                    continue
                for end in connection_ends(semantic):
                    if end is not None:
                        self.edges_at.setdefault(end, []).append(child)

    def drawing(self, element_id: str | None) -> Element | None:
        return self.by_element.get(element_id) if element_id else None

    def edges(self, element_id: str | None) -> list[Element]:
        return self.edges_at.get(element_id, []) if element_id else []


def plane_index(document: Document, diagram_plane: Element) -> PlaneIndex:
    key = ("plane_index", id(diagram_plane))
    index = document.derived.get(key)
    if not isinstance(index, PlaneIndex) or index.plane is not diagram_plane:
        index = PlaneIndex(document, diagram_plane)
        document.derived[key] = index
    return index
