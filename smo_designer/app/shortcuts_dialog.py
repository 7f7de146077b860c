"""The keyboard shortcut sheet (Help → Keyboard shortcuts), made from the window's own actions
so it never disagrees with them (app layer)."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMainWindow, QTextBrowser, QVBoxLayout

GESTURES = [
    ("Drag a shape", "move it (with its flows); Alt: no snapping"),
    ("Drag on empty canvas", "select what the rectangle encloses"),
    ("Ctrl+click, Shift+click", "add to or remove from the selection"),
    ("Drag a lane's header", "move the lane with all its contents"),
    ("Drag a resize handle", "resize; on a lane, Shift makes room instead of taking it from the neighbour"),
    ("Drag the blue arrow of a shape", "connect it to another shape"),
    ("Drag the middle of a flow's segment", "move the segment"),
    ("Double-click", "edit the name in place (Enter keeps, Shift+Enter new line, Escape drops)"),
    ("Space + drag, middle button drag", "pan"),
    ("Ctrl + wheel", "zoom at the mouse"),
    ("Arrow keys", "nudge the selection by 1 (Shift: 10)"),
    ("Drag from the palette", "place a shape where you drop it"),
]


def shortcut_rows(window: QMainWindow) -> list[tuple[str, str, str]]:
    """(menu, command, keys) for every menu action with a shortcut."""
    rows = []
    for menu_action in window.menuBar().actions():
        menu = menu_action.menu()
        if menu is None:
            continue
        title = menu_action.text().replace("&", "")
        for action in menu.actions():
            if not isinstance(action, QAction) or action.isSeparator():
                continue
            keys = ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts())
            if keys:
                rows.append((title, action.text().replace("&", "").rstrip("…"), keys))
    return rows


class ShortcutsDialog(QDialog):
    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.setWindowTitle("Keyboard shortcuts")
        self.resize(640, 720)
        browser = QTextBrowser()
        html = ["<h2>Keyboard shortcuts</h2><table cellpadding='3'>"]
        last_menu = ""
        for menu, command, keys in shortcut_rows(window):
            if menu != last_menu:
                html.append(f"<tr><td colspan='2'><h3>{menu}</h3></td></tr>")
                last_menu = menu
            html.append(f"<tr><td>{command}</td><td><b>{keys}</b></td></tr>")
        html.append("</table><h2>Mouse</h2><table cellpadding='3'>")
        for gesture, meaning in GESTURES:
            html.append(f"<tr><td><b>{gesture}</b></td><td>{meaning}</td></tr>")
        html.append("</table>")
        browser.setHtml("".join(html))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(browser)
        layout.addWidget(buttons)
        self.browser = browser
