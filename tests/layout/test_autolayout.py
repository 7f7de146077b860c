"""Auto-layout of whole diagrams: what a user sees after "Tidy up" or on opening a file without
DI (layout layer)."""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

import pytest
from bpmn_checks import moddle_warnings, xsd_errors
from conftest import miwg_files

from smo_designer.formats.bpmn import parse_bpmn, read_bpmn, serialize
from smo_designer.layout import autolayout, routing
from smo_designer.layout.autolayout import count_crossings, edge_routes, layout_diagram
from smo_designer.model import bpmn as b
from smo_designer.model import di
from smo_designer.model.di import Bounds, Point
from smo_designer.model.document import Document
from smo_designer.model.element import Element

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from generate import build  # noqa: E402

REFERENCES = pytest.mark.parametrize("reference", miwg_files(), ids=lambda p: p.stem)
CONTAINERS = ("participant", "lane", "group")


# --- what a clean diagram is -------------------------------------------------------------------


def without_di(document: Document) -> Document:
    for diagram in list(di.diagrams(document)):
        document.remove(diagram)
    return document


def load_without_di(path: Path) -> Document:
    return without_di(read_bpmn(path).document)


def laid_out(document: Document) -> Document:
    with document.edit("Tidy up"):
        layout_diagram(document)
    return document


def shapes_of(document: Document, plane: Element) -> dict[str, tuple[Element, Bounds]]:
    found = {}
    for child in plane.children:
        if di.is_shape(child):
            element = document.element(child.get("bpmnElement"))
            box = di.bounds(child)
            if element is not None and box is not None:
                found[element.id] = (child, box)
    return found


def inside(outer: Bounds, inner: Bounds) -> bool:
    return (
        outer.x <= inner.x + 0.01
        and outer.y <= inner.y + 0.01
        and inner.x + inner.width <= outer.x + outer.width + 0.01
        and inner.y + inner.height <= outer.y + outer.height + 0.01
    )


def overlap(a: Bounds, c: Bounds) -> bool:
    return a.x < c.x + c.width and c.x < a.x + a.width and a.y < c.y + c.height and c.y < a.y + a.height


def is_container(shape: Element, element: Element) -> bool:
    if element.local in CONTAINERS:
        return True
    expandable = element.local in b.SUBPROCESS_TYPES or element.local == "callActivity"
    return expandable and di.is_expanded(shape) is True


def nested(a: Element, c: Element) -> bool:
    return any(ancestor is c for ancestor in a.ancestors()) or any(ancestor is a for ancestor in c.ancestors())


def layout_problems(document: Document, only: set[str] | None = None) -> list[str]:
    """What a user would call wrong: a node outside its lane, shapes on top of each other, a
    flow with a slanted segment, loose from its shapes or running through another shape.
    `only`: check just these elements (and what touches them)."""
    problems: list[str] = []
    for diagram in di.diagrams(document):
        plane = di.plane(diagram)
        shapes = shapes_of(document, plane)
        for lane_id, (_, lane_box) in shapes.items():
            lane = document.element(lane_id)
            if lane.local != "lane":
                continue
            for ref in lane.iter(b.bpmn("flowNodeRef")):
                node = (ref.text or "").strip()
                if node in shapes and (only is None or node in only) and not inside(lane_box, shapes[node][1]):
                    problems.append(f"{node} is outside its lane {lane.get('name')}")
        solid = [
            (ident, element_box)
            for ident, (shape, element_box) in shapes.items()
            if not is_container(shape, document.element(ident))
        ]
        for index, (first, first_box) in enumerate(solid):
            for second, second_box in solid[index + 1 :]:
                if only is not None and first not in only and second not in only:
                    continue
                a, c = document.element(first), document.element(second)
                if nested(a, c) or second == a.get("attachedToRef") or first == c.get("attachedToRef"):
                    continue
                if overlap(first_box, second_box):
                    problems.append(f"{first} overlaps {second}")
        for child in plane.children:
            if not di.is_edge(child):
                continue
            connection = document.element(child.get("bpmnElement"))
            if connection is None:
                continue  # an edge of something the file does not define (kept as it was)
            source, target = b.connection_ends(connection)
            if only is not None and not ({connection.id, source, target} & only):
                continue
            points = di.waypoints(child)
            if not routing.is_orthogonal(points):
                problems.append(f"{connection.id} has a slanted segment")
            for end, point in ((source, points[0]), (target, points[-1])):
                if end in shapes and not routing.on_border(shapes[end][1], point):
                    problems.append(f"{connection.id} is loose from {end}")
            for ident, box in solid:
                if ident in (source, target):
                    continue
                if any(routing.segment_enters(box, p, q) for p, q in zip(points, points[1:], strict=False)):
                    problems.append(f"{connection.id} runs through {ident}")
    return problems


