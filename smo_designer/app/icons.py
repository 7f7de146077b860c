"""The application's icon set on its actions (app layer).

One line icon per action, drawn in SVG (`resources/icons/NAME.svg`: 24 × 24, 2 px round strokes
in `currentColor`) and coloured with the window's text colour, so that the set follows the light
and dark themes. `install_icons(window)` puts them on the menus' actions, which it finds by
their menu and text the way the user reads them, and adds the main toolbar with the commands
used most; `window.icons` keeps what it made.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import shiboken6
from PySide6.QtCore import QByteArray, QEvent, QObject, QRectF, QSize, Qt
from PySide6.QtGui import QAction, QColor, QIcon, QIconEngine, QKeySequence, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QMainWindow, QMenu, QToolBar

# beside the package in a checkout, and in the installed bundle, which ships resources/
ICON_FOLDER = Path(__file__).resolve().parents[2] / "resources" / "icons"

# (menu title, action text) → icon name: the texts are the menus' own, ampersands included, so
# that renaming a command in its menu shows here (a test checks every entry against the menus)
MENU_ICONS: dict[tuple[str, str], str] = {
    ("&File", "&New"): "new",
    ("&File", "&Open…"): "open",
    ("&File", "&Save"): "save",
    ("&File", "Save &As…"): "save-as",
    ("&File", "&Close"): "close",
    ("&File", "Export &picture (PNG, SVG, PDF)…"): "export-picture",
    ("&File", "Export process &guide (HTML, PDF)…"): "export-guide",
    ("&File", "Print pre&view…"): "print-preview",
    ("&File", "&Print…"): "print",
    ("&File", "Export RACI &workbook…"): "export-raci",
    ("&File", "&Import RACI workbook…"): "import-raci",
    ("&File", "Import &step table…"): "import-steps",
    ("&File", "&Quit"): "quit",
    ("&Edit", "&Undo"): "undo",
    ("&Edit", "&Redo"): "redo",
    ("&Edit", "Cu&t"): "cut",
    ("&Edit", "&Copy"): "copy",
    ("&Edit", "&Paste"): "paste",
    ("&Edit", "&Delete"): "delete",
    ("&Edit", "Select &all"): "select-all",
    ("&Edit", "&Rename"): "rename",
    ("&Edit", "Change &type…"): "change-type",
    ("&Edit", "&Find…"): "find",
    ("&Edit", "&Link to the chosen policy"): "link-policy",
    ("&Edit", "Pre&ferences…"): "preferences",
    ("&Arrange", "Align &left"): "align-left",
    ("&Arrange", "Align &centre"): "align-centre",
    ("&Arrange", "Align &right"): "align-right",
    ("&Arrange", "Align &top"): "align-top",
    ("&Arrange", "Align &middle"): "align-middle",
    ("&Arrange", "Align &bottom"): "align-bottom",
    ("&Arrange", "Distribute &horizontally"): "distribute-horizontally",
    ("&Arrange", "Distribute &vertically"): "distribute-vertically",
    ("&Arrange", "&Tidy up diagram"): "tidy-up",
    ("&Arrange", "Tidy up se&lection"): "tidy-up-selection",
    ("&Lanes", "Add lane &above"): "lane-above",
    ("&Lanes", "Add lane &below"): "lane-below",
    ("&Lanes", "Split lane in &two"): "split-lane",
    ("&Lanes", "Split lane in t&hree"): "split-lane-three",
    ("&Lanes", "Move lane &up"): "move-lane-up",
    ("&Lanes", "Move lane &down"): "move-lane-down",
    ("&Tools", "&Select"): "select",
    ("&View", "Zoom &in"): "zoom-in",
    ("&View", "Zoom &out"): "zoom-out",
    ("&View", "&Fit the diagram"): "zoom-fit",
    ("&View", "&Actual size (100 %)"): "zoom-100",
    ("&View", "Zoom to &selection"): "zoom-selection",
    ("&View", "&Presentation mode"): "presentation",
    ("&View", "&Quick capture"): "quick-capture",
    ("&View", "&Next document"): "next-document",
    ("&View", "P&revious document"): "previous-document",
    ("&Help", "&Keyboard shortcuts"): "shortcuts",
}

# the main toolbar, left to right; None is a separator between groups
TOOLBAR: tuple[tuple[str, str] | None, ...] = (
    ("&File", "&New"),
    ("&File", "&Open…"),
    ("&File", "&Save"),
    None,
    ("&Edit", "&Undo"),
    ("&Edit", "&Redo"),
    None,
    ("&Edit", "Cu&t"),
    ("&Edit", "&Copy"),
    ("&Edit", "&Paste"),
    ("&Edit", "&Delete"),
    None,
    ("&View", "Zoom &in"),
    ("&View", "Zoom &out"),
    ("&View", "&Fit the diagram"),
    None,
    ("&Arrange", "&Tidy up diagram"),
    ("&View", "&Quick capture"),
    ("&View", "&Presentation mode"),
)


@cache
def _svg_text(name: str) -> str:
    return (ICON_FOLDER / f"{name}.svg").read_text(encoding="utf-8")


def icon_colours(palette: QPalette) -> dict[QIcon.Mode, QColor]:
    """The stroke colour of each icon mode: the text colour of the theme, greyed when disabled,
    light on a selection. Hovered (Active) icons keep the text colour: a hovered tool button's
    background is the window's, not the selection's."""
    text = palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.WindowText)
    return {
        QIcon.Mode.Normal: text,
        QIcon.Mode.Active: text,
        QIcon.Mode.Disabled: palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText),
        QIcon.Mode.Selected: palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.HighlightedText),
    }


_CLONES: list[QIconEngine] = []  # see SvgIconEngine.clone


class SvgIconEngine(QIconEngine):
    """One line icon in the colour of each mode, drawn from its SVG at the size and screen scale
    asked for, so it stays sharp on a high-DPI screen instead of being scaled up from a bitmap."""

    def __init__(self, name: str, colours: dict[QIcon.Mode, QColor]) -> None:
        super().__init__()
        self._name = name
        self._colours = colours
        self._renderers: dict[QIcon.Mode, QSvgRenderer] = {}
        self._pixmaps: dict[tuple[int, int, QIcon.Mode, float], QPixmap] = {}

    def _renderer(self, mode: QIcon.Mode) -> QSvgRenderer:
        renderer = self._renderers.get(mode)
        if renderer is None:
            colour = self._colours[mode]
            svg = _svg_text(self._name).replace("currentColor", colour.name(QColor.NameFormat.HexRgb))
            renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
            self._renderers[mode] = renderer
        return renderer

    def _draw(self, painter: QPainter, rect: QRectF, mode: QIcon.Mode) -> None:
        side = min(rect.width(), rect.height())
        square = QRectF(0, 0, side, side)
        square.moveCenter(rect.center())
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setOpacity(painter.opacity() * self._colours[mode].alphaF())
        self._renderer(mode).render(painter, square)
        painter.restore()

    def paint(self, painter: QPainter, rect, mode: QIcon.Mode, state: QIcon.State) -> None:
        self._draw(painter, QRectF(rect), mode)

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        return self.scaledPixmap(size, mode, state, 1.0)

    def scaledPixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State, scale: float) -> QPixmap:  # noqa: N802
        key = (size.width(), size.height(), mode, scale)
        pixmap = self._pixmaps.get(key)
        if pixmap is None:
            pixmap = QPixmap(size * scale)
            pixmap.setDevicePixelRatio(scale)
            pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pixmap)
            self._draw(painter, QRectF(0, 0, size.width(), size.height()), mode)
            painter.end()
            self._pixmaps[key] = pixmap
        return pixmap

    def iconName(self) -> str:  # noqa: N802 (Qt override)
        return self._name

    def key(self) -> str:
        return "smo-designer-svg"

    def clone(self) -> QIconEngine:
        # Qt clones an engine when a shared icon is changed (addPixmap on a copy) and then owns
        # the clone, but PySide leaves it to Python, which would delete it on return: it is kept
        # here until Qt deletes it (which invalidates its wrapper)
        _CLONES[:] = [engine for engine in _CLONES if shiboken6.isValid(engine)]
        engine = SvgIconEngine(self._name, self._colours)
        _CLONES.append(engine)
        return engine


def icon(name: str, palette: QPalette) -> QIcon:
    """The icon `resources/icons/NAME.svg` in the colours of `palette`."""
    _svg_text(name)  # a missing file fails here, not later while painting
    return QIcon(SvgIconEngine(name, icon_colours(palette)))


def menu_actions(window: QMainWindow) -> dict[tuple[str, str], QAction]:
    """The commands of the window's menu bar by (menu title, action text)."""
    found: dict[tuple[str, str], QAction] = {}
    for title_action in window.menuBar().actions():
        menu = title_action.menu()
        if not isinstance(menu, QMenu):
            continue
        for action in menu.actions():
            if not action.isSeparator() and action.menu() is None:
                found.setdefault((title_action.text(), action.text()), action)
    return found


