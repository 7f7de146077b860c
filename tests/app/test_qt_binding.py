"""The Qt binding the application runs on holds up under what its item models do."""

from __future__ import annotations

import sys

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt


class EmptyModel(QAbstractTableModel):
    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 10

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 10

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        return None


def test_returning_none_from_data_keeps_none_alive(qapp) -> None:
    # PySide6 6.12.0 dropped a reference to None on every such call: on Python 3.11, a grid
    # scrolled long enough then crashed with "deallocating None" (pyproject pins it out)
    model = EmptyModel()
    before = sys.getrefcount(None)
    for row in range(10):
        for column in range(10):
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole):
                model.index(row, column).data(role)
    assert sys.getrefcount(None) - before > -50