def drawn(document: Document) -> set[str]:
    return {(e.get("bpmnElement") or "").rpartition(":")[2] for e in di.diagram_elements(document)}


# --- the 21 MIWG references, their DI removed -----------------------------------------------------


@REFERENCES
def test_every_reference_without_di_gets_a_clean_layout(reference: Path) -> None:
    document = laid_out(load_without_di(reference))
    assert layout_problems(document) == []


@REFERENCES
def test_every_node_and_flow_of_a_reference_is_drawn(reference: Path) -> None:
    document = laid_out(load_without_di(reference))
    shown = drawn(document)
    for process in b.processes(document):
        for element in b.flow_elements(process):
            if element.local in b.FLOW_NODE_TYPES or element.local in ("dataObjectReference", "dataStoreReference"):
                assert element.id in shown, element
    for connection in document.root.iter():
        if connection.local in ("sequenceFlow", "messageFlow") and connection.id:
            ends = b.connection_ends(connection)
            if all(end in shown for end in ends):
                assert connection.id in shown, connection


@REFERENCES
def test_laying_out_a_reference_twice_gives_the_same_bytes(reference: Path) -> None:
    first = serialize(laid_out(load_without_di(reference)))
    second = serialize(laid_out(load_without_di(reference)))
    assert first == second


@REFERENCES
def test_a_laid_out_reference_stays_valid_against_the_xsd(reference: Path) -> None:
    assert xsd_errors(serialize(laid_out(load_without_di(reference)))) == []


def test_bpmn_moddle_reads_the_laid_out_references_without_new_warnings(bpmn_moddle: Path, tmp_path: Path) -> None:
    laid, bare = [], []
    for reference in miwg_files():
        document = load_without_di(reference)
        (tmp_path / f"bare-{reference.name}").write_bytes(serialize(document))
        (tmp_path / reference.name).write_bytes(serialize(laid_out(document)))
        laid.append(tmp_path / reference.name)
        bare.append(tmp_path / f"bare-{reference.name}")
    warnings = moddle_warnings(bpmn_moddle, laid)
    before = moddle_warnings(bpmn_moddle, bare)
    for path in laid:
        got = [w["message"] for w in warnings[str(path)]]
        had = [w["message"] for w in before[str(path.parent / f"bare-{path.name}")]]
        # only what the file itself left unresolved, as it did before the layout
        assert got == had, (path.name, got)


def test_crossings_are_counted_for_the_references() -> None:
    # the table in docs/layout.md comes from this counter; a reference with none stays at none
    for name in ("A.1.0", "A.2.0", "C.1.1"):
        reference = next(p for p in miwg_files() if p.stem == name)
        document = laid_out(load_without_di(reference))
        plane = di.plane(di.diagrams(document)[0])
        assert count_crossings(edge_routes(document, plane)) == 0


def test_a_diagram_is_made_for_each_collaboration_and_for_processes_no_pool_holds() -> None:
    reference = next(p for p in miwg_files() if p.stem == "C.4.0")  # four collaborations
    document = laid_out(load_without_di(reference))
    roots = [plane.get("bpmnElement") for plane in map(di.plane, di.diagrams(document))]
    assert roots == [c.id for c in b.collaborations(document)]


