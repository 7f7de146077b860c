"""The workshop tools in the main window: quick capture typed with the keyboard draws the diagram
on the canvas (one undo step per cell, through the window's own Undo), tidy up of the diagram
and of the selection, and a step table imported into a new diagram."""

from __future__ import annotations

import os
from pathlib import Path

import openpyxl
import pytest
from bpmn_checks import moddle_warnings, xsd_errors
from conftest import MIWG, ROOT
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLineEdit, QMessageBox

from smo_designer.app.main_window import MainWindow
from smo_designer.app.workshop import Workshop
from smo_designer.canvas.items import ShapeItem
from smo_designer.formats.step_table import step_nodes
from smo_designer.model import bpmn as b
from smo_designer.model import di, smo

SCREENSHOTS = ROOT / "docs" / "screenshots"

STEPS = [
    ("Incident reported", "Service desk agent", "start", "2"),
    ("Log and categorise", "Service desk agent", "", "3"),
    ("Known error?", "Service desk agent", "decision", "yes: 4, no: 5"),
    ("Apply workaround", "Service desk agent", "", "7"),
    ("Investigate and diagnose", "Support specialist", "", "6"),
    ("Resolve and recover", "Support specialist", "", "7"),
    ("Confirm with the user", "Service desk agent", "", "8"),
    ("Close incident", "Incident manager", "", "9"),
    ("Incident closed", "Incident manager", "end", ""),
]


@pytest.fixture
def window(qtbot) -> MainWindow:
    main_window = MainWindow()
    # closing asks about unsaved work: the tests leave some
    qtbot.addWidget(
        main_window,
        before_close_func=lambda w: [tab.controller.undo_stack.setClean() for tab in w.document_tabs()],
    )
    with qtbot.waitExposed(main_window):
        main_window.show()
    main_window.activateWindow()
    return main_window


def menu_texts(window: MainWindow, title: str) -> list[str]:
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == title)
    return [action.text() for action in menu.actions() if not action.isSeparator()]


def trigger(window: MainWindow, title: str, text: str) -> None:
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == title)
    next(action for action in menu.actions() if action.text() == text).trigger()


def editing(view) -> bool:
    return view.state() == QAbstractItemView.State.EditingState


def type_text(view, text: str) -> None:
    if not isinstance(QApplication.focusWidget(), QLineEdit):
        QTest.keyClicks(view, text[:1])  # the first key opens the cell's editor
        text = text[1:]
    QTest.keyClicks(QApplication.focusWidget(), text)


def type_steps(qtbot, view, steps) -> None:
    for step in steps:
        fields = list(step)
        while fields and not fields[-1]:
            fields.pop()
        for position, text in enumerate(fields):
            if text:
                type_text(view, text)
            if position < len(fields) - 1:
                QTest.keyClick(QApplication.focusWidget() if editing(view) else view, Qt.Key.Key_Tab)
        QTest.keyClick(QApplication.focusWidget() if editing(view) else view, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: not editing(view))


def save_screenshot(widget, name: str, tmp_path: Path) -> Path:
    """A picture of what the user sees; into docs/screenshots when SMO_SCREENSHOTS is set."""
    folder = SCREENSHOTS if os.environ.get("SMO_SCREENSHOTS") else tmp_path
    path = folder / name
    assert widget.grab().save(str(path))
    return path


def test_the_workshop_commands_are_in_the_menus_with_their_keys(window: MainWindow) -> None:
    assert "Import &step table…" in menu_texts(window, "&File")
    file_items = menu_texts(window, "&File")
    assert file_items.index("Import &step table…") == file_items.index("&Import RACI workbook…") + 1
    assert {"&Tidy up diagram", "Tidy up se&lection"} <= set(menu_texts(window, "&Arrange"))
    assert {"&Presentation mode", "&Quick capture", "Quick capture"} <= set(menu_texts(window, "&View"))
    keys = {a.text(): a.shortcut().toString() for a in window.actions()}
    assert keys["&Tidy up diagram"] == "Ctrl+Shift+T" and keys["&Presentation mode"] == "F5"
    from smo_designer.app.shortcuts_dialog import shortcut_rows

    listed = {command for _menu, command, _keys in shortcut_rows(window)}
    assert {"Tidy up diagram", "Presentation mode", "Import step table", "Quick capture"} <= listed


