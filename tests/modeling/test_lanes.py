"""Pools and lanes as a user edits them (modeling layer): what the lanes look like afterwards,
which lanes list which nodes, one exactly reversible edit per operation, and files that stay
valid BPMN, in horizontal and vertical pools, with nested lanes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from bpmn_checks import moddle_warnings, xsd_errors
from conftest import MIWG, ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smo_designer.formats.bpmn import parse_bpmn, serialize, write_bpmn
from smo_designer.layout import routing
from smo_designer.model import bpmn as b
from smo_designer.model import di, smo
from smo_designer.model.di import Bounds, Point
from smo_designer.model.document import Document
from smo_designer.model.element import Element
from smo_designer.model.namespaces import bpmn, bpmndi
from smo_designer.modeling import geometry, lanes
from smo_designer.modeling.lanes import DEFAULT_LANE, FIT_MARGIN, HEADER, MIN_LANE
from smo_designer.modeling.shapes import ModelingError

SAMPLE = ROOT / "samples" / "incident-management.bpmn"
TOLERANCE = 0.01
ORIENTATIONS = pytest.mark.parametrize("horizontal", [True, False], ids=["horizontal", "vertical"])


# --- a generated model: one pool, lanes (some nested), tasks, flows -----------------------------

POOL_START = 100.0  # the pool's corner, on both axes
POOL_LENGTH = 1000.0  # along the flow
TASK_LENGTH, TASK_DEPTH = 100.0, 80.0  # a task's size along and across the flow


def _box(horizontal: bool, along: float, across: float, length: float, depth: float) -> str:
    x, y, w, h = (along, across, length, depth) if horizontal else (across, along, depth, length)
    return f'<dc:Bounds x="{x:g}" y="{y:g}" width="{w:g}" height="{h:g}"/>'


def swimlane_model(
    lane_sizes: list[float | list[float]],
    tasks: list[tuple[tuple[int, ...], float]],
    *,
    horizontal: bool = True,
    parents_list_nodes: bool = True,
    flows: bool = True,
) -> bytes:
    """A BPMN file written out directly (not with the code under test): a pool of POOL_LENGTH
    whose lanes have the given sizes across the flow (a list of sizes is a lane divided into
    nested lanes; no lanes: a pool 250 across), and tasks placed in the middle of the lane at a
    path (lane index, nested index) at an offset along the flow. Consecutive tasks are joined by
    sequence flows."""
    semantic: list[str] = []
    shapes: list[str] = []
    total = sum(sum(size) if isinstance(size, list) else size for size in lane_sizes) or 250.0
    shapes.append(
        f'<bpmndi:BPMNShape id="Pool_di" bpmnElement="Pool" isHorizontal="{str(horizontal).lower()}">'
        + _box(horizontal, POOL_START, POOL_START, POOL_LENGTH, total)
        + "</bpmndi:BPMNShape>"
    )
    # where each lane path lies across the flow, and its along start
    places: dict[tuple[int, ...], tuple[float, float, float]] = {}
    cursor = POOL_START
    for i, size in enumerate(lane_sizes):
        outer = sum(size) if isinstance(size, list) else size
        places[(i,)] = (cursor, cursor + outer, POOL_START + HEADER)
        if isinstance(size, list):
            inner = cursor
            for j, child in enumerate(size):
                places[(i, j)] = (inner, inner + child, POOL_START + 2 * HEADER)
                inner += child
        cursor += outer
    members: dict[tuple[int, ...], list[str]] = {path: [] for path in places}
    task_xml, flow_xml = [], []
    centres: list[tuple[str, float, float]] = []
    for number, (path, offset) in enumerate(tasks, start=1):
        ident = f"Task_{number}"
        start, end, _ = places[path]
        along = POOL_START + 2 * HEADER + 40 + offset
        across = (start + end) / 2 - TASK_DEPTH / 2
        shapes.append(
            f'<bpmndi:BPMNShape id="{ident}_di" bpmnElement="{ident}">'
            + _box(horizontal, along, across, TASK_LENGTH, TASK_DEPTH)
            + "</bpmndi:BPMNShape>"
        )
        centres.append((ident, along, across))
        members[path].append(ident)
        if len(path) == 2 and parents_list_nodes:
            members[path[:1]].append(ident)
    for number in range(1, len(tasks)) if flows else ():
        source, target = f"Task_{number}", f"Task_{number + 1}"
        flow = f"Flow_{number}"
        flow_xml.append(f'<bpmn:sequenceFlow id="{flow}" sourceRef="{source}" targetRef="{target}"/>')
        _, a_along, a_across = centres[number - 1]
        _, c_along, c_across = centres[number]

        def bounds(along: float, across: float) -> Bounds:
            if horizontal:
                return Bounds(along, across, TASK_LENGTH, TASK_DEPTH)
            return Bounds(across, along, TASK_DEPTH, TASK_LENGTH)

        points = routing.route(bounds(a_along, a_across), bounds(c_along, c_across))
        shapes.append(
            f'<bpmndi:BPMNEdge id="{flow}_di" bpmnElement="{flow}">'
            + "".join(f'<di:waypoint x="{p.x:g}" y="{p.y:g}"/>' for p in points)
            + "</bpmndi:BPMNEdge>"
        )
    for number in range(1, len(tasks) + 1):
        incoming = f"<bpmn:incoming>Flow_{number - 1}</bpmn:incoming>" if flows and number > 1 else ""
        outgoing = f"<bpmn:outgoing>Flow_{number}</bpmn:outgoing>" if flows and number < len(tasks) else ""
        task_xml.append(f'<bpmn:task id="Task_{number}" name="Task {number}">{incoming}{outgoing}</bpmn:task>')

    def lane_xml(path: tuple[int, ...], children: list[float] | None) -> str:
        ident = "Lane_" + "_".join(str(p) for p in path)
        refs = "".join(f"<bpmn:flowNodeRef>{m}</bpmn:flowNodeRef>" for m in members[path])
        nested = ""
        if children is not None:
            nested = (
                f'<bpmn:childLaneSet id="LaneSet_{ident}">'
                + "".join(lane_xml((*path, j), None) for j in range(len(children)))
                + "</bpmn:childLaneSet>"
            )
        start, end, along = places[path]
        shapes.append(
            f'<bpmndi:BPMNShape id="{ident}_di" bpmnElement="{ident}" isHorizontal="{str(horizontal).lower()}">'
            + _box(horizontal, along, start, POOL_START + POOL_LENGTH - along, end - start)
            + "</bpmndi:BPMNShape>"
        )
        return f'<bpmn:lane id="{ident}" name="{ident}">{refs}{nested}</bpmn:lane>'

    lane_set = ""
    if lane_sizes:
        lane_set = (
            '<bpmn:laneSet id="LaneSet_1">'
            + "".join(lane_xml((i,), size if isinstance(size, list) else None) for i, size in enumerate(lane_sizes))
            + "</bpmn:laneSet>"
        )
    semantic.append(
        '<bpmn:collaboration id="Collaboration_1">'
        '<bpmn:participant id="Pool" name="Pool" processRef="Process_1"/></bpmn:collaboration>'
        f'<bpmn:process id="Process_1" isExecutable="false">{lane_set}{"".join(task_xml)}{"".join(flow_xml)}'
        "</bpmn:process>"
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
        'xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" '
        'xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" '
        'id="Definitions_1" targetNamespace="http://example.org/lanes">'
        + "".join(semantic)
        + '<bpmndi:BPMNDiagram id="Diagram_1"><bpmndi:BPMNPlane id="Plane_1" bpmnElement="Collaboration_1">'
        + "".join(shapes)
        + "</bpmndi:BPMNPlane></bpmndi:BPMNDiagram></bpmn:definitions>"
    ).encode()


def load(data: bytes) -> tuple[Document, Element]:
    result = parse_bpmn(data)
    document = result.document
    plane = di.plane(di.diagrams(document)[0])
    assert plane is not None
    return document, plane


def load_file(path: Path) -> tuple[Document, Element]:
    return load(path.read_bytes())


THREE_LANES = [150.0, 150.0, 150.0]


def three_lane_pool(horizontal: bool) -> tuple[Document, Element]:
    """Three lanes of 150; two tasks in each."""
    tasks = [((0,), 0), ((0,), 200), ((1,), 400), ((1,), 600), ((2,), 300), ((2,), 700)]
    return load(swimlane_model(THREE_LANES, tasks, horizontal=horizontal))


def nested_pool(horizontal: bool) -> tuple[Document, Element]:
    """Lane 0 (150), lane 1 divided into 100 + 120, lane 2 (150); a task in each innermost lane."""
    tasks = [((0,), 0), ((1, 0), 200), ((1, 1), 400), ((2,), 600)]
    return load(swimlane_model([150.0, [100.0, 120.0], 150.0], tasks, horizontal=horizontal))


# --- what a user sees ---------------------------------------------------------------------------


def drawing(document: Document, plane: Element, ident: str) -> Element:
    found = di.plane_index(document, plane).drawing(ident)
    assert found is not None, ident
    return found


def box(document: Document, plane: Element, ident: str) -> Bounds:
    return geometry.bounds_of(drawing(document, plane, ident))


def across(bounds: Bounds, horizontal: bool) -> tuple[float, float]:
    """(start, end) across the flow: y in a horizontal pool, x in a vertical one."""
    return (bounds.y, bounds.y + bounds.height) if horizontal else (bounds.x, bounds.x + bounds.width)


def along(bounds: Bounds, horizontal: bool) -> tuple[float, float]:
    return (bounds.x, bounds.x + bounds.width) if horizontal else (bounds.y, bounds.y + bounds.height)


def span(document: Document, plane: Element, ident: str, horizontal: bool) -> tuple[float, float]:
    return across(box(document, plane, ident), horizontal)


def size(document: Document, plane: Element, ident: str, horizontal: bool) -> float:
    start, end = span(document, plane, ident, horizontal)
    return end - start


def refs(lane: Element) -> list[str]:
    return [(ref.text or "").strip() for ref in lane.findall(bpmn("flowNodeRef"))]


def lanes_listing(document: Document, node_id: str) -> set[str]:
    return {lane.id or "" for process in b.processes(document) for lane in b.lanes(process) if node_id in refs(lane)}


def child_lanes(container: Element) -> list[Element]:
    tag = bpmn("childLaneSet") if container.local == "lane" else bpmn("laneSet")
    return [lane for lane_set in container.findall(tag) for lane in lane_set.findall(bpmn("lane"))]


def process_of(document: Document, participant_id: str = "Pool") -> Element:
    participant = document.element(participant_id)
    assert participant is not None
    process = document.element(participant.get("processRef"))
    assert process is not None
    return process


def tiling_problems(document: Document, plane: Element, participant_id: str = "Pool") -> list[str]:
    """What a user would see wrong with a pool's lanes: lanes that do not fill the pool (or their
    parent lane) exactly, overlap, leave the header uncovered or covered, or are too small."""
    pool_box = box(document, plane, participant_id)
    horizontal = di.is_horizontal(drawing(document, plane, participant_id)) is not False
    problems: list[str] = []

    def check(container_id: str, container_box: Bounds, children: list[Element]) -> None:
        drawn = [(lane, box(document, plane, lane.id or "")) for lane in children]
        if not drawn:
            return
        drawn.sort(key=lambda item: across(item[1], horizontal)[0])
        start, end = across(container_box, horizontal)
        head, tail = along(container_box, horizontal)
        cursor = start
        for lane, lane_box in drawn:
            lane_start, lane_end = across(lane_box, horizontal)
            lane_head, lane_tail = along(lane_box, horizontal)
            if abs(lane_start - cursor) > TOLERANCE:
                problems.append(f"{lane.id} starts at {lane_start}, not at {cursor} in {container_id}")
            if lane_end - lane_start < MIN_LANE - TOLERANCE:
                problems.append(f"{lane.id} is {lane_end - lane_start} across")
            if abs(lane_head - (head + HEADER)) > TOLERANCE or abs(lane_tail - tail) > TOLERANCE:
                problems.append(f"{lane.id} runs {lane_head}..{lane_tail} along, {container_id} {head}..{tail}")
            cursor = lane_end
            check(lane.id or "", lane_box, child_lanes(lane))
        if abs(cursor - end) > TOLERANCE:
            problems.append(f"the lanes of {container_id} end at {cursor}, it ends at {end}")

    process = process_of(document, participant_id)
    check(participant_id, pool_box, child_lanes(process))
    return problems


def membership_problems(document: Document, plane: Element, process: Element) -> list[str]:
    """Nodes listed by other lanes than those a user sees them in (every drawn lane holding the
    node's centre; a lane holds its start edges, not its end edges)."""
    index = di.plane_index(document, plane)
    problems = []
    drawn_lanes = [(lane, geometry.bounds_of(d)) for lane in b.lanes(process) if (d := index.drawing(lane.id))]
    for node in process.children:
        if b.kind(node) not in b.FLOW_NODE_TYPES or (shape := index.drawing(node.id)) is None:
            continue
        node_box = geometry.bounds_of(shape)
        cx, cy = node_box.x + node_box.width / 2, node_box.y + node_box.height / 2
        seen = {
            lane.id
            for lane, lane_box in drawn_lanes
            if lane_box.x <= cx < lane_box.x + lane_box.width and lane_box.y <= cy < lane_box.y + lane_box.height
        }
        listed = {lane.id for lane in b.lanes(process) if node.id in refs(lane)}
        if seen != listed:
            problems.append(f"{node.id}: seen in {sorted(seen)}, listed by {sorted(listed)}")
        for lane in b.lanes(process):
            if refs(lane).count(node.id or "") > 1:
                problems.append(f"{lane.id} lists {node.id} twice")
    return problems


def flow_problems(document: Document, plane: Element) -> list[str]:
    """Flows whose ends are not on the outline of the shapes they connect, or that bend off the
    right angle."""
    index = di.plane_index(document, plane)
    problems = []
    for child in plane.children:
        if not di.is_edge(child):
            continue
        connection = geometry.element_of(document, child)
        if connection is None or connection.local != "sequenceFlow":
            continue
        source, target = (index.drawing(end) for end in b.connection_ends(connection))
        points = di.waypoints(child)
        if source is None or target is None:
            continue
        if not routing.on_border(geometry.bounds_of(source), points[0], 1.0):
            problems.append(f"{connection.id} starts off its source")
        if not routing.on_border(geometry.bounds_of(target), points[-1], 1.0):
            problems.append(f"{connection.id} ends off its target")
        if not routing.is_orthogonal(points):
            problems.append(f"{connection.id} is not orthogonal")
    return problems


def reversible(document: Document, change: Callable[[], object]) -> object:
    """Run one operation as one edit; undo must give back the document before, redo the one after."""
    before = document.content()
    with document.edit("Lane edit") as edit:
        result = change()
    after = document.content()
    edit.undo(document)
    assert document.content() == before
    edit.redo(document)
    assert document.content() == after
    return result


def refused(document: Document, change: Callable[[], object]) -> str:
    """Run an operation the model refuses: a ModelingError, and the document as it was."""
    before = document.content()
    with pytest.raises(ModelingError) as raised, document.edit("Refused"):
        change()
    assert document.content() == before
    return str(raised.value)


def assert_valid(document: Document) -> None:
    assert xsd_errors(serialize(document)) == []


def moved_by(before: Bounds, after: Bounds) -> tuple[float, float]:
    return (after.x - before.x, after.y - before.y)


def shift(horizontal: bool, amount: float) -> tuple[float, float]:
    """A move across the flow by `amount`, as (dx, dy)."""
    return (0.0, amount) if horizontal else (amount, 0.0)


def resized(
    bounds: Bounds, horizontal: bool, *, start: float = 0, end: float = 0, head: float = 0, tail: float = 0
) -> Bounds:
    """Bounds with edges dragged: `start` and `end` across the flow, `head` and `tail` along it."""
    c0, c1 = across(bounds, horizontal)
    a0, a1 = along(bounds, horizontal)
    c0, c1, a0, a1 = c0 + start, c1 + end, a0 + head, a1 + tail
    return Bounds(a0, c0, a1 - a0, c1 - c0) if horizontal else Bounds(c0, a0, c1 - c0, a1 - a0)


# --- creating pools -----------------------------------------------------------------------------


def test_the_first_pool_in_a_process_diagram_wraps_the_process_and_its_shapes() -> None:
    document = b.new_document()
    plane = di.plane(di.diagrams(document)[0])
    process = b.processes(document)[0]
    task = b.create(document, process, "task", {"name": "Log"}, id_prefix="Activity")
    far = b.create(document, process, "task", {"name": "Close"}, id_prefix="Activity")
    for element, bounds in ((task, Bounds(200, 100, 100, 80)), (far, Bounds(900, 400, 100, 80))):
        shape = Element(bpmndi("BPMNShape"), {"id": f"{element.id}_di", "bpmnElement": element.id})
        document.append(plane, shape)
        di.set_bounds(document, shape, bounds)

    participant = reversible(
        document, lambda: lanes.create_pool(document, plane, Bounds(0, 0, 600, 250), "Service desk")
    )

    collaboration = b.collaborations(document)[0]
    assert plane.get("bpmnElement") == collaboration.id
    assert participant.parent is collaboration and b.name(participant) == "Service desk"
    assert participant.get("processRef") == "Process_1"  # the process it wraps, not a new one
    assert len(b.processes(document)) == 1
    pool_shape = drawing(document, plane, participant.id)
    assert pool_shape.get("isHorizontal") == "true"
    pool = geometry.bounds_of(pool_shape)
    for ident in (task.id, far.id):
        node = box(document, plane, ident)
        assert pool.x + HEADER + FIT_MARGIN <= node.x and node.x + node.width <= pool.x + pool.width - FIT_MARGIN + 0.01
        assert pool.y + FIT_MARGIN <= node.y + 0.01 and node.y + node.height <= pool.y + pool.height - FIT_MARGIN + 0.01
    # the pool is painted under what it wraps
    assert plane.children.index(pool_shape) < plane.children.index(drawing(document, plane, task.id))
    assert_valid(document)


@ORIENTATIONS
def test_a_process_drawn_with_lanes_but_no_pool_gets_its_pool_round_the_lanes(horizontal: bool) -> None:
    document, plane = three_lane_pool(horizontal)
    pool = box(document, plane, "Pool")
    with document.edit("A process diagram with lanes"):
        document.remove(drawing(document, plane, "Pool"))
        document.remove(b.collaborations(document)[0])
        document.set_attribute(plane, "bpmnElement", "Process_1")
    lanes_before = {lane.id: box(document, plane, lane.id) for lane in b.lanes(process_of_plane(document, plane))}

    participant = reversible(
        document, lambda: lanes.create_pool(document, plane, Bounds(0, 0, 100, 100), horizontal=horizontal)
    )

    assert box(document, plane, participant.id) == pool  # the lanes plus a header, whatever was asked
    assert {ident: box(document, plane, ident) for ident in lanes_before} == lanes_before
    assert tiling_problems(document, plane, participant.id) == []
    assert_valid(document)


def process_of_plane(document: Document, plane: Element) -> Element:
    process = document.element(plane.get("bpmnElement"))
    assert process is not None and process.local == "process"
    return process


def test_a_further_pool_gets_a_process_of_its_own_and_vertical_pools_say_so() -> None:
    document, plane = load_file(SAMPLE)
    processes_before = len(b.processes(document))
    wanted = Bounds(100, 800, 400, 900)
    participant = reversible(document, lambda: lanes.create_pool(document, plane, wanted, "Supplier", horizontal=False))
    assert len(b.processes(document)) == processes_before + 1
    process = process_of(document, participant.id)
    assert process.get("isExecutable") == "false" and b.lanes(process) == []
    shape = drawing(document, plane, participant.id)
    assert shape.get("isHorizontal") == "false"
    assert geometry.bounds_of(shape) == wanted
    assert_valid(document)


def test_an_empty_process_diagram_gets_its_pool_where_it_was_asked() -> None:
    document = b.new_document()
    plane = di.plane(di.diagrams(document)[0])
    participant = reversible(document, lambda: lanes.create_pool(document, plane, Bounds(50, 60, 600, 250)))
    assert box(document, plane, participant.id) == Bounds(50, 60, 600, 250)
    assert participant.get("name") is None
    assert_valid(document)


def test_a_pool_can_be_split_into_lanes_and_lanes_added_to_a_new_pool() -> None:
    document = b.new_document()
    plane = di.plane(di.diagrams(document)[0])
    with document.edit("Create"):
        participant = lanes.create_pool(document, plane, Bounds(0, 0, 600, 240))
    created = reversible(document, lambda: lanes.split_lane(document, plane, participant, 2))
    assert [size(document, plane, lane.id, True) for lane in created] == [120, 120]
    assert tiling_problems(document, plane, participant.id) == []
    assert_valid(document)


# --- adding lanes -------------------------------------------------------------------------------


@ORIENTATIONS
def test_a_lane_added_after_a_middle_lane_pushes_the_later_lanes_and_their_tasks_on(horizontal: bool) -> None:
    document, plane = three_lane_pool(horizontal)
    pool_before = size(document, plane, "Pool", horizontal)
    tasks_before = {ident: box(document, plane, ident) for ident in ("Task_1", "Task_3", "Task_5", "Task_6")}
    lane_2_before = span(document, plane, "Lane_2", horizontal)

    lane = reversible(document, lambda: lanes.add_lane(document, plane, document.element("Lane_1"), "after"))

    assert size(document, plane, lane.id, horizontal) == 150  # the neighbour's size
    assert span(document, plane, lane.id, horizontal) == (400, 550)
    assert size(document, plane, "Pool", horizontal) == pool_before + 150
    assert span(document, plane, "Lane_2", horizontal) == (lane_2_before[0] + 150, lane_2_before[1] + 150)
    for ident in ("Task_5", "Task_6"):  # in the lane that moved
        assert moved_by(tasks_before[ident], box(document, plane, ident)) == shift(horizontal, 150)
    for ident in ("Task_1", "Task_3"):  # before the new lane: where they were
        assert box(document, plane, ident) == tasks_before[ident]
    assert drawing(document, plane, lane.id).get("isHorizontal") == str(horizontal).lower()
    lane_set = lane.parent
    assert [other.id for other in lane_set.findall(bpmn("lane"))] == ["Lane_0", "Lane_1", lane.id, "Lane_2"]
    assert refs(lane) == []
    assert tiling_problems(document, plane) == []
    assert membership_problems(document, plane, process_of(document)) == []
    assert flow_problems(document, plane) == []
    assert_valid(document)


@ORIENTATIONS
def test_a_lane_added_before_the_first_grows_the_pool_backwards_and_moves_nothing(horizontal: bool) -> None:
    document, plane = three_lane_pool(horizontal)
    pool_start, pool_end = span(document, plane, "Pool", horizontal)
    shapes_before = {ident: box(document, plane, ident) for ident in ("Lane_0", "Lane_1", "Lane_2", "Task_1")}

    lane = reversible(document, lambda: lanes.add_lane(document, plane, document.element("Pool"), "before"))

    assert span(document, plane, lane.id, horizontal) == (pool_start - 150, pool_start)
    assert span(document, plane, "Pool", horizontal) == (pool_start - 150, pool_end)
    assert {ident: box(document, plane, ident) for ident in shapes_before} == shapes_before
    assert lane.parent.findall(bpmn("lane"))[0] is lane
    assert tiling_problems(document, plane) == []
    assert_valid(document)


@ORIENTATIONS
@pytest.mark.parametrize("where", ["before", "after"])
def test_a_pool_without_lanes_first_gets_a_lane_holding_its_nodes(horizontal: bool, where: str) -> None:
    document, plane = load(swimlane_model([], [], horizontal=horizontal, flows=False))
    process = process_of(document)
    task = b.create(document, process, "task", id_prefix="Activity")
    task_shape = Element(bpmndi("BPMNShape"), {"id": "Task_di", "bpmnElement": task.id})
    document.append(plane, task_shape)
    di.set_bounds(document, task_shape, Bounds(300, 300, 100, 80) if horizontal else Bounds(300, 300, 80, 100))
    pool_before = box(document, plane, "Pool")

    lane = reversible(document, lambda: lanes.add_lane(document, plane, document.element("Pool"), where))

    both = b.lanes(process)
    assert len(both) == 2
    covering = next(other for other in both if other is not lane)
    assert refs(covering) == [task.id] and refs(lane) == []
    assert across(box(document, plane, covering.id), horizontal) == across(pool_before, horizontal)
    assert size(document, plane, lane.id, horizontal) == DEFAULT_LANE
    assert (
        size(document, plane, "Pool", horizontal)
        == across(pool_before, horizontal)[1] - across(pool_before, horizontal)[0] + DEFAULT_LANE
    )
    order = [other.id for other in both]
    assert order == ([lane.id, covering.id] if where == "before" else [covering.id, lane.id])
    assert tiling_problems(document, plane) == []
    assert_valid(document)


@ORIENTATIONS
def test_a_lane_added_next_to_a_nested_lane_grows_its_parent_and_pushes_the_rest(horizontal: bool) -> None:
    document, plane = nested_pool(horizontal)
    lane_2 = span(document, plane, "Lane_2", horizontal)
    parent = span(document, plane, "Lane_1", horizontal)
    task_4 = box(document, plane, "Task_4")

    lane = reversible(document, lambda: lanes.add_lane(document, plane, document.element("Lane_1_0"), "after"))

    assert lane.parent is document.element("Lane_1").find(bpmn("childLaneSet"))
    assert size(document, plane, lane.id, horizontal) == 100
    assert span(document, plane, lane.id, horizontal) == (350, 450)
    assert span(document, plane, "Lane_1", horizontal) == (parent[0], parent[1] + 100)
    assert span(document, plane, "Lane_1_1", horizontal) == (450, 570)
    assert span(document, plane, "Lane_2", horizontal) == (lane_2[0] + 100, lane_2[1] + 100)
    assert moved_by(task_4, box(document, plane, "Task_4")) == shift(horizontal, 100)
    assert tiling_problems(document, plane) == []
    assert membership_problems(document, plane, process_of(document)) == []
    assert_valid(document)


@ORIENTATIONS
@pytest.mark.parametrize("where", ["before", "after"])
def test_a_lane_added_at_the_edge_of_a_nested_set_stays_inside_the_parent(horizontal: bool, where: str) -> None:
    document, plane = nested_pool(horizontal)
    parent = span(document, plane, "Lane_1", horizontal)
    neighbour = "Lane_1_0" if where == "before" else "Lane_1_1"
    lane = reversible(document, lambda: lanes.add_lane(document, plane, document.element(neighbour), where))
    start, end = span(document, plane, "Lane_1", horizontal)
    assert end - start == parent[1] - parent[0] + size(document, plane, neighbour, horizontal)
    new_start, new_end = span(document, plane, lane.id, horizontal)
    assert start <= new_start and new_end <= end
    assert lane.parent is document.element("Lane_1").find(bpmn("childLaneSet"))
    assert tiling_problems(document, plane) == []


def test_adding_a_lane_in_the_incident_sample_keeps_every_task_in_its_lane() -> None:
    document, plane = load_file(SAMPLE)
    process = b.processes(document)[0]
    members_before = {lane.id: refs(lane) for lane in b.lanes(process)}
    investigate = box(document, plane, "Activity_InvestigateDiagnose")

    manager = box(document, plane, "Lane_Manager").height

    lane = reversible(document, lambda: lanes.add_lane(document, plane, document.element("Lane_Manager"), "after"))

    assert size(document, plane, lane.id, True) == manager  # as tall as the lane it was added after
    assert moved_by(investigate, box(document, plane, "Activity_InvestigateDiagnose")) == (0, manager)
    assert {other.id: refs(other) for other in b.lanes(process) if other is not lane} == members_before
    assert tiling_problems(document, plane, "Participant_ITServiceProvider") == []
    assert flow_problems(document, plane) == []
    assert_valid(document)


def test_lanes_drawn_without_a_pool_grow_among_themselves() -> None:
    # MIWG A.4.0 draws the lanes of process WFP-6-2 with no pool round them
    document, plane = load_file(MIWG / "A.4.0.bpmn")
    lane_1, lane_2 = b.lanes(document.element("WFP-6-2"))
    second = box(document, plane, lane_2.id)
    lane = reversible(document, lambda: lanes.add_lane(document, plane, lane_1, "after"))
    assert span(document, plane, lane.id, True) == (504, 707)
    assert box(document, plane, lane_2.id).y == second.y + 203
    assert membership_problems(document, plane, document.element("WFP-6-2")) == []
    assert_valid(document)


def test_adding_a_lane_is_refused_where_there_is_no_lane_to_add() -> None:
    document, plane = three_lane_pool(True)
    with pytest.raises(ValueError):
        lanes.add_lane(document, plane, document.element("Lane_1"), "above")
    assert "Lanes" in refused(document, lambda: lanes.add_lane(document, plane, document.element("Task_1"), "after"))


# --- dividing lanes -----------------------------------------------------------------------------


@ORIENTATIONS
def test_a_lane_divided_into_three_gets_nested_lanes_that_tile_it(horizontal: bool) -> None:
    document, plane = load(swimlane_model([200.0, 190.0], [((0,), 0), ((1,), 100)], horizontal=horizontal))
    lane_1 = document.element("Lane_1")
    document.set_attribute(lane_1, "partitionElementRef", "Role_X")
    outer = box(document, plane, "Lane_1")

    created = reversible(document, lambda: lanes.split_lane(document, plane, lane_1, 3))

    assert [lane.parent for lane in created] == [lane_1.find(bpmn("childLaneSet"))] * 3
    assert [span(document, plane, lane.id, horizontal) for lane in created] == [(300, 363), (363, 426), (426, 490)]
    for lane in created:
        assert along(box(document, plane, lane.id), horizontal)[0] == along(outer, horizontal)[0] + HEADER
    assert box(document, plane, "Lane_1") == outer
    assert smo.lane_role(lane_1) == "Role_X"  # the role stays with the lane it was given to
    # the task sits in the middle lane; it is listed there and by the lane round it
    assert lanes_listing(document, "Task_2") == {"Lane_1", created[1].id}
    assert tiling_problems(document, plane) == []
    assert membership_problems(document, plane, process_of(document)) == []
    assert_valid(document)


def test_a_lane_just_big_enough_is_divided_without_any_part_under_the_minimum() -> None:
    document, plane = load(swimlane_model([150.0, 181.6], [], flows=False))
    created = reversible(document, lambda: lanes.split_lane(document, plane, document.element("Lane_1"), 3))
    sizes = [size(document, plane, lane.id, True) for lane in created]
    assert sizes == pytest.approx([60, 60, 61.6])
    assert tiling_problems(document, plane) == []


def test_dividing_is_refused_when_it_cannot_give_each_lane_its_minimum() -> None:
    document, plane = three_lane_pool(True)
    lane = document.element("Lane_1")
    assert "three or four" in refused(document, lambda: lanes.split_lane(document, plane, lane, 5))
    assert "180" in refused(document, lambda: lanes.split_lane(document, plane, lane, 3))
    assert "already has lanes" in refused(
        document, lambda: lanes.split_lane(document, plane, document.element("Pool"), 2)
    )
    with document.edit("Split"):
        lanes.split_lane(document, plane, lane, 2)
    assert "already has lanes" in refused(document, lambda: lanes.split_lane(document, plane, lane, 2))


# --- resizing lanes -----------------------------------------------------------------------------


@ORIENTATIONS
def test_the_border_between_two_lanes_is_balanced_the_neighbour_gives_way(horizontal: bool) -> None:
    document, plane = three_lane_pool(horizontal)
    pool = box(document, plane, "Pool")
    lane_1 = box(document, plane, "Lane_1")
    grown = resized(lane_1, horizontal, end=40)
    reversible(document, lambda: lanes.resize_lane(document, plane, document.element("Lane_1"), grown))
    assert span(document, plane, "Lane_1", horizontal) == (250, 440)
    assert span(document, plane, "Lane_2", horizontal) == (440, 550)
    assert box(document, plane, "Pool") == pool
    assert tiling_problems(document, plane) == []


@ORIENTATIONS
def test_a_balanced_resize_stops_where_the_neighbour_reaches_its_minimum(horizontal: bool) -> None:
    document, plane = three_lane_pool(horizontal)
    lane_1 = box(document, plane, "Lane_1")
    start, end = across(lane_1, horizontal)
    far = resized(lane_1, horizontal, end=1000)
    reversible(document, lambda: lanes.resize_lane(document, plane, document.element("Lane_1"), far))
    assert size(document, plane, "Lane_2", horizontal) == MIN_LANE
    assert span(document, plane, "Lane_1", horizontal) == (start, end + 150 - MIN_LANE)
    # the tasks of the lane that gave way stay where they are and now sit in the grown lane
    assert lanes_listing(document, "Task_5") == {"Lane_1"}
    assert membership_problems(document, plane, process_of(document)) == []
    assert tiling_problems(document, plane) == []
    # and the lane itself never gets smaller than the minimum either
    tiny = resized(lane_1, horizontal, end=-140)
    reversible(document, lambda: lanes.resize_lane(document, plane, document.element("Lane_1"), tiny))
    assert size(document, plane, "Lane_1", horizontal) == MIN_LANE
    assert tiling_problems(document, plane) == []


@ORIENTATIONS
def test_an_outer_edge_of_a_lane_resizes_the_pool(horizontal: bool) -> None:
    document, plane = three_lane_pool(horizontal)
    last = box(document, plane, "Lane_2")
    longer = resized(last, horizontal, end=60)
    reversible(document, lambda: lanes.resize_lane(document, plane, document.element("Lane_2"), longer))
    assert span(document, plane, "Pool", horizontal) == (100, 610)
    assert span(document, plane, "Lane_2", horizontal) == (400, 610)
    first = box(document, plane, "Lane_0")
    earlier = resized(first, horizontal, start=-50)
    reversible(document, lambda: lanes.resize_lane(document, plane, document.element("Lane_0"), earlier))
    assert span(document, plane, "Pool", horizontal) == (50, 610)
    assert span(document, plane, "Lane_0", horizontal) == (50, 250)
    assert tiling_problems(document, plane) == []


@ORIENTATIONS
def test_making_space_shifts_the_lanes_and_tasks_beyond_the_edge(horizontal: bool) -> None:
    document, plane = three_lane_pool(horizontal)
    tasks = {ident: box(document, plane, ident) for ident in ("Task_1", "Task_3", "Task_5")}
    lane_1 = box(document, plane, "Lane_1")
    grown = resized(lane_1, horizontal, end=100)
    reversible(document, lambda: lanes.resize_lane(document, plane, document.element("Lane_1"), grown, make_space=True))
    assert span(document, plane, "Lane_1", horizontal) == (250, 500)
    assert span(document, plane, "Lane_2", horizontal) == (500, 650)  # full size, moved on
    assert span(document, plane, "Pool", horizontal) == (100, 650)
    assert moved_by(tasks["Task_5"], box(document, plane, "Task_5")) == shift(horizontal, 100)
    assert box(document, plane, "Task_1") == tasks["Task_1"] and box(document, plane, "Task_3") == tasks["Task_3"]
    assert membership_problems(document, plane, process_of(document)) == []
    assert flow_problems(document, plane) == []
    assert tiling_problems(document, plane) == []


@ORIENTATIONS
def test_the_edges_along_the_flow_lengthen_the_pool_and_every_lane(horizontal: bool) -> None:
    document, plane = nested_pool(horizontal)
    lane = box(document, plane, "Lane_1_0")
    longer = resized(lane, horizontal, tail=200)
    reversible(document, lambda: lanes.resize_lane(document, plane, document.element("Lane_1_0"), longer))
    assert along(box(document, plane, "Pool"), horizontal) == (100, 1300)
    for ident in ("Lane_0", "Lane_1", "Lane_1_0", "Lane_1_1", "Lane_2"):
        assert along(box(document, plane, ident), horizontal)[1] == 1300
    assert tiling_problems(document, plane) == []
    # and they never get shorter than the minimum length
    shorter = resized(lane, horizontal, tail=10 - 1140)  # 10 long
    reversible(document, lambda: lanes.resize_lane(document, plane, document.element("Lane_1_0"), shorter))
    head, tail = along(box(document, plane, "Lane_1_0"), horizontal)
    assert tail - head == pytest.approx(lanes.MIN_LENGTH)
    assert tiling_problems(document, plane) == []
    # the start edge, dragged past the end, stops at the minimum too
    lane = box(document, plane, "Lane_1_0")
    late = resized(lane, horizontal, head=500)
    reversible(document, lambda: lanes.resize_lane(document, plane, document.element("Lane_1_0"), late))
    head, tail = along(box(document, plane, "Lane_1_0"), horizontal)
    assert tail - head == pytest.approx(lanes.MIN_LENGTH)
    assert tiling_problems(document, plane) == []


@ORIENTATIONS
def test_the_last_nested_lane_moves_its_parents_border_with_it(horizontal: bool) -> None:
    document, plane = nested_pool(horizontal)
    inner = box(document, plane, "Lane_1_1")
    grown = resized(inner, horizontal, end=30)
    reversible(document, lambda: lanes.resize_lane(document, plane, document.element("Lane_1_1"), grown))
    assert span(document, plane, "Lane_1_1", horizontal) == (350, 500)
    assert span(document, plane, "Lane_1", horizontal) == (250, 500)
    assert span(document, plane, "Lane_2", horizontal) == (500, 620)  # the parent's neighbour gave way
    assert box(document, plane, "Pool") == box(document, plane, "Pool")
    assert tiling_problems(document, plane) == []


def test_the_incident_managers_lane_grows_into_the_specialists() -> None:
    document, plane = load_file(SAMPLE)
    manager = box(document, plane, "Lane_Manager")
    specialist = box(document, plane, "Lane_Specialist")
    taller = Bounds(manager.x, manager.y, manager.width, manager.height + 40)
    reversible(document, lambda: lanes.resize_lane(document, plane, document.element("Lane_Manager"), taller))
    assert box(document, plane, "Lane_Manager").height == manager.height + 40
    assert box(document, plane, "Lane_Specialist") == Bounds(
        specialist.x, specialist.y + 40, specialist.width, specialist.height - 40
    )
    assert tiling_problems(document, plane, "Participant_ITServiceProvider") == []
    assert membership_problems(document, plane, b.processes(document)[0]) == []


def test_a_lane_reaching_past_its_pool_grows_the_pool() -> None:
    # a file whose last lane stops short of the pool's end, further than a border snaps
    document, plane = three_lane_pool(True)
    with document.edit("Short lane"):
        di.set_bounds(document, drawing(document, plane, "Lane_2"), Bounds(130, 400, 1000, 120))
    lane = box(document, plane, "Lane_2")
    longer = Bounds(lane.x, lane.y, lane.width, 200)
    reversible(document, lambda: lanes.resize_lane(document, plane, document.element("Lane_2"), longer))
    assert span(document, plane, "Lane_2", True) == (400, 600)
    assert span(document, plane, "Pool", True) == (100, 600)


# --- resizing pools -----------------------------------------------------------------------------


@ORIENTATIONS
def test_a_pools_outer_lanes_take_its_resize_and_the_tasks_stay(horizontal: bool) -> None:
    document, plane = nested_pool(horizontal)
    tasks = {ident: box(document, plane, ident) for ident in ("Task_1", "Task_2", "Task_3", "Task_4")}
    pool = box(document, plane, "Pool")
    new = resized(pool, horizontal, start=20, end=80)
    reversible(document, lambda: lanes.resize_pool(document, plane, document.element("Pool"), new))
    assert span(document, plane, "Pool", horizontal) == (120, 700)
    assert span(document, plane, "Lane_0", horizontal) == (120, 250)
    assert span(document, plane, "Lane_2", horizontal) == (470, 700)
    assert span(document, plane, "Lane_1_0", horizontal) == (250, 350)
    assert {ident: box(document, plane, ident) for ident in tasks} == tasks
    assert tiling_problems(document, plane) == []
    assert membership_problems(document, plane, process_of(document)) == []


@ORIENTATIONS
def test_a_pool_shrinks_no_further_than_its_outer_lanes_minimum(horizontal: bool) -> None:
    document, plane = nested_pool(horizontal)
    pool = box(document, plane, "Pool")
    new = resized(pool, horizontal, end=100 - 520)
    reversible(document, lambda: lanes.resize_pool(document, plane, document.element("Pool"), new))
    assert size(document, plane, "Lane_2", horizontal) == MIN_LANE
    assert span(document, plane, "Pool", horizontal) == (100, 530)
    assert tiling_problems(document, plane) == []
    # the last lane's tasks now sit outside every lane
    assert lanes_listing(document, "Task_4") == set()


@ORIENTATIONS
def test_a_pool_lengthens_with_every_lane(horizontal: bool) -> None:
    document, plane = nested_pool(horizontal)
    pool = box(document, plane, "Pool")
    new = resized(pool, horizontal, head=-50, tail=100)
    reversible(document, lambda: lanes.resize_pool(document, plane, document.element("Pool"), new))
    assert along(box(document, plane, "Pool"), horizontal) == (50, 1200)
    assert along(box(document, plane, "Lane_1"), horizontal) == (80, 1200)
    assert along(box(document, plane, "Lane_1_1"), horizontal) == (110, 1200)
    assert tiling_problems(document, plane) == []


# --- deleting lanes -----------------------------------------------------------------------------


@ORIENTATIONS
def test_the_neighbours_of_a_deleted_middle_lane_share_its_room(horizontal: bool) -> None:
    document, plane = three_lane_pool(horizontal)
    pool = box(document, plane, "Pool")
    tasks = {ident: box(document, plane, ident) for ident in ("Task_3", "Task_4")}

    reversible(document, lambda: lanes.delete_lane(document, plane, document.element("Lane_1")))

    assert document.element("Lane_1") is None
    assert di.plane_index(document, plane).drawing("Lane_1") is None
    assert span(document, plane, "Lane_0", horizontal) == (100, 325)
    assert span(document, plane, "Lane_2", horizontal) == (325, 550)
    assert box(document, plane, "Pool") == pool
    # the deleted lane's tasks stay put and join the lane now covering them
    assert {ident: box(document, plane, ident) for ident in tasks} == tasks
    assert lanes_listing(document, "Task_3") == {"Lane_2"}  # centred at 325: the second lane's start
    assert membership_problems(document, plane, process_of(document)) == []
    assert tiling_problems(document, plane) == []
    assert_valid(document)


@ORIENTATIONS
def test_a_deleted_first_lane_leaves_its_room_to_the_next(horizontal: bool) -> None:
    document, plane = three_lane_pool(horizontal)
    reversible(document, lambda: lanes.delete_lane(document, plane, document.element("Lane_0")))
    assert span(document, plane, "Lane_1", horizontal) == (100, 400)
    assert lanes_listing(document, "Task_1") == {"Lane_1"}
    assert tiling_problems(document, plane) == []


@ORIENTATIONS
def test_deleting_nested_lanes_down_to_none_removes_the_child_lane_set(horizontal: bool) -> None:
    document, plane = nested_pool(horizontal)
    parent = document.element("Lane_1")
    reversible(document, lambda: lanes.delete_lane(document, plane, document.element("Lane_1_0")))
    assert span(document, plane, "Lane_1_1", horizontal) == (250, 470)
    assert lanes_listing(document, "Task_2") == {"Lane_1", "Lane_1_1"}
    reversible(document, lambda: lanes.delete_lane(document, plane, document.element("Lane_1_1")))
    assert parent.find(bpmn("childLaneSet")) is None
    assert span(document, plane, "Lane_1", horizontal) == (250, 470)
    assert lanes_listing(document, "Task_2") == {"Lane_1"}
    assert tiling_problems(document, plane) == []
    assert_valid(document)


def test_deleting_a_parent_lane_takes_its_nested_lanes_and_the_last_lane_its_lane_set() -> None:
    document, plane = nested_pool(True)
    process = process_of(document)
    reversible(document, lambda: lanes.delete_lane(document, plane, document.element("Lane_1")))
    assert document.element("Lane_1_0") is None and document.element("Lane_1_1") is None
    assert di.plane_index(document, plane).drawing("Lane_1_0") is None
    assert not any(
        lane_id.startswith("Lane_1") for node in ("Task_2", "Task_3") for lane_id in lanes_listing(document, node)
    )
    for ident in ("Lane_0", "Lane_2"):
        with document.edit("Delete"):
            lanes.delete_lane(document, plane, document.element(ident))
    assert process.find(bpmn("laneSet")) is None
    assert b.lanes(process) == []
    assert_valid(document)


def test_a_deleted_lane_takes_its_role_binding_and_leaves_the_role() -> None:
    document, plane = load_file(SAMPLE)
    lane = document.element("Lane_Manager")
    role = smo.lane_role(lane)
    assert role is not None
    reversible(document, lambda: lanes.delete_lane(document, plane, lane))
    assert document.element(role) is not None
    assert all(smo.lane_role(other) != role for other in b.lanes(b.processes(document)[0]))
    assert lanes_listing(document, "Activity_CoordinateMajorIncident")
    assert_valid(document)


def test_a_lane_not_drawn_is_deleted_without_a_diagram() -> None:
    document, plane = three_lane_pool(True)
    lane = document.element("Lane_1")
    for node in plane.children:
        if node.get("bpmnElement") == "Lane_1":
            with document.edit("Undraw"):
                document.remove(node)
            break
    reversible(document, lambda: lanes.delete_lane(document, None, lane))
    assert document.element("Lane_1") is None
    assert [lane.id for lane in b.lanes(process_of(document))] == ["Lane_0", "Lane_2"]


# --- reordering lanes ---------------------------------------------------------------------------


def test_moving_the_agents_lane_last_carries_its_tasks_labels_and_flows() -> None:
    document, plane = load_file(SAMPLE)
    process = b.processes(document)[0]
    agent_tasks = refs(document.element("Lane_Agent"))
    before = {ident: box(document, plane, ident) for ident in agent_tasks}
    start_label = di.label_bounds(drawing(document, plane, "StartEvent_IncidentReported"))
    manager_task = box(document, plane, "Activity_CoordinateMajorIncident")
    agent, manager, specialist = (box(document, plane, f"Lane_{n}") for n in ("Agent", "Manager", "Specialist"))
    assert agent.y < manager.y < specialist.y  # the sample's order, top to bottom

    reversible(document, lambda: lanes.move_lane(document, plane, document.element("Lane_Agent"), 2))

    assert [lane.id for lane in process.find(bpmn("laneSet")).findall(bpmn("lane"))] == [
        "Lane_Manager",
        "Lane_Specialist",
        "Lane_Agent",
    ]
    assert box(document, plane, "Lane_Manager").y == agent.y
    assert box(document, plane, "Lane_Specialist").y == agent.y + manager.height
    pushed = manager.height + specialist.height
    assert box(document, plane, "Lane_Agent") == Bounds(agent.x, agent.y + pushed, agent.width, agent.height)
    for ident in agent_tasks:
        assert moved_by(before[ident], box(document, plane, ident)) == (0, pushed)
    assert moved_by(manager_task, box(document, plane, "Activity_CoordinateMajorIncident")) == (0, -agent.height)
    label = di.label_bounds(drawing(document, plane, "StartEvent_IncidentReported"))
    assert (label.x, label.y) == (start_label.x, start_label.y + pushed)
    # the gateway's branch to the manager's lane, now above it, takes the short way: one bend,
    # not the detour its old bend points would make
    assert len(di.waypoints(drawing(document, plane, "Flow_MajorYes"))) == 3
    assert refs(document.element("Lane_Agent")) == agent_tasks
    assert tiling_problems(document, plane, "Participant_ITServiceProvider") == []
    assert membership_problems(document, plane, process) == []
    assert flow_problems(document, plane) == []
    assert_valid(document)


def test_a_moved_lane_takes_boundary_events_and_the_flows_inside_it_whole() -> None:
    document, plane = three_lane_pool(True)
    process = process_of(document)
    host = box(document, plane, "Task_1")
    with document.edit("Boundary"):
        boundary = b.create(document, process, "boundaryEvent", {"attachedToRef": "Task_1"}, id_prefix="Event")
        shape = Element(bpmndi("BPMNShape"), {"id": "Boundary_di", "bpmnElement": boundary.id})
        document.append(plane, shape)
        # hanging off the task's lower edge, centred below the lane's end
        di.set_bounds(document, shape, Bounds(host.x + 30, host.y + host.height - 18, 36, 36))
        lanes.sync_lane_membership(document, plane)
    flow_inside = di.waypoints(drawing(document, plane, "Flow_1"))  # Task_1 → Task_2, both in lane 0

    reversible(document, lambda: lanes.move_lane(document, plane, document.element("Lane_0"), 1))

    assert moved_by(host, box(document, plane, "Task_1")) == (0, 150)
    assert box(document, plane, boundary.id) == Bounds(host.x + 30, host.y + host.height - 18 + 150, 36, 36)
    assert di.waypoints(drawing(document, plane, "Flow_1")) == [Point(p.x, p.y + 150) for p in flow_inside]
    assert flow_problems(document, plane) == []
    assert membership_problems(document, plane, process) == []


def test_a_vertical_lane_moves_left_with_its_contents() -> None:
    document, plane = load_file(MIWG / "A.4.1.bpmn")
    lane_2 = document.element("sid-FBA8B122-2EFC-4DD5-B714-A13CD36AAA6E")
    lane_3 = document.element("sid-FC452F0B-05C5-4BB2-AA79-F9195F47BD11")
    members = refs(lane_3)
    before = {ident: box(document, plane, ident) for ident in members}
    left = box(document, plane, lane_2.id).x

    reversible(document, lambda: lanes.move_lane(document, plane, lane_3, 0))

    assert box(document, plane, lane_3.id).x == pytest.approx(left, abs=TOLERANCE)
    assert box(document, plane, lane_2.id).x == pytest.approx(left + box(document, plane, lane_3.id).width, abs=0.01)
    shift_x = box(document, plane, lane_3.id).x - 762.8571428571428
    for ident in members:
        dx, dy = moved_by(before[ident], box(document, plane, ident))
        assert dx == pytest.approx(shift_x, abs=TOLERANCE) and dy == 0
    assert lane_3.parent.findall(bpmn("lane")) == [lane_3, lane_2]
    assert refs(lane_3) == members
    assert_valid(document)


def test_the_file_order_of_lanes_follows_what_the_user_sees() -> None:
    # MIWG C.1.0 lists Approver before Team Assistant although Team Assistant is drawn on top
    document, plane = load_file(MIWG / "C.1.0.bpmn")
    process = document.element("bpmn-miwg-test-case-c.1.0")
    lane_set = process.find(bpmn("laneSet"))
    names = lambda: [b.name(lane) for lane in lane_set.findall(bpmn("lane"))]  # noqa: E731
    assert names() == ["Approver", "Team Assistant", "Accountant"]
    accountant = next(lane for lane in b.lanes(process) if b.name(lane) == "Accountant")
    with document.edit("Same place") as edit:
        lanes.move_lane(document, plane, accountant, 2)
    assert edit.changes == []  # where it already is: nothing changes
    reversible(document, lambda: lanes.move_lane(document, plane, accountant, 1))
    assert names() == ["Team Assistant", "Accountant", "Approver"]
    assert flow_problems(document, plane) == []
    assert_valid(document)


@ORIENTATIONS
def test_a_nested_lane_moves_within_its_parent(horizontal: bool) -> None:
    document, plane = nested_pool(horizontal)
    task_2, task_3 = box(document, plane, "Task_2"), box(document, plane, "Task_3")
    outside = {ident: box(document, plane, ident) for ident in ("Lane_0", "Lane_1", "Lane_2", "Task_1", "Task_4")}
    reversible(document, lambda: lanes.move_lane(document, plane, document.element("Lane_1_0"), 5))
    assert span(document, plane, "Lane_1_1", horizontal) == (250, 370)
    assert span(document, plane, "Lane_1_0", horizontal) == (370, 470)
    assert moved_by(task_2, box(document, plane, "Task_2")) == shift(horizontal, 120)
    assert moved_by(task_3, box(document, plane, "Task_3")) == shift(horizontal, -100)
    assert {ident: box(document, plane, ident) for ident in outside} == outside
    assert [lane.id for lane in child_lanes(document.element("Lane_1"))] == ["Lane_1_1", "Lane_1_0"]
    assert tiling_problems(document, plane) == []
    assert membership_problems(document, plane, process_of(document)) == []


# --- where things are ---------------------------------------------------------------------------


@ORIENTATIONS
def test_lane_at_finds_the_innermost_lane(horizontal: bool) -> None:
    document, plane = nested_pool(horizontal)
    process = process_of(document)

    def point(along_at: float, across_at: float) -> Point:
        return Point(along_at, across_at) if horizontal else Point(across_at, along_at)

    assert lanes.lane_at(document, plane, process, point(500, 300)).id == "Lane_1_0"
    assert lanes.lane_at(document, plane, process, point(500, 350)).id == "Lane_1_1"  # a border: the lane it starts
    assert lanes.lane_at(document, plane, process, point(145, 300)).id == "Lane_1"  # the parent's header
    assert lanes.lane_at(document, plane, process, point(500, 120)).id == "Lane_0"
    assert lanes.lane_at(document, plane, process, point(115, 300)) is None  # the pool's header
    assert lanes.lane_at(document, plane, process, point(500, 900)) is None


def test_pool_of_finds_the_participant_of_whatever_its_process_holds() -> None:
    document, plane = load_file(MIWG / "A.4.0.bpmn")
    pool = document.element("_046bff4f-cea3-4512-a6b1-30517fb29f2c")
    assert lanes.pool_of(document, plane, document.element("_ab851300-b5de-4ad3-bbec-215553757fc8")) is pool
    assert lanes.pool_of(document, plane, document.element("WFP-6-1")) is pool
    assert lanes.pool_of(document, plane, pool) is pool
    # lanes of a process no participant stands for, and a node inside its sub-process
    lane = b.lanes(document.element("WFP-6-2"))[0]
    assert lanes.pool_of(document, plane, lane) is None
    assert lanes.pool_of(document, plane, document.element("_09532ad3-e571-4214-b580-7bebf4bb68b1")) is None
    document, plane = nested_pool(True)
    assert lanes.pool_of(document, plane, document.element("Lane_1_1")) is document.element("Pool")
    assert lanes.pool_of(document, plane, document.element("Task_3")) is document.element("Pool")


# --- membership ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", [SAMPLE, MIWG / "A.4.0.bpmn", MIWG / "A.4.1.bpmn", MIWG / "C.1.0.bpmn"], ids=lambda p: p.stem
)
def test_membership_already_right_is_left_alone(path: Path) -> None:
    document, plane = load_file(path)
    with document.edit("Sync") as edit:
        lanes.sync_lane_membership(document, plane)
    assert edit.changes == []


