"""Lane and pool checks of our own: a node in no lane, lane membership (flowNodeRef) out of step
with the drawing, an empty lane, a sequence flow between pools or drawn out of its pool (rules
layer, no Qt).

Membership is measured as modeling/lanes.py's sync_lane_membership keeps it: a flow node directly
in a process belongs to every drawn lane of that process whose bounds hold its centre (the
innermost lane and each lane round it), a lane's start edges in and its end edges out, so a node
centred on a shared border belongs to exactly one of two neighbours. A node inside a sub-process
belongs to no lane (its sub-process's lane stands for it) and is not checked here; nor is a
boundary event that no lane lists (Signavio and others leave them out: the lane of the activity
it sits on holds it), while one that lanes do list must be listed right.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..model import bpmn as b
from ..model import di
from ..model.di import Bounds, Point
from ..model.document import Document
from ..model.element import Element
from ..model.namespaces import bpmn
from ..model.problems import ERROR, WARNING, Problem
from .structure import describe, ref_id

OUTSIDE_LANES = "lane.node-outside-lanes"
OUT_OF_STEP = "lane.membership-out-of-step"
EMPTY = "lane.empty"
BETWEEN_POOLS = "lane.flow-between-pools"
LEAVES_POOL = "lane.flow-leaves-pool"

# rule name → (severity, what it is about), beside structure.RULES
RULES: dict[str, tuple[str, str]] = {
    OUTSIDE_LANES: (WARNING, "in a process with lanes, every activity, event and gateway is in a lane"),
    OUT_OF_STEP: (WARNING, "the lanes that list a node (flowNodeRef) are the lanes it is drawn in"),
    EMPTY: (WARNING, "every lane holds an activity, event or gateway"),
    BETWEEN_POOLS: (ERROR, "a sequence flow stays inside one pool"),
    LEAVES_POOL: (WARNING, "a sequence flow is drawn inside its pool"),
}


def check_lanes(document: Document) -> list[Problem]:
    problems: list[Problem] = []
    for process in b.processes(document):
        problems.extend(_check_process_lanes(document, process))
    problems.extend(_flows_between_pools(document))
    problems.extend(_flows_leaving_pools(document))
    return problems


# --- membership ------------------------------------------------------------------------------------


def _inside(box: Bounds, point: Point) -> bool:
    """Start edges in, end edges out, as modeling/lanes.py measures."""
    return box.x <= point.x < box.x + box.width and box.y <= point.y < box.y + box.height


def _centre(box: Bounds) -> Point:
    return Point(box.x + box.width / 2, box.y + box.height / 2)


def _lane_names(lanes: list[Element]) -> str:
    names = [f"'{' '.join(b.name(lane).split()) or lane.id}'" for lane in lanes]
    if not names:
        return "no lane"
    if len(names) == 1:
        return f"lane {names[0]}"
    return f"lanes {', '.join(names[:-1])} and {names[-1]}"


def _drawn_lanes(document: Document, lanes: list[Element]) -> tuple[di.PlaneIndex | None, list[tuple[Element, Bounds]]]:
    """The first diagram plane that draws lanes of the process, and the lanes' bounds there."""
    for diagram in di.diagrams(document):
        plane = di.plane(diagram)
        if plane is None:
            continue
        index = di.plane_index(document, plane)
        boxes = []
        for lane in lanes:
            drawing = index.drawing(lane.id)
            box = di.bounds(drawing) if drawing is not None and di.is_shape(drawing) else None
            if box is not None:
                boxes.append((lane, box))
        if boxes:
            return index, boxes
    return None, []


