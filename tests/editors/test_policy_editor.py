"""The policy editor as a user drives it: create, edit fields, link to processes and activities
(from the list or the canvas), move along the lifecycle, add framework references; each action
one undo step that gives back the document as it was, and refused input a one-line reason."""

from __future__ import annotations

import datetime as dt

import pytest
from bpmn_checks import xsd_errors
from conftest import ROOT
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

from smo_designer.editors.policy_editor import FrameworkReferenceModel, PolicyEditor, PolicyListModel
from smo_designer.formats.bpmn import parse_bpmn, read_bpmn, serialize
from smo_designer.model import bpmn, smo

SAMPLE = ROOT / "samples" / "incident-management.bpmn"
TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def setup(qtbot):
    document = read_bpmn(SAMPLE).document
    stack = QUndoStack()
    editor = PolicyEditor(document, stack.push, today=lambda: TODAY)
    qtbot.addWidget(editor)
    editor.resize(1100, 800)
    editor.show()
    return document, stack, editor


def list_texts(editor: PolicyEditor, column: int) -> list[str]:
    return [editor.model.index(row, column).data() for row in range(editor.model.rowCount())]


def check_undo_redo(document, stack: QUndoStack, before: tuple, steps: int = 1) -> None:
    """The last `steps` steps undone give back `before`; redone, the document they made."""
    after = document.content()
    assert after != before
    for _ in range(steps):
        stack.undo()
    assert document.content() == before
    for _ in range(steps):
        stack.redo()
    assert document.content() == after


def type_into(qtbot, widget: QLineEdit, text: str) -> None:
    widget.setFocus()
    widget.selectAll()
    if text:
        qtbot.keyClicks(widget, text)
    else:
        qtbot.keyClick(widget, Qt.Key.Key_Backspace)
    qtbot.keyClick(widget, Qt.Key.Key_Return)


def test_the_list_and_reference_models_pass_qt_model_tests(setup, qtmodeltester) -> None:
    _, _, editor = setup
    qtmodeltester.check(editor.model)
    qtmodeltester.check(editor.framework_model)
    assert isinstance(editor.model, PolicyListModel)
    assert isinstance(editor.framework_model, FrameworkReferenceModel)


def test_the_list_shows_the_policies_and_the_form_the_chosen_one(setup) -> None:
    _, _, editor = setup
    assert list_texts(editor, 0) == ["IM-POL-01", "IM-POL-02", "IM-POL-03", "IM-POL-04"]
    assert list_texts(editor, 2) == ["Approved", "Approved", "In review", "Approved"]
    assert list_texts(editor, 3)[0] == "Incident manager"
    editor.select_policy(smo.policies(editor.document)[2].id)
    assert editor.fields["title"].text() == "Major incidents follow the major incident procedure"
    assert editor.owner_combo.currentText() == "Incident management process owner"
    assert "In review" in editor.status_label.text()
    assert sorted(editor.step_actions) == ["approved", "draft"]
    assert editor.links_list.item(0).text() == "Activity: Coordinate major incident response"
    assert editor.framework_model.rowCount() == 4
    assert editor.framework_model.index(2, 0).data() == "NIST CSF 2.0"
    assert editor.framework_model.index(3, 2).data() == "Related to"


def test_creating_a_policy(setup, qtbot) -> None:
    document, stack, editor = setup
    before = document.content()
    qtbot.mouseClick(editor.new_button, Qt.MouseButton.LeftButton)
    assert list_texts(editor, 0)[-1] == "IM-POL-05"
    assert editor.fields["title"].text() == "New policy"
    assert "Draft" in editor.status_label.text()
    assert editor.history_label.text() == "Draft 2026-11-23"
    assert stack.count() == 1
    check_undo_redo(document, stack, before)


def test_editing_the_title_and_statement(setup, qtbot) -> None:
    document, stack, editor = setup
    before = document.content()
    type_into(qtbot, editor.fields["title"], "Every incident is logged at once")
    assert list_texts(editor, 1)[0] == "Every incident is logged at once"
    statement = editor.fields["statement"]
    assert isinstance(statement, QPlainTextEdit)
    statement.setFocus()
    statement.selectAll()
    qtbot.keyClicks(statement, "Log every incident.")
    editor.fields["approver"].setFocus()  # leaving the field commits it
    assert smo.policies(document)[0].statement == "Log every incident."
    assert stack.count() == 2
    check_undo_redo(document, stack, before, steps=2)
    stack.undo()
    qtbot.waitUntil(lambda: statement.toPlainText().startswith("Every incident reported"))