@ORIENTATIONS
def test_a_task_moved_into_another_lane_changes_lanes(horizontal: bool) -> None:
    """The canvas's move: geometry.move_shapes, then membership follows."""
    document, plane = three_lane_pool(horizontal)
    lane_1, lane_2 = document.element("Lane_1"), document.element("Lane_2")
    order_before = refs(lane_2)
    task = drawing(document, plane, "Task_3")

    def move() -> None:
        geometry.move_shapes(document, plane, [task], *shift(horizontal, 150))
        lanes.sync_lane_membership(document, plane, [document.element("Task_3")])

    reversible(document, move)
    assert refs(lane_1) == ["Task_4"]
    assert refs(lane_2) == [*order_before, "Task_3"]  # appended; the others keep their order
    assert membership_problems(document, plane, process_of(document)) == []
    assert flow_problems(document, plane) == []


def test_a_task_in_the_incident_sample_dragged_to_the_specialists_lane() -> None:
    document, plane = load_file(SAMPLE)
    task = drawing(document, plane, "Activity_InitialDiagnosis")
    target = box(document, plane, "Lane_Specialist")
    start = geometry.bounds_of(task)
    dy = target.y + target.height / 2 - (start.y + start.height / 2)

    def move() -> None:
        geometry.move_shapes(document, plane, [task], 0, dy)
        lanes.sync_lane_membership(document, plane, [document.element("Activity_InitialDiagnosis")])

    reversible(document, move)
    assert lanes_listing(document, "Activity_InitialDiagnosis") == {"Lane_Specialist"}
    assert membership_problems(document, plane, b.processes(document)[0]) == []


