"""Quick capture as a facilitator drives it: steps typed into the table with the keyboard become
lanes, activities, flows and R in the RACI, each cell one undo step; undo and redo update the
table, since the table reads the document."""

from __future__ import annotations

import pytest
from bpmn_checks import xsd_errors
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLineEdit

from smo_designer.editors.quick_capture import (
    COLUMNS,
    NEW_ROW_HINT,
    QuickCaptureEditor,
    QuickCaptureModel,
    command_runner,
)
from smo_designer.formats.bpmn import serialize
from smo_designer.formats.step_table import step_nodes
from smo_designer.model import bpmn as b
from smo_designer.model import di, smo
from smo_designer.model.namespaces import bpmn

# ten steps across three roles: (step, role, kind, next); an empty cell is not typed at all
TEN_STEPS = [
    ("Log incident", "Service desk agent", "task", "2"),
    ("Categorise incident", "Service desk agent", "", "3"),
    ("Prioritise incident", "Service desk agent", "task", "4"),
    ("Assign to support group", "Incident manager", "task", "5"),
    ("Investigate and diagnose", "Support specialist", "task", "6"),
    ("Apply the fix", "Support specialist", "task", "7"),
    ("Verify the resolution", "Service desk agent", "task", "8, 5"),
    ("Confirm with the user", "Service desk agent", "task", "9"),
    ("Close incident", "Service desk agent", "task", "10"),
    ("Review the incident", "Incident manager", "task", ""),
]


@pytest.fixture
def capture(qtbot):
    document = b.new_document()
    stack = QUndoStack()
    model = QuickCaptureModel(document, command_runner(stack, lambda: document))
    editor = QuickCaptureEditor(model)
    editor.resize(900, 500)
    qtbot.addWidget(editor)
    with qtbot.waitExposed(editor):
        editor.show()
    editor.activateWindow()
    return document, stack, model, editor


def editing(view) -> bool:
    return view.state() == QAbstractItemView.State.EditingState


def type_text(view, text: str) -> None:
    """Type as a person does: the first key on the table opens the cell's editor, the rest go to
    whatever has the keyboard focus."""
    if not isinstance(QApplication.focusWidget(), QLineEdit):
        QTest.keyClicks(view, text[:1])
        text = text[1:]
    QTest.keyClicks(QApplication.focusWidget(), text)


def press(qtbot, view, key: Qt.Key) -> None:
    QTest.keyClick(QApplication.focusWidget() or view, key)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)


def type_step(qtbot, view, step: tuple[str, str, str, str]) -> None:
    """Name, Tab, role, Tab, kind, Tab, next, Enter: one row of the table."""
    fields = list(step)
    while fields and not fields[-1]:
        fields.pop()
    for position, text in enumerate(fields):
        if text:
            type_text(view, text)
        if position < len(fields) - 1:
            if editing(view):
                press(qtbot, view, Qt.Key.Key_Tab)
            else:  # nothing typed in this cell: the table's own Tab moves on
                QTest.keyClick(view, Qt.Key.Key_Tab)
                qtbot.waitUntil(lambda: not editing(view))
    press(qtbot, view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not editing(view))


def table(model: QuickCaptureModel) -> list[tuple[str, ...]]:
    """What the table shows, row by row (the blank row last)."""
    return [
        tuple(model.index(row, column).data() or "" for column in range(len(COLUMNS)))[:5]
        for row in range(model.rowCount())
    ]


def test_the_model_passes_qt_model_tests(capture, qtmodeltester) -> None:
    document, _stack, model, editor = capture
    qtmodeltester.check(model)
    assert model.setData(model.index(0, 1), "Log incident")
    assert model.setData(model.index(0, 2), "Service desk agent")
    assert model.setData(model.index(0, 4), "3")  # creates steps 2 and 3 to fill in
    qtmodeltester.check(model)


def test_typing_ten_steps_across_three_roles_builds_three_lanes_and_ten_activities(capture, qtbot) -> None:
    document, stack, model, editor = capture
    start = document.content()
    view = editor.view
    assert table(model) == [("", NEW_ROW_HINT, "", "", "")]
    view.start_new_step()
    for step in TEN_STEPS:
        type_step(qtbot, view, step)
    # the table shows the ten steps, numbered, and the blank row for the next one
    shown = table(model)
    assert len(shown) == 11 and shown[-1][1] == NEW_ROW_HINT
    assert [row[:3] for row in shown[:10]] == [(str(n), s, r) for n, (s, r, _k, _x) in enumerate(TEN_STEPS, 1)]
    assert [row[4] for row in shown[:10]] == [nxt for *_rest, nxt in TEN_STEPS]
    assert all(row[3] == "task" for row in shown[:10])
    # the cursor waits on the blank row
    assert view.currentIndex().row() == 10 and view.currentIndex().column() == 1
    # the model: three lanes bound to three roles, ten activities, each in its role's lane with R
    process = b.processes(document)[0]
    lanes = b.lanes(process)
    assert [b.name(lane) for lane in lanes] == ["Service desk agent", "Incident manager", "Support specialist"]
    roles = {role.name: role.id for role in smo.roles(document)}
    assert [smo.lane_role(lane) for lane in lanes] == [roles[b.name(lane)] for lane in lanes]
    activities = step_nodes(process)
    assert [a.local for a in activities] == ["task"] * 10
    assert [b.name(a) for a in activities] == [s for s, *_ in TEN_STEPS]
    for activity, (_name, role, _kind, _next) in zip(activities, TEN_STEPS, strict=True):
        assert smo.raci(activity) == {roles[role]: "R"}
        lane = next(lane for lane in lanes if any(r.text == activity.id for r in lane.findall(bpmn("flowNodeRef"))))
        assert b.name(lane) == role
    flows = process.findall(bpmn("sequenceFlow"))
    assert len(flows) == 10  # nine in a chain and the loop back from the verification
    # the diagram drew itself: a pool, three lanes, every step inside its lane's drawing
    drawn = di.shapes_by_element(document)
    assert b.participants(document) and b.participants(document)[0].id in drawn
    for activity, (_name, role, _kind, _next) in zip(activities, TEN_STEPS, strict=True):
        box = di.bounds(drawn[activity.id][0])
        lane_box = di.bounds(drawn[next(lane.id for lane in lanes if b.name(lane) == role)][0])
        assert lane_box.y <= box.y and box.y + box.height <= lane_box.y + lane_box.height
    assert all(flow.id in drawn for flow in flows)
    assert xsd_errors(serialize(document)) == []
    # every cell typed was one undo step, and undo goes back to the blank document
    typed = document.content()
    assert stack.count() == sum(1 for step in TEN_STEPS for text in step if text and text != "task")
    while stack.canUndo():
        stack.undo()
    assert document.content() == start
    qtbot.waitUntil(lambda: model.rowCount() == 1)
    assert table(model) == [("", NEW_ROW_HINT, "", "", "")]
    while stack.canRedo():
        stack.redo()
    assert document.content() == typed
    qtbot.waitUntil(lambda: model.rowCount() == 11)
    assert table(model) == shown


