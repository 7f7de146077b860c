"""Pools and lanes as modeling operations: create a pool; add, split, resize, reorder and delete
lanes; keep lane membership (flowNodeRef) in step with geometry (modeling layer, pure Python).

The geometry is bpmn-js's. A pool has a header band HEADER wide along its start edge (the left of
a horizontal pool, the top of a vertical one, DI isHorizontal="false"); its lanes fill the rest and
tile the pool across the flow with no gap and no overlap; nested lanes sit inside their parent lane
the same way. The code speaks of two axes so that one implementation serves both orientations:
*along* the flow (x in a horizontal pool) and *across* it (y), the axis lanes stack on. "Before"
means above in a horizontal pool and left in a vertical one.

Membership follows geometry: a flow node directly in a process is listed (flowNodeRef) by every
drawn lane of that process whose bounds hold its centre — the innermost lane and each lane around
it, as bpmn-js's UpdateFlowNodeRefsHandler does. A lane's bounds hold a point on its start edges
and not on its end edges, so a node centred on a shared border belongs to exactly one of the two
lanes. Nodes inside a sub-process are listed by no lane: the sub-process's lane stands for them
(as raci.py reads it).

Every function changes the document only through its mutation API, so a caller's Document.edit()
makes it one exactly reversible step.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from ..model import bpmn as b
from ..model import di
from ..model.di import Bounds, Point
from ..model.document import Document
from ..model.element import Element
from ..model.namespaces import bpmn, bpmndi, dc
from ..model.references import all_references, target_id
from . import geometry
from .shapes import ModelingError

HEADER = 30.0  # the band along a pool's (or parent lane's) start edge that carries its name
MIN_LANE = 60.0  # the smallest size of a lane across the flow
DEFAULT_LANE = 120.0  # a new lane's size when it has no neighbour to take after
MIN_LENGTH = 100.0  # the shortest a lane may get along the flow
FIT_MARGIN = 20.0  # the room fit_containers keeps between a node and its pool or lane edge

# Borders closer than this count as one, as in bpmn-js's lane resizing: files from other tools
# leave small gaps and rounding between lanes that a user sees as one line.
_SNAP = 10.0
# Edge changes this small are rounding of the caller's bounds, not a user's drag.
_NOISE = 0.5

_CONTENT_KINDS = (b.FLOW_NODE_TYPES - {"boundaryEvent"}) | {
    "dataObjectReference",
    "dataStoreReference",
    "textAnnotation",
    "group",
}


# --- the two axes -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Axes:
    """Bounds seen along the flow and across it, for a horizontal or a vertical pool."""

    horizontal: bool

    def across(self, box: Bounds) -> tuple[float, float]:
        return (box.y, box.y + box.height) if self.horizontal else (box.x, box.x + box.width)

    def along(self, box: Bounds) -> tuple[float, float]:
        return (box.x, box.x + box.width) if self.horizontal else (box.y, box.y + box.height)

    def bounds(self, along: tuple[float, float], across: tuple[float, float]) -> Bounds:
        (a0, a1), (c0, c1) = along, across
        if self.horizontal:
            return Bounds(a0, c0, a1 - a0, c1 - c0)
        return Bounds(c0, a0, c1 - c0, a1 - a0)

    def offset(self, across: float) -> tuple[float, float]:
        """(dx, dy) of a shift across the flow."""
        return (0.0, across) if self.horizontal else (across, 0.0)

    def centre_across(self, box: Bounds) -> float:
        start, end = self.across(box)
        return (start + end) / 2


def _inside(box: Bounds, point: Point) -> bool:
    """Start edges in, end edges out: lanes that tile a pool share each point exactly once."""
    return box.x <= point.x < box.x + box.width and box.y <= point.y < box.y + box.height


def _centre(box: Bounds) -> Point:
    return Point(box.x + box.width / 2, box.y + box.height / 2)


def _ref_id(value: str | None) -> str:
    return (value or "").strip().rpartition(":")[2]


# --- finding pools and lanes --------------------------------------------------------------------


def _process_of(document: Document, participant: Element) -> Element | None:
    process = document.element(_ref_id(participant.get("processRef")) or None)
    return process if process is not None and process.local == "process" else None


def pool_of(document: Document, plane: Element | None, element: Element) -> Element | None:
    """The participant whose process holds the element or lane (a participant is its own pool);
    of several participants for one process, the one drawn on `plane`."""
    if element.local == "participant":
        return element
    process = element if element.local == "process" else b.owning_process(element)
    if process is None or process.id is None:
        return None
    candidates = [p for p in b.participants(document) if _ref_id(p.get("processRef")) == process.id]
    if plane is not None:
        index = di.plane_index(document, plane)
        for participant in candidates:
            if index.drawing(participant.id) is not None:
                return participant
    return candidates[0] if candidates else None


def _parent_lane(lane: Element) -> Element | None:
    lane_set = lane.parent
    if lane_set is not None and lane_set.tag == bpmn("childLaneSet"):
        return lane_set.parent
    return None


def _ancestor_lanes(lane: Element) -> list[Element]:
    found = []
    parent = _parent_lane(lane)
    while parent is not None:
        found.append(parent)
        parent = _parent_lane(parent)
    return found


def _child_lanes(container: Element) -> list[Element]:
    """The lanes directly inside a lane or a process."""
    set_tag = bpmn("childLaneSet") if container.local == "lane" else bpmn("laneSet")
    return [lane for lane_set in container.findall(set_tag) for lane in lane_set.findall(bpmn("lane"))]


def _descendant_lanes(lane: Element) -> list[Element]:
    found: list[Element] = []
    pending = _child_lanes(lane)
    while pending:
        child = pending.pop()
        found.append(child)
        pending.extend(_child_lanes(child))
    return found


def _depth(lane: Element) -> int:
    return len(_ancestor_lanes(lane))


def _drawn_processes(document: Document, plane: Element) -> list[Element]:
    """The processes a plane draws: its own, in a process diagram, and those of its pools."""
    index = di.plane_index(document, plane)
    found: list[Element] = []
    root = document.element(_ref_id(plane.get("bpmnElement")) or None)
    if root is not None and root.local == "process":
        found.append(root)
    for participant in b.participants(document):
        if index.drawing(participant.id) is not None:
            process = _process_of(document, participant)
            if process is not None and all(process is not known for known in found):
                found.append(process)
    return found


@dataclass
class _Swimlanes:
    """One process's pool and lanes as drawn on one plane. `pool` is None for lanes drawn without
    a pool (MIWG A.4.0 has such a process)."""

    document: Document
    plane: Element
    process: Element
    pool: Element | None
    axes: _Axes

    def shape(self, element: Element) -> Element | None:
        drawing = di.plane_index(self.document, self.plane).drawing(element.id)
        return drawing if drawing is not None and di.is_shape(drawing) else None

    def require_shape(self, element: Element) -> Element:
        drawing = self.shape(element)
        if drawing is None:
            raise ModelingError(f"{_describe(element)} is not drawn in this diagram")
        return drawing

    def lane_shapes(self) -> list[Element]:
        return [shape for lane in _lanes(self.document, self.process) if (shape := self.shape(lane)) is not None]

    def frame(self) -> list[Element]:
        """The pool's shape and every lane shape: what the lanes' borders are made of."""
        return ([self.pool] if self.pool is not None else []) + self.lane_shapes()

    def region(self) -> Bounds | None:
        """The area the pool covers: its bounds, or the box round its lanes when it has none."""
        if self.pool is not None:
            return geometry.bounds_of(self.pool)
        boxes = [geometry.bounds_of(shape) for shape in self.lane_shapes()]
        if not boxes:
            return None
        left, top = min(box.x for box in boxes), min(box.y for box in boxes)
        right = max(box.x + box.width for box in boxes)
        bottom = max(box.y + box.height for box in boxes)
        return Bounds(left, top, right - left, bottom - top)

    def content_shapes(self) -> list[Element]:
        """The shapes drawn directly in the process that lanes carry when they move. Boundary
        events and a sub-process's contents are left out: they travel with their host."""
        found = []
        for child in self.process.children:
            if b.kind(child) in _CONTENT_KINDS and (shape := self.shape(child)) is not None:
                found.append(shape)
        return found

    def siblings(self, lane: Element) -> list[Element]:
        """The drawn lanes of the lane's set, in the order a user sees them."""
        assert lane.parent is not None
        drawn = [(other, shape) for other in lane.parent.findall(bpmn("lane")) if (shape := self.shape(other))]
        drawn.sort(key=lambda item: self.axes.across(geometry.bounds_of(item[1]))[0])
        return [other for other, _ in drawn]

    def sync(self) -> None:
        sync_lane_membership(self.document, self.plane, _direct_flow_nodes(self.process))