@ORIENTATIONS
def test_nested_lanes_list_their_nodes_and_so_do_the_lanes_round_them(horizontal: bool) -> None:
    # a file whose outer lanes do not list what their nested lanes hold
    document, plane = load(
        swimlane_model(
            [150.0, [100.0, 120.0]], [((1, 0), 0), ((1, 1), 200)], horizontal=horizontal, parents_list_nodes=False
        )
    )
    reversible(document, lambda: lanes.sync_lane_membership(document, plane))
    assert refs(document.element("Lane_1")) == ["Task_1", "Task_2"]
    assert refs(document.element("Lane_1_0")) == ["Task_1"]
    assert lanes_listing(document, "Task_2") == {"Lane_1", "Lane_1_1"}


def test_nodes_outside_every_lane_or_inside_a_sub_process_are_listed_by_none() -> None:
    document, plane = three_lane_pool(True)
    process = process_of(document)
    task = drawing(document, plane, "Task_1")
    with document.edit("Out"):
        geometry.move_shapes(document, plane, [task], 0, -400)  # above the pool
        lanes.sync_lane_membership(document, plane, [document.element("Task_1")])
    assert lanes_listing(document, "Task_1") == set()
    # a task put inside a sub-process: its sub-process's lane stands for it
    with document.edit("Into a sub-process"):
        sub = b.create(document, process, "subProcess", id_prefix="Activity")
        moved = document.element("Task_2")
        for flow in [f for f in process.findall(bpmn("sequenceFlow")) if "Task_2" in b.connection_ends(f)]:
            document.remove(flow)
        document.remove(moved)
        document.append(sub, moved)
        lanes.sync_lane_membership(document, plane, [moved])
    assert lanes_listing(document, "Task_2") == set()


