"""Creating, connecting, deleting, relabelling and replacing diagram elements (modeling layer).

The functions take the diagram plane being edited and change semantics and DI together
through the document's mutation API; a command wraps each call in `Document.edit()`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..layout import routing
from ..model import bpmn as b
from ..model import di
from ..model.di import Bounds, Point
from ..model.document import Document
from ..model.element import Element
from ..model.namespaces import bpmn, bpmndi
from ..model.references import all_references, target_id
from . import geometry


class ModelingError(ValueError):
    """An edit BPMN does not allow, with a message for the status bar."""


@dataclass(frozen=True)
class ShapeSpec:
    """What a palette entry creates: a BPMN kind, an optional event trigger, its size."""

    local: str
    trigger: str | None = None
    expanded: bool = False
    interrupting: bool = True
    horizontal: bool = True  # pools: lanes across the page, or down it


def default_size(local: str, expanded: bool = False) -> tuple[float, float]:
    if local in b.EVENT_TYPES:
        return 36.0, 36.0
    if local in b.GATEWAY_TYPES:
        return 50.0, 50.0
    if local in b.SUBPROCESS_TYPES and expanded:
        return 350.0, 200.0
    if local in b.ACTIVITY_TYPES:
        return 100.0, 80.0
    if local in ("dataObjectReference", "dataInput", "dataOutput"):
        return 36.0, 50.0
    if local == "dataStoreReference":
        return 50.0, 50.0
    if local == "textAnnotation":
        return 100.0, 30.0
    if local == "group":
        return 300.0, 200.0
    if local == "participant":
        return 600.0, 250.0
    return 100.0, 80.0


def id_prefix(local: str) -> str:
    """Id prefixes as bpmn-js writes them, so ids read alike across tools."""
    if local in b.ACTIVITY_TYPES:
        return "Activity"
    if local in b.EVENT_TYPES:
        return "Event"
    if local in b.GATEWAY_TYPES:
        return "Gateway"
    if local in ("sequenceFlow", "messageFlow"):
        return "Flow"
    return local[0].upper() + local[1:]


# --- where things go ------------------------------------------------------------------------


def plane_root(document: Document, plane: Element) -> Element | None:
    """The collaboration or process the plane draws."""
    return document.element((plane.get("bpmnElement") or "").rpartition(":")[2])


def process_of_participant(document: Document, participant: Element) -> Element | None:
    return document.element((participant.get("processRef") or "").rpartition(":")[2])


def shapes_at(document: Document, plane: Element, point: Point) -> list[tuple[Element, Element]]:
    """(semantic element, shape) of the shapes containing a point, innermost (last drawn) first."""
    found = []
    for child in plane.children:
        if not di.is_shape(child):
            continue
        box = di.bounds(child)
        if box is None or not (box.x <= point.x <= box.x + box.width and box.y <= point.y <= box.y + box.height):
            continue
        element = geometry.element_of(document, child)
        if element is not None:
            found.append((element, child))
    found.reverse()
    return found


def containers_at(document: Document, plane: Element, point: Point) -> list[tuple[Element, Element]]:
    """Like shapes_at, for pools, lanes and sub-processes only: those are few, and kept in the
    document's derived cache, so finding where a dropped shape lands does not read every shape."""
    key = ("containers", id(plane))
    drawn = document.derived.get(key)
    if not isinstance(drawn, list):
        drawn = []
        for child in plane.children:
            if di.is_shape(child):
                element = geometry.element_of(document, child)
                if element is not None and element.local in geometry.CONTAINER_KINDS:
                    drawn.append((element, child))
        document.derived[key] = drawn
    found = []
    for element, shape in drawn:
        box = di.bounds(shape)
        if box is not None and box.x <= point.x <= box.x + box.width and box.y <= point.y <= box.y + box.height:
            found.append((element, shape))
    found.reverse()
    return found