def test_choosing_the_owner_role(setup) -> None:
    document, stack, editor = setup
    before = document.content()
    position = editor.owner_combo.findText("Service desk agent")
    editor.owner_combo.setCurrentIndex(position)
    editor.owner_combo.activated.emit(position)
    assert list_texts(editor, 3)[0] == "Service desk agent"
    check_undo_redo(document, stack, before)


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("title", "", "A policy needs a title"),
        ("identifier", "IM-POL-02", "IM-POL-02 is already the identifier of 'Incidents are prioritised"),
        ("next_review", "next spring", "The next review date 'next spring' is not a date"),
        ("effective", "2026-02-30", "The effective date '2026-02-30' is not a date"),
    ],
)
def test_refused_input_gives_a_reason_and_changes_nothing(setup, qtbot, field: str, typed: str, message: str) -> None:
    document, stack, editor = setup
    before = document.content()
    shown_before = editor.fields[field].text()
    with qtbot.waitSignal(editor.message) as signal:
        type_into(qtbot, editor.fields[field], typed)
    assert signal.args[0].startswith(message)
    assert editor.feedback.text().startswith(message)
    assert "\n" not in signal.args[0]
    assert document.content() == before and stack.count() == 0
    assert editor.fields[field].text() == shown_before


def test_linking_an_activity_from_the_list(setup) -> None:
    document, stack, editor = setup
    before = document.content()
    choices = dict(editor.link_choices())
    assert "Activity_LogIncident" not in choices  # linked already
    assert choices["Activity_CloseIncident"].strip() == "Close incident (Service desk agent)"
    editor._fill_link_menu()
    action = next(a for a in editor.link_menu.actions() if a.text().strip().startswith("Initial diagnosis"))
    action.trigger()
    assert smo.policies(document)[0].links == ("Activity_LogIncident", "Activity_InitialDiagnosis")
    assert editor.links_list.item(1).text() == "Activity: Initial diagnosis"
    check_undo_redo(document, stack, before)


def test_linking_from_the_canvas_and_showing_a_link_there(setup, qtbot) -> None:
    document, stack, editor = setup
    before = document.content()
    assert editor.link_activity("Participant_ITServiceProvider")  # a pool links its process
    process = bpmn.processes(document)[0].id
    assert smo.policies(document)[0].links[-1] == process
    assert editor.links_list.item(1).text() == "Process: Incident management"
    check_undo_redo(document, stack, before)
    with qtbot.waitSignal(editor.activity_selected) as shown:
        editor.links_list.itemDoubleClicked.emit(editor.links_list.item(0))
    assert shown.args == ["Activity_LogIncident"]


def test_linking_what_cannot_carry_a_policy_is_refused(setup, qtbot) -> None:
    document, stack, editor = setup
    before = document.content()
    with qtbot.waitSignal(editor.message) as signal:
        assert not editor.link_activity("Gateway_MajorIncident")
    assert signal.args[0] == "'Major incident?' (exclusiveGateway) cannot carry a policy: link a process or an activity"
    assert not editor.link_activity("Nothing_Here")
    assert editor.feedback.text() == "There is no element 'Nothing_Here' in the model"
    assert document.content() == before and stack.count() == 0


def test_unlinking(setup) -> None:
    document, stack, editor = setup
    editor.select_policy(smo.policies(document)[3].id)
    before = document.content()
    editor.links_list.setCurrentRow(0)
    editor.unlink_button.click()
    assert smo.policies(document)[3].links == ("Activity_CloseIncident",)
    check_undo_redo(document, stack, before)


