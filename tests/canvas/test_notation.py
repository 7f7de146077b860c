"""The notation painter: every reference model gets a Look for each shape and paints without
error; Looks say what the file says; what a user would tell apart is drawn apart."""

from __future__ import annotations

import pytest
from conftest import MIWG, miwg_files
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QImage, QPainter

from smo_designer.canvas import notation
from smo_designer.canvas.notation import EdgeLook, Look
from smo_designer.formats.bpmn import read_bpmn
from smo_designer.model import di
from smo_designer.model.element import Element
from smo_designer.model.namespaces import bpmn, bpmndi


def _image(width: int = 120, height: int = 100) -> QImage:
    image = QImage(width, height, QImage.Format.Format_ARGB32)
    image.fill(notation.LIGHT.background)
    return image


def render(look: Look, width: float = 100, height: float = 80, detail: float = 1.0) -> QImage:
    image = _image(int(width) + 20, int(height) + 20)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    notation.paint_shape(painter, look, QRectF(10, 10, width, height), notation.LIGHT, detail)
    painter.end()
    return image


def ink(image: QImage, rect: QRectF | None = None) -> int:
    """How many pixels differ from the background (in `rect` when given)."""
    background = notation.LIGHT.background.rgb()
    area = rect.toRect() if rect is not None else image.rect()
    return sum(
        1
        for y in range(area.top(), area.bottom() + 1)
        for x in range(area.left(), area.right() + 1)
        if image.pixel(x, y) != background
    )


def differing_pixels(first: QImage, second: QImage) -> int:
    assert first.size() == second.size()
    return sum(
        1 for y in range(first.height()) for x in range(first.width()) if first.pixel(x, y) != second.pixel(x, y)
    )


def element_of(document, drawing: Element) -> Element | None:
    return document.element((drawing.get("bpmnElement") or "").rpartition(":")[2])


# --- every reference model --------------------------------------------------------------------


@pytest.mark.parametrize("path", miwg_files(), ids=lambda p: p.stem)
def test_every_diagram_element_of_every_reference_model_paints(qapp, path) -> None:
    document = read_bpmn(path).document
    drawings = list(di.diagram_elements(document))
    assert drawings
    image = _image(400, 300)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    for drawing in drawings:
        element = element_of(document, drawing)
        if di.is_shape(drawing):
            look = notation.look_of(element, drawing, document)
            box = di.bounds(drawing) or di.Bounds(0, 0, 0, 0)
            rect = QRectF(0, 0, box.width, box.height)
            for detail in (1.0, 0.3, 0.1):
                notation.paint_shape(painter, look, rect, notation.LIGHT, detail)
            notation.paint_shape(painter, look, rect, notation.DARK)
            assert not notation.outline(look, rect).isEmpty()
            if not notation.label_inside(look) and look.name:
                label = notation.external_label_rect(look, rect, look.name)
                assert label.height() > 0
                notation.paint_label(painter, look.name, label, notation.LIGHT)
        else:
            edge_look = notation.look_of_edge(element, drawing, document)
            points = [QPointF(p.x, p.y) for p in di.waypoints(drawing)]
            for detail in (1.0, 0.1):
                notation.paint_edge(painter, edge_look, points, notation.LIGHT, detail)
            if len(points) >= 2:
                assert not notation.edge_shape(points).isEmpty()
    painter.end()
    assert ink(image) > 0


# --- what the Looks read from B.2.0 -----------------------------------------------------------


@pytest.fixture(scope="module")
def b20():
    document = read_bpmn(MIWG / "B.2.0.bpmn").document
    drawings = {element_of(document, d).id: d for d in di.diagram_elements(document) if element_of(document, d)}
    return document, drawings


def look_by_id(b20, ident: str) -> Look:
    document, drawings = b20
    return notation.look_of(document.element(ident), drawings[ident], document)


def test_event_looks_read_trigger_interrupting_and_throwing(b20) -> None:
    timer_start = look_by_id(b20, "_4e71bf73-1719-401e-a9a2-85dc89fc1150")  # Start Event 1 Timer
    assert (timer_start.kind, timer_start.trigger, timer_start.interrupting, timer_start.throwing) == (
        "startEvent", "timer", True, False)  # fmt: skip
    conditional = look_by_id(b20, "_732c0641-b12f-448b-b9f8-a68b355782e3")  # boundary, non-interrupting
    assert (conditional.kind, conditional.trigger, conditional.interrupting) == ("boundaryEvent", "conditional", False)
    message = look_by_id(b20, "_86b052b4-225c-424e-b900-bb94bdd77cec")  # boundary, interrupting message
    assert (message.trigger, message.interrupting) == ("message", True)
    terminate = look_by_id(b20, "_778ff738-a5af-4373-a8da-0fbbfae9e00a")  # End Event 5 Terminate
    assert (terminate.kind, terminate.trigger, terminate.throwing) == ("endEvent", "terminate", True)
    link_throw = look_by_id(b20, "_f27040d5-765c-493c-bbe7-9fb6ad04cbdc")
    link_catch = look_by_id(b20, "_4f5e6e50-d9d0-4f97-959a-d1b8e1e32788")
    assert (link_throw.kind, link_throw.trigger, link_throw.throwing) == ("intermediateThrowEvent", "link", True)
    assert (link_catch.kind, link_catch.trigger, link_catch.throwing) == ("intermediateCatchEvent", "link", False)
    assert look_by_id(b20, "_b67ba682-c8d6-465b-b538-c287db18d1be").name == "End Event 1\nMessage"


