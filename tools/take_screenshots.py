"""Take the main-window screenshots kept in docs/screenshots/: a template in the light and the
dark theme, and the MIWG B.2.0 reference. Offscreen, with preferences kept in a temporary folder
so that no session of the user's is read or changed.

Run from the project root: .venv/bin/python tools/take_screenshots.py
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtGui import QColor, QPalette  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
FOLDER = ROOT / "docs" / "screenshots"
TEMPLATE = ROOT / "samples" / "change-enablement.bpmn"
B20 = ROOT.parent / "shared" / "miwg-reference" / "B.2.0.bpmn"


def dark_palette() -> QPalette:
    """A dark system theme as Fusion draws it (offscreen has no system theme of its own)."""
    palette = QPalette()
    roles = QPalette.ColorRole
    for role, colour in (
        (roles.Window, "#2b2d31"),
        (roles.WindowText, "#e6e8ec"),
        (roles.Base, "#1f2125"),
        (roles.AlternateBase, "#2b2d31"),
        (roles.Text, "#e6e8ec"),
        (roles.Button, "#35373c"),
        (roles.ButtonText, "#e6e8ec"),
        (roles.Highlight, "#3d6fd8"),
        (roles.HighlightedText, "#ffffff"),
        (roles.ToolTipBase, "#35373c"),
        (roles.ToolTipText, "#e6e8ec"),
        (roles.PlaceholderText, "#8a8f98"),
    ):
        palette.setColor(role, QColor(colour))
    palette.setColor(QPalette.ColorGroup.Disabled, roles.WindowText, QColor("#6b6f78"))
    palette.setColor(QPalette.ColorGroup.Disabled, roles.Text, QColor("#6b6f78"))
    palette.setColor(QPalette.ColorGroup.Disabled, roles.ButtonText, QColor("#6b6f78"))
    return palette


def shoot(app: QApplication, model: Path, picture: Path, *, dark: bool = False, select: str | None = None) -> None:
    from smo_designer.app.main_window import MainWindow

    app.setPalette(dark_palette() if dark else app.style().standardPalette())
    window = MainWindow()
    window.resize(1400, 900)
    window.show()
    window.open_file(str(model))
    if select:
        window.scene.select_elements([select])
    QTest.qWait(600)  # layouts settle and the deferred problem check runs
    window.view.fit()
    QTest.qWait(200)
    window.grab().save(str(picture))
    window.controller.undo_stack.setClean()
    window.close()
    print(f"wrote {picture.relative_to(ROOT)}")


def main() -> int:
    with tempfile.TemporaryDirectory() as private:
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, private)
        os.environ["SMO_DESIGNER_JOURNAL"] = str(Path(private) / "journal")
        app = QApplication(sys.argv[:1])
        app.setOrganizationName("SMO Designer screenshots")
        app.setStyle("Fusion")
        shoot(app, TEMPLATE, FOLDER / "main-window-light.png", select="Activity_AuthoriseChange")
        shoot(app, TEMPLATE, FOLDER / "main-window-dark.png", dark=True, select="Activity_AuthoriseChange")
        if B20.is_file():
            shoot(app, B20, FOLDER / "main-window-b20.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
