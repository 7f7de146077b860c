"""Layered left-to-right auto-layout of a BPMN diagram (layout layer, pure Python and networkx).

The classic Sugiyama steps, kept inside pools and lanes: cycles are broken at depth-first back
edges, nodes get layers by longest path (then pulled right where that shortens flows), long
flows get dummy nodes, barycentre sweeps order every layer inside its lane, and nodes sit on
horizontal tracks so that a chain of steps is one straight line. Each leaf lane (or pool
without lanes) is a band; bands are stacked in pool order and sized to their content.

Flows are routed orthogonally from the layout's own structure: a step changes track in the gap
between two columns, on a channel of its own in that gap; a gateway's branch leaves from its
top or bottom corner and a merging gateway is entered from above or below when the column is
free; a loop back runs round below (or above) its lane in a corridor; boundary events sit on
their activity's bottom border and their flows leave downwards; message flows drop between
the pools. Expanded sub-processes are laid out inside, recursively; data objects, data stores
and text annotations sit above the step they belong to.

The result is written as DI through the document's mutation API, so the caller's
`document.edit(...)` makes it one undo step. The same document always gives the same result.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import networkx as nx

from ..model import bpmn as b
from ..model import di
from ..model.di import Bounds, Point
from ..model.document import Document
from ..model.element import Element
from ..model.namespaces import bpmn, bpmndi
from ..model.namespaces import di as di_tag
from . import routing

# --- sizes and spacing, in diagram units (bpmn-js's default sizes) -----------------------------

TASK_SIZE = (100.0, 80.0)
EVENT_SIZE = (36.0, 36.0)
GATEWAY_SIZE = (50.0, 50.0)
DATA_OBJECT_SIZE = (36.0, 50.0)
DATA_STORE_SIZE = (50.0, 50.0)
ANNOTATION_SIZE = (100.0, 30.0)
HEADER = 30.0  # the title band at the left of a pool or lane

LAYER_GAP = 50.0  # the least room between two columns
CHANNEL = 12.0  # between vertical runs side by side in a gap
TRACK_GAP = 40.0  # between two tracks of a lane: room for labels below events and gateways
BAND_PADDING = 30.0  # above the first and below the last track of a lane
MIN_BAND = 120.0  # the least height of a lane
CONTENT_MARGIN = 30.0  # between the lane headers and the first column, and after the last
CORRIDOR_OFFSET = 20.0  # from the outermost track to the first loop corridor
CORRIDOR_STEP = 12.0  # between loop corridors
POOL_GAP = 40.0  # between pools
BLACK_BOX_HEIGHT = 60.0  # a pool without a process
SATELLITE_GAP = 20.0  # between a data object or annotation and the step below it
SATELLITE_SPACING = 10.0
FOOTER_GAP = 30.0  # above the row of unconnected elements and event sub-processes
FOOTER_SPACING = 30.0
BOUNDARY_OVERHANG = EVENT_SIZE[1] / 2  # how far a boundary event hangs below its activity
BOUNDARY_SPACING = 10.0
BOUNDARY_EXIT = 12.0  # how far below the boundary event its flow turns
SUBPROCESS_PADDING = 25.0  # inside an expanded sub-process, left and right
SUBPROCESS_MIN = (200.0, 120.0)

_SATELLITE_TYPES = frozenset({"dataObjectReference", "dataStoreReference", "dataInput", "dataOutput", "textAnnotation"})
_ASSOCIATION_TYPES = frozenset({"association", "dataInputAssociation", "dataOutputAssociation"})


def node_size(local: str) -> tuple[float, float]:
    """The size auto-layout gives an element kind (an expanded sub-process is sized by its
    content instead)."""
    if local in b.EVENT_TYPES:
        return EVENT_SIZE
    if local in b.GATEWAY_TYPES:
        return GATEWAY_SIZE
    if local in ("dataObjectReference", "dataObject", "dataInput", "dataOutput"):
        return DATA_OBJECT_SIZE
    if local in ("dataStoreReference", "dataStore"):
        return DATA_STORE_SIZE
    if local == "textAnnotation":
        return ANNOTATION_SIZE
    return TASK_SIZE


# --- the layout's own graph ------------------------------------------------------------------


@dataclass(eq=False)
class _Node:
    ident: str
    element: Element | None  # None for a dummy
    width: float
    height: float
    band: int = 0
    layer: int = -1
    key: float = 0.0  # place in its layer while ordering
    track: int = 0
    dummy: bool = False
    host: _Node | None = None  # the activity a boundary event sits on
    boundaries: list[_Node] = field(default_factory=list)
    anchor: _Node | None = None  # the step a data object or annotation belongs to
    satellites: list[_Node] = field(default_factory=list)
    inner: _Scope | None = None  # an expanded sub-process's content
    x: float = 0.0  # left and top: in scope coordinates while arranging, then absolute
    y: float = 0.0

    @property
    def overhang(self) -> float:
        return BOUNDARY_OVERHANG if self.boundaries else 0.0

    @property
    def box(self) -> Bounds:
        return Bounds(self.x, self.y, self.width, self.height)

    @property
    def cx(self) -> float:
        return self.x + self.width / 2

    @property
    def cy(self) -> float:
        return self.y + self.height / 2


@dataclass(eq=False)
class _Edge:
    """A connection between two drawn elements. `tail` and `head` are the nodes it joins in
    the layered graph (an activity for its boundary event, a sub-process for what is inside)."""

    element: Element
    source: _Node
    target: _Node
    tail: _Node
    head: _Node
    kind: str  # "sequence", "message", "association", "pool" (a message flow to a whole pool)
    back: bool = False
    # only for layering: a flow to or from inside a sub-process places the sub-process, and is
    # routed on its own afterwards
    hidden: bool = False
    chain: list[_Node] = field(default_factory=list)
    plan: tuple = ()
    route: list[tuple[tuple, float]] = field(default_factory=list)  # symbolic x, y
    points: list[Point] = field(default_factory=list)


@dataclass(eq=False)
class _Band:
    """One horizontal strip of a scope: a leaf lane, a pool without lanes, or the inside of a
    sub-process."""

    pool: int = 0
    lane: Element | None = None
    fixed_height: float | None = None
    top: float = 0.0
    height: float = 0.0
    track_above: list[float] = field(default_factory=list)
    track_below: list[float] = field(default_factory=list)
    satellite_rows: dict[int, float] = field(default_factory=dict)
    track_centre: list[float] = field(default_factory=list)
    satellite_top: dict[int, float] = field(default_factory=dict)
    corridors_top: int = 0
    corridors_bottom: int = 0
    content_top: float = 0.0
    content_bottom: float = 0.0
    footer: list[_Node] = field(default_factory=list)
    footer_top: float = 0.0


@dataclass(eq=False)
class _Channel:
    """A vertical run in the gap after column `gap` (-1: before the first column)."""

    gap: int
    y_left: float | None  # the y of the horizontal run on its left, if any
    y_right: float | None
    offset: float = 0.0


# --- geometry helpers ------------------------------------------------------------------------


def _local(ref: str | None) -> str | None:
    return ref.rpartition(":")[2] if ref else None


def _interval_slots(intervals: list[tuple[float, float, int]]) -> dict[int, int]:
    """Slot numbers for intervals so that overlapping ones differ; shorter intervals get lower
    slots (they run closer to the shapes, inside the longer ones)."""
    ordered = sorted(intervals, key=lambda item: (item[1] - item[0], item[0], item[2]))
    slots: list[list[tuple[float, float]]] = []
    result: dict[int, int] = {}
    for low, high, key in ordered:
        for number, taken in enumerate(slots):
            if all(high < a or low > b_ for a, b_ in taken):
                taken.append((low, high))
                result[key] = number
                break
        else:
            slots.append([(low, high)])
            result[key] = len(slots) - 1
    return result


# --- a scope: the nodes laid out together (the diagram, or the inside of a sub-process) -------


class _Scope:
    def __init__(self, bands: list[_Band], *, top_level: bool) -> None:
        self.bands = bands
        self.top_level = top_level
        self.nodes: list[_Node] = []  # laid out in layers
        self.edges: list[_Edge] = []  # routed along the layers
        self.columns: list[list[_Node]] = []
        self.gap_channels: dict[int, list[_Channel]] = {}
        self.column_left: list[float] = []
        self.column_width: list[float] = []
        self.gap_left: dict[int, float] = {}
        self.gap_width: dict[int, float] = {}
        self.width = 0.0
        self.height = 0.0
        # rows of each column that hold a shape, for checking that a vertical run is free
        self.occupied: list[set[tuple[int, int, int]]] = []
        self.pool_gaps: dict[int, int] = {}  # message corridors below pool n
        self.pool_gap_top: dict[int, float] = {}
        self.discovery: dict[_Node, int] = {}
        self.lower: dict[_Node, list[_Node]] = {}
        self.out_degree: dict[_Node, int] = {}
        self.in_degree: dict[_Node, int] = {}
        self.loop_slots: dict[int, int] = {}
        self.message_slots: dict[int, int] = {}
        self.node_set: set[_Node] | None = None

    # --- layering ------------------------------------------------------------------------

    def arrange(self) -> None:
        """Lay the scope out in its own coordinates (x from its left, y from its first band's
        top): the sub-processes inside first, since their size is their content's."""
        for node in self.nodes:
            if node.inner is not None:
                node.inner.arrange()
                _size_subprocess(node)
        for band in self.bands:
            for node in band.footer:
                if node.inner is not None:
                    node.inner.arrange()
                    _size_subprocess(node)
        self._layer()
        self._add_dummies()
        self._order()
        self._assign_tracks()
        self._widen_boundary_hosts()
        self._order_boundaries()
        self._plan_loops()
        if self.top_level:
            self._plan_messages()
        self._stack_bands()
        self._place_y()
        self._plan_routes()
        self._place_x()
        self._resolve_routes()

    def _layer(self) -> None:
        graph_edges = [e for e in self.edges if e.tail is not e.head]
        # the flow inside each process decides the cycles; messages between pools (and flows
        # into sub-processes) only add an order where they close no cycle
        primary = [e for e in graph_edges if e.kind != "message" and not e.hidden]
        secondary = [e for e in graph_edges if e.kind == "message" or e.hidden]
        order = {node: number for number, node in enumerate(self.nodes)}
        outgoing: dict[_Node, list[_Edge]] = {node: [] for node in self.nodes}
        incoming_count: dict[_Node, int] = {node: 0 for node in self.nodes}
        for edge in primary:
            outgoing[edge.tail].append(edge)
            incoming_count[edge.head] += 1
        for edges in outgoing.values():
            # the normal way on first, exception paths from boundary events after it
            edges.sort(key=lambda e: e.source.host is not None)
        # depth-first search from the starts; an edge to a node still on the path closes a cycle
        roots = [n for n in self.nodes if incoming_count[n] == 0] + [n for n in self.nodes if incoming_count[n]]
        state: dict[_Node, int] = {}  # 1 on the path, 2 done
        discovery: dict[_Node, int] = {}
        for root in roots:
            if root in state:
                continue
            state[root] = 1
            discovery[root] = len(discovery)
            stack: list[tuple[_Node, Iterator[_Edge]]] = [(root, iter(outgoing[root]))]
            while stack:
                node, edges = stack[-1]
                for edge in edges:
                    head = edge.head
                    seen = state.get(head)
                    if seen is None:
                        state[head] = 1
                        discovery[head] = len(discovery)
                        stack.append((head, iter(outgoing[head])))
                        break
                    if seen == 1:
                        edge.back = True
                else:
                    state[node] = 2
                    stack.pop()
        self.discovery = discovery
        graph = nx.DiGraph()
        graph.add_nodes_from(self.nodes)
        for edge in primary:
            if edge.back:
                graph.add_edge(edge.head, edge.tail)
            else:
                graph.add_edge(edge.tail, edge.head)
        for edge in secondary:
            if nx.has_path(graph, edge.head, edge.tail):
                edge.back = True
                graph.add_edge(edge.head, edge.tail)
            else:
                graph.add_edge(edge.tail, edge.head)
        for edge in graph_edges:
            if not edge.back and not edge.hidden:
                self.out_degree[edge.tail] = self.out_degree.get(edge.tail, 0) + 1
                self.in_degree[edge.head] = self.in_degree.get(edge.head, 0) + 1
        topological = list(nx.lexicographical_topological_sort(graph, key=lambda n: order[n]))
        for node in topological:
            node.layer = max((pred.layer + 1 for pred in graph.predecessors(node)), default=0)
        # pull a node right when it has more flows out than in and room to move: its flows get
        # shorter (a start event fed by a message from another pool stands next to its step)
        for node in reversed(topological):
            successors = list(graph.successors(node))
            if not successors or graph.in_degree(node) >= graph.out_degree(node):
                continue
            node.layer = max(node.layer, min(s.layer for s in successors) - 1)

    def _add_dummies(self) -> None:
        layers = max((n.layer for n in self.nodes), default=-1) + 1
        self.columns = [[] for _ in range(layers)]
        for node in self.nodes:
            self.columns[node.layer].append(node)
        for edge in self.edges:
            if edge.back or edge.hidden or edge.tail is edge.head:
                edge.chain = [edge.tail, edge.head]
                continue
            chain = [edge.tail]
            for layer in range(edge.tail.layer + 1, edge.head.layer):
                dummy = _Node(f"{edge.element.id}#{layer}", None, 0.0, 0.0, band=edge.tail.band, dummy=True)
                dummy.layer = layer
                self.columns[layer].append(dummy)
                chain.append(dummy)
            chain.append(edge.head)
            edge.chain = chain

    # --- ordering ------------------------------------------------------------------------

    def _order(self) -> None:
        discovery = self.discovery
        for edge in self.edges:
            for offset, dummy in enumerate(edge.chain[1:-1]):
                dummy.key = discovery.get(edge.tail, 0) + 0.5 + offset * 1e-3
        for node in self.nodes:
            node.key = discovery.get(node, 0)
        lower: dict[_Node, list[_Node]] = {}
        upper: dict[_Node, list[_Node]] = {}
        pushed_down: set[_Node] = set()
        for edge in self.edges:
            if edge.back or edge.hidden or edge.tail is edge.head:
                continue
            for a, c in zip(edge.chain, edge.chain[1:], strict=False):
                upper.setdefault(a, []).append(c)
                lower.setdefault(c, []).append(a)
            if edge.source.host is not None:
                pushed_down.add(edge.chain[1])  # an exception path goes below the normal one
        for column in self.columns:
            column.sort(key=lambda n: (n.band, n.key))
            _renumber(column)
        best = [list(column) for column in self.columns]
        best_crossings = self._crossings(lower)
        for sweep in range(8):
            downwards = sweep % 2 == 0
            columns = self.columns if downwards else list(reversed(self.columns))
            neighbours = lower if downwards else upper
            for column in columns[1:]:
                for node in column:
                    others = neighbours.get(node)
                    if others:
                        node.key = sum(o.key for o in others) / len(others)
                    if node in pushed_down:
                        node.key += 0.3
                column.sort(key=lambda n: (n.band, n.key))
                _renumber(column)
            crossings = self._crossings(lower)
            if crossings < best_crossings:
                best_crossings = crossings
                best = [list(column) for column in self.columns]
        self.columns = best
        for column in self.columns:
            _renumber(column)
        self.lower = lower

    def _crossings(self, lower: dict[_Node, list[_Node]]) -> int:
        """Crossings between neighbouring columns (counted as inversions)."""
        total = 0
        for column in self.columns[1:]:
            pairs = sorted((pred.key, node.key) for node in column for pred in lower.get(node, ()))
            seen: list[float] = []
            for _, position in pairs:
                index = bisect_left(seen, position + 0.5)
                total += len(seen) - index
                seen.insert(index, position)
        return total

    def _assign_tracks(self) -> None:
        """A node goes on the track of the step before it where it can, so that chains are
        straight; nodes of one column and lane keep their order top to bottom."""
        boundary_targets: dict[_Node, _Node] = {}
        for edge in self.edges:
            if edge.source.host is not None and not edge.back and not edge.hidden and len(edge.chain) > 1:
                boundary_targets.setdefault(edge.chain[1], edge.source.host)
        for column in self.columns:
            last_track: dict[int, int] = {}
            for node in column:
                desired = 0
                host = boundary_targets.get(node)
                if host is not None and host.band == node.band:
                    desired = host.track + 1
                else:
                    same_band = [p for p in self.lower.get(node, ()) if p.band == node.band]
                    if same_band:
                        same_band.sort(key=lambda p: p.track)
                        desired = same_band[(len(same_band) - 1) // 2].track
                node.track = max(desired, last_track.get(node.band, -1) + 1)
                last_track[node.band] = node.track
        # drop tracks nothing uses
        used: dict[int, set[int]] = {}
        for column in self.columns:
            for node in column:
                used.setdefault(node.band, set()).add(node.track)
        remap = {band: {track: n for n, track in enumerate(sorted(tracks))} for band, tracks in used.items()}
        for column in self.columns:
            for node in column:
                node.track = remap[node.band][node.track]
        for band_number, band in enumerate(self.bands):
            count = len(remap.get(band_number, {}))
            band.track_above = [0.0] * count
            band.track_below = [0.0] * count
        for column in self.columns:
            for node in column:
                band = self.bands[node.band]
                band.track_above[node.track] = max(band.track_above[node.track], node.height / 2)
                band.track_below[node.track] = max(band.track_below[node.track], node.height / 2 + node.overhang)
        self.occupied = [set() for _ in self.columns]
        self.satellite_width: dict[tuple[int, int, int], float] = {}
        for layer, column in enumerate(self.columns):
            for node in column:
                if node.dummy:
                    continue
                self.occupied[layer].add((node.band, node.track, 1))
                if node.satellites:
                    self.occupied[layer].add((node.band, node.track, 0))
                    band = self.bands[node.band]
                    height = max(s.height for s in node.satellites) + SATELLITE_GAP
                    band.satellite_rows[node.track] = max(band.satellite_rows.get(node.track, 0.0), height)

    def _order_boundaries(self) -> None:
        """Boundary events along the border in the order that keeps their flows apart: the flow
        that goes furthest down leaves from the left (each drops, then runs right)."""
        target_row: dict[_Node, tuple[int, int, int]] = {}
        for edge in self.edges:
            if edge.source.host is not None and not edge.back and not edge.hidden and len(edge.chain) > 1:
                row = _row_of(edge.chain[1])
                target_row[edge.source] = max(target_row.get(edge.source, row), row)
        for node in self.nodes:
            if len(node.boundaries) > 1 and any(e in target_row for e in node.boundaries):
                order = {event: number for number, event in enumerate(node.boundaries)}
                node.boundaries.sort(
                    key=lambda e: (e not in target_row, tuple(-v for v in target_row.get(e, (0, 0, 0))), order[e])
                )

    def _widen_boundary_hosts(self) -> None:
        for node in self.nodes:
            if node.boundaries:
                needed = len(node.boundaries) * (EVENT_SIZE[0] + BOUNDARY_SPACING) + BOUNDARY_SPACING
                node.width = max(node.width, needed)

    # --- free columns --------------------------------------------------------------------

    def _rows_free(self, layer: int, low: tuple[int, int, int], high: tuple[int, int, int]) -> bool:
        """Whether no shape of column `layer` lies in the rows strictly between low and high
        (rows are (band, track, 0 for the data row above the track or 1 for the track))."""
        if layer < 0 or layer >= len(self.occupied):
            return True
        return not any(low < row < high for row in self.occupied[layer])

    def _column_free_below(self, node: _Node, *, whole_pool: bool = False) -> bool:
        """Nothing under the node in its column, within its lane (or its pool)."""
        last_band = node.band
        if whole_pool:
            last_band = max(i for i, band in enumerate(self.bands) if band.pool == self.bands[node.band].pool)
        return self._rows_free(node.layer, (node.band, node.track, 1), (last_band, 1 << 30, 0))

    def _column_free_above(self, node: _Node, *, whole_pool: bool = False) -> bool:
        first_band = node.band
        if whole_pool:
            first_band = min(i for i, band in enumerate(self.bands) if band.pool == self.bands[node.band].pool)
        return self._rows_free(node.layer, (first_band, -1, 1), (node.band, node.track, 1))

    # --- loops back ------------------------------------------------------------------------

    def _plan_loops(self) -> None:
        """Loops back run in a corridor below (or above) the lane of their source."""
        wanted: dict[tuple[int, str], list[tuple[float, float, int]]] = {}
        for number, edge in enumerate(self.edges):
            if edge.hidden:
                continue
            if edge.tail is edge.head:
                edge.plan = ("self",)
                continue
            if not edge.back or edge.kind == "message":
                continue
            u, v = edge.tail, edge.head
            boundary = edge.source.host is not None
            corridor_band = u.band
            down = v.band > u.band
            if down:
                through = self._rows_free(u.layer, (u.band, u.track, 1), (v.band, 1 << 30, 0))
            else:
                through = (
                    not boundary
                    and not u.satellites
                    and self._rows_free(u.layer, (v.band, -1, 1), (u.band, u.track, 1))
                )
            if u.band != v.band and through:
                # straight down (up) the source's column into the target lane's corridor
                corridor_band = v.band
                side = "bottom" if down else "top"
                u_direct = True
                v_direct = self._column_free_below(v) if down else (self._column_free_above(v) and not v.satellites)
            elif u.band == v.band:
                below = self._column_free_below(u) and self._column_free_below(v)
                above = (
                    not boundary
                    and not below
                    and self._column_free_above(u)
                    and self._column_free_above(v)
                    and not u.satellites
                    and not v.satellites
                )
                side = "top" if above else "bottom"
                u_direct = (self._column_free_above(u) and not u.satellites) if above else self._column_free_below(u)
                v_direct = (self._column_free_above(v) and not v.satellites) if above else self._column_free_below(v)
            else:
                side = "top" if v.band < u.band and not boundary else "bottom"
                if side == "top":
                    u_direct = self._column_free_above(u) and not u.satellites
                else:
                    u_direct = self._column_free_below(u)
                v_direct = False
            low = v.layer - (0 if v_direct else 1)
            high = u.layer + (0 if u_direct else 1)
            edge.plan = ("loop", side, u_direct, v_direct, corridor_band)
            wanted.setdefault((corridor_band, side), []).append((low, high, number))
        self.loop_slots: dict[int, int] = {}
        for (band_number, side), intervals in wanted.items():
            slots = _interval_slots(intervals)
            self.loop_slots.update(slots)
            count = max(slots.values()) + 1
            band = self.bands[band_number]
            if side == "top":
                band.corridors_top = max(band.corridors_top, count)
            else:
                band.corridors_bottom = max(band.corridors_bottom, count)

    # --- message flows ---------------------------------------------------------------------

    def _plan_messages(self) -> None:
        """A message flow drops (or climbs) from its source straight to the gap between the
        pools, runs along it and drops into its target, where the columns are free."""
        wanted: dict[int, list[tuple[float, float, int]]] = {}
        for number, edge in enumerate(self.edges):
            if edge.kind != "message" or edge.hidden or edge.tail is edge.head:
                continue
            u, v = edge.tail, edge.head
            pool_u, pool_v = self.bands[u.band].pool, self.bands[v.band].pool
            if pool_u == pool_v or edge.source.host is not None or edge.source is not u or edge.target is not v:
                if edge.back:
                    edge.plan = ("loose",)
                continue
            down = pool_v > pool_u
            if down:
                free = self._column_free_below(u, whole_pool=True) and self._column_free_above(v, whole_pool=True)
                between = range(pool_u + 1, pool_v)
            else:
                free = self._column_free_above(u, whole_pool=True) and self._column_free_below(v, whole_pool=True)
                between = range(pool_v + 1, pool_u)
            bands_between = [i for i, band in enumerate(self.bands) if band.pool in between]
            if free and bands_between:
                rows = self.occupied[v.layer]
                free = not any(row[0] in bands_between for row in rows)
            if not free:
                if edge.back:
                    edge.plan = ("loose",)
                continue
            gap = pool_u if down else pool_u - 1  # the corridor below pool n is gap n
            edge.plan = ("vv", gap, down)
            low, high = sorted((u.layer, v.layer))
            wanted.setdefault(gap, []).append((low, high, number))
        self.message_slots: dict[int, int] = {}
        for gap, intervals in wanted.items():
            slots = _interval_slots(intervals)
            self.message_slots.update(slots)
            self.pool_gaps[gap] = max(slots.values()) + 1

    # --- vertical placement ----------------------------------------------------------------

    def _stack_bands(self) -> None:
        for band in self.bands:
            if band.fixed_height is not None:
                band.height = band.fixed_height
                continue
            cursor = BAND_PADDING
            if band.corridors_top:
                cursor += (band.corridors_top - 1) * CORRIDOR_STEP + CORRIDOR_OFFSET
            content_top = cursor
            centres = []
            satellite_top: dict[int, float] = {}
            for track, (above, below) in enumerate(zip(band.track_above, band.track_below, strict=True)):
                if track:
                    cursor += TRACK_GAP
                if track in band.satellite_rows:
                    satellite_top[track] = cursor
                    cursor += band.satellite_rows[track]
                centres.append(cursor + above)
                cursor += above + below
            content_bottom = cursor
            if band.corridors_bottom:
                cursor += CORRIDOR_OFFSET + (band.corridors_bottom - 1) * CORRIDOR_STEP
            footer_top = cursor + (FOOTER_GAP if centres or band.corridors_bottom else 0.0)
            if band.footer:
                cursor = footer_top + max(n.height + n.overhang for n in band.footer)
            cursor += BAND_PADDING
            shift = max(0.0, (MIN_BAND - cursor) / 2)  # centre little content in a lane's least height
            band.height = max(MIN_BAND, cursor)
            band.track_centre = [c + shift for c in centres]
            band.satellite_top = {t: y + shift for t, y in satellite_top.items()}
            band.content_top = content_top + shift
            band.content_bottom = content_bottom + shift
            band.footer_top = footer_top + shift
        top = 0.0
        for number, band in enumerate(self.bands):
            if number and band.pool != self.bands[number - 1].pool:
                previous_pool = self.bands[number - 1].pool
                corridors = self.pool_gaps.get(previous_pool, 0)
                self.pool_gap_top[previous_pool] = top
                top += max(POOL_GAP, 2 * CORRIDOR_OFFSET + (corridors - 1) * CORRIDOR_STEP) if corridors else POOL_GAP
            band.top = top
            top += band.height
        self.height = top

    def _place_y(self) -> None:
        for column in self.columns:
            for node in column:
                band = self.bands[node.band]
                centre = band.top + band.track_centre[node.track] if band.track_centre else band.top
                node.y = centre - node.height / 2
                for event in node.boundaries:
                    event.y = node.y + node.height - event.height / 2
        for band in self.bands:
            for node in band.footer:
                node.y = band.top + band.footer_top
                for event in node.boundaries:
                    event.y = node.y + node.height - event.height / 2

    def _corridor_y(self, band: _Band, side: str, slot: int) -> float:
        if side == "bottom":
            return band.top + band.content_bottom + CORRIDOR_OFFSET + slot * CORRIDOR_STEP
        return band.top + band.content_top - CORRIDOR_OFFSET - slot * CORRIDOR_STEP

    # --- routes, in column-relative x --------------------------------------------------------

    def _channel(self, gap: int, y_left: float | None, y_right: float | None) -> tuple:
        channel = _Channel(gap, y_left, y_right)
        self.gap_channels.setdefault(gap, []).append(channel)
        return ("g", channel)

    def _plan_routes(self) -> None:
        for number, edge in enumerate(self.edges):
            kind = edge.plan[0] if edge.plan else "chain"
            if edge.hidden or kind == "loose":
                edge.route = []
            elif kind == "self":
                edge.route = self._self_loop(edge)
            elif kind == "loop":
                edge.route = self._loop_route(edge, number)
            elif kind == "vv":
                edge.route = self._message_route(edge, number)
            else:
                edge.route = self._chain_route(edge)

    def _chain_route(self, edge: _Edge) -> list[tuple[tuple, float]]:
        chain = edge.chain
        first, last = chain[0], chain[-1]
        source = edge.source
        route: list[tuple[tuple, float]] = []
        current: float
        next_y = _centre_y(chain[1])
        if source.host is not None:  # a boundary event: out of its bottom, then on
            dx = _boundary_dx(source)
            bottom = source.y + source.height
            straight_down = (
                len(chain) == 2
                and next_y > bottom + EVENT_SIZE[1]
                and self._rows_free(first.layer, (first.band, first.track, 1), _row_of(chain[1]))
                and _row_of(chain[1]) not in self.occupied[first.layer]
            )
            route.append((("c", first.layer, dx), bottom))
            if straight_down:
                current = next_y
            else:
                current = first.y + first.height + first.overhang + BOUNDARY_EXIT
            route.append((("c", first.layer, dx), current))
        elif self._forks(edge, next_y):
            above = next_y < first.cy
            route.append((("c", first.layer, 0.0), first.y if above else first.y + first.height))
            route.append((("c", first.layer, 0.0), next_y))
            current = next_y
        else:
            current = first.cy
            route.append((("c", first.layer, first.width / 2), current))
        joins = self._joins(edge, chain[-2], current if len(chain) == 2 else _centre_y(chain[-2]))
        for index in range(1, len(chain)):
            node = chain[index]
            gap = chain[index - 1].layer
            final = index == len(chain) - 1
            wanted = _centre_y(node) if not (final and joins) else current
            if abs(wanted - current) > routing.EPSILON:
                x = self._channel(gap, current, wanted)
                route.append((x, current))
                route.append((x, wanted))
                current = wanted
        if joins:
            above = current < last.cy
            route.append((("c", last.layer, 0.0), current))
            route.append((("c", last.layer, 0.0), last.y if above else last.y + last.height))
        else:
            route.append((("c", last.layer, -last.width / 2), current))
        return route

    def _forks(self, edge: _Edge, next_y: float) -> bool:
        """Whether a gateway's branch can leave from its top or bottom corner."""
        gateway = edge.tail
        if edge.kind != "sequence" or gateway.element is None or gateway.element.local not in b.GATEWAY_TYPES:
            return False
        if self.out_degree.get(gateway, 0) < 2 or edge.source is not gateway:
            return False
        if abs(next_y - gateway.cy) <= gateway.height / 2:
            return False
        target_row = _row_of(edge.chain[1])
        own_row = (gateway.band, gateway.track, 1)
        low, high = sorted((own_row, target_row))
        return self._rows_free(gateway.layer, low, high) and target_row not in self.occupied[gateway.layer]

    def _joins(self, edge: _Edge, before: _Node, arriving_y: float) -> bool:
        """Whether a merging gateway can be entered from above or below."""
        gateway = edge.head
        if edge.kind != "sequence" or gateway.element is None or gateway.element.local not in b.GATEWAY_TYPES:
            return False
        if edge.target is not gateway or len(edge.chain) < 2:
            return False
        if self.in_degree.get(gateway, 0) < 2 or abs(arriving_y - gateway.cy) <= gateway.height / 2:
            return False
        if edge.source.host is not None and len(edge.chain) == 2:
            return False  # it arrives at the height of its exit below the activity, not of a track
        # rows are shared by all columns: the row the flow arrives in is that of the node before
        arriving_row = _row_of(before)
        own_row = (gateway.band, gateway.track, 1)
        low, high = sorted((own_row, arriving_row))
        return self._rows_free(gateway.layer, low, high) and arriving_row not in self.occupied[gateway.layer]

    def _self_loop(self, edge: _Edge) -> list[tuple[tuple, float]]:
        node = edge.tail
        below = node.y + node.height + node.overhang + BOUNDARY_EXIT
        x = self._channel(node.layer, node.cy, below)
        return [
            (("c", node.layer, node.width / 2), node.cy),
            (x, node.cy),
            (x, below),
            (("c", node.layer, 0.0), below),
            (("c", node.layer, 0.0), node.y + node.height),
        ]

    def _loop_route(self, edge: _Edge, number: int) -> list[tuple[tuple, float]]:
        _, side, u_direct, v_direct, corridor_band = edge.plan
        u, v, source = edge.tail, edge.head, edge.source
        band = self.bands[corridor_band]
        corridor = self._corridor_y(band, side, self.loop_slots[number])
        route: list[tuple[tuple, float]] = []
        if source.host is not None:
            dx = _boundary_dx(source)
            route.append((("c", u.layer, dx), source.y + source.height))
            if u_direct:
                route.append((("c", u.layer, dx), corridor))
            else:
                turn = u.y + u.height + u.overhang + BOUNDARY_EXIT
                route.append((("c", u.layer, dx), turn))
                x = self._channel(u.layer, turn, None)
                route += [(x, turn), (x, corridor)]
        elif u_direct:
            route.append((("c", u.layer, 0.0), u.y if side == "top" else u.y + u.height))
            route.append((("c", u.layer, 0.0), corridor))
        else:
            x = self._channel(u.layer, u.cy, None)
            route += [(("c", u.layer, u.width / 2), u.cy), (x, u.cy), (x, corridor)]
        if v_direct:
            route.append((("c", v.layer, 0.0), corridor))
            route.append((("c", v.layer, 0.0), v.y if side == "top" else v.y + v.height))
        else:
            x = self._channel(v.layer - 1, None, v.cy)
            route += [(x, corridor), (x, v.cy), (("c", v.layer, -v.width / 2), v.cy)]
        return route

    def _message_route(self, edge: _Edge, number: int) -> list[tuple[tuple, float]]:
        _, gap, down = edge.plan
        u, v = edge.tail, edge.head
        corridor = self.pool_gap_top[gap] + CORRIDOR_OFFSET + self.message_slots[number] * CORRIDOR_STEP
        start = u.y + u.height if down else u.y
        end = v.y if down else v.y + v.height
        return [
            (("c", u.layer, 0.0), start),
            (("c", u.layer, 0.0), corridor),
            (("c", v.layer, 0.0), corridor),
            (("c", v.layer, 0.0), end),
        ]

    # --- horizontal placement --------------------------------------------------------------

    def _place_x(self) -> None:
        for gap, channels in self.gap_channels.items():
            self.gap_width[gap] = _assign_channels(channels, LAYER_GAP if 0 <= gap < len(self.columns) - 1 else 0.0)
        widths = []
        for column in self.columns:
            width = max((n.width for n in column), default=0.0)
            for node in column:
                if node.satellites:
                    packed = sum(s.width for s in node.satellites) + SATELLITE_SPACING * (len(node.satellites) - 1)
                    width = max(width, packed)
            widths.append(width)
        cursor = self.gap_width.get(-1, 0.0)
        self.gap_left[-1] = 0.0
        for layer, width in enumerate(widths):
            self.column_left.append(cursor)
            self.column_width.append(width)
            cursor += width
            self.gap_left[layer] = cursor
            default = LAYER_GAP if layer < len(widths) - 1 else 0.0
            cursor += self.gap_width.get(layer, default)
        content_right = cursor
        for layer, column in enumerate(self.columns):
            centre = self.column_left[layer] + widths[layer] / 2
            for node in column:
                node.x = centre - node.width / 2
        for node in self.nodes:
            self._place_dependants(node)
        footer_right = 0.0
        for band in self.bands:
            x = 0.0
            for node in band.footer:
                node.x = x
                self._place_dependants(node)
                x += node.width + FOOTER_SPACING
            footer_right = max(footer_right, x - FOOTER_SPACING)
        self.width = max(content_right, footer_right, 0.0)

    def _place_dependants(self, node: _Node) -> None:
        """Boundary events along the bottom border; data and annotations above, side by side."""
        for event in node.boundaries:
            event.x = node.cx + _boundary_dx(event) - event.width / 2
            event.y = node.y + node.height - event.height / 2
        if node.satellites:
            band = self.bands[node.band]
            packed = sum(s.width for s in node.satellites) + SATELLITE_SPACING * (len(node.satellites) - 1)
            x = node.cx - packed / 2
            row_bottom = node.y - SATELLITE_GAP
            if node.layer >= 0 and node.track in band.satellite_top:
                row_bottom = band.top + band.satellite_top[node.track] + band.satellite_rows[node.track] - SATELLITE_GAP
            for satellite in node.satellites:
                satellite.x = x
                satellite.y = row_bottom - satellite.height
                x += satellite.width + SATELLITE_SPACING

    def _resolve_routes(self) -> None:
        centres = [left + width / 2 for left, width in zip(self.column_left, self.column_width, strict=True)]
        for edge in self.edges:
            points = []
            for x, y in edge.route:
                if x[0] == "c":
                    value = centres[x[1]] + x[2]
                else:
                    channel = x[1]
                    value = self.gap_left[channel.gap] + channel.offset
                points.append(Point(value, y))
            edge.points = routing._dedupe(points)

    # --- moving a laid-out scope into place ----------------------------------------------------

    def shift(self, dx: float, dy: float) -> None:
        for node in self.all_nodes():
            node.x += dx
            node.y += dy
        for edge in self.edges:
            edge.points = routing.translate(edge.points, dx, dy)
        for node in self.nodes + [n for band in self.bands for n in band.footer]:
            if node.inner is not None:
                node.inner.shift(node.x + SUBPROCESS_PADDING, node.y)

    def all_nodes(self) -> Iterator[_Node]:
        """Every shape of this scope (not of the scopes inside it)."""
        for node in self.nodes:
            yield node
            yield from node.boundaries
            yield from node.satellites
        for band in self.bands:
            for node in band.footer:
                yield node
                yield from node.boundaries
                yield from node.satellites


def _boundary_dx(event: _Node) -> float:
    """Where a boundary event's centre sits, from its activity's centre: the events share the
    bottom border evenly."""
    host = event.host
    assert host is not None
    step = host.width / len(host.boundaries)
    return step * host.boundaries.index(event) + step / 2 - host.width / 2


def _renumber(column: list[_Node]) -> None:
    for position, node in enumerate(column):
        node.key = float(position)


def _row_of(node: _Node) -> tuple[int, int, int]:
    return (node.band, node.track, 1)


def _centre_y(node: _Node) -> float:
    return node.y + node.height / 2


def _size_subprocess(node: _Node) -> None:
    inner = node.inner
    assert inner is not None
    node.width = max(SUBPROCESS_MIN[0], inner.width + 2 * SUBPROCESS_PADDING)
    node.height = max(SUBPROCESS_MIN[1], inner.height)


def _assign_channels(channels: list[_Channel], least: float) -> float:
    """Give each vertical run in one gap its own x, ordered so that runs cross each other as
    little as possible; returns the gap's width."""
    open_left = [c for c in channels if c.y_right is None]
    open_right = [c for c in channels if c.y_left is None and c.y_right is not None]
    through = [c for c in channels if c.y_left is not None and c.y_right is not None]
    downs = [c for c in through if c.y_right > c.y_left]  # type: ignore[operator]
    ups = [c for c in through if c.y_right <= c.y_left]  # type: ignore[operator]
    # a run going down should be right of one that starts lower; a run going up right of one
    # that starts higher (the order that keeps their horizontals apart)
    downs.sort(key=lambda c: (-c.y_left, -c.y_right))  # type: ignore[operator]
    ups.sort(key=lambda c: (c.y_left, c.y_right))  # type: ignore[operator]
    open_left.sort(key=lambda c: abs((c.y_left or 0.0) - (c.y_right or 0.0)))
    open_right.sort(key=lambda c: -abs((c.y_left or 0.0) - (c.y_right or 0.0)))
    first = downs + ups
    second = ups + downs
    if len(through) <= 60 and _gap_crossings(second) < _gap_crossings(first):
        first = second
    ordered = open_left + first + open_right
    width = max(least, (len(ordered) + 1) * CHANNEL)
    step = width / (len(ordered) + 1)
    for number, channel in enumerate(ordered):
        channel.offset = step * (number + 1)
    return width


def _gap_crossings(ordered: list[_Channel]) -> int:
    total = 0
    for i, left in enumerate(ordered):
        low_l, high_l = sorted((left.y_left, left.y_right))  # type: ignore[type-var]
        for right in ordered[i + 1 :]:
            low_r, high_r = sorted((right.y_left, right.y_right))  # type: ignore[type-var]
            if low_r < left.y_right < high_r:  # type: ignore[operator]
                total += 1
            if low_l < right.y_left < high_l:  # type: ignore[operator]
                total += 1
    return total


# --- reading the document into scopes ---------------------------------------------------------


@dataclass(eq=False)
class _Pool:
    participant: Element | None
    process: Element | None
    bands: list[int] = field(default_factory=list)
    lane_depth: int = 0


class _PlaneLayout:
    """The layout of one diagram plane."""

    def __init__(self, document: Document, plane: Element) -> None:
        self.document = document
        self.plane = plane
        self.root = document.element(_local(plane.get("bpmnElement")))
        self.drawn: dict[str, Element] = {}
        for child in plane.children:
            if child.tag in (bpmndi("BPMNShape"), bpmndi("BPMNEdge")):
                ref = _local(child.get("bpmnElement"))
                if ref is not None:
                    self.drawn.setdefault(ref, child)
        self.nodes: dict[str, _Node] = {}  # every node by element id
        self.scope_of: dict[str, _Scope] = {}
        self.container_node: dict[str, _Node | None] = {}  # the sub-process node around an element
        self.pools: list[_Pool] = []
        self.lanes: list[tuple[Element, int, list[int]]] = []  # lane, depth, its leaf bands
        self.loose: list[_Edge] = []
        self.max_lane_depth = 0
        self.scope: _Scope | None = None
        self.called: set[str] = set()  # processes shown inside an expanded call activity
        self.participant_pool: dict[str | None, int] = {}

    # --- structure -----------------------------------------------------------------------

    def build(self, only: set[str] | None = None) -> _Scope | None:
        """The layout's structure; `only` keeps the pools of these participant (or process) ids."""
        root = self.root
        if root is None:
            return None
        if root.local == "collaboration":
            used: set[str] = set()
            for participant in self._top_to_bottom(root.findall(bpmn("participant"))):
                process = self.document.element(_local(participant.get("processRef")))
                if process is not None and (process.id in used or process.local != "process"):
                    process = None
                if process is not None and process.id is not None:
                    used.add(process.id)
                self.pools.append(_Pool(participant, process))
            # a process no pool stands for, exchanging messages with the pools, is drawn with
            # them (lanes without a pool), as the MIWG references do
            for process in _message_partners(self.document, root):
                if process.id not in used:
                    used.add(process.id or "")
                    self.pools.append(_Pool(None, process))
        elif root.local in ("process", *b.SUBPROCESS_TYPES):
            self.pools.append(_Pool(None, root))
        else:
            return None
        if only is not None:
            self.pools = [p for p in self.pools if (p.participant or p.process).id in only]  # type: ignore[union-attr]
        bands: list[_Band] = []
        lane_of_node: dict[str, int] = {}
        for number, pool in enumerate(self.pools):
            if pool.process is None:
                pool.bands = [len(bands)]
                bands.append(_Band(pool=number, fixed_height=BLACK_BOX_HEIGHT))
                continue
            lane_sets = pool.process.findall(bpmn("laneSet")) if pool.process.local == "process" else []
            first = len(bands)
            for lane_set in lane_sets:
                self._walk_lanes(lane_set, 1, number, bands, lane_of_node)
            if len(bands) == first:
                bands.append(_Band(pool=number))
            pool.bands = list(range(first, len(bands)))
        scope = _Scope(bands, top_level=True)
        for pool in self.pools:
            if pool.process is not None:
                self._fill(scope, pool.process, default_band=pool.bands[0], lane_of_node=lane_of_node)
        self._connect(scope)
        return scope

    def _walk_lanes(
        self, lane_set: Element, depth: int, pool: int, bands: list[_Band], lane_of_node: dict[str, int]
    ) -> list[int]:
        found: list[int] = []
        for lane in self._top_to_bottom(lane_set.findall(bpmn("lane"))):
            entry = (lane, depth, [])
            self.lanes.append(entry)
            child_set = lane.find(bpmn("childLaneSet"))
            leaves: list[int] = []
            if child_set is not None and child_set.findall(bpmn("lane")):
                leaves = self._walk_lanes(child_set, depth + 1, pool, bands, lane_of_node)
            else:
                leaves = [len(bands)]
                bands.append(_Band(pool=pool, lane=lane))
            self.max_lane_depth = max(self.max_lane_depth, depth)
            entry[2].extend(leaves)
            for ref in lane.findall(bpmn("flowNodeRef")):
                ident = (ref.text or "").strip()
                # child lanes were read first: the innermost lane naming a node wins, and a node
                # only a parent lane names goes to its first leaf
                if ident:
                    lane_of_node.setdefault(ident, leaves[0])
            found.extend(leaves)
        return found

    def _top_to_bottom(self, elements: list[Element]) -> list[Element]:
        """Pools or lanes in the order they are drawn, when all of them are (a tidy-up keeps the
        order the user gave them); else in document order."""
        tops = []
        for element in elements:
            shape = self.drawn.get(element.id or "")
            box = di.bounds(shape) if shape is not None and di.is_shape(shape) else None
            if box is None:
                return elements
            tops.append(box.y)
        return [element for _, _, element in sorted(zip(tops, range(len(elements)), elements, strict=True))]

    def _content(self, element: Element) -> Element | None:
        """What an activity shows inside it when drawn expanded: a sub-process its own flow, a
        call activity the process it calls (only when a drawing already shows it so)."""
        if element.local in b.SUBPROCESS_TYPES:
            return element if self._expanded(element) else None
        if element.local != "callActivity":
            return None
        shape = self.drawn.get(element.id or "")
        if shape is None or not di.is_shape(shape) or di.is_expanded(shape) is not True:
            return None
        called = self.document.element(_local(element.get("calledElement")))
        if called is None or called.local != "process" or any(p.process is called for p in self.pools):
            return None
        if any(ancestor is called for ancestor in element.ancestors()) or called.id in self.called:
            return None  # a process calling itself would never end
        self.called.add(called.id or "")
        return called

    def _expanded(self, element: Element) -> bool:
        if element.local not in b.SUBPROCESS_TYPES:
            return False
        shape = self.drawn.get(element.id or "")
        if shape is not None and di.is_shape(shape) and di.is_expanded(shape) is not None:
            return bool(di.is_expanded(shape))
        if any(_local(d.get("bpmnElement")) == element.id for d in self._planes()):
            return False  # drawn on a diagram of its own (drill-down)
        return any(b.kind(child) in b.FLOW_NODE_TYPES for child in element.children)

    def _planes(self) -> list[Element]:
        return [p for d in di.diagrams(self.document) if (p := di.plane(d)) is not None and p is not self.plane]

    def _fill(
        self,
        scope: _Scope,
        container: Element,
        *,
        default_band: int,
        lane_of_node: dict[str, int] | None,
        parent: _Node | None = None,
    ) -> None:
        """The nodes of a process or sub-process (not yet the boundary events and satellites)."""
        boundary: list[Element] = []
        satellites: list[Element] = []
        children = list(container.children)
        io = container.find(bpmn("ioSpecification")) if container.local == "process" else None
        if io is not None:  # a process's own inputs and outputs are drawn like data objects
            children += [c for c in io.children if c.local in ("dataInput", "dataOutput")]
        for child in children:
            local = b.kind(child)
            if local is None or child.id is None or child.id in self.nodes:
                continue
            if local == "boundaryEvent":
                boundary.append(child)
                continue
            if local in _SATELLITE_TYPES:
                satellites.append(child)
                continue
            if local not in b.FLOW_NODE_TYPES:
                continue
            content = self._content(child)
            width, height = node_size(local)
            node = _Node(child.id, child, width, height)
            node.band = (lane_of_node or {}).get(child.id, -1)
            if node.band < 0 and scope.top_level and scope.bands[default_band].lane is None:
                node.band = default_band  # a pool without lanes
            self.nodes[child.id] = node
            self.scope_of[child.id] = scope
            self.container_node[child.id] = parent
            if content is not None:
                inner = _Scope([_Band(pool=0)], top_level=False)
                node.inner = inner
                self._fill(inner, content, default_band=0, lane_of_node=None, parent=node)
            if b.is_event_subprocess(child):
                node.band = node.band if node.band >= 0 else default_band
                scope.bands[node.band].footer.append(node)
            else:
                scope.nodes.append(node)
        for event in boundary:
            host = self.nodes.get(_local(event.get("attachedToRef")) or "")
            if host is None or self.scope_of.get(host.ident) is not scope:
                continue
            node = _Node(event.id or "", event, *EVENT_SIZE, host=host)
            host.boundaries.append(node)
            self.nodes[node.ident] = node
            self.scope_of[node.ident] = scope
            self.container_node[node.ident] = parent
        for element in satellites:
            width, height = node_size(element.local)
            node = _Node(element.id or "", element, width, height, band=-1)
            self.nodes[node.ident] = node
            self.scope_of[node.ident] = scope
            self.container_node[node.ident] = parent

    def _connections(self) -> list[Element]:
        """Every connection the plane can draw, in document order."""
        found: list[Element] = []
        containers: list[Element] = []
        if self.root is not None and self.root.local == "collaboration":
            containers.append(self.root)
        containers += [pool.process for pool in self.pools if pool.process is not None]
        containers += [p for p in b.processes(self.document) if p.id in self.called]
        for container in containers:
            for node in container.iter():
                local = b.kind(node)
                if local in b.CONNECTION_TYPES:
                    found.append(node)
        return found

    def _owner(self, ident: str | None, scope: _Scope) -> _Node | None:
        """The node of `scope` an element belongs to: itself, or the sub-process around it."""
        node = self.nodes.get(ident or "")
        while node is not None and self.scope_of.get(node.ident) is not scope:
            node = self.container_node.get(node.ident)
        return node

    def _connect(self, top: _Scope) -> None:
        participants = {pool.participant.id: number for number, pool in enumerate(self.pools) if pool.participant}
        self.participant_pool = participants
        satellite_links: list[tuple[_Node, _Node, _Edge]] = []
        for connection in self._connections():
            source_id, target_id = b.connection_ends(connection)
            local = connection.local
            if connection.id is None:
                continue
            source, target = self.nodes.get(source_id or ""), self.nodes.get(target_id or "")
            if (
                local in _ASSOCIATION_TYPES
                and source is not None
                and target is not None
                and _is_satellite(source) != _is_satellite(target)
            ):
                satellite, other = (source, target) if _is_satellite(source) else (target, source)
                satellite_links.append(
                    (satellite, other, _Edge(connection, source, target, source, target, "association"))
                )
                continue
            if source is None or target is None:
                if local == "messageFlow" and (source is not None or target is not None):
                    self.loose.append(_Edge(connection, source, target, source, target, "pool"))  # type: ignore[arg-type]
                elif local == "messageFlow" and source_id in participants and target_id in participants:
                    self.loose.append(_Edge(connection, None, None, None, None, "pool"))  # type: ignore[arg-type]
                continue
            kind = {"sequenceFlow": "sequence", "messageFlow": "message"}.get(local, "association")
            if _is_satellite(source) or _is_satellite(target):
                self.loose.append(_Edge(connection, source, target, source, target, kind))
                continue
            scope = self.scope_of[source.ident]
            if self.scope_of[target.ident] is not scope:
                scope = top
            tail = self._owner(source.host.ident if source.host else source.ident, scope)
            head = self._owner(target.ident, scope)
            if tail is None or head is None or target.host is not None:
                self.loose.append(_Edge(connection, source, target, source, target, kind))
                continue
            if tail is not (source.host or source) or head is not target:
                # a flow into or out of a sub-process: it places the sub-process, and is routed alone
                if tail is not head:
                    scope.edges.append(_Edge(connection, tail, head, tail, head, kind, hidden=True))
                self.loose.append(_Edge(connection, source, target, source, target, kind))
                continue
            scope.edges.append(_Edge(connection, source, target, tail, head, kind))
        # satellites go above the step they belong to; the others wait in the footer
        for satellite, other, edge in satellite_links:
            anchor_scope = self.scope_of[satellite.ident]
            anchor = self._owner((other.host or other).ident, anchor_scope)
            if satellite.anchor is None and anchor is not None and anchor in self._layered(anchor_scope):
                satellite.anchor = anchor
                anchor.satellites.append(satellite)
            # a process's own input or output is linked to step after step: it is drawn with the
            # step it sits on only, or its lines would criss-cross the diagram (the MIWG
            # references draw them so too); a data object shows every step that uses it
            shared = satellite.element is not None and satellite.element.local in ("dataInput", "dataOutput")
            if not shared or satellite.anchor is None or satellite.anchor is anchor:
                self.loose.append(edge)
        for ident, node in self.nodes.items():
            if _is_satellite(node) and node.anchor is None:
                scope = self.scope_of[ident]
                node.band = self._pool_default(scope, node)
                scope.bands[node.band].footer.append(node)
        self._settle_bands(top)

    def _layered(self, scope: _Scope) -> set[_Node]:
        if scope.node_set is None:
            scope.node_set = set(scope.nodes)
        return scope.node_set

    def _settle_bands(self, top: _Scope) -> None:
        """Nodes no lane names go to the lane of a neighbour; nodes without any flow go to the
        row below their lane; satellites share their step's lane."""
        scopes = [top]
        index = 0
        while index < len(scopes):
            scope = scopes[index]
            index += 1
            neighbours: dict[_Node, list[_Node]] = {}
            linked: set[_Node] = set()
            for edge in scope.edges:
                if edge.tail is edge.head:
                    continue
                neighbours.setdefault(edge.head, []).append(edge.tail)
                neighbours.setdefault(edge.tail, []).append(edge.head)
                linked.add(edge.tail)
                linked.add(edge.head)
            if not scope.top_level:
                for node in scope.nodes:
                    node.band = 0
            pending = [n for n in scope.nodes if n.band < 0]
            while pending:
                progress = False
                for node in pending:
                    pool = scope.bands[self._pool_default(scope, node)].pool
                    placed = [
                        n.band for n in neighbours.get(node, ()) if n.band >= 0 and scope.bands[n.band].pool == pool
                    ]
                    if placed:
                        node.band = placed[0]
                        progress = True
                pending = [n for n in pending if n.band < 0]
                if not progress:
                    for node in pending:
                        node.band = self._pool_default(scope, node)
                    pending = []
            kept = []
            for node in scope.nodes:
                if node in linked:
                    kept.append(node)
                else:
                    scope.bands[node.band].footer.append(node)
            scope.nodes = kept
            scope.node_set = set(kept)
            for node in [*scope.nodes, *(n for band in scope.bands for n in band.footer)]:
                for event in node.boundaries:
                    event.band = node.band
                for satellite in node.satellites:
                    satellite.band = node.band
                if node.inner is not None:
                    scopes.append(node.inner)
            # satellites whose step went to the footer follow it there
            for band in scope.bands:
                moved = []
                for node in band.footer:
                    if node.satellites and node.layer < 0:
                        moved.extend(node.satellites)
                        node.satellites = []
                for satellite in moved:
                    satellite.anchor = None
                band.footer.extend(moved)

    def _pool_default(self, scope: _Scope, node: _Node) -> int:
        """The first lane of the pool whose process holds the node (0 inside a sub-process)."""
        if not scope.top_level or node.element is None:
            return 0
        for ancestor in node.element.ancestors():
            for pool in self.pools:
                if pool.process is ancestor and pool.bands:
                    return pool.bands[0]
        return 0


def _is_satellite(node: _Node) -> bool:
    return node.element is not None and node.element.local in _SATELLITE_TYPES


# --- the public entry points -------------------------------------------------------------------


def layout_diagram(document: Document, plane: Element | None = None, *, elements: set[str] | None = None) -> None:
    """Lay out a diagram plane: every pool, lane, node and connection it draws.

    plane None lays out every diagram of the document, creating one (for each collaboration,
    and for each process no pool stands for) when the document has none. With `elements`
    (element ids) only those nodes move: they are laid out among themselves, starting where
    the selection was, each in its lane; the rest of the diagram stays, and the flows touching
    a moved node are routed again. DI is written through the document's mutation API.
    """
    if plane is None:
        planes = [p for d in di.diagrams(document) if (p := di.plane(d)) is not None]
        if not planes:
            planes = create_planes(document)
    else:
        planes = [plane]
    for each in planes:
        if elements is None:
            _layout_plane(document, each)
        else:
            from .placement import tidy_selection

            tidy_selection(document, each, elements)


def _message_partners(document: Document, collaboration: Element) -> list[Element]:
    """Processes no pool stands for whose elements send or receive the collaboration's
    message flows."""
    in_pools = {_local(p.get("processRef")) for p in b.participants(document)}
    found: dict[str, Element] = {}
    for flow in collaboration.findall(bpmn("messageFlow")):
        for end in b.connection_ends(flow):
            element = document.element(end)
            process = b.owning_process(element) if element is not None else None
            if process is not None and process.id not in in_pools and process.id is not None:
                found.setdefault(process.id, process)
    return [p for p in b.processes(document) if p.id in found]


def diagram_roots(document: Document) -> list[Element]:
    """What deserves a diagram of its own: each collaboration, and each process that no pool
    stands for and no collaboration draws (the first process when there is nothing else)."""
    roots: list[Element] = list(b.collaborations(document))
    in_pools = {_local(p.get("processRef")) for p in b.participants(document)}
    for collaboration in roots:
        in_pools.update(p.id for p in _message_partners(document, collaboration))
    processes = [p for p in b.processes(document) if p.id not in in_pools]
    with_content = [p for p in processes if any(b.kind(c) in b.FLOW_NODE_TYPES for c in p.children)]
    return roots + (with_content or ([] if roots else processes[:1]))


def create_planes(document: Document, roots: list[Element] | None = None) -> list[Element]:
    """A diagram and plane for each of `roots` (by default `diagram_roots`); returns the new
    planes."""
    planes = []
    for root in diagram_roots(document) if roots is None else roots:
        diagram_id = document.new_id("BPMNDiagram")
        plane_id = document.new_id("BPMNPlane")
        plane = Element(bpmndi("BPMNPlane"), {"id": plane_id, "bpmnElement": root.id or ""})
        diagram = Element(bpmndi("BPMNDiagram"), {"id": diagram_id}, [plane])
        b.insert_in_order(document, document.root, diagram)
        planes.append(plane)
    return planes


def _layout_plane(
    document: Document, plane: Element, *, only: set[str] | None = None, origin: Point | None = None
) -> _PlaneLayout | None:
    """Lay out and draw a plane (or, with `only`, those of its pools, starting at `origin`)."""
    layout = _PlaneLayout(document, plane)
    scope = layout.build(only)
    if scope is None or not layout.pools:
        return None
    scope.arrange()
    if origin is None:
        origin = _origin(document, plane)
    lanes_x = origin.x + (HEADER if any(pool.participant is not None for pool in layout.pools) else 0.0)
    content_x = lanes_x + HEADER * layout.max_lane_depth + CONTENT_MARGIN
    scope.shift(content_x, origin.y)
    right = content_x + scope.width + CONTENT_MARGIN
    writer = _Writer(document, plane, layout.drawn)
    # pools and lanes first, so that what is inside them is drawn on top
    for pool in layout.pools:
        bands = [scope.bands[i] for i in pool.bands]
        top = origin.y + bands[0].top
        bottom = origin.y + bands[-1].top + bands[-1].height
        if pool.participant is not None:
            attributes = {"isHorizontal": "true"}
            writer.shape(pool.participant, Bounds(origin.x, top, right - origin.x, bottom - top), attributes)
    for lane, depth, leaves in layout.lanes:
        first, last = scope.bands[leaves[0]], scope.bands[leaves[-1]]
        x = lanes_x + HEADER * (depth - 1)
        box = Bounds(x, origin.y + first.top, right - x, last.top + last.height - first.top)
        writer.shape(lane, box, {"isHorizontal": "true"})
    _write_scope(writer, scope)
    obstacles = _obstacles(scope)
    for edge in _collect_edges(scope):
        if edge.hidden:
            continue
        if edge.plan and edge.plan[0] == "loose":
            writer.edge(edge.element, _route_around(edge.source, edge.target, obstacles))
        else:
            writer.edge(edge.element, edge.points)
    for edge in layout.loose:
        points = _loose_route(layout, scope, edge, origin, obstacles)
        if points:
            writer.edge(edge.element, points)
    writer.clear_labels_of_flows()
    layout.scope = scope
    return layout


def _obstacles(scope: _Scope) -> list[tuple[_Node, Bounds]]:
    """Every placed shape a loose connection should keep off (not the sub-processes
    themselves: a flow may leave one)."""
    found = []
    for node in scope.all_nodes():
        if node.inner is not None:
            found += _obstacles(node.inner)
        else:
            found.append((node, node.box))
    return found


def _route_around(source: _Node, target: _Node, obstacles: list[tuple[_Node, Bounds]]) -> list[Point]:
    """The plain route between two shapes, or one found round the shapes in its way."""
    plain = routing.route(source.box, target.box)
    low_x = min(source.x, target.x) - 150
    high_x = max(source.x + source.width, target.x + target.width) + 150
    low_y = min(source.y, target.y) - 150
    high_y = max(source.y + source.height, target.y + target.height) + 150
    near = [
        box
        for node, box in obstacles
        if node is not source
        and node is not target
        and box.x < high_x
        and box.x + box.width > low_x
        and box.y < high_y
        and box.y + box.height > low_y
    ]
    if routing.keeps_off(plain, near):
        return plain
    return routing.search_route(source.box, target.box, obstacles=near) or plain


def _collect_edges(scope: _Scope) -> list[_Edge]:
    found = list(scope.edges)
    for node in scope.nodes + [n for band in scope.bands for n in band.footer]:
        if node.inner is not None:
            found += _collect_edges(node.inner)
    return found


def _write_scope(writer: _Writer, scope: _Scope) -> None:
    for node in list(scope.nodes) + [n for band in scope.bands for n in band.footer]:
        attributes: dict[str, str] = {}
        element = node.element
        assert element is not None
        if element.local in b.SUBPROCESS_TYPES or (element.local == "callActivity" and node.inner is not None):
            attributes["isExpanded"] = "true" if node.inner is not None else "false"
        if element.local == "exclusiveGateway":
            attributes["isMarkerVisible"] = "true"
        writer.shape(element, node.box, attributes)
        for event in node.boundaries:
            writer.shape(event.element, event.box, {})  # type: ignore[arg-type]
        for satellite in node.satellites:
            writer.shape(satellite.element, satellite.box, {})  # type: ignore[arg-type]
        if node.inner is not None:
            _write_scope(writer, node.inner)


def _origin(document: Document, plane: Element) -> Point:
    """Where the laid-out diagram starts: where the drawing started, else at the origin."""
    xs, ys = [], []
    for child in plane.children:
        if di.is_shape(child) and (box := di.bounds(child)) is not None:
            xs.append(box.x)
            ys.append(box.y)
    return Point(min(xs), min(ys)) if xs else Point(0.0, 0.0)


def _loose_route(
    layout: _PlaneLayout, scope: _Scope, edge: _Edge, origin: Point, obstacles: list[tuple[_Node, Bounds]]
) -> list[Point]:
    """Connections outside the layered structure: associations to data and annotations,
    message flows to pools without a process, flows into and out of sub-processes."""
    pool_box: dict[int, Bounds] = {}
    for number, pool in enumerate(layout.pools):
        bands = [scope.bands[i] for i in pool.bands]
        top = origin.y + bands[0].top
        bottom = origin.y + bands[-1].top + bands[-1].height
        pool_box[number] = Bounds(origin.x, top, 1.0, bottom - top)
    source_id, target_id = b.connection_ends(edge.element)
    if edge.source is None or edge.target is None:
        source_pool = layout.participant_pool.get(source_id)
        target_pool = layout.participant_pool.get(target_id)
        node = edge.source or edge.target
        if node is None:
            if source_pool is None or target_pool is None or source_pool == target_pool:
                return []
            x = origin.x + HEADER + CONTENT_MARGIN
            a, c = pool_box[source_pool], pool_box[target_pool]
            down = target_pool > source_pool
            return [Point(x, a.y + a.height if down else a.y), Point(x, c.y if down else c.y + c.height)]
        pool = target_pool if edge.source is not None else source_pool
        if pool is None:
            return []
        box = pool_box[pool]
        node_pool = scope.bands[node.band].pool if node.band >= 0 else pool
        below = pool > node_pool
        pool_y = box.y if below else box.y + box.height
        node_end = Point(node.cx, node.y + node.height if below else node.y)
        points = [node_end, Point(node.cx, pool_y)]
        boxes = [box for other, box in obstacles if other is not node]
        if not routing.keeps_off(points, boxes):
            # straight down (up) is blocked: leave from the side into the gap, then drop
            side = Point(node.x + node.width, node.cy)
            aside = node.x + node.width + LAYER_GAP / 2
            points = [side, Point(aside, node.cy), Point(aside, pool_y)]
        return points if edge.source is not None else list(reversed(points))
    return _route_around(edge.source, edge.target, obstacles)


# --- writing DI ---------------------------------------------------------------------------------


class _Writer:
    """Writes shapes and edges through the mutation API, creating what is missing."""

    def __init__(self, document: Document, plane: Element, drawn: dict[str, Element]) -> None:
        self.document = document
        self.plane = plane
        self.drawn = drawn

    def shape(self, element: Element, box: Bounds, attributes: dict[str, str]) -> None:
        ident = element.id
        if ident is None:
            return
        shape = self.drawn.get(ident)
        if shape is None or not di.is_shape(shape):
            values = {"id": self.document.new_id(f"{ident}_di"), "bpmnElement": ident, **attributes}
            node = Element(bpmndi("BPMNShape"), values, [_bounds_element(box)])
            self.document.insert(self.plane, self._place_for(element), node)
            self.drawn[ident] = node
            return
        old = di.bounds(shape)
        if old != box:
            di.set_bounds(self.document, shape, box)
            if old is not None:
                _move_label(self.document, shape, box.x - old.x, box.y - old.y)
        for key, value in attributes.items():
            if key == "isExpanded" and shape.get(key) is None and value == "false":
                continue
            self.document.set_attribute(shape, key, value)

    def _place_for(self, element: Element) -> int:
        """Where a new shape goes among the plane's children: a pool, lane or sub-process before
        the first drawing of what it holds, so that it is drawn beneath it; others at the end."""
        local = element.local
        inside: set[str] = set()
        if local == "participant":
            process = self.document.element(_local(element.get("processRef")))
            if process is not None:
                inside = {node.id for node in process.iter() if node.id}
        elif local == "lane":
            inside = {(ref.text or "").strip() for ref in element.iter(bpmn("flowNodeRef"))}
            inside |= {lane.id for lane in element.iter(bpmn("lane")) if lane.id and lane is not element}
        elif local in b.SUBPROCESS_TYPES:
            inside = {node.id for node in element.iter() if node.id and node is not element}
        if inside:
            for index, child in enumerate(self.plane.children):
                if _local(child.get("bpmnElement")) in inside:
                    return index
        return len(self.plane.children)

    def edge(self, connection: Element, points: list[Point]) -> None:
        ident = connection.id
        if ident is None or len(points) < 2:
            return
        edge = self.drawn.get(ident)
        if edge is None or not di.is_edge(edge):
            waypoints = [
                Element(di_tag("waypoint"), {"x": di.format_number(p.x), "y": di.format_number(p.y)}) for p in points
            ]
            node = Element(bpmndi("BPMNEdge"), {"id": self.document.new_id(f"{ident}_di"), "bpmnElement": ident})
            node.children = waypoints
            for waypoint in waypoints:
                waypoint.parent = node
            self.document.append(self.plane, node)
            self.drawn[ident] = node
            return
        old = di.waypoints(edge)
        rounded = [Point(float(di.format_number(p.x)), float(di.format_number(p.y))) for p in points]
        if old != rounded:
            before, after = routing.middle(old), routing.middle(rounded)
            di.set_waypoints(self.document, edge, points)
            if before is not None and after is not None:
                _move_label(self.document, edge, after.x - before.x, after.y - before.y)

    def clear_labels_of_flows(self) -> None:
        """Put an event's or gateway's name above it when a flow leaves or enters it from below
        (a branch going down to another lane) and nothing uses its top, so that the flow does
        not run through the name."""
        edges = [edge for edge in self.drawn.values() if di.is_edge(edge)]
        ends = [point for edge in edges if (points := di.waypoints(edge)) for point in (points[0], points[-1])]
        for ident, shape in self.drawn.items():
            element = self.document.element(ident)
            if (
                element is None
                or element.local not in (b.GATEWAY_TYPES | b.EVENT_TYPES) - {"boundaryEvent"}
                or not (name := (element.get("name") or "").strip())
                or not di.is_shape(shape)
                or (box := di.bounds(shape)) is None
            ):
                continue
            label = di.label_bounds(shape)
            if label is not None and label.y < box.y:
                continue  # already above
            if not any(_touches(point, box, box.y + box.height) for point in ends):
                continue
            if any(_touches(point, box, box.y) for point in ends):
                continue  # both sides taken: below, where readers look first
            height = LABEL_LINE_HEIGHT * _label_lines(name)
            above = Bounds(box.x + box.width / 2 - LABEL_WIDTH / 2, box.y - LABEL_GAP - height, LABEL_WIDTH, height)
            node = shape.find(bpmndi("BPMNLabel"))
            if node is None:
                node = Element(bpmndi("BPMNLabel"))
                self.document.append(shape, node)
            di.set_bounds(self.document, node, above)


LABEL_WIDTH = 90.0  # the renderer's external label width (canvas.notation.EXTERNAL_LABEL_WIDTH)
LABEL_LINE_HEIGHT = 14.0  # one line of the renderer's 11-pixel label font
LABEL_CHARACTER = 6.3  # the average width of one character of that font
LABEL_GAP = 5.0


def _label_lines(text: str) -> int:
    """How many lines a name wraps to in an external label, estimated without a font."""
    lines, used = 1, 0.0
    for word in text.split():
        width = len(word) * LABEL_CHARACTER
        if used and used + LABEL_CHARACTER + width > LABEL_WIDTH:
            lines, used = lines + 1, width
        else:
            used += (LABEL_CHARACTER if used else 0.0) + width
    return lines


def _touches(point: Point, box: Bounds, side_y: float) -> bool:
    return abs(point.y - side_y) < 1.0 and box.x - 1.0 <= point.x <= box.x + box.width + 1.0


def _bounds_element(box: Bounds) -> Element:
    from ..model.namespaces import dc

    return Element(
        dc("Bounds"),
        {
            "x": di.format_number(box.x),
            "y": di.format_number(box.y),
            "width": di.format_number(box.width),
            "height": di.format_number(box.height),
        },
    )


def _move_label(document: Document, drawing: Element, dx: float, dy: float) -> None:
    label = drawing.find(bpmndi("BPMNLabel"))
    if label is not None and (box := di.bounds(label)) is not None and (dx or dy):
        di.set_bounds(document, label, Bounds(box.x + dx, box.y + dy, box.width, box.height))


# --- measuring ----------------------------------------------------------------------------------


def edge_routes(document: Document, plane: Element) -> list[list[Point]]:
    """The waypoints of every edge drawn on a plane, in document order."""
    return [di.waypoints(child) for child in plane.children if di.is_edge(child)]


def count_crossings(routes: Iterable[list[Point]]) -> int:
    """How many times two different edges cross (segments meeting at a point inside both;
    edges that only touch or share an end are not counted). Works for slanted segments too."""
    segments: list[tuple[int, Point, Point]] = []
    for number, points in enumerate(routes):
        for a, c in zip(points, points[1:], strict=False):
            if a != c:
                segments.append((number, a, c))
    cell = 200.0
    grid: dict[tuple[int, int], list[int]] = {}
    for index, (_, a, c) in enumerate(segments):
        for gx in range(int(min(a.x, c.x) // cell), int(max(a.x, c.x) // cell) + 1):
            for gy in range(int(min(a.y, c.y) // cell), int(max(a.y, c.y) // cell) + 1):
                grid.setdefault((gx, gy), []).append(index)
    seen: set[tuple[int, int]] = set()
    total = 0
    for members in grid.values():
        for i, first in enumerate(members):
            for second in members[i + 1 :]:
                pair = (first, second) if first < second else (second, first)
                if pair in seen:
                    continue
                seen.add(pair)
                e1, a1, c1 = segments[pair[0]]
                e2, a2, c2 = segments[pair[1]]
                if e1 != e2 and _proper_crossing(a1, c1, a2, c2):
                    total += 1
    return total


def _proper_crossing(a: Point, c: Point, p: Point, q: Point) -> bool:
    def orientation(o: Point, s: Point, t: Point) -> float:
        return (s.x - o.x) * (t.y - o.y) - (s.y - o.y) * (t.x - o.x)

    d1, d2 = orientation(p, q, a), orientation(p, q, c)
    d3, d4 = orientation(a, c, p), orientation(a, c, q)
    return ((d1 > 1e-9 and d2 < -1e-9) or (d1 < -1e-9 and d2 > 1e-9)) and (
        (d3 > 1e-9 and d4 < -1e-9) or (d3 < -1e-9 and d4 > 1e-9)
    )