def container_at(document: Document, plane: Element, point: Point) -> Element | None:
    """The process or expanded sub-process a new flow element at `point` belongs to: the
    innermost expanded sub-process there, else the pool's process there, else the plane's
    own process when the diagram has no pools. None where nothing can go (outside every pool)."""
    for element, shape in containers_at(document, plane, point):
        if element.local in b.SUBPROCESS_TYPES and di.is_expanded(shape):
            return element
        if element.local == "participant":
            return process_of_participant(document, element)
    root = plane_root(document, plane)
    if root is not None and root.local == "process":
        return root
    return None


def _collaboration_or_process(document: Document, plane: Element, point: Point) -> Element | None:
    container = container_at(document, plane, point)
    if container is not None:
        return container
    root = plane_root(document, plane)
    return root if root is not None and root.local == "collaboration" else None


# --- creating --------------------------------------------------------------------------------


def add_shape(document: Document, plane: Element, element: Element, box: Bounds, *, expanded: bool = False) -> Element:
    attributes = {"id": document.new_id(f"{element.id}_di"), "bpmnElement": element.id or ""}
    if element.local in b.SUBPROCESS_TYPES or element.local == "callActivity":
        attributes["isExpanded"] = "true" if expanded else "false"
    if element.local in ("participant", "lane"):
        attributes["isHorizontal"] = "true"
    if element.local == "exclusiveGateway":
        attributes["isMarkerVisible"] = "true"
    shape = Element(bpmndi("BPMNShape"), attributes)
    document.append(plane, shape)
    di.set_bounds(document, shape, box)
    return shape


def create_shape(
    document: Document, plane: Element, spec: ShapeSpec, at: Point, *, name: str = ""
) -> tuple[Element, Element]:
    """Create a flow node, data reference or artifact centred on `at`. Returns (element, shape)."""
    if spec.local == "participant":
        from . import lanes

        width, height = default_size("participant")
        if not spec.horizontal:
            width, height = height, width
        participant = lanes.create_pool(
            document,
            plane,
            Bounds(at.x - width / 2, at.y - height / 2, width, height),
            name,
            horizontal=spec.horizontal,
        )
        index = di.plane_index(document, plane)
        shape = index.drawing(participant.id)
        assert shape is not None
        return participant, shape
    width, height = default_size(spec.local, spec.expanded)
    box = Bounds(at.x - width / 2, at.y - height / 2, width, height)
    artifact = spec.local in ("textAnnotation", "group")
    container = _collaboration_or_process(document, plane, at) if artifact else container_at(document, plane, at)
    if container is None:
        raise ModelingError("Put it inside a pool: flow elements belong to a participant's process")
    attributes = {"name": name} if name and spec.local != "textAnnotation" else {}
    element = b.create(document, container, spec.local, attributes, id_prefix=id_prefix(spec.local))
    if spec.local == "textAnnotation" and name:
        b.create(document, element, "text", text=name)
    if spec.local == "dataObjectReference":
        data_object = b.create(document, container, "dataObject", id_prefix="DataObject")
        document.set_attribute(element, "dataObjectRef", data_object.id)
    if spec.local == "dataStoreReference":
        pass  # a reference without a global data store is valid BPMN and what bpmn-js creates
    if spec.local == "subProcess" and spec.expanded:
        start = b.create(document, element, "startEvent", id_prefix="Event")
        add_shape(document, plane, element, box, expanded=True)
        add_shape(document, plane, start, Bounds(box.x + 40, box.y + box.height / 2 - 18, 36, 36))
        shape = di.plane_index(document, plane).drawing(element.id)
        assert shape is not None
        _settle(document, plane, [shape])
        return element, shape
    if spec.trigger and spec.trigger != "none":
        b.create(
            document, element, f"{spec.trigger}EventDefinition", id_prefix=f"{spec.trigger.capitalize()}EventDefinition"
        )
    if not spec.interrupting and spec.local == "boundaryEvent":
        document.set_attribute(element, "cancelActivity", "false")
    if not spec.interrupting and spec.local == "startEvent":
        document.set_attribute(element, "isInterrupting", "false")
    shape = add_shape(document, plane, element, box, expanded=spec.expanded)
    if spec.local == "boundaryEvent":
        host = _activity_under(document, plane, at)
        if host is None:
            raise ModelingError("A boundary event goes on the border of an activity")
        document.set_attribute(element, "attachedToRef", host.id)
    _settle(document, plane, [shape])
    return element, shape


