"""Copy and paste of diagram elements, within a document and between documents (modeling layer).

What is copied is a small BPMN file: the selected elements with their drawings, the flows
between them and the roles their RACI names. Another modeler's clipboard text is refused
like any unsafe file, because pasting parses it with the same safe reader.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..formats.bpmn import BpmnReadError, parse_bpmn, serialize
from ..model import bpmn as b
from ..model import di, smo
from ..model.bpmn_schema import REFERENCE_ATTRIBUTES, REFERENCE_CHILDREN
from ..model.di import Bounds, Point
from ..model.document import Document
from ..model.element import Element
from ..model.namespaces import BPMN, BPMNDI, DC, DI, SMO, bpmn, bpmndi
from ..model.namespaces import smo as smo_tag
from ..model.references import SMO_REFERENCE_ATTRIBUTES
from . import shapes

MIME_TYPE = "application/x-smo-designer-bpmn"
PASTE_OFFSET = 30.0
COPYABLE = b.FLOW_NODE_TYPES | {"dataObjectReference", "dataStoreReference", "textAnnotation", "group"}


def copy_elements(document: Document, plane: Element, elements: Iterable[Element]) -> bytes | None:
    """The selection as BPMN text, or None when nothing in it can be copied (pools and lanes
    are not copied: a pasted pool would need its own process)."""
    index = di.plane_index(document, plane)
    chosen: dict[str, Element] = {}
    for element in elements:
        if element.local in COPYABLE and element.id and index.drawing(element.id) is not None:
            chosen[element.id] = element
            if element.local in b.SUBPROCESS_TYPES:
                for inner in b.flow_elements(element):
                    if inner.id:
                        chosen[inner.id] = inner
    if not chosen:
        return None
    # boundary events go with their activity
    for node in document.root.iter(bpmn("boundaryEvent")):
        if (node.get("attachedToRef") or "") in chosen and node.id:
            chosen[node.id] = node
    top = [e for e in chosen.values() if not any(a.id in chosen for a in e.ancestors() if a.id)]
    process = Element(bpmn("process"), {"id": "Clipboard_Process", "isExecutable": "false"})
    for element in top:
        process.children.append(_clean_copy(element, chosen))
    connections = [
        c
        for c in _connections(document)
        if c.id not in chosen
        and all(end in chosen for end in b.connection_ends(c))
        and c.local in ("sequenceFlow", "association")
        and not any(a.id in chosen for a in c.ancestors() if a.id)
    ]
    for connection in connections:
        process.children.append(connection.copy())
    for child in process.children:
        child.parent = process
    data_objects = {
        ref: document.element(ref)
        for e in chosen.values()
        if e.local == "dataObjectReference" and (ref := e.get("dataObjectRef"))
    }
    for data_object in data_objects.values():
        if data_object is not None:
            copy = data_object.copy()
            copy.parent = process
            process.children.insert(0, copy)
    kept_ids = set(chosen) | {c.id for c in connections if c.id}
    drawn = [d.copy() for ident in sorted(kept_ids) if (d := index.drawing(ident)) is not None]
    plane_copy = Element(bpmndi("BPMNPlane"), {"id": "Clipboard_Plane", "bpmnElement": "Clipboard_Process"}, drawn)
    for child in drawn:
        child.parent = plane_copy
    diagram = Element(bpmndi("BPMNDiagram"), {"id": "Clipboard_Diagram"}, [plane_copy])
    plane_copy.parent = diagram
    roles = _roles_named(document, process)
    definitions = Element(
        bpmn("definitions"),
        {"id": "Clipboard", "targetNamespace": "https://smo-designer.org/clipboard"},
        [*roles, process, diagram],
        namespaces={"bpmn": BPMN, "bpmndi": BPMNDI, "dc": DC, "di": DI, "smo": SMO},
    )
    for child in definitions.children:
        child.parent = definitions
    return serialize(Document(definitions))


def _clean_copy(element: Element, chosen: dict[str, Element]) -> Element:
    """A copy without incoming/outgoing references to flows that stay behind."""
    copy = element.copy()
    for node in list(copy.iter()):
        for child in list(node.children):
            if child.local in ("incoming", "outgoing") and child.namespace == BPMN:
                node.children.remove(child)
    return copy


def _connections(document: Document) -> list[Element]:
    return [node for node in document.root.iter() if b.kind(node) in ("sequenceFlow", "association")]


def _roles_named(document: Document, process: Element) -> list[Element]:
    wanted: set[str] = set()
    for node in process.iter():
        if node.tag == smo_tag("assignment") and node.get("role"):
            wanted.add(node.get("role") or "")
        if node.local == "resourceRef" and node.text:
            wanted.add(node.text.strip())
    return [role.copy() for ident in sorted(wanted) if (role := document.element(ident)) is not None]


def paste_elements(document: Document, plane: Element, data: bytes, at: Point | None = None) -> list[Element]:
    """Paste clipboard text: fresh ids, everything offset to `at` (the fragment's top-left) or
    a little below and right of where it was copied; roles matched by name or added. Returns
    the pasted elements that are drawn."""
    try:
        fragment = parse_bpmn(data, "clipboard").document
    except BpmnReadError as error:
        raise shapes.ModelingError(f"The clipboard does not hold a diagram: {error}") from None
    source_process = fragment.root.find(bpmn("process"))
    source_plane = None
    for diagram in di.diagrams(fragment):
        source_plane = di.plane(diagram)
    if source_process is None or source_plane is None:
        raise shapes.ModelingError("The clipboard does not hold diagram elements")
    role_map = _merge_roles(document, fragment)
    renamed = _fresh_ids(document, fragment, role_map)
    boxes = [box for shape in source_plane.children if di.is_shape(shape) and (box := di.bounds(shape))]
    if not boxes:
        return []
    left = min(box.x for box in boxes)
    top = min(box.y for box in boxes)
    if at is None:
        dx = dy = PASTE_OFFSET
    else:
        dx, dy = at.x - left, at.y - top
    centre = Point(left + dx + 20, top + dy + 20)
    container = shapes.container_at(document, plane, centre)
    if container is None:
        raise shapes.ModelingError("Paste inside a pool: flow elements belong to a participant's process")
    pasted: list[Element] = []
    for child in list(source_process.children):
        source_process.children.remove(child)
        child.parent = None
        if child.local == "dataObject":
            b.insert_in_order(document, container, child)
            continue
        b.insert_in_order(document, container, child)
        pasted.append(child)
    drawings = []
    for drawing in list(source_plane.children):
        source_plane.children.remove(drawing)
        drawing.parent = None
        if di.is_shape(drawing) and (box := di.bounds(drawing)) is not None:
            _shift_bounds(drawing, box, dx, dy)
        elif di.is_edge(drawing):
            for point in drawing.findall(f"{{{DI}}}waypoint"):
                point.attributes["x"] = di.format_number(float(point.get("x") or 0) + dx)
                point.attributes["y"] = di.format_number(float(point.get("y") or 0) + dy)
        label = drawing.find(bpmndi("BPMNLabel"))
        if label is not None and (label_box := di.bounds(label)) is not None:
            _shift_bounds(label, label_box, dx, dy)
        document.append(plane, drawing)
        drawings.append(drawing)
    shapes._settle(document, plane, [d for d in drawings if di.is_shape(d)])
    del renamed
    index = di.plane_index(document, plane)
    return [e for e in _walk(pasted) if e.id and index.drawing(e.id) is not None]


def _walk(elements: list[Element]) -> list[Element]:
    found = []
    for element in elements:
        found.extend(node for node in element.iter() if node.is_element)
    return found


def _shift_bounds(holder: Element, box: Bounds, dx: float, dy: float) -> None:
    node = holder.find(f"{{{DC}}}Bounds")
    if node is not None:
        node.attributes["x"] = di.format_number(box.x + dx)
        node.attributes["y"] = di.format_number(box.y + dy)


def _merge_roles(document: Document, fragment: Document) -> dict[str, str]:
    """Roles of the fragment, matched to the document's roles by name; missing ones are added."""
    mapping: dict[str, str] = {}
    existing = {role.name.casefold(): role.id for role in smo.roles(document)}
    for resource in fragment.root.findall(bpmn("resource")):
        name = b.name(resource)
        ident = existing.get(name.casefold())
        if ident is None:
            added = smo.add_role(document, name, b.documentation(resource))
            ident = added.id or ""
            existing[name.casefold()] = ident
        mapping[resource.id or ""] = ident
        fragment.root.children.remove(resource)
        resource.parent = None
    return mapping


def _fresh_ids(document: Document, fragment: Document, role_map: dict[str, str]) -> dict[str, str]:
    """Give every fragment id a new one unused in the document and rewrite references."""
    renamed: dict[str, str] = dict(role_map)
    taken = document.ids()
    used = set(renamed.values())
    for node in fragment.root.iter():
        ident = node.attributes.get("id")
        if ident is None or ident.startswith("Clipboard"):
            continue
        base = ident.rsplit("_", 1)[0] if "_" in ident else ident
        new = ident
        while new in taken or new in used:
            new = document.new_id(base)
        used.add(new)
        if ident not in renamed:
            renamed[ident] = new
            node.attributes["id"] = new
    for node in fragment.root.iter():
        attributes = REFERENCE_ATTRIBUTES.get(node.tag) or SMO_REFERENCE_ATTRIBUTES.get(node.tag, ())
        for attribute in attributes:
            value = node.attributes.get(attribute)
            if value is not None and value in renamed:
                node.attributes[attribute] = renamed[value]
        child_tags = REFERENCE_CHILDREN.get(node.tag)
        if child_tags:
            for child in node.children:
                if child.tag in child_tags and child.text and child.text.strip() in renamed:
                    child.text = renamed[child.text.strip()]
    # drawings are named after their element
    for node in fragment.root.iter():
        if (di.is_shape(node) or di.is_edge(node)) and node.get("bpmnElement") in renamed:
            node.attributes["bpmnElement"] = renamed[node.get("bpmnElement") or ""]
    return renamed


def cut_elements(document: Document, plane: Element, elements: list[Element]) -> bytes | None:
    data = copy_elements(document, plane, elements)
    if data is not None:
        shapes.delete_elements(document, [e for e in elements if e.local in COPYABLE])
    return data