def test_a_task_moved_to_another_pool_leaves_its_old_lanes() -> None:
    document, plane = three_lane_pool(True)
    with document.edit("Second pool"):
        other = lanes.create_pool(document, plane, Bounds(100, 800, 1000, 300))
        lanes.split_lane(document, plane, other, 2)
    other_process = process_of(document, other.id)
    task = document.element("Task_6")
    with document.edit("Move to the other pool"):
        for flow in [f for f in document.root.iter(bpmn("sequenceFlow")) if "Task_6" in b.connection_ends(f)]:
            document.remove(flow)
        document.remove(task)
        document.append(other_process, task)
        geometry.move_shapes(document, plane, [drawing(document, plane, "Task_6")], 0, 420)
        lanes.sync_lane_membership(document, plane, [task])
    assert lanes_listing(document, "Task_6") == {b.lanes(other_process)[0].id}
    assert "Task_6" not in refs(document.element("Lane_2"))


def test_a_task_moved_to_another_pool_leaves_old_lanes_this_diagram_does_not_draw() -> None:
    document, plane = three_lane_pool(True)
    with document.edit("Second pool, first pool's last lane undrawn"):
        other = lanes.create_pool(document, plane, Bounds(100, 800, 1000, 300))
        document.remove(drawing(document, plane, "Lane_2"))
    other_process = process_of(document, other.id)
    task = document.element("Task_6")
    with document.edit("Move to the other pool"):
        for flow in [f for f in document.root.iter(bpmn("sequenceFlow")) if "Task_6" in b.connection_ends(f)]:
            document.remove(flow)
        document.remove(task)
        document.append(other_process, task)
        geometry.move_shapes(document, plane, [drawing(document, plane, "Task_6")], 0, 420)
        lanes.sync_lane_membership(document, plane, [task])
    assert lanes_listing(document, "Task_6") == set()
    # a lane this diagram does not draw keeps what it lists of its own process's nodes
    assert refs(document.element("Lane_2")) == ["Task_5"]


