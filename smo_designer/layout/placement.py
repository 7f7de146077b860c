"""Positions for what a file leaves undrawn, and the tidy-up of a selection (layout layer, pure
Python).

`place_missing` is what the canvas runs when it opens a file (and `export --image` before it
draws): a file without any DI gets the full auto-layout; a file with some DI keeps every shape
where it is, and each undrawn node goes beside its drawn neighbours (right of the step before
it, in its lane), a pool nobody drew goes below the others, and undrawn flows are routed.

`tidy_selection` lays out chosen nodes among themselves, in their lanes, where the selection
was; nothing else moves unless a lane has to grow to hold them.

Both write through the document's mutation API, so the caller's `document.edit(...)` makes one
undo step.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..model import bpmn as b
from ..model import di
from ..model.di import Bounds, Point
from ..model.document import Document
from ..model.element import Element
from . import routing
from .autolayout import (
    BAND_PADDING,
    CONTENT_MARGIN,
    HEADER,
    LAYER_GAP,
    POOL_GAP,
    SATELLITE_GAP,
    SUBPROCESS_PADDING,
    TRACK_GAP,
    _Band,
    _collect_edges,
    _Edge,
    _layout_plane,
    _local,
    _Node,
    _PlaneLayout,
    _Scope,
    _size_subprocess,
    _write_scope,
    _Writer,
    create_planes,
    diagram_roots,
    layout_diagram,
)

MARGIN = 10.0  # the least room between a placed shape and its neighbours


def drawn_ids(document: Document) -> set[str]:
    """Ids of the elements some diagram draws."""
    found = set()
    for drawing in di.diagram_elements(document):
        ref = _local(drawing.get("bpmnElement"))
        if ref:
            found.add(ref)
    return found


def place_missing(document: Document) -> int:
    """Give every undrawn flow node, data object, annotation, pool and connection a place;
    returns how many elements got one. A document that draws nothing at all (or has no
    diagram) gets the full auto-layout."""
    before = drawn_ids(document)
    planes = [p for d in di.diagrams(document) if (p := di.plane(d)) is not None]
    if not planes or not before:
        layout_diagram(document)
        return len(drawn_ids(document) - before)
    for plane in planes:
        _MissingPlacement(document, plane).run()
    # what no diagram draws at all (a process only a call activity names) gets one of its own
    drawn_roots = {_local(p.get("bpmnElement")) for p in planes}
    now = drawn_ids(document)
    missing_roots = [
        root
        for root in diagram_roots(document)
        if root.id not in drawn_roots and not any(e.id in now for e in b.flow_elements(root))
    ]
    for plane in create_planes(document, missing_roots):
        _layout_plane(document, plane)
    return len(drawn_ids(document) - before)


# --- shared helpers ----------------------------------------------------------------------------


def _overlaps(a: Bounds, c: Bounds, margin: float = 0.0) -> bool:
    return (
        a.x < c.x + c.width + margin
        and c.x < a.x + a.width + margin
        and a.y < c.y + c.height + margin
        and c.y < a.y + a.height + margin
    )


def _holds(outer: Bounds, inner: Bounds) -> bool:
    """Whether a box lies inside another (a node in its sub-process)."""
    return (
        outer.x <= inner.x
        and outer.y <= inner.y
        and inner.x + inner.width <= outer.x + outer.width
        and inner.y + inner.height <= outer.y + outer.height
    )


def _shapes(plane: Element) -> dict[str, tuple[Element, Bounds]]:
    found: dict[str, tuple[Element, Bounds]] = {}
    for child in plane.children:
        if di.is_shape(child):
            ref = _local(child.get("bpmnElement"))
            box = di.bounds(child)
            if ref and box is not None and ref not in found:
                found[ref] = (child, box)
    return found


def _all_scopes(scope: _Scope) -> Iterable[_Scope]:
    yield scope
    for node in [*scope.nodes, *(n for band in scope.bands for n in band.footer)]:
        if node.inner is not None:
            yield from _all_scopes(node.inner)


def _is_container(document: Document, shape: Element, element: Element | None) -> bool:
    if element is None:
        return True
    if element.local in ("participant", "lane", "group"):
        return True
    # an expanded call activity shows the process it calls inside it, as a sub-process does
    return (element.local in b.SUBPROCESS_TYPES or element.local == "callActivity") and di.is_expanded(shape) is True


def _flags(layout: _PlaneLayout, edge: _Edge) -> tuple[bool, bool]:
    """Whether a sequence flow leaves a splitting gateway or enters a merging one."""
    if edge.element.local != "sequenceFlow":
        return False, False
    source, target = edge.source, edge.target
    fork = source is not None and source.element is not None and source.element.local in b.GATEWAY_TYPES
    join = target is not None and target.element is not None and target.element.local in b.GATEWAY_TYPES
    if fork:
        fork = len(source.element.findall(f"{{{b.BPMN}}}outgoing")) > 1 or _degree(layout, source, out=True) > 1
    if join:
        join = len(target.element.findall(f"{{{b.BPMN}}}incoming")) > 1 or _degree(layout, target, out=False) > 1
    return fork, join


def _degree(layout: _PlaneLayout, node: _Node, *, out: bool) -> int:
    count = 0
    for scope in _all_scopes(layout.scope) if layout.scope is not None else ():
        for edge in scope.edges:
            if edge.element.local == "sequenceFlow" and (edge.source if out else edge.target) is node:
                count += 1
    return count


def _route(
    source: Bounds, target: Bounds, solids: list[Bounds], *, fork: bool = False, join: bool = False
) -> list[Point]:
    """A route between two boxes that keeps off the other shapes where it can."""
    plain = routing.route(source, target, source_fork=fork, target_join=join)
    low_x = min(source.x, target.x) - 150
    high_x = max(source.x + source.width, target.x + target.width) + 150
    low_y = min(source.y, target.y) - 150
    high_y = max(source.y + source.height, target.y + target.height) + 150
    near = [
        box
        for box in solids
        if box != source
        and box != target
        and box.x < high_x
        and box.x + box.width > low_x
        and box.y < high_y
        and box.y + box.height > low_y
        and not _holds(box, source)
        and not _holds(box, target)
    ]
    if routing.keeps_off(plain, near):
        return plain
    return routing.search_route(source, target, source_fork=fork, target_join=join, obstacles=near) or plain


def _pool_route(node_box: Bounds, pool_box: Bounds, solids: list[Bounds]) -> list[Point]:
    """From a node straight to the facing border of a pool (a message flow to a black box)."""
    below = pool_box.y >= node_box.y + node_box.height
    pool_y = pool_box.y if below else pool_box.y + pool_box.height
    middle = node_box.x + node_box.width / 2
    points = [Point(middle, node_box.y + node_box.height if below else node_box.y), Point(middle, pool_y)]
    others = [box for box in solids if box != node_box]
    if not routing.keeps_off(points, others):
        aside = node_box.x + node_box.width + LAYER_GAP / 2
        centre_y = node_box.y + node_box.height / 2
        points = [Point(node_box.x + node_box.width, centre_y), Point(aside, centre_y), Point(aside, pool_y)]
    return points


# --- placing what is missing -------------------------------------------------------------------


class _MissingPlacement:
    """Places one plane's undrawn elements beside what is drawn."""

    def __init__(self, document: Document, plane: Element) -> None:
        self.document = document
        self.plane = plane

    def run(self) -> None:
        layout = _PlaneLayout(self.document, self.plane)
        scope = layout.build()
        if scope is None:
            return
        layout.scope = scope
        shapes = _shapes(self.plane)
        undrawn_pools = [pool for number, pool in enumerate(layout.pools) if not self._pool_drawn(layout, number)]
        if undrawn_pools and len(undrawn_pools) < len(layout.pools):
            # pools nobody drew go below the drawing, laid out on their own
            boxes = [box for _, box in shapes.values()]
            origin = Point(min(b_.x for b_ in boxes), max(b_.y + b_.height for b_ in boxes) + POOL_GAP)
            only = {(pool.participant or pool.process).id for pool in undrawn_pools}  # type: ignore[union-attr]
            _layout_plane(self.document, self.plane, only=only, origin=origin)  # type: ignore[arg-type]
            layout = _PlaneLayout(self.document, self.plane)
            scope = layout.build()
            if scope is None:
                return
            layout.scope = scope
        self.layout = layout
        self.scope = scope
        self.writer = _Writer(self.document, self.plane, layout.drawn)
        self.boxes: dict[str, Bounds] = {}
        self.solids: dict[str, Bounds] = {}
        self.moved: dict[str, tuple[float, float]] = {}  # drawn shapes that made room, and by how much
        self.arranged: set[str] = set()
        for ident, (_, box) in _shapes(self.plane).items():
            self.boxes[ident] = box
            element = self.document.element(ident)
            if element is not None and element.local not in ("participant", "lane", "group"):
                self.solids[ident] = box  # expanded sub-processes too: nothing lands on a foreign one
        self.drawn_before = set(self.boxes)
        self._place_nodes()
        self._draw_pools()
        self._route_edges()
        self._follow_moved()

    def _pool_drawn(self, layout: _PlaneLayout, number: int) -> bool:
        pool = layout.pools[number]
        if pool.participant is not None and pool.participant.id in layout.drawn:
            return True
        return any(
            node.band in pool.bands and ident in layout.drawn
            for ident, node in layout.nodes.items()
            if layout.scope_of.get(ident) is layout.scope
        )

    # --- nodes -----------------------------------------------------------------------------

    def _neighbours(self) -> tuple[dict[str, list[_Node]], dict[str, list[_Node]]]:
        before: dict[str, list[_Node]] = {}
        after: dict[str, list[_Node]] = {}
        edges = [e for s in _all_scopes(self.scope) for e in s.edges if not e.hidden] + self.layout.loose
        for edge in edges:
            if edge.source is None or edge.target is None:
                continue
            after.setdefault(edge.source.ident, []).append(edge.target)
            before.setdefault(edge.target.ident, []).append(edge.source)
        return before, after

    def _place_nodes(self) -> None:
        layout = self.layout
        self.before, self.after = self._neighbours()
        pending = [n for n in layout.nodes.values() if n.element is not None and n.ident not in self.boxes]
        for node in pending:
            if node.inner is None:
                continue
            # an undrawn sub-process whose content is drawn gets a frame round that content
            content = [n for scope in _all_scopes(node.inner) for n in scope.all_nodes()]
            inside = [self.boxes[n.ident] for n in content if n.ident in self.boxes]
            if inside:
                left = min(box.x for box in inside) - MARGIN
                top = min(box.y for box in inside) - BAND_PADDING
                right = max(box.x + box.width for box in inside) + MARGIN
                bottom = max(box.y + box.height for box in inside) + MARGIN
                self._commit(node, Bounds(left, top, right - left, bottom - top), content=False)
        pending = [n for n in pending if n.ident not in self.boxes]
        while pending:
            progress = False
            for node in pending:
                if node.ident not in self.boxes and self._place_near(node):
                    progress = True
            pending = [n for n in pending if n.ident not in self.boxes]
            if pending and not progress:
                waiting = [n for n in pending if self._container_ready(n)]
                self._place_alone(waiting[0] if waiting else pending[0])
                pending = [n for n in pending if n.ident not in self.boxes]

    def _container(self, node: _Node) -> _Node | None:
        anchor = node.host or node.anchor or node
        return self.layout.container_node.get(anchor.ident)

    def _container_ready(self, node: _Node) -> bool:
        container = self._container(node)
        return container is None or container.ident in self.boxes

    def _region(self, node: _Node) -> Bounds | None:
        """The box a node must stay in: its sub-process, lane or pool (less the headers)."""
        container = self._container(node)
        if container is not None:
            box = self.boxes.get(container.ident)
            if box is None:
                return None
            return Bounds(box.x + MARGIN, box.y + BAND_PADDING, box.width - 2 * MARGIN, box.height - BAND_PADDING)
        scope = self.layout.scope_of.get(node.ident)
        if scope is None or node.band < 0 or node.band >= len(scope.bands):
            return None
        band = scope.bands[node.band]
        for element in (band.lane, self.layout.pools[band.pool].participant):
            if element is not None and element.id in self.boxes:
                box = self.boxes[element.id]
                return Bounds(box.x + HEADER, box.y, box.width - HEADER, box.height)
        return None

    def _ancestors(self, node: _Node) -> list[str]:
        found = []
        container = self._container(node)
        while container is not None:
            found.append(container.ident)
            container = self._container(container)
        return found

    def _free(self, box: Bounds, ignore: Iterable[str] = ()) -> bool:
        skipped = set(ignore)
        return not any(_overlaps(box, other, MARGIN) for ident, other in self.solids.items() if ident not in skipped)

    def _settle(self, node: _Node, x: float, y: float, region: Bounds | None) -> Bounds:
        """The first free place for the node from (x, y): further down or up in its lane,
        then a column further right."""
        width, height = node.width, node.height
        step_y = height + TRACK_GAP
        step_x = LAYER_GAP + 100.0
        if node.inner is not None and node.ident not in self.arranged:
            # a missing expanded sub-process comes with its content: its size is that content's
            node.inner.arrange()
            _size_subprocess(node)
            self.arranged.add(node.ident)
        ignore = [e.ident for e in node.boundaries] + self._ancestors(node)
        region = self._fit(node, region)
        first: Bounds | None = None
        for column in range(80):
            left = x + column * step_x
            if region is not None:
                left = max(left, region.x + MARGIN)
            for k in (0, 1, -1, 2, -2, 3, -3, 4, -4):
                top = y + k * step_y
                if region is not None:
                    top = min(max(top, region.y + MARGIN), region.y + region.height - height - MARGIN)
                box = Bounds(left, top, width, height)
                first = first or box
                if self._free(box, ignore):
                    return box
        assert first is not None
        return first

    def _fit(self, node: _Node, region: Bounds | None) -> Bounds | None:
        """The region, made taller first when the node is taller than it: the lane (or
        sub-process) and what holds it grow, and what lies below moves down."""
        if region is None:
            return region
        missing = node.height + node.overhang + 2 * MARGIN - region.height
        if missing <= 0:
            return region
        container = self._container(node)
        if container is not None:
            frame = self.boxes[container.ident]
        else:
            frame = Bounds(region.x - HEADER, region.y, region.width + HEADER, region.height)
        self._make_room(False, frame.y + frame.height, missing, frame)
        return Bounds(region.x, region.y, region.width, region.height + missing)

    def _make_room(self, horizontal: bool, line: float, extra: float, frame: Bounds) -> None:
        """Move everything beyond a line (right of it, or below it) by `extra`, and stretch the
        pools, lanes and sub-processes that hold `frame` across the line, as the space tool does."""
        for ident, box in list(self.boxes.items()):
            start, end = (box.x, box.x + box.width) if horizontal else (box.y, box.y + box.height)
            if start >= line - 0.5:
                moved = (
                    Bounds(box.x + extra, box.y, box.width, box.height)
                    if horizontal
                    else Bounds(box.x, box.y + extra, box.width, box.height)
                )
                self._move(ident, moved)
                dx, dy = self.moved.get(ident, (0.0, 0.0))
                self.moved[ident] = (dx + extra, dy) if horizontal else (dx, dy + extra)
                continue
            element = self.document.element(ident)
            holds = (
                box.y <= frame.y + 0.5 and box.y + box.height >= frame.y + frame.height - 0.5
                if horizontal
                else box.x <= frame.x + 0.5 and box.x + box.width >= frame.x + frame.width - 0.5
            )
            if (
                start < line <= end + 0.5
                and holds
                and element is not None
                and element.local in ("participant", "lane", "callActivity", *b.SUBPROCESS_TYPES)
            ):
                grown = (
                    Bounds(box.x, box.y, box.width + extra, box.height)
                    if horizontal
                    else Bounds(box.x, box.y, box.width, box.height + extra)
                )
                self._move(ident, grown)

    def _move(self, ident: str, box: Bounds) -> None:
        element = self.document.element(ident)
        if element is None:
            return
        self.writer.shape(element, box, {})
        self.boxes[ident] = box
        if ident in self.solids:
            self.solids[ident] = box

    def _follow_moved(self) -> None:
        """Drawn flows whose ends a growing lane moved: moved whole when both ends moved alike,
        else re-attached keeping their bends."""
        if not self.moved:
            return
        for child in self.plane.children:
            if not di.is_edge(child):
                continue
            connection = self.document.element(_local(child.get("bpmnElement")))
            if connection is None or connection.id not in self.drawn_before:
                continue
            source_id, target_id = b.connection_ends(connection)
            if source_id not in self.moved and target_id not in self.moved:
                continue
            old = di.waypoints(child)
            shift = self.moved.get(source_id or "")
            if shift is not None and shift == self.moved.get(target_id or ""):
                self.writer.edge(connection, routing.translate(old, *shift))
                continue
            source_box, target_box = self.boxes.get(source_id or ""), self.boxes.get(target_id or "")
            if source_box is not None and target_box is not None and old:
                self.writer.edge(connection, routing.repair(source_box, target_box, old))

    def _place_near(self, node: _Node) -> bool:
        if node.host is not None:
            host = self.boxes.get(node.host.ident)
            if host is None:
                return False
            self._commit(node, self._on_border(node, host))
            return True
        if not self._container_ready(node):
            return False
        region = self._region(node)
        if node.element is not None and node.element.local in (
            "dataObjectReference",
            "dataStoreReference",
            "dataInput",
            "dataOutput",
            "textAnnotation",
        ):
            anchors = [n for n in self.before.get(node.ident, []) + self.after.get(node.ident, [])]
            anchors = [n for n in anchors if n.ident in self.boxes]
            if not anchors:
                return False
            anchor = self.boxes[anchors[0].ident]
            x = anchor.x + anchor.width / 2 - node.width / 2
            y = anchor.y - node.height - SATELLITE_GAP
            self._commit(node, self._settle(node, x, y, region))
            return True
        drawn_before = [n for n in self.before.get(node.ident, []) if n.ident in self.boxes]
        drawn_after = [n for n in self.after.get(node.ident, []) if n.ident in self.boxes]
        if drawn_before:
            previous_node = drawn_before[0]
            if previous_node.host is not None and previous_node.host.ident in self.boxes:
                previous_node = previous_node.host  # after a boundary event's activity, not the event
            previous = self.boxes[previous_node.ident]
            x = previous.x + previous.width + LAYER_GAP
            y = previous.y + previous.height / 2 - node.height / 2
        elif drawn_after:
            following = self.boxes[drawn_after[0].ident]
            x = following.x - LAYER_GAP - node.width
            y = following.y + following.height / 2 - node.height / 2
        else:
            return False
        self._commit(node, self._settle(node, x, y, region))
        return True

    def _place_alone(self, node: _Node) -> None:
        """A node with no drawn neighbour: after what its lane (pool, sub-process) holds."""
        if node.host is not None:
            host = node.host
            if host.ident not in self.boxes:
                self._place_alone(host)
            self._commit(node, self._on_border(node, self.boxes[host.ident]))
            return
        region = self._region(node)
        if region is not None:
            inside = [box for box in self.solids.values() if _overlaps(box, region)]
            x = max((box.x + box.width for box in inside), default=region.x + CONTENT_MARGIN - LAYER_GAP) + LAYER_GAP
            y = region.y + region.height / 2 - node.height / 2
        else:
            x = max((box.x + box.width for box in self.solids.values()), default=-LAYER_GAP) + LAYER_GAP
            y = min((box.y for box in self.solids.values()), default=0.0)
        self._commit(node, self._settle(node, x, y, region))

    def _on_border(self, event: _Node, host: Bounds) -> Bounds:
        """A free place on the activity's bottom border."""
        assert event.host is not None
        taken = [self.boxes[e.ident] for e in event.host.boundaries if e.ident in self.boxes]
        half = event.width / 2
        for border in (host.y + host.height, host.y):
            centre = host.x + half
            while centre <= host.x + host.width - half:
                box = Bounds(centre - half, border - event.height / 2, event.width, event.height)
                if not any(_overlaps(box, other) for other in taken):
                    return box
                centre += 2.0
        centre = host.x + host.width / 2
        return Bounds(centre - half, host.y + host.height - event.height / 2, event.width, event.height)

    def _commit(self, node: _Node, box: Bounds, *, content: bool = True) -> None:
        element = node.element
        assert element is not None
        node.x, node.y, node.width, node.height = box.x, box.y, box.width, box.height
        attributes: dict[str, str] = {}
        if element.local in b.SUBPROCESS_TYPES or (element.local == "callActivity" and node.inner is not None):
            attributes["isExpanded"] = "true" if node.inner is not None else "false"
        if element.local == "exclusiveGateway":
            attributes["isMarkerVisible"] = "true"
        if node.inner is not None and content:
            self.writer.shape(element, box, attributes)
            node.inner.shift(node.x + SUBPROCESS_PADDING, node.y)
            _write_scope(self.writer, node.inner)
            for inner_scope in _all_scopes(node.inner):
                for inner_node in inner_scope.all_nodes():
                    self.boxes[inner_node.ident] = inner_node.box
                    self.solids[inner_node.ident] = inner_node.box
            for edge in _collect_edges(node.inner):
                if not edge.hidden and edge.points:
                    self.writer.edge(edge.element, edge.points)
        else:
            self.writer.shape(element, box, attributes)
        self.boxes[node.ident] = box
        self.solids[node.ident] = box
        self._grow_around(node, box)

    def _grow_around(self, node: _Node, box: Bounds) -> None:
        """Containers grow to the right (or down) to hold a placed node."""
        container = self._container(node)
        if container is not None:
            outer = self.boxes.get(container.ident)
            if outer is None:
                return
            extra = box.x + box.width + MARGIN - (outer.x + outer.width)
            if extra > 0:
                self._make_room(True, outer.x + outer.width, extra, outer)
            return
        scope = self.layout.scope_of.get(node.ident)
        if scope is None or node.band < 0 or node.band >= len(scope.bands) or not scope.top_level:
            return
        pool = self.layout.pools[scope.bands[node.band].pool]
        right = box.x + box.width + CONTENT_MARGIN
        members = [pool.participant] if pool.participant is not None else []
        members += [lane for lane, _, leaves in self.layout.lanes if leaves[0] in pool.bands]
        for element in members:
            outer = self.boxes.get(element.id or "")
            if outer is not None and outer.x + outer.width < right:
                grown = Bounds(outer.x, outer.y, right - outer.x, outer.height)
                self.writer.shape(element, grown, {})
                self.boxes[element.id or ""] = grown

    # --- pools and edges -------------------------------------------------------------------

    def _draw_pools(self) -> None:
        """A pool whose content is drawn but not the pool itself gets a frame round it."""
        layout = self.layout
        for number, pool in enumerate(layout.pools):
            participant = pool.participant
            if participant is None or participant.id in self.boxes:
                continue
            inside = [
                self.boxes[ident]
                for ident, node in layout.nodes.items()
                if ident in self.boxes
                and layout.scope_of.get(ident) is self.scope
                and node.band >= 0
                and self.scope.bands[node.band].pool == number
            ]
            if not inside:
                continue
            left = min(box.x for box in inside) - HEADER - CONTENT_MARGIN
            top = min(box.y for box in inside) - BAND_PADDING
            right = max(box.x + box.width for box in inside) + CONTENT_MARGIN
            bottom = max(box.y + box.height for box in inside) + BAND_PADDING
            box = Bounds(left, top, right - left, bottom - top)
            self.writer.shape(participant, box, {"isHorizontal": "true"})
            self.boxes[participant.id or ""] = box

    def _route_edges(self) -> None:
        layout = self.layout
        solids = list(self.solids.values())
        edges = [e for s in _all_scopes(self.scope) for e in s.edges if not e.hidden] + layout.loose
        for edge in edges:
            if edge.element.id in layout.drawn:
                continue
            source_id, target_id = b.connection_ends(edge.element)
            source_box, target_box = self.boxes.get(source_id or ""), self.boxes.get(target_id or "")
            if source_box is None or target_box is None:
                continue
            source_element = self.document.element(source_id)
            target_element = self.document.element(target_id)
            if source_element is not None and source_element.local == "participant":
                points = list(reversed(_pool_route(target_box, source_box, solids)))
            elif target_element is not None and target_element.local == "participant":
                points = _pool_route(source_box, target_box, solids)
            else:
                fork, join = _flags(layout, edge)
                points = _route(source_box, target_box, solids, fork=fork, join=join)
            self.writer.edge(edge.element, points)