# --- generated swimlane models ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def generated() -> Document:
    return laid_out(without_di(build(300)))


def test_a_generated_model_is_laid_out_cleanly(generated: Document) -> None:
    assert layout_problems(generated) == []


def test_lanes_are_stacked_in_pool_order_and_sized_to_their_content(generated: Document) -> None:
    plane = di.plane(di.diagrams(generated)[0])
    shapes = shapes_of(generated, plane)
    process = b.processes(generated)[0]
    lanes = b.lanes(process)
    boxes = [shapes[lane.id][1] for lane in lanes]
    for upper, lower in zip(boxes, boxes[1:], strict=False):
        assert upper.y + upper.height == pytest.approx(lower.y)  # stacked, no gap, in document order
    pool = shapes["Pool_1"][1]
    assert pool.y == boxes[0].y and pool.y + pool.height == pytest.approx(boxes[-1].y + boxes[-1].height)
    for lane, box in zip(lanes, boxes, strict=True):
        nodes = [shapes[ref.text][1] for ref in lane.findall(b.bpmn("flowNodeRef"))]
        lowest = max(n.y + n.height for n in nodes)
        highest = min(n.y for n in nodes)
        # no more room than the lane's padding above and below its content
        assert highest - box.y <= 80 and box.y + box.height - lowest <= 80


def test_steps_in_one_lane_follow_on_one_straight_line(generated: Document) -> None:
    plane = di.plane(di.diagrams(generated)[0])
    process = b.processes(generated)[0]
    lane_of = {ref.text: lane.id for lane in b.lanes(process) for ref in lane.findall(b.bpmn("flowNodeRef"))}
    straight = total = 0
    for child in plane.children:
        if di.is_edge(child):
            flow = generated.element(child.get("bpmnElement"))
            source, target = b.connection_ends(flow)
            kinds = {generated.element(source).local, generated.element(target).local}
            if lane_of[source] == lane_of[target] and not kinds & b.GATEWAY_TYPES:
                total += 1
                straight += len(di.waypoints(child)) == 2
    assert total > 100 and straight == total


def test_a_split_gateway_sends_its_branch_to_the_next_lane_from_its_bottom_corner(generated: Document) -> None:
    plane = di.plane(di.diagrams(generated)[0])
    shapes = shapes_of(generated, plane)
    flow = next(f for f in b.processes(generated)[0].findall(b.bpmn("sequenceFlow")) if f.get("name") == "no")
    gateway = shapes[flow.get("sourceRef")][1]
    points = di.waypoints(next(c for c in plane.children if c.get("bpmnElement") == flow.id))
    assert points[0] == Point(gateway.x + gateway.width / 2, gateway.y + gateway.height)
    assert points[1].x == points[0].x and points[1].y > points[0].y


def test_a_gateway_whose_branch_leaves_downwards_has_its_name_above_clear_of_every_flow(generated: Document) -> None:
    plane = di.plane(di.diagrams(generated)[0])
    shapes = shapes_of(generated, plane)
    routes = edge_routes(generated, plane)
    flow = next(f for f in b.processes(generated)[0].findall(b.bpmn("sequenceFlow")) if f.get("name") == "no")
    gateway_shape, gateway = shapes[flow.get("sourceRef")]
    label = di.label_bounds(gateway_shape)
    assert label is not None and label.y + label.height < gateway.y
    assert abs((label.x + label.width / 2) - (gateway.x + gateway.width / 2)) < 0.5
    for route in routes:
        for start, end in itertools.pairwise(route):
            segment = Bounds(min(start.x, end.x), min(start.y, end.y), abs(end.x - start.x), abs(end.y - start.y))
            assert not overlap(segment, label), (route, label)