def _activity_under(document: Document, plane: Element, point: Point) -> Element | None:
    for element, _shape in shapes_at(document, plane, point):
        if element.local in b.ACTIVITY_TYPES:
            return element
    return None


def _settle(document: Document, plane: Element, shapes: list[Element]) -> None:
    """Lane membership follows the new geometry, and pools and lanes grow to hold it."""
    from . import lanes

    lanes.fit_containers(document, plane, shapes)
    nodes = [e for s in shapes if (e := geometry.element_of(document, s)) is not None and e.local in b.FLOW_NODE_TYPES]
    if nodes:
        lanes.sync_lane_membership(document, plane, nodes)


# --- connecting ------------------------------------------------------------------------------


def connection_kind(document: Document, source: Element, target: Element) -> str:
    """The connection BPMN allows between two elements, as bpmn-js decides it."""
    data = ("dataObjectReference", "dataStoreReference", "dataInput", "dataOutput")
    if source.local == "textAnnotation" or target.local == "textAnnotation":
        return "association"
    if source.local in data and target.local in b.ACTIVITY_TYPES | {"intermediateThrowEvent", "endEvent"}:
        return "dataInputAssociation"
    if target.local in data and source.local in b.ACTIVITY_TYPES | {
        "intermediateCatchEvent",
        "startEvent",
        "boundaryEvent",
    }:
        return "dataOutputAssociation"
    if source.local in data or target.local in data:
        raise ModelingError("Data connects to activities and events only")
    if source.local == "participant" or target.local == "participant":
        return "messageFlow"
    if b.owning_process(source) is not b.owning_process(target):
        return "messageFlow"
    if source.local in b.FLOW_NODE_TYPES and target.local in b.FLOW_NODE_TYPES:
        if source.local == "endEvent":
            raise ModelingError("An end event has no outgoing sequence flow")
        if target.local == "startEvent" or target.local == "boundaryEvent":
            raise ModelingError(f"A {_words(target.local)} has no incoming sequence flow")
        if source.parent is not target.parent:
            raise ModelingError("A sequence flow stays inside its process or sub-process")
        return "sequenceFlow"
    raise ModelingError(f"A {_words(source.local)} cannot connect to a {_words(target.local)}")


def _words(local: str) -> str:
    return "".join(" " + c.lower() if c.isupper() else c for c in local)


