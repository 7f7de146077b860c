"""Time the canvas on generated models (offscreen): open to first full paint, a full-view
repaint and a pan step at 100 %, a repaint with everything in view, moving one shape, one undo,
and the memory of an open model.

    python benchmarks/bench_canvas.py [--sizes 500 5000 20000] [--runs 15]

Each figure is a median over the runs; "paint" means QWidget.repaint() of the 1600 x 900
viewport, which paints synchronously.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from generate import generate  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

TARGETS = {  # from the canvas issue, for the 5,000-task model
    "open to first paint s": 1.5,
    "repaint 100% ms": 16,
    "pan step ms": 16,
    "move one shape ms": 16,
    "undo ms": 50,
}


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def measure(path: Path, runs: int) -> dict[str, float]:
    from PySide6.QtGui import QUndoStack

    from smo_designer.canvas.items import ShapeItem
    from smo_designer.canvas.scene import DiagramScene
    from smo_designer.canvas.view import DiagramView
    from smo_designer.formats.bpmn import read_bpmn
    from smo_designer.modeling import shapes

    figures: dict[str, float] = {}
    started = time.perf_counter()
    document = read_bpmn(path).document
    gc.freeze()  # what the window does after opening: the model is long-lived
    scene = DiagramScene(document)
    view = DiagramView(scene, QUndoStack())
    view.resize(1600, 900)
    view.show()
    view.actual_size()
    first = next(i for i in scene.diagram_items() if isinstance(i, ShapeItem) and i.kind.endswith("Task"))
    view.centerOn(first.scene_rect().center())
    QApplication.processEvents()
    view.viewport().repaint()
    figures["open to first paint s"] = time.perf_counter() - started
    figures["items"] = len(scene.items())

    samples = []
    for _ in range(runs):
        begin = time.perf_counter()
        view.viewport().repaint()
        samples.append(time.perf_counter() - begin)
    figures["repaint 100% ms"] = median_ms(samples)

    samples = []
    bar = view.horizontalScrollBar()
    for step in range(runs):
        begin = time.perf_counter()
        bar.setValue(bar.value() + (40 if step % 2 == 0 else -40))
        view.viewport().repaint()
        samples.append(time.perf_counter() - begin)
    figures["pan step ms"] = median_ms(samples)

    move_samples, undo_samples = [], []
    plane = scene.plane
    for step in range(runs):
        drawing = first.drawing
        begin = time.perf_counter()
        dx = 10 if step % 2 == 0 else -10
        view.run("Move", lambda doc, d=drawing, x=dx: shapes.move_elements(doc, plane, [d], x, 0))
        view.viewport().repaint()
        move_samples.append(time.perf_counter() - begin)
    for _ in range(min(runs, view.undo_stack.count())):
        begin = time.perf_counter()
        view.undo_stack.undo()
        view.viewport().repaint()
        undo_samples.append(time.perf_counter() - begin)
    figures["move one shape ms"] = median_ms(move_samples)
    figures["undo ms"] = median_ms(undo_samples)

    view.set_zoom(0.05)
    samples = []
    for _ in range(max(3, runs // 3)):
        begin = time.perf_counter()
        view.viewport().repaint()
        samples.append(time.perf_counter() - begin)
    figures["repaint 5% ms"] = median_ms(samples)
    figures["peak memory MB"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return figures


def child(path: str, runs: int) -> None:
    application = QApplication.instance() or QApplication([])
    figures = measure(Path(path), runs)
    print(json.dumps(figures))
    del application


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 5000, 20000])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        child(options.child, options.runs)
        return 0
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for size in options.sizes:
            path = Path(folder) / f"model-{size}.bpmn"
            path.write_bytes(generate(size))
            # one process per model, so memory and caches of one size do not flatter the next
            run = subprocess.run(
                [sys.executable, __file__, "--child", str(path), "--runs", str(options.runs)],
                capture_output=True,
                text=True,
                check=True,
            )
            figures = json.loads(run.stdout.strip().splitlines()[-1])
            rows.append((size, figures))
    keys = list(rows[0][1])
    print("| tasks | " + " | ".join(keys) + " |")
    print("|---" * (len(keys) + 1) + "|")
    for size, figures in rows:
        print(f"| {size:,} | " + " | ".join(f"{figures[k]:.3g}" for k in keys) + " |")
    for size, figures in rows:
        if size != 5000:
            continue
        for key, target in TARGETS.items():
            verdict = "met" if figures[key] <= target else "MISSED"
            print(f"5,000 tasks: {key} = {figures[key]:.3g} (target {target}): {verdict}")
    for size, figures in rows:
        if size == 20000:
            verdict = "met" if figures["peak memory MB"] < 1024 else "MISSED"
            print(f"20,000 tasks open: peak memory {figures['peak memory MB']:.0f} MB (target < 1024): {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