def test_every_flow_of_a_generated_model_goes_left_to_right(generated: Document) -> None:
    plane = di.plane(di.diagrams(generated)[0])
    shapes = shapes_of(generated, plane)
    for flow in b.processes(generated)[0].findall(b.bpmn("sequenceFlow")):
        source, target = shapes[flow.get("sourceRef")][1], shapes[flow.get("targetRef")][1]
        assert target.x > source.x + source.width


# --- small models, one behaviour each ------------------------------------------------------------

HEADER = """<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D" targetNamespace="t">
"""


def model(body: str) -> Document:
    return parse_bpmn((HEADER + body + "</definitions>").encode()).document


def flow(ident: str, source: str, target: str) -> str:
    return f'<sequenceFlow id="{ident}" sourceRef="{source}" targetRef="{target}"/>'


def boxes(document: Document) -> dict[str, Bounds]:
    return {ident: box for ident, (_, box) in shapes_of(document, di.plane(di.diagrams(document)[0])).items()}


def route_of(document: Document, ident: str) -> list[Point]:
    plane = di.plane(di.diagrams(document)[0])
    return di.waypoints(next(c for c in plane.children if c.get("bpmnElement") == ident))


def test_a_process_without_pools_or_lanes_gets_a_plain_left_to_right_layout_with_bpmn_js_sizes() -> None:
    document = laid_out(
        model(
            '<process id="P"><startEvent id="S"/><task id="T"/><exclusiveGateway id="G"/>'
            '<endEvent id="E"/><dataStoreReference id="DS"/>'
            f"{flow('f1', 'S', 'T')}{flow('f2', 'T', 'G')}{flow('f3', 'G', 'E')}</process>"
        )
    )
    shapes = boxes(document)
    assert not any(document.element(i).local in CONTAINERS for i in shapes)
    assert (shapes["S"].width, shapes["S"].height) == (36, 36)
    assert (shapes["T"].width, shapes["T"].height) == (100, 80)
    assert (shapes["G"].width, shapes["G"].height) == (50, 50)
    assert (shapes["DS"].width, shapes["DS"].height) == (50, 50)
    assert shapes["S"].x < shapes["T"].x < shapes["G"].x < shapes["E"].x
    assert all(len(route_of(document, f)) == 2 for f in ("f1", "f2", "f3"))  # one straight line
    assert layout_problems(document) == []


def test_a_process_with_lanes_but_no_pool_gets_its_lanes_drawn() -> None:
    document = laid_out(
        model(
            '<process id="P"><laneSet id="LS"><lane id="L1"><flowNodeRef>S</flowNodeRef></lane>'
            '<lane id="L2"><flowNodeRef>T</flowNodeRef></lane></laneSet>'
            f'<startEvent id="S"/><task id="T"/>{flow("f1", "S", "T")}</process>'
        )
    )
    shapes = boxes(document)
    assert inside(shapes["L1"], shapes["S"]) and inside(shapes["L2"], shapes["T"])
    assert shapes["L1"].y + shapes["L1"].height == shapes["L2"].y
    assert layout_problems(document) == []


def test_a_loop_back_goes_round_below_the_steps() -> None:
    document = laid_out(
        model(
            '<process id="P"><startEvent id="S"/><task id="A"/><task id="B"/><exclusiveGateway id="G"/>'
            f'<endEvent id="E"/>{flow("f1", "S", "A")}{flow("f2", "A", "B")}{flow("f3", "B", "G")}'
            f"{flow('back', 'G', 'A')}{flow('f5', 'G', 'E')}</process>"
        )
    )
    shapes = boxes(document)
    points = route_of(document, "back")
    lowest = max(shapes[n].y + shapes[n].height for n in ("A", "B", "G"))
    assert points[0] == Point(shapes["G"].x + 25, shapes["G"].y + 50)  # out of the gateway's bottom
    assert points[-1] == Point(shapes["A"].x + 50, shapes["A"].y + 80)  # into the task's bottom
    assert max(p.y for p in points) > lowest
    assert layout_problems(document) == []