def connect(
    document: Document, plane: Element, source: Element, target: Element, kind: str | None = None
) -> tuple[Element, Element]:
    """Connect two drawn elements; returns (connection, edge)."""
    kind = kind or connection_kind(document, source, target)
    if source is target and kind != "sequenceFlow":
        raise ModelingError("An element cannot connect to itself")
    if kind == "sequenceFlow":
        connection = b.create(
            document,
            source.parent,  # type: ignore[arg-type]
            "sequenceFlow",
            {"sourceRef": source.id or "", "targetRef": target.id or ""},
            id_prefix="Flow",
        )
        b.create(document, source, "outgoing", text=connection.id)
        b.create(document, target, "incoming", text=connection.id)
    elif kind == "messageFlow":
        collaboration = plane_root(document, plane)
        if collaboration is None or collaboration.local != "collaboration":
            raise ModelingError("Message flows run between pools")
        if _pool_of_element(document, source) is _pool_of_element(document, target):
            raise ModelingError("A message flow connects two different pools")
        connection = b.create(
            document,
            collaboration,
            "messageFlow",
            {"sourceRef": source.id or "", "targetRef": target.id or ""},
            id_prefix="Flow",
        )
    elif kind == "association":
        home = b.owning_process(source) or b.owning_process(target) or plane_root(document, plane)
        if source.local == "textAnnotation" and source.parent is not None:
            home = source.parent
        elif target.local == "textAnnotation" and target.parent is not None:
            home = target.parent
        connection = b.create(
            document,
            home,  # type: ignore[arg-type]
            "association",
            {"sourceRef": source.id or "", "targetRef": target.id or ""},
            id_prefix="Association",
        )
    elif kind == "dataInputAssociation":
        # bpmn-js's pattern: the association's required targetRef names a placeholder property
        placeholder = b.create(document, target, "property", {"name": "__targetRef_placeholder"}, id_prefix="Property")
        connection = b.create(document, target, "dataInputAssociation", id_prefix="DataInputAssociation")
        b.create(document, connection, "sourceRef", text=source.id)
        b.create(document, connection, "targetRef", text=placeholder.id)
    elif kind == "dataOutputAssociation":
        connection = b.create(document, source, "dataOutputAssociation", id_prefix="DataOutputAssociation")
        b.create(document, connection, "targetRef", text=target.id)
    else:
        raise ModelingError(f"Unknown connection kind {kind!r}")
    edge = Element(
        bpmndi("BPMNEdge"), {"id": document.new_id(f"{connection.id}_di"), "bpmnElement": connection.id or ""}
    )
    document.append(plane, edge)
    geometry.reconnect(document, plane, edge, fresh=True)
    if not di.waypoints(edge):
        raise ModelingError("Both ends of a connection must be drawn")
    return connection, edge


def _pool_of_element(document: Document, element: Element) -> Element | None:
    if element.local == "participant":
        return element
    process = b.owning_process(element)
    for participant in b.participants(document):
        if process is not None and (participant.get("processRef") or "").rpartition(":")[2] == process.id:
            return participant
    return None


def set_waypoints(document: Document, edge: Element, points: list[Point]) -> None:
    if len(points) < 2:
        raise ModelingError("A connection needs two points")
    di.set_waypoints(document, edge, points)


# --- labels ----------------------------------------------------------------------------------


def label_text(element: Element) -> str:
    if element.local == "textAnnotation":
        text = element.find(bpmn("text"))
        return text.text or "" if text is not None else ""
    return b.name(element)


def set_label(document: Document, element: Element, text: str) -> None:
    """The name users see on a shape or flow (a text annotation's text)."""
    text = text.strip() if element.local != "textAnnotation" else text
    if element.local == "textAnnotation":
        node = element.find(bpmn("text"))
        if node is None:
            if text:
                b.create(document, element, "text", text=text)
        else:
            document.set_text(node, text or None)
        return
    b.set_name(document, element, text)


# --- deleting --------------------------------------------------------------------------------


def _dependants(document: Document, elements: Iterable[Element]) -> list[Element]:
    """The elements plus what cannot live without them: flows attached to them, boundary
    events on them, a pool's process, a container's contents."""
    result: dict[int, Element] = {}
    pending = list(elements)
    connections_at: dict[str, list[Element]] = {}
    for node in document.root.iter():
        if b.kind(node) in b.CONNECTION_TYPES:
            for end in b.connection_ends(node):
                if end:
                    connections_at.setdefault(end, []).append(node)
    attached: dict[str, list[Element]] = {}
    for node in document.root.iter(bpmn("boundaryEvent")):
        attached.setdefault((node.get("attachedToRef") or "").rpartition(":")[2], []).append(node)
    while pending:
        element = pending.pop()
        if id(element) in result:
            continue
        result[id(element)] = element
        pending.extend(connections_at.get(element.id or "", []))
        pending.extend(attached.get(element.id or "", []))
        if element.local == "participant":
            process = process_of_participant(document, element)
            if process is not None and not any(
                p is not element and p.get("processRef") == element.get("processRef") for p in b.participants(document)
            ):
                pending.append(process)
        for child in element.children:
            if b.kind(child) in b.FLOW_NODE_TYPES | b.DATA_TYPES | b.CONNECTION_TYPES | b.ARTIFACT_TYPES | {"lane"}:
                pending.append(child)
        if element.local in ("process", "laneSet", "childLaneSet") or element.local == "lane":
            pending.extend(c for c in element.children if c.local in ("laneSet", "childLaneSet", "lane"))
    return list(result.values())