def _swimlanes(document: Document, plane: Element | None, element: Element) -> _Swimlanes:
    if plane is None:
        raise ModelingError("Pools and lanes are edited in a diagram")
    if element.local == "participant":
        participant: Element | None = element
        process = _process_of(document, element)
        if process is None:
            raise ModelingError("An empty (black-box) pool has no process and no lanes")
    else:
        process = element if element.local == "process" else b.owning_process(element)
        if process is None:
            raise ModelingError(f"{_describe(element)} is not in a process")
        participant = pool_of(document, plane, process)
    index = di.plane_index(document, plane)
    pool = index.drawing(participant.id) if participant is not None else None
    if pool is not None and not di.is_shape(pool):
        pool = None
    oriented = pool
    if oriented is None:
        oriented = next((d for lane in _lanes(document, process) if (d := index.drawing(lane.id)) is not None), None)
    # bpmn-js reads a pool or lane without isHorizontal as horizontal
    horizontal = oriented is None or di.is_horizontal(oriented) is not False
    return _Swimlanes(document, plane, process, pool, _Axes(horizontal))


def _describe(element: Element) -> str:
    name = b.name(element)
    return f"{element.local} {name!r}" if name else f"{element.local} {element.id}"


def _direct_flow_nodes(process: Element) -> list[Element]:
    return [child for child in process.children if b.kind(child) in b.FLOW_NODE_TYPES]


# --- changing bounds ----------------------------------------------------------------------------


def _set_bounds(document: Document, shape: Element, box: Bounds) -> None:
    """Write bounds only when they change, so that numbers as a file wrote them ("144.0") are not
    rewritten by an edit that did not move the shape."""
    old = geometry.bounds_of(shape)
    if any(abs(a - c) > 1e-6 for a, c in zip(_numbers(old), _numbers(box), strict=True)):
        di.set_bounds(document, shape, box)


def _numbers(box: Bounds) -> tuple[float, float, float, float]:
    return (box.x, box.y, box.width, box.height)


def _set_across(ctx: _Swimlanes, shape: Element, start: float, end: float) -> None:
    box = geometry.bounds_of(shape)
    _set_bounds(ctx.document, shape, ctx.axes.bounds(ctx.axes.along(box), (start, end)))


def _start(ctx: _Swimlanes, shape: Element) -> float:
    return ctx.axes.across(geometry.bounds_of(shape))[0]


def _end(ctx: _Swimlanes, shape: Element) -> float:
    return ctx.axes.across(geometry.bounds_of(shape))[1]


def _near(a: float, c: float) -> bool:
    return abs(a - c) <= _SNAP


