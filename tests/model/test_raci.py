"""The RACI matrix's rows and what lanes imply."""

from __future__ import annotations

from conftest import MIWG
from raci_fixtures import fill_valid_raci, incident_document

from smo_designer.formats.bpmn import read_bpmn
from smo_designer.model import bpmn, raci, smo


def test_rows_are_grouped_by_lane_in_flow_order() -> None:
    document, activities, _ = incident_document()
    rows = raci.raci_rows(document)
    assert [(row.lane, row.name) for row in rows] == [
        ("Service desk", "Log incident"),
        ("Service desk", "Categorise"),
        ("Incident manager", "Assign"),
        ("Specialist", "Diagnose"),
        ("Specialist", "Resolve"),
    ]
    assert {row.pool for row in rows} == {"Process_1"}


def test_flow_order_follows_flows_not_document_order() -> None:
    document = read_bpmn(MIWG / "A.2.0.bpmn").document
    process = bpmn.processes(document)[0]
    order = [bpmn.name(n) for n in raci.flow_order(process)]
    assert order[0].startswith("Start")
    assert len(order) == len({n.id for n in process.children if bpmn.kind(n) in bpmn.FLOW_NODE_TYPES})


def test_flow_order_handles_a_long_chain_without_recursion() -> None:
    document = bpmn.new_document()
    process = bpmn.processes(document)[0]
    previous = None
    for index in range(3000):
        task = bpmn.create(document, process, "task", {"name": f"T{index}"}, id_prefix="Activity")
        if previous is not None:
            bpmn.create(document, process, "sequenceFlow", {"sourceRef": previous.id, "targetRef": task.id})
        previous = task
    assert len(raci.flow_order(process)) == 3000


def test_pool_names_come_from_participants() -> None:
    rows = raci.raci_rows(read_bpmn(MIWG / "C.7.0.bpmn").document)
    assert rows and {row.pool for row in rows} == {"EU Bank"}


def test_lane_role_implies_responsible() -> None:
    document, activities, roles = incident_document()
    responsibilities = raci.lane_responsibilities(document)
    assert {(r.activity_id, r.role) for r in responsibilities} == {
        (activities["Log incident"], roles["Service desk"]),
        (activities["Categorise"], roles["Service desk"]),
        (activities["Assign"], roles["Incident manager"]),
        (activities["Diagnose"], roles["Specialist"]),
        (activities["Resolve"], roles["Specialist"]),
    }
    assert not any(r.has_r for r in responsibilities)
    fill_valid_raci(document, activities, roles)
    assert all(r.has_r for r in raci.lane_responsibilities(document))


def test_apply_cells_is_all_or_nothing() -> None:
    document, activities, roles = incident_document()
    before = document.content()
    try:
        raci.apply_cells(
            document,
            [(activities["Assign"], roles["Service desk"], "A"), (activities["Assign"], roles["Specialist"], "X")],
        )
    except ValueError:
        pass
    assert document.content() == before
    raci.apply_cells(document, [(activities["Assign"], roles["Service desk"], "a/r")])
    assert smo.raci(document.element(activities["Assign"])) == {roles["Service desk"]: "RA"}