def test_quick_capture_in_the_window_draws_the_diagram_as_steps_are_typed(
    window: MainWindow, qtbot, tmp_path: Path
) -> None:
    start = window.document.content()
    for dock in (window.properties_dock, window.overview_dock, window.history_dock):
        dock.close()  # a facilitator gives the canvas the room
    QTest.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    workshop: Workshop = window.workshop
    view = workshop.capture_editor.view
    qtbot.waitUntil(lambda: workshop.capture_dock.isVisible() and view.hasFocus())
    type_steps(qtbot, view, STEPS)
    # the canvas shows the pool, the three lanes and the nine steps, each inside its lane
    process = b.processes(window.document)[0]
    lanes = {b.name(lane): lane for lane in b.lanes(process)}
    assert list(lanes) == ["Service desk agent", "Support specialist", "Incident manager"]
    items = {item.element_id: item for item in window.scene.diagram_items() if isinstance(item, ShapeItem)}
    nodes = step_nodes(process)
    assert [b.name(n) for n in nodes] == [s for s, *_ in STEPS]
    assert [n.local for n in nodes][:3] == ["startEvent", "task", "exclusiveGateway"] and nodes[-1].local == "endEvent"
    for node, (_name, role, _kind, _next) in zip(nodes, STEPS, strict=True):
        lane_rect = items[lanes[role].id].sceneBoundingRect()
        assert lane_rect.contains(items[node.id].sceneBoundingRect().center())
    # the last step typed is selected on the canvas: the room sees where the cursor is
    assert window.document.element(view.capture_model().rows[-1].element_id) is nodes[-1]
    roles = {role.name: role.id for role in smo.roles(window.document)}
    assert smo.raci(nodes[4]) == {roles["Support specialist"]: "R"}
    save_screenshot(window, "quick-capture.png", tmp_path)
    # the window's Undo takes the cells back one by one, to the blank model; Redo replays them
    typed = window.document.content()
    steps = window.controller.undo_stack.count()
    assert steps == sum(1 for step in STEPS for text in step if text)
    for _ in range(steps):
        QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.document.content() == start
    qtbot.waitUntil(lambda: workshop.capture_model.rowCount() == 1)
    assert not [item for item in window.scene.diagram_items() if isinstance(item, ShapeItem)]
    window.controller.undo_stack.setIndex(steps)
    assert window.document.content() == typed
    qtbot.waitUntil(lambda: workshop.capture_model.rowCount() == len(STEPS) + 1)
    saved = tmp_path / "captured.bpmn"
    window.controller.save(saved)
    assert xsd_errors(saved.read_bytes()) == []


def test_a_captured_diagram_is_read_by_bpmn_moddle_without_a_warning(
    window: MainWindow, qtbot, tmp_path: Path, bpmn_moddle: Path
) -> None:
    model = window.workshop.capture_model
    for row, (name, role, kind, _next) in enumerate(STEPS):
        model.setData(model.index(row, 1), name)
        model.setData(model.index(row, 2), role)
        if kind:
            model.setData(model.index(row, 3), kind)
    for row, (*_rest, nxt) in enumerate(STEPS):
        model.setData(model.index(row, 4), nxt)
    saved = tmp_path / "captured.bpmn"
    window.controller.save(saved)
    assert xsd_errors(saved.read_bytes()) == []
    assert moddle_warnings(bpmn_moddle, [saved]) == {str(saved): []}


def test_the_table_follows_an_opened_file(window: MainWindow, qtbot) -> None:
    assert window.open_file(str(ROOT / "samples" / "incident-management.bpmn"))
    model = window.workshop.capture_model
    names = [model.index(row, 1).data() for row in range(model.rowCount() - 1)]
    assert "Log incident" in names or any("incident" in (name or "").lower() for name in names)
    # an edit in the table goes to the opened document, on its canvas
    row = names.index(next(n for n in names if n))
    assert model.setData(model.index(row, 1), "Renamed in the workshop")
    assert window.scene.document is window.document
    element = window.document.element(model.rows[row].element_id)
    assert b.name(element) == "Renamed in the workshop"


