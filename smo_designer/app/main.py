"""Start the GUI: one QApplication and its main window; the last session's documents (or the
file asked for), and the crash journal's offer to bring back what an earlier session did not
save, each in a tab of its own (app layer)."""

from __future__ import annotations

import sys
from pathlib import Path


def run(path: str | None = None, screenshot: str | None = None) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from .main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("SMO Designer")
    app.setOrganizationName("SMO Designer")
    app.setDesktopFileName("smo-designer")
    icon = Path(__file__).resolve().parents[2] / "resources" / "icons" / "smo-designer.svg"
    if icon.is_file():
        from PySide6.QtGui import QIcon

        app.setWindowIcon(QIcon(str(icon)))
    window = MainWindow()
    window.show()
    if screenshot:
        if path:
            window.open_file(path)
        QTimer.singleShot(
            500, lambda: (window.grab().save(screenshot), window.controller.undo_stack.setClean(), app.quit())
        )
        return app.exec()
    start_session(window, path)
    return app.exec()


def start_session(window, path: str | None) -> None:
    """What the window shows at start: the panels as they were; the last session's documents,
    or only the file asked for; then the recovered work, which takes the place of its file's
    unedited tab (its edits are newer than the file)."""
    from .session import restore_layout, restore_session

    restore_layout(window)
    if path is None:
        restore_session(window)
    offer_recovery(window)
    if path is not None:
        window.open_file(path)  # the recovered edits of that file, if any, are its tab now


def offer_recovery(window) -> list:
    """Offer back the documents of sessions that stopped without saving them, each in a tab of
    its own (returned). Declining forgets them."""
    from PySide6.QtWidgets import QMessageBox

    from .journal import BpmnReadError, forget, leftovers, recover

    entries = leftovers()
    if not entries:
        return []
    listing = "\n".join(f"• {entry.label}" for entry in entries)
    answer = QMessageBox.question(
        window,
        "Recover unsaved work",
        f"SMO Designer stopped before these documents were saved:\n\n{listing}\n\nRecover them?",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.Yes,
    )
    recovered: list = []
    for entry in entries:
        if answer == QMessageBox.StandardButton.Yes:
            try:
                document = recover(entry)
            except BpmnReadError as error:
                window.statusBar().showMessage(f"Could not recover {entry.label}: {error}", 8000)
                forget(entry)
                continue
            recovered.append(window.adopt_recovered(document, entry.path))
        forget(entry)
    return recovered
