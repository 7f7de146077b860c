"""Time opening and saving large models, in process and as `smo-designer convert`, beside the
same round trip in bpmn-moddle (what bpmn-js does to open and save), and print the figures.

    .venv/bin/python benchmarks/bench_convert.py [--sizes 500 5000 20000] [--runs 5]
                                                 [--save FILE.json] [--reference FILE.json]

Models come from generate.py, into benchmarks/out/ (made again when the generator changed).
Figures are medians of --runs runs (half as many, at least 3, from 20,000 tasks on), ours and
the peer's taken in turn after one untimed warm-up each, so that the machine's moods touch both
alike. Targets (issue 2): convert(5,000) at most half the peer's time; convert(20,000) within
4.5 x convert(5,000). The peer needs node and `npm ci --prefix ../shared/bpmn-check`.
Not part of the test suite.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
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
OUT = HERE / "out"
SHARED = HERE.parent.parent / "shared"
PEER = SHARED / "bpmn-check" / "roundtrip.mjs"
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

from smo_designer import __version__  # noqa: E402
from smo_designer.formats.bpmn import read_bpmn, serialize, write_bpmn  # noqa: E402

TARGET_PEER_RATIO = 0.5  # convert(5,000) / peer(5,000)
TARGET_GROWTH = 4.5  # convert(20,000) / convert(5,000)
FIGURES = ("load_s", "serialize_s", "save_s", "convert_s", "peer_s")


def model(size: int) -> Path:
    """The generated model of this size, written again only when the generator's bytes changed."""
    path = OUT / f"tasks-{size}.bpmn"
    data = generate(size)
    if not path.exists() or path.read_bytes() != data:
        OUT.mkdir(exist_ok=True)
        path.write_bytes(data)
    return path


def process_run(command: list[str]) -> tuple[float, float | None]:
    """Wall time of a whole process, and its peak resident memory in MB where the OS says."""
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors)
        peak = None
        if hasattr(os, "wait4"):
            # wait4 reports the resources of this one child, unlike getrusage(RUSAGE_CHILDREN)
            _, status, usage = os.wait4(child.pid, 0)
            elapsed = time.perf_counter() - start
            child.returncode = os.waitstatus_to_exitcode(status)
            scale = 1 if sys.platform == "darwin" else 1024  # bytes on macOS, kilobytes elsewhere
            peak = usage.ru_maxrss * scale / 1e6
        else:
            child.wait()
            elapsed = time.perf_counter() - start
        if child.returncode != 0:
            errors.seek(0)
            message = errors.read().decode(errors="replace")
            raise SystemExit(f"failed ({child.returncode}): {' '.join(command)}\n{message}")
    return elapsed, peak


def our_command() -> list[str]:
    script = Path(sys.executable).with_name("smo-designer")
    return [str(script)] if script.exists() else [sys.executable, "-m", "smo_designer"]


def in_process(path: Path, runs: int, target: Path) -> dict[str, float]:
    loads, serializations, saves = [], [], []
    for _ in range(runs + 1):  # the first run warms up and is not counted
        gc.collect()
        start = time.perf_counter()
        document = read_bpmn(path).document
        loads.append(time.perf_counter() - start)
        start = time.perf_counter()
        serialize(document)
        serializations.append(time.perf_counter() - start)
        start = time.perf_counter()
        write_bpmn(document, target)
        saves.append(time.perf_counter() - start)
        del document
    return {
        "load_s": statistics.median(loads[1:]),
        "serialize_s": statistics.median(serializations[1:]),
        "save_s": statistics.median(saves[1:]),
    }


def measure(size: int, runs: int, peer: bool) -> dict:
    path = model(size)
    with tempfile.TemporaryDirectory() as scratch:
        ours_out, peer_out = Path(scratch) / "ours.bpmn", Path(scratch) / "peer.bpmn"
        figures: dict = {"tasks": size, "megabytes": round(path.stat().st_size / 1e6, 2), "runs": runs}
        figures.update(in_process(path, runs, ours_out))
        ours_command = [*our_command(), "convert", str(path), str(ours_out)]
        peer_command = ["node", str(PEER), str(path), str(peer_out)]
        ours, theirs, ours_peak, theirs_peak = [], [], [], []
        for number in range(runs + 1):
            elapsed, peak = process_run(ours_command)
            if number:
                ours.append(elapsed)
                ours_peak.append(peak)
            if peer:
                elapsed, peak = process_run(peer_command)
                if number:
                    theirs.append(elapsed)
                    theirs_peak.append(peak)
        # a convert that loses or changes anything would make the timing meaningless: the
        # generated file is in the project's own format, so the copy must be the same bytes
        figures["convert_identical"] = ours_out.read_bytes() == path.read_bytes()
    figures["convert_s"] = statistics.median(ours)
    if ours_peak[0] is not None:
        figures["convert_peak_mb"] = round(max(ours_peak), 1)
    if theirs:
        figures["peer_s"] = statistics.median(theirs)
        if theirs_peak[0] is not None:
            figures["peer_peak_mb"] = round(max(theirs_peak), 1)
    return figures