def test_tidy_up_lays_out_a_file_in_one_undo_step(window: MainWindow, qtbot) -> None:
    assert window.open_file(str(MIWG / "A.4.0.bpmn"))
    before = window.document.content()
    stack = window.controller.undo_stack
    QTest.keyClick(window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert stack.count() == 1 and stack.undoText() == "Tidy up"
    assert window.document.content() != before
    assert "Tidied up the diagram" in window.statusBar().currentMessage()
    tidy = window.document.content()
    trigger(window, "&Arrange", "&Tidy up diagram")  # tidy already: no second step
    assert stack.count() == 1 and window.document.content() == tidy
    assert window.statusBar().currentMessage() == "Already tidy"
    stack.undo()
    assert window.document.content() == before


def test_tidy_up_selection_moves_only_the_chosen_steps(window: MainWindow) -> None:
    from smo_designer.modeling import shapes

    assert window.open_file(str(MIWG / "A.4.0.bpmn"))
    stack = window.controller.undo_stack
    trigger(window, "&Arrange", "Tidy up se&lection")
    assert stack.count() == 0 and "Select the steps" in window.statusBar().currentMessage()
    process = b.processes(window.document)[0]
    tasks = [e for e in b.flow_elements(process) if e.local == "task"][:2]
    untouched = next(e for e in b.flow_elements(process) if e.local.endswith("Event"))
    index = di.shapes_by_element(window.document)
    untouched_bounds = di.bounds(index[untouched.id][0])
    plane = window.scene.plane
    window.view.run("Move", lambda doc: shapes.move_elements(doc, plane, [index[tasks[1].id][0]], 23, 17))
    moved = di.bounds(index[tasks[1].id][0])
    window.scene.select_elements([task.id for task in tasks])
    trigger(window, "&Arrange", "Tidy up se&lection")
    assert stack.count() == 2 and stack.undoText() == "Tidy up selection"
    assert di.bounds(index[tasks[1].id][0]) != moved
    assert di.bounds(di.shapes_by_element(window.document)[untouched.id][0]) == untouched_bounds
    stack.undo()
    assert di.bounds(index[tasks[1].id][0]) == moved


def write_table(path: Path, rows: list[tuple]) -> Path:
    workbook = openpyxl.Workbook()
    workbook.active.append(["Step", "Role", "Kind", "Next", "Description"])
    for row in rows:
        workbook.active.append(list(row))
    workbook.save(path)
    return path


def test_importing_a_step_table_opens_a_new_unsaved_diagram(window: MainWindow, qtbot, tmp_path: Path) -> None:
    rows = [(name, role, kind, nxt, f"About {name}") for name, role, kind, nxt in STEPS]
    path = write_table(tmp_path / "incident-steps.xlsx", rows)
    assert window.workshop.import_step_table(path)
    document = window.document
    assert [b.name(p) for p in b.participants(document)] == ["Incident steps"]
    assert window.path is None and window.isWindowModified()
    assert "unsaved" in window.windowTitle()
    assert window.controller.undo_stack.count() == 0
    assert "Imported 9 steps in 3 lanes" in window.statusBar().currentMessage()
    # the canvas, the RACI grid and the quick-capture table show the new diagram
    assert {b.name(i.element) for i in window.scene.diagram_items() if i.element is not None} >= {"Known error?"}
    assert window.raci_model.rowCount() >= 5
    model = window.workshop.capture_model
    assert model.rowCount() == len(STEPS) + 1 and model.index(2, 4).data() == "yes: 4, no: 5"


def test_a_step_table_with_bad_rows_is_refused_and_the_open_model_stays(
    window: MainWindow, tmp_path: Path, monkeypatch
) -> None:
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    path = write_table(tmp_path / "bad.xlsx", [("A", "Agent", "task", "5", ""), ("", "Agent", "task", "", "")])
    before = window.document
    assert not window.workshop.import_step_table(path)
    assert window.document is before
    assert len(shown) == 1 and "nothing imported, 2 problems" in shown[0]
    assert "row 2: next step 5 does not exist" in shown[0] and "row 3: the step has no name" in shown[0]


def test_importing_beside_unsaved_changes_keeps_them_in_their_own_tab(window: MainWindow, tmp_path: Path) -> None:
    model = window.workshop.capture_model
    model.setData(model.index(0, 1), "Unsaved work")
    first = window.current_tab
    before = window.document.content()
    path = write_table(tmp_path / "steps.xlsx", [("A", "Agent", "task", "", "")])
    assert window.workshop.import_step_table(path)  # no question: nothing is replaced
    assert window.tabs.count() == 2 and window.current_tab is not first
    assert [b.name(p) for p in b.participants(window.document)] == ["Steps"]
    assert window.tabs.tabText(window.tabs.currentIndex()) == "Untitled 2*"
    # the unsaved work is where it was, untouched, and the capture table follows the tab in front
    assert first.document.content() == before and first.controller.modified
    assert model.rowCount() == 2 and model.index(0, 1).data() == "A"
    window.show_tab(first)
    assert model.index(0, 1).data() == "Unsaved work"
    first.controller.undo_stack.setClean()