def test_activity_looks_read_markers_expansion_and_called_task(b20) -> None:
    assert look_by_id(b20, "_c57a5344-213f-4834-a6c3-94ce878b413c").loop == "sequential"  # User Task 12
    assert look_by_id(b20, "_b9343536-6490-4559-8365-71d5c4cbb7cb").loop == "loop"  # User Task 7 Standard Loop
    multi = look_by_id(b20, "_149a6e1d-0385-4d0f-a90c-c2150a291a67")  # Collapsed Sub-Process 1 Multi-Instances
    assert (multi.kind, multi.loop, multi.expanded) == ("subProcess", "parallel", False)
    assert look_by_id(b20, "_303e68ec-dbb3-4d90-8a96-26e0be44f5f3").expanded is True  # Expanded Sub-Process 1
    assert look_by_id(b20, "_ba16239e-181e-4b9f-bc5b-0bb2ee973450").expanded is True  # Expanded Call Activity
    collapsed_call = look_by_id(b20, "_1237e756-d53c-4591-a731-dafffbf0b3f9")
    assert (collapsed_call.kind, collapsed_call.expanded, collapsed_call.call_kind) == ("callActivity", False, None)
    global_user = look_by_id(b20, "_a74c1d4d-db90-43ff-8920-139a300b39a5")  # calls a global user task
    assert global_user.call_kind == "userTask"
    assert look_by_id(b20, "_2a08c361-be51-437e-a86d-c62798c14e83").loop is None  # Task 5


def test_gateway_data_artifact_and_swimlane_looks(b20) -> None:
    exclusive = look_by_id(b20, "_49e94b5f-ce21-4c2b-b78d-3cde5c09c15e")
    assert (exclusive.kind, exclusive.marker_visible) == ("exclusiveGateway", True)
    event_gateway = look_by_id(b20, "_be29f267-9d56-46ef-8bbc-e13513b25fce")
    assert (event_gateway.kind, event_gateway.instantiate, event_gateway.parallel_event_gateway) == (
        "eventBasedGateway", False, False)  # fmt: skip
    pool = look_by_id(b20, "_55bb31e8-9e62-48ea-8f0e-1a748c04bbf6")
    assert (pool.kind, pool.name, pool.horizontal, pool.expanded) == ("participant", "Pool", True, True)
    lane = look_by_id(b20, "_4a6df7ac-26d8-4718-ac05-90af463d5e23")
    assert (lane.kind, lane.name, lane.horizontal) == ("lane", "Lane 1", True)
    assert look_by_id(b20, "_4815ea6a-ede2-489b-8b37-2cdb2835b02c") == Look(kind="textAnnotation", name="Annotation")
    assert look_by_id(b20, "_48d300c1-487a-409b-a04a-b195e222ef90").name == "Group"  # its categoryValue
    assert look_by_id(b20, "_b9385abf-d293-40b7-848b-8add4db48415").kind == "dataStoreReference"
    assert look_by_id(b20, "_aa8c769a-276c-4589-b182-7c7bbd0a9e1e").collection is False


def test_edge_looks_read_default_message_and_kind(b20) -> None:
    document, drawings = b20

    def edge(ident: str) -> EdgeLook:
        return notation.look_of_edge(document.element(ident), drawings[ident], document)

    assert edge("_670ceb69-cd3a-46e8-96a0-a520a8fc589b").default is True  # Default Sequence Flow 2
    assert edge("_09e7cb23-4a1b-4165-b93a-cf635c223ee5") == EdgeLook("messageFlow", message="initiating")
    assert edge("_9428f666-fc8a-41be-8a77-9b280e14e7ae") == EdgeLook("messageFlow")  # no messageVisibleKind
    assert edge("_5362a7ef-ce7e-4a91-9c38-66c07b1b5f49").kind == "association"
    assert edge("_f906ca20-8666-41ff-9d37-b76e09ac4f94").kind == "dataInputAssociation"


