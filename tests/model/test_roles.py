"""The role catalog in the model: the ITIL set, renames that reach lanes, removal of every
mention, a lane for a role in a document without DI."""

from __future__ import annotations

import pytest

from smo_designer.formats.bpmn import parse_bpmn, serialize
from smo_designer.model import bpmn, roles, smo


def test_the_itil_set_has_the_roles_workshops_name() -> None:
    names = {role.name for role in roles.ITIL_ROLES}
    assert {"Process owner", "Process manager", "Practitioner", "Service desk agent", "Service owner"} <= names
    assert any("CAB" in name for name in names)
    assert all(role.description and role.kind for role in roles.ITIL_ROLES)


def test_a_lane_for_a_role_without_a_drawn_pool_gets_no_shape() -> None:
    document = bpmn.new_document()
    process = bpmn.processes(document)[0]
    role = smo.add_role(document, "Change manager").get("id")
    with document.edit("lane") as edit:
        lane = roles.add_lane_for_role(document, process, role)
    assert smo.lane_role(lane) == role and bpmn.name(lane) == "Change manager"
    assert parse_bpmn(serialize(document)).document.content() == document.content()
    edit.undo(document)
    assert bpmn.lanes(process) == []


def test_removing_a_role_clears_owners_and_lane_bindings() -> None:
    document = bpmn.new_document()
    process = bpmn.processes(document)[0]
    role = smo.add_role(document, "Change manager").get("id")
    task = bpmn.create(document, process, "task", {"name": "Assess"}, id_prefix="Activity")
    smo.set_raci(document, task, role, "RA")
    lane = roles.add_lane_for_role(document, process, role)
    kpi = smo.add_kpi(document, process, smo.Kpi(name="Success rate", owner_role=role))
    roles.remove_role(document, role)
    assert smo.roles(document) == [] and smo.raci(task) == {}
    assert lane.get("partitionElementRef") is None
    assert smo.kpis(process)[0] == smo.Kpi(id=kpi.id, name="Success rate")
    assert task.find(bpmn.bpmn("performer")) is None


def test_unknown_roles_are_refused() -> None:
    document = bpmn.new_document()
    with pytest.raises(KeyError):
        roles.remove_role(document, "Process_1")
    with pytest.raises(KeyError):
        roles.add_lane_for_role(document, bpmn.processes(document)[0], "Nope")
