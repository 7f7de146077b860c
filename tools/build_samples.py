"""Build the sample models in samples/ through the model API, the way the app would edit them.

Run from the project root: .venv/bin/python tools/build_samples.py [FOLDER] (default: samples/).
The output is committed and deterministic: every date is fixed, ids are written out, so two
runs give identical bytes (tests/test_samples.py checks that the committed file is current).
"""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from smo_designer.formats.bpmn import write_bpmn
from smo_designer.layout.autolayout import layout_diagram
from smo_designer.model import bpmn, di, smo
from smo_designer.model.document import Document
from smo_designer.model.element import Element
from smo_designer.model.namespaces import XSI, bpmndi
from smo_designer.model.namespaces import bpmn as bpmn_tag

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"

TASK = (100, 80)
EVENT = 36
GATEWAY = 50
# bpmn-js draws external labels (events, gateways, flows) at most 90 wide in 11px Arial,
# 6 to 7 px a character and 14 px a line; the label boxes below follow that measure.
LABEL_CHARS_PER_LINE = 14
LABEL_CHAR_WIDTH = 7
LABEL_MIN_WIDTH = 20
LABEL_LINE_HEIGHT = 14


@dataclass(frozen=True)
class LaneSpec:
    key: str
    role: str
    y: int
    height: int


@dataclass(frozen=True)
class NodeSpec:
    id: str
    local: str  # BPMN element: userTask, startEvent, exclusiveGateway, …
    name: str
    lane: str
    cx: int
    cy: int
    documentation: str = ""
    label: str = "below"  # where an event's or gateway's name is drawn: below, above or above left


@dataclass(frozen=True)
class Step:
    """A node of a process whose diagram auto-layout draws."""

    id: str
    local: str
    name: str
    lane: str
    documentation: str = ""


@dataclass(frozen=True)
class Link:
    """A sequence flow of a process whose diagram auto-layout draws."""

    id: str
    source: str
    target: str
    name: str = ""
    condition: str = ""


@dataclass(frozen=True)
class FlowSpec:
    id: str
    source: str
    target: str
    points: tuple[tuple[int, int], ...]
    name: str = ""
    condition: str = ""
    label_at: tuple[int, int] | None = None  # top-left corner of the flow's name


# --- the incident management process (ITIL 4 incident management practice) ----------------------

INCIDENT_ROLES = {
    "agent": (
        "Service desk agent",
        "First line: the single point of contact for users. Logs, categorises and prioritises "
        "incidents, resolves what can be resolved at first contact, escalates the rest and "
        "keeps the user informed until closure.",
        "operational",
    ),
    "manager": (
        "Incident manager",
        "Manages the incident management practice day to day: owns the queue and its service "
        "levels, decides on major incidents and coordinates their response, and handles "
        "hierarchic escalations.",
        "management",
    ),
    "specialist": (
        "Support group specialist (2nd line)",
        "Member of a technical or application support group. Investigates and diagnoses "
        "escalated incidents and restores the service, involving suppliers where needed.",
        "operational",
    ),
    "owner": (
        "Incident management process owner",
        "Accountable for the practice as a whole: its design, policies, KPIs and continual "
        "improvement. Informed of every major incident.",
        "governance",
    ),
}

POOL = (160, 80, 2200, 520)  # x, y, width, height of the participant "IT service provider"
LANE_X = 190  # the pool's name band is 30 wide

INCIDENT_LANES = (
    LaneSpec("agent", "agent", 80, 200),
    LaneSpec("manager", "manager", 280, 140),
    LaneSpec("specialist", "specialist", 420, 180),
)

# rows: the service desk works at y=190, the incident manager at 350, the specialists at 490;
# the waypoints of each flow start and end on the borders of its source and target
INCIDENT_NODES = (
    NodeSpec("StartEvent_IncidentReported", "startEvent", "Incident reported", "agent", 262, 190),
    NodeSpec(
        "Activity_LogIncident",
        "userTask",
        "Log incident",
        "agent",
        370,
        190,
        "Record the incident in the ITSM tool: user, affected service and configuration item, "
        "symptoms, contact channel and time stamp. Link it to related open incidents.",
    ),
    NodeSpec(
        "Activity_CategorisePrioritise",
        "userTask",
        "Categorise and prioritise",
        "agent",
        520,
        190,
        "Assign the category and set the priority from the impact and urgency matrix; the "
        "priority sets the resolution target of the service level agreement.",
    ),
    NodeSpec("Gateway_MajorIncident", "exclusiveGateway", "Major incident?", "agent", 640, 190, label="above"),
    NodeSpec(
        "Activity_InitialDiagnosis",
        "userTask",
        "Initial diagnosis",
        "agent",
        770,
        190,
        "Diagnose with the user using known errors, knowledge articles and diagnostic scripts; "
        "apply a workaround or fix where one is known.",
    ),
    NodeSpec(
        "Gateway_ResolvedFirstLine", "exclusiveGateway", "Resolved at first contact?", "agent", 890, 190, label="above"
    ),
    NodeSpec(
        "Activity_CoordinateMajorIncident",
        "userTask",
        "Coordinate major incident response",
        "manager",
        770,
        350,
        "Invoke the major incident procedure: form the response team, inform top management "
        "and stakeholders, and communicate status at the agreed intervals until the service is "
        "restored.",
    ),
    NodeSpec(
        "Activity_AssignSupportGroup",
        "userTask",
        "Assign to support group",
        "manager",
        1020,
        350,
        "Functional escalation: assign the incident to the support group that owns the affected "
        "configuration item, with the diagnosis so far, and watch its resolution target.",
    ),
    NodeSpec(
        "Gateway_ToInvestigation",
        "exclusiveGateway",
        "Investigation needed",
        "specialist",
        1150,
        490,
        label="above left",
    ),
    NodeSpec(
        "Activity_InvestigateDiagnose",
        "userTask",
        "Investigate and diagnose",
        "specialist",
        1280,
        490,
        "Establish what went wrong and how to restore the service: analyse logs, monitoring "
        "data and recent changes, and involve suppliers under their contracts.",
    ),
    NodeSpec(
        "Activity_ResolveRecover",
        "userTask",
        "Resolve and recover",
        "specialist",
        1430,
        490,
        "Apply the resolution or workaround, through change enablement where a change is "
        "needed, and verify that the service works again.",
    ),
    NodeSpec("Gateway_ToConfirmation", "exclusiveGateway", "Service restored", "agent", 1560, 190, label="above"),
    NodeSpec(
        "Activity_ConfirmResolution",
        "userTask",
        "Confirm resolution with user",
        "agent",
        1690,
        190,
        "Contact the user and confirm that the service works as expected for them.",
    ),
    NodeSpec(
        "Gateway_ResolutionConfirmed", "exclusiveGateway", "Resolution confirmed?", "agent", 1810, 190, label="above"
    ),
    NodeSpec(
        "Activity_CloseIncident",
        "userTask",
        "Close incident",
        "agent",
        1940,
        190,
        "Check the record: closure category, resolution notes and time stamps; close the "
        "incident and trigger the user satisfaction survey.",
    ),
    NodeSpec("Gateway_WasMajor", "exclusiveGateway", "Was it a major incident?", "agent", 2070, 190, label="above"),
    NodeSpec("EndEvent_IncidentClosed", "endEvent", "Incident closed", "agent", 2172, 190),
    NodeSpec(
        "Activity_ReviewMajorIncident",
        "userTask",
        "Review major incident",
        "manager",
        2170,
        350,
        "Review the major incident with everyone involved once the service is restored: timeline, "
        "cause, what worked and what did not; raise a problem record and improvement actions.",
    ),
    NodeSpec("EndEvent_MajorIncidentReviewed", "endEvent", "Major incident reviewed", "manager", 2292, 350),
)

INCIDENT_FLOWS = (
    FlowSpec("Flow_Log", "StartEvent_IncidentReported", "Activity_LogIncident", ((280, 190), (320, 190))),
    FlowSpec("Flow_Categorise", "Activity_LogIncident", "Activity_CategorisePrioritise", ((420, 190), (470, 190))),
    FlowSpec("Flow_MajorCheck", "Activity_CategorisePrioritise", "Gateway_MajorIncident", ((570, 190), (615, 190))),
    FlowSpec(
        "Flow_MajorNo",
        "Gateway_MajorIncident",
        "Activity_InitialDiagnosis",
        ((665, 190), (720, 190)),
        "No",
        "Priority is not major",
        (675, 172),
    ),
    FlowSpec(
        "Flow_MajorYes",
        "Gateway_MajorIncident",
        "Activity_CoordinateMajorIncident",
        ((640, 215), (640, 350), (720, 350)),
        "Yes",
        "Priority is major (P1) or the incident manager declares a major incident",
        (646, 290),
    ),
    FlowSpec("Flow_FirstLineCheck", "Activity_InitialDiagnosis", "Gateway_ResolvedFirstLine", ((820, 190), (865, 190))),
    FlowSpec(
        "Flow_FirstLineYes",
        "Gateway_ResolvedFirstLine",
        "Gateway_ToConfirmation",
        ((915, 190), (1535, 190)),
        "Yes",
        "Service restored at first contact",
        (925, 172),
    ),
    FlowSpec(
        "Flow_FirstLineNo",
        "Gateway_ResolvedFirstLine",
        "Activity_AssignSupportGroup",
        ((890, 215), (890, 350), (970, 350)),
        "No",
        "The service desk cannot restore the service",
        (896, 290),
    ),
    FlowSpec(
        "Flow_Assigned",
        "Activity_AssignSupportGroup",
        "Gateway_ToInvestigation",
        ((1070, 350), (1150, 350), (1150, 465)),
    ),
    FlowSpec(
        "Flow_MajorToInvestigation",
        "Activity_CoordinateMajorIncident",
        "Gateway_ToInvestigation",
        ((770, 390), (770, 490), (1125, 490)),
    ),
    FlowSpec("Flow_Investigate", "Gateway_ToInvestigation", "Activity_InvestigateDiagnose", ((1175, 490), (1230, 490))),
    FlowSpec("Flow_Resolve", "Activity_InvestigateDiagnose", "Activity_ResolveRecover", ((1330, 490), (1380, 490))),
    FlowSpec(
        "Flow_Resolved", "Activity_ResolveRecover", "Gateway_ToConfirmation", ((1480, 490), (1560, 490), (1560, 215))
    ),
    FlowSpec("Flow_Confirm", "Gateway_ToConfirmation", "Activity_ConfirmResolution", ((1585, 190), (1640, 190))),
    FlowSpec(
        "Flow_ConfirmCheck", "Activity_ConfirmResolution", "Gateway_ResolutionConfirmed", ((1740, 190), (1785, 190))
    ),
    FlowSpec(
        "Flow_ConfirmedYes",
        "Gateway_ResolutionConfirmed",
        "Activity_CloseIncident",
        ((1835, 190), (1890, 190)),
        "Yes",
        "The user confirms that the service works",
        (1845, 172),
    ),
    FlowSpec(
        "Flow_ConfirmedNo",
        "Gateway_ResolutionConfirmed",
        "Gateway_ToInvestigation",
        ((1810, 215), (1810, 560), (1150, 560), (1150, 515)),
        "No",
        "The user reports that the incident persists: reopen",
        (1816, 230),
    ),
    FlowSpec("Flow_MajorReviewCheck", "Activity_CloseIncident", "Gateway_WasMajor", ((1990, 190), (2045, 190))),
    FlowSpec(
        "Flow_WasMajorNo",
        "Gateway_WasMajor",
        "EndEvent_IncidentClosed",
        ((2095, 190), (2154, 190)),
        "No",
        "The incident was not a major incident",
        (2105, 172),
    ),
    FlowSpec(
        "Flow_WasMajorYes",
        "Gateway_WasMajor",
        "Activity_ReviewMajorIncident",
        ((2070, 215), (2070, 350), (2120, 350)),
        "Yes",
        "The incident was handled as a major incident",
        (2076, 290),
    ),
    FlowSpec(
        "Flow_Reviewed", "Activity_ReviewMajorIncident", "EndEvent_MajorIncidentReviewed", ((2220, 350), (2274, 350))
    ),
)

