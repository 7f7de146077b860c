"""Time loading, saving and converting generated models of 500, 5,000 and 20,000 tasks, and the
same round trip in bpmn-moddle (what bpmn-js does to open and save), and print the figures.

    python benchmarks/bench_convert.py [--sizes 500 5000 20000] [--runs 5]
                                       [--save FILE.json] [--reference FILE.json]

Whole-process times are medians of --runs runs, ours and the peer's taken in turn so that the
machine's moods touch both alike. Targets (issue 2): convert(5,000) at most half the peer's
time; convert(20,000) within 4.5 x convert(5,000). Needs `npm ci --prefix ../shared/bpmn-check`
for the peer. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from lxml import etree

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
PEER = ROOT.parent / "shared" / "bpmn-check" / "roundtrip.mjs"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from generate_model import generate  # noqa: E402

from smo_designer.formats.bpmn import read_bpmn, write_bpmn  # noqa: E402


def model(size: int) -> Path:
    path = OUT / f"tasks-{size}.bpmn"
    if not path.exists():
        OUT.mkdir(exist_ok=True)
        path.write_bytes(generate(size))
    return path


def wall(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def measure(size: int, runs: int, peer: bool) -> dict[str, float]:
    path = model(size)
    loads, saves = [], []
    with tempfile.TemporaryDirectory() as scratch:
        target = Path(scratch) / "out.bpmn"
        for _ in range(runs):
            start = time.perf_counter()
            document = read_bpmn(path).document
            loads.append(time.perf_counter() - start)
            start = time.perf_counter()
            write_bpmn(document, target)
            saves.append(time.perf_counter() - start)
            del document
        ours, theirs = [], []
        command = [sys.executable, "-m", "smo_designer", "convert", str(path), str(target)]
        for _ in range(runs):
            ours.append(wall(command))
            if peer:
                theirs.append(wall(["node", str(PEER), str(path), str(Path(scratch) / "peer.bpmn")]))
    figures = {
        "tasks": size,
        "megabytes": round(path.stat().st_size / 1e6, 2),
        "load_s": statistics.median(loads),
        "save_s": statistics.median(saves),
        "convert_s": statistics.median(ours),
    }
    if theirs:
        figures["peer_s"] = statistics.median(theirs)
    return figures


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 5000, 20000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--save", type=Path, help="save the figures as a reference run")
    parser.add_argument("--reference", type=Path, help="compare with a saved reference run")
    options = parser.parse_args(argv)
    peer = shutil.which("node") is not None and (PEER.parent / "node_modules" / "bpmn-moddle").is_dir()
    node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip() if peer else "absent"
    print(f"python {platform.python_version()}, lxml {etree.__version__}, node {node}, {platform.machine()}")
    print(f"{'tasks':>7} {'MB':>6} {'load s':>8} {'save s':>8} {'convert s':>10} {'peer s':>8} {'ours/peer':>10}")
    rows = []
    for size in options.sizes:
        figures = measure(size, options.runs if size < 20000 else max(3, options.runs // 2), peer)
        rows.append(figures)
        ratio = f"{figures['convert_s'] / figures['peer_s']:.2f}" if "peer_s" in figures else "-"
        peer_text = f"{figures['peer_s']:.3f}" if "peer_s" in figures else "-"
        print(
            f"{size:>7} {figures['megabytes']:>6} {figures['load_s']:>8.3f} {figures['save_s']:>8.3f} "
            f"{figures['convert_s']:>10.3f} {peer_text:>8} {ratio:>10}",
            flush=True,
        )
    by_size = {row["tasks"]: row for row in rows}
    if 5000 in by_size and "peer_s" in by_size[5000]:
        ratio = by_size[5000]["convert_s"] / by_size[5000]["peer_s"]
        print(f"convert(5,000) / peer(5,000) = {ratio:.2f}  (target: at most 0.50)")
    if 5000 in by_size and 20000 in by_size:
        growth = by_size[20000]["convert_s"] / by_size[5000]["convert_s"]
        print(f"convert(20,000) / convert(5,000) = {growth:.2f}  (target: at most 4.5)")
    if options.reference and options.reference.exists():
        reference = {row["tasks"]: row for row in json.loads(options.reference.read_text())["rows"]}
        for size, row in by_size.items():
            if size in reference:
                change = row["convert_s"] / reference[size]["convert_s"] - 1
                print(f"{size:>7} tasks: convert {change:+.0%} against the reference run")
    if options.save:
        options.save.write_text(json.dumps({"rows": rows}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