def tooltip(action: QAction) -> str:
    """The tip of a toolbar button, such as "Save (Ctrl+S)": the command as its menu names it,
    without the mnemonic and the ellipsis, and its key."""
    text = action.text().replace("&&", "\0").replace("&", "").replace("\0", "&").removesuffix("…").strip()
    key = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
    return f"{text} ({key})" if key else text


class ActionIcons(QObject):
    """The icons on a window's actions and its main toolbar, recoloured when the theme changes."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        # found once: some texts change later (Undo becomes "Undo Move")
        actions = menu_actions(window)
        self.named_actions: list[tuple[QAction, str]] = [
            (actions[key], name) for key, name in MENU_ICONS.items() if key in actions
        ]
        self.toolbar = QToolBar("Main toolbar", window)
        self.toolbar.setObjectName("main_toolbar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        for key in TOOLBAR:
            if key is None:
                self.toolbar.addSeparator()
            elif key in actions:
                self._add_to_toolbar(actions[key])
        window.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.toolbar)
        self._colours: list[int] = []
        self.apply(window.palette())
        window.installEventFilter(self)

    def _add_to_toolbar(self, action: QAction) -> None:
        def follow_text() -> None:
            # Undo and Redo name the step they take back ("Undo Move"); the tip says it too
            if action.toolTip() != tooltip(action):
                action.setToolTip(tooltip(action))

        self.toolbar.addAction(action)
        follow_text()
        action.changed.connect(follow_text)

    def apply(self, palette: QPalette) -> None:
        """Draw every icon in the colours of `palette`."""
        colours = [colour.rgba() for colour in icon_colours(palette).values()]
        if colours == self._colours:
            return  # the window's palette changed, not its text colours
        self._colours = colours
        for action, name in self.named_actions:
            action.setIcon(icon(name, palette))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        # PaletteChange arrives once the window's palette is the new one, whether the
        # application's palette changed (a light or dark theme) or the window's own
        if watched is self.window and event.type() == QEvent.Type.PaletteChange:
            self.apply(self.window.palette())
        return False


def install_icons(window: QMainWindow) -> ActionIcons:
    return ActionIcons(window)