def _make_space(ctx: _Swimlanes, line: float, delta: float, *, forward: bool, growers: Iterable[Element]) -> None:
    """Open (or with a shrinking delta, close) room across the flow at `line`, inside one pool.

    Forward: what lies beyond the line — lanes starting at or after it, content centred at or
    after it — moves by `delta`, and the growers' end edges move with it. Backward: what lies
    before the line moves by `delta` (negative to open room), and the growers' start edges move.
    Lanes and the pool that the line cuts through always grow; the caller names the ones that
    merely touch the line and should grow too."""
    if abs(delta) < 1e-9:
        return
    axes = ctx.axes
    growing = {id(shape): shape for shape in growers}
    for shape in ctx.frame():
        start, end = axes.across(geometry.bounds_of(shape))
        if start < line - _SNAP and end > line + _SNAP:
            growing.setdefault(id(shape), shape)
    moving: list[Element] = []
    for shape in ctx.lane_shapes():
        if id(shape) in growing:
            continue
        start, end = axes.across(geometry.bounds_of(shape))
        if (forward and start >= line - _SNAP) or (not forward and end <= line + _SNAP):
            moving.append(shape)
    region = ctx.region()
    for shape in ctx.content_shapes():
        box = geometry.bounds_of(shape)
        centre = _centre(box)
        if region is not None and not geometry.centre_in(region, box):
            continue  # drawn outside the pool: not the pool's to carry
        across = centre.y if axes.horizontal else centre.x
        if (forward and across >= line) or (not forward and across < line):
            moving.append(shape)
    for shape in growing.values():
        start, end = axes.across(geometry.bounds_of(shape))
        if forward:
            _set_across(ctx, shape, start, end + delta)
        else:
            _set_across(ctx, shape, start + delta, end)
    if moving:
        geometry.move_shapes(ctx.document, ctx.plane, moving, *axes.offset(delta))


def _resize_along(ctx: _Swimlanes, start_delta: float, end_delta: float, *, limit: bool) -> None:
    """Move the pool's start or end edge along the flow; every lane follows, so headers keep
    their width. With `limit`, no lane gets shorter than MIN_LENGTH."""
    frame = ctx.frame()
    if not frame:
        return
    axes = ctx.axes

    def slack() -> float:
        spare = []
        for shape in frame:
            a0, a1 = axes.along(geometry.bounds_of(shape))
            shortest = MIN_LENGTH + (HEADER if shape is ctx.pool else 0.0)
            spare.append(a1 - a0 - shortest)
        return max(0.0, min(spare))

    if limit and start_delta > 0:
        start_delta = min(start_delta, slack())
    if abs(start_delta) > 1e-9:
        for shape in frame:
            box = geometry.bounds_of(shape)
            a0, a1 = axes.along(box)
            _set_bounds(ctx.document, shape, axes.bounds((a0 + start_delta, a1), axes.across(box)))
    if limit and end_delta < 0:
        end_delta = max(end_delta, -slack())
    if abs(end_delta) > 1e-9:
        for shape in frame:
            box = geometry.bounds_of(shape)
            a0, a1 = axes.along(box)
            _set_bounds(ctx.document, shape, axes.bounds((a0, a1 + end_delta), axes.across(box)))


# --- creating -----------------------------------------------------------------------------------


def _di_id(document: Document, element: Element) -> str:
    """bpmn-js's "<id>_di" where that is free."""
    wanted = f"{element.id}_di"
    return wanted if document.element(wanted) is None else document.new_id(wanted)


def _new_shape(
    document: Document, plane: Element, element: Element, box: Bounds, horizontal: bool, index: int
) -> Element:
    bounds = Element(
        dc("Bounds"),
        {key: di.format_number(getattr(box, key)) for key in ("x", "y", "width", "height")},
    )
    shape = Element(
        bpmndi("BPMNShape"),
        {
            "id": _di_id(document, element),
            "bpmnElement": element.id or "",
            "isHorizontal": "true" if horizontal else "false",
        },
        [bounds],
    )
    document.insert(plane, index, shape)
    return shape


def _first_drawing_index(plane: Element) -> int:
    """Where a shape goes to be painted under every other: before the first drawn element (after
    any di:extension, which the schema puts first)."""
    for position, child in enumerate(plane.children):
        if di.is_shape(child) or di.is_edge(child):
            return position
    return len(plane.children)


def _new_lane(ctx: _Swimlanes, lane_set: Element, position: int, box: Bounds, after: Element) -> Element:
    """A lane at `position` among the lane set's children, drawn right after the shape `after`
    (its pool or a neighbour), so that tools painting in file order put it under the nodes."""
    document = ctx.document
    lane = Element(bpmn("lane"), {"id": document.new_id("Lane")})
    document.insert(lane_set, position, lane)
    assert after.parent is ctx.plane
    _new_shape(document, ctx.plane, lane, box, ctx.axes.horizontal, after.index_in_parent() + 1)
    return lane


def create_pool(
    document: Document, plane: Element, bounds: Bounds, name: str = "", *, horizontal: bool = True
) -> Element:
    """A pool: a participant with a process of its own, drawn with `bounds`.

    A process diagram becomes a collaboration diagram first, as in bpmn-js: a collaboration is
    created, the plane draws it, and this first pool takes the existing process, wrapping its
    shapes (the pool grows past `bounds` where needed to hold them with a margin)."""
    root = document.element(_ref_id(plane.get("bpmnElement")) or None)
    definitions = document.root
    axes = _Axes(horizontal)
    box = bounds
    if bounds.width <= 0 or bounds.height <= 0:
        raise ModelingError("A pool needs a size")
    if root is not None and root.local == "collaboration":
        collaboration = root
        process = b.create(document, definitions, "process", {"isExecutable": "false"}, id_prefix="Process")
        position = len(plane.children)
    elif root is not None and root.local == "process":
        process = root
        collaboration = b.create(document, definitions, "collaboration", id_prefix="Collaboration")
        box = _wrapping_bounds(document, plane, process, bounds, axes)
        document.set_attribute(plane, "bpmnElement", collaboration.id)
        position = _first_drawing_index(plane)
    else:
        raise ModelingError("Pools go on a process or collaboration diagram")
    attributes = {"name": name} if name else {}
    attributes["processRef"] = process.id or ""
    participant = b.create(document, collaboration, "participant", attributes, id_prefix="Participant")
    _new_shape(document, plane, participant, box, horizontal, position)
    return participant


