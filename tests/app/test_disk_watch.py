"""A file changed on disk by another program: reloaded quietly when there are no local edits;
with local edits the user keeps theirs or takes the file's, after comparing if they wish."""

from __future__ import annotations

import shutil

import pytest
from conftest import ROOT

from smo_designer.app import disk_watch
from smo_designer.app.main_window import MainWindow
from smo_designer.formats.bpmn import read_bpmn, write_bpmn
from smo_designer.model import bpmn as b
from smo_designer.modeling import shapes


@pytest.fixture
def opened(qtbot, tmp_path):
    model = tmp_path / "incident.bpmn"
    shutil.copy(ROOT / "samples" / "incident-management.bpmn", model)
    window = MainWindow()
    window.show()
    assert window.open_file(str(model))
    yield window, model
    window.controller.undo_stack.setClean()  # closing must not ask about the test's edits
    window.close()
    window.deleteLater()


def change_on_disk(model, name: str) -> None:
    """Another program renames a task in the file."""
    other = read_bpmn(model).document
    with other.edit("theirs"):
        b.set_name(other, other.element("Activity_LogIncident"), name)
    write_bpmn(other, model)


def test_without_local_edits_the_file_is_reloaded_quietly(opened, qtbot) -> None:
    window, model = opened
    change_on_disk(model, "Logged by the other tool")
    qtbot.waitUntil(lambda: b.name(window.document.element("Activity_LogIncident")) == "Logged by the other tool")
    assert not window.isWindowModified()
    assert window.scene.item_for("Activity_LogIncident").look.name == "Logged by the other tool"


def test_our_own_save_is_not_mistaken_for_a_change(opened, qtbot, monkeypatch) -> None:
    window, model = opened
    asked = []
    monkeypatch.setattr(disk_watch.DiskWatcher, "ask", lambda self, path: asked.append(path) or "mine")
    task = window.document.element("Activity_LogIncident")
    window.view.run("Rename", lambda doc: shapes.set_label(doc, task, "Ours"))
    assert window._save_to(model)
    window.disk_watch.check()
    window.view.run("Rename", lambda doc: shapes.set_label(doc, task, "Ours again"))
    qtbot.wait(400)
    window.disk_watch.check()
    assert asked == []
    assert b.name(window.document.element("Activity_LogIncident")) == "Ours again"


@pytest.mark.parametrize("choice", ["mine", "theirs"])
def test_with_local_edits_the_user_chooses(opened, qtbot, monkeypatch, choice) -> None:
    window, model = opened
    asked = []
    monkeypatch.setattr(disk_watch.DiskWatcher, "ask", lambda self, path: asked.append(path) or choice)
    task = window.document.element("Activity_CloseIncident")
    window.view.run("Rename", lambda doc: shapes.set_label(doc, task, "Close with a survey"))
    change_on_disk(model, "Logged by the other tool")
    qtbot.waitUntil(lambda: bool(asked))
    assert asked == [model]
    if choice == "theirs":
        assert b.name(window.document.element("Activity_LogIncident")) == "Logged by the other tool"
        assert b.name(window.document.element("Activity_CloseIncident")) == "Close incident"
        assert not window.isWindowModified()
    else:
        assert b.name(window.document.element("Activity_LogIncident")) == "Log incident"
        assert b.name(window.document.element("Activity_CloseIncident")) == "Close with a survey"
        assert window.isWindowModified()
        window.disk_watch.check()
        assert len(asked) == 1  # asked once for that change, not again


def test_compare_shows_the_differing_lines(opened) -> None:
    window, model = opened
    change_on_disk(model, "Logged by the other tool")
    dialog = disk_watch.CompareDialog(window.document, model, window)
    text = dialog.text.toPlainText()
    assert '-    <bpmn:userTask id="Activity_LogIncident" name="Logged by the other tool">' in text
    assert '+    <bpmn:userTask id="Activity_LogIncident" name="Log incident">' in text