def code() -> str:
    """The version and commit measured; a local change shows as '+changes'."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=HERE, check=True
        ).stdout.strip()
        changed = subprocess.run(
            ["git", "status", "--porcelain", "--", "../smo_designer"], capture_output=True, text=True, cwd=HERE
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return __version__
    return f"{__version__} ({commit}{'+changes' if changed else ''})"


def machine(peer: bool) -> dict[str, str]:
    def output(command: list[str], cwd: Path | None = None) -> str:
        try:
            return subprocess.run(command, capture_output=True, text=True, cwd=cwd, check=True).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            return "?"

    moddle = "absent"
    package = SHARED / "bpmn-check" / "node_modules" / "bpmn-moddle" / "package.json"
    if package.exists():
        moddle = json.loads(package.read_text()).get("version", "?")
    return {
        "python": platform.python_version(),
        "lxml": etree.__version__,
        "libxml2": ".".join(map(str, etree.LIBXML_VERSION)),
        "node": output(["node", "--version"]) if peer else "absent",
        "bpmn-moddle": moddle,
        "platform": f"{platform.system()} {platform.release()} {platform.machine()}, {os.cpu_count()} CPUs",
    }


def _seconds(figures: dict, key: str) -> str:
    return f"{figures[key]:.3f}" if key in figures else "-"


def print_table(rows: list[dict]) -> None:
    header = (
        f"{'tasks':>7} {'MB':>6} {'runs':>4} {'load s':>8} {'serial. s':>9} {'save s':>8} "
        f"{'convert s':>10} {'peer s':>8} {'ours/peer':>9} {'conv. MB':>8} {'peer MB':>8}"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        ratio = f"{row['convert_s'] / row['peer_s']:.2f}" if "peer_s" in row else "-"
        print(
            f"{row['tasks']:>7} {row['megabytes']:>6.2f} {row['runs']:>4} {_seconds(row, 'load_s'):>8} "
            f"{_seconds(row, 'serialize_s'):>9} {_seconds(row, 'save_s'):>8} {_seconds(row, 'convert_s'):>10} "
            f"{_seconds(row, 'peer_s'):>8} {ratio:>9} {row.get('convert_peak_mb', '-'):>8} "
            f"{row.get('peer_peak_mb', '-'):>8}"
        )
    for row in rows:
        if not row.get("convert_identical", True):
            print(f"warning: convert of {row['tasks']} tasks did not write back the same bytes")


def targets(by_size: dict[int, dict]) -> list[str]:
    """The targets' lines; those missed say MISSED."""
    lines = []
    if 5000 in by_size and "peer_s" in by_size[5000]:
        ratio = by_size[5000]["convert_s"] / by_size[5000]["peer_s"]
        mark = "met" if ratio <= TARGET_PEER_RATIO else "MISSED"
        lines.append(f"convert(5,000) / peer(5,000)     = {ratio:.2f}  (target: at most {TARGET_PEER_RATIO}): {mark}")
    if 5000 in by_size and 20000 in by_size:
        growth = by_size[20000]["convert_s"] / by_size[5000]["convert_s"]
        mark = "met" if growth <= TARGET_GROWTH else "MISSED"
        lines.append(f"convert(20,000) / convert(5,000) = {growth:.2f}  (target: at most {TARGET_GROWTH}): {mark}")
    return lines


def compare(rows: list[dict], reference_path: Path, here: dict[str, str]) -> None:
    saved = json.loads(reference_path.read_text())
    reference = {row["tasks"]: row for row in saved["rows"]}
    print(f"\nagainst the reference run {reference_path} (+ is slower):")
    print(f"  code: {saved.get('code', '?')} then, {code()} now")
    there = saved.get("machine")
    if there is None:
        print("  the reference run does not say on what it ran")
    else:
        differing = [
            f"{key} {there.get(key, '?')} -> {value}" for key, value in here.items() if there.get(key) != value
        ]
        if differing:
            print("  not like for like: " + "; ".join(differing))
    for row in rows:
        old = reference.get(row["tasks"])
        if old is None:
            print(f"  {row['tasks']:>7} tasks: not in the reference run")
            continue
        changes = [
            f"{key.removesuffix('_s')} {row[key] / old[key] - 1:+.0%}" for key in FIGURES if key in row and old.get(key)
        ]
        print(f"  {row['tasks']:>7} tasks: " + ", ".join(changes))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 5000, 20000], metavar="TASKS")
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (default 5; half from 20,000 tasks on)")
    parser.add_argument("--save", type=Path, metavar="FILE.json", help="save this run as a reference run")
    parser.add_argument("--reference", type=Path, metavar="FILE.json", help="compare with a saved reference run")
    options = parser.parse_args(argv)
    if options.runs < 1:
        parser.error("--runs must be at least 1")
    if options.reference and not options.reference.exists():
        parser.error(f"--reference: {options.reference} does not exist")

    peer = shutil.which("node") is not None and (PEER.parent / "node_modules" / "bpmn-moddle").is_dir()
    here = machine(peer)
    print(f"smo-designer {code()}; " + ", ".join(f"{key} {value}" for key, value in here.items()))
    if not peer:
        print("the peer is not timed: it needs node and `npm ci --prefix ../shared/bpmn-check`")
    print("median seconds; load = read_bpmn, serial. = serialize, save = write_bpmn (serialize, write, fsync);")
    print("convert = `smo-designer convert IN OUT` and peer = `node roundtrip.mjs IN OUT`, whole processes;")
    print("MB columns: the processes' peak resident memory\n")
    rows = []
    for size in options.sizes:
        runs = options.runs if size < 20000 else max(min(3, options.runs), options.runs // 2)
        rows.append(measure(size, runs, peer))
    print_table(rows)
    print()
    for line in targets({row["tasks"]: row for row in rows}):
        print(line)
    if options.reference:
        compare(rows, options.reference, here)
    if options.save:
        options.save.write_text(json.dumps({"code": code(), "machine": here, "rows": rows}, indent=2) + "\n")
        print(f"\nsaved as {options.save}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