def _wrapping_bounds(document: Document, plane: Element, process: Element, wanted: Bounds, axes: _Axes) -> Bounds:
    """Bounds for a pool round a process already drawn: its lanes plus a header when it has drawn
    lanes, else its shapes with a margin and a header; never smaller than `wanted`."""
    index = di.plane_index(document, plane)
    lane_boxes = [
        geometry.bounds_of(drawing)
        for lane in _child_lanes(process)
        if (drawing := index.drawing(lane.id)) is not None and di.is_shape(drawing)
    ]
    if lane_boxes:
        a0 = min(axes.along(box)[0] for box in lane_boxes) - HEADER
        a1 = max(axes.along(box)[1] for box in lane_boxes)
        c0 = min(axes.across(box)[0] for box in lane_boxes)
        c1 = max(axes.across(box)[1] for box in lane_boxes)
        return axes.bounds((a0, a1), (c0, c1))
    boxes: list[Bounds] = []
    for element in b.flow_elements(process):
        drawing = index.drawing(element.id)
        if drawing is None:
            continue
        if di.is_shape(drawing):
            boxes.append(geometry.bounds_of(drawing))
        else:
            boxes.extend(Bounds(p.x, p.y, 0, 0) for p in di.waypoints(drawing))
    if not boxes:
        return wanted
    a0 = min(axes.along(box)[0] for box in boxes) - FIT_MARGIN - HEADER
    a1 = max(axes.along(box)[1] for box in boxes) + FIT_MARGIN
    c0 = min(axes.across(box)[0] for box in boxes) - FIT_MARGIN
    c1 = max(axes.across(box)[1] for box in boxes) + FIT_MARGIN
    wanted_along = axes.along(wanted)
    wanted_across = axes.across(wanted)
    a1 = max(a1, a0 + wanted_along[1] - wanted_along[0])
    missing = (wanted_across[1] - wanted_across[0]) - (c1 - c0)
    if missing > 0:  # the content stays in the middle of a pool taller than it needs
        c0, c1 = c0 - missing / 2, c1 + missing / 2
    return axes.bounds((a0, a1), (c0, c1))


# --- adding and splitting lanes -----------------------------------------------------------------


def add_lane(document: Document, plane: Element, relative_to: Element, where: str) -> Element:
    """A new lane before or after a lane, or at the start or end of a pool's lanes.

    The new lane takes the size of the lane it is added next to (DEFAULT_LANE when the pool had
    no lanes: it first gets one lane covering it, which holds its nodes). The pool and the lanes
    round the new one grow by that size; lanes on the side the lane is added (and their contents)
    move out of the way, so that the lane it was added next to stays where it is."""
    if where not in ("before", "after"):
        raise ValueError(f"where is 'before' or 'after', not {where!r}")
    if relative_to.local == "participant":
        ctx = _swimlanes(document, plane, relative_to)
        if ctx.pool is None:
            raise ModelingError(f"{_describe(relative_to)} is not drawn in this diagram")
        top = [lane for lane in _child_lanes(ctx.process) if ctx.shape(lane) is not None]
        if not top:
            if _lanes(ctx.document, ctx.process):
                raise ModelingError("This pool's lanes are not drawn in this diagram")
            lane_set = b.create(document, ctx.process, "laneSet", id_prefix="LaneSet")
            pool_box = geometry.bounds_of(ctx.pool)
            a0, a1 = ctx.axes.along(pool_box)
            covering = ctx.axes.bounds((a0 + HEADER, a1), ctx.axes.across(pool_box))
            neighbour = _new_lane(ctx, lane_set, len(lane_set.children), covering, ctx.pool)
            size = DEFAULT_LANE
        else:
            ordered = ctx.siblings(top[0])
            neighbour = ordered[0] if where == "before" else ordered[-1]
            size = _size(ctx, ctx.require_shape(neighbour))
    elif relative_to.local == "lane":
        ctx = _swimlanes(document, plane, relative_to)
        neighbour = relative_to
        size = _size(ctx, ctx.require_shape(neighbour))
    else:
        raise ModelingError("Lanes are added to a pool or next to a lane")
    size = max(size, MIN_LANE)
    neighbour_shape = ctx.require_shape(neighbour)
    growers = [shape for lane in _ancestor_lanes(neighbour) if (shape := ctx.shape(lane)) is not None]
    if ctx.pool is not None:
        growers.append(ctx.pool)
    start, end = ctx.axes.across(geometry.bounds_of(neighbour_shape))
    if where == "before":
        _make_space(ctx, start, -size, forward=False, growers=growers)
        across = (start - size, start)
        position = neighbour.index_in_parent()
    else:
        _make_space(ctx, end, size, forward=True, growers=growers)
        across = (end, end + size)
        position = neighbour.index_in_parent() + 1
    along = ctx.axes.along(geometry.bounds_of(neighbour_shape))
    lane_set = neighbour.parent
    assert lane_set is not None
    lane = _new_lane(ctx, lane_set, position, ctx.axes.bounds(along, across), neighbour_shape)
    ctx.sync()
    return lane


