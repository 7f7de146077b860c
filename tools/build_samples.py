"""Build the sample models in samples/ through the model API.

Run from the project root: python tools/build_samples.py [FOLDER]
The output is committed; running the tool again gives the same bytes.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from smo_designer.formats.bpmn import write_bpmn  # noqa: E402
from smo_designer.model import bpmn, di, smo  # noqa: E402
from smo_designer.model.document import Document  # noqa: E402
from smo_designer.model.element import Element  # noqa: E402
from smo_designer.model.namespaces import XSI, bpmndi  # noqa: E402

POOL_X, POOL_Y, HEADER, LANE_HEIGHT, COLUMN = 160, 80, 30, 150, 150
SIZES = {"task": (110, 80), "gateway": (50, 50), "event": (36, 36)}


class SwimlaneBuilder:
    """Places nodes on a grid of columns and lanes and draws orthogonal flows between them."""

    def __init__(self, document: Document, process: Element, plane: Element, lanes: list[Element]) -> None:
        self.document, self.process, self.plane, self.lanes = document, process, plane, lanes
        self.centres: dict[str, tuple[float, float, float, float]] = {}

    def shape(self, element: Element, bounds: di.Bounds, **attributes: str) -> Element:
        shape = Element(bpmndi("BPMNShape"), {"id": f"{element.id}_di", "bpmnElement": element.id or "", **attributes})
        self.document.append(self.plane, shape)
        di.set_bounds(self.document, shape, bounds)
        return shape

    def node(self, kind: str, name: str, column: int, lane: int, family: str, **attributes: str) -> Element:
        element = bpmn.create(self.document, self.process, kind, {"name": name, **attributes}, id_prefix=_prefix(kind))
        bpmn.create(self.document, self.lanes[lane], "flowNodeRef", text=element.id)
        width, height = SIZES[family]
        x = POOL_X + HEADER + 60 + column * COLUMN + (110 - width) / 2
        y = POOL_Y + lane * LANE_HEIGHT + (LANE_HEIGHT - height) / 2
        extra = {"isMarkerVisible": "true"} if family == "gateway" else {}
        shape = self.shape(element, di.Bounds(x, y, width, height), **extra)
        if family != "task":
            label = Element(bpmndi("BPMNLabel"))
            self.document.append(shape, label)
            label_y = y - 28 if family == "gateway" else y + height + 6
            di.set_bounds(self.document, label, di.Bounds(x + width / 2 - 55, label_y, 110, 22))
        self.centres[element.id or ""] = (x, y, width, height)
        return element

    def flow(self, source: Element, target: Element, name: str = "", condition: str = "") -> Element:
        attributes = {"sourceRef": source.id or "", "targetRef": target.id or ""}
        if name:
            attributes["name"] = name
        flow = bpmn.create(self.document, self.process, "sequenceFlow", attributes, id_prefix="Flow")
        if condition:
            expression = bpmn.create(self.document, flow, "conditionExpression", text=condition)
            self.document.set_attribute(expression, f"{{{XSI}}}type", "bpmn:tFormalExpression")
        bpmn.create(self.document, source, "outgoing", text=flow.id)
        bpmn.create(self.document, target, "incoming", text=flow.id)
        sx, sy, sw, sh = self.centres[source.id or ""]
        tx, ty, tw, th = self.centres[target.id or ""]
        if abs((sy + sh / 2) - (ty + th / 2)) < 1:
            points = [di.Point(sx + sw, sy + sh / 2), di.Point(tx, ty + th / 2)]
        elif tx > sx + sw and tw == SIZES["gateway"][0]:
            # into a gateway from another lane: along the source's lane, then up or down into its tip
            down = ty > sy
            points = [
                di.Point(sx + sw, sy + sh / 2),
                di.Point(tx + tw / 2, sy + sh / 2),
                di.Point(tx + tw / 2, ty if down else ty + th),
            ]
        elif tx > sx + sw:
            # leave from the top or bottom, turn towards the target and enter from its left side
            down = ty > sy
            start = di.Point(sx + sw / 2, sy + sh if down else sy)
            points = [start, di.Point(start.x, ty + th / 2), di.Point(tx, ty + th / 2)]
        else:
            points = [di.Point(sx + sw / 2, sy + sh), di.Point(sx + sw / 2, ty), di.Point(tx + tw / 2, ty)]
        edge = Element(bpmndi("BPMNEdge"), {"id": f"{flow.id}_di", "bpmnElement": flow.id or ""})
        self.document.append(self.plane, edge)
        di.set_waypoints(self.document, edge, points)
        if name:
            label = Element(bpmndi("BPMNLabel"))
            self.document.append(edge, label)
            di.set_bounds(self.document, label, di.Bounds(points[0].x + 6, points[0].y + 4, 40, 18))
        return flow


def _prefix(kind: str) -> str:
    if kind in bpmn.GATEWAY_TYPES:
        return "Gateway"
    if kind in bpmn.EVENT_TYPES:
        return "Event"
    return "Activity"


def incident_management() -> Document:
    document = bpmn.new_document("Incident management")
    process = bpmn.processes(document)[0]
    document.set_attribute(process, "name", "Incident management")
    bpmn.set_documentation(
        document,
        process,
        "Restore normal service operation as quickly as possible and minimise the impact of incidents "
        "on the business (ITIL 4 incident management practice).",
    )
    roles = {}
    for name, description, kind in [
        (
            "Service desk agent",
            "First point of contact: logs, classifies and resolves incidents at first line.",
            "role",
        ),
        ("Incident manager", "Owns the handling of incidents, priorities and escalations.", "role"),
        ("Support specialist", "Second-line technical specialist in a support group.", "group"),
        ("Process owner", "Accountable for the incident management process, its policies and KPIs.", "role"),
        ("Service owner", "Accountable for the service affected by the incident.", "role"),
        ("User", "The person who reported the incident.", "stakeholder"),
    ]:
        roles[name] = smo.add_role(document, name, description, kind).get("id", "")

    collaboration = bpmn.create(document, document.root, "collaboration", id_prefix="Collaboration")
    pool = bpmn.create(
        document,
        collaboration,
        "participant",
        {"name": "IT service provider", "processRef": process.id or ""},
        id_prefix="Participant",
    )
    plane = di.plane(di.diagrams(document)[0])
    assert plane is not None
    document.set_attribute(plane, "bpmnElement", collaboration.id)

    lane_set = bpmn.create(document, process, "laneSet", id_prefix="LaneSet")
    lane_roles = ["Service desk agent", "Incident manager", "Support specialist"]
    lanes = []
    for name in lane_roles:
        lane = bpmn.create(document, lane_set, "lane", {"name": name}, id_prefix="Lane")
        smo.set_lane_role(document, lane, roles[name])
        lanes.append(lane)
    columns = 10
    width = HEADER + 60 + columns * COLUMN + 40
    builder = SwimlaneBuilder(document, process, plane, lanes)
    builder.shape(pool, di.Bounds(POOL_X, POOL_Y, width, LANE_HEIGHT * len(lanes)), isHorizontal="true")
    for index, lane in enumerate(lanes):
        bounds = di.Bounds(POOL_X + HEADER, POOL_Y + index * LANE_HEIGHT, width - HEADER, LANE_HEIGHT)
        builder.shape(lane, bounds, isHorizontal="true")

    start = builder.node("startEvent", "Incident reported", 0, 0, "event")
    log = builder.node("userTask", "Log incident", 1, 0, "task")
    categorise = builder.node("userTask", "Categorise and prioritise", 2, 0, "task")
    diagnose = builder.node("userTask", "Initial diagnosis", 3, 0, "task")
    resolved = builder.node("exclusiveGateway", "Resolved at first line?", 4, 0, "gateway")
    assign = builder.node("userTask", "Assign to support group", 5, 1, "task")
    investigate = builder.node("userTask", "Investigate and diagnose", 6, 2, "task")
    recover = builder.node("userTask", "Resolve and recover", 7, 2, "task")
    merge = builder.node("exclusiveGateway", "Service restored", 8, 0, "gateway")
    confirm = builder.node("userTask", "Confirm resolution with user", 9, 0, "task")
    close = builder.node("userTask", "Close incident", 10, 0, "task")
    end = builder.node("endEvent", "Incident closed", 11, 0, "event")
    document.set_attribute(lane_set, "name", None)

    builder.flow(start, log)
    builder.flow(log, categorise)
    builder.flow(categorise, diagnose)
    builder.flow(diagnose, resolved)
    escalate = builder.flow(resolved, assign, "No", "resolvedAtFirstLine == false")
    first_line = builder.flow(resolved, merge, "Yes")
    document.set_attribute(resolved, "default", first_line.id)
    assert escalate.id
    builder.flow(assign, investigate)
    builder.flow(investigate, recover)
    builder.flow(recover, merge)
    builder.flow(merge, confirm)
    builder.flow(confirm, close)
    builder.flow(close, end)
    # the pool and lanes end after the last column
    _fit_pool(document, builder, lanes, pool, end)

    for activity, cells in [
        (log, {"Service desk agent": "R", "Incident manager": "A", "User": "I"}),
        (categorise, {"Service desk agent": "R", "Incident manager": "A", "Service owner": "C"}),
        (diagnose, {"Service desk agent": "R", "Incident manager": "A", "Support specialist": "C"}),
        (assign, {"Incident manager": "RA", "Support specialist": "I"}),
        (investigate, {"Support specialist": "R", "Incident manager": "A", "Service desk agent": "C"}),
        (recover, {"Support specialist": "R", "Incident manager": "A", "Service owner": "I"}),
        (confirm, {"Service desk agent": "R", "Incident manager": "A", "User": "C"}),
        (close, {"Service desk agent": "R", "Process owner": "A", "Incident manager": "I", "User": "I"}),
    ]:
        for role, letters in cells.items():
            smo.set_raci(document, activity, roles[role], letters)
    for activity, text in [
        (log, "Record the incident with caller, service, symptoms and time reported."),
        (categorise, "Set category, impact and urgency; priority follows from the priority matrix."),
        (diagnose, "Search known errors and the knowledge base; try the documented workarounds."),
        (assign, "Route the incident to the support group that owns the affected configuration item."),
        (investigate, "Find the cause of the service interruption; raise a problem if it may recur."),
        (recover, "Apply the fix or workaround and verify that the service works again."),
        (confirm, "Ask the user to confirm that the service works for them."),
        (close, "Check the record is complete and correctly categorised, then close it."),
    ]:
        bpmn.set_documentation(document, activity, text)

    smo.add_policy(
        document,
        smo.Policy(
            identifier="POL-INC-001",
            title="All incidents must be logged",
            statement="Every incident reported through any channel is logged in the service management tool "
            "before work on it starts.",
            rationale="Unlogged incidents cannot be prioritised, measured or learned from.",
            scope="All IT services in the service catalogue, all channels.",
            owner_role=roles["Process owner"],
            approver="Head of IT operations",
            status="approved",
            effective="2026-03-01",
            next_review="2027-03-01",
            links=(log.id or "",),
            frameworks=(
                smo.FrameworkReference("ITIL 4", "Incident management", "implements"),
                smo.FrameworkReference("ISO/IEC 20000-1:2018", "8.6.1 Incident management", "implements"),
            ),
            history=(
                smo.StatusChange("draft", "2026-01-10"),
                smo.StatusChange("in review", "2026-02-02"),
                smo.StatusChange("approved", "2026-02-16"),
            ),
        ),
    )
    smo.add_policy(
        document,
        smo.Policy(
            identifier="POL-INC-002",
            title="Incidents are prioritised by impact and urgency",
            statement="The priority of every incident follows from its impact and urgency using the published "
            "priority matrix; it is reviewed when either changes.",
            rationale="A shared rule makes priorities predictable and fair across support groups.",
            scope="All incidents.",
            owner_role=roles["Incident manager"],
            approver="Process owner",
            status="in review",
            effective="2026-04-01",
            next_review="2027-04-01",
            links=(categorise.id or "",),
            frameworks=(
                smo.FrameworkReference("ITIL 4", "Incident management", "supports"),
                smo.FrameworkReference(
                    "COBIT 2019", "DSS02.02 Record, classify and prioritize requests and incidents", "implements"
                ),
            ),
            history=(smo.StatusChange("draft", "2026-01-20"), smo.StatusChange("in review", "2026-02-20")),
        ),
    )
    smo.add_policy(
        document,
        smo.Policy(
            identifier="POL-INC-003",
            title="Users confirm resolution before closure",
            statement="An incident is closed only after the user confirmed the resolution, or after three "
            "working days without an answer to two reminders.",
            owner_role=roles["Process owner"],
            status="draft",
            links=(confirm.id or "", close.id or ""),
            frameworks=(smo.FrameworkReference("ISO/IEC 20000-1:2018", "8.6.1 Incident management", "supports"),),
            history=(smo.StatusChange("draft", "2026-02-25"),),
        ),
    )
    for kpi in [
        smo.Kpi(
            name="Mean time to resolve",
            description="Average time from logging to resolution, per priority.",
            target="8",
            unit="hours",
            direction="lower",
            frequency="monthly",
            owner_role=roles["Incident manager"],
            data_source="Service management tool",
        ),
        smo.Kpi(
            name="First-contact resolution rate",
            description="Share of incidents resolved by the service desk without escalation.",
            target="70",
            unit="%",
            direction="higher",
            frequency="monthly",
            owner_role=roles["Service desk agent"],
            data_source="Service management tool",
        ),
        smo.Kpi(
            name="Incidents resolved within SLA",
            description="Share of incidents resolved within the target time of their priority.",
            target="95",
            unit="%",
            direction="higher",
            frequency="monthly",
            owner_role=roles["Process owner"],
            data_source="SLA report",
        ),
    ]:
        smo.add_kpi(document, process, kpi)
    smo.set_metadata(
        document,
        smo.Metadata(
            title="Incident management",
            version="1.0",
            status="approved",
            owner="Process owner, IT operations",
            created="2026-01-10",
            modified="2026-02-25",
        ),
    )
    return document


def _fit_pool(document: Document, builder: SwimlaneBuilder, lanes, pool, last: Element) -> None:
    x, _, width, _ = builder.centres[last.id or ""]
    right = x + width + 60
    for element in [pool, *lanes]:
        shape = next(s for s in di.diagram_elements(document) if s.get("bpmnElement") == element.id)
        bounds = di.bounds(shape)
        assert bounds is not None
        di.set_bounds(document, shape, di.Bounds(bounds.x, bounds.y, right - bounds.x, bounds.height))


def main(argv: list[str]) -> int:
    """Write the samples into samples/, or into the folder given."""
    folder = Path(argv[0]) if argv else ROOT / "samples"
    target = folder / "incident-management.bpmn"
    write_bpmn(incident_management(), target)
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
