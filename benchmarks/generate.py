"""Large swimlane models for the benchmarks, built through the model API (benchmarks, not part of
the package or the test run).

    python benchmarks/generate.py 5000 OUT.bpmn

One pool with 12 lanes; a start event, N tasks (user, service, manual and plain), an exclusive
split and join every ten tasks (a conditional flow and a default flow), an end event; text on
every fifth task; full DI (pool, lanes, every node and every flow), each node inside the bounds
of the lane whose flowNodeRef names it. The same N always gives the same bytes; the file is
XSD-valid and bpmn-moddle reads it without warnings.
"""

from __future__ import annotations

import gc
import sys
from dataclasses import dataclass
from pathlib import Path

from smo_designer.formats.bpmn import serialize
from smo_designer.model import bpmn
from smo_designer.model.document import Document
from smo_designer.model.element import Element
from smo_designer.model.namespaces import XSI, bpmndi, dc, di
from smo_designer.model.namespaces import bpmn as bpmn_tag

ROLES = (
    "Service Desk",
    "Incident Manager",
    "Problem Manager",
    "Change Manager",
    "Change Advisory Board",
    "Service Owner",
    "Second-line Support",
    "Third-line Support",
    "Network Operations",
    "Security Operations",
    "Supplier Manager",
    "Customer",
)
TASK_TYPES = ("userTask", "serviceTask", "manualTask", "task")
VERBS = ("Log", "Categorise", "Prioritise", "Assign", "Investigate", "Diagnose", "Resolve", "Review", "Escalate")
OBJECTS = ("incident", "service request", "problem record", "change request", "known error", "ticket", "CI record")
SPLIT_EVERY = 10  # an exclusive split and join after every tenth task
TEXT_EVERY = 5  # documentation on every fifth task
BRANCH_NAMES = {"conditional": "yes", "default": "no"}

# geometry, in diagram units
LANE_HEIGHT = 140
HEADER = 30  # the pool's title band, left of the lanes
COLUMN = 150
MARGIN = 20
SIZES = {"task": (100, 80), "exclusiveGateway": (50, 50), "event": (36, 36)}


@dataclass(frozen=True)
class Node:
    ident: str
    kind: str
    name: str
    column: int
    lane: int


@dataclass(frozen=True)
class Flow:
    ident: str
    source: str
    target: str
    kind: str = "plain"  # "conditional" or "default" out of a split