def test_vertical_swimlanes_collections_and_di_colours() -> None:
    data_object = Element(bpmn("dataObject"), {"id": "D1", "isCollection": "true"})
    reference = Element(bpmn("dataObjectReference"), {"id": "R1", "dataObjectRef": "D1", "name": "Orders"})
    table = {"D1": data_object}

    class Lookup:
        def element(self, ident):
            return table.get(ident)

    shape = Element(bpmndi("BPMNShape"), {"bpmnElement": "R1"})
    assert notation.look_of(reference, shape, Lookup()).collection is True
    assert notation.look_of(reference, shape, None).collection is False
    lane = Element(bpmn("lane"), {"id": "L1", "name": "Desk"})
    vertical = Element(bpmndi("BPMNShape"), {"bpmnElement": "L1", "isHorizontal": "false"})
    assert notation.look_of(lane, vertical).horizontal is False
    assert notation.look_of(lane, Element(bpmndi("BPMNShape"), {"bpmnElement": "L1"})).horizontal is True
    gateway = Element(bpmn("exclusiveGateway"), {"id": "G1"})
    assert notation.look_of(gateway, Element(bpmndi("BPMNShape"), {})).marker_visible is False
    assert notation.look_of(None, shape) == Look(kind="unknown")
    foreign = Element("{urn:vendor}thing", {"id": "X", "name": "Thing"})
    assert notation.look_of(foreign, shape).kind == "unknown"

    document = read_bpmn(MIWG / "A.2.1.bpmn").document
    coloured = [
        notation.look_of(element_of(document, d), d, document) for d in di.diagram_elements(document) if di.is_shape(d)
    ]
    assert "#6db700" in {look.fill for look in coloured}


# --- what is drawn ----------------------------------------------------------------------------


def test_interrupting_and_non_interrupting_events_differ(qapp) -> None:
    for kind in ("startEvent", "boundaryEvent"):
        solid = render(Look(kind=kind, trigger="message"), 36, 36)
        dashed = render(Look(kind=kind, trigger="message", interrupting=False), 36, 36)
        assert differing_pixels(solid, dashed) > 30
        # dashes leave gaps: less ink on the ring
        assert ink(dashed) < ink(solid)


def test_catch_and_throw_icons_differ(qapp) -> None:
    for trigger in ("message", "signal", "escalation", "error", "link", "compensate", "multiple"):
        catch = render(Look(kind="intermediateCatchEvent", trigger=trigger), 36, 36)
        throw = render(Look(kind="intermediateThrowEvent", trigger=trigger, throwing=True), 36, 36)
        assert ink(throw) > ink(catch) + 20, trigger  # the throw icon is filled


def test_every_trigger_draws_its_own_icon(qapp) -> None:
    triggers = ["none", "message", "timer", "escalation", "conditional", "link", "error", "cancel", "compensate",
                "signal", "multiple", "parallelMultiple", "terminate"]  # fmt: skip
    images = [render(Look(kind="endEvent", trigger=t, throwing=True), 36, 36) for t in triggers]
    for index, image in enumerate(images):
        for other in images[index + 1 :]:
            assert differing_pixels(image, other) > 10


def test_task_types_and_markers_are_drawn(qapp) -> None:
    plain = render(Look(kind="task", name="Check"))
    icon_area = QRectF(12, 12, 24, 24)
    assert ink(plain, icon_area) < 30  # the rounded corner only
    for kind in ("userTask", "manualTask", "serviceTask", "sendTask", "receiveTask", "scriptTask", "businessRuleTask"):
        typed = render(Look(kind=kind, name="Check"))
        assert ink(typed, icon_area) > ink(plain, icon_area) + 30, kind
    marker_area = QRectF(30, 64, 60, 22)
    assert ink(plain, marker_area) == 0
    for look in (
        Look(kind="task", loop="loop"),
        Look(kind="task", loop="parallel"),
        Look(kind="task", loop="sequential"),
        Look(kind="task", compensation=True),
        Look(kind="subProcess"),
        Look(kind="adHocSubProcess", expanded=True),
    ):
        assert ink(render(look), marker_area) > 20, look
    parallel, sequential = render(Look(kind="task", loop="parallel")), render(Look(kind="task", loop="sequential"))
    assert differing_pixels(parallel, sequential) > 20
    gateway_x = render(Look(kind="exclusiveGateway"), 50, 50)
    gateway_blank = render(Look(kind="exclusiveGateway", marker_visible=False), 50, 50)
    assert ink(gateway_x, QRectF(25, 25, 20, 20)) > ink(gateway_blank, QRectF(25, 25, 20, 20)) + 50


