"""The scene draws every DI element of every reference model, and follows the model: an edit,
its undo and its redo move, add and remove exactly the items concerned."""

from __future__ import annotations

import pytest
from conftest import MIWG, ROOT, miwg_files
from PySide6.QtGui import QUndoStack

from smo_designer.canvas.items import EdgeItem, LabelItem, ShapeItem
from smo_designer.canvas.scene import DiagramScene
from smo_designer.commands.base import execute
from smo_designer.commands.diagram import DiagramCommand
from smo_designer.formats.bpmn import read_bpmn
from smo_designer.model import di
from smo_designer.modeling import geometry, shapes


@pytest.mark.parametrize("path", miwg_files(), ids=lambda p: p.stem)
def test_every_di_element_of_every_diagram_has_its_item(qapp, path) -> None:
    document = read_bpmn(path).document
    planes = [di.plane(d) for d in di.diagrams(document)]
    assert planes
    for plane in planes:
        scene = DiagramScene(document, plane)
        drawings = [c for c in plane.children if di.is_shape(c) or di.is_edge(c)]
        items = scene.diagram_items()
        assert len(items) == len(drawings)
        assert {id(item.drawing) for item in items} == {id(d) for d in drawings}
        for item in items:
            if isinstance(item, ShapeItem):
                box = di.bounds(item.drawing)
                assert (item.pos().x(), item.pos().y(), item.rect.width(), item.rect.height()) == (
                    box.x,
                    box.y,
                    box.width,
                    box.height,
                )
            else:
                assert isinstance(item, EdgeItem)
                assert [(p.x(), p.y()) for p in item.points] == [(p.x, p.y) for p in di.waypoints(item.drawing)]
        scene.detach()


def test_named_events_gateways_and_flows_get_labels_where_di_puts_them(qapp) -> None:
    document = read_bpmn(MIWG / "A.2.0.bpmn").document
    scene = DiagramScene(document)
    labelled = [item for item in scene.diagram_items() if di.label_bounds(item.drawing) is not None]
    assert labelled
    for item in labelled:
        label = scene.label_for(item)
        if label is None or not label.text:
            continue
        box = di.label_bounds(item.drawing)
        assert isinstance(label, LabelItem)
        assert (label.rect.x(), label.rect.y()) == (box.x, box.y)


def test_the_scene_follows_edits_undo_and_redo(qapp) -> None:
    document = read_bpmn(ROOT / "samples" / "incident-management.bpmn").document
    scene = DiagramScene(document)
    stack = QUndoStack()
    plane = scene.plane
    task = scene.item_for("Activity_LogIncident")
    start = task.pos()
    flows = [
        scene.item_for(f.id)
        for f in document.root.iter()
        if f.local == "sequenceFlow" and "Activity_LogIncident" in (f.get("sourceRef"), f.get("targetRef"))
    ]
    before_points = [list(f.points) for f in flows]
    execute(
        stack, DiagramCommand(document, "Move", lambda doc: geometry.move_shapes(doc, plane, [task.drawing], 30, 0))
    )
    scene.flush()
    assert task.pos() == start + type(start)(30, 0)
    assert [list(f.points) for f in flows] != before_points
    stack.undo()
    scene.flush()
    assert task.pos() == start
    assert [list(f.points) for f in flows] == before_points
    count = len(scene.diagram_items())
    element = document.element("Activity_LogIncident")
    execute(stack, DiagramCommand(document, "Delete", lambda doc: shapes.delete_elements(doc, [element])))
    scene.flush()
    assert scene.item_for("Activity_LogIncident") is None
    assert len(scene.diagram_items()) == count - 1 - len(flows)
    stack.undo()
    scene.flush()
    assert scene.item_for("Activity_LogIncident") is not None
    assert len(scene.diagram_items()) == count


def test_an_undo_stack_that_outlives_its_view_does_not_crash(tmp_path) -> None:
    """Regression: a QUndoStack signals while it is destroyed; the view it pointed to was already
    gone and the process died of a segmentation fault (run in a child process for that reason)."""
    import subprocess
    import sys

    script = tmp_path / "outlive.py"
    script.write_text(
        "import os\n"
        "os.environ['QT_QPA_PLATFORM'] = 'offscreen'\n"
        "from PySide6.QtGui import QUndoStack\n"
        "from PySide6.QtWidgets import QApplication\n"
        "application = QApplication([])\n"
        "from smo_designer.canvas.scene import DiagramScene\n"
        "from smo_designer.canvas.view import DiagramView\n"
        "from smo_designer.formats.bpmn import read_bpmn\n"
        "from smo_designer.modeling import geometry\n"
        f"document = read_bpmn({str(ROOT / 'samples' / 'incident-management.bpmn')!r}).document\n"
        "stack = QUndoStack()\n"
        "view = DiagramView(DiagramScene(document), stack)\n"
        "shape = view.diagram().item_for('Activity_LogIncident').drawing\n"
        "view.run('Move', lambda doc: geometry.move_shapes(doc, view.plane, [shape], 10, 0))\n"
        "del view\n"
        "stack.clear()\n"
        "print('survived')\n",
        encoding="utf-8",
    )
    run = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    assert "survived" in run.stdout