def _size(ctx: _Swimlanes, shape: Element) -> float:
    start, end = ctx.axes.across(geometry.bounds_of(shape))
    return end - start


def split_lane(document: Document, plane: Element, lane_or_pool: Element, count: int) -> list[Element]:
    """Divide a lane (into a nested childLaneSet) or a pool without lanes into `count` (2 to 4)
    lanes of equal size that tile it. Like bpmn-js's menu, only a lane or pool without lanes
    inside can be divided, and only when each part gets MIN_LANE."""
    if not 2 <= count <= 4:
        raise ModelingError("A lane is divided into two, three or four lanes")
    if lane_or_pool.local not in ("lane", "participant"):
        raise ModelingError("Only a pool or a lane can be divided into lanes")
    ctx = _swimlanes(document, plane, lane_or_pool)
    shape = ctx.shape(lane_or_pool) if lane_or_pool.local == "lane" else ctx.pool
    if shape is None:
        raise ModelingError(f"{_describe(lane_or_pool)} is not drawn in this diagram")
    container = lane_or_pool if lane_or_pool.local == "lane" else ctx.process
    if _child_lanes(container):
        raise ModelingError(f"{_describe(lane_or_pool)} already has lanes: divide one of them")
    box = geometry.bounds_of(shape)
    start, end = ctx.axes.across(box)
    if end - start < count * MIN_LANE - 1e-6:
        raise ModelingError(f"Too small to divide into {count} lanes: make it at least {count * MIN_LANE:g} across")
    a0, a1 = ctx.axes.along(box)
    if lane_or_pool.local == "lane":
        lane_set = b.create(document, lane_or_pool, "childLaneSet", id_prefix="LaneSet")
    else:
        lane_set = b.create(document, ctx.process, "laneSet", id_prefix="LaneSet")
    # whole-number sizes, the last lane taking the remainder (rounded down, unlike bpmn-js, so
    # that the last lane never falls below MIN_LANE)
    each = math.floor((end - start) / count)
    created: list[Element] = []
    after = shape
    for number in range(count):
        lane_start = start + number * each
        lane_end = end if number == count - 1 else lane_start + each
        lane = _new_lane(
            ctx, lane_set, len(lane_set.children), ctx.axes.bounds((a0 + HEADER, a1), (lane_start, lane_end)), after
        )
        after = ctx.require_shape(lane)
        created.append(lane)
    ctx.sync()
    return created


# --- resizing -----------------------------------------------------------------------------------


def resize_lane(
    document: Document, plane: Element, lane: Element, new_bounds: Bounds, *, make_space: bool = False
) -> None:
    """Resize a lane as its handles do. An edge between two lanes is balanced: the neighbour on
    the other side gives way, and neither gets smaller than MIN_LANE. An outer edge (one the
    pool shares) resizes the pool with the lane. With `make_space` the lanes and contents beyond
    the moved edge shift instead, so the lane grows without taking room from anyone and the pool
    grows with it. Edges along the flow resize the pool and every lane with it."""
    if lane.local != "lane":
        raise ModelingError("Only a lane is resized this way")
    ctx = _swimlanes(document, plane, lane)
    shape = ctx.require_shape(lane)
    axes = ctx.axes
    old = geometry.bounds_of(shape)
    (start, end), (new_start, new_end) = axes.across(old), axes.across(new_bounds)
    if abs(new_end - end) > _NOISE:
        _move_edge(ctx, end, new_end, at_end=True, make_space=make_space)
    if abs(new_start - start) > _NOISE:
        _move_edge(ctx, _start(ctx, shape), new_start, at_end=False, make_space=make_space)
    (a0, a1), (b0, b1) = axes.along(old), axes.along(new_bounds)
    start_delta = b0 - a0 if abs(b0 - a0) > _NOISE else 0.0
    end_delta = b1 - a1 if abs(b1 - a1) > _NOISE else 0.0
    _resize_along(ctx, start_delta, end_delta, limit=True)
    ctx.sync()


def _move_edge(ctx: _Swimlanes, at: float, to: float, *, at_end: bool, make_space: bool) -> None:
    """Move a lane's end (or start) edge at `at` to `to`: every lane border and pool edge at
    that line moves with it, so the lanes keep tiling the pool."""
    lanes = ctx.lane_shapes()
    ending = [shape for shape in lanes if _near(_end(ctx, shape), at)]
    starting = [shape for shape in lanes if _near(_start(ctx, shape), at)]
    pool = ctx.pool
    pool_ends_here = pool is not None and _near(_end(ctx, pool), at)
    pool_starts_here = pool is not None and _near(_start(ctx, pool), at)
    if make_space:
        delta = to - at
        if at_end:
            # the lanes before the edge grow (or shrink, never below MIN_LANE); the rest shifts
            if ending:
                delta = max(delta, max(MIN_LANE - _size(ctx, shape) for shape in ending))
            growers = ending + ([pool] if pool is not None and pool_ends_here else [])
            _make_space(ctx, at, delta, forward=True, growers=growers)
        else:
            if starting:
                delta = min(delta, min(_size(ctx, shape) - MIN_LANE for shape in starting))
            growers = starting + ([pool] if pool is not None and pool_starts_here else [])
            _make_space(ctx, at, delta, forward=False, growers=growers)
        return
    lowest = max((_start(ctx, shape) + MIN_LANE for shape in ending), default=float("-inf"))
    highest = min((_end(ctx, shape) - MIN_LANE for shape in starting), default=float("inf"))
    to = min(max(to, lowest), highest)
    if abs(to - at) < 1e-9:
        return
    for shape in ending:
        _set_across(ctx, shape, _start(ctx, shape), to)
    for shape in starting:
        _set_across(ctx, shape, to, _end(ctx, shape))
    if pool is not None:
        # an outer edge: the pool's edge moves with it
        if pool_ends_here and not starting:
            _set_across(ctx, pool, _start(ctx, pool), to)
        elif pool_starts_here and not ending:
            _set_across(ctx, pool, to, _end(ctx, pool))
        _cover_lanes(ctx)


