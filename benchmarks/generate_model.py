"""Generate large swimlane models for benchmarks: one pool, 12 lanes, tasks of several types,
exclusive splits and joins with conditional and default flows, and full DI.

    python benchmarks/generate_model.py 5000 OUT.bpmn

The output is deterministic (the same size gives the same bytes), XSD-valid and parses in
bpmn-moddle without warnings. It is written with lxml directly, so that generating 20,000
tasks stays quick and does not depend on the code being measured.
"""

from __future__ import annotations

import sys
from pathlib import Path

from lxml import etree

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
DI = "http://www.omg.org/spec/DD/20100524/DI"
NSMAP = {"bpmn": BPMN, "bpmndi": BPMNDI, "dc": DC, "di": DI}
LANES = 12
LANE_HEIGHT = 140
LANE_HEADER = 30
COLUMN = 150
TASK_TYPES = ("userTask", "serviceTask", "manualTask", "task")


def _e(parent, namespace: str, local: str, **attributes: str):
    return etree.SubElement(parent, f"{{{namespace}}}{local}", {k: v for k, v in attributes.items()})


def generate(tasks: int) -> bytes:
    definitions = etree.Element(
        f"{{{BPMN}}}definitions",
        {"id": "Definitions_bench", "name": f"Benchmark {tasks}", "targetNamespace": "https://smo-designer.org/bench"},
        nsmap=NSMAP,
    )
    collaboration = _e(definitions, BPMN, "collaboration", id="Collaboration_1")
    _e(collaboration, BPMN, "participant", id="Pool_1", name="Service provider", processRef="Process_1")
    process = _e(definitions, BPMN, "process", id="Process_1", isExecutable="false")
    lane_set = _e(process, BPMN, "laneSet", id="LaneSet_1")
    lanes = [_e(lane_set, BPMN, "lane", id=f"Lane_{i + 1}", name=f"Role {i + 1}") for i in range(LANES)]

    # nodes: (id, kind, column, lane); flows: (id, source, target, kind) with kind plain/conditional/default
    nodes: list[tuple[str, str, int, int]] = []
    flows: list[tuple[str, str, str, str]] = []
    column = 0

    def add(kind: str, lane: int) -> str:
        nonlocal column
        ident = f"{kind[0].upper()}{kind[1:]}_{len(nodes) + 1}"
        nodes.append((ident, kind, column, lane))
        return ident

    def connect(source: str, target: str, kind: str = "plain") -> None:
        flows.append((f"Flow_{len(flows) + 1}", source, target, kind))

    previous = add("startEvent", 0)
    column += 1
    made = 0
    while made < tasks:
        lane = (made // 3) % LANES
        if made % 10 == 9 and tasks - made >= 2:
            split = add("exclusiveGateway", lane)
            connect(previous, split)
            column += 1
            upper = add(TASK_TYPES[made % 4], lane)
            lower = add(TASK_TYPES[(made + 1) % 4], (lane + 1) % LANES)
            connect(split, upper, "conditional")
            connect(split, lower, "default")
            column += 1
            join = add("exclusiveGateway", lane)
            connect(upper, join)
            connect(lower, join)
            previous = join
            made += 2
        else:
            task = add(TASK_TYPES[made % 4], lane)
            connect(previous, task)
            previous = task
            made += 1
        column += 1
    end = add("endEvent", (made // 3) % LANES)
    connect(previous, end)

    incoming: dict[str, list[str]] = {}
    outgoing: dict[str, list[str]] = {}
    defaults: dict[str, str] = {}
    for ident, source, target, kind in flows:
        outgoing.setdefault(source, []).append(ident)
        incoming.setdefault(target, []).append(ident)
        if kind == "default":
            defaults[source] = ident
    for ident, _kind, _, lane in nodes:
        _e(lanes[lane], BPMN, "flowNodeRef").text = ident
    for number, (ident, kind, _, _) in enumerate(nodes):
        attributes = {"id": ident, "name": f"{kind} {number}"}
        if ident in defaults:
            attributes["default"] = defaults[ident]
        node = _e(process, BPMN, kind, **attributes)
        if kind in TASK_TYPES and number % 5 == 0:
            _e(node, BPMN, "documentation").text = f"Step {number}: check the record and update the ticket."
        for flow in incoming.get(ident, []):
            _e(node, BPMN, "incoming").text = flow
        for flow in outgoing.get(ident, []):
            _e(node, BPMN, "outgoing").text = flow
    for ident, source, target, kind in flows:
        flow = _e(process, BPMN, "sequenceFlow", id=ident, sourceRef=source, targetRef=target)
        if kind == "conditional":
            flow.set("name", "priority high")
            condition = _e(flow, BPMN, "conditionExpression")
            condition.set("{http://www.w3.org/2001/XMLSchema-instance}type", "bpmn:tFormalExpression")
            condition.text = "priority == 'high'"

    width = (column + 1) * COLUMN
    diagram = _e(definitions, BPMNDI, "BPMNDiagram", id="Diagram_1")
    plane = _e(diagram, BPMNDI, "BPMNPlane", id="Plane_1", bpmnElement="Collaboration_1")
    pool = _e(plane, BPMNDI, "BPMNShape", id="Pool_1_di", bpmnElement="Pool_1", isHorizontal="true")
    _e(pool, DC, "Bounds", x="0", y="0", width=str(width + LANE_HEADER), height=str(LANES * LANE_HEIGHT))
    for i in range(LANES):
        shape = _e(plane, BPMNDI, "BPMNShape", id=f"Lane_{i + 1}_di", bpmnElement=f"Lane_{i + 1}", isHorizontal="true")
        _e(shape, DC, "Bounds", x=str(LANE_HEADER), y=str(i * LANE_HEIGHT), width=str(width), height=str(LANE_HEIGHT))
    centre: dict[str, tuple[int, int, int]] = {}
    for ident, kind, col, lane in nodes:
        if kind in TASK_TYPES:
            w, h = 100, 80
        elif kind == "exclusiveGateway":
            w, h = 50, 50
        else:
            w, h = 36, 36
        x = LANE_HEADER + 20 + col * COLUMN + (100 - w) // 2
        y = lane * LANE_HEIGHT + (LANE_HEIGHT - h) // 2
        attributes = {"id": f"{ident}_di", "bpmnElement": ident}
        if kind == "exclusiveGateway":
            attributes["isMarkerVisible"] = "true"
        shape = _e(plane, BPMNDI, "BPMNShape", **attributes)
        _e(shape, DC, "Bounds", x=str(x), y=str(y), width=str(w), height=str(h))
        centre[ident] = (x, y, w, h)
    for ident, source, target, _ in flows:
        sx, sy, sw, sh = centre[source]
        tx, ty, tw, th = centre[target]
        start = (sx + sw, sy + sh // 2)
        end = (tx, ty + th // 2)
        middle = (start[0] + end[0]) // 2
        edge = _e(plane, BPMNDI, "BPMNEdge", id=f"{ident}_di", bpmnElement=ident)
        points = [start, (middle, start[1]), (middle, end[1]), end] if start[1] != end[1] else [start, end]
        for px, py in points:
            _e(edge, DI, "waypoint", x=str(px), y=str(py))
    etree.indent(definitions, space="  ")
    return etree.tostring(definitions, xml_declaration=True, encoding="UTF-8") + b"\n"


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__)
        return 2
    Path(argv[1]).write_bytes(generate(int(argv[0])))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
