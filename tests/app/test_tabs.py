"""Documents in tabs: each tab its own document, undo history, canvas and file; the panels, the
menus' canvas commands and the title follow the tab in front; opening, dropping, saving and
closing work tab by tab, and closing asks about unsaved changes first."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import MIWG, ROOT
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from smo_designer.app.main_window import MainWindow
from smo_designer.editors.raci_table import ACTIVITY_COLUMN
from smo_designer.formats.bpmn import read_bpmn
from smo_designer.model import bpmn as b
from smo_designer.model.di import Point
from smo_designer.modeling import shapes

INCIDENT = ROOT / "samples" / "incident-management.bpmn"
CHANGE = ROOT / "samples" / "change-enablement.bpmn"


@pytest.fixture
def window(qtbot) -> MainWindow:
    main_window = MainWindow()
    # closing asks about unsaved work: the tests leave some, in any tab
    qtbot.addWidget(
        main_window,
        before_close_func=lambda w: [tab.controller.undo_stack.setClean() for tab in w.document_tabs()],
    )
    with qtbot.waitExposed(main_window):
        main_window.show()
    main_window.activateWindow()
    return main_window


@pytest.fixture
def two_files(tmp_path: Path) -> tuple[Path, Path]:
    incident, change = tmp_path / "incident.bpmn", tmp_path / "change.bpmn"
    shutil.copy(INCIDENT, incident)
    shutil.copy(CHANGE, change)
    return incident, change


def tab_texts(window: MainWindow) -> list[str]:
    return [window.tabs.tabText(index) for index in range(window.tabs.count())]


def raci_activities(window: MainWindow) -> list[str]:
    """The activity names the RACI grid shows, top to bottom."""
    model = window.raci_editor.view.model()
    return [model.index(row, ACTIVITY_COLUMN).data() for row in range(model.rowCount())]


def history_lines(window: MainWindow) -> list[str]:
    """What the History panel lists: the opened state, then each step."""
    model = window.history.model()
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def rename(window: MainWindow, element_id: str, name: str) -> None:
    element = window.document.element(element_id)
    window.view.run("Rename", lambda doc: shapes.set_label(doc, element, name))


def trigger(window: MainWindow, title: str, text: str) -> None:
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == title)
    next(action for action in menu.actions() if action.text() == text).trigger()


def test_two_documents_in_two_tabs_keep_their_own_edits_and_undo(window: MainWindow, two_files) -> None:
    incident, change = two_files
    assert window.open_file(str(incident))
    assert window.open_file(str(change))
    # the untouched blank document of the start made way for the first file
    assert tab_texts(window) == ["incident.bpmn", "change.bpmn"]
    assert window.tabs.tabToolTip(0) == str(incident)
    first, second = window.document_tabs()
    assert window.current_tab is second
    untouched_incident = first.document.content()

    rename(window, "Activity_AuthoriseChange", "Authorise the change")
    assert tab_texts(window) == ["incident.bpmn", "change.bpmn*"]
    assert window.isWindowModified() and "change.bpmn" in window.windowTitle()
    assert first.document.content() == untouched_incident and not first.controller.modified

    window.show_tab(first)
    assert not window.isWindowModified() and "incident.bpmn" in window.windowTitle()
    rename(window, "Activity_LogIncident", "Log every incident")
    trigger(window, "&Edit", "&Undo Rename")  # the Edit menu's Undo is the tab in front's
    assert first.document.content() == untouched_incident
    assert b.name(second.document.element("Activity_AuthoriseChange")) == "Authorise the change"
    assert second.controller.undo_stack.count() == 1 and second.controller.modified


def test_the_panels_follow_the_tab_in_front(window: MainWindow, two_files) -> None:
    incident, change = two_files
    window.open_file(str(incident))
    rename(window, "Activity_LogIncident", "Log every incident")
    window.open_file(str(change))
    assert "Authorise change" in raci_activities(window) and "Log every incident" not in raci_activities(window)
    assert history_lines(window) == ["Opened"]
    assert window.workshop.capture_model.document is window.current_tab.document

    window.show_tab(window.document_tabs()[0])
    assert "Log every incident" in raci_activities(window) and "Authorise change" not in raci_activities(window)
    assert history_lines(window) == ["Opened", "Rename"]
    capture = window.workshop.capture_model
    assert "Log every incident" in [capture.index(row, 1).data() for row in range(capture.rowCount())]
    # a grid edit goes to the document in front, as one step of its history
    model = window.raci_model
    assert model.setData(model.index(0, 2), "C")
    assert history_lines(window) == ["Opened", "Rename", "Set RACI cell"]
    assert window.document_tabs()[1].controller.undo_stack.count() == 0
    # the properties panel shows the selection of the canvas in front
    window.scene.select_elements(["Activity_LogIncident"])
    assert window.properties.name.text() == "Log every incident"
    window.show_tab(window.document_tabs()[1])
    assert window.properties.name.text() == ""
    window.scene.select_elements(["Activity_AuthoriseChange"])
    assert window.properties.name.text() == "Authorise change"


def test_canvas_commands_act_on_the_tab_in_front(window: MainWindow, two_files) -> None:
    incident, change = two_files
    window.open_file(str(incident))
    window.open_file(str(change))
    first, second = window.document_tabs()
    first_zoom = first.view.zoom()
    second.view.set_zoom(1.0)
    trigger(window, "&View", "Zoom &in")
    assert second.view.zoom() == pytest.approx(1.25) and first.view.zoom() == first_zoom
    assert window.zoom_label.text() == "125 %"
    # a canvas key (Delete) works on the canvas in front, and deletes from its document only
    second.view.setFocus()
    window.scene.select_elements(["Activity_AuthoriseChange"])
    QTest.keyClick(second.view, Qt.Key.Key_Delete)
    assert second.document.element("Activity_AuthoriseChange") is None
    assert second.scene.item_for("Activity_AuthoriseChange") is None
    assert first.controller.undo_stack.count() == 0
    trigger(window, "&Edit", "&Find…")
    assert second.find_bar.isVisible() and not first.find_bar.isVisible()


def test_a_file_opened_in_a_new_tab_is_fitted_to_its_canvas(window: MainWindow, two_files) -> None:
    incident, change = two_files
    window.open_file(str(incident))
    window.open_file(str(change))
    QApplication.processEvents()
    view = window.view
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    assert visible.contains(window.scene.drawing_rect())
    # fitted to the canvas as laid out in the window, not to a default size: fitting again now
    # changes nothing
    opened_zoom = view.zoom()
    view.fit()
    assert view.zoom() == pytest.approx(opened_zoom, rel=0.02)


def test_opening_an_open_file_shows_its_tab(window: MainWindow, two_files) -> None:
    incident, change = two_files
    window.open_file(str(incident))
    window.open_file(str(change))
    rename(window, "Activity_AuthoriseChange", "Kept")
    assert window.open_file(str(incident))
    assert window.tabs.count() == 2 and window.path == incident
    assert "already open" in window.statusBar().currentMessage()
    # the same file by another way of writing its path
    assert window.open_file(str(change.parent / "." / change.name))
    assert window.tabs.count() == 2 and window.path == change
    assert b.name(window.document.element("Activity_AuthoriseChange")) == "Kept"  # not read again


def test_new_and_templates_open_tabs_and_only_an_untouched_blank_one_is_replaced(window: MainWindow, two_files) -> None:
    from smo_designer.app.main_window import templates

    incident, _change = two_files
    assert tab_texts(window) == ["Untitled 1"]
    assert window.new_document()
    assert tab_texts(window) == ["Untitled 1", "Untitled 2"]
    assert window.new_document(templates()[0])  # takes the place of the untouched Untitled 2
    assert tab_texts(window) == ["Untitled 1", "Untitled 2"] and window.scene.diagram_items()
    window.show_tab(window.document_tabs()[0])
    plane = window.scene.plane
    made = window.view.run(
        "Create", lambda doc: shapes.create_shape(doc, plane, shapes.ShapeSpec("task"), Point(200, 200))
    )
    assert made is not None
    window.controller.undo_stack.undo()  # touched, even with its edit undone: Redo would bring it back
    window.open_file(str(incident))
    assert tab_texts(window) == ["Untitled 1", "Untitled 2", "incident.bpmn"]


def test_dropping_two_files_opens_two_tabs(window: MainWindow, two_files) -> None:
    incident, change = two_files
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(incident)), QUrl.fromLocalFile(str(change))])
    buttons, modifiers = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(QPoint(50, 50), Qt.DropAction.CopyAction, data, buttons, modifiers)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    QApplication.sendEvent(window, QDropEvent(QPointF(50, 50), Qt.DropAction.CopyAction, data, buttons, modifiers))
    assert tab_texts(window) == ["incident.bpmn", "change.bpmn"]
    assert [tab.path for tab in window.document_tabs()] == [incident, change]


def test_save_saves_the_tab_in_front_only(window: MainWindow, two_files) -> None:
    incident, change = two_files
    window.open_file(str(incident))
    window.open_file(str(change))
    first, second = window.document_tabs()
    window.show_tab(first)
    rename(window, "Activity_LogIncident", "Not saved yet")
    window.show_tab(second)
    rename(window, "Activity_AuthoriseChange", "Saved with Ctrl+S")
    incident_bytes = incident.read_bytes()
    window.view.setFocus()
    QTest.keyClick(window.view, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert b.name(read_bpmn(change).document.element("Activity_AuthoriseChange")) == "Saved with Ctrl+S"
    assert incident.read_bytes() == incident_bytes
    assert tab_texts(window) == ["incident.bpmn*", "change.bpmn"]
    assert first.controller.modified and not second.controller.modified


def test_save_as_names_the_tab_after_its_new_file(window: MainWindow, tmp_path: Path, monkeypatch) -> None:
    window.new_document()
    target = tmp_path / "fresh.bpmn"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args: (str(target), ""))
    assert window.save()
    assert target.is_file()
    assert tab_texts(window)[-1] == "fresh.bpmn" and window.tabs.tabToolTip(window.tabs.currentIndex()) == str(target)


def test_closing_a_modified_tab_asks_and_cancel_keeps_it(window: MainWindow, two_files, monkeypatch) -> None:
    incident, change = two_files
    window.open_file(str(incident))
    window.open_file(str(change))
    rename(window, "Activity_AuthoriseChange", "Unsaved")
    second = window.current_tab
    window.journal.flush()
    journal = second.journal.snapshot
    assert journal.is_file()
    asked = []
    answer = QMessageBox.StandardButton.Cancel
    monkeypatch.setattr(QMessageBox, "question", lambda *args: asked.append(args[2]) or answer)
    window.view.setFocus()
    QTest.keyClick(window.view, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    assert asked == ["change.bpmn has changes that are not saved. Save them?"]
    assert tab_texts(window) == ["incident.bpmn", "change.bpmn*"]
    assert b.name(window.document.element("Activity_AuthoriseChange")) == "Unsaved"

    answer = QMessageBox.StandardButton.Discard
    assert window.close_tab()
    assert tab_texts(window) == ["incident.bpmn"]
    assert not journal.exists()  # discarded on purpose: nothing to offer back after a crash
    assert b.name(read_bpmn(change).document.element("Activity_AuthoriseChange")) == "Authorise change"
    # an unmodified tab closes without a question; the last one leaves a blank document
    asked.clear()
    assert window.close_tab()
    assert asked == [] and tab_texts(window) == ["Untitled 1"]
    assert window.raci_model.rowCount() == 0 and history_lines(window) == ["Opened"]


def test_closing_a_modified_tab_with_save_writes_its_file(window: MainWindow, two_files, monkeypatch) -> None:
    incident, _change = two_files
    window.open_file(str(incident))
    rename(window, "Activity_LogIncident", "Saved on close")
    monkeypatch.setattr(QMessageBox, "question", lambda *args: QMessageBox.StandardButton.Save)
    assert window.close_tab()
    assert b.name(read_bpmn(incident).document.element("Activity_LogIncident")) == "Saved on close"


def test_keys_switch_between_tabs(window: MainWindow, two_files) -> None:
    incident, change = two_files
    window.open_file(str(incident))
    window.open_file(str(change))
    window.new_document()
    tabs = window.document_tabs()
    window.view.setFocus()
    control = Qt.KeyboardModifier.ControlModifier
    QTest.keyClick(window.view, Qt.Key.Key_Tab, control)
    assert window.current_tab is tabs[0]  # from the last round to the first
    QTest.keyClick(window.view, Qt.Key.Key_PageDown, control)
    assert window.current_tab is tabs[1]
    QTest.keyClick(window.view, Qt.Key.Key_Backtab, control | Qt.KeyboardModifier.ShiftModifier)
    assert window.current_tab is tabs[0]
    QTest.keyClick(window.view, Qt.Key.Key_PageUp, control)
    assert window.current_tab is tabs[2]


def test_closing_the_window_asks_once_about_every_modified_document(
    window: MainWindow, two_files, tmp_path: Path, monkeypatch
) -> None:
    incident, change = two_files
    window.open_file(str(incident))
    rename(window, "Activity_LogIncident", "First edit")
    window.open_file(str(change))
    rename(window, "Activity_AuthoriseChange", "Second edit")
    window.new_document()
    plane = window.scene.plane
    window.view.run("Create", lambda doc: shapes.create_shape(doc, plane, shapes.ShapeSpec("task"), Point(200, 200)))
    asked = []
    answer = QMessageBox.StandardButton.Cancel
    monkeypatch.setattr(QMessageBox, "question", lambda *args: asked.append(args[2]) or answer)
    assert not window.close()
    assert len(asked) == 1
    assert "3 documents have changes that are not saved" in asked[0]
    assert all(f"• {name}" in asked[0] for name in ("incident.bpmn", "change.bpmn", "Untitled 1"))
    assert tab_texts(window) == ["incident.bpmn*", "change.bpmn*", "Untitled 1*"]

    # Save all: the files are written, the never-saved document asks where (Cancel there: the
    # window stays open, with what was saved so far saved)
    answer = QMessageBox.StandardButton.SaveAll
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args: ("", ""))
    assert not window.close()
    assert b.name(read_bpmn(incident).document.element("Activity_LogIncident")) == "First edit"
    assert b.name(read_bpmn(change).document.element("Activity_AuthoriseChange")) == "Second edit"
    assert tab_texts(window) == ["incident.bpmn", "change.bpmn", "Untitled 1*"]
    target = tmp_path / "third.bpmn"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args: (str(target), ""))
    window.show_tab(window.document_tabs()[0])
    rename(window, "Activity_LogIncident", "Edited again")
    asked.clear()
    assert window.close()
    assert len(asked) == 1 and target.is_file()
    assert b.name(read_bpmn(incident).document.element("Activity_LogIncident")) == "Edited again"


def test_discard_all_closes_the_window_and_forgets_the_journal(
    window: MainWindow, two_files, private_journal: Path, monkeypatch
) -> None:
    from smo_designer.app.journal import leftovers

    incident, change = two_files
    window.open_file(str(incident))
    rename(window, "Activity_LogIncident", "Dropped")
    window.open_file(str(change))
    rename(window, "Activity_AuthoriseChange", "Dropped too")
    for tab in window.document_tabs():
        tab.journal.flush()
    assert len(list(private_journal.glob("*.bpmn"))) == 2
    monkeypatch.setattr(QMessageBox, "question", lambda *args: QMessageBox.StandardButton.Discard)
    assert window.close()
    assert list(private_journal.glob("*.bpmn")) == [] and leftovers(private_journal) == []
    assert b.name(read_bpmn(incident).document.element("Activity_LogIncident")) == "Log incident"


def test_a_file_changed_on_disk_reloads_in_its_own_tab(window: MainWindow, two_files, qtbot) -> None:
    from smo_designer.formats.bpmn import write_bpmn

    incident, change = two_files
    window.open_file(str(incident))
    window.open_file(str(change))
    first = window.document_tabs()[0]
    other = read_bpmn(incident).document
    with other.edit("theirs"):
        b.set_name(other, other.element("Activity_LogIncident"), "Changed by another tool")
    write_bpmn(other, incident)
    qtbot.waitUntil(lambda: b.name(first.document.element("Activity_LogIncident")) == "Changed by another tool")
    assert first.scene.item_for("Activity_LogIncident").look.name == "Changed by another tool"
    assert window.path == change  # the tab in front stays in front
    assert "Authorise change" in raci_activities(window)


def test_a_model_without_a_diagram_is_placed_as_a_step_of_its_own_tab(window: MainWindow, tmp_path: Path) -> None:
    from lxml import etree

    root = etree.fromstring((MIWG / "A.2.0.bpmn").read_bytes())
    for diagram in root.findall("{http://www.omg.org/spec/BPMN/20100524/DI}BPMNDiagram"):
        root.remove(diagram)
    source = tmp_path / "no-diagram.bpmn"
    source.write_bytes(etree.tostring(root))
    window.open_file(str(INCIDENT))
    assert window.open_file(str(source))
    first, second = window.document_tabs()
    assert second.controller.undo_stack.undoText() == "Place elements without a position"
    assert history_lines(window) == ["Opened", "Place elements without a position"]
    assert tab_texts(window) == ["incident-management.bpmn", "no-diagram.bpmn*"]
    assert first.controller.undo_stack.count() == 0


def test_the_close_button_of_a_tab_behind_closes_that_tab(window: MainWindow, two_files, monkeypatch) -> None:
    incident, change = two_files
    window.open_file(str(incident))
    rename(window, "Activity_LogIncident", "Unsaved")
    window.open_file(str(change))
    asked = []
    monkeypatch.setattr(
        QMessageBox, "question", lambda *args: asked.append(args[2]) or QMessageBox.StandardButton.Cancel
    )
    window.tabs.tabCloseRequested.emit(0)  # the ✕ of incident.bpmn while change.bpmn is in front
    assert asked == ["incident.bpmn has changes that are not saved. Save them?"]
    assert window.path == incident  # brought to the front to be asked about
    monkeypatch.setattr(QMessageBox, "question", lambda *args: QMessageBox.StandardButton.Discard)
    window.show_tab(window.document_tabs()[1])
    window.tabs.tabCloseRequested.emit(0)
    assert tab_texts(window) == ["change.bpmn"] and window.path == change