def test_a_boundary_event_sits_on_its_activity_and_its_flow_leaves_downwards() -> None:
    document = laid_out(
        model(
            '<process id="P"><startEvent id="S"/><task id="T"/><endEvent id="E"/>'
            '<boundaryEvent id="B" attachedToRef="T"><timerEventDefinition id="TD"/></boundaryEvent>'
            '<task id="X"/><endEvent id="E2"/>'
            f"{flow('f1', 'S', 'T')}{flow('f2', 'T', 'E')}{flow('late', 'B', 'X')}{flow('f4', 'X', 'E2')}"
            "</process>"
        )
    )
    shapes = boxes(document)
    task, event = shapes["T"], shapes["B"]
    assert event.y + event.height / 2 == task.y + task.height  # centred on the bottom border
    assert task.x <= event.x and event.x + event.width <= task.x + task.width
    points = route_of(document, "late")
    assert points[0] == Point(event.x + event.width / 2, event.y + event.height)
    assert points[1].x == points[0].x and points[1].y > points[0].y
    assert shapes["X"].y > task.y + task.height  # the exception path runs below the normal one
    assert layout_problems(document) == []


def test_an_expanded_sub_process_holds_its_laid_out_content() -> None:
    document = laid_out(
        model(
            '<process id="P"><startEvent id="S"/><subProcess id="SP"><startEvent id="S2"/><task id="T2"/>'
            f'<endEvent id="E2"/>{flow("i1", "S2", "T2")}{flow("i2", "T2", "E2")}</subProcess>'
            f'<subProcess id="Empty"/><endEvent id="E"/>{flow("f1", "S", "SP")}{flow("f2", "SP", "Empty")}'
            f"{flow('f3', 'Empty', 'E')}</process>"
        )
    )
    shapes = boxes(document)
    for child in ("S2", "T2", "E2"):
        assert inside(shapes["SP"], shapes[child])
    plane = di.plane(di.diagrams(document)[0])
    assert shapes_of(document, plane)["SP"][0].get("isExpanded") == "true"
    assert shapes_of(document, plane)["Empty"][0].get("isExpanded") == "false"
    assert (shapes["Empty"].width, shapes["Empty"].height) == (100, 80)
    assert layout_problems(document) == []


def test_a_data_object_sits_above_its_step_joined_by_a_straight_line() -> None:
    document = laid_out(
        model(
            '<process id="P"><startEvent id="S"/><task id="T"><dataOutputAssociation id="DA">'
            "<targetRef>DO</targetRef></dataOutputAssociation></task>"
            f'<dataObjectReference id="DO" dataObjectRef="D"/><dataObject id="D"/>{flow("f1", "S", "T")}'
            "</process>"
        )
    )
    shapes = boxes(document)
    task, data = shapes["T"], shapes["DO"]
    assert (data.width, data.height) == (36, 50)
    assert data.y + data.height < task.y
    assert data.x + data.width / 2 == task.x + task.width / 2
    assert route_of(document, "DA") == [Point(task.x + 50, task.y), Point(task.x + 50, data.y + data.height)]


