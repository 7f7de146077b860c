"""The RACI grid as a user drives it: typing letters, clearing, pasting, filling down,
filtering, undo and redo, and problems shown on the rows they concern."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QGuiApplication, QUndoStack
from raci_fixtures import fill_valid_raci, incident_document

from smo_designer.editors.raci_table import (
    ACTIVITY_COLUMN,
    ERROR_COLOUR,
    FIRST_ROLE_COLUMN,
    RaciEditor,
    RaciTableModel,
)
from smo_designer.model import smo


@pytest.fixture
def setup(qtbot):
    document, activities, roles = incident_document()
    stack = QUndoStack()
    model = RaciTableModel(document, stack.push)
    editor = RaciEditor(model)
    qtbot.addWidget(editor)
    editor.resize(1000, 400)
    editor.show()
    qtbot.waitExposed(editor)
    return document, activities, roles, stack, model, editor


def cell(editor: RaciEditor, activity: str, role: str):
    model = editor.model
    return editor.proxy.mapFromSource(model.index(model.row_of_activity(activity), model.column_of_role(role)))


def select(editor: RaciEditor, *indexes) -> None:
    view = editor.view
    view.setFocus()
    view.clearSelection()
    view.setCurrentIndex(indexes[0])
    for index in indexes:
        view.selectionModel().select(index, QItemSelectionModel.SelectionFlag.Select)


def shown(editor: RaciEditor, activity: str, role: str) -> str:
    return cell(editor, activity, role).data()


def test_the_model_passes_qt_model_tests(qtmodeltester) -> None:
    document, activities, roles = incident_document()
    fill_valid_raci(document, activities, roles)
    model = RaciTableModel(document, QUndoStack().push)
    qtmodeltester.check(model)


def test_rows_and_columns_are_what_the_user_expects(setup) -> None:
    _, _, roles, _, model, _ = setup
    assert [model.index(r, ACTIVITY_COLUMN).data() for r in range(model.rowCount())] == [
        "Log incident",
        "Categorise",
        "Assign",
        "Diagnose",
        "Resolve",
    ]
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers == ["Lane", "Activity", "Service desk", "Incident manager", "Specialist", "Process owner"]


def test_typing_a_letter_sets_it_and_undo_takes_it_back(setup, qtbot) -> None:
    document, activities, roles, stack, _, editor = setup
    before = document.content()
    target = cell(editor, activities["Assign"], roles["Process owner"])
    select(editor, target)
    qtbot.keyClick(editor.view, Qt.Key.Key_A)
    qtbot.waitUntil(lambda: shown(editor, activities["Assign"], roles["Process owner"]) == "A")
    assert smo.raci(document.element(activities["Assign"])) == {roles["Process owner"]: "A"}
    qtbot.keyClick(editor.view, Qt.Key.Key_R)
    qtbot.waitUntil(lambda: shown(editor, activities["Assign"], roles["Process owner"]) == "R/A")
    assert stack.count() == 2
    stack.undo()
    stack.undo()
    assert document.content() == before
    qtbot.waitUntil(lambda: shown(editor, activities["Assign"], roles["Process owner"]) == "")
    stack.redo()
    qtbot.waitUntil(lambda: shown(editor, activities["Assign"], roles["Process owner"]) == "A")


def test_a_letter_typed_on_many_cells_is_one_undo_step(setup, qtbot) -> None:
    document, activities, roles, stack, _, editor = setup
    cells = [
        cell(editor, activities[name], roles["Process owner"]) for name in ("Log incident", "Categorise", "Assign")
    ]
    select(editor, *cells)
    qtbot.keyClick(editor.view, Qt.Key.Key_A)
    assert stack.count() == 1
    assert all(
        smo.raci(document.element(activities[n]))[roles["Process owner"]] == "A" for n in ("Log incident", "Assign")
    )
    qtbot.keyClick(editor.view, Qt.Key.Key_Delete)
    assert stack.count() == 2
    assert smo.raci(document.element(activities["Assign"])) == {}


def test_a_value_that_is_not_raci_is_refused_with_a_message(setup, qtbot) -> None:
    document, activities, roles, stack, model, editor = setup
    before = document.content()
    index = model.index(model.row_of_activity(activities["Assign"]), model.column_of_role(roles["Specialist"]))
    assert not model.setData(index, "X")
    assert document.content() == before and stack.count() == 0
    assert "'X' is not a RACI value" in editor.message.text()
    assert model.setData(index, "a/r")
    assert smo.raci(document.element(activities["Assign"])) == {roles["Specialist"]: "RA"}


def test_copy_and_paste_a_block(setup, qtbot) -> None:
    document, activities, roles, stack, _, editor = setup
    fill_valid_raci(document, activities, roles)
    qtbot.waitUntil(lambda: shown(editor, activities["Log incident"], roles["Service desk"]) == "R")
    source = [cell(editor, activities["Log incident"], roles[r]) for r in ("Service desk", "Incident manager")]
    select(editor, *source)
    qtbot.keyClick(editor.view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == "R\tI"
    stack.clear()
    select(editor, cell(editor, activities["Assign"], roles["Service desk"]))
    qtbot.keyClick(editor.view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert stack.count() == 1
    cells = smo.raci(document.element(activities["Assign"]))
    assert cells[roles["Service desk"]] == "R" and cells[roles["Incident manager"]] == "I"


def test_fill_down_copies_the_top_cell(setup, qtbot) -> None:
    document, activities, roles, stack, model, editor = setup
    smo.set_raci(document, document.element(activities["Log incident"]), roles["Process owner"], "A")
    qtbot.waitUntil(lambda: shown(editor, activities["Log incident"], roles["Process owner"]) == "A")
    column = [cell(editor, activities[n], roles["Process owner"]) for n in activities]
    select(editor, *column)
    qtbot.keyClick(editor.view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert stack.count() == 1
    assert all(smo.raci(document.element(a)).get(roles["Process owner"]) == "A" for a in activities.values())


def test_lane_roles_show_as_implied_until_applied(setup, qtbot) -> None:
    document, activities, roles, stack, _, editor = setup
    assert shown(editor, activities["Diagnose"], roles["Specialist"]) == "(R)"
    editor.apply_button.click()
    qtbot.waitUntil(lambda: shown(editor, activities["Diagnose"], roles["Specialist"]) == "R")
    assert stack.count() == 1
    stack.undo()
    qtbot.waitUntil(lambda: shown(editor, activities["Diagnose"], roles["Specialist"]) == "(R)")


def test_problems_show_on_the_row_and_in_the_status(setup, qtbot) -> None:
    document, activities, roles, _, model, editor = setup
    fill_valid_raci(document, activities, roles)
    qtbot.waitUntil(lambda: "0 errors" in editor.status.text())
    smo.set_raci(document, document.element(activities["Resolve"]), roles["Process owner"], "")
    qtbot.waitUntil(lambda: "1 errors" in editor.status.text())
    row = model.row_of_activity(activities["Resolve"])
    name_cell = model.index(row, ACTIVITY_COLUMN)
    assert name_cell.data(Qt.ItemDataRole.BackgroundRole).color() == ERROR_COLOUR
    assert "no Accountable role" in name_cell.data(Qt.ItemDataRole.ToolTipRole)


def test_filter_by_role_shows_only_its_activities(setup, qtbot) -> None:
    document, activities, roles, _, _, editor = setup
    fill_valid_raci(document, activities, roles)
    qtbot.waitUntil(lambda: shown(editor, activities["Diagnose"], roles["Specialist"]) == "R")
    editor.role_filter.setCurrentIndex(editor.role_filter.findData(roles["Specialist"]))
    visible = [editor.proxy.index(r, ACTIVITY_COLUMN).data() for r in range(editor.proxy.rowCount())]
    assert visible == ["Diagnose", "Resolve"]


def test_selection_follows_both_ways(setup, qtbot) -> None:
    _, activities, roles, _, _, editor = setup
    with qtbot.waitSignal(editor.view.activity_selected) as signal:
        editor.view.setCurrentIndex(cell(editor, activities["Diagnose"], roles["Specialist"]))
    assert signal.args == [activities["Diagnose"]]
    editor.view.select_activity(activities["Log incident"])
    assert editor.view.currentIndex().row() == 0


def test_a_new_role_appears_as_a_column(setup, qtbot) -> None:
    document, _, _, _, model, _ = setup
    columns = model.columnCount()
    smo.add_role(document, "Change authority")
    qtbot.waitUntil(lambda: model.columnCount() == columns + 1)
    assert model.headerData(columns, Qt.Orientation.Horizontal) == "Change authority"
    assert FIRST_ROLE_COLUMN == 2