def _cover_lanes(ctx: _Swimlanes) -> None:
    """Grow the pool where a lane reaches past it (files whose lanes did not tile their pool)."""
    if ctx.pool is None:
        return
    lanes = ctx.lane_shapes()
    if not lanes:
        return
    start, end = ctx.axes.across(geometry.bounds_of(ctx.pool))
    low = min(_start(ctx, shape) for shape in lanes)
    high = max(_end(ctx, shape) for shape in lanes)
    if low < start - 1e-6 or high > end + 1e-6:
        _set_across(ctx, ctx.pool, min(start, low), max(end, high))


def resize_pool(document: Document, plane: Element, participant: Element, new_bounds: Bounds) -> None:
    """Resize a pool; its outer lanes take the change (never below MIN_LANE), every lane follows
    an edge along the flow, and the contents stay where they are."""
    if participant.local != "participant":
        raise ModelingError("Only a pool is resized this way")
    index = di.plane_index(document, plane)
    pool = index.drawing(participant.id)
    if pool is None or not di.is_shape(pool):
        raise ModelingError(f"{_describe(participant)} is not drawn in this diagram")
    if _process_of(document, participant) is None:
        # an empty pool has no lanes to keep in step
        axes = _Axes(di.is_horizontal(pool) is not False)
        along, across = axes.along(new_bounds), axes.across(new_bounds)
        along = (along[0], max(along[1], along[0] + HEADER + MIN_LENGTH))
        across = (across[0], max(across[1], across[0] + MIN_LANE))
        _set_bounds(document, pool, axes.bounds(along, across))
        return
    ctx = _swimlanes(document, plane, participant)
    assert ctx.pool is not None
    axes = ctx.axes
    old = geometry.bounds_of(ctx.pool)
    (start, end), (new_start, new_end) = axes.across(old), axes.across(new_bounds)
    if abs(new_end - end) > _NOISE:
        last = [shape for shape in ctx.lane_shapes() if _near(_end(ctx, shape), end)]
        lowest = max((_start(ctx, shape) + MIN_LANE for shape in last), default=start + MIN_LANE)
        new_end = max(new_end, lowest)
        for shape in last:
            _set_across(ctx, shape, _start(ctx, shape), new_end)
        _set_across(ctx, ctx.pool, start, new_end)
        end = new_end
    if abs(new_start - start) > _NOISE:
        first = [shape for shape in ctx.lane_shapes() if _near(_start(ctx, shape), start)]
        highest = min((_end(ctx, shape) - MIN_LANE for shape in first), default=end - MIN_LANE)
        new_start = min(new_start, highest)
        for shape in first:
            _set_across(ctx, shape, new_start, _end(ctx, shape))
        _set_across(ctx, ctx.pool, new_start, end)
    _cover_lanes(ctx)
    (a0, a1), (b0, b1) = axes.along(old), axes.along(new_bounds)
    start_delta = b0 - a0 if abs(b0 - a0) > _NOISE else 0.0
    end_delta = b1 - a1 if abs(b1 - a1) > _NOISE else 0.0
    _resize_along(ctx, start_delta, end_delta, limit=True)
    ctx.sync()


# --- deleting and reordering --------------------------------------------------------------------


def delete_lane(document: Document, plane: Element | None, lane: Element) -> None:
    """Remove a lane with its nested lanes, their drawings on every diagram and whatever else
    names them. On `plane`, the neighbours fill the gap (half each when there is one on either
    side, as bpmn-js does) and the lane's nodes stay where they are, joining the lanes that now
    cover them. The last lane of a set takes its (child) lane set with it. With plane None only
    the semantics and drawings go (a lane not drawn anywhere)."""
    if lane.local != "lane" or lane.parent is None:
        raise ModelingError("Only a lane in a lane set can be deleted as a lane")
    lane_set = lane.parent
    doomed = [lane, *_descendant_lanes(lane)]
    doomed_ids = {element.id for element in doomed if element.id}
    ctx: _Swimlanes | None = None
    fills: list[tuple[Element, float, float]] = []
    if plane is not None:
        ctx = _swimlanes(document, plane, lane)
        shape = ctx.shape(lane)
        if shape is not None:
            fills = _gap_fill(ctx, lane, shape)
    for drawing in list(di.diagram_elements(document)):
        if _ref_id(drawing.get("bpmnElement")) in doomed_ids:
            document.remove(drawing)
    for reference in list(all_references(document)):
        holder = reference.holder
        if holder.parent is None or target_id(document, reference) not in doomed_ids:
            continue
        if holder in doomed or any(ancestor in doomed for ancestor in holder.ancestors()):
            continue  # goes with the lane
        if reference.child is not None:
            document.remove(reference.child)
        elif reference.attribute is not None:
            document.set_attribute(holder, reference.attribute, None)
    document.remove(lane)
    if not lane_set.findall(bpmn("lane")) and lane_set.parent is not None:
        document.remove(lane_set)
    if ctx is not None:
        for neighbour, start, end in fills:
            _set_across(ctx, neighbour, start, end)
        ctx.sync()