def plan(tasks: int) -> tuple[list[Node], list[Flow]]:
    """The process as a chain of nodes in columns and lanes: tasks in runs of three per lane,
    every tenth task replaced by a split into two tasks (this lane and the next) and a join."""
    nodes: list[Node] = []
    flows: list[Flow] = []
    column = 0

    def add(kind: str, lane: int, name: str, at: int) -> str:
        ident = f"{kind[0].upper()}{kind[1:]}_{len(nodes) + 1}"
        nodes.append(Node(ident, kind, name, at, lane))
        return ident

    def connect(source: str, target: str, kind: str = "plain") -> None:
        flows.append(Flow(f"Flow_{len(flows) + 1}", source, target, kind))

    def task_name(number: int) -> str:
        return f"{VERBS[number % len(VERBS)]} {OBJECTS[number // len(VERBS) % len(OBJECTS)]}"

    previous = add("startEvent", 0, "Request received", column)
    column += 1
    made = 0
    while made < tasks:
        lane = (made // 3) % len(ROLES)
        if made % SPLIT_EVERY == SPLIT_EVERY - 1 and tasks - made >= 2:
            other = lane + 1 if lane + 1 < len(ROLES) else lane - 1
            split = add("exclusiveGateway", lane, "Priority high?", column)
            upper = add(TASK_TYPES[made % 4], lane, task_name(made), column + 1)
            lower = add(TASK_TYPES[(made + 1) % 4], other, task_name(made + 1), column + 1)
            join = add("exclusiveGateway", lane, "", column + 2)
            connect(previous, split)
            connect(split, upper, "conditional")
            connect(split, lower, "default")
            connect(upper, join)
            connect(lower, join)
            previous, made, column = join, made + 2, column + 3
        else:
            task = add(TASK_TYPES[made % 4], lane, task_name(made), column)
            connect(previous, task)
            previous, made, column = task, made + 1, column + 1
    end = add("endEvent", (made // 3) % len(ROLES), "Request closed", column)
    connect(previous, end)
    return nodes, flows


def _size(kind: str) -> tuple[int, int]:
    if kind in TASK_TYPES:
        return SIZES["task"]
    return SIZES.get(kind, SIZES["event"])


def _bounds(x: int, y: int, width: int, height: int) -> Element:
    return Element(dc("Bounds"), {"x": str(x), "y": str(y), "width": str(width), "height": str(height)})


def build(tasks: int) -> Document:
    """The model, made with the document's own mutation API."""
    nodes, flows = plan(tasks)
    document = bpmn.new_document(f"Benchmark: {tasks} tasks")
    root = document.root
    process = bpmn.processes(document)[0]
    collaboration = bpmn.create(document, root, "collaboration", {"id": "Collaboration_1"})
    bpmn.create(
        document, collaboration, "participant", {"id": "Pool_1", "name": "IT services", "processRef": "Process_1"}
    )
    lane_set = bpmn.create(document, process, "laneSet", {"id": "LaneSet_1"})
    lanes = [
        bpmn.create(document, lane_set, "lane", {"id": f"Lane_{n + 1}", "name": role}) for n, role in enumerate(ROLES)
    ]

    incoming: dict[str, list[str]] = {}
    outgoing: dict[str, list[str]] = {}
    defaults: dict[str, str] = {}
    for flow in flows:
        outgoing.setdefault(flow.source, []).append(flow.ident)
        incoming.setdefault(flow.target, []).append(flow.ident)
        if flow.kind == "default":
            defaults[flow.source] = flow.ident

    # lane membership first (flowNodeRef in node order), then the nodes, then the flows: the
    # schema's order inside a process, so each element can simply be appended
    for node in nodes:
        document.append(lanes[node.lane], Element(bpmn_tag("flowNodeRef"), text=node.ident))
    task_number = 0
    for node in nodes:
        attributes = {"id": node.ident}
        if node.name:
            attributes["name"] = node.name
        if node.ident in defaults:
            attributes["default"] = defaults[node.ident]
        children = []
        if node.kind in TASK_TYPES:
            if task_number % TEXT_EVERY == 0:
                text = f"Step {task_number + 1}: {node.name.lower()}, then record what was done in the ticket."
                children.append(Element(bpmn_tag("documentation"), text=text))
            task_number += 1
        children += [Element(bpmn_tag("incoming"), text=ident) for ident in incoming.get(node.ident, ())]
        children += [Element(bpmn_tag("outgoing"), text=ident) for ident in outgoing.get(node.ident, ())]
        document.append(process, Element(bpmn_tag(node.kind), attributes, children))
    for flow in flows:
        attributes = {"id": flow.ident}
        if flow.kind in BRANCH_NAMES:
            attributes["name"] = BRANCH_NAMES[flow.kind]
        attributes.update(sourceRef=flow.source, targetRef=flow.target)
        element = Element(bpmn_tag("sequenceFlow"), attributes)
        document.append(process, element)
        if flow.kind == "conditional":
            condition = Element(bpmn_tag("conditionExpression"), text="${priority == 'high'}")
            document.append(element, condition)
            # declares xsi on the root the first time
            document.set_attribute(condition, f"{{{XSI}}}type", "bpmn:tFormalExpression")

    _draw(document, nodes, flows)
    return document


def _draw(document: Document, nodes: list[Node], flows: list[Flow]) -> None:
    """Shapes for the pool, the lanes and every node; edges with waypoints for every flow."""
    plane = document.root.find(bpmndi("BPMNDiagram")).find(bpmndi("BPMNPlane"))  # type: ignore[union-attr]
    document.set_attribute(plane, "bpmnElement", "Collaboration_1")
    columns = max(node.column for node in nodes) + 1
    width = MARGIN + columns * COLUMN
    document.append(
        plane,
        Element(
            bpmndi("BPMNShape"),
            {"id": "Pool_1_di", "bpmnElement": "Pool_1", "isHorizontal": "true"},
            [_bounds(0, 0, HEADER + width, len(ROLES) * LANE_HEIGHT)],
        ),
    )
    for number in range(len(ROLES)):
        lane = f"Lane_{number + 1}"
        shape = Element(bpmndi("BPMNShape"), {"id": f"{lane}_di", "bpmnElement": lane, "isHorizontal": "true"})
        document.append(plane, shape)
        document.append(shape, _bounds(HEADER, number * LANE_HEIGHT, width, LANE_HEIGHT))
    boxes: dict[str, tuple[int, int, int, int]] = {}
    for node in nodes:
        w, h = _size(node.kind)
        # centred in its column and in its lane, so it lies within the lane's bounds
        x = HEADER + MARGIN + node.column * COLUMN + (SIZES["task"][0] - w) // 2
        y = node.lane * LANE_HEIGHT + (LANE_HEIGHT - h) // 2
        attributes = {"id": f"{node.ident}_di", "bpmnElement": node.ident}
        if node.kind == "exclusiveGateway":
            attributes["isMarkerVisible"] = "true"
        document.append(plane, Element(bpmndi("BPMNShape"), attributes, [_bounds(x, y, w, h)]))
        boxes[node.ident] = (x, y, w, h)
    for flow in flows:
        sx, sy, sw, sh = boxes[flow.source]
        tx, ty, tw, th = boxes[flow.target]
        start, end = (sx + sw, sy + sh // 2), (tx, ty + th // 2)
        if start[1] == end[1]:
            points = [start, end]
        else:  # orthogonal: across, down or up, across
            middle = (start[0] + end[0]) // 2
            points = [start, (middle, start[1]), (middle, end[1]), end]
        waypoints = [Element(di("waypoint"), {"x": str(px), "y": str(py)}) for px, py in points]
        document.append(
            plane, Element(bpmndi("BPMNEdge"), {"id": f"{flow.ident}_di", "bpmnElement": flow.ident}, waypoints)
        )


def generate(tasks: int) -> bytes:
    """The model with this many tasks as BPMN XML bytes."""
    if tasks < 1:
        raise ValueError("a benchmark model needs at least one task")
    # the cyclic collector would rescan the growing tree again and again (20,000 tasks build in
    # 1.3 s without it, 3 s with it); nothing built here forms garbage cycles
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return serialize(build(tasks))
    finally:
        if was_enabled:
            gc.enable()


def main(argv: list[str]) -> int:
    if len(argv) != 2 or not argv[0].isdigit():
        print("usage: python benchmarks/generate.py TASKS OUT.bpmn", file=sys.stderr)
        return 2
    Path(argv[1]).write_bytes(generate(int(argv[0])))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
