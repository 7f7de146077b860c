"""A designer's gestures on the canvas, through real mouse and keyboard events: each one changes
the model as the user expects, is one undo step, and undo and redo give back the documents
before and after."""

from __future__ import annotations

import pytest
from bpmn_checks import moddle_warnings, xsd_errors
from conftest import ROOT
from gestures import at, click, double_click, drag, key, type_text
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from smo_designer.app.main_window import MainWindow
from smo_designer.canvas.items import EdgeItem, ShapeItem
from smo_designer.formats.bpmn import write_bpmn
from smo_designer.model import bpmn as b
from smo_designer.model import di
from smo_designer.model.namespaces import bpmn

SAMPLE = ROOT / "samples" / "incident-management.bpmn"


@pytest.fixture
def window(qtbot):
    window = MainWindow()
    with qtbot.waitExposed(window):
        window.show()
    assert window.open_file(str(SAMPLE))
    window.resize(1600, 1000)
    window.view.fit()
    window.view.setFocus()
    yield window
    window.controller.undo_stack.setClean()  # closing must not ask about the test's edits
    window.close()
    window.deleteLater()


def shape_rect(window: MainWindow, element_id: str):
    item = window.scene.item_for(element_id)
    assert isinstance(item, ShapeItem), element_id
    return item.scene_rect()


def centre_of(window: MainWindow, element_id: str):
    rect = shape_rect(window, element_id)
    return at(window.view, rect.center().x(), rect.center().y())


def lane_refs(window: MainWindow, lane_id: str) -> list[str]:
    lane = window.document.element(lane_id)
    return [(ref.text or "").strip() for ref in lane.findall(bpmn("flowNodeRef"))]


def assert_one_step_undo_redo(window: MainWindow, before, label: str | None = None) -> None:
    stack = window.controller.undo_stack
    if label is not None:
        assert stack.undoText() == label
    after = window.document.content()
    assert after != before
    stack.undo()
    assert window.document.content() == before
    stack.redo()
    assert window.document.content() == after


def test_create_a_task_from_the_palette_inside_a_lane(window: MainWindow, qtbot) -> None:
    before = window.document.content()
    count = window.controller.undo_stack.count()
    lane = shape_rect(window, "Lane_Manager")
    key(window.view, Qt.Key.Key_T)  # the palette's Task
    assert window.view.tool == "create"
    click(window.view, at(window.view, lane.left() + 120, lane.center().y()))
    assert window.controller.undo_stack.count() == count + 1
    editor = window.view.label_editor()
    assert editor is not None  # a new shape opens its name for typing
    type_text(editor, "Notify stakeholders")
    key(editor, Qt.Key.Key_Return)
    tasks = [t for t in window.document.root.iter(bpmn("task")) if b.name(t) == "Notify stakeholders"]
    assert len(tasks) == 1
    assert tasks[0].id in lane_refs(window, "Lane_Manager")
    assert isinstance(window.scene.item_for(tasks[0].id), ShapeItem)
    stack = window.controller.undo_stack
    stack.undo()  # the rename
    stack.undo()  # the creation
    assert window.document.content() == before
    assert window.scene.item_for(tasks[0].id) is None
    stack.redo()
    stack.redo()
    assert b.name(window.document.element(tasks[0].id)) == "Notify stakeholders"


def test_connect_two_tasks_with_the_connect_handle(window: MainWindow) -> None:
    before = window.document.content()
    source = shape_rect(window, "Activity_CoordinateMajorIncident")
    click(window.view, centre_of(window, "Activity_CoordinateMajorIncident"))
    handle = window.view._connect_handle(window.scene.item_for("Activity_CoordinateMajorIncident"))
    start = at(window.view, handle.center().x(), handle.center().y())
    del source
    drag(window.view, start, centre_of(window, "Activity_ReviewMajorIncident"))
    flows = [
        f
        for f in window.document.root.iter(bpmn("sequenceFlow"))
        if f.get("sourceRef") == "Activity_CoordinateMajorIncident"
        and f.get("targetRef") == "Activity_ReviewMajorIncident"
    ]
    assert len(flows) == 1
    edge = window.scene.item_for(flows[0].id)
    assert isinstance(edge, EdgeItem)
    points = edge.points
    assert all(abs(a.x() - c.x()) < 0.5 or abs(a.y() - c.y()) < 0.5 for a, c in zip(points, points[1:], strict=False))
    assert_one_step_undo_redo(window, before, "Connect")


def test_drag_a_task_into_another_lane_changes_its_lane(window: MainWindow) -> None:
    before = window.document.content()
    assert "Activity_InitialDiagnosis" in lane_refs(window, "Lane_Agent")
    target_lane = shape_rect(window, "Lane_Specialist")
    task = shape_rect(window, "Activity_InitialDiagnosis")
    drag(
        window.view,
        centre_of(window, "Activity_InitialDiagnosis"),
        at(window.view, task.center().x(), target_lane.center().y()),
    )
    assert "Activity_InitialDiagnosis" in lane_refs(window, "Lane_Specialist")
    assert "Activity_InitialDiagnosis" not in lane_refs(window, "Lane_Agent")
    moved = shape_rect(window, "Activity_InitialDiagnosis")
    assert target_lane.contains(moved.center())
    assert_one_step_undo_redo(window, before, "Move")


