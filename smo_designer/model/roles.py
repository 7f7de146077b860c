"""The role catalog: the ready ITIL set to pick from, renaming a role with the lanes bound to it,
a lane for a role, and removing a role with everything that names it (model layer)."""

from __future__ import annotations

from dataclasses import dataclass

from . import bpmn as b
from . import di, smo
from .document import Document
from .element import Element
from .namespaces import bpmn, bpmndi
from .namespaces import smo as smo_tag

LANE_HEIGHT = 150
POOL_HEADER = 30


@dataclass(frozen=True)
class CatalogRole:
    name: str
    description: str
    kind: str


# Roles ITIL 4 practice guides and SMO workshops name most often.
ITIL_ROLES: tuple[CatalogRole, ...] = (
    CatalogRole("Process owner", "Accountable for the practice: its design, policies, KPIs and improvement.", "role"),
    CatalogRole("Process manager", "Runs the practice day to day and makes sure it is followed.", "role"),
    CatalogRole("Practitioner", "Carries out the practice's activities.", "role"),
    CatalogRole("Service desk agent", "First point of contact for users: logs, classifies and resolves.", "role"),
    CatalogRole("Incident manager", "Owns the handling of incidents, their priority and escalation.", "role"),
    CatalogRole("Problem manager", "Owns problem investigation, known errors and workarounds.", "role"),
    CatalogRole("Change manager", "Owns the change schedule and the assessment of changes.", "role"),
    CatalogRole("Change authority (CAB)", "Authorises changes of its delegated type.", "group"),
    CatalogRole("Service owner", "Accountable for a service across its lifecycle.", "role"),
    CatalogRole("Service level manager", "Agrees and reviews service levels with customers.", "role"),
    CatalogRole("Configuration manager", "Owns the configuration model and its accuracy.", "role"),
    CatalogRole("Support group specialist", "Technical specialist in a second- or third-line support group.", "group"),
    CatalogRole("Supplier manager", "Manages suppliers and their contracts.", "role"),
    CatalogRole("User", "Uses the service and reports incidents and requests.", "stakeholder"),
    CatalogRole(
        "Customer", "Defines the requirements for a service and takes responsibility for its outcomes.", "stakeholder"
    ),
)


def rename_role(document: Document, role_id: str, name: str) -> None:
    """Rename a role; lanes bound to it take the new name too."""
    with document.edit("Rename role"):
        smo.update_role(document, role_id, name=name)
        for lane in bound_lanes(document, role_id):
            b.set_name(document, lane, name)


def bound_lanes(document: Document, role_id: str) -> list[Element]:
    return [lane for process in b.processes(document) for lane in b.lanes(process) if smo.lane_role(lane) == role_id]


def add_lane_for_role(document: Document, process: Element, role_id: str) -> Element:
    """A new lane at the bottom of the process's pool, named after and bound to the role. When
    the pool is drawn, the lane is drawn below its last lane and the pool grows to hold it."""
    role = document.element(role_id)
    if role is None or role.local != "resource":
        raise KeyError(f"no role with id {role_id!r}")
    with document.edit("Add lane for role"):
        lane_set = process.find(bpmn("laneSet")) or b.create(document, process, "laneSet", id_prefix="LaneSet")
        lane = b.create(document, lane_set, "lane", {"name": b.name(role)}, id_prefix="Lane")
        smo.set_lane_role(document, lane, role_id)
        _draw_lane(document, process, lane)
    return lane


def _draw_lane(document: Document, process: Element, lane: Element) -> None:
    shapes = di.shapes_by_element(document)
    pool = next((p for p in b.participants(document) if p.get("processRef") == process.id), None)
    pool_shape = shapes.get(pool.id or "", [None])[0] if pool is not None else None
    if pool_shape is None or (pool_bounds := di.bounds(pool_shape)) is None:
        return  # the process is not drawn as a pool: the lane waits for a layout
    others = [shapes[other.id][0] for other in b.lanes(process) if other is not lane and other.id in shapes]
    if others:
        bottom = max(bounds.y + bounds.height for s in others if (bounds := di.bounds(s)) is not None)
        top, height = bottom, LANE_HEIGHT
    else:
        top, height = pool_bounds.y, pool_bounds.height
    shape = Element(
        bpmndi("BPMNShape"),
        {"id": document.new_id(f"{lane.id}_di"), "bpmnElement": lane.id or "", "isHorizontal": "true"},
    )
    document.append(pool_shape.parent, shape)  # type: ignore[arg-type]
    di.set_bounds(document, shape, di.Bounds(pool_bounds.x + POOL_HEADER, top, pool_bounds.width - POOL_HEADER, height))
    if top + height > pool_bounds.y + pool_bounds.height:
        di.set_bounds(
            document,
            pool_shape,
            di.Bounds(pool_bounds.x, pool_bounds.y, pool_bounds.width, top + height - pool_bounds.y),
        )


def remove_role(document: Document, role_id: str) -> None:
    """Remove a role and every mention of it: RACI cells, performers, lane bindings, owners."""
    role = document.element(role_id)
    if role is None or role.local != "resource":
        raise KeyError(f"no role with id {role_id!r}")
    with document.edit("Remove role"):
        for element in list(document.root.iter()):
            if element.tag == smo_tag("assignment") and element.get("role") == role_id:
                table = element.parent
                document.remove(element)
                if table is not None and not table.children and table.parent is not None:
                    activity = table.parent.parent
                    if activity is not None:
                        smo.remove_extension(document, activity, table)
            elif element.tag == bpmn("performer"):
                ref = element.find(bpmn("resourceRef"))
                if ref is not None and (ref.text or "").strip().rpartition(":")[2] == role_id:
                    document.remove(element)
            elif element.tag == bpmn("lane") and smo.lane_role(element) == role_id:
                smo.set_lane_role(document, element, None)
            elif element.get("ownerRole") == role_id and element.tag in (smo_tag("policy"), smo_tag("kpi")):
                document.set_attribute(element, "ownerRole", None)
        document.remove(role)