def delete_elements(document: Document, elements: Iterable[Element]) -> None:
    """Delete elements with their flows, boundary events, contents and drawings (on every
    diagram), and every reference to them: lane membership, incoming/outgoing, default flow,
    policy links. Lanes are removed the way users expect: neighbours fill the gap."""
    elements = list(elements)
    lanes_only = [e for e in elements if e.local == "lane"]
    others = [e for e in elements if e.local != "lane"]
    if lanes_only:
        from . import lanes

        for lane in lanes_only:
            if lane.parent is None:
                continue  # removed with a lane above it
            for diagram in di.diagrams(document):
                lane_plane = di.plane(diagram)
                if lane_plane is not None and di.plane_index(document, lane_plane).drawing(lane.id) is not None:
                    lanes.delete_lane(document, lane_plane, lane)
                    break
            else:
                lanes.delete_lane(document, None, lane)  # type: ignore[arg-type]
    if not others:
        return
    doomed = _dependants(document, others)
    doomed_ids = {e.id for e in doomed if e.id}
    # drawings and references first, while the tree still holds everything
    removals: list[Element] = []
    for node in document.root.iter():
        if di.is_shape(node) or di.is_edge(node):
            if (node.get("bpmnElement") or "").rpartition(":")[2] in doomed_ids:
                removals.append(node)
    for reference in list(all_references(document)):
        holder = reference.holder
        if target_id(document, reference) not in doomed_ids or holder.id in doomed_ids:
            continue
        if any(ancestor.id in doomed_ids for ancestor in holder.ancestors() if ancestor.id):
            continue
        if reference.child is not None:
            removals.append(reference.child)
        elif reference.attribute in ("default", "attachedToRef", "dataObjectRef", "calledElement") or (
            reference.attribute and holder.local not in b.CONNECTION_TYPES
        ):
            document.set_attribute(holder, reference.attribute, None)  # type: ignore[arg-type]
        else:
            removals.append(holder)  # a connection whose end is gone
    removed_parents: set[int] = set()
    for node in removals + doomed:
        if node.parent is None or id(node) in removed_parents:
            continue
        if any(id(a) in removed_parents for a in node.ancestors()):
            continue
        removed_parents.add(id(node))
        document.remove(node)
    _drop_empty_lane_sets(document)


def _drop_empty_lane_sets(document: Document) -> None:
    for lane_set in list(document.root.iter(bpmn("laneSet"))):
        if not lane_set.findall(bpmn("lane")) and lane_set.parent is not None:
            document.remove(lane_set)


# --- replacing -------------------------------------------------------------------------------

# children a new kind keeps, by family
_KEEP_ALWAYS = {"documentation", "extensionElements", "incoming", "outgoing"}
_ACTIVITY_CHILDREN = {
    "ioSpecification",
    "property",
    "dataInputAssociation",
    "dataOutputAssociation",
    "resourceRole",
    "performer",
    "humanPerformer",
    "potentialOwner",
    "standardLoopCharacteristics",
    "multiInstanceLoopCharacteristics",
}
_EVENT_CHILDREN = {"dataOutput", "dataOutputAssociation", "outputSet", "dataInput", "dataInputAssociation", "inputSet"}


