"""The application's icons: one line-icon set in SVG that follows the light and dark themes, on
the menus' commands and on the main toolbar, and a window that stays sharp on a high-DPI
screen."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import ROOT
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QIcon, QImage, QKeySequence, QPalette, QPixmap
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QToolBar

from smo_designer.app.icons import ICON_FOLDER, MENU_ICONS, icon
from smo_designer.app.main_window import MainWindow

SCREENSHOTS = ROOT / "docs" / "screenshots"
APPLICATION_ICON = "smo-designer.svg"  # the program's own picture, in its own colours
ACTION_ICON_FILES = sorted(path for path in ICON_FOLDER.glob("*.svg") if path.name != APPLICATION_ICON)
SVG = "{http://www.w3.org/2000/svg}"


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
    return main_window


def light_palette() -> QPalette:
    palette = QPalette(QColor("#efefef"))
    palette.setColor(QPalette.ColorRole.WindowText, QColor("#1b1c20"))
    return palette


def dark_palette() -> QPalette:
    palette = QPalette(QColor("#2b2d31"))
    palette.setColor(QPalette.ColorRole.WindowText, QColor("#eceff4"))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText, QColor("#6b6f78"))
    return palette


def inked_colours(pixmap: QPixmap, coverage: int = 255) -> list[QColor]:
    """The colours of the pixels an icon covers, fully by default (its strokes, not their soft
    edges; at 16 px a 2-unit stroke is 1.33 pixels wide and rarely covers a pixel fully)."""
    image = pixmap.toImage()
    return [
        colour
        for y in range(image.height())
        for x in range(image.width())
        if (colour := image.pixelColor(x, y)).alpha() >= coverage
    ]


def stroke_colours(pixmap: QPixmap) -> set[str]:
    return {colour.name() for colour in inked_colours(pixmap)}


def screen_colours(widget) -> set[str]:
    """The colours a widget shows on the screen."""
    return stroke_colours(widget.grab())


def menu_commands(window: MainWindow) -> dict[tuple[str, str], object]:
    """The commands as a user finds them: menu title and item text."""
    found = {}
    for title in window.menuBar().actions():
        if title.menu() is not None:
            for action in title.menu().actions():
                if not action.isSeparator():
                    found[(title.text(), action.text())] = action
    return found


@pytest.mark.parametrize("path", ACTION_ICON_FILES, ids=lambda path: path.stem)
def test_every_icon_is_a_24_pixel_line_drawing_in_the_text_colour(path: Path, qapp) -> None:
    root = ET.parse(path).getroot()
    assert root.tag == f"{SVG}svg"
    assert root.get("viewBox") == "0 0 24 24"
    assert (root.get("stroke"), root.get("fill"), root.get("stroke-width")) == ("currentColor", "none", "2")
    assert (root.get("stroke-linecap"), root.get("stroke-linejoin")) == ("round", "round")
    # no colour of its own anywhere: the theme decides
    for element in root.iter():
        for attribute in ("stroke", "fill", "color", "style"):
            assert element.get(attribute) in (None, "none", "currentColor"), (element.tag, attribute)

    drawn = icon(path.stem, light_palette())
    for size in (16, 48):
        covered = inked_colours(drawn.pixmap(QSize(size, size), 1.0), coverage=128)
        assert len(covered) >= size, f"{path.stem} draws almost nothing at {size} px"
    assert stroke_colours(drawn.pixmap(QSize(48, 48), 1.0)) == {"#1b1c20"}


def test_an_icon_copied_and_given_another_picture_still_draws(qapp) -> None:
    # Qt copies the drawing of a shared icon before changing it; the copy must outlive the call
    original = icon("save", light_palette())
    copy = QIcon(original)
    copy.addPixmap(QPixmap(8, 8))
    del original
    gc.collect()
    assert stroke_colours(copy.pixmap(QSize(48, 48), 1.0)) == {"#1b1c20"}


def test_every_command_in_the_icon_table_is_in_its_menu_and_shows_its_icon(window: MainWindow) -> None:
    commands = menu_commands(window)
    missing = [key for key in MENU_ICONS if key not in commands]
    assert not missing, f"renamed or moved: {missing}"
    for key in MENU_ICONS:
        shown = commands[key].icon()
        assert not shown.isNull(), key
        assert inked_colours(shown.pixmap(QSize(16, 16), 1.0), coverage=128), key
    # the commands a facilitator reaches for every minute all have one
    assert {("&File", "&Save"), ("&Edit", "&Undo"), ("&Arrange", "Align &left"), ("&Lanes", "Add lane &above")} <= {
        key for key, action in commands.items() if not action.icon().isNull()
    }


def test_the_main_toolbar_holds_the_common_commands_and_its_undo_takes_back_an_edit(window: MainWindow) -> None:
    toolbar = window.findChild(QToolBar, "main_toolbar")
    assert toolbar is not None and toolbar.isVisible()
    assert window.toolBarArea(toolbar) == Qt.ToolBarArea.TopToolBarArea
    assert toolbar.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonIconOnly
    groups: list[list[str]] = [[]]
    for action in toolbar.actions():
        if action.isSeparator():
            groups.append([])
        else:
            tip = toolbar.widgetForAction(action).toolTip()
            key = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            assert key and tip.endswith(f" ({key})"), tip
            groups[-1].append(tip.removesuffix(f" ({key})"))
    assert groups == [
        ["New", "Open", "Save"],
        ["Undo", "Redo"],
        ["Cut", "Copy", "Paste", "Delete"],
        ["Zoom in", "Zoom out", "Fit the diagram"],
        ["Tidy up diagram", "Quick capture", "Presentation mode"],
    ]
    assert "Save (Ctrl+S)" in [toolbar.widgetForAction(action).toolTip() for action in toolbar.actions()]

    def button(tip: str):
        action = next(a for a in toolbar.actions() if toolbar.widgetForAction(a).toolTip().startswith(tip))
        return toolbar.widgetForAction(action)

    assert window.open_file(str(ROOT / "samples" / "incident-management.bpmn"))
    window.scene.select_elements(["Activity_CloseIncident"])
    QTest.mouseClick(button("Delete"), Qt.MouseButton.LeftButton)
    assert window.scene.item_for("Activity_CloseIncident") is None
    assert button("Undo").isEnabled() and button("Undo").toolTip() == "Undo Delete (Ctrl+Z)"
    QTest.mouseClick(button("Undo"), Qt.MouseButton.LeftButton)
    assert window.scene.item_for("Activity_CloseIncident") is not None


def test_a_dark_theme_redraws_the_icons_in_its_light_text_colour(window: MainWindow) -> None:
    commands = menu_commands(window)
    save, redo = commands[("&File", "&Save")], commands[("&Edit", "&Redo")]
    save_button = window.findChild(QToolBar, "main_toolbar").widgetForAction(save)
    app = QApplication.instance()
    before = app.palette()
    try:
        app.setPalette(light_palette())
        QApplication.processEvents()  # the change reaches the widgets as posted events
        assert stroke_colours(save.icon().pixmap(QSize(24, 24), 1.0)) == {"#1b1c20"}
        assert "#1b1c20" in screen_colours(save_button)
        app.setPalette(dark_palette())
        QApplication.processEvents()
        assert stroke_colours(save.icon().pixmap(QSize(24, 24), 1.0)) == {"#eceff4"}
        on_screen = screen_colours(save_button)
        assert "#eceff4" in on_screen and "#1b1c20" not in on_screen
        # nothing to redo yet: its button is greyed in the dark theme's disabled colour
        assert not redo.isEnabled()
        assert stroke_colours(redo.icon().pixmap(QSize(24, 24), 1.0, QIcon.Mode.Disabled)) == {"#6b6f78"}
    finally:
        app.setPalette(before)
        QApplication.processEvents()
    assert stroke_colours(save.icon().pixmap(QSize(24, 24), 1.0)) == {
        before.color(QPalette.ColorRole.WindowText).name()
    }


# --- high-DPI -----------------------------------------------------------------------------------

GRAB_AT_SCALE_2 = """
import json, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from smo_designer.app.main_window import MainWindow

