"""The KPI editor as a user drives it: add a KPI to a process, edit it in place (target, unit,
direction, frequency, owner, data source), remove it; each action one undo step that gives back
the document as it was, and refused input a one-line reason."""

from __future__ import annotations

import pytest
from conftest import ROOT
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QComboBox

from smo_designer.editors.kpi_editor import COLUMNS, KpiEditor, KpiTableModel
from smo_designer.formats.bpmn import read_bpmn
from smo_designer.model import bpmn, smo

SAMPLE = ROOT / "samples" / "incident-management.bpmn"


@pytest.fixture
def setup(qtbot):
    document = read_bpmn(SAMPLE).document
    stack = QUndoStack()
    model = KpiTableModel(document, stack.push)
    editor = KpiEditor(model)
    qtbot.addWidget(editor)
    editor.show()
    return document, stack, model, editor


def column(name: str) -> int:
    return COLUMNS.index(name)


def check_undo_redo(document, stack: QUndoStack, before: tuple) -> None:
    after = document.content()
    assert after != before
    stack.undo()
    assert document.content() == before
    stack.redo()
    assert document.content() == after


def test_the_model_passes_qt_model_tests(setup, qtmodeltester) -> None:
    _, _, model, _ = setup
    qtmodeltester.check(model)


def test_the_table_shows_the_kpis_of_the_process(setup) -> None:
    _, _, model, editor = setup
    assert editor.process_combo.currentText() == "Incident management"
    assert [model.index(row, 0).data() for row in range(model.rowCount())] == [
        "Mean time to resolve",
        "First-contact resolution rate",
        "Incidents resolved within SLA",
    ]
    assert model.index(0, column("direction")).data() == "Lower"
    assert model.index(0, column("owner_role")).data() == "Incident manager"
    assert model.index(0, column("target")).data() == "8"


def test_adding_a_kpi(setup, qtbot) -> None:
    document, stack, model, editor = setup
    before = document.content()
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    assert model.rowCount() == 4
    assert model.index(3, 0).data() == "New KPI 1"
    assert model.index(3, column("direction")).data() == "Higher"
    assert editor.view.currentIndex().row() == 3
    check_undo_redo(document, stack, before)


@pytest.mark.parametrize(
    ("name", "value", "stored", "shown"),
    [
        ("name", "  Mean time\nto restore ", "Mean time to restore", "Mean time to restore"),
        ("description", "Sum of restore times / incidents", "Sum of restore times / incidents", None),
        ("target", "6", "6", "6"),
        ("unit", "working hours", "working hours", "working hours"),
        ("direction", "higher", "higher", "Higher"),
        ("frequency", "weekly", "weekly", "weekly"),
        ("owner_role", "Role_4", "Role_4", "Incident management process owner"),
        ("data_source", "Service desk dashboard", "Service desk dashboard", "Service desk dashboard"),
    ],
)
def test_editing_each_field_in_place(setup, name: str, value: str, stored: str, shown: str | None) -> None:
    document, stack, model, _ = setup
    before = document.content()
    assert model.setData(model.index(0, column(name)), value)
    kpi = smo.kpis(bpmn.processes(document)[0])[0]
    assert getattr(kpi, name) == stored
    if shown is not None:
        assert model.index(0, column(name)).data() == shown
    assert stack.count() == 1
    check_undo_redo(document, stack, before)


def test_the_direction_and_owner_are_chosen_from_lists(setup) -> None:
    _, _, model, editor = setup
    delegate = editor.view.itemDelegate()
    direction = delegate.createEditor(editor.view.viewport(), None, model.index(0, column("direction")))
    owner = delegate.createEditor(editor.view.viewport(), None, model.index(0, column("owner_role")))
    assert isinstance(direction, QComboBox) and isinstance(owner, QComboBox)
    assert [direction.itemText(i) for i in range(direction.count())] == ["Higher is better", "Lower is better"]
    assert owner.itemText(0) == "(none)" and "Service desk agent" in [owner.itemText(i) for i in range(owner.count())]
    delegate.setEditorData(direction, model.index(0, column("direction")))
    assert direction.currentText() == "Lower is better"
    direction.setCurrentIndex(0)
    delegate.setModelData(direction, model, model.index(0, column("direction")))
    assert model.index(0, column("direction")).data() == "Higher"


def test_refused_input_gives_a_reason_and_changes_nothing(setup, qtbot) -> None:
    document, stack, model, editor = setup
    before = document.content()
    with qtbot.waitSignal(editor.message) as signal:
        assert not model.setData(model.index(0, 0), "   ")
    assert signal.args == ["A KPI needs a name"]
    with qtbot.waitSignal(editor.message) as signal:
        assert not model.setData(model.index(0, column("direction")), "sideways")
    assert signal.args[0] == "A KPI's direction is 'higher' or 'lower' (which is better), not 'sideways'"
    assert editor.feedback.text() == signal.args[0]
    assert document.content() == before and stack.count() == 0


def test_removing_a_kpi(setup) -> None:
    document, stack, model, editor = setup
    before = document.content()
    editor.view.setCurrentIndex(model.index(1, 0))
    editor.remove_button.click()
    assert [model.index(row, 0).data() for row in range(model.rowCount())] == [
        "Mean time to resolve",
        "Incidents resolved within SLA",
    ]
    check_undo_redo(document, stack, before)


def test_the_table_follows_an_undo_made_elsewhere(setup, qtbot) -> None:
    _, stack, model, _ = setup
    model.setData(model.index(0, column("target")), "4")
    stack.undo()
    qtbot.waitUntil(lambda: model.index(0, column("target")).data() == "8")


def test_each_process_has_its_own_kpis(setup) -> None:
    document, stack, model, editor = setup
    second = bpmn.create(document, document.root, "process", {"name": "Problem management"}, id_prefix="Process")
    model.refresh()
    editor._fill_processes()
    assert [editor.process_combo.itemText(i) for i in range(editor.process_combo.count())] == [
        "Incident management",
        "Problem management",
    ]
    editor.select_process(second.id)
    assert model.rowCount() == 0
    model.add_kpi("Known errors documented")
    assert [k.name for k in smo.kpis(second)] == ["Known errors documented"]
    first_kpi = smo.kpis(bpmn.processes(document)[0])[2]
    editor.select_kpi(first_kpi.id)
    assert model.process_id == bpmn.processes(document)[0].id
    assert editor.view.currentIndex().row() == 2
