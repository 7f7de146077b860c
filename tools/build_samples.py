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
    label = Element(bpmndi("BPMNLabel"))
    document.append(diagram_element, label)
    di.set_bounds(document, label, bounds)


def _label_size(text: str) -> tuple[int, int]:
    lines = textwrap.wrap(text, LABEL_CHARS_PER_LINE) or [""]
    width = max(LABEL_MIN_WIDTH, max(len(line) for line in lines) * LABEL_CHAR_WIDTH)
    # an even width keeps a centred label on whole coordinates
    return width + width % 2, len(lines) * LABEL_LINE_HEIGHT


SAMPLE_BUILDERS = {"incident-management.bpmn": build_incident_management}


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