def _gap_fill(ctx: _Swimlanes, lane: Element, shape: Element) -> list[tuple[Element, float, float]]:
    """The new (start, end) of the sibling lanes (and their nested lanes) bordering the gap a
    lane leaves: one neighbour takes it all, two share it."""
    start, end = ctx.axes.across(geometry.bounds_of(shape))
    family: list[Element] = []
    for sibling in ctx.siblings(lane):
        if sibling is lane:
            continue
        for member in [sibling, *_descendant_lanes(sibling)]:
            if (drawing := ctx.shape(member)) is not None:
                family.append(drawing)
    before = [s for s in family if _near(_end(ctx, s), start)]
    after = [s for s in family if _near(_start(ctx, s), end)]
    if before and after:
        middle = start + (end - start) / 2
        return [(s, _start(ctx, s), middle) for s in before] + [(s, middle, _end(ctx, s)) for s in after]
    if before:
        return [(s, _start(ctx, s), end) for s in before]
    return [(s, start, _end(ctx, s)) for s in after]


def move_lane(document: Document, plane: Element, lane: Element, new_index: int) -> None:
    """Put a lane at `new_index` among its sibling lanes (in the order a user sees them), with
    everything in it: nested lanes, nodes, their labels and boundary events, the flows inside.
    The lanes in between shift to make room, carrying their contents; flows between lanes that
    moved apart are routed afresh. The lanes' order in the file follows the new visual order."""
    if lane.local != "lane" or lane.parent is None:
        raise ModelingError("Only a lane can be moved among lanes")
    ctx = _swimlanes(document, plane, lane)
    ctx.require_shape(lane)
    siblings = ctx.siblings(lane)
    if len(siblings) < 2:
        return
    new_index = max(0, min(new_index, len(siblings) - 1))
    if new_index == siblings.index(lane):
        return
    order = [other for other in siblings if other is not lane]
    order.insert(new_index, lane)
    # every block (a lane with what it holds) is collected before anything moves; blocks that
    # shift alike move together, so that the flows between them move whole
    cursor = _start(ctx, ctx.require_shape(siblings[0]))
    blocks: dict[float, list[Element]] = {}
    for sibling in order:
        sibling_shape = ctx.require_shape(sibling)
        delta = cursor - _start(ctx, sibling_shape)
        cursor += _size(ctx, sibling_shape)
        if abs(delta) > 1e-9:
            blocks.setdefault(round(delta, 6), []).extend(_block(ctx, sibling, sibling_shape))
    moved_by: dict[str, float] = {}
    for delta, block in blocks.items():
        for moved in geometry.move_shapes(document, plane, block, *ctx.axes.offset(delta)):
            moved_by[_ref_id(moved.get("bpmnElement"))] = delta
    _reroute_between(ctx, moved_by)
    _order_lanes(document, lane.parent, order)
    ctx.sync()


def _block(ctx: _Swimlanes, lane: Element, shape: Element) -> list[Element]:
    """A lane's shape, its nested lanes' shapes and the content centred in it."""
    box = geometry.bounds_of(shape)
    found = [shape]
    found.extend(drawing for child in _descendant_lanes(lane) if (drawing := ctx.shape(child)) is not None)
    found.extend(content for content in ctx.content_shapes() if _inside(box, _centre(geometry.bounds_of(content))))
    return found


def _reroute_between(ctx: _Swimlanes, moved_by: dict[str, float]) -> None:
    """Flows whose two ends moved by different amounts get a fresh route: their old bend points
    belonged to a lane order that is gone."""
    index = di.plane_index(ctx.document, ctx.plane)
    seen: set[int] = set()
    for element_id in moved_by:
        for edge in index.edges(element_id):
            if id(edge) in seen:
                continue
            seen.add(id(edge))
            connection = geometry.element_of(ctx.document, edge)
            if connection is None:
                continue
            source, target = b.connection_ends(connection)
            if moved_by.get(source or "", 0.0) != moved_by.get(target or "", 0.0):
                geometry.reconnect(ctx.document, ctx.plane, edge, fresh=True)


def _order_lanes(document: Document, lane_set: Element, order: list[Element]) -> None:
    """Put the drawn lanes of a set in the file in `order`, in the places they held (lanes not
    drawn, comments and other children stay where they are)."""
    slots = sorted(lane.index_in_parent() for lane in order)
    if [lane_set.children[slot] for slot in slots] == order:
        return
    for lane in sorted(order, key=lambda item: item.index_in_parent(), reverse=True):
        document.remove(lane)
    for slot, lane in zip(slots, order, strict=True):
        document.insert(lane_set, slot, lane)


# --- where things are, and membership -----------------------------------------------------------


def lane_at(document: Document, plane: Element, process: Element, point: Point) -> Element | None:
    """The innermost lane of the process, drawn on the plane, whose bounds hold the point."""
    index = di.plane_index(document, plane)
    best: Element | None = None
    best_depth = -1
    for lane in _lanes(document, process):
        drawing = index.drawing(lane.id)
        if drawing is None or not di.is_shape(drawing) or not _inside(geometry.bounds_of(drawing), point):
            continue
        depth = _depth(lane)
        if depth >= best_depth:
            best, best_depth = lane, depth
    return best