_ALL_KINDS = frozenset({"*"}) | b.FLOW_NODE_TYPES
# attributes only some kinds have (the XSD refuses them elsewhere); the rest every flow node has
_ATTRIBUTE_OWNERS: dict[str, frozenset[str]] = {
    "implementation": frozenset({"userTask", "serviceTask", "sendTask", "receiveTask", "businessRuleTask"}),
    "operationRef": frozenset({"serviceTask", "sendTask", "receiveTask"}),
    "messageRef": frozenset({"sendTask", "receiveTask"}),
    "instantiate": frozenset({"receiveTask", "eventBasedGateway"}),
    "scriptFormat": frozenset({"scriptTask"}),
    "calledElement": frozenset({"callActivity"}),
    "triggeredByEvent": frozenset(b.SUBPROCESS_TYPES),
    "method": frozenset({"transaction"}),
    "cancelRemainingInstances": frozenset({"adHocSubProcess"}),
    "ordering": frozenset({"adHocSubProcess"}),
    "isForCompensation": frozenset(b.ACTIVITY_TYPES),
    "startQuantity": frozenset(b.ACTIVITY_TYPES),
    "completionQuantity": frozenset(b.ACTIVITY_TYPES),
    "default": frozenset(b.ACTIVITY_TYPES | {"exclusiveGateway", "inclusiveGateway", "complexGateway"}),
    "parallelMultiple": frozenset({"startEvent", "intermediateCatchEvent", "boundaryEvent"}),
    "isInterrupting": frozenset({"startEvent"}),
    "cancelActivity": frozenset({"boundaryEvent"}),
    "attachedToRef": frozenset({"boundaryEvent"}),
    "gatewayDirection": frozenset(b.GATEWAY_TYPES),
    "eventGatewayType": frozenset({"eventBasedGateway"}),
}


def _family(local: str) -> str:
    if local in b.TASK_TYPES or local == "callActivity":
        return "task"
    if local in b.SUBPROCESS_TYPES:
        return "subprocess"
    if local in b.EVENT_TYPES:
        return "event"
    if local in b.GATEWAY_TYPES:
        return "gateway"
    return local


def replace_element(
    document: Document, plane: Element, element: Element, new_local: str, *, trigger: str | None = None
) -> Element:
    """Change an element's type, keeping its id, name, documentation, RACI, connections and
    (within the same family) its markers and data; events take the new trigger."""
    old_family, new_family = _family(element.local), _family(new_local)
    keep = set(_KEEP_ALWAYS)
    if old_family in ("task", "subprocess") and new_family in ("task", "subprocess"):
        keep |= _ACTIVITY_CHILDREN
        if old_family == "subprocess" and new_family == "subprocess":
            keep |= b.FLOW_NODE_TYPES | b.DATA_TYPES | b.CONNECTION_TYPES | b.ARTIFACT_TYPES | {"laneSet"}
    if old_family == "event" and new_family == "event":
        keep |= _EVENT_CHILDREN
    if new_local == "boundaryEvent" and element.get("attachedToRef") is None:
        raise ModelingError("Only an event on an activity's border can be a boundary event")
    kept_attributes = {
        key: value
        for key, value in element.attributes.items()
        if key.startswith("{") or new_local in _ATTRIBUTE_OWNERS.get(key, _ALL_KINDS)
    }
    new = Element(bpmn(new_local), kept_attributes)
    if new_family == "event" and trigger and trigger != "none":
        pass  # the definition is created below, in schema order
    elif new_family == "event" and old_family == "event" and trigger is None:
        keep |= b.EVENT_DEFINITION_TYPES | {"eventDefinitionRef"}
    for child in element.children:
        child_kind = b.kind(child)
        if child_kind is None and child.is_element and child.namespace is not None:
            new.children.append(child.copy())  # foreign extensions travel along
        elif child_kind in keep:
            new.children.append(child.copy())
    for child in new.children:
        child.parent = new
    parent = element.parent
    assert parent is not None
    index = document.remove(element)
    document.insert(parent, index, new)
    if new_family == "event" and trigger and trigger != "none":
        b.create(document, new, f"{trigger}EventDefinition", id_prefix=f"{trigger.capitalize()}EventDefinition")
    _redraw_replaced(document, plane, new, old_family, new_family)
    return new


