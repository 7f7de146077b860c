"""The palette's icons: drawn for each screen density and in the colours of the theme."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from smo_designer.canvas import notation
from smo_designer.canvas.palette import Palette


def opaque_colours(pixmap) -> set[str]:
    image = pixmap.toImage()
    return {
        colour.name()
        for y in range(image.height())
        for x in range(image.width())
        if (colour := image.pixelColor(x, y)).alpha() == 255
    }


def icon_of(palette: Palette, label_start: str):
    return next(action for entry, action in palette.entry_actions if entry.label.startswith(label_start)).icon()


def test_palette_icons_are_drawn_at_each_density_not_scaled(qtbot) -> None:
    palette = Palette(lambda entry: None)
    qtbot.addWidget(palette)
    for _entry, action in palette.entry_actions:
        for ratio in (1.0, 2.0, 3.0):
            pixmap = action.icon().pixmap(QSize(28, 28), ratio)
            assert pixmap.devicePixelRatio() == ratio
            assert pixmap.size() == QSize(round(28 * ratio), round(28 * ratio))


def test_palette_icons_follow_a_dark_theme(qtbot) -> None:
    palette = Palette(lambda entry: None)
    qtbot.addWidget(palette)
    dark = QPalette(QColor("#2b2d31"))
    dark.setColor(QPalette.ColorRole.WindowText, QColor("#eceff4"))
    light = QPalette(QColor("#efefef"))
    light.setColor(QPalette.ColorRole.WindowText, QColor("#1b1c20"))
    palette.setPalette(light)
    assert "#1b1c20" in opaque_colours(icon_of(palette, "Hand tool").pixmap(QSize(28, 28), 2.0))
    assert notation.LIGHT.fill.name() in opaque_colours(icon_of(palette, "Task").pixmap(QSize(28, 28), 2.0))
    palette.setPalette(dark)
    QApplication.processEvents()
    hand = opaque_colours(icon_of(palette, "Hand tool").pixmap(QSize(28, 28), 2.0))
    assert "#eceff4" in hand and "#1b1c20" not in hand
    task = opaque_colours(icon_of(palette, "Task").pixmap(QSize(28, 28), 2.0))
    assert notation.DARK.fill.name() in task and notation.LIGHT.fill.name() not in task


def test_the_text_annotation_icon_shows_its_bracket_and_lines_of_text(qtbot) -> None:
    palette = Palette(lambda entry: None)
    qtbot.addWidget(palette)
    image = icon_of(palette, "Text annotation").pixmap(QSize(28, 28), 1.0).toImage()
    inked_rows = {y for y in range(28) for x in range(28) if image.pixelColor(x, y).alpha() > 128}
    assert max(inked_rows) - min(inked_rows) >= 18  # the bracket spans most of the icon's height
