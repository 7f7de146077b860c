"""Time the RACI grid on a large matrix (offscreen): building its model, the first paint, a
scroll step, and the redraw after one typed letter.

    python benchmarks/bench_raci_grid.py [--activities 1000] [--roles 40] [--runs 20]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtGui import QUndoStack  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from smo_designer.editors.raci_table import FIRST_ROLE_COLUMN, RaciEditor, RaciTableModel  # noqa: E402
from smo_designer.model import bpmn, smo  # noqa: E402


def matrix(activities: int, roles: int):
    document = bpmn.new_document("Large matrix")
    process = bpmn.processes(document)[0]
    role_ids = [smo.add_role(document, f"Role {n + 1}").get("id") for n in range(roles)]
    lane_set = bpmn.create(document, process, "laneSet", id_prefix="LaneSet")
    lanes = [bpmn.create(document, lane_set, "lane", {"name": f"Lane {n + 1}"}, id_prefix="Lane") for n in range(12)]
    previous = None
    for n in range(activities):
        task = bpmn.create(document, process, "userTask", {"name": f"Activity {n + 1}"}, id_prefix="Activity")
        bpmn.create(document, lanes[n * 12 // activities], "flowNodeRef", text=task.id)
        if previous is not None:
            bpmn.create(document, process, "sequenceFlow", {"sourceRef": previous.id, "targetRef": task.id})
        smo.set_raci(document, task, role_ids[n % roles], "R")
        smo.set_raci(document, task, role_ids[(n + 1) % roles], "A")
        smo.set_raci(document, task, role_ids[(n + 7) % roles], "CI")
        previous = task
    return document


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--activities", type=int, default=1000)
    parser.add_argument("--roles", type=int, default=40)
    parser.add_argument("--runs", type=int, default=20)
    options = parser.parse_args(argv)
    app = QApplication.instance() or QApplication([])
    document = matrix(options.activities, options.roles)
    stack = QUndoStack()
    start = time.perf_counter()
    model = RaciTableModel(document, stack.push)
    built = time.perf_counter() - start
    editor = RaciEditor(model)
    editor.resize(1600, 900)
    editor.show()
    start = time.perf_counter()
    editor.grab()
    first_paint = time.perf_counter() - start
    view = editor.view
    bar = view.verticalScrollBar()
    steps = []
    for n in range(options.runs):
        start = time.perf_counter()
        bar.setValue((n * 37) % max(bar.maximum(), 1))
        view.viewport().grab()  # renders the visible cells now, as a paint event would
        steps.append(time.perf_counter() - start)
    edits = []
    for n in range(min(options.runs, 10)):
        index = model.index(n, FIRST_ROLE_COLUMN + (n + 3) % options.roles)
        start = time.perf_counter()
        model.setData(index, "C")
        view.viewport().grab()
        edits.append(time.perf_counter() - start)
    print(f"{options.activities} activities x {options.roles} roles")
    print(f"  model built          {built * 1000:8.1f} ms")
    print(f"  first paint          {first_paint * 1000:8.1f} ms")
    print(f"  scroll step (median) {statistics.median(steps) * 1000:8.1f} ms   max {max(steps) * 1000:.1f} ms")
    print(f"  typed letter redrawn {statistics.median(edits) * 1000:8.1f} ms   (command, model refresh, repaint)")
    app.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