# activity → role key → letters; exactly one A and at least one R in every row
INCIDENT_RACI = {
    "Activity_LogIncident": {"agent": "R", "manager": "A"},
    "Activity_CategorisePrioritise": {"agent": "R", "manager": "A", "specialist": "I"},
    "Activity_InitialDiagnosis": {"agent": "R", "manager": "A", "specialist": "C"},
    "Activity_AssignSupportGroup": {"manager": "RA", "agent": "C", "specialist": "I"},
    "Activity_CoordinateMajorIncident": {"manager": "RA", "specialist": "C", "agent": "I", "owner": "I"},
    "Activity_InvestigateDiagnose": {"specialist": "R", "manager": "A", "agent": "I"},
    "Activity_ResolveRecover": {"specialist": "R", "manager": "A", "agent": "I"},
    "Activity_ConfirmResolution": {"agent": "R", "manager": "A", "specialist": "I"},
    "Activity_CloseIncident": {"agent": "R", "manager": "A"},
    "Activity_ReviewMajorIncident": {"manager": "R", "owner": "A", "specialist": "C", "agent": "I"},
}

ITIL = "ITIL 4"
ITIL_PRACTICE = "Incident management practice"
ISO20000 = "ISO/IEC 20000-1:2018"
CLAUSE_8_6_1 = "8.6.1 Incident management"
COBIT = "COBIT 2019"
NIST_CSF = "NIST CSF 2.0"
ISO27001 = "ISO/IEC 27001:2022"


def incident_policies(roles: dict[str, str]) -> list[smo.Policy]:
    def history(*steps: tuple[str, str]) -> tuple[smo.StatusChange, ...]:
        return tuple(smo.StatusChange(status, date) for status, date in steps)

    # approved for version 1.0, confirmed at the annual reviews for versions 1.1 and 1.2
    approved = history(
        ("draft", "2024-01-15"),
        ("in review", "2024-02-05"),
        ("approved", "2024-03-01"),
        ("in review", "2025-02-03"),
        ("approved", "2025-03-03"),
        ("in review", "2026-02-02"),
        ("approved", "2026-03-02"),
    )
    return [
        smo.Policy(
            identifier="IM-POL-01",
            title="Every incident is logged",
            statement="Every incident reported to the service desk or detected by monitoring is logged as an "
            "incident record, with time stamp, user, affected service and symptoms, before any work on it starts.",
            rationale="Only a logged incident can be prioritised, tracked against its service level target and "
            "analysed for trends and problems.",
            scope="All services in the service catalogue and every contact channel: phone, portal, e-mail, chat "
            "and monitoring events.",
            owner_role=roles["manager"],
            approver="Head of IT service management",
            status="approved",
            effective="2024-03-01",
            next_review="2027-03-01",
            links=("Activity_LogIncident",),
            frameworks=(
                smo.FrameworkReference(ITIL, ITIL_PRACTICE, "implements"),
                smo.FrameworkReference(ISO20000, CLAUSE_8_6_1, "implements"),
                smo.FrameworkReference(COBIT, "DSS02 Managed Service Requests and Incidents", "supports"),
            ),
            history=approved,
        ),
        smo.Policy(
            identifier="IM-POL-02",
            title="Incidents are prioritised by impact and urgency",
            statement="Each incident gets a priority from the impact and urgency matrix when it is logged and "
            "again whenever its impact or urgency changes; resolution targets follow the priority.",
            rationale="Priority decides the order of work and the resolution target that the service level "
            "agreement promises.",
            scope="All incidents.",
            owner_role=roles["manager"],
            approver="Head of IT service management",
            status="approved",
            effective="2024-03-01",
            next_review="2027-03-01",
            links=("Activity_CategorisePrioritise",),
            frameworks=(
                smo.FrameworkReference(ISO20000, CLAUSE_8_6_1, "implements"),
                smo.FrameworkReference(ITIL, ITIL_PRACTICE, "supports"),
            ),
            history=approved,
        ),
        smo.Policy(
            identifier="IM-POL-03",
            title="Major incidents follow the major incident procedure",
            statement="An incident declared major is managed by the incident manager under the documented major "
            "incident procedure; top management is informed, and the incident is reviewed once the service is "
            "restored.",
            rationale="Major incidents need one person in charge, fast decisions and a review that prevents "
            "recurrence.",
            scope="Incidents of priority 1 and incidents the incident manager declares major.",
            owner_role=roles["owner"],
            approver="Head of IT service management",
            status="in review",
            effective="",
            next_review="",
            links=("Activity_CoordinateMajorIncident", "Activity_ReviewMajorIncident"),
            frameworks=(
                smo.FrameworkReference(ISO20000, CLAUSE_8_6_1, "implements"),
                smo.FrameworkReference(ITIL, ITIL_PRACTICE, "implements"),
                smo.FrameworkReference(NIST_CSF, "RS.MA Incident Management", "supports"),
                smo.FrameworkReference(ISO27001, "A.5.26 Response to information security incidents", "related"),
            ),
            history=history(("draft", "2026-01-19"), ("in review", "2026-02-16")),
        ),
        smo.Policy(
            identifier="IM-POL-04",
            title="Incidents are closed only after the user confirms resolution",
            statement="The service desk closes an incident only when the user has confirmed that the service "
            "works, or after three contact attempts over five working days without an answer.",
            rationale="Closing without confirmation hides unresolved incidents and distorts the resolution figures.",
            scope="All incidents reported by users; incidents from monitoring are confirmed by the monitoring "
            "event clearing.",
            owner_role=roles["manager"],
            approver="Head of IT service management",
            status="approved",
            effective="2024-03-01",
            next_review="2027-03-01",
            links=("Activity_ConfirmResolution", "Activity_CloseIncident"),
            frameworks=(
                smo.FrameworkReference(ITIL, ITIL_PRACTICE, "implements"),
                smo.FrameworkReference(ISO20000, CLAUSE_8_6_1, "supports"),
            ),
            history=approved,
        ),
    ]


def incident_kpis(roles: dict[str, str]) -> list[smo.Kpi]:
    return [
        smo.Kpi(
            name="Mean time to resolve",
            description="Average time from logging to resolution of the incidents resolved in the period, "
            "excluding time on hold waiting for the user.",
            target="8",
            unit="hours",
            direction="lower",
            frequency="monthly",
            owner_role=roles["manager"],
            data_source="ITSM tool, incident records",
        ),
        smo.Kpi(
            name="First-contact resolution rate",
            description="Share of the incidents resolved by the service desk at first contact, without escalation.",
            target="70",
            unit="%",
            direction="higher",
            frequency="monthly",
            owner_role=roles["manager"],
            data_source="ITSM tool, incident records",
        ),
        smo.Kpi(
            name="Incidents resolved within SLA",
            description="Share of the incidents resolved within the resolution target of their priority.",
            target="95",
            unit="%",
            direction="higher",
            frequency="monthly",
            owner_role=roles["owner"],
            data_source="ITSM tool, service level reports",
        ),
    ]


SMO = "Service Management Office"
INCIDENT_METADATA = smo.Metadata(
    title="Incident management",
    version="1.2",
    status="approved",
    owner=SMO,
    created="2024-01-15",
    modified="2026-03-02",
    approver="Head of IT service management",
    scope="All incidents affecting the services in the IT service provider's service catalogue, whether users "
    "report them through any contact channel or monitoring detects them, from logging to closure and, for major "
    "incidents, the review that follows. Service requests, problems and changes are handled by their own "
    "practices and are out of scope.",
    revisions=(
        smo.Revision("0.1", "2024-01-15", SMO, "First draft for the practice design workshop."),
        smo.Revision("1.0", "2024-03-01", SMO, "Approved by the Head of IT service management."),
        smo.Revision(
            "1.1", "2025-03-03", SMO, "Annual review: closure only after the user confirms resolution (IM-POL-04)."
        ),
        smo.Revision(
            "1.2",
            "2026-03-02",
            SMO,
            "Annual review: major incident review added; policy IM-POL-03 on major incidents in review.",
        ),
    ),
)


def build_incident_management() -> Document:
    document, collaboration, participant, lanes = _build_process(
        metadata=INCIDENT_METADATA,
        process_name="Incident management",
        process_documentation="Restore normal service operation as quickly as possible after an unplanned interruption "
        "or reduction in quality, and minimise the impact on the business (ITIL 4 incident management practice).",
        participant=("Participant_ITServiceProvider", "IT service provider"),
        roles=INCIDENT_ROLES,
        lanes=tuple((spec.key, f"Lane_{spec.key.title()}", spec.role) for spec in INCIDENT_LANES),
        nodes=INCIDENT_NODES,
        flows=INCIDENT_FLOWS,
        raci=INCIDENT_RACI,
        policies=incident_policies,
        kpis=incident_kpis,
    )
    _draw_incident_management(document, collaboration, participant, lanes)
    return document


