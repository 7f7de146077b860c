"""Start the GUI: one QApplication, one main window, optionally with a file (app layer)."""

from __future__ import annotations

import sys


def run(path: str | None = None) -> int:
    from PySide6.QtWidgets import QApplication

    from .main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("SMO Designer")
    app.setOrganizationName("SMO Designer")
    window = MainWindow()
    window.show()
    if path:
        window.open_file(path)
    return app.exec()