def sync_lane_membership(document: Document, plane: Element, nodes: Iterable[Element] | None = None) -> None:
    """Make flowNodeRef follow geometry: each flow node directly in a process drawn on the plane
    is listed by exactly the drawn lanes of its process whose bounds hold its centre (a nested
    lane and every lane round it). A node given that now sits inside a sub-process is listed by
    no lane. nodes=None means every flow node directly in the processes the plane draws.

    New references go at the end of a lane's list; nothing changes where the lists are right.
    Lanes of the node's process not drawn on this plane are left as they are, and so are
    references to anything else (a sub-process's nodes, ids the file left unresolved)."""
    index = di.plane_index(document, plane)
    processes = _drawn_processes(document, plane)
    lane_boxes: dict[int, list[tuple[Element, Bounds]]] = {}
    drawn_lane_ids: set[int] = set()
    for process in processes:
        boxes = []
        for lane in _lanes(document, process):
            drawing = index.drawing(lane.id)
            if drawing is not None and di.is_shape(drawing):
                boxes.append((lane, geometry.bounds_of(drawing)))
                drawn_lane_ids.add(id(lane))
        lane_boxes[id(process)] = boxes
    # which lanes list each id now, over every process: a node moved between pools leaves a
    # reference behind in its old process
    listed = _listed_refs(document)
    if nodes is None:
        targets = [node for process in processes for node in _direct_flow_nodes(process)]
    else:
        targets = [node for node in nodes if b.kind(node) in b.FLOW_NODE_TYPES]
    done: set[str] = set()
    for node in targets:
        if node.id is None or node.id in done:
            continue
        done.add(node.id)
        parent = node.parent
        if parent is not None and parent.tag == bpmn("process"):
            if id(parent) not in lane_boxes:
                continue  # its process is not drawn here: nothing to measure against
            drawing = index.drawing(node.id)
            if drawing is None or not di.is_shape(drawing):
                continue
            centre = _centre(geometry.bounds_of(drawing))
            wanted = [lane for lane, box in lane_boxes[id(parent)] if _inside(box, centre)]
            own_process = parent
        elif b.owning_process(node) is not None:
            wanted, own_process = [], None  # inside a sub-process: its sub-process's lane stands for it
        else:
            continue
        kept: set[int] = set()
        for lane, ref, process in listed.get(node.id, []):
            decided_here = process is not own_process or id(lane) in drawn_lane_ids
            if not decided_here:
                continue
            if any(lane is w for w in wanted) and id(lane) not in kept:
                kept.add(id(lane))
                continue
            document.remove(ref)
        for lane in wanted:
            if id(lane) not in kept:
                b.create(document, lane, "flowNodeRef", text=node.id)


def _lanes(document: Document, process: Element) -> list[Element]:
    """bpmn.lanes, kept in the document's derived cache: a process of thousands of nodes would
    otherwise be read child by child several times in every move."""
    key = ("lanes", id(process))
    found = document.derived.get(key)
    if not isinstance(found, list):
        found = b.lanes(process)
        document.derived[key] = found
    return list(found)


def _listed_refs(document: Document) -> dict[str, list[tuple[Element, Element, Element]]]:
    """node id → (lane, flowNodeRef, process) for every reference, kept in the document's derived
    cache (dropped when a reference or lane changes) so that a move in a large model does not
    read every lane's list again."""
    key = ("listed_flow_node_refs",)
    listed = document.derived.get(key)
    if not isinstance(listed, dict):
        listed = {}
        for process in b.processes(document):
            for lane in _lanes(document, process):
                for ref in lane.findall(bpmn("flowNodeRef")):
                    listed.setdefault(_ref_id(ref.text), []).append((lane, ref, process))
        document.derived[key] = listed
    return listed


def fit_containers(document: Document, plane: Element, shapes: Iterable[Element]) -> None:
    """Grow pools and lanes that content reached the edge of: each shape centred in its pool ends
    up inside the pool's lanes area, and inside the lane holding it, with FIT_MARGIN to spare.
    Along the flow the pool and all its lanes lengthen; across it the lane (or the pool without
    lanes) grows and the lanes beyond shift with their contents. Nothing ever shrinks. Where
    lanes grew, membership follows for the whole process (a grown lane may cover more nodes)."""
    for shape in list(shapes):
        if not di.is_shape(shape) or shape.parent is None:
            continue
        element = geometry.element_of(document, shape)
        if element is None or element.local in ("participant", "lane"):
            continue
        if b.kind(element) not in b.FLOW_NODE_TYPES | _CONTENT_KINDS:
            continue
        process = b.owning_process(element)
        if process is None:
            continue
        ctx = _swimlanes(document, plane, process)
        if ctx.pool is None:
            continue
        frame_before = [geometry.bounds_of(frame) for frame in ctx.frame()]
        _fit(ctx, shape)
        if [geometry.bounds_of(frame) for frame in ctx.frame()] != frame_before:
            # a grown lane may now cover nodes that were outside it
            ctx.sync()


def _fit(ctx: _Swimlanes, shape: Element) -> None:
    assert ctx.pool is not None
    axes = ctx.axes
    box = geometry.bounds_of(shape)
    if not geometry.centre_in(geometry.bounds_of(ctx.pool), box):
        return  # drawn outside its pool: the user put it there, no pool reaches out for it
    lane = lane_at(ctx.document, ctx.plane, ctx.process, _centre(box))
    lane_shape = ctx.shape(lane) if lane is not None else None
    node_start, node_end = axes.along(box)
    pool_start, pool_end = axes.along(geometry.bounds_of(ctx.pool))
    area_start = axes.along(geometry.bounds_of(lane_shape))[0] if lane_shape is not None else pool_start + HEADER
    start_delta = min(0.0, node_start - FIT_MARGIN - area_start)
    end_delta = max(0.0, node_end + FIT_MARGIN - pool_end)
    _resize_along(ctx, start_delta, end_delta, limit=False)
    container = lane_shape if lane_shape is not None else ctx.pool
    low, high = axes.across(geometry.bounds_of(shape))
    end = _end(ctx, container)
    if high + FIT_MARGIN > end:
        growers = [s for s in ctx.frame() if _near(_end(ctx, s), end)]
        _make_space(ctx, end, high + FIT_MARGIN - end, forward=True, growers=growers)
    start = _start(ctx, container)
    low = axes.across(geometry.bounds_of(shape))[0]
    if low - FIT_MARGIN < start:
        growers = [s for s in ctx.frame() if _near(_start(ctx, s), start)]
        _make_space(ctx, start, low - FIT_MARGIN - start, forward=False, growers=growers)