def _build_process(
    *,
    metadata: smo.Metadata,
    process_name: str,
    process_documentation: str,
    participant: tuple[str, str],
    roles: dict[str, tuple[str, str, str]],
    lanes: tuple[tuple[str, str, str], ...],
    nodes: Sequence[NodeSpec | Step],
    flows: Sequence[FlowSpec | Link],
    raci: dict[str, dict[str, str]],
    policies: Callable[[dict[str, str]], list[smo.Policy]],
    kpis: Callable[[dict[str, str]], list[smo.Kpi]],
) -> tuple[Document, Element, Element, dict[str, Element]]:
    """The semantics of a practice's process, as the app's commands would make them: one pool,
    one lane per role (bound to it), the steps, flows with their conditions, the RACI matrix,
    policies, KPIs and the document's metadata. `lanes` are (key, lane id, role key)."""
    document = bpmn.new_document(metadata.title)
    root = document.root
    process = bpmn.processes(document)[0]
    # name before isExecutable, the order other modelers write
    document.set_attribute(process, "isExecutable", None)
    document.set_attribute(process, "name", process_name)
    document.set_attribute(process, "isExecutable", "false")
    bpmn.set_documentation(document, process, process_documentation)

    collaboration = Element(bpmn_tag("collaboration"), {"id": "Collaboration_1"})
    document.insert(root, process.index_in_parent(), collaboration)
    participant_id, participant_name = participant
    pool = bpmn.create(
        document,
        collaboration,
        "participant",
        {"id": participant_id, "name": participant_name, "processRef": process.id or ""},
    )

    role_ids = {
        key: smo.add_role(document, name, description, kind).get("id", "")
        for key, (name, description, kind) in roles.items()
    }
    smo.set_metadata(document, metadata)

    lane_set = bpmn.create(document, process, "laneSet", {"id": "LaneSet_1"})
    lane_elements = {}
    for key, lane_id, role in lanes:
        lane = bpmn.create(document, lane_set, "lane", {"id": lane_id, "name": roles[role][0]})
        smo.set_lane_role(document, lane, role_ids[role])
        lane_elements[key] = lane

    node_elements = {}
    for spec in nodes:
        attributes = {"id": spec.id}
        if spec.name:
            attributes["name"] = spec.name
        node = bpmn.create(document, process, spec.local, attributes)
        if spec.documentation:
            bpmn.set_documentation(document, node, spec.documentation)
        bpmn.create(document, lane_elements[spec.lane], "flowNodeRef", text=spec.id)
        node_elements[spec.id] = node
    for flow_spec in flows:
        attributes = {"id": flow_spec.id}
        if flow_spec.name:
            attributes["name"] = flow_spec.name
        attributes.update(sourceRef=flow_spec.source, targetRef=flow_spec.target)
        flow = bpmn.create(document, process, "sequenceFlow", attributes)
        if flow_spec.condition:
            condition = bpmn.create(document, flow, "conditionExpression", text=flow_spec.condition)
            document.set_attribute(condition, f"{{{XSI}}}type", "bpmn:tFormalExpression")
        bpmn.create(document, node_elements[flow_spec.source], "outgoing", text=flow_spec.id)
        bpmn.create(document, node_elements[flow_spec.target], "incoming", text=flow_spec.id)

    for spec in nodes:  # in document order, so that performer ids follow the flow
        for role_key, letters in raci.get(spec.id, {}).items():
            smo.set_raci(document, node_elements[spec.id], role_ids[role_key], letters)
    for policy in policies(role_ids):
        smo.add_policy(document, policy)
    for kpi in kpis(role_ids):
        smo.add_kpi(document, process, kpi)
    return document, collaboration, pool, lane_elements


def _draw_incident_management(
    document: Document, collaboration: Element, participant: Element, lanes: dict[str, Element]
) -> None:
    plane = di.plane(di.diagrams(document)[0])
    assert plane is not None
    document.set_attribute(plane, "bpmnElement", collaboration.id)
    x, y, width, height = POOL
    _shape(document, plane, participant, di.Bounds(x, y, width, height), isHorizontal="true")
    for spec in INCIDENT_LANES:
        lane_bounds = di.Bounds(LANE_X, spec.y, x + width - LANE_X, spec.height)
        _shape(document, plane, lanes[spec.key], lane_bounds, isHorizontal="true")
    for spec in INCIDENT_NODES:
        node = document.element(spec.id)
        assert node is not None
        if spec.local.endswith("Task"):
            bounds = di.Bounds(spec.cx - TASK[0] / 2, spec.cy - TASK[1] / 2, *TASK)
            _shape(document, plane, node, bounds)
            continue
        size = GATEWAY if spec.local.endswith("Gateway") else EVENT
        bounds = di.Bounds(spec.cx - size / 2, spec.cy - size / 2, size, size)
        extra = {"isMarkerVisible": "true"} if spec.local == "exclusiveGateway" else {}
        shape = _shape(document, plane, node, bounds, **extra)
        if spec.name:
            label_width, label_height = _label_size(spec.name)
            label_x = spec.cx - label_width / 2 if spec.label != "above left" else bounds.x - 5 - label_width
            label_y = bounds.y + size + 5 if spec.label == "below" else bounds.y - 5 - label_height
            _label(document, shape, di.Bounds(label_x, label_y, label_width, label_height))
    for flow_spec in INCIDENT_FLOWS:
        edge = Element(bpmndi("BPMNEdge"), {"id": f"{flow_spec.id}_di", "bpmnElement": flow_spec.id})
        document.append(plane, edge)
        di.set_waypoints(document, edge, [di.Point(px, py) for px, py in flow_spec.points])
        if flow_spec.name and flow_spec.label_at:
            label_width, label_height = _label_size(flow_spec.name)
            _label(document, edge, di.Bounds(*flow_spec.label_at, label_width, label_height))


def _shape(document: Document, plane: Element, element: Element, bounds: di.Bounds, **attributes: str) -> Element:
    shape = Element(bpmndi("BPMNShape"), {"id": f"{element.id}_di", "bpmnElement": element.id or "", **attributes})
    document.append(plane, shape)
    di.set_bounds(document, shape, bounds)
    return shape


def _label(document: Document, diagram_element: Element, bounds: di.Bounds) -> None:
    label = diagram_element.find(bpmndi("BPMNLabel"))  # the layout may have placed one already
    if label is None:
        label = Element(bpmndi("BPMNLabel"))
        document.append(diagram_element, label)
    di.set_bounds(document, label, bounds)


def _label_size(text: str) -> tuple[int, int]:
    lines = textwrap.wrap(text, LABEL_CHARS_PER_LINE) or [""]
    width = max(LABEL_MIN_WIDTH, max(len(line) for line in lines) * LABEL_CHAR_WIDTH)
    # an even width keeps a centred label on whole coordinates
    return width + width % 2, len(lines) * LABEL_LINE_HEIGHT


# --- processes drawn by auto-layout ----------------------------------------------------------------
#
# The other practices are laid out by smo_designer/layout/autolayout.py (deterministic), as the
# app's "Tidy up" would; the names of events, gateways and flows are then placed where no shape or
# flow is in their way.

SERVICE_PROVIDER = ("Participant_ITServiceProvider", "IT service provider")
HEAD_OF_ITSM = "Head of IT service management"


def _history(*steps: tuple[str, str]) -> tuple[smo.StatusChange, ...]:
    return tuple(smo.StatusChange(status, date) for status, date in steps)


# approved for version 1.0 and confirmed at the annual review for version 1.1
APPROVED_2025 = _history(
    ("draft", "2025-01-13"),
    ("in review", "2025-02-03"),
    ("approved", "2025-03-03"),
    ("in review", "2026-02-02"),
    ("approved", "2026-03-02"),
)


def _revisions(*rows: tuple[str, str, str]) -> tuple[smo.Revision, ...]:
    return tuple(smo.Revision(version, date, SMO, text) for version, date, text in rows)


# --- problem management (ITIL 4 problem management practice) ---------------------------------------

PROBLEM_ROLES = {
    "analyst": (
        "Problem analyst",
        "Identifies problems from incident trends, major incident reviews and supplier notices, logs them, "
        "keeps the known error records and their workarounds, and verifies that a fix removed the problem.",
        "operational",
    ),
    "manager": (
        "Problem manager",
        "Manages the problem management practice day to day: prioritises problems, assigns the investigation, "
        "decides with the service owner whether a permanent fix is worth its cost and risk, and closes problems.",
        "management",
    ),
    "specialist": (
        "Technical specialist",
        "Expert of the support group that owns the affected technology. Investigates the root cause, proposes "
        "workarounds and permanent solutions, and raises the change that implements the fix.",
        "operational",
    ),
    "owner": (
        "Problem management process owner",
        "Accountable for the practice as a whole: its design, policies and KPIs, and for accepting known errors "
        "that are not fixed on the organisation's behalf.",
        "governance",
    ),
}

PROBLEM_NODES = (
    Step(
        "StartEvent_ProblemIdentified",
        "startEvent",
        "Problem identified",
        "analyst",
        "From trend analysis of incidents, a major incident review, monitoring, or a supplier's or developer's notice.",
    ),
    Step(
        "Activity_LogProblem",
        "userTask",
        "Log problem",
        "analyst",
        "Create the problem record: symptoms, affected services and configuration items, and the related "
        "incidents; link it to the incidents it explains.",
    ),
    Step(
        "Activity_PrioritiseProblem",
        "userTask",
        "Prioritise problem",
        "manager",
        "Set the priority from the business impact of the related incidents and the risk of recurrence, and "
        "assign the investigation to the support group that owns the affected technology.",
    ),
    Step("Gateway_ToInvestigation", "exclusiveGateway", "", "specialist"),
    Step(
        "Activity_InvestigateRootCause",
        "userTask",
        "Investigate root cause",
        "specialist",
        "Analyse the problem with the techniques that suit it (timeline, Kepner-Tregoe, 5 whys, fault tree): "
        "logs, monitoring data, recent changes and supplier information.",
    ),
    Step(
        "Activity_RecordKnownError",
        "userTask",
        "Record known error and workaround",
        "analyst",
        "Record the root cause and the workaround in the known error database, and publish the workaround to "
        "the service desk as a knowledge article.",
    ),
    Step(
        "Activity_AssessPermanentSolution",
        "userTask",
        "Assess permanent solution",
        "specialist",
        "Work out the options for removing the cause, with their cost, risk and effect on the service.",
    ),
    Step("Gateway_FixJustified", "exclusiveGateway", "Permanent fix justified?", "manager"),
    Step(
        "Activity_RaiseChangeRequest",
        "userTask",
        "Raise change request",
        "specialist",
        "Raise a request for change with the permanent solution; change enablement assesses, authorises and "
        "schedules it.",
    ),
    Step(
        "Activity_VerifyResolution",
        "userTask",
        "Verify problem resolved",
        "analyst",
        "After the change, watch for related incidents over the agreed period and confirm that the problem no "
        "longer occurs.",
    ),
    Step("Gateway_Resolved", "exclusiveGateway", "Problem resolved?", "analyst"),
    Step(
        "Activity_AcceptKnownError",
        "userTask",
        "Accept known error",
        "manager",
        "Record the decision to live with the known error and its workaround, with the reasons, and set the date "
        "to review the decision.",
    ),
    Step("Gateway_ToClosure", "exclusiveGateway", "", "manager"),
    Step(
        "Activity_CloseProblem",
        "userTask",
        "Close problem",
        "manager",
        "Check the record (root cause, fix or accepted known error, related incidents), close it and feed what "
        "was learnt into continual improvement.",
    ),
    Step("EndEvent_ProblemClosed", "endEvent", "Problem closed", "manager"),
)