def test_boundary_events_are_lane_members_as_in_bpmn_js() -> None:
    # Trisotech left the boundary events of MIWG B.2.0 out of its lanes; bpmn-js lists them
    document, plane = load_file(MIWG / "B.2.0.bpmn")
    process = document.element("WFP-6-2")
    reversible(document, lambda: lanes.sync_lane_membership(document, plane))
    assert membership_problems(document, plane, process) == []
    boundary = next(iter(process.iter(bpmn("boundaryEvent"))))
    assert lanes_listing(document, boundary.id)
    assert_valid(document)


# --- containers that grow -----------------------------------------------------------------------


@ORIENTATIONS
def test_a_task_at_a_lanes_edge_grows_the_lane_and_the_pool(horizontal: bool) -> None:
    document, plane = three_lane_pool(horizontal)
    task = drawing(document, plane, "Task_3")
    later = box(document, plane, "Task_5")
    with document.edit("Drag"):
        geometry.move_shapes(document, plane, [task], *shift(horizontal, 40))  # 10 from the lane's end
    reversible(document, lambda: lanes.fit_containers(document, plane, [task]))
    task_end = across(geometry.bounds_of(task), horizontal)[1]
    assert span(document, plane, "Lane_1", horizontal) == (250, task_end + FIT_MARGIN)
    grown = task_end + FIT_MARGIN - 400
    assert span(document, plane, "Lane_2", horizontal) == (400 + grown, 550 + grown)
    assert span(document, plane, "Pool", horizontal) == (100, 550 + grown)
    assert moved_by(later, box(document, plane, "Task_5")) == shift(horizontal, grown)
    assert tiling_problems(document, plane) == []
    assert membership_problems(document, plane, process_of(document)) == []