# --- tidying up a selection ----------------------------------------------------------------------


class _SelectionScope(_Scope):
    """A scope of chosen nodes whose bands are the lanes they already stand in."""

    def __init__(self, bands: list[_Band], *, top_level: bool, placement: _SelectionPlacement) -> None:
        super().__init__(bands, top_level=top_level)
        self.placement = placement

    def _plan_messages(self) -> None:
        # no corridors between pools here: message flows among the chosen nodes follow the layers
        return

    def _stack_bands(self) -> None:
        super()._stack_bands()
        self.placement.fit_bands(self)


class _SelectionPlacement:
    def __init__(self, document: Document, plane: Element, chosen_ids: set[str]) -> None:
        self.document = document
        self.plane = plane
        self.chosen_ids = chosen_ids
        self.routed: set[str] = set()  # flows the block's own layout routed
        self.grown: dict[str, float] = {}  # shapes a growing lane moved down (by how much) or stretched
        self.shifted: set[str] = set()
        self.reshaped: set[str] = set()  # frames that grew: flows attached to them are re-attached
        self.wanted_top: dict[int, float] = {}

    def run(self) -> None:
        layout = _PlaneLayout(self.document, self.plane)
        top = layout.build()
        if top is None:
            return
        layout.scope = top
        self.layout = layout
        self.writer = _Writer(self.document, self.plane, layout.drawn)
        shapes = _shapes(self.plane)
        self.boxes = {ident: box for ident, (_, box) in shapes.items()}
        self.kinds = {ident: shape for ident, (shape, _) in shapes.items()}
        done: set[str] = set()
        for scope in list(_all_scopes(top)):
            members = [*scope.nodes, *(n for band in scope.bands for n in band.footer)]
            chosen = [n for n in members if n.ident in self.chosen_ids and n.ident in self.boxes]
            container = layout.container_node.get(members[0].ident) if members else None
            if not chosen or (container is not None and container.ident in done):
                continue
            self._tidy(scope, chosen)
            for node in chosen:
                done.add(node.ident)
                if node.inner is not None:
                    done.update(n.ident for s in _all_scopes(node.inner) for n in s.all_nodes())

    # --- one scope -----------------------------------------------------------------------------

    def _tidy(self, scope: _Scope, chosen: list[_Node]) -> None:
        chosen_set = set(chosen)
        mini = _SelectionScope(
            [_Band(pool=band.pool, lane=band.lane) for band in scope.bands],
            top_level=scope.top_level,
            placement=self,
        )
        self.scope = scope
        self.container = self.layout.container_node.get(chosen[0].ident)
        for edge in scope.edges:
            if edge.tail in chosen_set and edge.head in chosen_set:
                edge.back, edge.chain, edge.plan, edge.route, edge.points = False, [], (), [], []
                mini.edges.append(edge)
        linked = {n for e in mini.edges if e.tail is not e.head for n in (e.tail, e.head)}
        for node in chosen:
            node.layer, node.key, node.track = -1, 0.0, 0
            # data and annotations move with their step only when they were chosen too
            node.satellites = [s for s in node.satellites if s.ident in self.chosen_ids]
            if node in linked:
                mini.nodes.append(node)
            else:
                mini.bands[node.band].footer.append(node)
        mini.node_set = set(mini.nodes)
        self.wanted_top = {}
        self.grown = {}
        for node in chosen:
            box = self.boxes[node.ident]
            self.wanted_top[node.band] = min(self.wanted_top.get(node.band, box.y), box.y)
        mini.arrange()
        self._apply_growth()
        dx = self._horizontal_shift(mini, chosen)
        mini.shift(dx, 0.0)
        moved = self._write(mini, chosen)
        self._reroute(moved)

    def _band_frame(self, band: _Band) -> Bounds | None:
        """The box a band's nodes must stay in: the lane, else the pool, else the sub-process."""
        if self.container is not None:
            box = self.boxes.get(self.container.ident)
            return None if box is None else Bounds(box.x, box.y, box.width, box.height)
        for element in (band.lane, self.layout.pools[band.pool].participant):
            if element is not None and element.id in self.boxes:
                return self.boxes[element.id]
        return None

    def fit_bands(self, mini: _Scope) -> None:
        """Put each band of the chosen nodes in its lane, near where the selection stood; a lane
        too low for them grows, and what is below it moves down."""
        for number, band in enumerate(mini.bands):
            frame = self._band_frame(band)
            has_content = any(n.band == number for column in mini.columns for n in column) or band.footer
            if not has_content:
                band.top = frame.y if frame is not None else 0.0
                continue
            wanted = self.wanted_top.get(number, frame.y if frame is not None else 0.0) - band.content_top
            if frame is None:
                band.top = wanted
                continue
            spare = frame.height - band.height
            if self.container is not None:
                holder = self.container.element
            else:
                holder = band.lane or self.layout.pools[band.pool].participant
            if spare < 0 and holder is not None:
                self._grow(holder, -spare)
                frame = self._band_frame(band)
                assert frame is not None
                spare = 0.0
            band.top = min(max(wanted, frame.y), frame.y + max(spare, 0.0))

    def _grow(self, lane: Element, extra: float) -> None:
        """Make a lane taller by `extra`: its pool and parent lanes grow, what lies below moves."""
        box = self.boxes[lane.id or ""]
        bottom = box.y + box.height
        for ident, other in list(self.boxes.items()):
            if ident in self.chosen_ids:
                continue
            if other.y >= bottom - 0.5:
                self.boxes[ident] = Bounds(other.x, other.y + extra, other.width, other.height)
                self.grown[ident] = self.grown.get(ident, 0.0) + extra
            elif other.y < bottom < other.y + other.height + 0.5 and self._contains_lane(ident, box):
                self.boxes[ident] = Bounds(other.x, other.y, other.width, other.height + extra)
                self.grown.setdefault(ident, 0.0)
        self.boxes[lane.id or ""] = Bounds(box.x, box.y, box.width, box.height + extra)
        self.grown.setdefault(lane.id or "", 0.0)

    def _contains_lane(self, ident: str, lane_box: Bounds) -> bool:
        element = self.document.element(ident)
        if element is None or element.local not in ("participant", "lane", "callActivity", *b.SUBPROCESS_TYPES):
            return False
        box = self.boxes[ident]
        return (
            box.x <= lane_box.x + 0.5
            and box.y <= lane_box.y + 0.5
            and box.x + box.width >= lane_box.x + lane_box.width - 0.5
        )

    def _apply_growth(self) -> None:
        """Write what growing lanes moved or stretched (shapes only; flows are routed later)."""
        for ident in self.grown:
            element = self.document.element(ident)
            if ident in self.kinds and element is not None:
                self.writer.shape(element, self.boxes[ident], {})
        self.shifted = {ident for ident, extra in self.grown.items() if extra}

    def _horizontal_shift(self, mini: _Scope, chosen: list[_Node]) -> float:
        """Where the block starts: where the selection started, or right of everything in its
        height when it would land on other shapes."""
        placed = [n for n in mini.all_nodes() if n.element is not None]
        if not placed:
            return 0.0
        left = min(self.boxes[n.ident].x for n in chosen)
        block_left = min(n.x for n in placed)
        moving = {n.ident for n in placed}
        for node in chosen:
            if node.inner is not None:
                moving.update(n.ident for s in _all_scopes(node.inner) for n in s.all_nodes())
        others = [
            box
            for ident, box in self.boxes.items()
            if ident not in moving and not self._frame_like(ident) and not self._is_own_container(ident)
        ]
        edges = [e for e in mini.edges if e.points]
        for dx in (left - block_left, None):
            if dx is None:
                top = min(n.y for n in placed) - BAND_PADDING
                bottom = max(n.y + n.height + n.overhang for n in placed) + BAND_PADDING
                in_height = [box for box in others if box.y < bottom and box.y + box.height > top]
                right = max((box.x + box.width for box in in_height), default=left)
                dx = max(left, right + LAYER_GAP) - block_left
            boxes = [Bounds(n.x + dx, n.y, n.width, n.height) for n in placed]
            clear = not any(_overlaps(box, other, MARGIN) for box in boxes for other in others)
            clear = clear and all(routing.keeps_off(routing.translate(e.points, dx, 0.0), others) for e in edges)
            if clear:
                return dx
        return dx

    def _frame_like(self, ident: str) -> bool:
        shape = self.kinds.get(ident)
        return shape is not None and _is_container(self.document, shape, self.document.element(ident))

    def _is_own_container(self, ident: str) -> bool:
        return self.container is not None and ident == self.container.ident

    def _write(self, mini: _Scope, chosen: list[_Node]) -> set[str]:
        _write_scope(self.writer, mini)
        moved: set[str] = set()
        for node in mini.all_nodes():
            self.boxes[node.ident] = node.box
            moved.add(node.ident)
        for node in chosen:
            if node.inner is not None:
                for scope in _all_scopes(node.inner):
                    for inner in scope.all_nodes():
                        self.boxes[inner.ident] = inner.box
                        moved.add(inner.ident)
        for edge in _collect_edges(mini):
            if not edge.hidden and edge.points and not (edge.plan and edge.plan[0] == "loose"):
                self.writer.edge(edge.element, edge.points)
                self.routed.add(edge.element.id or "")
        self._grow_frames(mini)
        return moved

    def _grow_frames(self, mini: _Scope) -> None:
        """Lanes, pools and sub-processes widen to hold the block."""
        placed = [n for n in mini.all_nodes() if n.element is not None]
        right = max(n.x + n.width for n in placed) + CONTENT_MARGIN
        frames: list[Element] = []
        if self.container is not None and self.container.element is not None:
            frames.append(self.container.element)
        else:
            pools = {mini.bands[n.band].pool for n in placed if n.band >= 0}
            for number in sorted(pools):
                pool = self.layout.pools[number]
                if pool.participant is not None:
                    frames.append(pool.participant)
                frames += [lane for lane, _, leaves in self.layout.lanes if leaves[0] in pool.bands]
        for element in frames:
            box = self.boxes.get(element.id or "")
            if box is not None and box.x + box.width < right:
                grown = Bounds(box.x, box.y, right - box.x, box.height)
                self.writer.shape(element, grown, {})
                self.boxes[element.id or ""] = grown
                self.reshaped.add(element.id or "")

    def _reroute(self, moved: set[str]) -> None:
        """Flows touching a moved shape (and flows whose ends a growing lane moved) are routed
        again; a flow whose both ends moved alike keeps its bends."""
        layout = self.layout
        solids = [box for ident, box in self.boxes.items() if not self._frame_like(ident)]
        touched = moved | self.shifted | self.reshaped
        for child in self.plane.children:
            if not di.is_edge(child):
                continue
            connection = self.document.element(_local(child.get("bpmnElement")))
            if connection is None or connection.id in self.routed:
                continue
            source_id, target_id = b.connection_ends(connection)
            if source_id not in touched and target_id not in touched:
                continue
            source_box, target_box = self.boxes.get(source_id or ""), self.boxes.get(target_id or "")
            if source_box is None or target_box is None:
                continue
            old = di.waypoints(child)
            if source_id in self.shifted and target_id in self.shifted and old:
                shift = self.grown.get(source_id or "", 0.0)
                if shift == self.grown.get(target_id or "", 0.0):
                    self.writer.edge(connection, routing.translate(old, 0.0, shift))
                    continue
            source_element = self.document.element(source_id)
            target_element = self.document.element(target_id)
            if source_element is not None and source_element.local == "participant":
                points = list(reversed(_pool_route(target_box, source_box, solids)))
            elif target_element is not None and target_element.local == "participant":
                points = _pool_route(source_box, target_box, solids)
            elif source_id in moved or target_id in moved:
                source_node, target_node = layout.nodes.get(source_id or ""), layout.nodes.get(target_id or "")
                edge = _Edge(connection, source_node, target_node, source_node, target_node, "")  # type: ignore[arg-type]
                fork, join = _flags(layout, edge)
                points = _route(source_box, target_box, solids, fork=fork, join=join)
            else:
                points = routing.repair(source_box, target_box, old)
                others = [box for box in solids if box != source_box and box != target_box]
                if not routing.keeps_off(points, [box for box in others if not _holds(box, source_box)]):
                    points = _route(source_box, target_box, solids)
            self.writer.edge(connection, points)


def tidy_selection(document: Document, plane: Element, elements: set[str]) -> None:
    """Lay out the chosen nodes among themselves, in their lanes, where the selection was."""
    _SelectionPlacement(document, plane, set(elements)).run()