PROBLEM_FLOWS = (
    Link("Flow_Log", "StartEvent_ProblemIdentified", "Activity_LogProblem"),
    Link("Flow_Prioritise", "Activity_LogProblem", "Activity_PrioritiseProblem"),
    Link("Flow_ToInvestigation", "Activity_PrioritiseProblem", "Gateway_ToInvestigation"),
    Link("Flow_Investigate", "Gateway_ToInvestigation", "Activity_InvestigateRootCause"),
    Link("Flow_RecordKnownError", "Activity_InvestigateRootCause", "Activity_RecordKnownError"),
    Link("Flow_Assess", "Activity_RecordKnownError", "Activity_AssessPermanentSolution"),
    Link("Flow_Decide", "Activity_AssessPermanentSolution", "Gateway_FixJustified"),
    Link(
        "Flow_FixYes",
        "Gateway_FixJustified",
        "Activity_RaiseChangeRequest",
        "Yes",
        "The benefit of removing the cause outweighs the cost and risk of the change",
    ),
    Link(
        "Flow_FixNo",
        "Gateway_FixJustified",
        "Activity_AcceptKnownError",
        "No",
        "The workaround is good enough, or the fix costs more than the problem",
    ),
    Link("Flow_Verify", "Activity_RaiseChangeRequest", "Activity_VerifyResolution"),
    Link("Flow_ResolvedCheck", "Activity_VerifyResolution", "Gateway_Resolved"),
    Link(
        "Flow_ResolvedYes",
        "Gateway_Resolved",
        "Gateway_ToClosure",
        "Yes",
        "No related incident over the agreed period",
    ),
    Link(
        "Flow_ResolvedNo",
        "Gateway_Resolved",
        "Gateway_ToInvestigation",
        "No",
        "The problem still occurs: investigate again",
    ),
    Link("Flow_Accepted", "Activity_AcceptKnownError", "Gateway_ToClosure"),
    Link("Flow_Close", "Gateway_ToClosure", "Activity_CloseProblem"),
    Link("Flow_Closed", "Activity_CloseProblem", "EndEvent_ProblemClosed"),
)

PROBLEM_RACI = {
    "Activity_LogProblem": {"analyst": "R", "manager": "A", "specialist": "I"},
    "Activity_PrioritiseProblem": {"manager": "RA", "analyst": "C", "specialist": "I", "owner": "I"},
    "Activity_InvestigateRootCause": {"specialist": "R", "manager": "A", "analyst": "C"},
    "Activity_RecordKnownError": {"analyst": "R", "manager": "A", "specialist": "C"},
    "Activity_AssessPermanentSolution": {"specialist": "R", "manager": "A", "analyst": "C"},
    "Activity_RaiseChangeRequest": {"specialist": "R", "manager": "A", "analyst": "I"},
    "Activity_VerifyResolution": {"analyst": "R", "manager": "A", "specialist": "C"},
    "Activity_AcceptKnownError": {"manager": "R", "owner": "A", "specialist": "C", "analyst": "I"},
    "Activity_CloseProblem": {"manager": "RA", "analyst": "C", "owner": "I"},
}

CLAUSE_8_6_3 = "8.6.3 Problem management"


def problem_policies(roles: dict[str, str]) -> list[smo.Policy]:
    return [
        smo.Policy(
            identifier="PM-POL-01",
            title="Problems are identified from incident trends and major incidents",
            statement="Incident records are analysed for trends every month, and every major incident review "
            "decides whether a problem is logged; each problem found is logged and linked to its incidents.",
            rationale="Problems found only after users complain again are found too late; trend analysis finds "
            "the causes of repeat incidents before they grow.",
            scope="All incidents and major incidents of the services in the service catalogue.",
            owner_role=roles["manager"],
            approver=HEAD_OF_ITSM,
            status="approved",
            effective="2025-03-03",
            next_review="2027-03-01",
            links=("Activity_LogProblem",),
            frameworks=(
                smo.FrameworkReference(ITIL, "Problem management practice", "implements"),
                smo.FrameworkReference(ISO20000, CLAUSE_8_6_3, "implements"),
                smo.FrameworkReference(COBIT, "DSS03 Managed Problems", "supports"),
            ),
            history=APPROVED_2025,
        ),
        smo.Policy(
            identifier="PM-POL-02",
            title="Known errors are recorded with their workaround",
            statement="When the root cause of a problem is found, or a workaround is known, the problem manager "
            "makes sure a known error record with the workaround is published to the service desk the same day.",
            rationale="A published workaround lets the service desk restore service at first contact while the "
            "permanent fix is on its way.",
            scope="All problems.",
            owner_role=roles["manager"],
            approver=HEAD_OF_ITSM,
            status="approved",
            effective="2025-03-03",
            next_review="2027-03-01",
            links=("Activity_RecordKnownError",),
            frameworks=(
                smo.FrameworkReference(ISO20000, CLAUSE_8_6_3, "implements"),
                smo.FrameworkReference(ITIL, "Knowledge management practice", "supports"),
                smo.FrameworkReference(COBIT, "BAI08 Managed Knowledge", "supports"),
            ),
            history=APPROVED_2025,
        ),
        smo.Policy(
            identifier="PM-POL-03",
            title="Permanent fixes are made through change enablement",
            statement="A permanent solution to a problem is implemented only through an authorised change; "
            "the decision not to fix a known error is recorded and reviewed every six months.",
            rationale="Fixes made outside change enablement cause incidents of their own; a known error left "
            "unfixed is a risk somebody must accept knowingly.",
            scope="All problems with a known root cause.",
            owner_role=roles["manager"],
            approver=HEAD_OF_ITSM,
            status="approved",
            effective="2025-03-03",
            next_review="2027-03-01",
            links=("Activity_RaiseChangeRequest", "Activity_AcceptKnownError"),
            frameworks=(
                smo.FrameworkReference(ISO20000, CLAUSE_8_6_3, "implements"),
                smo.FrameworkReference(ISO20000, "8.5.1 Change management", "related"),
                smo.FrameworkReference(ITIL, "Change enablement practice", "related"),
            ),
            history=APPROVED_2025,
        ),
    ]


def problem_kpis(roles: dict[str, str]) -> list[smo.Kpi]:
    return [
        smo.Kpi(
            name="Root cause found within target",
            description="Share of the problems closed in the period whose root cause was found within the target "
            "time of their priority.",
            target="80",
            unit="%",
            direction="higher",
            frequency="monthly",
            owner_role=roles["manager"],
            data_source="ITSM tool, problem records",
        ),
        smo.Kpi(
            name="Known errors with a workaround",
            description="Share of the open known errors that have a workaround published to the service desk.",
            target="90",
            unit="%",
            direction="higher",
            frequency="monthly",
            owner_role=roles["manager"],
            data_source="ITSM tool, known error database",
        ),
        smo.Kpi(
            name="Repeat incidents",
            description="Incidents in the period linked to a problem whose fix was verified before they occurred.",
            target="5",
            unit="incidents",
            direction="lower",
            frequency="quarterly",
            owner_role=roles["owner"],
            data_source="ITSM tool, incident and problem records",
        ),
    ]


PROBLEM_METADATA = smo.Metadata(
    title="Problem management",
    version="1.1",
    status="approved",
    owner=SMO,
    created="2025-01-13",
    modified="2026-03-02",
    approver=HEAD_OF_ITSM,
    scope="Problems behind the incidents of the services in the IT service provider's service catalogue, from "
    "identification through root cause analysis, known error and workaround to the permanent fix or the accepted "
    "known error. The changes that implement fixes are handled by change enablement.",
    revisions=_revisions(
        ("0.1", "2025-01-13", "First draft for the practice design workshop."),
        ("1.0", "2025-03-03", "Approved by the Head of IT service management."),
        ("1.1", "2026-03-02", "Annual review: verification of the fix before closure."),
    ),
)


def build_problem_management() -> Document:
    document, collaboration, _, _ = _build_process(
        metadata=PROBLEM_METADATA,
        process_name="Problem management",
        process_documentation="Reduce the likelihood and impact of incidents by identifying their actual and "
        "potential causes, and by managing workarounds and known errors (ITIL 4 problem management practice).",
        participant=SERVICE_PROVIDER,
        roles=PROBLEM_ROLES,
        lanes=(
            ("analyst", "Lane_ProblemAnalyst", "analyst"),
            ("manager", "Lane_ProblemManager", "manager"),
            ("specialist", "Lane_TechnicalSpecialist", "specialist"),
        ),
        nodes=PROBLEM_NODES,
        flows=PROBLEM_FLOWS,
        raci=PROBLEM_RACI,
        policies=problem_policies,
        kpis=problem_kpis,
    )
    _draw_by_layout(document, collaboration)
    return document


# --- change enablement (ITIL 4 change enablement practice) ------------------------------------------

CHANGE_ROLES = {
    "initiator": (
        "Change initiator",
        "Whoever needs the change: a service owner, a project, problem management or a technical team. Raises "
        "the request for change with its reason, scope, risk and back-out plan.",
        "operational",
    ),
    "manager": (
        "Change manager",
        "Runs change enablement day to day: reviews and classifies requests, assesses their risk, brings normal "
        "changes to the change authority, keeps the change schedule and closes changes after review.",
        "management",
    ),
    "authority": (
        "Change authority",
        "The person or board (change advisory board) that authorises normal changes, at the level the change's "
        "risk requires.",
        "governance",
    ),
    "implementer": (
        "Change implementer",
        "Member of the technical team that builds, tests and deploys the change, and backs it out if it fails.",
        "operational",
    ),
}