def test_low_detail_draws_no_text_and_no_icons(qapp) -> None:
    named, unnamed = Look(kind="userTask", name="Approve the change"), Look(kind="userTask")
    assert differing_pixels(render(named), render(unnamed)) > 50  # at full detail the name shows
    assert differing_pixels(render(named, detail=0.1), render(unnamed, detail=0.1)) == 0
    assert differing_pixels(render(named, detail=0.3), render(unnamed, detail=0.3)) == 0
    assert differing_pixels(render(named, detail=0.1), render(Look(kind="task"), detail=0.1)) == 0  # no icon
    pool, nameless_pool = (
        Look(kind="participant", name="Service Desk", expanded=True),
        Look(kind="participant", expanded=True),
    )
    assert differing_pixels(render(pool, 200, 80, 0.1), render(nameless_pool, 200, 80, 0.1)) == 0
    image = _image()
    painter = QPainter(image)
    notation.paint_label(painter, "Incident logged", QRectF(10, 10, 90, 30), notation.LIGHT, 0.1)
    painter.end()
    assert ink(image) == 0


def test_activity_borders_tell_kinds_apart(qapp) -> None:
    task = render(Look(kind="subProcess", name="S"))
    for look in (
        Look(kind="transaction", name="S"),
        Look(kind="callActivity", name="S"),
        Look(kind="subProcess", name="S", event_subprocess=True),
    ):
        assert differing_pixels(task, render(look)) > 50, look.kind
    assert ink(render(Look(kind="callActivity", name="S"))) > ink(task) + 200  # the thick border


def test_flows_draw_their_decorations_and_accept_both_call_forms(qapp) -> None:
    points = [QPointF(10, 50), QPointF(110, 50)]

    def draw(*args, **kwargs) -> QImage:
        image = _image(120, 100)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        notation.paint_edge(painter, *args, **kwargs)
        painter.end()
        return image

    sequence = draw("sequenceFlow", points, notation.LIGHT)
    assert differing_pixels(sequence, draw(points, EdgeLook("sequenceFlow"), notation.LIGHT, 1.0)) == 0
    assert differing_pixels(sequence, draw(EdgeLook("sequenceFlow"), points, notation.LIGHT)) == 0
    default = draw("sequenceFlow", points, notation.LIGHT, default=True)
    conditional = draw("sequenceFlow", points, notation.LIGHT, conditional=True)
    message = draw("messageFlow", points, notation.LIGHT)
    envelope = draw("messageFlow", points, notation.LIGHT, message="initiating")
    association = draw("association", points, notation.LIGHT)
    directed = draw("association", points, notation.LIGHT, direction="One")
    for first, second in ((sequence, default), (sequence, conditional), (sequence, message), (message, envelope),
                          (association, directed), (association, message)):  # fmt: skip
        assert differing_pixels(first, second) > 10
    assert ink(draw("sequenceFlow", [QPointF(10, 50)], notation.LIGHT)) == 0


def test_outlines_and_external_labels(qapp) -> None:
    rect = QRectF(0, 0, 50, 50)
    gateway = notation.outline(Look(kind="parallelGateway"), rect)
    assert gateway.contains(QPointF(25, 25)) and not gateway.contains(QPointF(3, 3))
    event = notation.outline(Look(kind="startEvent"), QRectF(0, 0, 36, 36))
    assert event.contains(QPointF(18, 18)) and not event.contains(QPointF(2, 2))
    pool = notation.outline(Look(kind="participant"), QRectF(0, 0, 600, 200))
    assert pool.contains(QPointF(2, 2)) and pool.contains(QPointF(590, 190))

    box = QRectF(100, 100, 36, 36)
    one_line = notation.external_label_rect(Look(kind="startEvent"), box, "Start")
    three_lines = notation.external_label_rect(
        Look(kind="startEvent"), box, "Incident reported by a customer through the self-service portal"
    )
    assert one_line.width() == 90 and one_line.center().x() == box.center().x()
    assert one_line.top() >= box.bottom()
    assert three_lines.height() >= 2.5 * one_line.height()
    assert notation.label_inside(Look(kind="userTask")) and notation.label_inside(Look(kind="lane"))
    assert not notation.label_inside(Look(kind="startEvent")) and not notation.label_inside(Look(kind="group"))


def test_paints_into_svg_with_names_as_text(qapp) -> None:
    from PySide6.QtCore import QBuffer, QIODevice, QSize
    from PySide6.QtSvg import QSvgGenerator

    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setSize(QSize(400, 200))
    painter = QPainter(generator)
    notation.paint_shape(painter, Look(kind="userTask", name="Approve change"), QRectF(10, 10, 100, 80), notation.LIGHT)
    notation.paint_shape(
        painter, Look(kind="participant", name="Service Desk", expanded=True), QRectF(120, 10, 250, 100), notation.DARK
    )
    notation.paint_edge(
        painter, "messageFlow", [QPointF(10, 150), QPointF(300, 150)], notation.LIGHT, message="initiating"
    )
    painter.end()
    svg = bytes(buffer.data())
    assert b"Approve" in svg and b"Service Desk" in svg
