"""The crash journal: every committed edit reaches the disk within a second, for saved and
never-saved documents alike, so a crash or a kill loses nothing (app layer).

Each open document has an entry in the journal folder: `<key>.bpmn`, the document as it stands
(written atomically, like a save), and `<key>.json`, what it is (its file, if any; the process
that writes it; when). The entry goes when the document is saved clean or closed on purpose.
Entries whose process is gone are what the next start offers back.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import shiboken6
from PySide6.QtCore import QObject, QStandardPaths, QTimer

from ..formats.bpmn import BpmnReadError, read_bpmn, serialize, write_atomic
from ..model.document import Document

FLUSH_MS = 500  # the first edit after a flush is on disk within this, and never later than 1 s
JOURNAL_FOLDER_VARIABLE = "SMO_DESIGNER_JOURNAL"


def journal_folder() -> Path:
    override = os.environ.get(JOURNAL_FOLDER_VARIABLE)
    if override:
        folder = Path(override)
    else:
        base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
        folder = Path(base or Path.home() / ".smo-designer") / "journal"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@dataclass(frozen=True)
class Recoverable:
    """A document a crashed session left behind."""

    key: str
    path: Path | None  # the file it was opened from or saved to; None if never saved
    title: str
    written: float  # when its last edit reached the journal (seconds since the epoch)
    snapshot: Path

    @property
    def label(self) -> str:
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(self.written))
        return f"{self.path.name if self.path else self.title + ' (never saved)'}, last edit {when}"


class DocumentJournal(QObject):
    """Keeps one document's journal entry in step with its undo stack."""

    def __init__(self, controller, folder: Path | None = None) -> None:
        super().__init__(controller)
        self.controller = controller
        self.folder = folder or journal_folder()
        self.key = uuid.uuid4().hex
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(FLUSH_MS)
        self._timer.timeout.connect(self.flush)
        controller.undo_stack.indexChanged.connect(self._edited)
        controller.undo_stack.cleanChanged.connect(self._clean_changed)
        controller.replaced.connect(self.discard)

    @property
    def snapshot(self) -> Path:
        return self.folder / f"{self.key}.bpmn"

    @property
    def meta(self) -> Path:
        return self.folder / f"{self.key}.json"

    def _edited(self, _index: int) -> None:
        if not shiboken6.isValid(self.controller.undo_stack):
            return  # the stack signals while it is being destroyed with its window
        if self.controller.undo_stack.isClean():
            self.discard()
        elif not self._timer.isActive():
            self._timer.start()  # not restarted by later edits: on disk within FLUSH_MS

    def _clean_changed(self, clean: bool) -> None:
        if clean:
            self.discard()

    def flush(self) -> None:
        """Write the document as it stands (nothing when it has no unsaved edit)."""
        self._timer.stop()
        if self.controller.undo_stack.isClean():
            return
        document: Document = self.controller.document
        path = self.controller.path
        write_atomic(self.snapshot, serialize(document))
        info = {
            "path": str(path) if path else None,
            "title": document.root.get("name") or "Untitled",
            "pid": os.getpid(),
            "written": time.time(),
        }
        write_atomic(self.meta, json.dumps(info).encode("utf-8"))

    def discard(self) -> None:
        """The document is saved, or closed on purpose: nothing to recover."""
        self._timer.stop()
        for file in (self.meta, self.snapshot):
            file.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def leftovers(folder: Path | None = None) -> list[Recoverable]:
    """Entries of sessions that ended without saving or closing their documents."""
    folder = folder or journal_folder()
    found = []
    for meta in sorted(folder.glob("*.json")):
        snapshot = meta.with_suffix(".bpmn")
        try:
            info = json.loads(meta.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if not snapshot.is_file() or _alive(int(info.get("pid", 0))):
            continue
        path = Path(info["path"]) if info.get("path") else None
        found.append(
            Recoverable(meta.stem, path, str(info.get("title", "Untitled")), float(info.get("written", 0)), snapshot)
        )
    found.sort(key=lambda r: r.written)
    return found


def recover(entry: Recoverable) -> Document:
    """The document as its last edit left it; raises BpmnReadError if the entry is damaged."""
    return read_bpmn(entry.snapshot).document


def forget(entry: Recoverable) -> None:
    for file in (entry.snapshot, entry.snapshot.with_suffix(".json")):
        file.unlink(missing_ok=True)


__all__ = ["BpmnReadError", "DocumentJournal", "Recoverable", "forget", "journal_folder", "leftovers", "recover"]