CHANGE_NODES = (
    Step(
        "StartEvent_ChangeRequested",
        "startEvent",
        "Change needed",
        "initiator",
        "A service improvement, a fix from problem management, a project deliverable or a vendor update.",
    ),
    Step(
        "Activity_SubmitRequest",
        "userTask",
        "Submit request for change",
        "initiator",
        "Describe the change, its reason, the services and configuration items it affects, the implementation "
        "and back-out plans and the preferred date.",
    ),
    Step(
        "Activity_ReviewClassify",
        "userTask",
        "Review and classify change",
        "manager",
        "Check that the request is complete, classify it as a standard or normal change, and assess its risk "
        "and impact on the services and the change schedule.",
    ),
    Step("Gateway_Standard", "exclusiveGateway", "Standard change?", "manager"),
    Step(
        "Activity_AuthoriseChange",
        "userTask",
        "Authorise change",
        "authority",
        "Review the change with its risk assessment, the plans and the schedule, and authorise or reject it at "
        "the level its risk requires.",
    ),
    Step("Gateway_Authorised", "exclusiveGateway", "Authorised?", "authority"),
    Step(
        "EndEvent_ChangeRejected",
        "endEvent",
        "Change rejected",
        "authority",
        "The ITSM tool tells the initiator that the change was rejected, with the change authority's reasons.",
    ),
    Step(
        "Activity_ScheduleChange",
        "userTask",
        "Schedule change",
        "manager",
        "Agree the implementation window with the implementer and the service owners, and publish it in the "
        "change schedule.",
    ),
    Step("Gateway_ToBuild", "exclusiveGateway", "", "implementer"),
    Step(
        "Activity_BuildTest",
        "userTask",
        "Build and test change",
        "implementer",
        "Build the change and test it, with its back-out plan, in a test environment that matches production.",
    ),
    Step(
        "Activity_Deploy",
        "userTask",
        "Implement change",
        "implementer",
        "Deploy the change in its window, following the implementation plan, and check that the services work.",
    ),
    Step("Gateway_Successful", "exclusiveGateway", "Implementation successful?", "implementer"),
    Step(
        "Activity_BackOut",
        "userTask",
        "Back out change",
        "implementer",
        "Carry out the back-out plan, restore the previous state and confirm that the services work as before.",
    ),
    Step("Gateway_ToReview", "exclusiveGateway", "", "manager"),
    Step(
        "Activity_ReviewClose",
        "userTask",
        "Review and close change",
        "manager",
        "Review the outcome with the implementer and the initiator (post-implementation review for normal "
        "changes), record what was learnt and close the change.",
    ),
    Step("EndEvent_ChangeClosed", "endEvent", "Change closed", "manager"),
)

CHANGE_FLOWS = (
    Link("Flow_Submit", "StartEvent_ChangeRequested", "Activity_SubmitRequest"),
    Link("Flow_Review", "Activity_SubmitRequest", "Activity_ReviewClassify"),
    Link("Flow_StandardCheck", "Activity_ReviewClassify", "Gateway_Standard"),
    Link(
        "Flow_StandardYes",
        "Gateway_Standard",
        "Gateway_ToBuild",
        "Yes",
        "A pre-authorised standard change from the catalogue of standard changes",
    ),
    Link("Flow_StandardNo", "Gateway_Standard", "Activity_AuthoriseChange", "No", "A normal change"),
    Link("Flow_AuthorisedCheck", "Activity_AuthoriseChange", "Gateway_Authorised"),
    Link(
        "Flow_AuthorisedYes",
        "Gateway_Authorised",
        "Activity_ScheduleChange",
        "Yes",
        "The change authority authorises the change",
    ),
    Link(
        "Flow_AuthorisedNo",
        "Gateway_Authorised",
        "EndEvent_ChangeRejected",
        "No",
        "The change authority rejects the change",
    ),
    Link("Flow_Scheduled", "Activity_ScheduleChange", "Gateway_ToBuild"),
    Link("Flow_Build", "Gateway_ToBuild", "Activity_BuildTest"),
    Link("Flow_Deploy", "Activity_BuildTest", "Activity_Deploy"),
    Link("Flow_SuccessCheck", "Activity_Deploy", "Gateway_Successful"),
    Link("Flow_SuccessYes", "Gateway_Successful", "Gateway_ToReview", "Yes", "The services work as planned"),
    Link("Flow_SuccessNo", "Gateway_Successful", "Activity_BackOut", "No", "The change failed or harms a service"),
    Link("Flow_BackedOut", "Activity_BackOut", "Gateway_ToReview"),
    Link("Flow_ToReview", "Gateway_ToReview", "Activity_ReviewClose"),
    Link("Flow_Closed", "Activity_ReviewClose", "EndEvent_ChangeClosed"),
)

CHANGE_RACI = {
    "Activity_SubmitRequest": {"initiator": "RA", "manager": "I"},
    "Activity_ReviewClassify": {"manager": "RA", "initiator": "C", "implementer": "C"},
    "Activity_AuthoriseChange": {"authority": "RA", "manager": "C", "initiator": "I"},
    "Activity_ScheduleChange": {"manager": "RA", "implementer": "C", "initiator": "I"},
    "Activity_BuildTest": {"implementer": "R", "manager": "A", "initiator": "C"},
    "Activity_Deploy": {"implementer": "R", "manager": "A", "initiator": "I", "authority": "I"},
    "Activity_BackOut": {"implementer": "R", "manager": "A", "authority": "I", "initiator": "I"},
    "Activity_ReviewClose": {"manager": "RA", "implementer": "C", "initiator": "C", "authority": "I"},
}

CLAUSE_8_5_1 = "8.5.1 Change management"


def change_policies(roles: dict[str, str]) -> list[smo.Policy]:
    return [
        smo.Policy(
            identifier="CE-POL-01",
            title="No change is deployed without authorisation",
            statement="Every normal change is authorised by the change authority for its risk level before it is "
            "deployed; standard changes are deployed only as listed in the catalogue of standard changes.",
            rationale="Most major incidents follow a change; authorisation makes sure somebody weighed the risk "
            "and the schedule before the change reaches production.",
            scope="All changes to services, configuration items and their documentation in production.",
            owner_role=roles["manager"],
            approver=HEAD_OF_ITSM,
            status="approved",
            effective="2025-03-03",
            next_review="2027-03-01",
            links=("Activity_AuthoriseChange", "Activity_Deploy"),
            frameworks=(
                smo.FrameworkReference(ITIL, "Change enablement practice", "implements"),
                smo.FrameworkReference(ISO20000, "8.5.1.3 Change management activities", "implements"),
                smo.FrameworkReference(COBIT, "BAI06 Managed IT Changes", "implements"),
                smo.FrameworkReference(ISO27001, "A.8.32 Change management", "supports"),
            ),
            history=APPROVED_2025,
        ),
        smo.Policy(
            identifier="CE-POL-02",
            title="Every change has a tested back-out plan",
            statement="A change is scheduled only with a back-out plan, and the back-out plan is tested with the "
            "change; a failed change is backed out rather than fixed in production.",
            rationale="A failed change that cannot be undone turns a planned outage into a major incident.",
            scope="All normal and standard changes.",
            owner_role=roles["manager"],
            approver=HEAD_OF_ITSM,
            status="approved",
            effective="2025-03-03",
            next_review="2027-03-01",
            links=("Activity_BuildTest", "Activity_BackOut"),
            frameworks=(
                smo.FrameworkReference(ISO20000, "8.5.1.3 Change management activities", "implements"),
                smo.FrameworkReference(ITIL, "Change enablement practice", "implements"),
                smo.FrameworkReference(ITIL, "Service validation and testing practice", "supports"),
            ),
            history=APPROVED_2025,
        ),
        smo.Policy(
            identifier="CE-POL-03",
            title="Standard changes are pre-authorised and listed",
            statement="A change type becomes a standard change when the change authority has approved its "
            "procedure and risk; the change manager keeps the catalogue of standard changes and reviews it yearly.",
            rationale="Low-risk, repeated changes should flow without a board meeting, but only those the "
            "change authority knowingly pre-authorised.",
            scope="All change types proposed as standard changes.",
            owner_role=roles["manager"],
            approver=HEAD_OF_ITSM,
            status="in review",
            links=("Activity_ReviewClassify", "Activity_AuthoriseChange"),
            frameworks=(
                smo.FrameworkReference(ISO20000, "8.5.1.1 Change management policy", "implements"),
                smo.FrameworkReference(ITIL, "Change enablement practice", "implements"),
            ),
            history=_history(("draft", "2026-01-19"), ("in review", "2026-02-16")),
        ),
    ]


def change_kpis(roles: dict[str, str]) -> list[smo.Kpi]:
    return [
        smo.Kpi(
            name="Successful changes",
            description="Share of the changes implemented in the period that met their objective without being "
            "backed out and without causing an incident.",
            target="95",
            unit="%",
            direction="higher",
            frequency="monthly",
            owner_role=roles["manager"],
            data_source="ITSM tool, change and incident records",
        ),
        smo.Kpi(
            name="Changes causing incidents",
            description="Share of the changes implemented in the period that caused at least one incident.",
            target="3",
            unit="%",
            direction="lower",
            frequency="monthly",
            owner_role=roles["manager"],
            data_source="ITSM tool, change and incident records",
        ),
        smo.Kpi(
            name="Lead time of normal changes",
            description="Average time from submission to implementation of the normal changes implemented in "
            "the period.",
            target="10",
            unit="working days",
            direction="lower",
            frequency="monthly",
            owner_role=roles["authority"],
            data_source="ITSM tool, change records",
        ),
    ]


CHANGE_METADATA = smo.Metadata(
    title="Change enablement",
    version="1.1",
    status="approved",
    owner=SMO,
    created="2025-01-13",
    modified="2026-03-02",
    approver=HEAD_OF_ITSM,
    scope="Changes to the services in the IT service provider's service catalogue and to the configuration items "
    "they depend on, from the request for change to the review and closure. Emergency changes follow the "
    "emergency change procedure, which this process does not show.",
    revisions=_revisions(
        ("0.1", "2025-01-13", "First draft for the practice design workshop."),
        ("1.0", "2025-03-03", "Approved by the Head of IT service management."),
        ("1.1", "2026-03-02", "Annual review: back-out of failed changes; policy CE-POL-03 on standard changes."),
    ),
)


