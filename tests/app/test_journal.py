"""The crash journal: an app killed while editing a saved and a never-saved document (in two
tabs) offers both back at the next start, each in a tab with every edit; a save or a deliberate
close leaves nothing."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time

from conftest import ROOT
from PySide6.QtWidgets import QMessageBox

from smo_designer.app import main as app_main
from smo_designer.app.journal import leftovers
from smo_designer.app.main_window import MainWindow
from smo_designer.model import bpmn as b
from smo_designer.modeling import shapes

EDITING_SESSION = """
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
app = QApplication([])
from smo_designer.app.main_window import MainWindow
from smo_designer.model.di import Point
from smo_designer.modeling import shapes
window = MainWindow(); window.show(); window.open_file(sys.argv[1])
task = window.document.element("Activity_LogIncident")
window.view.run("Rename", lambda doc: shapes.set_label(doc, task, "Log the incident at once"))
window.view.run("Rename", lambda doc: shapes.set_label(doc, task, "Log every incident"))
window.new_document()  # a second tab, never saved
plane = window.scene.plane
made = window.view.run("Create", lambda doc: shapes.create_shape(doc, plane, shapes.ShapeSpec("task"), Point(200, 200)))
window.view.run("Rename", lambda doc: shapes.set_label(doc, made[0], "Triage the request"))
assert window.tabs.count() == 2
print("edited", flush=True)
app.exec()
"""


def test_a_killed_session_offers_both_documents_back_with_every_edit(
    qtbot, tmp_path, private_journal, monkeypatch
) -> None:
    model = tmp_path / "incident.bpmn"
    shutil.copy(ROOT / "samples" / "incident-management.bpmn", model)
    script = tmp_path / "session.py"
    script.write_text(EDITING_SESSION, encoding="utf-8")
    environment = dict(os.environ, SMO_DESIGNER_JOURNAL=str(private_journal))
    process = subprocess.Popen(
        [sys.executable, str(script), str(model)], stdout=subprocess.PIPE, text=True, env=environment, cwd=ROOT
    )
    try:
        assert process.stdout is not None and process.stdout.readline().strip() == "edited"
        time.sleep(1.0)  # the journal promises every edit on disk within a second
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    entries = leftovers(private_journal)
    assert len(entries) == 2
    assert {entry.path for entry in entries} == {model, None}

    window = MainWindow()
    qtbot.addWidget(window)
    asked = []

    def yes(*args, **kwargs):
        asked.append(args[2])
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", yes)
    recovered = app_main.offer_recovery(window)
    assert len(asked) == 1 and "incident.bpmn" in asked[0] and "never saved" in asked[0]
    # one tab each, in the one window: the first took the place of the blank start-up document
    assert window.document_tabs() == recovered and len(recovered) == 2
    by_path = {tab.path: tab for tab in recovered}
    recovered_saved = by_path[model]
    assert b.name(recovered_saved.document.element("Activity_LogIncident")) == "Log every incident"
    assert recovered_saved.controller.modified
    assert window.tabs.tabText(window.tabs.indexOf(recovered_saved)) == "incident.bpmn*"
    recovered_fresh = by_path[None]
    assert any(b.name(t) == "Triage the request" for t in recovered_fresh.document.root.iter() if t.local == "task")
    assert recovered_fresh.scene.diagram_items()  # drawn, not just read
    assert window.tabs.tabText(window.tabs.indexOf(recovered_fresh)) == "Untitled 1*"
    window.show_tab(recovered_fresh)
    assert window.isWindowModified() and "unsaved" in window.windowTitle()
    assert leftovers(private_journal) == []  # offered once: now journaled by this session
    for tab in recovered:
        tab.controller.undo_stack.setClean()
        tab.journal.discard()


def test_saving_and_closing_leave_nothing_to_recover(qtbot, tmp_path, private_journal) -> None:
    model = tmp_path / "incident.bpmn"
    shutil.copy(ROOT / "samples" / "incident-management.bpmn", model)
    window = MainWindow()
    qtbot.addWidget(window)
    window.open_file(str(model))
    task = window.document.element("Activity_LogIncident")

    window.view.run("Rename", lambda doc: shapes.set_label(doc, task, "Log it"))
    window.journal.flush()
    assert window.journal.snapshot.is_file()
    assert window._save_to(model)
    assert not window.journal.snapshot.exists()
    window.view.run("Rename", lambda doc: shapes.set_label(doc, task, "Log it now"))
    window.journal.flush()
    assert window.journal.snapshot.is_file()
    window.controller.undo_stack.undo()  # back to the saved state: nothing unsaved
    assert not window.journal.snapshot.exists()
