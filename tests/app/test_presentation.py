"""Presentation mode as a facilitator uses it at the projector: F5, the activities stepped through
in flow order with the current one highlighted and its RACI in large type, a lane zoomed to, and
Escape giving the window back exactly as it was."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import ROOT
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontInfo
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDockWidget

from smo_designer.app.main_window import MainWindow
from smo_designer.app.presentation import presentation_steps
from smo_designer.formats.bpmn import read_bpmn
from smo_designer.model import bpmn as b
from smo_designer.model import di, raci, smo

SAMPLE = ROOT / "samples" / "incident-management.bpmn"
SCREENSHOTS = ROOT / "docs" / "screenshots"


@pytest.fixture
def window(qtbot) -> MainWindow:
    main_window = MainWindow()
    qtbot.addWidget(main_window, before_close_func=lambda w: w.controller.undo_stack.setClean())
    main_window.resize(1300, 850)
    with qtbot.waitExposed(main_window):
        main_window.show()
    main_window.activateWindow()
    assert main_window.open_file(str(SAMPLE))
    return main_window


def key(window: MainWindow, which: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(window.view if window.view.hasFocus() else window, which, modifier)


def visible_docks(window: MainWindow) -> list[str]:
    return sorted(d.objectName() for d in window.findChildren(QDockWidget) if d.isVisible())


def highlighted(window: MainWindow) -> str | None:
    """The activity the highlight frames on the canvas."""
    mode = window.workshop.presentation
    frame = mode.highlight.sceneBoundingRect()
    framed = [
        item.element_id
        for item in window.scene.diagram_items()
        if item.element is not None
        and item.element.local in b.RACI_ACTIVITY_TYPES
        and frame.contains(item.sceneBoundingRect())
        and item.sceneBoundingRect().width() > frame.width() * 0.6
    ]
    assert len(framed) == 1, framed
    return framed[0]


def test_the_steps_follow_the_flow() -> None:
    document = read_bpmn(SAMPLE).document
    plane = di.plane(di.diagrams(document)[0])
    steps = presentation_steps(document, plane)
    process = b.processes(document)[0]
    in_flow_order = [n.id for n in raci.flow_order(process) if n.local in b.RACI_ACTIVITY_TYPES]
    assert steps[: len(in_flow_order)] == in_flow_order
    assert len(steps) == len({row.activity_id for row in raci.raci_rows(document)})


def test_presenting_steps_through_the_flow_and_escape_restores_the_window(
    window: MainWindow, qtbot, tmp_path: Path
) -> None:
    mode = window.workshop.presentation
    window.view.set_zoom(0.8)
    window.view.centerOn(200, 150)
    docks = visible_docks(window)
    geometry = window.geometry()
    zoom = window.view.zoom()
    centre = window.view.mapToScene(window.view.viewport().rect().center())
    document = window.document
    before = document.content()

    key(window, Qt.Key.Key_F5)
    assert mode.active and window.isFullScreen()
    screen = window.screen().geometry()
    qtbot.waitUntil(lambda: window.geometry() == screen and window.view.viewport().width() > screen.width() - 30)
    qtbot.waitUntil(lambda: mode.card.geometry().bottom() > screen.height() - 60)
    assert visible_docks(window) == [] and not window.menuBar().isVisible() and not window.statusBar().isVisible()
    assert not window.tabs.tabBar().isVisible()  # one diagram for the room, no document tabs
    assert not window.palette_bar.isVisible()
    steps = mode.steps
    assert len(steps) >= 5
    # the first activity of the flow is framed, and the card names it with its RACI in large type
    assert highlighted(window) == steps[0]
    first = document.element(steps[0])
    card = mode.card.text()
    assert card.splitlines()[0] == b.name(first)
    assert f"Step 1 of {len(steps)}" in card
    names = {role.id: role.name for role in smo.roles(document)}
    for role, letters in smo.raci(first).items():
        for letter in letters:
            line = next(line for line in card.splitlines() if line.startswith(f"{letter} "))
            assert names[role] in line
    # large type: the card's text is well above the size of the application's own text
    ui_text = QFontInfo(QApplication.font()).pixelSize()
    assert mode.card.isVisible() and mode.card.title_font.pixelSize() >= 2 * ui_text
    assert mode.card.body_font.pixelSize() >= 1.5 * ui_text

    key(window, Qt.Key.Key_Right)
    assert highlighted(window) == steps[1] and mode.card.text().splitlines()[0] == b.name(document.element(steps[1]))
    key(window, Qt.Key.Key_Space)
    assert highlighted(window) == steps[2]
    key(window, Qt.Key.Key_Left)
    key(window, Qt.Key.Key_Left)
    assert highlighted(window) == steps[0]
    key(window, Qt.Key.Key_Left)  # nothing before the first
    assert highlighted(window) == steps[0]

    # L: the current activity's lane fills the height above the card, the activity in sight
    key(window, Qt.Key.Key_Right)
    key(window, Qt.Key.Key_L)
    current = window.scene.item_for(steps[1]).sceneBoundingRect()
    lane_id = next(row.lane_id for row in raci.raci_rows(document) if row.activity_id == steps[1])
    lane = window.scene.item_for(lane_id).sceneBoundingRect()
    open_area = window.view.mapToScene(mode._open_area()).boundingRect()
    assert open_area.contains(current)
    assert lane.height() * window.view.zoom() > 0.6 * mode._open_area().height()
    # F: back to the whole diagram (or, too small to read, the activity at a readable size)
    key(window, Qt.Key.Key_F)
    assert window.view.mapToScene(mode._open_area()).boundingRect().contains(current)

    # keys that would edit do nothing while presenting
    key(window, Qt.Key.Key_Delete)
    key(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    key(window, Qt.Key.Key_T)
    assert document.content() == before and mode.active

    folder = SCREENSHOTS if os.environ.get("SMO_SCREENSHOTS") else tmp_path
    key(window, Qt.Key.Key_Right)
    assert window.grab().save(str(folder / "presentation.png"))

    key(window, Qt.Key.Key_Escape)
    assert not mode.active and not window.isFullScreen()
    assert visible_docks(window) == docks
    assert window.geometry() == geometry
    assert window.menuBar().isVisible() and window.statusBar().isVisible() and window.palette_bar.isVisible()
    assert window.tabs.tabBar().isVisible()
    assert window.view.zoom() == pytest.approx(zoom)
    restored = window.view.mapToScene(window.view.viewport().rect().center())
    assert abs(restored.x() - centre.x()) < 2 and abs(restored.y() - centre.y()) < 2
    assert mode.highlight is None and not [i for i in window.scene.items() if i.zValue() >= 1000]
    assert window.view.isInteractive()
    # F5 again presents again, and leaves with F5 too
    key(window, Qt.Key.Key_F5)
    assert mode.active
    key(window, Qt.Key.Key_F5)
    assert not mode.active and window.geometry() == geometry


def test_a_diagram_without_activities_says_so(qtbot) -> None:
    main_window = MainWindow()
    qtbot.addWidget(main_window)
    workshop = main_window.workshop
    with qtbot.waitExposed(main_window):
        main_window.show()
    workshop.presentation.enter()
    assert workshop.presentation.steps == []
    assert workshop.presentation.card.text().startswith("Nothing to present")
    QTest.keyClick(main_window, Qt.Key.Key_Right)
    QTest.keyClick(main_window, Qt.Key.Key_Escape)
    assert not workshop.presentation.active
