"""Render a BPMN file's diagram, or a gallery of every notation look, to PNG with the canvas
notation painter alone, to compare with the MIWG reference pictures (canvas layer tool).

    python tools/render_notation.py ../shared/miwg-reference/B.2.0.bpmn out/B.2.0.png
    python tools/render_notation.py --gallery out/gallery.png --scale 2
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QPointF, QRectF  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402

from smo_designer.canvas import notation  # noqa: E402
from smo_designer.canvas.notation import Look  # noqa: E402
from smo_designer.formats.bpmn import read_bpmn  # noqa: E402
from smo_designer.model import bpmn as b  # noqa: E402
from smo_designer.model import di  # noqa: E402
from smo_designer.model.element import Element  # noqa: E402

MARGIN = 20.0


def _z_order(look: Look) -> int:
    """The stacking the canvas uses: containers below nodes, flows above, boundary events on top."""
    if look.kind == "participant":
        return 0
    if look.kind == "lane":
        return 1
    if look.kind == "group":
        return 2
    if look.kind in b.SUBPROCESS_TYPES | {"callActivity"} and look.expanded:
        return 3
    if look.kind == "boundaryEvent":
        return 21
    return 10


def render_file(path: Path, output: Path, scale: float = 1.0, diagram_index: int = 0, dark: bool = False) -> QImage:
    document = read_bpmn(path).document
    diagrams = di.diagrams(document)
    plane = di.plane(diagrams[diagram_index]) if diagrams else None
    drawings = [c for c in plane.children if di.is_shape(c) or di.is_edge(c)] if plane is not None else []
    palette = notation.DARK if dark else notation.LIGHT

    items: list[tuple[int, int, str, Element, object]] = []  # z, order, what, drawing, look
    labels: list[tuple[str, QRectF]] = []
    area = QRectF()
    for order, drawing in enumerate(drawings):
        element = document.element((drawing.get("bpmnElement") or "").rpartition(":")[2])
        label_box = di.label_bounds(drawing)
        if di.is_shape(drawing):
            look = notation.look_of(element, drawing, document)
            box = di.bounds(drawing) or di.Bounds(0, 0, 0, 0)
            rect = QRectF(box.x, box.y, box.width, box.height)
            area = area.united(rect)
            items.append((_z_order(look), order, "shape", drawing, (look, rect)))
            if not notation.label_inside(look) and look.name:
                if label_box is not None and label_box.width > 0 and label_box.height > 0:
                    label_rect = QRectF(label_box.x, label_box.y, label_box.width, label_box.height)
                else:
                    label_rect = notation.external_label_rect(look, rect, look.name)
                labels.append((look.name, label_rect))
        else:
            edge_look = notation.look_of_edge(element, drawing, document)
            points = [QPointF(p.x, p.y) for p in di.waypoints(drawing)]
            for point in points:
                area = area.united(QRectF(point, point).adjusted(-1, -1, 1, 1))
            items.append((20, order, "edge", drawing, (edge_look, points)))
            name = b.name(element) if element is not None else ""
            if name and points:
                if label_box is not None and label_box.width > 0 and label_box.height > 0:
                    label_rect = QRectF(label_box.x, label_box.y, label_box.width, label_box.height)
                else:
                    middle = points[len(points) // 2]
                    height = notation.text_size(name, 90).height()
                    label_rect = QRectF(middle.x() - 35, middle.y() - 8 - height, 90, height)
                labels.append((name, label_rect))
    for _, label_rect in labels:
        area = area.united(label_rect)
    area = area.adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN)

    image = QImage(int(area.width() * scale) + 1, int(area.height() * scale) + 1, QImage.Format.Format_ARGB32)
    image.fill(palette.background)
    painter = QPainter(image)
    painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
    painter.scale(scale, scale)
    painter.translate(-area.left(), -area.top())
    for _z, _order, what, _drawing, data in sorted(items, key=lambda item: (item[0], item[1])):
        if what == "shape":
            look, rect = data  # type: ignore[misc]
            notation.paint_shape(painter, look, rect, palette, scale)
        else:
            edge_look, points = data  # type: ignore[misc]
            notation.paint_edge(painter, edge_look, points, palette, scale)
    for text, label_rect in labels:
        notation.paint_label(painter, text, label_rect, palette, scale)
    painter.end()
    output.parent.mkdir(parents=True, exist_ok=True)
    image.save(str(output))
    return image


def gallery_looks() -> list[tuple[str, list[tuple[Look, float, float]]]]:
    """Rows of looks covering every shape, trigger and marker the painter knows."""
    task = (100.0, 80.0)
    rows: list[tuple[str, list[tuple[Look, float, float]]]] = []
    tasks = [Look(kind=k, name=k) for k in sorted(b.TASK_TYPES)]
    tasks.append(Look(kind="receiveTask", name="receive instantiate", instantiate=True))
    rows.append(("tasks", [(look, *task) for look in tasks]))
    markers = [
        Look(kind="task", name="loop", loop="loop"),
        Look(kind="task", name="parallel MI", loop="parallel"),
        Look(kind="task", name="sequential MI", loop="sequential"),
        Look(kind="task", name="compensation", compensation=True),
        Look(kind="subProcess", name="collapsed sub-process"),
        Look(kind="adHocSubProcess", name="ad-hoc"),
        Look(kind="subProcess", name="all markers", loop="parallel", compensation=True),
        Look(kind="adHocSubProcess", name="ad-hoc loop comp.", loop="loop", compensation=True),
        Look(kind="task", name="policy badge", badges=("policy",)),
    ]
    rows.append(("markers", [(look, *task) for look in markers]))
    containers = [
        Look(kind="transaction", name="transaction"),
        Look(kind="callActivity", name="call activity"),
        Look(kind="callActivity", name="calls global user task", call_kind="userTask"),
        Look(kind="subProcess", name="event sub-process", event_subprocess=True),
        Look(kind="subProcess", name="Expanded sub-process", expanded=True),
        Look(kind="transaction", name="Expanded transaction", expanded=True, loop="sequential"),
        Look(kind="callActivity", name="Expanded call activity", expanded=True),
        Look(kind="subProcess", name="Event sub-process expanded", expanded=True, event_subprocess=True),
    ]
    rows.append(("containers", [(look, *(task if not look.expanded else (160.0, 100.0))) for look in containers]))
    triggers = ["none", "message", "timer", "escalation", "conditional", "link", "error", "cancel", "compensate",
                "signal", "multiple", "parallelMultiple", "terminate"]  # fmt: skip
    for kind, throwing in (
        ("startEvent", False),
        ("intermediateCatchEvent", False),
        ("boundaryEvent", False),
        ("intermediateThrowEvent", True),
        ("endEvent", True),
    ):
        looks = [(Look(kind=kind, name=t, trigger=t, throwing=throwing), 36.0, 36.0) for t in triggers]
        rows.append((kind, looks))
        if kind in ("startEvent", "boundaryEvent"):
            rows.append(
                (kind + " non-interrupting", [(replace(look, interrupting=False), w, h) for look, w, h in looks])
            )
    gateways = [
        Look(kind="exclusiveGateway", name="exclusive"),
        Look(kind="exclusiveGateway", name="exclusive no X", marker_visible=False),
        Look(kind="inclusiveGateway", name="inclusive"),
        Look(kind="parallelGateway", name="parallel"),
        Look(kind="complexGateway", name="complex"),
        Look(kind="eventBasedGateway", name="event-based"),
        Look(kind="eventBasedGateway", name="instantiate", instantiate=True),
        Look(kind="eventBasedGateway", name="parallel instantiate", instantiate=True, parallel_event_gateway=True),
    ]
    rows.append(("gateways", [(look, 50.0, 50.0) for look in gateways]))
    data = [
        (Look(kind="dataObjectReference", name="data object"), 36.0, 50.0),
        (Look(kind="dataObjectReference", name="collection", collection=True), 36.0, 50.0),
        (Look(kind="dataInput", name="input", data_role="input"), 36.0, 50.0),
        (Look(kind="dataOutput", name="output collection", data_role="output", collection=True), 36.0, 50.0),
        (Look(kind="dataStoreReference", name="data store"), 50.0, 50.0),
        (Look(kind="textAnnotation", name="A text annotation"), 100.0, 30.0),
        (Look(kind="group"), 120.0, 80.0),
        (Look(kind="unknown", name="unknown"), 100.0, 80.0),
        (Look(kind="task", name="coloured", fill="#c2d7eb", stroke="#205080"), 100.0, 80.0),
    ]
    rows.append(("data and artifacts", data))
    lanes = [
        (Look(kind="participant", name="Horizontal pool", expanded=True), 300.0, 120.0),
        (Look(kind="lane", name="Lane", expanded=True), 200.0, 120.0),
        (Look(kind="participant", name="Vertical pool", expanded=True, horizontal=False), 160.0, 200.0),
        (Look(kind="lane", name="Vertical lane", expanded=True, horizontal=False), 120.0, 200.0),
        (Look(kind="participant", name="Black-box pool"), 300.0, 60.0),
    ]
    rows.append(("pools and lanes", lanes))
    return rows


def render_gallery(output: Path, scale: float = 2.0, dark: bool = False) -> QImage:
    palette = notation.DARK if dark else notation.LIGHT
    rows = gallery_looks()
    row_gap, column_gap, caption = 40.0, 30.0, 140.0
    heights = [max(h for _, _, h in looks) + row_gap for _, looks in rows]
    width = caption + max(sum(w + column_gap for _, w, _ in looks) for _, looks in rows) + 20
    flows_height = 200.0
    height = sum(heights) + flows_height + 40
    image = QImage(int(width * scale), int(height * scale), QImage.Format.Format_ARGB32)
    image.fill(palette.background)
    painter = QPainter(image)
    painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
    painter.scale(scale, scale)
    y = 20.0
    for (title, looks), row_height in zip(rows, heights, strict=True):
        notation.paint_label(painter, title, QRectF(5, y, caption - 15, 30), palette)
        x = caption
        for look, w, h in looks:
            rect = QRectF(x, y, w, h)
            notation.paint_shape(painter, look, rect, palette, scale)
            if not notation.label_inside(look) and look.name:
                notation.paint_label(
                    painter, look.name, notation.external_label_rect(look, rect, look.name), palette, scale
                )
            x += w + column_gap
        y += row_height
    flows = [
        ("sequence", notation.EdgeLook("sequenceFlow")),
        ("default", notation.EdgeLook("sequenceFlow", default=True)),
        ("conditional", notation.EdgeLook("sequenceFlow", conditional=True)),
        ("message", notation.EdgeLook("messageFlow")),
        ("initiating", notation.EdgeLook("messageFlow", message="initiating")),
        ("non-initiating", notation.EdgeLook("messageFlow", message="non_initiating")),
        ("association", notation.EdgeLook("association")),
        ("assoc. One", notation.EdgeLook("association", direction="One")),
        ("assoc. Both", notation.EdgeLook("association", direction="Both")),
        ("data input", notation.EdgeLook("dataInputAssociation")),
        ("unknown", notation.EdgeLook("unknown")),
    ]
    x = caption
    for title, edge_look in flows:
        points = [QPointF(x, y + 10), QPointF(x, y + 80), QPointF(x + 60, y + 80), QPointF(x + 60, y + 150)]
        notation.paint_edge(painter, edge_look, points, palette, scale)
        notation.paint_label(painter, title, QRectF(x - 10, y + 160, 90, 30), palette)
        x += 100
    painter.end()
    output.parent.mkdir(parents=True, exist_ok=True)
    image.save(str(output))
    return image


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", nargs="?", type=Path, help="a .bpmn file")
    parser.add_argument("output", type=Path, help="the PNG to write")
    parser.add_argument("--gallery", action="store_true", help="draw every look instead of a file")
    parser.add_argument("--scale", type=float, default=None, help="pixels per diagram unit (1; gallery 2)")
    parser.add_argument("--diagram", type=int, default=0, help="which BPMNDiagram of the file (0)")
    parser.add_argument("--dark", action="store_true", help="use the dark palette")
    args = parser.parse_args(argv)
    _app = QGuiApplication.instance() or QGuiApplication([])
    if args.gallery:
        render_gallery(args.output, args.scale or 2.0, args.dark)
    elif args.source is None:
        parser.error("give a .bpmn file or --gallery")
    else:
        render_file(args.source, args.output, args.scale or 1.0, args.diagram, args.dark)
    print(args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
