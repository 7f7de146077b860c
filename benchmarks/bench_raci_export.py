"""Time the RACI workbook export of a generated model (1,000 activities x 40 roles by default)
against openpyxl writing the same matrix cells plainly (values only: no styles, validation,
conditional formats, print setup, cover, legend or id sheet), and the import of the untouched
workbook, and print the figures.

    python benchmarks/bench_raci_export.py [--activities 1000] [--roles 40] [--runs 5]

Both are timed to a file, as medians of --runs runs taken in turn. Our figure includes reading
the matrix out of the document (rows in flow order, lanes, letters). Target (issue 4): export
within 2 x the plain write. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

from smo_designer.formats.bpmn import parse_bpmn  # noqa: E402
from smo_designer.formats.raci_xlsx import _check_formula, export_raci, read_raci_sheet, sheet_letters  # noqa: E402
from smo_designer.model import bpmn, raci, smo  # noqa: E402
from smo_designer.model.document import Document  # noqa: E402


def build(activities: int, role_count: int) -> Document:
    """A generated swimlane model with role_count roles, lanes bound to the first twelve, and
    about seven letters per activity: R for the lane's role, one A, two C and three I."""
    document = parse_bpmn(generate(activities), "generated").document
    roles = [smo.add_role(document, f"Role {n + 1}", f"Does step {n + 1}").get("id", "") for n in range(role_count)]
    process = bpmn.processes(document)[0]
    for index, lane in enumerate(bpmn.lanes(process)):
        smo.set_lane_role(document, lane, roles[index % role_count])
    with document.edit("Fill the matrix"):
        for number, row in enumerate(raci.raci_rows(document)):
            activity = document.element(row.activity_id)
            assert activity is not None
            lane_role = raci.lane_role_of(document, activity) or roles[0]
            wanted = {lane_role: "R"}
            others = [role for role in roles if role != lane_role]
            wanted[others[number % len(others)]] = "RA" if number % 7 == 0 else "A"
            for step, letter in ((3, "C"), (5, "C"), (11, "I"), (13, "I"), (17, "I")):
                wanted.setdefault(others[(number * step + step) % len(others)], letter)
            for role, letters in wanted.items():
                smo.set_raci(document, activity, role, letters)
    return document


def plain_write(document: Document, target: Path) -> None:
    """The same matrix cells (ids, names, letters, check formulas), written plainly."""
    roles = smo.roles(document)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["smo-designer RACI sheet 1", None, None, *(role.id for role in roles), "#check"])
    sheet.append(["Activity id", "Lane", "Activity", *(role.name for role in roles), "Check"])
    last = _column_letter(3 + len(roles))
    for number, row in enumerate(raci.raci_rows(document), start=3):
        activity = document.element(row.activity_id)
        assert activity is not None
        cells = smo.raci(activity)
        letters = [sheet_letters(cells.get(role.id, "")) or None for role in roles]
        sheet.append([row.activity_id, row.lane, row.name, *letters, _check_formula(number, "D", last)])
    workbook.save(target)


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activities", type=int, default=1000)
    parser.add_argument("--roles", type=int, default=40)
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args(argv)

    document = build(options.activities, options.roles)
    rows = len(raci.raci_rows(document))
    ours, plain, imports = [], [], []
    with tempfile.TemporaryDirectory() as scratch:
        target = Path(scratch) / "raci.xlsx"
        baseline = Path(scratch) / "plain.xlsx"
        for _ in range(options.runs):
            start = time.perf_counter()
            plain_write(document, baseline)
            plain.append(time.perf_counter() - start)
            start = time.perf_counter()
            export_raci(document, target, "generated.bpmn")
            ours.append(time.perf_counter() - start)
            start = time.perf_counter()
            result = read_raci_sheet(document, target)
            imports.append(time.perf_counter() - start)
            assert not result.refused and not result.changes
        size, plain_size = target.stat().st_size, baseline.stat().st_size
    ratio = statistics.median(ours) / statistics.median(plain)
    print(f"RACI export, {rows} activities x {options.roles} roles, median of {options.runs} runs")
    print(f"  plain openpyxl write : {statistics.median(plain):7.3f} s  ({plain_size / 1e6:.2f} MB)")
    print(f"  export_raci          : {statistics.median(ours):7.3f} s  ({size / 1e6:.2f} MB)")
    print(f"  ratio                : {ratio:7.2f} x  (target: at most 2 x)")
    print(f"  read_raci_sheet      : {statistics.median(imports):7.3f} s  (the untouched sheet back: no changes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