def test_pools_are_stacked_and_message_flows_drop_between_them() -> None:
    document = laid_out(
        model(
            '<collaboration id="C"><participant id="P1" processRef="A"/><participant id="P2" processRef="B"/>'
            '<participant id="Black"/>'
            '<messageFlow id="m1" sourceRef="A2" targetRef="B1"/><messageFlow id="m2" sourceRef="B2" targetRef="A3"/>'
            '<messageFlow id="m3" sourceRef="B2" targetRef="Black"/></collaboration>'
            f'<process id="A"><startEvent id="A1"/><sendTask id="A2"/><receiveTask id="A3"/><endEvent id="A4"/>'
            f"{flow('a1', 'A1', 'A2')}{flow('a2', 'A2', 'A3')}{flow('a3', 'A3', 'A4')}</process>"
            f'<process id="B"><startEvent id="B1"/><task id="B2"/><endEvent id="B3"/>'
            f"{flow('b1', 'B1', 'B2')}{flow('b2', 'B2', 'B3')}</process>"
        )
    )
    shapes = boxes(document)
    pools = [shapes["P1"], shapes["P2"], shapes["Black"]]
    for upper, lower in zip(pools, pools[1:], strict=False):
        assert upper.y + upper.height < lower.y
        assert (upper.x, upper.width) == (lower.x, lower.width)
    assert shapes["Black"].height == 60
    for message in ("m1", "m2", "m3"):
        points = route_of(document, message)
        assert points[0].x == points[1].x and points[-1].x == points[-2].x  # vertical at both ends
    assert shapes["B1"].x > shapes["A2"].x  # the message's receiver comes after its sender
    assert route_of(document, "m3")[-1].y == shapes["Black"].y  # onto the black box's border
    assert layout_problems(document) == []


def test_a_drawn_diagram_tidied_up_keeps_its_lane_order_and_undoes_in_one_step() -> None:
    reference = next(p for p in miwg_files() if p.stem == "C.1.0")
    document = read_bpmn(reference).document
    plane = di.plane(di.diagrams(document)[0])
    lanes_before = sorted(
        (box.y, ident)
        for ident, (_, box) in shapes_of(document, plane).items()
        if ident in {lane.id for lane in document.root.iter(b.bpmn("lane"))}
    )
    start = document.content()
    with document.edit("Tidy up") as edit:
        layout_diagram(document, plane)
    lanes_after = sorted(
        (box.y, ident)
        for ident, (_, box) in shapes_of(document, plane).items()
        if ident in {lane.id for lane in document.root.iter(b.bpmn("lane"))}
    )
    assert [i for _, i in lanes_after] == [i for _, i in lanes_before]
    assert layout_problems(document) == []
    assert edit.changes
    edit.undo(document)
    assert document.content() == start
    edit.redo(document)
    assert layout_problems(document) == []


def test_tidying_up_a_laid_out_diagram_changes_nothing() -> None:
    document = laid_out(without_di(build(40)))
    once = serialize(document)
    with document.edit("Tidy up") as edit:
        layout_diagram(document)
    assert serialize(document) == once and edit.changes == []


def test_a_new_document_gets_one_diagram_for_its_process() -> None:
    document = model(f'<process id="P"><startEvent id="S"/><endEvent id="E"/>{flow("f", "S", "E")}</process>')
    laid_out(document)
    assert [di.plane(d).get("bpmnElement") for d in di.diagrams(document)] == ["P"]
    assert drawn(document) == {"P", "S", "E", "f"} - {"P"}


# --- the crossing counter -----------------------------------------------------------------------


def test_the_crossing_counter_counts_crossings_not_touches() -> None:
    cross = [[Point(0, 5), Point(10, 5)], [Point(5, 0), Point(5, 10)]]
    touch = [[Point(0, 5), Point(10, 5)], [Point(10, 5), Point(10, 20)]]
    shared = [[Point(0, 5), Point(10, 5)], [Point(0, 5), Point(10, 5), Point(10, 8)]]
    slanted = [[Point(0, 0), Point(400, 400)], [Point(0, 400), Point(400, 0)]]
    assert count_crossings(cross) == 1
    assert count_crossings(touch) == 0
    assert count_crossings(shared) == 0
    assert count_crossings(slanted) == 1
    assert count_crossings([[Point(0, 0), Point(10, 0), Point(10, 10), Point(0, 10), Point(5, -5)]]) == 0


def test_node_sizes_follow_bpmn_js() -> None:
    assert autolayout.node_size("userTask") == (100, 80)
    assert autolayout.node_size("boundaryEvent") == (36, 36)
    assert autolayout.node_size("parallelGateway") == (50, 50)
    assert autolayout.node_size("dataObjectReference") == (36, 50)
    assert autolayout.node_size("dataStoreReference") == (50, 50)
