"""The session and the preferences: a window closed with files open comes back at the next start
with the same tabs, the same one in front, each at its zoom and place, and its panels as they
were; a vanished file is skipped with a word in the status bar; a file on the command line
opens alone; and each preference changes what the app does."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import ROOT
from PySide6.QtCore import QPoint, QPointF, QSettings, Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog, QInputDialog

from smo_designer.app import main as app_main
from smo_designer.app.main_window import MainWindow
from smo_designer.app.preferences import Preferences, PreferencesDialog, load_preferences
from smo_designer.canvas import notation
from smo_designer.canvas.palette import SHAPES
from smo_designer.model import di

INCIDENT = ROOT / "samples" / "incident-management.bpmn"
CHANGE = ROOT / "samples" / "change-enablement.bpmn"


@pytest.fixture(autouse=True)
def fresh_settings() -> None:
    """Each test starts from no session and default preferences (other tests' windows leave
    their sessions in the test run's settings)."""
    QSettings().clear()
    yield
    QSettings().clear()


@pytest.fixture
def make_window(qtbot):
    def make() -> MainWindow:
        window = MainWindow()
        qtbot.addWidget(
            window, before_close_func=lambda w: [t.controller.undo_stack.setClean() for t in w.document_tabs()]
        )
        with qtbot.waitExposed(window):
            window.show()
        return window

    return make


@pytest.fixture
def two_files(tmp_path: Path) -> tuple[Path, Path]:
    incident, change = tmp_path / "incident.bpmn", tmp_path / "change.bpmn"
    shutil.copy(INCIDENT, incident)
    shutil.copy(CHANGE, change)
    return incident, change


def centre_of_canvas(window: MainWindow) -> QPointF:
    view = window.view
    return view.mapToScene(view.viewport().rect().center())


def close_point(first: QPointF, second: QPointF, tolerance: float = 3.0) -> bool:
    return abs(first.x() - second.x()) <= tolerance and abs(first.y() - second.y()) <= tolerance


def test_a_session_comes_back_with_its_tabs_zoom_and_panels(make_window, two_files) -> None:
    incident, change = two_files
    first = make_window()
    screen = first.screen().availableGeometry()  # restoreGeometry keeps a window on its screen
    first.resize(screen.width() - 100, screen.height() - 120)
    assert first.open_file(str(incident)) and first.open_file(str(change))
    first.new_document()  # never saved: the journal's business, not the session's
    first.show_tab(first.document_tabs()[1])
    first.view.set_zoom(1.5)
    first.view.centerOn(QPointF(700, 300))
    change_centre = centre_of_canvas(first)
    first.show_tab(first.document_tabs()[0])
    first.view.set_zoom(0.8)
    incident_centre = centre_of_canvas(first)
    first.roles_dock.raise_()
    first.overview_dock.hide()
    assert first.close()

    second = make_window()
    assert second.overview_dock.isVisible()
    app_main.start_session(second, None)
    assert [tab.path for tab in second.document_tabs()] == [incident.resolve(), change.resolve()]
    assert [second.tabs.tabText(i) for i in range(second.tabs.count())] == ["incident.bpmn", "change.bpmn"]
    assert second.path == incident.resolve()  # the tab that was in front
    assert second.view.zoom() == pytest.approx(0.8)
    assert close_point(centre_of_canvas(second), incident_centre)
    assert second.zoom_label.text() == "80 %"
    second.show_tab(second.document_tabs()[1])
    QApplication.processEvents()
    assert second.view.zoom() == pytest.approx(1.5)
    assert close_point(centre_of_canvas(second), change_centre)
    assert not second.overview_dock.isVisible()
    assert second.size() == first.size()
    assert not second.roles_dock.visibleRegion().isEmpty()


def test_a_vanished_file_is_skipped_with_a_word_in_the_status_bar(make_window, two_files) -> None:
    incident, change = two_files
    first = make_window()
    first.open_file(str(incident))
    first.open_file(str(change))
    assert first.close()
    change.unlink()
    second = make_window()
    app_main.start_session(second, None)
    assert [tab.path for tab in second.document_tabs()] == [incident.resolve()]
    message = second.statusBar().currentMessage()
    assert "Not reopened from the last session" in message and "change.bpmn" in message


def test_a_file_on_the_command_line_opens_alone_with_the_panels_as_they_were(make_window, two_files) -> None:
    incident, change = two_files
    first = make_window()
    first.open_file(str(incident))
    first.kpis_dock.hide()
    assert first.close()
    second = make_window()
    app_main.start_session(second, str(change))
    assert [tab.path for tab in second.document_tabs()] == [change]
    assert not second.kpis_dock.isVisible()


def test_with_the_preference_off_nothing_is_reopened(make_window, two_files) -> None:
    incident, _change = two_files
    first = make_window()
    first.open_file(str(incident))
    first.set_preferences(Preferences(restore_session=False))
    assert first.close()
    second = make_window()
    app_main.start_session(second, None)
    assert [second.tabs.tabText(i) for i in range(second.tabs.count())] == ["Untitled 1"]


def test_recovered_edits_take_the_place_of_their_files_reopened_tab(make_window, two_files, monkeypatch) -> None:
    """The session reopens a file whose unsaved edits the journal kept: one tab, with the edits."""
    from PySide6.QtWidgets import QMessageBox

    from smo_designer.app import journal
    from smo_designer.formats.bpmn import read_bpmn
    from smo_designer.model import bpmn as b

    incident, _change = two_files
    first = make_window()
    first.open_file(str(incident))
    assert first.close()
    recovered = read_bpmn(incident).document
    with recovered.edit("lost edit"):
        b.set_name(recovered, recovered.element("Activity_LogIncident"), "Kept by the journal")
    entry = journal.Recoverable("crashed", incident.resolve(), "Incident", 0.0, incident)
    monkeypatch.setattr(journal, "leftovers", lambda folder=None: [entry])
    monkeypatch.setattr(journal, "recover", lambda _entry: recovered)
    monkeypatch.setattr(journal, "forget", lambda _entry: None)
    monkeypatch.setattr(QMessageBox, "question", lambda *args, **kwargs: QMessageBox.StandardButton.Yes)
    second = make_window()
    app_main.start_session(second, None)
    assert second.tabs.count() == 1 and second.tabs.tabText(0) == "incident.bpmn*"
    assert b.name(second.document.element("Activity_LogIncident")) == "Kept by the journal"


# --- preferences ---------------------------------------------------------------------------------


def test_the_preferences_dialog_saves_and_applies_what_is_chosen(make_window, monkeypatch) -> None:
    window = make_window()

    def choose(dialog: PreferencesDialog) -> int:
        assert dialog.grid_size.value() == 10 and dialog.restore_session.isChecked()
        dialog.restore_session.setChecked(False)
        dialog.grid_size.setValue(25)
        dialog.png_dpi.setValue(288)
        dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
        return PreferencesDialog.DialogCode.Accepted

    monkeypatch.setattr(PreferencesDialog, "exec", choose)
    window.activateWindow()
    QTest.keyClick(window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    chosen = Preferences(restore_session=False, grid_size=25, png_dpi=288, theme="dark")
    assert load_preferences() == chosen and window.preferences == chosen
    assert window.view.grid == 25 and window.scene.notation_palette is notation.DARK


def create_task_by_click(window: MainWindow, scene_point: QPointF) -> QPointF:
    """Place a task with the palette and a click; returns the centre the model gives it."""
    view = window.view
    view.set_zoom(1.0)
    view.centerOn(scene_point)
    task = next(entry for entry in SHAPES if entry.spec is not None and entry.spec.local == "task")
    view.set_tool("create", task.spec)
    point = view.mapFromScene(scene_point)
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)
    window.view.set_tool("select")
    element = window.scene.selected_elements()[0]
    bounds = di.bounds(di.shapes_by_element(window.document)[element.id][0])
    return QPointF(bounds.x + bounds.width / 2, bounds.y + bounds.height / 2)


def test_grid_snapping_follows_the_preference(make_window) -> None:
    window = make_window()
    window.set_preferences(Preferences(grid_size=25))
    window.new_document()  # a tab made after the change snaps too
    clicked = QPointF(213, 187)
    centre = create_task_by_click(window, clicked)
    assert (centre.x() % 25, centre.y() % 25) == (0, 0)
    assert close_point(centre, clicked, 12.5)
    window.set_preferences(Preferences(snap_to_grid=False))
    clicked = QPointF(413, 287)
    view = window.view
    centre = create_task_by_click(window, clicked)
    exact = view.mapToScene(view.mapFromScene(clicked))  # the scene point of the pixel clicked
    assert close_point(centre, exact, 0.5) and centre.x() % 5 != 0


def test_the_png_resolution_proposed_is_the_preferred_one(make_window, tmp_path: Path, monkeypatch) -> None:
    window = make_window()
    window.open_file(str(INCIDENT))
    proposed = []

    def ask_dpi(parent, title, label, value, *limits):
        proposed.append(value)
        return value, True

    monkeypatch.setattr(QInputDialog, "getInt", ask_dpi)
    sizes = []
    for dpi in (96, 288):
        window.set_preferences(Preferences(png_dpi=dpi))
        target = tmp_path / f"picture-{dpi}.png"
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, t=target: (str(t), ""))
        window._choose_image_export()
        sizes.append(QImage(str(target)).width())
    assert proposed == [96, 288]
    assert sizes[1] == pytest.approx(sizes[0] * 3, abs=3)


def background_of(window: MainWindow) -> QColor:
    """The colour of an empty spot of the canvas, as painted."""
    picture = window.view.viewport().grab().toImage()
    return picture.pixelColor(QPoint(5, 5))


def test_the_diagram_colours_follow_the_preference_or_the_system(make_window) -> None:
    window = make_window()
    window.open_file(str(INCIDENT))
    window.new_document()
    window.set_preferences(Preferences(theme="dark"))
    assert all(tab.scene.notation_palette is notation.DARK for tab in window.document_tabs())
    assert background_of(window).lightness() < 60
    window.new_document()  # new tabs take the chosen colours too
    assert window.scene.notation_palette is notation.DARK
    window.set_preferences(Preferences(theme="light"))
    assert background_of(window).lightness() > 200
    # following the system: a dark window palette gives the dark diagram
    window.set_preferences(Preferences(theme="system"))
    assert window.scene.notation_palette is notation.LIGHT
    dark = QPalette()
    dark.setColor(QPalette.ColorRole.Window, QColor("#202020"))
    window.setPalette(dark)
    assert all(tab.scene.notation_palette is notation.DARK for tab in window.document_tabs())