def _redraw_replaced(document: Document, plane: Element, element: Element, old_family: str, new_family: str) -> None:
    index = di.plane_index(document, plane)
    shape = index.drawing(element.id)
    if shape is None:
        return
    if old_family != new_family or element.local in b.SUBPROCESS_TYPES:
        box = geometry.bounds_of(shape)
        expanded = element.local in b.SUBPROCESS_TYPES and di.is_expanded(shape) is True
        width, height = default_size(element.local, expanded)
        if old_family == new_family:
            width, height = box.width, box.height
        cx, cy = box.x + box.width / 2, box.y + box.height / 2
        di.set_bounds(document, shape, Bounds(cx - width / 2, cy - height / 2, width, height))
        wants_expanded = element.local in b.SUBPROCESS_TYPES or element.local == "callActivity"
        if wants_expanded and shape.get("isExpanded") is None:
            document.set_attribute(shape, "isExpanded", "false")
        elif not wants_expanded:
            document.set_attribute(shape, "isExpanded", None)
        document.set_attribute(shape, "isMarkerVisible", "true" if element.local == "exclusiveGateway" else None)
        for edge in index.edges(element.id):
            geometry.reconnect(document, plane, edge)


# --- arranging -------------------------------------------------------------------------------


def align(document: Document, plane: Element, shapes: list[Element], how: str) -> None:
    """Align shapes: left, center, right, top, middle or bottom (of the selection's box)."""
    if len(shapes) < 2:
        return
    boxes = [geometry.bounds_of(s) for s in shapes]
    left = min(box.x for box in boxes)
    right = max(box.x + box.width for box in boxes)
    top = min(box.y for box in boxes)
    bottom = max(box.y + box.height for box in boxes)
    for shape, box in zip(shapes, boxes, strict=True):
        dx = dy = 0.0
        if how == "left":
            dx = left - box.x
        elif how == "right":
            dx = right - (box.x + box.width)
        elif how == "center":
            dx = (left + right) / 2 - (box.x + box.width / 2)
        elif how == "top":
            dy = top - box.y
        elif how == "bottom":
            dy = bottom - (box.y + box.height)
        elif how == "middle":
            dy = (top + bottom) / 2 - (box.y + box.height / 2)
        else:
            raise ValueError(f"unknown alignment {how!r}")
        if dx or dy:
            geometry.move_shapes(document, plane, [shape], dx, dy)
    _settle(document, plane, shapes)


def distribute(document: Document, plane: Element, shapes: list[Element], axis: str) -> None:
    """Equal gaps between three or more shapes, horizontally or vertically."""
    if len(shapes) < 3:
        return
    horizontal = axis == "horizontal"
    ordered = sorted(shapes, key=lambda s: geometry.bounds_of(s).x if horizontal else geometry.bounds_of(s).y)
    boxes = [geometry.bounds_of(s) for s in ordered]
    start = boxes[0].x if horizontal else boxes[0].y
    end = (boxes[-1].x + boxes[-1].width) if horizontal else (boxes[-1].y + boxes[-1].height)
    total = sum(box.width if horizontal else box.height for box in boxes)
    gap = (end - start - total) / (len(boxes) - 1)
    position = start
    for shape, box in zip(ordered, boxes, strict=True):
        current = box.x if horizontal else box.y
        if abs(position - current) > 0.01:
            geometry.move_shapes(
                document,
                plane,
                [shape],
                position - current if horizontal else 0,
                0 if horizontal else position - current,
            )
        position += (box.width if horizontal else box.height) + gap
    _settle(document, plane, shapes)


