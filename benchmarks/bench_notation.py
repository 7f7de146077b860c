"""Time the notation painter on 5,000 tasks (offscreen, into a QImage): at full detail, where
every icon and name is drawn, and at 5% zoom, where each shape is one filled outline.

    python benchmarks/bench_notation.py [--tasks 5000] [--runs 5]

Looks and names come from the generated benchmark model (benchmarks/generate.py): user,
service, manual and plain tasks with their flows. At full detail the shapes are painted into a
2,400 x 1,600 image, wrapping round so that every one is drawn whole; at 5% the real layout is
painted scaled down. The first run lays out every name (cold caches), the later ones reuse them.
Flows keep their full-detail geometry for the last 2,048 drawn, so 5,000 flows at full detail
rebuild it every time, while 1,000 (about what a screen shows at 40% zoom) reuse it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from generate import generate  # noqa: E402
from PySide6.QtCore import QPointF, QRectF  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402

from smo_designer.canvas import notation  # noqa: E402
from smo_designer.formats.bpmn import parse_bpmn  # noqa: E402
from smo_designer.model import bpmn as b  # noqa: E402
from smo_designer.model import di  # noqa: E402

IMAGE_WIDTH, IMAGE_HEIGHT = 2400, 1600


def model_drawings(tasks: int):
    """(look, rect) of every task and (edge look, points) of every flow of the generated model."""
    document = parse_bpmn(generate(tasks)).document
    shapes, edges = [], []
    for drawing in di.diagram_elements(document):
        element = document.element((drawing.get("bpmnElement") or "").rpartition(":")[2])
        if di.is_shape(drawing):
            look = notation.look_of(element, drawing, document)
            if look.kind in b.ACTIVITY_TYPES:
                box = di.bounds(drawing)
                shapes.append((look, QRectF(box.x, box.y, box.width, box.height)))
        else:
            points = [QPointF(p.x, p.y) for p in di.waypoints(drawing)]
            edges.append((notation.look_of_edge(element, drawing, document), points))
    return shapes[:tasks], edges[:tasks]


def wrapped(rect: QRectF, index: int) -> QRectF:
    """The shape moved into the image, on a grid that wraps round, every shape whole."""
    columns, rows = int(IMAGE_WIDTH // 120), int(IMAGE_HEIGHT // 100)
    cell = index % (columns * rows)
    return QRectF((cell % columns) * 120 + 5, (cell // columns) * 100 + 5, rect.width(), rect.height())


def paint_shapes(shapes, detail: float, scale: float, wrap: bool, size: tuple[int, int]) -> float:
    image = QImage(size[0], size[1], QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(notation.LIGHT.background)
    painter = QPainter(image)
    painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
    painter.scale(scale, scale)
    start = time.perf_counter()
    for index, (look, rect) in enumerate(shapes):
        notation.paint_shape(painter, look, wrapped(rect, index) if wrap else rect, notation.LIGHT, detail)
    painter.end()
    return time.perf_counter() - start


def paint_edges(edges, detail: float, scale: float, size: tuple[int, int], offset: QPointF) -> float:
    image = QImage(size[0], size[1], QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(notation.LIGHT.background)
    painter = QPainter(image)
    painter.setRenderHints(QPainter.RenderHint.Antialiasing)
    painter.scale(scale, scale)
    painter.translate(offset)
    start = time.perf_counter()
    for look, points in edges:
        notation.paint_edge(painter, look, points, notation.LIGHT, detail)
    painter.end()
    return time.perf_counter() - start


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args(argv)
    _app = QGuiApplication.instance() or QGuiApplication([])
    shapes, edges = model_drawings(options.tasks)
    area = QRectF()
    for _, rect in shapes:
        area = area.united(rect)
    far = 0.05
    far_size = (int(area.right() * far) + 10, int(area.bottom() * far) + 10)

    print(f"{len(shapes)} tasks, {len(edges)} flows; full detail into {IMAGE_WIDTH}x{IMAGE_HEIGHT}, 5% into {far_size}")
    rows = [
        ("tasks, detail 1.0", lambda: paint_shapes(shapes, 1.0, 1.0, True, (IMAGE_WIDTH, IMAGE_HEIGHT))),
        ("tasks, detail 0.3", lambda: paint_shapes(shapes, 0.3, 1.0, True, (IMAGE_WIDTH, IMAGE_HEIGHT))),
        ("tasks, detail 0.05", lambda: paint_shapes(shapes, far, far, False, far_size)),
        ("flows, detail 1.0", lambda: paint_edges(edges, 1.0, 1.0, (IMAGE_WIDTH, IMAGE_HEIGHT), QPointF(0, 0))),
        (
            "1,000 flows, det. 1.0",
            lambda: paint_edges(edges[:1000], 1.0, 1.0, (IMAGE_WIDTH, IMAGE_HEIGHT), QPointF(0, 0)),
        ),
        ("flows, detail 0.3", lambda: paint_edges(edges, 0.3, 0.3, (IMAGE_WIDTH, IMAGE_HEIGHT), QPointF(0, 0))),
        ("flows, detail 0.05", lambda: paint_edges(edges, far, far, far_size, QPointF(0, 0))),
    ]
    for title, run in rows:
        first = run()
        later = [run() for _ in range(options.runs)]
        print(
            f"  {title:20s} first {first * 1000:8.1f} ms   median {statistics.median(later) * 1000:8.1f} ms"
            f"   ({statistics.median(later) / (1000 if title.startswith('1,000') else len(shapes)) * 1e6:5.1f} us each)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
