"""The role catalog as a user drives it: add from the ITIL set, rename (bound lanes follow),
remove, add a lane for a role; each one undo step, the saved file still valid."""

from __future__ import annotations

import pytest
from bpmn_checks import xsd_errors
from conftest import ROOT
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack

from smo_designer.editors.role_catalog import RoleCatalogEditor, RoleTableModel
from smo_designer.formats.bpmn import read_bpmn, serialize
from smo_designer.model import bpmn, di, roles, smo

SAMPLE = ROOT / "samples" / "incident-management.bpmn"


@pytest.fixture
def setup(qtbot):
    document = read_bpmn(SAMPLE).document
    stack = QUndoStack()
    model = RoleTableModel(document, stack.push)
    editor = RoleCatalogEditor(model)
    qtbot.addWidget(editor)
    editor.show()
    return document, stack, model, editor


def row_of(model: RoleTableModel, name: str) -> int:
    return next(i for i, role in enumerate(model.roles) if role.name == name)


def test_the_model_passes_qt_model_tests(setup, qtmodeltester) -> None:
    _, _, model, _ = setup
    qtmodeltester.check(model)


def test_the_table_shows_roles_with_their_lanes_and_part(setup) -> None:
    _, _, model, _ = setup
    row = row_of(model, "Service desk agent")
    assert model.index(row, 3).data() == "Service desk agent"  # its lane
    responsible, accountable = model.index(row, 4).data().split(" / ")
    assert int(responsible) >= 1 and accountable == "0"


def test_adding_a_role_from_the_itil_set(setup) -> None:
    document, stack, model, editor = setup
    before = document.content()
    names = [action.text() for action in editor.catalog_actions()]
    assert "Change manager" in names and "Service desk agent" not in names and names[-1] == "New role…"
    next(a for a in editor.catalog_actions() if a.text() == "Change manager").trigger()
    added = model.roles[-1]
    assert (added.name, added.kind) == ("Change manager", "role") and "change schedule" in added.description
    assert stack.count() == 1
    stack.undo()
    assert document.content() == before


def test_renaming_a_role_renames_its_lanes_in_one_step(setup, qtbot) -> None:
    document, stack, model, _ = setup
    row = row_of(model, "Incident manager")
    role_id = model.roles[row].id
    assert model.setData(model.index(row, 0), "  Major incident   manager ")
    assert [bpmn.name(lane) for lane in roles.bound_lanes(document, role_id)] == ["Major incident manager"]
    assert stack.count() == 1 and stack.undoText() == "Change role name"
    stack.undo()
    assert [bpmn.name(lane) for lane in roles.bound_lanes(document, role_id)] == ["Incident manager"]
    assert not model.setData(model.index(row, 0), "   ")
    assert stack.count() == 1


def test_removing_a_role_removes_every_mention_and_undo_restores_it(setup) -> None:
    document, stack, model, editor = setup
    before = document.content()
    row = (
        row_of(model, "Support group specialist (2nd line)")
        if any(r.name == "Support group specialist (2nd line)" for r in model.roles)
        else 2
    )
    role_id = model.roles[row].id
    editor.view.selectRow(row)
    editor.remove_button.click()
    assert role_id not in [r.id for r in model.roles]
    assert all(role_id not in cells for cells in smo.raci_matrix(document).values())
    assert xsd_errors(serialize(document)) == []
    stack.undo()
    assert document.content() == before


def test_adding_a_lane_for_a_role_draws_it_under_the_pool(setup) -> None:
    document, stack, model, editor = setup
    next(a for a in editor.catalog_actions() if a.text() == "Change manager").trigger()
    row = model.rowCount() - 1
    process = bpmn.processes(document)[0]
    lanes_before = len(bpmn.lanes(process))
    shapes = di.shapes_by_element(document)
    pool = bpmn.participants(document)[0]
    pool_height = di.bounds(shapes[pool.id][0]).height
    editor.view.selectRow(row)
    editor.lane_button.click()
    lanes = bpmn.lanes(process)
    assert len(lanes) == lanes_before + 1 and bpmn.name(lanes[-1]) == "Change manager"
    assert smo.lane_role(lanes[-1]) == model.roles[row].id
    shapes = di.shapes_by_element(document)
    assert di.bounds(shapes[pool.id][0]).height == pool_height + roles.LANE_HEIGHT
    assert xsd_errors(serialize(document)) == []
    assert stack.count() == 2
    stack.undo()
    assert len(bpmn.lanes(process)) == lanes_before


def test_editing_kind_and_description(setup, qtbot) -> None:
    _, stack, model, _ = setup
    row = row_of(model, "Service desk agent")
    assert model.setData(model.index(row, 1), "group")
    assert model.setData(model.index(row, 2), "Answers the phone")
    qtbot.waitUntil(lambda: model.index(row, 2).data() == "Answers the phone")
    assert model.index(row, 1).data(Qt.ItemDataRole.DisplayRole) == "group"
    assert stack.count() == 2
