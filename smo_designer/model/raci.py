"""The RACI matrix as users see it: rows of activities grouped by pool and lane in flow order,
columns of roles, and the R that lane membership implies (model layer)."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from . import bpmn as b
from . import smo
from .document import Document
from .element import Element
from .namespaces import bpmn

# How each letter looks wherever the matrix is shown (the grid, the Excel sheet, the guide):
# a pastel fill with a dark letter of the same hue, legible on screen, in colour print and in grey.
LETTER_COLOURS: dict[str, tuple[str, str]] = {
    "A": ("F4B183", "843C0C"),
    "R": ("A9D08E", "375623"),
    "S": ("C9BFE0", "3F3151"),
    "C": ("FFE699", "7F6000"),
    "I": ("BDD7EE", "1F4E78"),
}


@dataclass(frozen=True)
class RaciRow:
    """One activity of the matrix, with where it stands."""

    activity_id: str
    name: str
    kind: str
    process_id: str
    pool: str  # the participant's name, else the process's name, else its id
    lane_id: str  # the innermost lane holding the activity, "" when none
    lane: str


def flow_order(container: Element) -> list[Element]:
    """The flow nodes directly in a process or sub-process, in the order the flow visits them:
    breadth-first from the start nodes (those without incoming sequence flows), then whatever
    the flow does not reach, in document order. Iterative, so long chains are no problem."""
    nodes = [c for c in container.children if b.kind(c) in b.FLOW_NODE_TYPES]
    by_id = {n.id: n for n in nodes if n.id}
    successors: dict[str, list[str]] = {ident: [] for ident in by_id}
    has_incoming: set[str] = set()
    for flow in container.findall(bpmn("sequenceFlow")):
        source, target = flow.get("sourceRef"), flow.get("targetRef")
        if source in by_id and target in by_id:
            successors[source].append(target)
            has_incoming.add(target)
    for node in nodes:
        if b.kind(node) == "boundaryEvent" and node.get("attachedToRef") in by_id and node.id:
            successors[node.get("attachedToRef")].append(node.id)  # type: ignore[index]
            has_incoming.add(node.id)
    order: list[Element] = []
    seen: set[str] = set()
    starts = [n.id for n in nodes if n.id and n.id not in has_incoming]
    for seed in starts + [n.id for n in nodes if n.id]:
        if seed in seen:
            continue
        queue = deque([seed])
        seen.add(seed)
        while queue:
            ident = queue.popleft()
            order.append(by_id[ident])
            for following in successors[ident]:
                if following not in seen:
                    seen.add(following)
                    queue.append(following)
    return order


def _activities_in_order(container: Element) -> list[Element]:
    out = []
    for node in flow_order(container):
        if b.kind(node) in b.RACI_ACTIVITY_TYPES:
            out.append(node)
        if b.kind(node) in b.SUBPROCESS_TYPES:
            out.extend(_activities_in_order(node))
    return out


def raci_rows(document: Document) -> list[RaciRow]:
    """Every activity, grouped by pool, then by lane in lane order, in flow order inside."""
    pools = {p.get("processRef"): b.name(p) for p in b.participants(document) if p.get("processRef")}
    rows: list[RaciRow] = []
    for process in b.processes(document):
        pool = pools.get(process.id) or b.name(process) or process.id or ""
        lanes = b.lanes(process)
        innermost: dict[str, Element] = {}
        for lane in lanes:  # nested lanes come after their parents, so the innermost wins
            for ref in lane.findall(bpmn("flowNodeRef")):
                innermost[(ref.text or "").strip()] = lane
        lane_rank = {id(lane): index for index, lane in enumerate(lanes)}
        activities = _activities_in_order(process)

        placed = [(activity, _innermost_lane(activity, process, innermost)) for activity in activities]
        placed.sort(key=lambda item: lane_rank.get(id(item[1]), len(lanes)))  # stable: flow order kept
        for activity, lane in placed:
            rows.append(
                RaciRow(
                    activity.id or "",
                    b.name(activity),
                    b.kind(activity) or "",
                    process.id or "",
                    pool,
                    lane.id or "" if lane is not None else "",
                    b.name(lane) if lane is not None else "",
                )
            )
    return rows


def _innermost_lane(activity: Element, process: Element, innermost: dict[str, Element]) -> Element | None:
    """The lane of an activity, or of the sub-process that holds it."""
    node: Element | None = activity
    while node is not None and node is not process:
        if node.id in innermost:
            return innermost[node.id]
        node = node.parent
    return None


def lane_role_of(document: Document, lane_id: str) -> str | None:
    """The role the diagram makes Responsible for what sits in this lane: the lane's own role,
    else that of the nearest enclosing lane bound to one."""
    node = document.element(lane_id) if lane_id else None
    while node is not None and node.tag == bpmn("lane"):
        role = smo.lane_role(node)
        if role:
            return role
        lane_set = node.parent
        node = lane_set.parent if lane_set is not None and lane_set.tag == bpmn("childLaneSet") else None
    return None


@dataclass(frozen=True)
class LaneResponsibility:
    """What the diagram implies for one activity: `role` should hold R because the activity
    sits in its lane; `has_r` tells whether the matrix agrees. A disagreement is shown to the
    user and applied only by a command, never silently."""

    activity_id: str
    role: str
    has_r: bool


def lane_responsibilities(document: Document, rows: list[RaciRow] | None = None) -> list[LaneResponsibility]:
    """For every activity in a lane bound to a role: whether that role already holds R.
    `rows` may pass the matrix rows when the caller has them."""
    out = []
    for row in raci_rows(document) if rows is None else rows:
        activity = document.element(row.activity_id)
        if activity is None:
            continue
        role = lane_role_of(document, row.lane_id)
        if role:
            out.append(LaneResponsibility(row.activity_id, role, "R" in smo.raci(activity).get(role, "")))
    return out


def apply_cells(document: Document, cells: list[tuple[str, str, str]], label: str = "Edit RACI") -> None:
    """Set many cells (activity id, role id, letters) as one edit; all or nothing."""
    with document.edit(label):
        for activity_id, role_id, letters in cells:
            activity = document.element(activity_id)
            if activity is None:
                raise KeyError(f"no activity with id {activity_id!r}")
            smo.set_raci(document, activity, role_id, letters)