def test_decisions_events_and_labels(capture, qtbot) -> None:
    document, stack, model, editor = capture
    view = editor.view
    view.start_new_step()
    for step in [
        ("Call received", "Service desk agent", "event", "2"),
        ("Known error?", "Service desk agent", "decision", "yes: 3, no: 4"),
        ("Apply workaround", "Service desk agent", "", "5"),
        ("Escalate", "Problem manager", "", "5"),
        ("Resolved", "Service desk agent", "event", ""),
    ]:
        type_step(qtbot, view, step)
    assert [row[3:5] for row in table(model)[:5]] == [
        ("start event", "2"),
        ("decision", "yes: 3, no: 4"),
        ("task", "5"),
        ("task", "5"),
        ("end event", ""),
    ]
    nodes = step_nodes(b.processes(document)[0])
    assert [n.local for n in nodes] == ["startEvent", "exclusiveGateway", "task", "task", "endEvent"]
    # events and decisions sit in their lane but hold no RACI row
    assert smo.raci(nodes[1]) == {}
    assert xsd_errors(serialize(document)) == []


def test_a_refused_entry_says_why_and_changes_nothing(capture, qtbot) -> None:
    document, stack, model, editor = capture
    view = editor.view
    view.start_new_step()
    type_step(qtbot, view, ("Log incident", "Service desk agent", "blob", ""))
    assert "Step 1: unknown kind 'blob'" in editor.status.text()
    assert model.index(0, 3).data() == "task"
    count = stack.count()
    view.setCurrentIndex(model.index(0, 4))
    type_text(view, "Nowhere")
    press(qtbot, view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not editing(view))
    assert "there is no step 'Nowhere'" in editor.status.text()
    assert stack.count() == count and model.index(0, 4).data() == ""


def test_renaming_a_role_cell_moves_the_step_and_its_r(capture, qtbot) -> None:
    document, stack, model, editor = capture
    assert model.setData(model.index(0, 1), "Log incident")
    assert model.setData(model.index(0, 2), "Service desk agent")
    assert model.setData(model.index(1, 1), "Diagnose")
    assert model.setData(model.index(1, 2), "Service desk agent")
    assert model.setData(model.index(1, 2), "Support specialist")
    process = b.processes(document)[0]
    roles = {role.name: role.id for role in smo.roles(document)}
    diagnose = step_nodes(process)[1]
    assert smo.raci(diagnose) == {roles["Support specialist"]: "R"}
    assert [b.name(lane) for lane in b.lanes(process)] == ["Service desk agent", "Support specialist"]
    stack.undo()
    assert smo.raci(diagnose) == {roles["Service desk agent"]: "R"}
    assert [b.name(lane) for lane in b.lanes(process)] == ["Service desk agent"]


def test_deleting_a_step_takes_its_flows_and_undo_brings_them_back(capture, qtbot) -> None:
    document, stack, model, editor = capture
    for row, (name, role, _kind, _next) in enumerate(TEN_STEPS[:3]):
        model.setData(model.index(row, 1), name)
        model.setData(model.index(row, 2), role)
    model.setData(model.index(0, 4), "2")
    model.setData(model.index(1, 4), "3")
    before = document.content()
    view = editor.view
    view.setCurrentIndex(model.index(1, 1))
    QTest.keyClick(view, Qt.Key.Key_Delete, Qt.KeyboardModifier.ControlModifier)
    assert [row[1] for row in table(model)] == ["Log incident", "Prioritise incident", NEW_ROW_HINT]
    assert [row[4] for row in table(model)[:2]] == ["", ""]
    assert b.processes(document)[0].findall(bpmn("sequenceFlow")) == []
    stack.undo()
    assert document.content() == before
    qtbot.waitUntil(lambda: model.rowCount() == 4)
    assert [row[4] for row in table(model)[:2]] == ["2", "3"]