@ORIENTATIONS
def test_a_task_past_the_pools_end_lengthens_the_pool_and_its_lanes(horizontal: bool) -> None:
    document, plane = nested_pool(horizontal)
    task = drawing(document, plane, "Task_2")
    with document.edit("Drag"):
        offset = 1050 - along(geometry.bounds_of(task), horizontal)[0]  # ends 50 past the pool's end
        geometry.move_shapes(document, plane, [task], *((offset, 0) if horizontal else (0, offset)))
    reversible(document, lambda: lanes.fit_containers(document, plane, [task]))
    assert along(box(document, plane, "Pool"), horizontal)[1] == 1150 + FIT_MARGIN
    assert along(box(document, plane, "Lane_1_1"), horizontal)[1] == 1150 + FIT_MARGIN
    assert tiling_problems(document, plane) == []


@ORIENTATIONS
def test_a_task_well_inside_or_outside_its_pool_grows_nothing(horizontal: bool) -> None:
    document, plane = three_lane_pool(horizontal)
    with document.edit("Fit") as edit:
        lanes.fit_containers(document, plane, [drawing(document, plane, "Task_3")])
    assert edit.changes == []
    task = drawing(document, plane, "Task_1")
    with document.edit("Drag"):
        geometry.move_shapes(document, plane, [task], *shift(horizontal, -500))
    with document.edit("Fit") as edit:
        lanes.fit_containers(document, plane, [task])
    assert edit.changes == []