def test_drag_a_lane_header_reorders_the_lanes_with_their_contents(window: MainWindow) -> None:
    before = window.document.content()
    agent = shape_rect(window, "Lane_Agent")
    specialist = shape_rect(window, "Lane_Specialist")
    log_before = shape_rect(window, "Activity_LogIncident")
    header = at(window.view, agent.left() + 15, agent.center().y())
    drag(window.view, header, at(window.view, agent.left() + 15, specialist.bottom() - 5))
    lane_set = window.document.element("Lane_Agent").parent
    order = [lane.id for lane in lane_set.findall(bpmn("lane"))]
    assert order[-1] == "Lane_Agent"
    assert shape_rect(window, "Lane_Agent").top() > shape_rect(window, "Lane_Specialist").top()
    log_after = shape_rect(window, "Activity_LogIncident")
    assert shape_rect(window, "Lane_Agent").contains(log_after.center())
    assert log_after.top() - log_before.top() == pytest.approx(shape_rect(window, "Lane_Agent").top() - agent.top())
    assert "Activity_LogIncident" in lane_refs(window, "Lane_Agent")
    assert_one_step_undo_redo(window, before, "Move lane")


def test_split_a_lane_from_the_lanes_menu(window: MainWindow) -> None:
    before = window.document.content()
    lane = shape_rect(window, "Lane_Manager")
    click(window.view, at(window.view, lane.left() + 15, lane.center().y()))
    assert [e.id for e in window.scene.selected_elements()] == ["Lane_Manager"]
    key(window.view, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    children = window.document.element("Lane_Manager").find(bpmn("childLaneSet"))
    assert children is not None and len(children.findall(bpmn("lane"))) == 2
    assert_one_step_undo_redo(window, before, "Split lane")


def test_resize_a_lane_by_its_handle_the_neighbour_gives_way(window: MainWindow) -> None:
    before = window.document.content()
    manager = shape_rect(window, "Lane_Manager")
    specialist = shape_rect(window, "Lane_Specialist")
    click(window.view, at(window.view, manager.left() + 15, manager.center().y()))
    handle = at(window.view, manager.center().x(), manager.bottom())
    drag(window.view, handle, at(window.view, manager.center().x(), manager.bottom() + 40))
    assert shape_rect(window, "Lane_Manager").height() == pytest.approx(manager.height() + 40)
    assert shape_rect(window, "Lane_Specialist").height() == pytest.approx(specialist.height() - 40)
    assert shape_rect(window, "Lane_Specialist").bottom() == pytest.approx(specialist.bottom())
    assert_one_step_undo_redo(window, before, "Resize lane")


def test_delete_a_lane_the_neighbours_fill_the_gap(window: MainWindow) -> None:
    before = window.document.content()
    manager = shape_rect(window, "Lane_Manager")
    pool = shape_rect(window, "Participant_ITServiceProvider")
    click(window.view, at(window.view, manager.left() + 15, manager.center().y()))
    key(window.view, Qt.Key.Key_Delete)
    assert window.document.element("Lane_Manager") is None
    remaining = [shape_rect(window, ident) for ident in ("Lane_Agent", "Lane_Specialist")]
    assert sum(rect.height() for rect in remaining) == pytest.approx(pool.height())
    # the manager's tasks are still there, now in the lane that covers them
    task = window.document.element("Activity_CoordinateMajorIncident")
    assert task is not None and b.lanes_of(window.document, task)
    assert_one_step_undo_redo(window, before, "Delete")


def test_double_click_edits_a_label_in_place(window: MainWindow) -> None:
    before = window.document.content()
    double_click(window.view, centre_of(window, "Activity_CloseIncident"))
    editor = window.view.label_editor()
    assert editor is not None and editor.toPlainText() == "Close incident"
    editor.selectAll()
    type_text(editor, "Close and survey")
    key(editor, Qt.Key.Key_Return)
    assert b.name(window.document.element("Activity_CloseIncident")) == "Close and survey"
    assert_one_step_undo_redo(window, before, "Rename")


def test_copy_and_paste_a_task(window: MainWindow) -> None:
    before = window.document.content()
    click(window.view, centre_of(window, "Activity_LogIncident"))
    key(window.view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.clipboard().mimeData().hasFormat("application/x-smo-designer-bpmn")
    key(window.view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    copies = [t for t in window.document.root.iter(bpmn("userTask")) if b.name(t) == "Log incident"]
    assert len(copies) == 2
    new = next(t for t in copies if t.id != "Activity_LogIncident")
    assert isinstance(window.scene.item_for(new.id), ShapeItem)
    assert [e.id for e in window.scene.selected_elements()] == [new.id]
    assert_one_step_undo_redo(window, before, "Paste")


def test_align_two_tasks_to_the_left(window: MainWindow) -> None:
    before = window.document.content()
    pair = ("Activity_CoordinateMajorIncident", "Activity_ReviewMajorIncident")
    assert len({shape_rect(window, i).left() for i in pair}) == 2
    click(window.view, centre_of(window, pair[0]))
    click(window.view, centre_of(window, pair[1]), Qt.KeyboardModifier.ControlModifier)
    assert len(window.scene.selected_elements()) == 2
    key(window.view, Qt.Key.Key_Left, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
    assert len({shape_rect(window, i).left() for i in pair}) == 1
    assert_one_step_undo_redo(window, before, "Align")


def test_after_a_session_of_edits_the_file_is_valid_bpmn(window: MainWindow, tmp_path, bpmn_moddle) -> None:
    test_create_a_task_from_the_palette_inside_a_lane(window, None)
    test_connect_two_tasks_with_the_connect_handle(window)
    test_drag_a_task_into_another_lane_changes_its_lane(window)
    test_drag_a_lane_header_reorders_the_lanes_with_their_contents(window)
    test_split_a_lane_from_the_lanes_menu(window)
    test_copy_and_paste_a_task(window)
    target = tmp_path / "edited.bpmn"
    write_bpmn(window.document, target)
    assert xsd_errors(target.read_bytes()) == []
    assert not any(moddle_warnings(bpmn_moddle, [target]).values())
    assert di.diagrams(window.document)


def test_a_vertical_pool_from_the_palette_takes_lanes_side_by_side(qtbot) -> None:
    window = MainWindow()
    window.resize(1400, 900)
    with qtbot.waitExposed(window):
        window.show()
    try:
        window.view.setFocus()
        key(window.view, Qt.Key.Key_V, Qt.KeyboardModifier.ShiftModifier)
        click(window.view, at(window.view, 300, 300))
        pool = next(e for e in window.document.root.iter(bpmn("participant")))
        shape = di.plane_index(window.document, window.scene.plane).drawing(pool.id)
        assert di.is_horizontal(shape) is False
        rect = window.scene.item_for(pool.id).scene_rect()
        assert rect.height() > rect.width()
        window.scene.select_elements([pool.id])
        window.add_lane("after")
        lanes = [
            window.scene.item_for(lane.id).scene_rect()
            for lane in b.lanes(b.owning_process(pool) or window.document.element(pool.get("processRef")))
        ]
        assert len(lanes) == 2
        assert lanes[0].top() == lanes[1].top() and lanes[0].left() != lanes[1].left()
        assert all(
            not window.scene.item_for(lane.id).look.horizontal
            for lane in b.lanes(window.document.element(pool.get("processRef")))
        )
    finally:
        window.controller.undo_stack.setClean()
        window.close()


def test_a_rubber_band_on_a_pool_body_selects_what_it_encloses(window: MainWindow) -> None:
    first = shape_rect(window, "Activity_LogIncident")
    second = shape_rect(window, "Activity_CategorisePrioritise")
    start = at(window.view, first.left() - 10, first.top() - 10)
    end = at(window.view, second.right() + 10, second.bottom() + 10)
    drag(window.view, start, end)
    # the two tasks and the flow between them, nothing else (not the lane or pool around them)
    assert {e.id for e in window.scene.selected_elements()} == {
        "Activity_LogIncident",
        "Activity_CategorisePrioritise",
        "Flow_Categorise",
    }
    key(window.view, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    selected = {e.local for e in window.scene.selected_elements()}
    assert "userTask" in selected and "lane" not in selected


def test_dropping_a_palette_entry_creates_the_shape_where_it_lands(window: MainWindow) -> None:
    from PySide6.QtCore import QMimeData, QPointF
    from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent

    from smo_designer.canvas.view import PALETTE_MIME, spec_to_mime
    from smo_designer.modeling.shapes import ShapeSpec

    before = window.document.content()
    before_ids = {g.id for g in window.document.root.iter(bpmn("exclusiveGateway"))}
    lane = shape_rect(window, "Lane_Specialist")
    point = at(window.view, lane.left() + 100, lane.center().y())
    data = QMimeData()
    data.setData(PALETTE_MIME, spec_to_mime(ShapeSpec("exclusiveGateway")).encode())
    # what a drag from the palette delivers: enter, move, drop
    buttons, modifiers = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    QApplication.sendEvent(
        window.view.viewport(), QDragEnterEvent(point, Qt.DropAction.CopyAction, data, buttons, modifiers)
    )
    QApplication.sendEvent(
        window.view.viewport(), QDragMoveEvent(point, Qt.DropAction.CopyAction, data, buttons, modifiers)
    )
    QApplication.sendEvent(
        window.view.viewport(), QDropEvent(QPointF(point), Qt.DropAction.CopyAction, data, buttons, modifiers)
    )
    window.view._finish_label_edit(keep=False)
    created = [g for g in window.document.root.iter(bpmn("exclusiveGateway")) if g.id not in before_ids]
    assert len(created) == 1
    assert created[0].id in lane_refs(window, "Lane_Specialist")
    assert lane.contains(shape_rect(window, created[0].id).center())
    assert_one_step_undo_redo(window, before, "Create exclusive gateway")
