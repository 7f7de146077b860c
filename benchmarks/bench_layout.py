"""Time the auto-layout on generated swimlane models, and count edge crossings against the
original DI of the MIWG references and the generated models (benchmarks, not part of the test
run).

    .venv/bin/python benchmarks/bench_layout.py [--sizes 1000 5000] [--runs 5] [--no-table]

Each model comes from generate.py (one pool, 12 lanes, splits and joins), its DI removed; the
figure is the wall time of `layout_diagram` inside one `document.edit()`, layering, ordering,
routing and writing every shape and edge through the mutation API, as "Tidy up" does. Medians
of --runs runs on fresh copies. Targets (issue 7): 1,000 tasks under 2 s, 5,000 under 15 s.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
MIWG = HERE.parent.parent / "shared" / "miwg-reference"
sys.path.insert(0, str(HERE))

from generate import build  # noqa: E402

from smo_designer.formats.bpmn import read_bpmn  # noqa: E402
from smo_designer.layout.autolayout import count_crossings, edge_routes, layout_diagram  # noqa: E402
from smo_designer.layout.placement import place_missing  # noqa: E402
from smo_designer.model import di  # noqa: E402
from smo_designer.model.document import Document  # noqa: E402

TARGETS = {1000: 2.0, 5000: 15.0}


def without_di(document: Document) -> Document:
    for diagram in list(di.diagrams(document)):
        document.remove(diagram)
    return document


def crossings_by_root(document: Document) -> dict[str | None, int]:
    """Edge crossings of each diagram, by the element the diagram draws."""
    return {
        plane.get("bpmnElement"): count_crossings(edge_routes(document, plane))
        for plane in (di.plane(d) for d in di.diagrams(document))
        if plane is not None
    }


def time_layout(tasks: int, runs: int) -> tuple[list[float], int, int, int]:
    """Seconds per run; and shapes, edges, crossings of the last run's result and of the
    generator's own drawing."""
    seconds = []
    document = None
    for _ in range(runs):
        document = without_di(build(tasks))
        start = time.perf_counter()
        with document.edit("Tidy up"):
            layout_diagram(document)
        seconds.append(time.perf_counter() - start)
    assert document is not None
    shapes = sum(1 for e in di.diagram_elements(document) if di.is_shape(e))
    edges = sum(1 for e in di.diagram_elements(document) if di.is_edge(e))
    ours = sum(crossings_by_root(document).values())
    original = sum(crossings_by_root(build(tasks)).values())
    return seconds, shapes, edges, ours, original


def crossing_table() -> list[tuple[str, int, int, int]]:
    """(reference, crossings in its own DI, crossings after our layout of it without DI,
    elements drawn), counted over the diagrams the reference itself has."""
    rows = []
    for path in sorted(MIWG.glob("*.bpmn")):
        original = read_bpmn(path).document
        before = crossings_by_root(original)
        document = without_di(read_bpmn(path).document)
        with document.edit("Tidy up"):
            layout_diagram(document)
        after = crossings_by_root(document)
        drawn = sum(1 for _ in di.diagram_elements(document))
        rows.append((path.stem, sum(before.values()), sum(after.get(root, 0) for root in before), drawn))
    return rows


def time_place_missing(tasks: int) -> float:
    """A file with every tenth node undrawn, as the canvas opens it."""
    document = build(tasks)
    plane = di.plane(di.diagrams(document)[0])
    shapes = [c for c in plane.children if di.is_shape(c)]
    for shape in shapes[14::10]:  # past the pool and the 12 lanes
        document.remove(shape)
    start = time.perf_counter()
    with document.edit("Place"):
        place_missing(document)
    return time.perf_counter() - start


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-table", action="store_true", help="skip the MIWG crossing table")
    options = parser.parse_args(argv)
    print(f"Python {platform.python_version()}, {platform.system()} {platform.machine()}, ", end="")
    print(f"{len(__import__('os').sched_getaffinity(0))} CPUs")
    print()
    print("| tasks | shapes | edges | median s | min s | target | crossings (generator's DI / ours) |")
    print("|---:|---:|---:|---:|---:|---|---|")
    met = True
    for tasks in options.sizes:
        seconds, shapes, edges, ours, original = time_layout(tasks, options.runs)
        median = statistics.median(seconds)
        target = TARGETS.get(tasks)
        verdict = "" if target is None else (f"< {target:g} s: " + ("met" if median < target else "MISSED"))
        met = met and (target is None or median < target)
        print(
            f"| {tasks:,} | {shapes:,} | {edges:,} | {median:.2f} | {min(seconds):.2f} | {verdict} | "
            f"{original} / {ours} |"
        )
    for tasks in options.sizes:
        print(f"\nplace_missing, {tasks:,} tasks, every tenth node undrawn: {time_place_missing(tasks):.2f} s")
    if not options.no_table:
        print()
        print("| reference | crossings in its DI | crossings after auto-layout | shapes and edges drawn |")
        print("|---|---:|---:|---:|")
        total_before = total_after = 0
        for name, before, after, drawn in crossing_table():
            total_before += before
            total_after += after
            print(f"| {name} | {before} | {after} | {drawn} |")
        print(f"| all 21 | {total_before} | {total_after} | |")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