def test_a_lane_grown_to_hold_a_task_takes_in_the_tasks_it_now_covers() -> None:
    document, plane = three_lane_pool(True)
    outside, near_edge = drawing(document, plane, "Task_2"), drawing(document, plane, "Task_1")
    with document.edit("Drag"):
        # one task just above the pool, centred 5 outside it; the other 10 below the pool's top
        geometry.move_shapes(document, plane, [outside], 0, 100 - 5 - 175)
        geometry.move_shapes(document, plane, [near_edge], 0, 100 + 10 - 135)
        lanes.sync_lane_membership(document, plane)
    assert lanes_listing(document, "Task_2") == set()
    reversible(document, lambda: lanes.fit_containers(document, plane, [near_edge]))
    assert span(document, plane, "Lane_0", True) == (90, 250)  # 20 above the task that reached its edge
    assert lanes_listing(document, "Task_2") == {"Lane_0"}
    assert membership_problems(document, plane, process_of(document)) == []


def test_a_pool_without_lanes_grows_across_to_hold_a_task() -> None:
    document, plane = load(swimlane_model([], [], flows=False))
    process = process_of(document)
    task = b.create(document, process, "task", id_prefix="Activity")
    shape = Element(bpmndi("BPMNShape"), {"id": "Task_di", "bpmnElement": task.id})
    document.append(plane, shape)
    di.set_bounds(document, shape, Bounds(500, 80, 100, 80))  # centred inside, sticking out above
    reversible(document, lambda: lanes.fit_containers(document, plane, [shape]))
    assert box(document, plane, "Pool").y == 80 - FIT_MARGIN