app = QApplication(sys.argv[:1])
window = MainWindow()
window.show()
assert window.open_file(sys.argv[1])

def area(widget):
    corner = widget.mapTo(window, widget.rect().topLeft())
    return [corner.x(), corner.y(), widget.width(), widget.height()]

def grab():
    picture = window.grab()
    assert picture.save(sys.argv[2])
    print(json.dumps({
        "ratio": picture.devicePixelRatio(),
        "pixels": [picture.width(), picture.height()],
        "size": [window.width(), window.height()],
        "canvas": area(window.view.viewport()),
        "toolbar": area(window.icons.toolbar),
    }))
    for tab in window.document_tabs():
        tab.controller.undo_stack.setClean()
    window.close()

# as `smo-designer --screenshot` does: the overview map draws itself once the window has painted
QTimer.singleShot(500, grab)
app.exec()
"""


def sharp_edges(image: QImage, area: list[int], ratio: int) -> tuple[int, int]:
    """Hard edges (a jump of more than 100 grey levels between neighbours) inside what would be
    one pixel of a picture drawn at scale 1 and enlarged, and across such pixels. Enlarged
    pictures have none inside: their pixels come in identical or blended pairs."""
    x0, y0, width, height = (value * ratio for value in area)
    grey = image.convertToFormat(QImage.Format.Format_Grayscale8)
    line = grey.bytesPerLine()
    data = bytes(grey.constBits())
    inside = across = 0
    for y in range(y0, y0 + height):
        row = data[y * line + x0 : y * line + x0 + width]
        for x in range(width - 1):
            if abs(row[x] - row[x + 1]) > 100:
                if (x0 + x) % ratio == ratio - 1:
                    across += 1
                else:
                    inside += 1
    return inside, across


def test_at_twice_the_pixel_density_the_window_is_drawn_at_full_resolution(tmp_path: Path, private_journal) -> None:
    folder = SCREENSHOTS if os.environ.get("SMO_SCREENSHOTS") else tmp_path
    picture = folder / "main-window-hidpi.png"
    environment = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        QT_SCALE_FACTOR="2",
        SMO_DESIGNER_JOURNAL=str(private_journal),
        XDG_CONFIG_HOME=str(tmp_path),  # the session is remembered in the test's folder
    )
    run = subprocess.run(
        [sys.executable, "-c", GRAB_AT_SCALE_2, str(ROOT / "samples" / "incident-management.bpmn"), str(picture)],
        capture_output=True,
        text=True,
        timeout=120,
        env=environment,
        cwd=ROOT,
    )
    assert run.returncode == 0, run.stderr
    grabbed = json.loads(run.stdout.strip().splitlines()[-1])
    assert grabbed["ratio"] == 2.0
    assert grabbed["pixels"] == [2 * grabbed["size"][0], 2 * grabbed["size"][1]]
    image = QImage(str(picture))
    assert [image.width(), image.height()] == grabbed["pixels"]
    # the diagram's lines and labels and the toolbar's icons have hard edges inside a screen
    # point (an enlarged picture has none): they were drawn for the screen's pixels
    for part in ("canvas", "toolbar"):
        inside, across = sharp_edges(image, grabbed[part], 2)
        assert inside > 100 and inside > across / 10, (part, inside, across)
