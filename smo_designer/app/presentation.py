"""Presentation mode for the projector (app layer): full screen, panels hidden, the activities
stepped through in flow order with the current one highlighted and its RACI shown in large type;
Escape leaves and gives the window back as it was (panels, geometry, zoom).

Keys: Right, Space or Page Down next; Left, Backspace or Page Up previous; Home and End the first
and last; L the current activity's lane; F the whole diagram; Escape or F5 leave. While presenting
the diagram cannot be edited: every other key is swallowed and the canvas takes no clicks.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QByteArray, QEvent, QObject, QPointF, QRect, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QKeyEvent, QPainter, QPainterPath, QPen, QTransform
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QGraphicsPathItem,
    QMainWindow,
    QToolBar,
    QWidget,
)

from ..model import bpmn as b
from ..model import raci, smo
from ..model.document import Document
from ..model.element import Element
from ..model.raci import LETTER_COLOURS

HIGHLIGHT_COLOUR = QColor("#e8730c")
UPCOMING_COLOUR = QColor(232, 115, 12, 120)
HIGHLIGHT_PADDING = 8.0
LEGIBLE_ZOOM = 0.75  # below this the whole diagram is too small to read from the back row
FOLLOW_ZOOM = 1.25  # the zoom used instead, following the current activity
LETTER_NAMES = {"R": "Responsible", "A": "Accountable", "S": "Supportive", "C": "Consulted", "I": "Informed"}
CARD_BACKGROUND = QColor(20, 28, 40, 242)
CARD_TEXT = QColor("#ffffff")
CARD_MUTED = QColor("#b8c2d0")
KEY_HINT = "→ / Space next   ← previous   L lane   F whole diagram   Esc leave"


def presentation_steps(document: Document, plane: Element | None) -> list[str]:
    """The activities a diagram plane draws, in the order the flow visits them (pool by pool,
    sub-processes' activities after the sub-process)."""
    if plane is None:
        return []
    root = document.element((plane.get("bpmnElement") or "").rpartition(":")[2])
    if root is None:
        return []
    if root.local == "collaboration":
        processes = [
            process
            for participant in root.findall(b.bpmn("participant"))
            if (process := document.element((participant.get("processRef") or "").rpartition(":")[2])) is not None
        ]
    elif root.local in ("process", *b.SUBPROCESS_TYPES):
        processes = [root]
    else:
        processes = []
    steps: list[str] = []
    seen: set[str] = set()

    def visit(container: Element) -> None:
        for node in raci.flow_order(container):
            if b.kind(node) in b.RACI_ACTIVITY_TYPES and node.id and node.id not in seen:
                seen.add(node.id)
                steps.append(node.id)
            if b.kind(node) in b.SUBPROCESS_TYPES:
                visit(node)

    for process in processes:
        visit(process)
    return steps


@dataclass
class _Saved:
    geometry: QByteArray
    rect: QRect
    state: QByteArray
    window_state: Qt.WindowState
    menu_visible: bool
    status_visible: bool
    transform: QTransform
    centre: QPointF
    interactive: bool
    focus: QWidget | None
    scroll_bars: tuple[Qt.ScrollBarPolicy, Qt.ScrollBarPolicy]


class RaciCard(QWidget):
    """The current activity in large type: its name and place, then who is R, A, S, C and I."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.title = ""
        self.place = ""
        self.lines: list[tuple[str, str]] = []  # (letter, role names)
        self.description = ""
        self.neighbours = ""
        self.title_font = QFont()
        self.title_font.setPixelSize(34)
        self.title_font.setBold(True)
        self.body_font = QFont()
        self.body_font.setPixelSize(26)
        self.small_font = QFont()
        self.small_font.setPixelSize(18)

    def show_activity(
        self, title: str, place: str, lines: list[tuple[str, str]], description: str, neighbours: str
    ) -> None:
        self.title, self.place, self.lines, self.description, self.neighbours = (
            title,
            place,
            lines,
            description,
            neighbours,
        )
        self.update()

    def text(self) -> str:
        """What the card says, line by line (for people who cannot see it, and for tests)."""
        out = [self.title, self.place]
        out += [f"{letter} {LETTER_NAMES[letter]}: {names}" for letter, names in self.lines] or ["No RACI yet"]
        out += [line for line in (self.description, self.neighbours) if line]
        return "\n".join(line for line in out if line)

    def scale_to(self, size: QSize) -> None:
        """Type as large as the screen allows: sizes are for a 1080-line projector."""
        scale = max(0.7, min(size.height() / 1000, size.width() / 1400, 1.6))
        for font, pixels in ((self.title_font, 34), (self.body_font, 26), (self.small_font, 18)):
            font.setPixelSize(round(pixels * scale))

    def wanted_height(self, width: int) -> int:
        title = QFontMetrics(self.title_font)
        body = QFontMetrics(self.body_font)
        small = QFontMetrics(self.small_font)
        height = 24 + title.height() + small.height() + 14
        height += max(len(self.lines), 1) * (body.height() + 8)
        if self.description:
            height += small.height() * 2 + 8
        return height + small.height() * 2 + 24

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt override)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        box = QRectF(self.rect()).adjusted(1, 1, -1, -1)
        path = QPainterPath()
        path.addRoundedRect(box, 14, 14)
        painter.fillPath(path, CARD_BACKGROUND)
        x = 28.0
        y = 22.0
        width = box.width() - 2 * x
        painter.setFont(self.title_font)
        painter.setPen(CARD_TEXT)
        metrics = QFontMetrics(self.title_font)
        painter.drawText(
            QRectF(x, y, width, metrics.height()),
            Qt.AlignmentFlag.AlignLeft,
            metrics.elidedText(self.title, Qt.TextElideMode.ElideRight, int(width)),
        )
        y += metrics.height()
        painter.setFont(self.small_font)
        painter.setPen(CARD_MUTED)
        small = QFontMetrics(self.small_font)
        painter.drawText(QRectF(x, y, width, small.height()), Qt.AlignmentFlag.AlignLeft, self.place)
        y += small.height() + 14
        body = QFontMetrics(self.body_font)
        painter.setFont(self.body_font)
        if not self.lines:
            painter.setPen(CARD_MUTED)
            painter.drawText(QRectF(x, y, width, body.height()), Qt.AlignmentFlag.AlignLeft, "No RACI yet")
            y += body.height() + 8
        chip = body.height()
        for letter, names in self.lines:
            fill, ink = LETTER_COLOURS.get(letter, ("DDDDDD", "333333"))
            chip_box = QRectF(x, y, chip, chip)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QBrush(QColor("#" + fill)))
            painter.drawRoundedRect(chip_box, 6, 6)
            painter.setPen(QColor("#" + ink))
            bold = QFont(self.body_font)
            bold.setBold(True)
            painter.setFont(bold)
            painter.drawText(chip_box, Qt.AlignmentFlag.AlignCenter, letter)
            painter.setFont(self.body_font)
            painter.setPen(CARD_MUTED)
            label = f"{LETTER_NAMES[letter]}  "
            painter.drawText(QRectF(x + chip + 14, y, width, chip), Qt.AlignmentFlag.AlignVCenter, label)
            painter.setPen(CARD_TEXT)
            offset = chip + 14 + body.horizontalAdvance("Accountable  ")
            shown = body.elidedText(names, Qt.TextElideMode.ElideRight, int(width - offset))
            painter.drawText(QRectF(x + offset, y, width - offset, chip), Qt.AlignmentFlag.AlignVCenter, shown)
            y += chip + 8
        painter.setFont(self.small_font)
        if self.description:
            painter.setPen(CARD_MUTED)
            painter.drawText(
                QRectF(x, y + 4, width, small.height() * 2),
                Qt.TextFlag.TextWordWrap,
                small.elidedText(self.description, Qt.TextElideMode.ElideRight, int(width * 2 - 40)),
            )
            y += small.height() * 2 + 8
        painter.setPen(CARD_MUTED)
        painter.drawText(QRectF(x, y + 6, width, small.height()), Qt.AlignmentFlag.AlignLeft, self.neighbours)
        painter.drawText(QRectF(x, y + 6 + small.height(), width, small.height()), Qt.AlignmentFlag.AlignLeft, KEY_HINT)


class PresentationMode(QObject):
    """Full-screen stepping through a main window's diagram. `enter()`, then keys; `leave()`
    (Escape) restores the window."""

    step_changed = Signal(str)  # the id of the activity now highlighted
    active_changed = Signal(bool)

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.steps: list[str] = []
        self.position = -1
        self.card: RaciCard | None = None
        self.highlight: QGraphicsPathItem | None = None
        self.upcoming: QGraphicsPathItem | None = None
        self._saved: _Saved | None = None
        self._settling = False

    @property
    def active(self) -> bool:
        return self._saved is not None

    @property
    def current(self) -> str | None:
        return self.steps[self.position] if 0 <= self.position < len(self.steps) else None

    # --- entering and leaving --------------------------------------------------------------------

    def enter(self) -> None:
        if self.active:
            return
        window = self.window
        view = window.view  # type: ignore[attr-defined]
        self._saved = _Saved(
            geometry=window.saveGeometry(),
            rect=window.geometry(),
            state=window.saveState(),
            window_state=window.windowState(),
            menu_visible=window.menuBar().isVisible(),
            status_visible=window.statusBar().isVisible(),
            transform=QTransform(view.transform()),
            centre=view.mapToScene(view.viewport().rect().center()),
            interactive=view.isInteractive(),
            focus=QApplication.focusWidget(),
            scroll_bars=(view.horizontalScrollBarPolicy(), view.verticalScrollBarPolicy()),
        )
        for dock in window.findChildren(QDockWidget):
            if dock.parent() is window:
                dock.hide()
        for toolbar in window.findChildren(QToolBar):
            if toolbar.parent() is window:
                toolbar.hide()
        find_bar = getattr(window, "find_bar", None)
        self._find_bar_visible = bool(find_bar is not None and find_bar.isVisible())
        if find_bar is not None:
            find_bar.hide()
        tabs = getattr(window, "tabs", None)  # the document tabs: the room sees one diagram
        self._tab_bar_visible = bool(tabs is not None and tabs.tabBar().isVisible())
        if tabs is not None:
            tabs.tabBar().hide()
        window.menuBar().hide()
        window.statusBar().hide()
        view.setInteractive(False)
        view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.card = RaciCard(view)
        self.card.show()
        scene = window.scene  # type: ignore[attr-defined]
        self.steps = presentation_steps(scene.document, scene.plane)
        self.steps = [ident for ident in self.steps if scene.item_for(ident) is not None]
        self.position = 0 if self.steps else -1
        self.highlight = self._mark(HIGHLIGHT_COLOUR, 5.0, Qt.PenStyle.SolidLine)
        self.upcoming = self._mark(UPCOMING_COLOUR, 3.0, Qt.PenStyle.DashLine)
        window.showFullScreen()
        # full screen arrives after this turn of the event loop (with a window manager, after
        # several): until the presenter presses a key the diagram is fitted to each new size
        self._settling = True
        QApplication.instance().installEventFilter(self)
        view.setFocus()
        self.fit()
        self._show_step(follow=False)
        self.active_changed.emit(True)

    def _mark(self, colour: QColor, width: float, style: Qt.PenStyle) -> QGraphicsPathItem:
        item = QGraphicsPathItem()
        pen = QPen(colour, width, style)
        pen.setCosmetic(True)  # as thick at any zoom
        item.setPen(pen)
        item.setBrush(QBrush(QColor(colour.red(), colour.green(), colour.blue(), 28)))
        item.setZValue(1000)
        item.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.window.scene.addItem(item)  # type: ignore[attr-defined]
        return item

    def leave(self) -> None:
        saved = self._saved
        if saved is None:
            return
        self._saved = None
        QApplication.instance().removeEventFilter(self)
        window = self.window
        view = window.view  # type: ignore[attr-defined]
        for item in (self.highlight, self.upcoming):
            if item is not None and item.scene() is not None:
                item.scene().removeItem(item)
        self.highlight = self.upcoming = None
        if self.card is not None:
            self.card.hide()
            self.card.deleteLater()
            self.card = None
        view.setInteractive(saved.interactive)
        view.setHorizontalScrollBarPolicy(saved.scroll_bars[0])
        view.setVerticalScrollBarPolicy(saved.scroll_bars[1])
        window.menuBar().setVisible(saved.menu_visible)
        window.statusBar().setVisible(saved.status_visible)
        find_bar = getattr(window, "find_bar", None)
        if find_bar is not None and self._find_bar_visible:
            find_bar.show()
        tabs = getattr(window, "tabs", None)
        if tabs is not None and self._tab_bar_visible:
            tabs.tabBar().show()
        window.setWindowState(saved.window_state)
        self._restore(saved)
        # a window manager may finish leaving full screen after this turn of the event loop and
        # size the window its own way: put geometry and view back once more when it has
        QTimer.singleShot(0, lambda: self._restore(saved) if not self.active else None)
        if saved.focus is not None:
            saved.focus.setFocus()
        self.active_changed.emit(False)

    def _restore(self, saved: _Saved) -> None:
        window = self.window
        window.restoreGeometry(saved.geometry)
        if not saved.window_state & (Qt.WindowState.WindowMaximized | Qt.WindowState.WindowFullScreen):
            # restoreGeometry keeps a window inside the screen; the window was where it was
            window.setGeometry(saved.rect)
        window.restoreState(saved.state)
        view = window.view  # type: ignore[attr-defined]
        view.setTransform(saved.transform)
        view.centerOn(saved.centre)
        view.zoom_changed.emit(view.zoom())

    def toggle(self) -> None:
        if self.active:
            self.leave()
        else:
            self.enter()

    # --- stepping --------------------------------------------------------------------------------

    def next(self) -> None:
        if self.position + 1 < len(self.steps):
            self.position += 1
            self._show_step()

    def previous(self) -> None:
        if self.position > 0:
            self.position -= 1
            self._show_step()

    def first(self) -> None:
        if self.steps:
            self.position = 0
            self._show_step()

    def last(self) -> None:
        if self.steps:
            self.position = len(self.steps) - 1
            self._show_step()

    def _item_rect(self, ident: str | None) -> QRectF | None:
        item = self.window.scene.item_for(ident) if ident else None  # type: ignore[attr-defined]
        return item.sceneBoundingRect() if item is not None else None

    def _show_step(self, follow: bool = True) -> None:
        document: Document = self.window.scene.document  # type: ignore[attr-defined]
        for mark, ident in ((self.highlight, self.current), (self.upcoming, self._upcoming())):
            if mark is None:
                continue
            rect = self._item_rect(ident)
            path = QPainterPath()
            if rect is not None:
                pad = HIGHLIGHT_PADDING
                path.addRoundedRect(rect.adjusted(-pad, -pad, pad, pad), 14, 14)
            mark.setPath(path)
        if follow:
            self._follow()
        self._fill_card(document)
        if self.current:
            self.step_changed.emit(self.current)

    def _upcoming(self) -> str | None:
        return self.steps[self.position + 1] if 0 <= self.position < len(self.steps) - 1 else None

    def _follow(self) -> None:
        """Keep the current activity in sight, above the card."""
        rect = self._item_rect(self.current)
        if rect is None:
            return
        view = self.window.view  # type: ignore[attr-defined]
        visible = view.mapToScene(self._open_area()).boundingRect()
        if not visible.contains(rect.adjusted(-30, -30, 30, 30)):
            self._centre_on(rect.center())

    def _open_area(self):
        """The part of the viewport the card leaves free."""
        view = self.window.view  # type: ignore[attr-defined]
        area = view.viewport().rect()
        if self.card is not None and self.card.isVisible():
            area.setBottom(max(area.top() + 50, self.card.geometry().top() - 10))
        return area

    def _centre_on(self, point: QPointF) -> None:
        """Centre the open area (not the whole viewport) on a scene point."""
        view = self.window.view  # type: ignore[attr-defined]
        area = self._open_area()
        shift = (view.viewport().rect().center().y() - area.center().y()) / max(view.zoom(), 1e-6)
        view.centerOn(QPointF(point.x(), point.y() + shift))

    def fit(self) -> None:
        """The whole diagram; when that is too small to read, the current activity at a size
        the back row reads."""
        view = self.window.view  # type: ignore[attr-defined]
        self._place_card()
        view.fit()
        rect = self.window.scene.drawing_rect()  # type: ignore[attr-defined]
        area = self._open_area()
        if not rect.isNull():
            zoom = min(area.width() / (rect.width() + 40), area.height() / (rect.height() + 40), 1.5)
            if zoom >= LEGIBLE_ZOOM:
                view.set_zoom(zoom)
                self._centre_on(rect.center())
                return
        current = self._item_rect(self.current)
        if current is not None:
            view.set_zoom(FOLLOW_ZOOM)
            self._centre_on(current.center())

    def zoom_to_lane(self) -> None:
        """The lane (or pool) of the current activity, as tall as the open area allows."""
        document: Document = self.window.scene.document  # type: ignore[attr-defined]
        current = document.element(self.current) if self.current else None
        if current is None:
            return
        container = _lane_or_pool(document, current)
        view = self.window.view  # type: ignore[attr-defined]
        activity = self._item_rect(self.current)
        rect = self._item_rect(container.id) if container is not None else None
        if rect is None or activity is None:
            if activity is not None:
                view.set_zoom(FOLLOW_ZOOM * 1.5)
                self._centre_on(activity.center())
            return
        area = self._open_area()
        zoom = min(area.height() / (rect.height() + 40), 2.5)
        view.set_zoom(max(zoom, 0.2))
        self._centre_on(QPointF(activity.center().x(), rect.center().y()))

    # --- the card ------------------------------------------------------------------------------

    def _place_card(self) -> None:
        card = self.card
        if card is None:
            return
        view = self.window.view  # type: ignore[attr-defined]
        viewport = view.viewport().geometry()
        card.scale_to(viewport.size())
        width = min(viewport.width() - 40, round(card.body_font.pixelSize() * 38))
        height = min(card.wanted_height(width), viewport.height() // 2)
        card.setGeometry(viewport.left() + 20, viewport.bottom() - height - 20, width, height)
        card.raise_()

    def _fill_card(self, document: Document) -> None:
        card = self.card
        if card is None:
            return
        if self.current is None:
            card.show_activity("Nothing to present", "The diagram has no activities yet.", [], "", "")
            self._place_card()
            return
        activity = document.element(self.current)
        assert activity is not None
        names = {role.id: role.name for role in smo.roles(document)}
        cells = smo.raci(activity)
        lines = []
        for letter in "RASCI":
            holders = [names.get(role, role) for role, letters in cells.items() if letter in letters]
            if holders:
                lines.append((letter, ", ".join(holders)))
        container = _lane_or_pool(document, activity)
        where = f"in {b.name(container)}" if container is not None and b.name(container) else ""
        place = f"Step {self.position + 1} of {len(self.steps)}" + (f"  ·  {where}" if where else "")
        before = document.element(self.steps[self.position - 1]) if self.position > 0 else None
        after = document.element(self._upcoming()) if self._upcoming() else None
        neighbours = "   ".join(
            text
            for text in (
                f"← {b.name(before) or 'previous'}" if before is not None else "",
                f"next: {b.name(after) or 'next'} →" if after is not None else "",
            )
            if text
        )
        description = " ".join(b.documentation(activity).split())
        card.show_activity(b.name(activity) or activity.id or "", place, lines, description, neighbours)
        self._place_card()

    # --- keys ------------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        kind = event.type()
        if kind not in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride, QEvent.Type.Resize):
            return False
        if not isinstance(watched, QWidget) or not (watched is self.window or self.window.isAncestorOf(watched)):
            return False
        if kind == QEvent.Type.Resize:
            if watched is self.window.view.viewport():  # type: ignore[attr-defined]
                QTimer.singleShot(0, self._resized)
            return False
        if kind == QEvent.Type.ShortcutOverride:
            event.accept()  # every key is the presentation's: no menu shortcut edits the model now
            return True
        assert isinstance(event, QKeyEvent)
        self._settling = False
        self.handle_key(event.key())
        return True

    def _resized(self) -> None:
        if not self.active:
            return
        if self._settling:
            self.fit()
        else:
            self._place_card()

    def handle_key(self, key: int) -> None:
        actions = {
            Qt.Key.Key_Right: self.next,
            Qt.Key.Key_Space: self.next,
            Qt.Key.Key_PageDown: self.next,  # presentation clickers send Page Down and Page Up
            Qt.Key.Key_Down: self.next,
            Qt.Key.Key_Left: self.previous,
            Qt.Key.Key_Backspace: self.previous,
            Qt.Key.Key_PageUp: self.previous,
            Qt.Key.Key_Up: self.previous,
            Qt.Key.Key_Home: self.first,
            Qt.Key.Key_End: self.last,
            Qt.Key.Key_L: self.zoom_to_lane,
            Qt.Key.Key_F: self.fit,
            Qt.Key.Key_Escape: self.leave,
            Qt.Key.Key_F5: self.leave,
        }
        action = {int(k): function for k, function in actions.items()}.get(int(key))
        if action is not None:
            action()


def _lane_or_pool(document: Document, node: Element) -> Element | None:
    """The innermost lane holding the node (or the sub-process holding it), else its pool."""
    current: Element | None = node
    while current is not None:
        lanes = b.lanes_of(document, current)
        if lanes:
            return lanes[-1]
        parent = current.parent
        if parent is None or parent.local == "process":
            break
        current = parent
    process = b.owning_process(node)
    return next((p for p in b.participants(document) if p.get("processRef") == (process.id if process else None)), None)