def build_change_enablement() -> Document:
    document, collaboration, _, _ = _build_process(
        metadata=CHANGE_METADATA,
        process_name="Change enablement",
        process_documentation="Maximise the number of successful service and product changes by ensuring that "
        "risks are properly assessed, authorising changes to proceed and managing the change schedule (ITIL 4 "
        "change enablement practice).",
        participant=SERVICE_PROVIDER,
        roles=CHANGE_ROLES,
        lanes=(
            ("initiator", "Lane_ChangeInitiator", "initiator"),
            ("manager", "Lane_ChangeManager", "manager"),
            ("authority", "Lane_ChangeAuthority", "authority"),
            ("implementer", "Lane_ChangeImplementer", "implementer"),
        ),
        nodes=CHANGE_NODES,
        flows=CHANGE_FLOWS,
        raci=CHANGE_RACI,
        policies=change_policies,
        kpis=change_kpis,
    )
    _draw_by_layout(document, collaboration)
    return document


# --- service request management (ITIL 4 service request management practice) ----------------------

REQUEST_ROLES = {
    "agent": (
        "Service desk agent",
        "Receives service requests from every channel, checks that they are in the service catalogue and that "
        "the requester is entitled, routes them for approval and fulfilment and confirms the outcome with the "
        "requester.",
        "operational",
    ),
    "approver": (
        "Request approver",
        "The requester's line manager or the budget holder named in the service catalogue, who approves "
        "requests that cost money or grant access.",
        "management",
    ),
    "fulfiller": (
        "Fulfilment specialist",
        "Member of the team that fulfils the request model: provides the item or access, orders from suppliers "
        "where needed and keeps asset and configuration records current.",
        "operational",
    ),
    "manager": (
        "Service request manager",
        "Manages the practice day to day: the request models in the service catalogue, the fulfilment targets "
        "and the queue. Accountable for each request being fulfilled as its model says.",
        "management",
    ),
}

REQUEST_NODES = (
    Step(
        "StartEvent_RequestReceived",
        "startEvent",
        "Service request received",
        "agent",
        "Through the self-service portal, e-mail, chat or phone.",
    ),
    Step(
        "Activity_LogValidate",
        "userTask",
        "Log and validate request",
        "agent",
        "Log the request against its service catalogue item, check that the requester is entitled to it and "
        "that the details the request model needs are complete.",
    ),
    Step("Gateway_ApprovalNeeded", "exclusiveGateway", "Approval needed?", "agent"),
    Step(
        "Activity_ApproveRequest",
        "userTask",
        "Approve request",
        "approver",
        "Approve or reject the request, with the reason, within the approval time of its request model.",
    ),
    Step("Gateway_Approved", "exclusiveGateway", "Approved?", "approver"),
    Step(
        "EndEvent_RequestRejected",
        "endEvent",
        "Request rejected",
        "approver",
        "The ITSM tool tells the requester that the request was rejected, and why.",
    ),
    Step("Gateway_ToFulfilment", "exclusiveGateway", "", "fulfiller"),
    Step("Gateway_InStock", "exclusiveGateway", "Item in stock?", "fulfiller"),
    Step(
        "Activity_OrderFromSupplier",
        "userTask",
        "Order from supplier",
        "fulfiller",
        "Order the item under the supplier contract and track the delivery against the fulfilment target.",
    ),
    Step("Gateway_ReadyToFulfil", "exclusiveGateway", "", "fulfiller"),
    Step(
        "Activity_FulfilRequest",
        "userTask",
        "Fulfil request",
        "fulfiller",
        "Carry out the steps of the request model: provide, install or configure the item, or grant the access.",
    ),
    Step(
        "Activity_UpdateRecords",
        "userTask",
        "Update asset records",
        "fulfiller",
        "Record the item delivered, its owner and its location in the asset register and the configuration "
        "management system.",
    ),
    Step(
        "Activity_ConfirmFulfilment",
        "userTask",
        "Confirm fulfilment with requester",
        "agent",
        "Check with the requester that they received what they asked for and that it works.",
    ),
    Step("Gateway_Satisfied", "exclusiveGateway", "Requester satisfied?", "agent"),
    Step(
        "Activity_CloseRequest",
        "userTask",
        "Close request",
        "agent",
        "Complete the record, close the request and send the satisfaction survey.",
    ),
    Step("EndEvent_RequestFulfilled", "endEvent", "Request fulfilled", "agent"),
)

REQUEST_FLOWS = (
    Link("Flow_Log", "StartEvent_RequestReceived", "Activity_LogValidate"),
    Link("Flow_ApprovalCheck", "Activity_LogValidate", "Gateway_ApprovalNeeded"),
    Link(
        "Flow_ApprovalYes",
        "Gateway_ApprovalNeeded",
        "Activity_ApproveRequest",
        "Yes",
        "The request model asks for approval (cost or access)",
    ),
    Link(
        "Flow_ApprovalNo",
        "Gateway_ApprovalNeeded",
        "Gateway_ToFulfilment",
        "No",
        "A pre-approved request model",
    ),
    Link("Flow_ApprovedCheck", "Activity_ApproveRequest", "Gateway_Approved"),
    Link("Flow_ApprovedYes", "Gateway_Approved", "Gateway_ToFulfilment", "Yes", "The approver approves the request"),
    Link("Flow_ApprovedNo", "Gateway_Approved", "EndEvent_RequestRejected", "No", "The approver rejects the request"),
    Link("Flow_StockCheck", "Gateway_ToFulfilment", "Gateway_InStock"),
    Link("Flow_InStockYes", "Gateway_InStock", "Gateway_ReadyToFulfil", "Yes", "The item is in stock"),
    Link("Flow_InStockNo", "Gateway_InStock", "Activity_OrderFromSupplier", "No", "The item must be ordered"),
    Link("Flow_Delivered", "Activity_OrderFromSupplier", "Gateway_ReadyToFulfil"),
    Link("Flow_Fulfil", "Gateway_ReadyToFulfil", "Activity_FulfilRequest"),
    Link("Flow_Update", "Activity_FulfilRequest", "Activity_UpdateRecords"),
    Link("Flow_Confirm", "Activity_UpdateRecords", "Activity_ConfirmFulfilment"),
    Link("Flow_SatisfiedCheck", "Activity_ConfirmFulfilment", "Gateway_Satisfied"),
    Link("Flow_SatisfiedYes", "Gateway_Satisfied", "Activity_CloseRequest", "Yes", "The requester confirms"),
    Link(
        "Flow_SatisfiedNo",
        "Gateway_Satisfied",
        "Gateway_ReadyToFulfil",
        "No",
        "Something is missing or does not work: fulfil again",
    ),
    Link("Flow_Closed", "Activity_CloseRequest", "EndEvent_RequestFulfilled"),
)

REQUEST_RACI = {
    "Activity_LogValidate": {"agent": "R", "manager": "A"},
    "Activity_ApproveRequest": {"approver": "RA", "agent": "I", "manager": "I"},
    "Activity_OrderFromSupplier": {"fulfiller": "R", "manager": "A", "approver": "I"},
    "Activity_FulfilRequest": {"fulfiller": "R", "manager": "A", "agent": "I"},
    "Activity_UpdateRecords": {"fulfiller": "R", "manager": "A"},
    "Activity_ConfirmFulfilment": {"agent": "R", "manager": "A", "fulfiller": "I"},
    "Activity_CloseRequest": {"agent": "R", "manager": "A"},
}

CLAUSE_8_6_2 = "8.6.2 Service request management"


def request_policies(roles: dict[str, str]) -> list[smo.Policy]:
    return [
        smo.Policy(
            identifier="SR-POL-01",
            title="Only catalogue requests are fulfilled as service requests",
            statement="A service request is accepted only for an item of the service catalogue with a request "
            "model, from a requester entitled to it; anything else is handled as a change or a demand.",
            rationale="Request models make fulfilment quick and predictable; work without one needs the risk "
            "assessment of change enablement.",
            scope="All service requests, through every channel.",
            owner_role=roles["manager"],
            approver=HEAD_OF_ITSM,
            status="approved",
            effective="2025-03-03",
            next_review="2027-03-01",
            links=("Activity_LogValidate",),
            frameworks=(
                smo.FrameworkReference(ITIL, "Service request management practice", "implements"),
                smo.FrameworkReference(ISO20000, CLAUSE_8_6_2, "implements"),
                smo.FrameworkReference(ITIL, "Service catalogue management practice", "related"),
            ),
            history=APPROVED_2025,
        ),
        smo.Policy(
            identifier="SR-POL-02",
            title="Requests for cost or access are approved before fulfilment",
            statement="Requests that cost money or grant access to information are fulfilled only after the "
            "approver named in their request model has approved them.",
            rationale="Spending and access rights need the consent of whoever answers for the budget and for the "
            "information.",
            scope="Request models marked for approval in the service catalogue.",
            owner_role=roles["manager"],
            approver=HEAD_OF_ITSM,
            status="approved",
            effective="2025-03-03",
            next_review="2027-03-01",
            links=("Activity_ApproveRequest", "Activity_FulfilRequest"),
            frameworks=(
                smo.FrameworkReference(ISO20000, CLAUSE_8_6_2, "implements"),
                smo.FrameworkReference(ISO27001, "A.5.15 Access control", "supports"),
                smo.FrameworkReference(COBIT, "DSS02 Managed Service Requests and Incidents", "supports"),
            ),
            history=APPROVED_2025,
        ),
        smo.Policy(
            identifier="SR-POL-03",
            title="Records are updated when an item is delivered",
            statement="Whoever delivers a hardware or software item records it in the asset register and the "
            "configuration management system before the request is confirmed with the requester.",
            rationale="Items delivered without a record cannot be supported, licensed or recovered.",
            scope="Request models that deliver hardware or software.",
            owner_role=roles["manager"],
            approver=HEAD_OF_ITSM,
            status="approved",
            effective="2025-03-03",
            next_review="2027-03-01",
            links=("Activity_UpdateRecords",),
            frameworks=(
                smo.FrameworkReference(ISO20000, "8.2.5 Asset management", "implements"),
                smo.FrameworkReference(ITIL, "IT asset management practice", "supports"),
                smo.FrameworkReference(
                    ISO27001, "A.5.9 Inventory of information and other associated assets", "supports"
                ),
            ),
            history=APPROVED_2025,
        ),
    ]


def request_kpis(roles: dict[str, str]) -> list[smo.Kpi]:
    return [
        smo.Kpi(
            name="Requests fulfilled within target",
            description="Share of the requests fulfilled in the period within the fulfilment time of their "
            "request model, approval time excluded.",
            target="90",
            unit="%",
            direction="higher",
            frequency="monthly",
            owner_role=roles["manager"],
            data_source="ITSM tool, request records",
        ),
        smo.Kpi(
            name="Mean time to fulfil",
            description="Average time from logging to closure of the requests closed in the period.",
            target="3",
            unit="working days",
            direction="lower",
            frequency="monthly",
            owner_role=roles["manager"],
            data_source="ITSM tool, request records",
        ),
        smo.Kpi(
            name="Requester satisfaction",
            description="Average score of the satisfaction surveys answered in the period, on a scale of 1 to 5.",
            target="4.3",
            unit="points",
            direction="higher",
            frequency="quarterly",
            owner_role=roles["manager"],
            data_source="Satisfaction survey",
        ),
    ]


