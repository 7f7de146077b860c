"""Time the process guide export of generated models, as HTML and as PDF, the way a user runs it:
`smo-designer export IN --guide OUT.html` and `smo-designer export IN --guide OUT.pdf`, each a
whole process (start-up, imports, reading the model, drawing the diagram, the guide).

    python benchmarks/bench_guide.py [--sizes 500 5000 20000] [--pdf-up-to 5000] [--runs 3]

For each size it prints the median seconds of the HTML and the PDF export, the PDF's pages and
size, and the PDF run's peak memory. Sizes above --pdf-up-to are exported as HTML only; from
20,000 tasks on, one run is made. Models come from generate.py, into benchmarks/out/. Not part
of the test suite.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from bench_convert import model, our_command, process_run  # noqa: E402
from PySide6 import __version__ as pyside_version  # noqa: E402

# the "a few seconds" for 500 tasks and "well under a minute" for 5,000, read as numbers
TARGETS = {500: 5.0, 5000: 30.0}


def pages_of(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


def measure(size: int, runs: int, with_pdf: bool) -> dict[str, float | None]:
    path = model(size)
    command = [*our_command(), "export", str(path), "--guide"]
    figures: dict[str, float | None] = {"tasks": size}
    with tempfile.TemporaryDirectory() as scratch:
        html, pdf = Path(scratch) / "guide.html", Path(scratch) / "guide.pdf"
        process_run([*command, str(html)])  # warm-up, not counted: file cache and byte-compiled imports
        html_times, pdf_times, peaks = [], [], []
        for _ in range(runs):
            html_times.append(process_run([*command, str(html)])[0])
            if with_pdf:
                elapsed, peak = process_run([*command, str(pdf)])
                pdf_times.append(elapsed)
                peaks.append(peak)
        figures["html_s"] = statistics.median(html_times)
        figures["html_mb"] = html.stat().st_size / 1e6
        if with_pdf:
            data = pdf.read_bytes()
            figures["pdf_s"] = statistics.median(pdf_times)
            figures["pages"] = pages_of(data)
            figures["pdf_mb"] = len(data) / 1e6
            figures["pdf_peak_mb"] = max((p for p in peaks if p is not None), default=None)
    return figures


def cell(value: float | None, digits: int = 2) -> str:
    if value is None:
        return "—"
    if float(value).is_integer() and digits == 0:
        return f"{int(value):,}"
    return f"{value:,.{digits}f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 5000, 20000])
    parser.add_argument("--pdf-up-to", type=int, default=5000, help="larger models are exported as HTML only")
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args(argv)

    print(
        f"Python {platform.python_version()}, PySide6 {pyside_version}, "
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs"
    )
    rows = []
    for size in options.sizes:
        runs = 1 if size >= 20000 else options.runs
        figures = measure(size, runs, with_pdf=size <= options.pdf_up_to)
        rows.append(figures)
        print(f"  {size:,} tasks done ({runs} run{'s' * (runs != 1)})", file=sys.stderr)

    print()
    print("| tasks | HTML s | HTML MB | PDF s | pages | PDF MB | PDF peak memory MB |")
    print("|---|---|---|---|---|---|---|")
    for f in rows:
        print(
            f"| {cell(f['tasks'], 0)} | {cell(f['html_s'])} | {cell(f['html_mb'], 1)} | {cell(f.get('pdf_s'))} "
            f"| {cell(f.get('pages'), 0)} | {cell(f.get('pdf_mb'), 1)} | {cell(f.get('pdf_peak_mb'), 0)} |"
        )
    print()
    timed = {int(f["tasks"] or 0): f.get("pdf_s") for f in rows if f.get("pdf_s") is not None}
    for size, limit in TARGETS.items():
        seconds = timed.get(size)
        if seconds is not None:
            print(
                f"PDF of {size:,} tasks within {limit:g} s: {'met' if seconds <= limit else 'MISSED'} ({seconds:.2f} s)"
            )
    sizes = sorted(timed)
    if len(sizes) >= 2:
        small, large = sizes[0], sizes[-1]
        print(
            f"PDF growth {small:,} -> {large:,} tasks: {timed[large] / timed[small]:.1f} x the time "  # type: ignore[operator]
            f"for {large / small:g} x the tasks"
        )
    html_only = [f for f in rows if f.get("pdf_s") is None]
    if html_only:
        print(f"HTML only above {options.pdf_up_to:,} tasks (--pdf-up-to).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