# --- saved files --------------------------------------------------------------------------------


def test_files_after_lane_edits_are_valid_and_bpmn_moddle_reads_them_cleanly(tmp_path: Path, bpmn_moddle) -> None:
    written = []
    document, plane = load_file(SAMPLE)
    with document.edit("Edits"):
        lanes.add_lane(document, plane, document.element("Lane_Manager"), "before")
        lanes.split_lane(document, plane, document.element("Lane_Specialist"), 2)
        lanes.move_lane(document, plane, document.element("Lane_Agent"), 3)
        lanes.delete_lane(document, plane, document.element("Lane_Manager"))
        lanes.create_pool(document, plane, Bounds(160, 900, 1200, 300), "Supplier", horizontal=True)
    written.append(tmp_path / "sample.bpmn")
    vertical, vertical_plane = nested_pool(False)
    with vertical.edit("Edits"):
        lanes.add_lane(vertical, vertical_plane, vertical.element("Lane_1_1"), "after")
        lanes.resize_lane(
            vertical, vertical_plane, vertical.element("Lane_0"), Bounds(100, 130, 200, 970), make_space=True
        )
        lanes.delete_lane(vertical, vertical_plane, vertical.element("Lane_2"))
    written.append(tmp_path / "vertical.bpmn")
    fresh = b.new_document()
    fresh_plane = di.plane(di.diagrams(fresh)[0])
    with fresh.edit("Pool"):
        pool = lanes.create_pool(fresh, fresh_plane, Bounds(0, 0, 800, 300), "Desk")
        lanes.add_lane(fresh, fresh_plane, pool, "after")
    written.append(tmp_path / "fresh.bpmn")
    for doc, path in zip((document, vertical, fresh), written, strict=True):
        assert xsd_errors(serialize(doc)) == []
        write_bpmn(doc, path)
    assert moddle_warnings(bpmn_moddle, written) == {str(path): [] for path in written}


def test_lane_edits_on_a_miwg_reference_add_no_bpmn_moddle_warnings(tmp_path: Path, bpmn_moddle) -> None:
    document, plane = load_file(MIWG / "C.1.0.bpmn")
    untouched = tmp_path / "untouched.bpmn"
    write_bpmn(document, untouched)
    process = document.element("bpmn-miwg-test-case-c.1.0")
    approver = next(lane for lane in b.lanes(process) if b.name(lane) == "Approver")
    with document.edit("Edits"):
        lanes.move_lane(document, plane, approver, 2)
        lanes.split_lane(document, plane, approver, 2)
        lanes.add_lane(document, plane, approver, "before")
    edited = tmp_path / "edited.bpmn"
    write_bpmn(document, edited)
    assert xsd_errors(edited.read_bytes()) == []
    warnings = moddle_warnings(bpmn_moddle, [untouched, edited])
    assert warnings[str(edited)] == warnings[str(untouched)]


# --- any sequence of lane edits -----------------------------------------------------------------


@st.composite
def lane_layouts(draw: st.DrawFn) -> list[float | list[float]]:
    sizes = st.integers(60, 220).map(float)
    layout: list[float | list[float]] = []
    for _ in range(draw(st.integers(1, 3))):
        if draw(st.booleans()) and draw(st.booleans()):
            layout.append(draw(st.lists(sizes, min_size=2, max_size=3)))
        else:
            layout.append(draw(sizes))
    return layout


def _leaf_paths(layout: list[float | list[float]]) -> list[tuple[int, ...]]:
    paths: list[tuple[int, ...]] = []
    for i, entry in enumerate(layout):
        if isinstance(entry, list):
            paths.extend((i, j) for j in range(len(entry)))
        else:
            paths.append((i,))
    return paths


def _random_edit(data: st.DataObject, document: Document, plane: Element, horizontal: bool) -> Callable[[], object]:
    process = process_of(document)
    all_lanes = b.lanes(process)
    tasks = [node for node in process.children if node.local == "task"]
    choices = ["add", "resize_pool", "move_task", "fit"]
    if all_lanes:
        choices += ["split", "resize", "delete", "move"]
    choice = data.draw(st.sampled_from(choices), label="operation")
    pool = document.element("Pool")
    if choice == "add":
        target = data.draw(st.sampled_from([pool, *all_lanes]), label="next to")
        where = data.draw(st.sampled_from(["before", "after"]), label="where")
        return lambda: lanes.add_lane(document, plane, target, where)
    if choice == "split":
        target = data.draw(st.sampled_from(all_lanes), label="lane")
        count = data.draw(st.integers(2, 3), label="count")
        return lambda: lanes.split_lane(document, plane, target, count)
    if choice == "delete":
        target = data.draw(st.sampled_from(all_lanes), label="lane")
        return lambda: lanes.delete_lane(document, plane, target)
    if choice == "move":
        target = data.draw(st.sampled_from(all_lanes), label="lane")
        index = data.draw(st.integers(-1, 4), label="index")
        return lambda: lanes.move_lane(document, plane, target, index)
    if choice in ("resize", "resize_pool"):
        target = data.draw(st.sampled_from(all_lanes), label="lane") if choice == "resize" else pool
        old = box(document, plane, target.id)
        edge = data.draw(st.sampled_from(["start", "end", "length"]), label="edge")
        delta = float(data.draw(st.integers(-150, 150), label="delta"))
        x, y, w, h = old.x, old.y, old.width, old.height
        if edge == "length":
            new = Bounds(x, y, w + delta, h) if horizontal else Bounds(x, y, w, h + delta)
        elif edge == "end":
            new = Bounds(x, y, w, h + delta) if horizontal else Bounds(x, y, w + delta, h)
        else:
            new = Bounds(x, y + delta, w, h - delta) if horizontal else Bounds(x + delta, y, w - delta, h)
        if choice == "resize_pool":
            return lambda: lanes.resize_pool(document, plane, pool, new)
        make_space = data.draw(st.booleans(), label="make space")
        return lambda: lanes.resize_lane(document, plane, target, new, make_space=make_space)
    if not tasks:
        return lambda: None
    task = data.draw(st.sampled_from(tasks), label="task")
    dx, dy = float(data.draw(st.integers(-200, 200), label="dx")), float(data.draw(st.integers(-200, 200), label="dy"))
    shape = drawing(document, plane, task.id or "")
    if choice == "move_task":

        def move() -> None:
            geometry.move_shapes(document, plane, [shape], dx, dy)
            lanes.sync_lane_membership(document, plane, [task])

        return move

    def move_and_fit() -> None:
        geometry.move_shapes(document, plane, [shape], dx, dy)
        lanes.fit_containers(document, plane, [shape])
        lanes.sync_lane_membership(document, plane, [task])

    return move_and_fit


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), horizontal=st.booleans(), layout=lane_layouts())
def test_any_sequence_of_lane_edits_keeps_the_lanes_tiling_and_undoes_to_the_start(
    data: st.DataObject, horizontal: bool, layout: list[float | list[float]]
) -> None:
    paths = _leaf_paths(layout)
    tasks = data.draw(
        st.lists(st.tuples(st.sampled_from(paths), st.integers(0, 800).map(float)), min_size=1, max_size=5),
        label="tasks",
    )
    document, plane = load(swimlane_model(layout, tasks, horizontal=horizontal))
    process = process_of(document)
    assert tiling_problems(document, plane) == []
    start = document.content()
    edits = []
    for _ in range(data.draw(st.integers(1, 8), label="edits")):
        change = _random_edit(data, document, plane, horizontal)
        before = document.content()
        try:
            with document.edit("Edit") as edit:
                change()
        except ModelingError:
            assert document.content() == before
            continue
        edits.append(edit)
        assert tiling_problems(document, plane) == []
        assert membership_problems(document, plane, process) == []
    end = document.content()
    assert xsd_errors(serialize(document)) == []
    for edit in reversed(edits):
        edit.undo(document)
    assert document.content() == start
    for edit in edits:
        edit.redo(document)
    assert document.content() == end