def make_space(document: Document, plane: Element, at: Point, dx: float, dy: float) -> None:
    """The space tool: everything beyond the line through `at` moves by (dx, dy) — right of a
    vertical line for dx, below a horizontal one for dy — and pools and lanes that the line
    crosses grow (or shrink) with it. Use either dx or dy."""
    horizontal = dx != 0
    moving: list[Element] = []
    stretching: list[Element] = []
    for child in plane.children:
        if not di.is_shape(child):
            continue
        element = geometry.element_of(document, child)
        box = geometry.bounds_of(child)
        start, size, line = (box.x, box.width, at.x) if horizontal else (box.y, box.height, at.y)
        container = element is not None and element.local in ("participant", "lane")
        expanded = element is not None and element.local in b.SUBPROCESS_TYPES and di.is_expanded(child)
        if start >= line:
            moving.append(child)
        elif start + size > line and (container or expanded):
            stretching.append(child)
    delta = dx if horizontal else dy
    for shape in stretching:
        box = geometry.bounds_of(shape)
        if horizontal:
            new = Bounds(box.x, box.y, max(box.width + delta, 30), box.height)
        else:
            new = Bounds(box.x, box.y, box.width, max(box.height + delta, 30))
        di.set_bounds(document, shape, new)
    for shape in moving:
        di.set_bounds(document, shape, geometry.shifted(geometry.bounds_of(shape), dx, dy))
        geometry.move_label(document, shape, dx, dy)
    moved_ids = {ref.rpartition(":")[2] for s in moving if (ref := s.get("bpmnElement"))}
    index = di.plane_index(document, plane)
    for child in plane.children:
        if not di.is_edge(child):
            continue
        connection = geometry.element_of(document, child)
        if connection is None:
            continue
        source, target = b.connection_ends(connection)
        if source in moved_ids and target in moved_ids:
            di.set_waypoints(document, child, routing.translate(di.waypoints(child), dx, dy))
            geometry.move_label(document, child, dx, dy)
        elif source in moved_ids or target in moved_ids:
            points = di.waypoints(child)
            line = at.x if horizontal else at.y
            shifted = [
                Point(p.x + dx, p.y)
                if horizontal and p.x >= line
                else Point(p.x, p.y + dy)
                if not horizontal and p.y >= line
                else p
                for p in points
            ]
            di.set_waypoints(document, child, shifted)
            geometry.reconnect(document, plane, child)
    del index
    nodes = [e for s in moving if (e := geometry.element_of(document, s)) is not None and e.local in b.FLOW_NODE_TYPES]
    if nodes:
        from . import lanes

        lanes.sync_lane_membership(document, plane, nodes)


def move_elements(document: Document, plane: Element, shapes: list[Element], dx: float, dy: float) -> None:
    """Move shapes as a user drags them: contents, labels and flows follow; a flow node dropped
    into another pool or expanded sub-process moves there; lane membership follows geometry and
    containers grow to hold what reached their edge."""
    moved = geometry.move_shapes(document, plane, shapes, dx, dy)
    for shape in shapes:
        element = geometry.element_of(document, shape)
        if element is None or element.local not in b.FLOW_NODE_TYPES | b.DATA_TYPES | {"textAnnotation"}:
            continue
        if element.local == "boundaryEvent":
            continue
        box = geometry.bounds_of(shape)
        centre = Point(box.x + box.width / 2, box.y + box.height / 2)
        target = _container_excluding(document, plane, centre, element)
        if target is not None and target is not element.parent and element.local != "textAnnotation":
            _reparent(document, plane, element, target)
    _settle(document, plane, [s for s in moved])


def _container_excluding(document: Document, plane: Element, point: Point, element: Element) -> Element | None:
    for candidate, shape in containers_at(document, plane, point):
        if candidate is element or any(a is element for a in candidate.ancestors()):
            continue
        if candidate.local in b.SUBPROCESS_TYPES and di.is_expanded(shape):
            return candidate
        if candidate.local == "participant":
            return process_of_participant(document, candidate)
    root = plane_root(document, plane)
    return root if root is not None and root.local == "process" else None


def _reparent(document: Document, plane: Element, element: Element, target: Element) -> None:
    """Move a flow node to another process or sub-process. Sequence flows cannot cross that
    boundary: bpmn-js deletes them, and so do we (the user sees them go, and undo brings them
    back)."""
    flows = [node for node in document.root.iter(bpmn("sequenceFlow")) if element.id in b.connection_ends(node)]
    if flows:
        delete_elements(document, flows)
    document.remove(element)
    b.insert_in_order(document, target, element)
