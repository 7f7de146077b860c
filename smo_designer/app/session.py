"""The session (app layer): on quit the window remembers its saved documents (in tab order,
each with its zoom and the point in the middle of its canvas), the current one, and its own
geometry and panels; the next start without a file brings them back.

Never-saved documents are not part of it: what they hold is in no file, and the crash journal
is what keeps unsaved work (closing on purpose asks about it first).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QByteArray, QPointF, QSettings

from .preferences import load_preferences

DOCUMENTS_KEY = "session/documents"
CURRENT_KEY = "session/current"
GEOMETRY_KEY = "window/geometry"
STATE_KEY = "window/state"


@dataclass(frozen=True)
class SessionDocument:
    path: Path
    zoom: float
    centre: QPointF


def save_session(window) -> None:
    """Remember the window's saved documents, the current one, its geometry and panels."""
    documents = []
    current = -1
    for tab in window.document_tabs():
        if tab.path is None:
            continue
        if tab is window.current_tab:
            current = len(documents)
        zoom, centre = tab.view_state()
        documents.append({"path": str(tab.path.resolve()), "zoom": zoom, "centre": [centre.x(), centre.y()]})
    settings = QSettings()
    settings.setValue(DOCUMENTS_KEY, json.dumps(documents))
    settings.setValue(CURRENT_KEY, current)
    settings.setValue(GEOMETRY_KEY, window.saveGeometry())
    settings.setValue(STATE_KEY, window.saveState())


def saved_documents() -> tuple[list[SessionDocument], int]:
    """The documents the last session left open, and the index of its current one (-1: none)."""
    settings = QSettings()
    try:
        entries = json.loads(str(settings.value(DOCUMENTS_KEY, "[]")))
        current = int(settings.value(CURRENT_KEY, -1))
    except (TypeError, ValueError):
        return [], -1
    documents = []
    for entry in entries if isinstance(entries, list) else []:
        try:
            x, y = entry["centre"]
            documents.append(SessionDocument(Path(entry["path"]), float(entry["zoom"]), QPointF(float(x), float(y))))
        except (KeyError, TypeError, ValueError):
            continue  # an entry of another version: the rest still opens
    return documents, current


def restore_layout(window) -> None:
    """Put the window where it was, with its panels as they were."""
    settings = QSettings()
    geometry = settings.value(GEOMETRY_KEY)
    if isinstance(geometry, QByteArray) and not geometry.isEmpty():
        window.restoreGeometry(geometry)
    state = settings.value(STATE_KEY)
    if isinstance(state, QByteArray) and not state.isEmpty():
        window.restoreState(state)


def restore_session(window) -> list[Path]:
    """Reopen the last session's documents, unless the preference says not to, each at its zoom
    and place, and make its current one current again. Files that are gone or no longer read
    are skipped and named in the status bar; returns the ones reopened."""
    if not load_preferences().restore_session:
        return []
    documents, current = saved_documents()
    reopened: list[Path] = []
    skipped: list[str] = []
    current_tab = None
    for position, document in enumerate(documents):
        tab = window.open_quietly(document.path) if document.path.is_file() else None
        if tab is None:
            skipped.append(document.path.name)
            continue
        tab.set_view_state(document.zoom, document.centre)
        reopened.append(document.path)
        if position == current:
            current_tab = tab
    if current_tab is not None:
        window.show_tab(current_tab)
    if skipped:
        window.statusBar().showMessage(
            f"Not reopened from the last session (moved, deleted or unreadable): {', '.join(skipped)}", 10000
        )
    return reopened
