"""The user's preferences, kept in QSettings, and the small dialog that edits them (app layer):
reopen the last session's documents, snap to a grid of a chosen size, the resolution proposed
for PNG pictures, and the diagram's colours."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

THEMES = {"system": "Follow the system", "light": "Light", "dark": "Dark"}
GRID_SIZES = (5, 100)  # scene units; a task is 100 wide
DPI_RANGE = (48, 1200)


@dataclass(frozen=True)
class Preferences:
    restore_session: bool = True  # reopen the last session's files when started without one
    snap_to_grid: bool = True
    grid_size: int = 10
    png_dpi: int = 192  # twice the screen's 96: sharp on slides and in documents
    theme: str = "system"  # a key of THEMES

    @property
    def grid(self) -> float:
        """What the canvas snaps to: 0 for nothing."""
        return float(self.grid_size) if self.snap_to_grid else 0.0


KEYS = {
    "restore_session": "preferences/restoreSession",
    "snap_to_grid": "preferences/snapToGrid",
    "grid_size": "preferences/gridSize",
    "png_dpi": "preferences/pngDpi",
    "theme": "preferences/theme",
}


def load_preferences() -> Preferences:
    """The saved preferences; a missing or unreadable value is the default."""
    settings = QSettings()
    default = Preferences()
    values = {}
    for field, key in KEYS.items():
        fallback = getattr(default, field)
        try:
            value = settings.value(key, fallback, type=type(fallback))
        except (TypeError, ValueError):
            value = fallback
        values[field] = value
    if values["theme"] not in THEMES:
        values["theme"] = default.theme
    values["grid_size"] = min(max(int(values["grid_size"]), GRID_SIZES[0]), GRID_SIZES[1])
    values["png_dpi"] = min(max(int(values["png_dpi"]), DPI_RANGE[0]), DPI_RANGE[1])
    return Preferences(**values)


def save_preferences(preferences: Preferences) -> None:
    settings = QSettings()
    for field, key in KEYS.items():
        settings.setValue(key, getattr(preferences, field))


class PreferencesDialog(QDialog):
    """Edit → Preferences…: shows `preferences`; `chosen()` is what the user set."""

    def __init__(self, preferences: Preferences, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self.restore_session = QCheckBox("Reopen the documents of the last session")
        self.restore_session.setChecked(preferences.restore_session)
        self.snap_to_grid = QCheckBox("Snap shapes to a grid while dragging and placing")
        self.snap_to_grid.setChecked(preferences.snap_to_grid)
        self.grid_size = QSpinBox()
        self.grid_size.setRange(*GRID_SIZES)
        self.grid_size.setSingleStep(5)
        self.grid_size.setSuffix(" units")
        self.grid_size.setValue(preferences.grid_size)
        self.grid_size.setEnabled(preferences.snap_to_grid)
        self.snap_to_grid.toggled.connect(self.grid_size.setEnabled)
        self.png_dpi = QSpinBox()
        self.png_dpi.setRange(*DPI_RANGE)
        self.png_dpi.setSingleStep(48)
        self.png_dpi.setSuffix(" dpi")
        self.png_dpi.setValue(preferences.png_dpi)
        self.png_dpi.setToolTip("Proposed when a diagram is exported as a PNG picture; 96 is the screen's size")
        self.theme = QComboBox()
        for key, label in THEMES.items():
            self.theme.addItem(label, key)
        self.theme.setCurrentIndex(max(0, self.theme.findData(preferences.theme)))
        form = QFormLayout()
        form.addRow("At start", self.restore_session)
        form.addRow("Grid", self.snap_to_grid)
        form.addRow("Grid size", self.grid_size)
        form.addRow("PNG pictures", self.png_dpi)
        form.addRow("Diagram colours", self.theme)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def chosen(self) -> Preferences:
        return Preferences(
            restore_session=self.restore_session.isChecked(),
            snap_to_grid=self.snap_to_grid.isChecked(),
            grid_size=self.grid_size.value(),
            png_dpi=self.png_dpi.value(),
            theme=str(self.theme.currentData()),
        )