REQUEST_METADATA = smo.Metadata(
    title="Service request management",
    version="1.1",
    status="approved",
    owner=SMO,
    created="2025-01-13",
    modified="2026-03-02",
    approver=HEAD_OF_ITSM,
    scope="Service requests for the items of the IT service provider's service catalogue that have a request "
    "model, from receipt through approval and fulfilment to closure. Incidents and changes are handled by their "
    "own practices.",
    revisions=_revisions(
        ("0.1", "2025-01-13", "First draft for the practice design workshop."),
        ("1.0", "2025-03-03", "Approved by the Head of IT service management."),
        ("1.1", "2026-03-02", "Annual review: asset and configuration records updated on delivery (SR-POL-03)."),
    ),
)


def build_service_request_management() -> Document:
    document, collaboration, _, _ = _build_process(
        metadata=REQUEST_METADATA,
        process_name="Service request management",
        process_documentation="Support the agreed quality of a service by handling all pre-defined, user-initiated "
        "service requests in an effective and user-friendly manner (ITIL 4 service request management practice).",
        participant=SERVICE_PROVIDER,
        roles=REQUEST_ROLES,
        lanes=(
            ("agent", "Lane_ServiceDeskAgent", "agent"),
            ("approver", "Lane_RequestApprover", "approver"),
            ("fulfiller", "Lane_FulfilmentSpecialist", "fulfiller"),
        ),
        nodes=REQUEST_NODES,
        flows=REQUEST_FLOWS,
        raci=REQUEST_RACI,
        policies=request_policies,
        kpis=request_kpis,
    )
    _draw_by_layout(document, collaboration)
    return document


# --- service configuration management (ITIL 4 service configuration management practice) ----------

CONFIGURATION_ROLES = {
    "librarian": (
        "Configuration librarian",
        "Keeps the configuration management system: registers configuration items, updates their records when "
        "an authorised change or a discovery run reports them, and corrects records found wrong.",
        "operational",
    ),
    "owner": (
        "Configuration item owner",
        "The technical or service owner of a group of configuration items, who answers for their records being "
        "true and verifies them against the live configuration.",
        "operational",
    ),
    "manager": (
        "Configuration manager",
        "Manages the practice day to day: the configuration model, the ownership of configuration items, the "
        "verification and audit plan, and the follow-up of discrepancies.",
        "management",
    ),
}

CONFIGURATION_NODES = (
    Step(
        "StartEvent_ConfigurationChanged",
        "startEvent",
        "Configuration change reported",
        "librarian",
        "A closed change, a discovery run, a delivery or a retirement reports that a configuration changed.",
    ),
    Step(
        "Activity_IdentifyItems",
        "userTask",
        "Identify affected configuration items",
        "librarian",
        "Find the configuration items the report concerns and their relationships in the configuration "
        "management system.",
    ),
    Step("Gateway_Recorded", "exclusiveGateway", "Item already recorded?", "librarian"),
    Step(
        "Activity_RegisterItem",
        "userTask",
        "Register configuration item",
        "librarian",
        "Create the record with the attributes of its class in the configuration model, and link it to the "
        "services and items it relates to.",
    ),
    Step(
        "Activity_AssignOwner",
        "userTask",
        "Assign configuration item owner",
        "manager",
        "Name the owner who answers for the item's record, as the configuration model assigns ownership.",
    ),
    Step(
        "Activity_UpdateRecord",
        "userTask",
        "Update configuration record",
        "librarian",
        "Update the attributes, status and relationships of the existing record, referring to the change that "
        "caused them.",
    ),
    Step("Gateway_ToVerification", "exclusiveGateway", "", "owner"),
    Step(
        "Activity_VerifyRecord",
        "userTask",
        "Verify record against live configuration",
        "owner",
        "Compare the record with the configuration found in the live environment or the discovery data.",
    ),
    Step("Gateway_Matches", "exclusiveGateway", "Record matches?", "owner"),
    Step(
        "Activity_InvestigateDiscrepancy",
        "userTask",
        "Investigate discrepancy",
        "manager",
        "Find out why the record and the live configuration differ: an error in the record, or a change that "
        "was never authorised.",
    ),
    Step("Gateway_Unauthorised", "exclusiveGateway", "Unauthorised change?", "manager"),
    Step(
        "Activity_ReportUnauthorised",
        "userTask",
        "Report unauthorised change",
        "manager",
        "Raise an incident for the unauthorised change and inform change enablement, which decides whether it "
        "is kept or reversed.",
    ),
    Step(
        "Activity_CorrectRecord",
        "userTask",
        "Correct configuration record",
        "librarian",
        "Correct the record so that it shows the live configuration, and note the cause of the error.",
    ),
    Step("Gateway_ToStatus", "exclusiveGateway", "", "manager"),
    Step(
        "Activity_ReportStatus",
        "userTask",
        "Report configuration status",
        "manager",
        "Include the outcome in the monthly configuration status report: records verified, discrepancies and "
        "their causes.",
    ),
    Step("EndEvent_RecordVerified", "endEvent", "Configuration record current", "manager"),
)

CONFIGURATION_FLOWS = (
    Link("Flow_Identify", "StartEvent_ConfigurationChanged", "Activity_IdentifyItems"),
    Link("Flow_RecordedCheck", "Activity_IdentifyItems", "Gateway_Recorded"),
    Link("Flow_RecordedYes", "Gateway_Recorded", "Activity_UpdateRecord", "Yes", "The item has a record"),
    Link("Flow_RecordedNo", "Gateway_Recorded", "Activity_RegisterItem", "No", "The item is not yet recorded"),
    Link("Flow_Owner", "Activity_RegisterItem", "Activity_AssignOwner"),
    Link("Flow_Registered", "Activity_AssignOwner", "Gateway_ToVerification"),
    Link("Flow_Updated", "Activity_UpdateRecord", "Gateway_ToVerification"),
    Link("Flow_Verify", "Gateway_ToVerification", "Activity_VerifyRecord"),
    Link("Flow_MatchCheck", "Activity_VerifyRecord", "Gateway_Matches"),
    Link("Flow_MatchYes", "Gateway_Matches", "Gateway_ToStatus", "Yes", "The record shows the live configuration"),
    Link(
        "Flow_MatchNo",
        "Gateway_Matches",
        "Activity_InvestigateDiscrepancy",
        "No",
        "The record and the live configuration differ",
    ),
    Link("Flow_CauseCheck", "Activity_InvestigateDiscrepancy", "Gateway_Unauthorised"),
    Link(
        "Flow_UnauthorisedYes",
        "Gateway_Unauthorised",
        "Activity_ReportUnauthorised",
        "Yes",
        "Nobody authorised the change found",
    ),
    Link("Flow_UnauthorisedNo", "Gateway_Unauthorised", "Activity_CorrectRecord", "No", "The record is wrong"),
    Link("Flow_Reported", "Activity_ReportUnauthorised", "Gateway_ToStatus"),
    Link("Flow_Corrected", "Activity_CorrectRecord", "Gateway_ToStatus"),
    Link("Flow_Status", "Gateway_ToStatus", "Activity_ReportStatus"),
    Link("Flow_Done", "Activity_ReportStatus", "EndEvent_RecordVerified"),
)

CONFIGURATION_RACI = {
    "Activity_IdentifyItems": {"librarian": "R", "manager": "A"},
    "Activity_RegisterItem": {"librarian": "R", "manager": "A", "owner": "C"},
    "Activity_AssignOwner": {"manager": "RA", "owner": "C", "librarian": "I"},
    "Activity_UpdateRecord": {"librarian": "R", "manager": "A", "owner": "I"},
    "Activity_VerifyRecord": {"owner": "R", "manager": "A", "librarian": "I"},
    "Activity_InvestigateDiscrepancy": {"manager": "RA", "owner": "C", "librarian": "C"},
    "Activity_ReportUnauthorised": {"manager": "RA", "owner": "I"},
    "Activity_CorrectRecord": {"librarian": "R", "manager": "A", "owner": "C"},
    "Activity_ReportStatus": {"manager": "RA", "owner": "I", "librarian": "I"},
}

CLAUSE_8_2_6 = "8.2.6 Configuration management"


def configuration_policies(roles: dict[str, str]) -> list[smo.Policy]:
    return [
        smo.Policy(
            identifier="SCM-POL-01",
            title="Every configuration item has an owner",
            statement="Every configuration item in the configuration management system has a named owner, "
            "assigned when the item is registered and changed only by the configuration manager.",
            rationale="A record nobody answers for is not kept true; the owner verifies it and is asked when it "
            "is wrong.",
            scope="All configuration items of the classes in the configuration model.",
            owner_role=roles["manager"],
            approver=HEAD_OF_ITSM,
            status="approved",
            effective="2025-03-03",
            next_review="2027-03-01",
            links=("Activity_AssignOwner",),
            frameworks=(
                smo.FrameworkReference(ITIL, "Service configuration management practice", "implements"),
                smo.FrameworkReference(ISO20000, CLAUSE_8_2_6, "implements"),
                smo.FrameworkReference(COBIT, "BAI10 Managed Configuration", "supports"),
                smo.FrameworkReference(
                    ISO27001, "A.5.9 Inventory of information and other associated assets", "related"
                ),
            ),
            history=APPROVED_2025,
        ),
        smo.Policy(
            identifier="SCM-POL-02",
            title="Configuration records change only with a reason on record",
            statement="A configuration record is created or changed only for an authorised change, a delivery, "
            "a retirement or a verified discrepancy, and the record refers to it.",
            rationale="Records changed without a reason cannot be trusted, and an unexplained difference is how "
            "unauthorised changes are found.",
            scope="All configuration records.",
            owner_role=roles["manager"],
            approver=HEAD_OF_ITSM,
            status="approved",
            effective="2025-03-03",
            next_review="2027-03-01",
            links=("Activity_RegisterItem", "Activity_UpdateRecord", "Activity_CorrectRecord"),
            frameworks=(
                smo.FrameworkReference(ISO20000, CLAUSE_8_2_6, "implements"),
                smo.FrameworkReference(ISO27001, "A.8.9 Configuration management", "supports"),
                smo.FrameworkReference(ITIL, "Change enablement practice", "related"),
            ),
            history=APPROVED_2025,
        ),
        smo.Policy(
            identifier="SCM-POL-03",
            title="Configuration records are verified against the live configuration",
            statement="Every record changed is verified by its item's owner, and every configuration item is "
            "verified at least once a year; discrepancies are investigated and reported.",
            rationale="Incident, problem and change decisions rest on the records; verification keeps them worth "
            "resting on.",
            scope="All configuration items.",
            owner_role=roles["manager"],
            approver=HEAD_OF_ITSM,
            status="approved",
            effective="2025-03-03",
            next_review="2027-03-01",
            links=("Activity_VerifyRecord", "Activity_InvestigateDiscrepancy"),
            frameworks=(
                smo.FrameworkReference(ISO20000, CLAUSE_8_2_6, "implements"),
                smo.FrameworkReference(COBIT, "BAI10 Managed Configuration", "implements"),
            ),
            history=APPROVED_2025,
        ),
    ]


