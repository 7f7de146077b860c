"""The main window opens a model, shows its outline and problems, and refuses bad files with
one clear message."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import MIWG, ROOT
from PySide6.QtWidgets import QMessageBox

from smo_designer.app.main_window import MainWindow


@pytest.fixture
def window(qtbot) -> MainWindow:
    main_window = MainWindow()
    qtbot.addWidget(main_window)
    main_window.show()
    return main_window


def outline_texts(window: MainWindow) -> list[str]:
    texts = []
    stack = [window.outline.topLevelItem(i) for i in range(window.outline.topLevelItemCount())]
    while stack:
        item = stack.pop()
        texts.append(item.text(0))
        stack.extend(item.child(i) for i in range(item.childCount()))
    return texts


def test_opening_a_model_shows_its_lanes_and_tasks(window: MainWindow) -> None:
    assert window.open_file(str(MIWG / "A.4.0.bpmn"))
    assert "A.4.0.bpmn" in window.windowTitle()
    texts = outline_texts(window)
    assert "Lane 1" in texts and "Lane 2" in texts
    assert "Task 1" in texts
    assert window.problems.count() == 0


def test_opening_the_sample_shows_its_roles(window: MainWindow) -> None:
    sample = ROOT / "samples" / "incident-management.bpmn"
    if not sample.exists():
        pytest.skip("the sample is built by tools/build_samples.py")
    assert window.open_file(str(sample))
    kinds = []
    stack = [window.outline.topLevelItem(i) for i in range(window.outline.topLevelItemCount())]
    while stack:
        item = stack.pop()
        kinds.append(item.text(1))
        stack.extend(item.child(i) for i in range(item.childCount()))
    assert any(kind.startswith("lane · role") for kind in kinds)


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
