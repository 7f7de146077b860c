"""Noticing a file changed by another program (app layer): QFileSystemWatcher, and a look when
the window gets focus back. Without local edits the file is reloaded quietly; with them the user
chooses: keep mine, take theirs, or compare first.
"""

from __future__ import annotations

import difflib
import hashlib
from pathlib import Path

import shiboken6
from PySide6.QtCore import QEvent, QFileSystemWatcher, QObject, QTimer
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMessageBox, QPlainTextEdit, QVBoxLayout, QWidget

from ..formats.bpmn import BpmnReadError, serialize
from .progress import busy

BUSY_RETRY_MS = 500

KEEP_MINE, TAKE_THEIRS = "mine", "theirs"


def signature(path: Path) -> str | None:
    """What the file holds now (a hash: editors that rewrite the same bytes change nothing)."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


class DiskWatcher(QObject):
    """Watches one document tab's file. `tab` has the controller and reloads the file; `window`
    shows the messages, and its coming back to the front is a moment to look."""

    def __init__(self, tab, window) -> None:
        super().__init__(tab)
        self.tab = tab
        self.window = window
        self.controller = tab.controller
        self.watcher = QFileSystemWatcher(self)
        self.watcher.fileChanged.connect(lambda _name: self._look_soon())
        self._settle = QTimer(self)  # editors write in several steps: look once they are done
        self._settle.setSingleShot(True)
        self._settle.setInterval(200)
        self._settle.timeout.connect(self.check)
        self.known: str | None = None
        self._asking = False
        self.controller.replaced.connect(self.remember)
        self.controller.saved.connect(self.remember)
        window.installEventFilter(self)

    def stop(self) -> None:
        """The tab closes: no more looks at its file."""
        self._settle.stop()
        self.window.removeEventFilter(self)
        for watched in self.watcher.files():
            self.watcher.removePath(watched)

    def remember(self) -> None:
        """The file as we loaded or saved it: changes from now on are someone else's."""
        path = self.controller.path
        for watched in self.watcher.files():
            self.watcher.removePath(watched)
        self.known = signature(path) if path is not None else None
        if path is not None and path.exists():
            self.watcher.addPath(str(path))

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt override)
        if watched is self.window and event.type() == QEvent.Type.WindowActivate:
            self._look_soon()
        return False

    def _look_soon(self) -> None:
        if shiboken6.isValid(self) and shiboken6.isValid(self._settle):  # not while the window goes
            self._settle.start()

    def check(self) -> None:
        path = self.controller.path
        if path is None or self._asking:
            return
        if busy():  # an open or export is reading the document: look again when it is done
            QTimer.singleShot(BUSY_RETRY_MS, self, self.check)  # not after this watcher is gone
            return
        if str(path) not in self.watcher.files() and path.exists():
            self.watcher.addPath(str(path))  # an atomic save elsewhere replaced the file we watched
        now = signature(path)
        if now is None or now == self.known:
            return
        if not self.controller.modified:
            self._take_theirs(quietly=True)
            return
        self._asking = True
        try:
            self.window.show_tab(self.tab)  # the question is about the document in view
            choice = self.ask(path)
        finally:
            self._asking = False
        if choice == TAKE_THEIRS:
            self._take_theirs(quietly=False)
        else:
            self.known = now  # keep mine: the next save overwrites theirs, and we do not ask again

    def ask(self, path: Path) -> str:
        """Keep mine or take theirs; Compare shows both side by side first."""
        while True:
            box = QMessageBox(self.window)
            box.setIcon(QMessageBox.Icon.Warning)
            box.setWindowTitle("Changed on disk")
            box.setText(f"{path.name} was changed by another program, and you have unsaved edits.")
            mine = box.addButton("Keep mine", QMessageBox.ButtonRole.RejectRole)
            theirs = box.addButton("Take theirs", QMessageBox.ButtonRole.DestructiveRole)
            compare = box.addButton("Compare…", QMessageBox.ButtonRole.ActionRole)
            box.setDefaultButton(mine)
            box.exec()
            clicked = box.clickedButton()
            if clicked is theirs:
                return TAKE_THEIRS
            if clicked is compare:
                CompareDialog(self.controller.document, path, self.window).exec()
                continue
            return KEEP_MINE

    def _take_theirs(self, *, quietly: bool) -> None:
        path = self.controller.path
        assert path is not None
        try:
            self.tab.reload_from_disk()
        except BpmnReadError as error:
            self.window.statusBar().showMessage(f"{path.name} changed on disk but cannot be read: {error}", 8000)
            self.known = signature(path)
            return
        message = "was changed by another program and reloaded" if quietly else "reloaded: your edits were dropped"
        self.window.statusBar().showMessage(f"{path.name} {message}", 8000)


class CompareDialog(QDialog):
    """The differences between the open document and the file, line by line."""

    def __init__(self, document, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Compare with {path.name} on disk")
        self.resize(900, 600)
        mine = serialize(document).decode("utf-8").splitlines()
        try:
            theirs = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as error:
            theirs = [f"(cannot read the file: {error})"]
        text = "\n".join(difflib.unified_diff(theirs, mine, "on disk (theirs)", "open here (mine)", lineterm=""))
        view = QPlainTextEdit(text or "No differences.")
        view.setReadOnly(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(view)
        layout.addWidget(buttons)
        self.text = view
