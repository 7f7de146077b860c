"""The main window opens a model onto the canvas, shows its problems, keeps canvas and RACI
selection together, and refuses bad files with one clear message."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import MIWG, ROOT
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from smo_designer.app.main_window import MainWindow
from smo_designer.model import bpmn as b
from smo_designer.model import smo


@pytest.fixture
def window(qtbot) -> MainWindow:
    main_window = MainWindow()
    qtbot.addWidget(main_window)
    main_window.show()
    return main_window


def drawn_names(window: MainWindow) -> set[str]:
    return {b.name(item.element) for item in window.scene.diagram_items() if item.element is not None}


def test_opening_a_model_draws_its_lanes_and_tasks(window: MainWindow) -> None:
    assert window.open_file(str(MIWG / "A.4.0.bpmn"))
    assert "A.4.0.bpmn" in window.windowTitle()
    names = drawn_names(window)
    assert {"Lane 1", "Lane 2", "Task 1"} <= names
    # what bpmnlint also says of A.4.0: two messages without a name, a task that splits the flow
    # the checks run when the Problems panel comes into view (they take a while on large models)
    assert window.problems_dock.windowTitle() == "Problems (…)"
    window.problems_dock.raise_()
    QApplication.processEvents()
    shown = [window.problems.item(row).text() for row in range(window.problems.count())]
    assert [line.split(": ")[0] for line in shown] == ["warning", "warning", "error"]
    assert "has 2 unconditional flows out" in shown[2]
    # the whole diagram is in view after opening
    visible = window.view.mapToScene(window.view.viewport().rect()).boundingRect()
    assert visible.contains(window.scene.drawing_rect())


def test_selecting_an_activity_on_the_canvas_selects_its_raci_row_and_back(window: MainWindow) -> None:
    assert window.open_file(str(ROOT / "samples" / "incident-management.bpmn"))
    window.scene.select_elements(["Activity_CloseIncident"])
    assert window.properties.name.text() == "Close incident"
    grid = window.raci_editor.view
    assert grid._source(grid.currentIndex()).row() == window.raci_model.row_of_activity("Activity_CloseIncident")
    window.raci_editor.view.activity_selected.emit("Activity_LogIncident")
    assert [e.id for e in window.scene.selected_elements()] == ["Activity_LogIncident"]


def test_the_shortcut_sheet_lists_every_command_with_a_key(window: MainWindow) -> None:
    from smo_designer.app.shortcuts_dialog import ShortcutsDialog, shortcut_rows

    rows = shortcut_rows(window)
    commands = {command for _menu, command, _keys in rows}
    assert {"Undo", "Copy", "Paste", "Rename", "Fit the diagram", "Add lane above", "Align left", "Task"} <= commands
    dialog = ShortcutsDialog(window)
    assert "Split lane in two" in dialog.browser.toPlainText()


def test_a_file_that_is_not_a_model_gets_one_clear_message(window: MainWindow, tmp_path: Path, monkeypatch) -> None:
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    bad = tmp_path / "notes.bpmn"
    bad.write_text("this is not XML")
    before = window.document
    assert not window.open_file(str(bad))
    assert len(shown) == 1 and shown[0].startswith(str(bad)) and "\n" not in shown[0]
    assert window.document is before and window.path is None


def test_a_raci_edit_marks_the_window_modified_and_save_clears_it(window: MainWindow, qtbot, tmp_path: Path) -> None:
    from smo_designer.formats.bpmn import read_bpmn
    from smo_designer.model import smo

    window.open_file(str(MIWG / "C.7.0.bpmn"))
    assert not window.isWindowModified()
    model = window.raci_model
    role_column = 2
    assert model.setData(model.index(0, role_column), "A")
    assert window.isWindowModified() and window.controller.undo_stack.count() == 1
    target = tmp_path / "hiring.bpmn"
    assert window._save_to(target)
    assert not window.isWindowModified()
    saved = read_bpmn(target).document
    activity = saved.element(model.rows[0].activity_id)
    assert "A" in smo.raci(activity)[model.role_id(role_column)]
    window.controller.undo_stack.undo()
    assert window.isWindowModified()
    window.controller.undo_stack.redo()
    assert not window.isWindowModified()


def test_closing_with_unsaved_changes_asks_first(window: MainWindow, monkeypatch) -> None:
    asked = []
    monkeypatch.setattr(
        QMessageBox, "question", lambda *args: asked.append(args[2]) or QMessageBox.StandardButton.Cancel
    )
    window.open_file(str(MIWG / "C.7.0.bpmn"))
    window.raci_model.setData(window.raci_model.index(0, 2), "A")
    assert not window.close()
    assert asked and "not saved" in asked[0]
    monkeypatch.setattr(QMessageBox, "question", lambda *args: QMessageBox.StandardButton.Discard)
    assert window.close()


def test_a_raci_workbook_goes_out_and_comes_back_through_the_window(
    window: MainWindow, tmp_path: Path, monkeypatch
) -> None:
    import openpyxl

    from smo_designer.app.raci_import_dialog import RaciImportDialog
    from smo_designer.formats.raci_xlsx import FIRST_ROLE_COLUMN, FIRST_ROW, ID_COLUMN, ID_ROW
    from smo_designer.model import smo

    window.open_file(str(ROOT / "samples" / "incident-management.bpmn"))
    before = window.document.content()
    workbook_path = tmp_path / "incident.xlsx"
    assert window.export_raci(workbook_path)
    workbook = openpyxl.load_workbook(workbook_path)
    sheet = workbook["IT service provider"]  # the pool's matrix
    activity_id = sheet.cell(FIRST_ROW, ID_COLUMN).value
    role_id = sheet.cell(ID_ROW, FIRST_ROLE_COLUMN).value
    sheet.cell(FIRST_ROW, FIRST_ROLE_COLUMN).value = "C"  # the room changed its mind
    workbook.save(workbook_path)

    shown = []

    def review(dialog: RaciImportDialog) -> int:
        shown.append([(c.where, c.now) for c in dialog.result.changes])
        return RaciImportDialog.DialogCode.Accepted

    monkeypatch.setattr(RaciImportDialog, "exec", review)
    assert window.import_raci(workbook_path)
    assert shown == [[(f"'{sheet.title}'!D{FIRST_ROW}", "C")]]
    assert smo.raci(window.document.element(activity_id))[role_id] == "C"
    assert window.controller.undo_stack.undoText() == "Import RACI sheet"
    window.controller.undo_stack.undo()
    assert window.document.content() == before
    window.controller.undo_stack.redo()
    window.controller.undo_stack.setClean()


def test_a_refused_workbook_changes_nothing(window: MainWindow, tmp_path: Path, monkeypatch) -> None:
    from smo_designer.app.raci_import_dialog import RaciImportDialog

    window.open_file(str(ROOT / "samples" / "incident-management.bpmn"))
    before = window.document.content()
    bad = tmp_path / "not-a-workbook.xlsx"
    bad.write_text("minutes of the meeting")
    reports = []
    monkeypatch.setattr(RaciImportDialog, "exec", lambda dialog: reports.append(dialog.report.toPlainText()) or 0)
    assert not window.import_raci(bad)
    assert reports and reports[0]
    assert window.document.content() == before and window.controller.undo_stack.count() == 0


def test_a_model_without_diagram_is_placed_on_open_as_one_undo_step(window: MainWindow, tmp_path: Path) -> None:
    from lxml import etree

    root = etree.fromstring((MIWG / "A.2.0.bpmn").read_bytes())
    for diagram in root.findall("{http://www.omg.org/spec/BPMN/20100524/DI}BPMNDiagram"):
        root.remove(diagram)
    source = tmp_path / "no-diagram.bpmn"
    source.write_bytes(etree.tostring(root))
    assert window.open_file(str(source))
    names = drawn_names(window)
    assert any(name.startswith("Task") for name in names)
    stack = window.controller.undo_stack
    assert stack.count() == 1 and stack.undoText() == "Place elements without a position"
    assert window.isWindowModified()
    stack.undo()
    assert window.scene.diagram_items() == []
    stack.redo()
    stack.setClean()


def test_a_policy_is_linked_to_the_activity_picked_on_the_canvas(window: MainWindow) -> None:
    assert window.open_file(str(ROOT / "samples" / "incident-management.bpmn"))
    linked = {link for policy in smo.policies(window.document) for link in policy.links}
    activity = next(a.id for a in window.document.root.iter() if a.local == "userTask" and a.id not in linked)
    assert "policy" not in window.scene.item_for(activity).look.badges
    window.policy_editor.select_policy(smo.policies(window.document)[0].id)
    window.scene.select_elements([activity])
    window.link_to_policy()
    assert activity in smo.policies(window.document)[0].links
    assert "policy" in window.scene.item_for(activity).look.badges  # the canvas shows the new link
    window.controller.undo_stack.undo()
    window.scene.flush()
    assert "policy" not in window.scene.item_for(activity).look.badges
    window.controller.undo_stack.setClean()


def test_new_from_template_and_recent_files_and_dropping_a_file(window: MainWindow, tmp_path: Path) -> None:
    from PySide6.QtCore import QMimeData, QPointF, QUrl
    from PySide6.QtGui import QDragEnterEvent, QDropEvent
    from PySide6.QtWidgets import QApplication

    from smo_designer.app.main_window import recent_files, templates

    assert templates(), "samples/ holds the templates"
    assert window.new_document(templates()[0])
    assert window.path is None and window.scene.diagram_items()
    assert window.new_document()
    assert window.scene.diagram_items() == [] and window.path is None

    model = tmp_path / "dropped.bpmn"
    model.write_bytes((MIWG / "A.1.0.bpmn").read_bytes())
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(model))])
    buttons, modifiers = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(QPoint(50, 50), Qt.DropAction.CopyAction, data, buttons, modifiers)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    QApplication.sendEvent(window, QDropEvent(QPointF(50, 50), Qt.DropAction.CopyAction, data, buttons, modifiers))
    assert window.path == model
    assert recent_files()[0] == str(model.resolve())
