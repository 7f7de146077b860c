"""The SMO part of the model: roles, RACI cells with their performers, lanes bound to roles,
policies, KPIs and metadata; each edit undoable, all of it surviving a save and load."""

from __future__ import annotations

import pytest
from bpmn_checks import xsd_errors
from conftest import MIWG

from smo_designer.formats.bpmn import parse_bpmn, read_bpmn, serialize
from smo_designer.model import bpmn, smo
from smo_designer.model.document import Document
from smo_designer.model.namespaces import bpmn as tag


def undoable(document: Document, edit_function) -> None:
    """Run an edit, check undo gives back the document before and redo the one after."""
    before = document.content()
    with document.edit("test") as edit:
        edit_function()
    after = document.content()
    assert after != before
    edit.undo(document)
    assert document.content() == before
    edit.redo(document)
    assert document.content() == after


def reloaded(document: Document) -> Document:
    data = serialize(document)
    assert xsd_errors(data) == []
    again = parse_bpmn(data).document
    assert again.content() == document.content() and serialize(again) == data
    return again


@pytest.fixture
def document() -> Document:
    return bpmn.new_document("Change enablement")


@pytest.fixture
def task(document: Document):
    return bpmn.create(
        document, bpmn.processes(document)[0], "userTask", {"name": "Assess change"}, id_prefix="Activity"
    )


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("r", "R"), ("A/R", "RA"), ("r, a", "RA"), ("ICR", "RCI"), ("S", "S"), ("", ""), (" a + c ", "AC")],
)
def test_letters_are_read_leniently_and_stored_in_rasci_order(typed: str, stored: str) -> None:
    assert smo.normalize_letters(typed) == stored


@pytest.mark.parametrize("typed", ["X", "RX", "yes", "1"])
def test_other_letters_are_refused(typed: str) -> None:
    with pytest.raises(ValueError, match="unknown RACI letter"):
        smo.normalize_letters(typed)


def test_roles_are_bpmn_resources_with_description_and_kind(document: Document) -> None:
    undoable(document, lambda: smo.add_role(document, "Change authority", "Approves normal changes", "group"))
    [role] = smo.roles(reloaded(document))
    assert (role.name, role.description, role.kind) == ("Change authority", "Approves normal changes", "group")
    assert document.root.children[0].tag == tag("resource")
    undoable(document, lambda: smo.update_role(document, role.id, name="CAB", kind=""))
    assert smo.roles(document)[0] == smo.Role(role.id, "CAB", "Approves normal changes", "")


def test_responsible_is_also_a_standard_performer(document: Document, task) -> None:
    role = smo.add_role(document, "Change manager").get("id")
    undoable(document, lambda: smo.set_raci(document, task, role, "RA"))
    performers = task.findall(tag("performer"))
    assert [p.find(tag("resourceRef")).text for p in performers] == [role]
    assert smo.raci(reloaded(document).element(task.id)) == {role: "RA"}
    undoable(document, lambda: smo.set_raci(document, task, role, "A"))
    assert task.findall(tag("performer")) == []
    undoable(document, lambda: smo.set_raci(document, task, role, ""))
    assert smo.raci(task) == {} and task.find(tag("extensionElements")) is None


def test_a_performer_written_by_another_tool_reads_as_responsible() -> None:
    document = read_bpmn(MIWG / "C.7.0.bpmn").document
    matrix = smo.raci_matrix(document)
    assert matrix and all("R" in letters for cells in matrix.values() for letters in cells.values())


def test_lanes_bind_to_roles_with_partition_element_ref(document: Document) -> None:
    process = bpmn.processes(document)[0]
    role = smo.add_role(document, "Service desk").get("id")
    lane = bpmn.create(
        document, bpmn.create(document, process, "laneSet", id_prefix="LaneSet"), "lane", id_prefix="Lane"
    )
    undoable(document, lambda: smo.set_lane_role(document, lane, role))
    assert lane.get("partitionElementRef") == role
    assert smo.lane_role(reloaded(document).element(lane.id)) == role


def test_metadata_lives_in_the_document_home(document: Document) -> None:
    value = smo.Metadata("Change enablement", "2.1", "in review", "Process owner", "2026-01-05", "2026-02-01")
    undoable(document, lambda: smo.set_metadata(document, value))
    assert smo.metadata(reloaded(document)) == value
    home = smo.document_home(document)
    assert home.parent is bpmn.processes(document)[0]  # no collaboration: the first process
    assert document.root.get("name") == "Change enablement"


def test_metadata_prefers_the_collaboration() -> None:
    document = read_bpmn(MIWG / "C.1.0.bpmn").document
    smo.set_metadata(document, smo.Metadata(title="Hiring", version="3"))
    assert smo.document_home(document).parent is bpmn.collaborations(document)[0]
    assert smo.metadata(reloaded(document)).version == "3"


def test_policies_are_added_edited_and_removed(document: Document, task) -> None:
    owner = smo.add_role(document, "Process owner").get("id")
    policy = smo.Policy(
        identifier="POL-CHG-001",
        title="Every change is assessed",
        statement="No change is deployed without an assessment of risk and impact.",
        owner_role=owner,
        status="draft",
        links=(task.id,),
        frameworks=(smo.FrameworkReference("ITIL 4", "Change enablement", "implements"),),
        history=(smo.StatusChange("draft", "2026-01-05"),),
    )
    added = []
    undoable(document, lambda: added.append(smo.add_policy(document, policy)))
    stored = added[-1]
    assert stored.id and smo.policies(reloaded(document)) == [stored]
    approved = smo.Policy(
        **{
            **stored.__dict__,
            "status": "approved",
            "history": (*stored.history, smo.StatusChange("approved", "2026-02-01")),
        }
    )
    undoable(document, lambda: smo.update_policy(document, approved))
    assert smo.policies(document) == [approved]
    undoable(document, lambda: smo.remove_policy(document, stored.id))
    assert smo.policies(document) == []


def test_kpis_are_added_edited_and_removed(document: Document) -> None:
    process = bpmn.processes(document)[0]
    kpi = smo.Kpi(name="Change success rate", description="Changes without incident", target="95", unit="%")
    added = []
    undoable(document, lambda: added.append(smo.add_kpi(document, process, kpi)))
    stored = added[-1]
    assert smo.kpis(bpmn.processes(reloaded(document))[0]) == [stored]
    undoable(document, lambda: smo.update_kpi(document, smo.Kpi(**{**stored.__dict__, "target": "97"})))
    assert smo.kpis(process)[0].target == "97"
    undoable(document, lambda: smo.remove_kpi(document, stored.id))
    assert smo.kpis(process) == [] and process.find(tag("extensionElements")) is None


def test_unknown_ids_are_refused(document: Document) -> None:
    with pytest.raises(KeyError):
        smo.update_role(document, "Nope", name="x")
    with pytest.raises(KeyError):
        smo.remove_policy(document, "Nope")
