"""A small incident process with lanes bound to roles, for RACI tests (test helpers)."""

from __future__ import annotations

from smo_designer.model import bpmn, smo
from smo_designer.model.document import Document


def incident_document() -> tuple[Document, dict[str, str], dict[str, str]]:
    """Three lanes (service desk, incident manager, specialist), five activities in flow order
    across them, a start and an end; returns the document, activity ids by name and role ids
    by name. No RACI letters are set."""
    document = bpmn.new_document("Incident management")
    process = bpmn.processes(document)[0]
    roles = {
        name: smo.add_role(document, name, f"The {name.lower()}").get("id", "")
        for name in ("Service desk", "Incident manager", "Specialist", "Process owner")
    }
    lane_set = bpmn.create(document, process, "laneSet", id_prefix="LaneSet")
    lanes = {}
    for name in ("Service desk", "Incident manager", "Specialist"):
        lane = bpmn.create(document, lane_set, "lane", {"name": name}, id_prefix="Lane")
        smo.set_lane_role(document, lane, roles[name])
        lanes[name] = lane
    plan = [
        ("Log incident", "Service desk"),
        ("Categorise", "Service desk"),
        ("Assign", "Incident manager"),
        ("Diagnose", "Specialist"),
        ("Resolve", "Specialist"),
    ]
    start = bpmn.create(document, process, "startEvent", {"name": "Incident reported"}, id_prefix="Event")
    end = bpmn.create(document, process, "endEvent", {"name": "Incident closed"}, id_prefix="Event")
    activities = {}
    previous = start
    bpmn.create(document, lanes["Service desk"], "flowNodeRef", text=start.id)
    for name, lane in plan:
        task = bpmn.create(document, process, "userTask", {"name": name}, id_prefix="Activity")
        bpmn.create(document, lanes[lane], "flowNodeRef", text=task.id)
        activities[name] = task.id
        _connect(document, process, previous, task)
        previous = task
    bpmn.create(document, lanes["Specialist"], "flowNodeRef", text=end.id)
    _connect(document, process, previous, end)
    return document, activities, roles


def _connect(document, process, source, target) -> None:
    flow = bpmn.create(
        document, process, "sequenceFlow", {"sourceRef": source.id, "targetRef": target.id}, id_prefix="Flow"
    )
    bpmn.create(document, source, "outgoing", text=flow.id)
    bpmn.create(document, target, "incoming", text=flow.id)


def fill_valid_raci(document: Document, activities: dict[str, str], roles: dict[str, str]) -> None:
    """R for the lane's role, A for the process owner, I for the incident manager elsewhere."""
    lane_of = {
        "Log incident": "Service desk",
        "Categorise": "Service desk",
        "Assign": "Incident manager",
        "Diagnose": "Specialist",
        "Resolve": "Specialist",
    }
    for name, ident in activities.items():
        activity = document.element(ident)
        smo.set_raci(document, activity, roles[lane_of[name]], "R")
        smo.set_raci(document, activity, roles["Process owner"], "A")
        if lane_of[name] != "Incident manager":
            smo.set_raci(document, activity, roles["Incident manager"], "I")