def test_the_lifecycle_step_by_step_with_dates(setup, qtbot) -> None:
    document, stack, editor = setup
    editor.add_policy()
    policy_id = editor.current_policy().id
    before = document.content()
    qtbot.mouseClick(editor.step_actions["in review"], Qt.MouseButton.LeftButton)
    assert "In review" in editor.status_label.text()
    editor.step_date.setDate(editor.step_date.date().addDays(3))
    qtbot.mouseClick(editor.step_actions["approved"], Qt.MouseButton.LeftButton)
    policy = smo.policy_by_id(document, policy_id)
    assert [(s.status, s.date) for s in policy.history] == [
        ("draft", "2026-11-23"),
        ("in review", "2026-11-23"),
        ("approved", "2026-11-26"),
    ]
    assert (policy.effective, policy.next_review) == ("2026-11-26", "2027-11-26")
    assert editor.fields["next_review"].text() == "2027-11-26"
    assert sorted(editor.step_actions) == ["in review", "retired"]
    assert editor.history_label.text() == "Draft 2026-11-23 → In review 2026-11-23 → Approved 2026-11-26"
    check_undo_redo(document, stack, before, steps=2)


def test_a_step_dated_before_the_last_one_is_refused(setup, qtbot) -> None:
    document, stack, editor = setup
    before = document.content()
    editor.step_date.setDate(editor.step_date.date().addYears(-3))
    with qtbot.waitSignal(editor.message) as signal:
        qtbot.mouseClick(editor.step_actions["in review"], Qt.MouseButton.LeftButton)
    assert signal.args[0] == "2023-11-23 is before the last step (approved on 2026-03-02)"
    assert document.content() == before and stack.count() == 0


def test_adding_a_framework_reference_from_the_ready_lists(setup) -> None:
    document, stack, editor = setup
    before = document.content()
    iso27001 = next(a for a in editor.reference_menu.actions() if a.text() == "ISO/IEC 27001:2022").menu()
    people = next(a for a in iso27001.actions() if a.text() == "A.6 People controls").menu()
    next(a for a in people.actions() if a.text().startswith("A.6.8 ")).trigger()
    added = smo.policies(document)[0].frameworks[-1]
    assert added == smo.FrameworkReference(
        "ISO/IEC 27001:2022", "A.6.8 Information security event reporting", "implements"
    )
    assert editor.framework_model.index(3, 1).data() == "A.6.8 Information security event reporting"
    check_undo_redo(document, stack, before)


def test_editing_and_removing_a_framework_reference(setup) -> None:
    document, stack, editor = setup
    before = document.content()
    model = editor.framework_model
    assert model.setData(model.index(1, 2), "supports")
    assert model.index(1, 2).data() == "Supports"
    assert smo.policies(document)[0].frameworks[1].relation == "supports"
    assert editor.remove_reference(0)
    assert [f.framework for f in smo.policies(document)[0].frameworks] == ["ISO/IEC 20000-1:2018", "COBIT 2019"]
    check_undo_redo(document, stack, before, steps=2)
    assert not model.setData(model.index(0, 2), "enforces")
    assert editor.feedback.text() == "Unknown relation 'enforces': use implements, supports, related"


def test_the_form_follows_an_undo_made_elsewhere(setup, qtbot) -> None:
    document, stack, editor = setup
    type_into(qtbot, editor.fields["approver"], "Chief information officer")
    stack.undo()
    qtbot.waitUntil(lambda: editor.fields["approver"].text() == "Head of IT service management")


def test_deleting_a_policy(setup) -> None:
    document, stack, editor = setup
    editor.select_policy(smo.policies(document)[1].id)
    before = document.content()
    editor.delete_button.click()
    assert list_texts(editor, 0) == ["IM-POL-01", "IM-POL-03", "IM-POL-04"]
    assert editor.current_policy().identifier == "IM-POL-03"
    check_undo_redo(document, stack, before)


def test_what_the_editor_made_is_saved_valid_and_reads_back(setup, qtbot) -> None:
    document, _, editor = setup
    editor.add_policy()
    type_into(qtbot, editor.fields["title"], "Known errors are published")
    editor.link_activity("Activity_InitialDiagnosis")
    qtbot.mouseClick(editor.step_actions["in review"], Qt.MouseButton.LeftButton)
    data = serialize(document)
    assert xsd_errors(data) == []
    result = parse_bpmn(data, "saved.bpmn")
    assert result.problems == []
    assert serialize(result.document) == data
    assert smo.policies(result.document)[-1].title == "Known errors are published"