def configuration_kpis(roles: dict[str, str]) -> list[smo.Kpi]:
    return [
        smo.Kpi(
            name="Configuration record accuracy",
            description="Share of the records verified in the period that matched the live configuration.",
            target="98",
            unit="%",
            direction="higher",
            frequency="monthly",
            owner_role=roles["manager"],
            data_source="Configuration management system, verification results",
        ),
        smo.Kpi(
            name="Configuration items without an owner",
            description="Share of the configuration items in the configuration management system with no owner.",
            target="0",
            unit="%",
            direction="lower",
            frequency="monthly",
            owner_role=roles["manager"],
            data_source="Configuration management system",
        ),
        smo.Kpi(
            name="Unauthorised changes found",
            description="Discrepancies found in the period that turned out to be changes nobody authorised.",
            target="2",
            unit="changes",
            direction="lower",
            frequency="quarterly",
            owner_role=roles["manager"],
            data_source="Configuration management system and ITSM tool, incident records",
        ),
    ]


CONFIGURATION_METADATA = smo.Metadata(
    title="Service configuration management",
    version="1.1",
    status="approved",
    owner=SMO,
    created="2025-01-13",
    modified="2026-03-02",
    approver=HEAD_OF_ITSM,
    scope="The records of the configuration items that the services in the IT service provider's service "
    "catalogue depend on: registration, update, verification and status reporting. Deciding on changes belongs "
    "to change enablement; the financial and contractual records of assets to IT asset management.",
    revisions=_revisions(
        ("0.1", "2025-01-13", "First draft for the practice design workshop."),
        ("1.0", "2025-03-03", "Approved by the Head of IT service management."),
        ("1.1", "2026-03-02", "Annual review: unauthorised changes found in verification are reported."),
    ),
)


def build_service_configuration_management() -> Document:
    document, collaboration, _, _ = _build_process(
        metadata=CONFIGURATION_METADATA,
        process_name="Service configuration management",
        process_documentation="Ensure that accurate and reliable information about the configuration of services, "
        "and the configuration items that support them, is available when and where it is needed (ITIL 4 service "
        "configuration management practice).",
        participant=SERVICE_PROVIDER,
        roles=CONFIGURATION_ROLES,
        lanes=(
            ("librarian", "Lane_ConfigurationLibrarian", "librarian"),
            ("manager", "Lane_ConfigurationManager", "manager"),
            ("owner", "Lane_ConfigurationItemOwner", "owner"),
        ),
        nodes=CONFIGURATION_NODES,
        flows=CONFIGURATION_FLOWS,
        raci=CONFIGURATION_RACI,
        policies=configuration_policies,
        kpis=configuration_kpis,
    )
    _draw_by_layout(document, collaboration)
    return document


# --- drawing by auto-layout --------------------------------------------------------------------------


def _draw_by_layout(document: Document, collaboration: Element) -> None:
    plane = di.plane(di.diagrams(document)[0])
    assert plane is not None
    document.set_attribute(plane, "bpmnElement", collaboration.id)
    layout_diagram(document, plane)
    for drawing in list(plane.children):
        # "Activity_X_di", as the incident sample and bpmn-js name them, rather than new_id's "…_di_1"
        ident, wanted = drawing.get("id"), f"{drawing.get('bpmnElement')}_di"
        if ident != wanted and document.element(wanted) is None:
            document.set_attribute(drawing, "id", wanted)
        element = document.element(drawing.get("bpmnElement"))
        if element is not None and element.local == "exclusiveGateway":
            document.set_attribute(drawing, "isMarkerVisible", "true")
    _place_labels(document, plane)


LABEL_GAP = 5  # between a shape or a flow and its name
LABEL_CLEARANCE = 3  # the least room between a name and anything else drawn


def _place_labels(document: Document, plane: Element) -> None:
    """Give each named event, gateway and flow a label box (bpmn-js reads names where the file
    says) where it crosses no shape, no flow and no other name and stays inside the node's lane
    or the flow's pool: the first free of a few places, in the order people put them."""
    nodes: list[tuple[Element, Element, di.Bounds]] = []
    edges: list[tuple[Element, Element, list[di.Point]]] = []
    containers: dict[str, di.Bounds] = {}
    for drawing in plane.children:
        element = document.element(drawing.get("bpmnElement"))
        if element is None:
            continue
        if di.is_shape(drawing) and (box := di.bounds(drawing)) is not None:
            if element.local in ("participant", "lane"):
                containers[element.id or ""] = box
            else:
                nodes.append((element, drawing, box))
        elif di.is_edge(drawing):
            edges.append((element, drawing, di.waypoints(drawing)))
    obstacles = [box for _, _, box in nodes]
    segments = [(a, b) for _, _, points in edges for a, b in zip(points, points[1:], strict=False)]
    placed: list[di.Bounds] = []

    def free(box: di.Bounds, within: di.Bounds) -> bool:
        grown = di.Bounds(
            box.x - LABEL_CLEARANCE,
            box.y - LABEL_CLEARANCE,
            box.width + 2 * LABEL_CLEARANCE,
            box.height + 2 * LABEL_CLEARANCE,
        )
        return (
            _contains(within, box)
            and not any(_overlaps(grown, other) for other in obstacles + placed)
            and not any(_crosses(grown, a, b) for a, b in segments)
        )

    def fits(box: di.Bounds, within: di.Bounds) -> bool:
        """The second choice: inside, on no shape and no other name, though a flow may cross it."""
        return _contains(within, box) and not any(_overlaps(box, other) for other in obstacles + placed)

    def place(drawing: Element, candidates: list[di.Bounds], within: di.Bounds) -> None:
        # each place also moved sideways just enough to stay inside, for nodes near the lane's end
        clamped = []
        for box in candidates:
            clamped.append(box)
            x = max(within.x, min(box.x, within.x + within.width - box.width))
            if x != box.x:
                clamped.append(di.Bounds(x, box.y, box.width, box.height))
        box = next((c for c in clamped if free(c, within)), None) or next(
            (c for c in clamped if fits(c, within)), clamped[0]
        )
        _label(document, drawing, box)
        placed.append(box)

    for element, drawing, box in nodes:
        if not bpmn.name(element) or element.local not in bpmn.EVENT_TYPES | bpmn.GATEWAY_TYPES:
            continue
        width, height = _label_size(bpmn.name(element))
        lanes = bpmn.lanes_of(document, element)
        within = containers[lanes[-1].id or ""] if lanes else containers[SERVICE_PROVIDER[0]]
        cx = box.x + box.width / 2
        below = box.y + box.height + LABEL_GAP
        above = box.y - LABEL_GAP - height
        left, right = box.x - LABEL_GAP - width, box.x + box.width + LABEL_GAP
        centred, beside = cx - width / 2, [(left, above), (right, above), (left, below), (right, below)]
        rows = [(centred, above), (centred, below)] if element.local in bpmn.GATEWAY_TYPES else [(centred, below)]
        if element.local in bpmn.EVENT_TYPES:
            rows.append((centred, above))
        place(drawing, [di.Bounds(x, y, width, height) for x, y in rows + beside], within)

    pool = containers[SERVICE_PROVIDER[0]]
    for element, drawing, points in edges:
        if not bpmn.name(element) or len(points) < 2:
            continue
        width, height = _label_size(bpmn.name(element))
        candidates = []
        # along each segment from the start, the first one preferred: above or below a run
        # sideways, right or left of a run up or down
        for a, b in zip(points, points[1:], strict=False):
            length = abs(b.x - a.x) + abs(b.y - a.y)
            sign_x, sign_y = (b.x > a.x) - (b.x < a.x), (b.y > a.y) - (b.y < a.y)
            for step in range(8, max(9, int(length) - 8), 4):
                if a.y == b.y:
                    x = a.x + step if sign_x > 0 else a.x - step - width
                    candidates.append(di.Bounds(x, a.y - LABEL_GAP - height, width, height))
                    candidates.append(di.Bounds(x, a.y + LABEL_GAP, width, height))
                else:
                    y = a.y + step if sign_y > 0 else a.y - step - height
                    candidates.append(di.Bounds(a.x + LABEL_GAP, y, width, height))
                    candidates.append(di.Bounds(a.x - LABEL_GAP - width, y, width, height))
        place(drawing, candidates, pool)


def _contains(outer: di.Bounds, inner: di.Bounds) -> bool:
    return (
        outer.x <= inner.x
        and outer.y <= inner.y
        and inner.x + inner.width <= outer.x + outer.width
        and inner.y + inner.height <= outer.y + outer.height
    )


def _overlaps(a: di.Bounds, b: di.Bounds) -> bool:
    return a.x < b.x + b.width and b.x < a.x + a.width and a.y < b.y + b.height and b.y < a.y + a.height


def _crosses(box: di.Bounds, a: di.Point, b: di.Point) -> bool:
    """Whether an orthogonal segment runs through the box."""
    left, right = min(a.x, b.x), max(a.x, b.x)
    top, bottom = min(a.y, b.y), max(a.y, b.y)
    return left <= box.x + box.width and box.x <= right and top <= box.y + box.height and box.y <= bottom


SAMPLE_BUILDERS = {
    "incident-management.bpmn": build_incident_management,
    "problem-management.bpmn": build_problem_management,
    "change-enablement.bpmn": build_change_enablement,
    "service-request-management.bpmn": build_service_request_management,
    "service-configuration-management.bpmn": build_service_configuration_management,
}


def build_all(target: Path = SAMPLES) -> list[Path]:
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for file_name, builder in SAMPLE_BUILDERS.items():
        path = target / file_name
        write_bpmn(builder(), path)
        written.append(path)
    return written


def main(argv: list[str]) -> int:
    """Write the samples into samples/, or into the folder given."""
    for path in build_all(Path(argv[0]) if argv else SAMPLES):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