def _check_process_lanes(document: Document, process: Element) -> Iterator[Problem]:
    lanes = b.lanes(process)
    if not lanes:
        return
    listed: dict[str, list[Element]] = {}
    for lane in lanes:
        for ref in lane.findall(bpmn("flowNodeRef")):
            ident = ref_id(ref.text)
            if ident and all(lane is not other for other in listed.get(ident, [])):
                listed.setdefault(ident, []).append(lane)
    index, boxes = _drawn_lanes(document, lanes)
    drawn_lanes = {id(lane) for lane, _ in boxes}
    holds_drawn: set[int] = set()  # lanes some node is drawn in
    pool = _pool_name(document, process)
    for node in process.children:
        if b.kind(node) not in b.FLOW_NODE_TYPES or node.id is None:
            continue
        by_list = listed.get(node.id, [])
        if not by_list and b.kind(node) == "boundaryEvent":
            continue  # many tools list no boundary event in a lane: its activity's lane holds it
        drawing = index.drawing(node.id) if index is not None else None
        box = di.bounds(drawing) if drawing is not None and di.is_shape(drawing) else None
        if box is None:
            if not by_list:
                yield _outside(node, pool, drawn=False)
            continue
        centre = _centre(box)
        by_drawing = [lane for lane, lane_box in boxes if _inside(lane_box, centre)]
        holds_drawn.update(id(lane) for lane in by_drawing)
        if not by_list and not by_drawing:
            yield _outside(node, pool, drawn=True)
            continue
        # lanes this plane does not draw cannot be measured: their lists stand as they are
        by_list_drawn = [lane for lane in by_list if id(lane) in drawn_lanes]
        if {id(lane) for lane in by_drawing} != {id(lane) for lane in by_list_drawn}:
            if not by_drawing:
                where = f"is drawn outside every lane, but {_lane_names(by_list_drawn)} lists it"
            else:
                where = f"is drawn in {_lane_names(by_drawing)}, but the file lists it in {_lane_names(by_list_drawn)}"
            yield Problem(
                WARNING,
                node.id,
                f"{_capital(describe(node))} {where}: other modelers and the RACI check go by the list; move the "
                "node, or nudge it to bring the list up to date",
                OUT_OF_STEP,
            )
    for lane in lanes:
        if lane.find(bpmn("childLaneSet")) is not None and any(
            child.local == "lane"
            for child in lane.find(bpmn("childLaneSet")).children  # type: ignore[union-attr]
        ):
            continue  # a lane split into lanes holds what they hold
        names_something = any(
            document.element(ref_id(ref.text)) is not None for ref in lane.findall(bpmn("flowNodeRef"))
        )
        if not names_something and id(lane) not in holds_drawn:
            yield Problem(
                WARNING,
                lane.id or "",
                f"{_capital(describe(lane))} holds no activity, event or gateway: remove it, or give its role the "
                "work it does",
                EMPTY,
            )


def _outside(node: Element, pool: str, *, drawn: bool) -> Problem:
    where = f"is in none of the lanes of {pool}" + (" and is drawn outside them" if drawn else "")
    return Problem(
        WARNING,
        node.id or "",
        f"{_capital(describe(node))} {where}: no role's lane holds it; move it into the lane of the role that does it",
        OUTSIDE_LANES,
    )


def _pool_name(document: Document, process: Element) -> str:
    for participant in b.participants(document):
        if ref_id(participant.get("processRef")) == process.id:
            return _pool_label(participant)
    return describe(process)


def _pool_label(participant: Element) -> str:
    return describe(participant).replace("participant", "pool", 1)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


# --- pools ---------------------------------------------------------------------------------------


def _sequence_flows(document: Document) -> Iterator[tuple[Element, Element]]:
    """(flow, process) for every sequence flow, those of sub-processes included."""
    for process in b.processes(document):
        for element in b.flow_elements(process):
            if b.kind(element) == "sequenceFlow":
                yield element, process


def _flows_between_pools(document: Document) -> Iterator[Problem]:
    for flow, process in _sequence_flows(document):
        ends = [document.element(ref_id(flow.get(key))) for key in ("sourceRef", "targetRef")]
        if any(end is None for end in ends):
            continue  # an unresolved end is the reader's problem, reported there
        processes = [b.owning_process(end) for end in ends]  # type: ignore[arg-type]
        if all(owner is process for owner in processes):
            continue
        source, target = ends
        yield Problem(
            ERROR,
            flow.id or "",
            f"{_capital(describe(flow))} runs from {describe(source)} in {_where(document, processes[0])} to "  # type: ignore[arg-type]
            f"{describe(target)} in {_where(document, processes[1])}: a sequence flow stays inside one pool; "  # type: ignore[arg-type]
            "between pools, use a message flow",
            BETWEEN_POOLS,
        )


def _where(document: Document, process: Element | None) -> str:
    return _pool_name(document, process) if process is not None else "no process"


def _flows_leaving_pools(document: Document) -> Iterator[Problem]:
    """Waypoints outside the bounds of the pool that stands for the flow's process, on the same
    diagram. A pool is a rectangle, so a flow whose waypoints are all inside stays inside."""
    pools_of: dict[str, list[Element]] = {}
    for participant in b.participants(document):
        process = ref_id(participant.get("processRef"))
        if process:
            pools_of.setdefault(process, []).append(participant)
    for diagram in di.diagrams(document):
        plane = di.plane(diagram)
        if plane is None:
            continue
        index = di.plane_index(document, plane)
        for flow, process in _sequence_flows(document):
            edge = index.drawing(flow.id)
            if edge is None or not di.is_edge(edge):
                continue
            for participant in pools_of.get(process.id or "", []):
                drawing = index.drawing(participant.id)
                box = di.bounds(drawing) if drawing is not None and di.is_shape(drawing) else None
                if box is None:
                    continue
                if any(not _on_or_inside(box, point) for point in di.waypoints(edge)):
                    yield Problem(
                        WARNING,
                        flow.id or "",
                        f"{_capital(describe(flow))} is drawn leaving {_pool_label(participant)}: "
                        "a sequence flow runs inside its pool; route it back in",
                        LEAVES_POOL,
                    )
                break


def _on_or_inside(box: Bounds, point: Point) -> bool:
    return box.x <= point.x <= box.x + box.width and box.y <= point.y <= box.y + box.height
