"""Start the GUI: one QApplication, a main window per document, the crash journal's offer to
bring back what an earlier session did not save (app layer)."""

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
    windows = [window, *offer_recovery(window)]
    if path and not windows[0].controller.modified:
        windows[0].open_file(path)
    app.setProperty("smo_windows", len(windows))
    run.windows = windows  # type: ignore[attr-defined]  # kept alive for the event loop
    return app.exec()


def offer_recovery(window) -> list:
    """Offer back the documents of sessions that stopped without saving them: the first one in
    `window`, the others in windows of their own (returned). Declining forgets them."""
    from PySide6.QtWidgets import QMessageBox

    from .journal import BpmnReadError, forget, leftovers, recover
    from .main_window import MainWindow

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
    extra: list = []
    for entry in entries:
        if answer == QMessageBox.StandardButton.Yes:
            try:
                document = recover(entry)
            except BpmnReadError as error:
                window.statusBar().showMessage(f"Could not recover {entry.label}: {error}", 8000)
                forget(entry)
                continue
            target = window if not window.controller.modified else MainWindow()
            if target is not window:
                target.show()
                extra.append(target)
            target.adopt_recovered(document, entry.path)
        forget(entry)
    return extra
