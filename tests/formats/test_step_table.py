"""Step tables from Excel and CSV become swimlane diagrams: one pool, a lane per role, R from the
role, flows from "next", laid out; a table with any bad row is refused whole with every row named;
hostile files are refused politely. Also the quick-capture edits the table panel runs."""

from __future__ import annotations

import csv
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from bpmn_checks import moddle_warnings, xsd_errors

from smo_designer.cli_steps import import_steps
from smo_designer.formats import step_table as st
from smo_designer.formats.bpmn import read_bpmn, serialize, write_bpmn
from smo_designer.model import bpmn as b
from smo_designer.model import di, raci, smo
from smo_designer.model.namespaces import bpmn

ROLES = ("Service desk agent", "Incident manager", "Support specialist", "Problem manager")


def fifty_steps() -> list[tuple[str, str, str, str, str]]:
    """(step, role, kind, next, description): a start, 47 tasks with a decision every ten steps
    that loops back or goes on, and an end; four roles."""
    rows = [("Incident reported", ROLES[0], "start", "2", "A user calls or writes in.")]
    for number in range(2, 50):
        name = f"Step {number:02d}"
        role = ROLES[(number // 5) % len(ROLES)]
        if number % 10 == 0:
            rows.append((f"Solved {number}?", role, "decision", f"yes: {number + 1}, no: {number - 3}", ""))
        else:
            rows.append((name, role, "task", str(number + 1), f"Work of step {number}."))
    rows.append(("Incident closed", ROLES[0], "end", "", "The user confirmed."))
    return rows


def write_xlsx(path: Path, header: list[str], rows: list[tuple], *, title_rows: int = 0) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for number in range(title_rows):
        sheet.append([f"Workshop notes {number + 1}"])
    sheet.append(header)
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    return path


def write_csv(path: Path, header: list[str], rows: list[tuple], delimiter: str = ",", encoding: str = "utf-8") -> Path:
    with open(path, "w", newline="", encoding=encoding) as stream:
        writer = csv.writer(stream, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def nodes_by_name(document) -> dict[str, object]:
    process = b.processes(document)[0]
    return {b.name(node): node for node in st.step_nodes(process)}


def drawn_lane(document, node) -> str:
    """The name of the lane whose drawing holds the centre of the node's drawing."""
    index = di.shapes_by_element(document)
    box = di.bounds(index[node.id][0])
    cx, cy = box.x + box.width / 2, box.y + box.height / 2
    for lane in b.lanes(b.processes(document)[0]):
        lane_box = di.bounds(index[lane.id][0])
        if lane_box.x <= cx <= lane_box.x + lane_box.width and lane_box.y <= cy <= lane_box.y + lane_box.height:
            return b.name(lane)
    return ""


# --- a 50-step workbook ----------------------------------------------------------------------


def test_a_fifty_step_workbook_becomes_one_pool_with_a_lane_per_role(tmp_path: Path) -> None:
    rows = fifty_steps()
    path = write_xlsx(tmp_path / "incident-steps.xlsx", ["Step", "Role", "Kind", "Next", "Description"], rows)
    result = st.import_step_table(path)
    assert result.ok, result.report()
    document = result.document
    assert result.steps == 50
    participants = b.participants(document)
    assert [b.name(p) for p in participants] == ["Incident steps"]
    process = b.processes(document)[0]
    # a lane per role, in order of first appearance, each bound to its role
    lanes = b.lanes(process)
    first_seen = list(dict.fromkeys(role for _step, role, *_ in rows))
    assert [b.name(lane) for lane in lanes] == first_seen
    role_ids = {role.name: role.id for role in smo.roles(document)}
    assert [smo.lane_role(lane) for lane in lanes] == [role_ids[name] for name in first_seen]
    nodes = nodes_by_name(document)
    assert len(nodes) == 50
    assert nodes["Incident reported"].local == "startEvent"
    assert nodes["Incident closed"].local == "endEvent"
    assert nodes["Solved 20?"].local == "exclusiveGateway"
    assert sum(node.local == "task" for node in nodes.values()) == 44
    # R from the role, documentation from the description, flows from next (with labels)
    for step, role, kind, _next, description in rows:
        node = nodes[step]
        assert b.documentation(node) == description
        if kind == "task":
            assert smo.raci(node) == {role_ids[role]: "R"}
        assert drawn_lane(document, node) == role  # drawn inside its lane
    flows = {
        (b.name(document.element(f.get("sourceRef"))), b.name(document.element(f.get("targetRef"))), b.name(f))
        for f in process.findall(bpmn("sequenceFlow"))
    }
    assert ("Solved 20?", "Step 21", "yes") in flows and ("Solved 20?", "Step 17", "no") in flows
    assert ("Step 49", "Incident closed", "") in flows
    assert len(flows) == 49 + 4  # one per step but the end, and a second way out of each decision
    # every node and flow drawn
    drawn = di.shapes_by_element(document)
    assert all(node.id in drawn for node in nodes.values())
    assert all(f.id in drawn for f in process.findall(bpmn("sequenceFlow")))
    # the RACI grid lists the 44 tasks under the lanes of their roles
    rows_of_grid = raci.raci_rows(document)
    assert len(rows_of_grid) == 44 and {row.lane for row in rows_of_grid} == set(ROLES)
    saved = tmp_path / "incident.bpmn"
    write_bpmn(document, saved)
    assert xsd_errors(saved.read_bytes()) == []
    again = read_bpmn(saved)
    assert again.problems == [] and again.document.content() == document.content()


def test_the_same_table_gives_the_same_bytes(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "steps.xlsx", ["Step", "Role", "Kind", "Next", "Description"], fifty_steps())
    assert serialize(st.import_step_table(path).document) == serialize(st.import_step_table(path).document)


def test_imported_files_are_read_by_bpmn_moddle_without_a_warning(tmp_path: Path, bpmn_moddle: Path) -> None:
    path = write_xlsx(tmp_path / "steps.xlsx", ["Step", "Role", "Kind", "Next", "Description"], fifty_steps())
    saved = tmp_path / "steps.bpmn"
    assert import_steps(str(path), str(saved)) == 0
    assert moddle_warnings(bpmn_moddle, [saved]) == {str(saved): []}


def test_headers_are_found_below_a_title_block_by_their_synonyms(tmp_path: Path) -> None:
    rows = [("Log the call", "Agent", "Activity", "Close", "notes"), ("Close", "Agent", "END", "", "")]
    path = write_xlsx(tmp_path / "t.xlsx", ["Activity Name:", "Who", "Type", "Goes to", "Notes"], rows, title_rows=2)
    result = st.import_step_table(path)
    assert result.ok, result.report()
    nodes = nodes_by_name(result.document)
    assert nodes["Log the call"].local == "task" and nodes["Close"].local == "endEvent"
    assert b.documentation(nodes["Log the call"]) == "notes"


def test_an_empty_role_is_the_role_of_the_row_above(tmp_path: Path) -> None:
    rows = [("A", "Agent", "", "", ""), ("B", "", "", "", ""), ("C", "Manager", "", "", ""), ("D", "", "", "", "")]
    result = st.import_step_table(write_csv(tmp_path / "t.csv", ["step", "role", "kind", "next", "description"], rows))
    assert result.ok, result.report()
    document = result.document
    assert [b.name(lane) for lane in b.lanes(b.processes(document)[0])] == ["Agent", "Manager"]
    nodes = nodes_by_name(document)
    assert drawn_lane(document, nodes["B"]) == "Agent" and drawn_lane(document, nodes["D"]) == "Manager"


def test_without_a_next_column_the_steps_follow_one_another(tmp_path: Path) -> None:
    rows = [("Start", "Agent", "event"), ("Work", "Agent", "task"), ("Done", "Agent", "event")]
    result = st.import_step_table(write_csv(tmp_path / "t.csv", ["Step", "Role", "Kind"], rows))
    assert result.ok, result.report()
    nodes = nodes_by_name(result.document)
    # a plain "event" is a start where nothing leads to it and an end where nothing follows
    assert nodes["Start"].local == "startEvent" and nodes["Done"].local == "endEvent"
    flows = b.processes(result.document)[0].findall(bpmn("sequenceFlow"))
    assert [(f.get("sourceRef"), f.get("targetRef")) for f in flows] == [
        (nodes["Start"].id, nodes["Work"].id),
        (nodes["Work"].id, nodes["Done"].id),
    ]


def test_an_id_column_is_what_next_refers_to(tmp_path: Path) -> None:
    rows = [
        ("10", "Log", "Agent", "task", "20"),
        ("20", "Check", "Agent", "decision", "ok: 30, retry: 10"),
        ("30", "Close", "Manager", "task", ""),
    ]
    result = st.import_step_table(write_csv(tmp_path / "t.csv", ["No.", "Step", "Role", "Kind", "Next"], rows))
    assert result.ok, result.report()
    nodes = nodes_by_name(result.document)
    flows = {
        (f.get("sourceRef"), f.get("targetRef"), b.name(f))
        for f in b.processes(result.document)[0].findall(bpmn("sequenceFlow"))
    }
    assert flows == {
        (nodes["Log"].id, nodes["Check"].id, ""),
        (nodes["Check"].id, nodes["Close"].id, "ok"),
        (nodes["Check"].id, nodes["Log"].id, "retry"),
    }


def test_a_semicolon_csv_in_windows_encoding_is_read(tmp_path: Path) -> None:
    rows = [("Prüfen", "Bearbeiter", "Aufgabe", "", "Größe")]
    path = write_csv(tmp_path / "t.csv", ["Schritt", "Rolle", "Art", "Nächster", "Beschreibung"], rows, ";", "cp1252")
    # German headers are not synonyms: the report says which columns it looked for
    result = st.import_step_table(path)
    assert not result.ok and "step and role" in result.report()[0]
    path = write_csv(
        tmp_path / "t.csv",
        ["Step", "Role", "Kind", "Next", "Description"],
        [("Prüfen", "Bearbeiter", "task", "", "Größe")],
        ";",
        "cp1252",
    )
    result = st.import_step_table(path)
    assert result.ok, result.report()
    assert b.documentation(nodes_by_name(result.document)["Prüfen"]) == "Größe"


# --- bad rows: all reported, nothing imported ------------------------------------------------


def test_a_csv_with_bad_rows_is_refused_whole_with_every_row_named(tmp_path: Path) -> None:
    rows = [
        ("Log incident", "Service desk agent", "task", "2", ""),  # row 2: fine
        ("Classify", "Service desk agent", "gizmo", "3", ""),  # row 3: unknown kind
        ("", "Incident manager", "task", "4", "no name"),  # row 4: empty name
        ("Resolve", "Support", "task", "9", ""),  # row 5: next step 9 of 7
        ("Log incident", "Support", "task", "", ""),  # row 6: duplicate
        ("Escalate", "Support", "task", "Nowhere", ""),  # row 7: next names no step
        ("Done", "Support", "end", "1", ""),  # row 8: an end with a next step
    ]
    path = write_csv(tmp_path / "bad.csv", ["step", "role", "kind", "next", "description"], rows)
    result = st.import_step_table(path)
    assert result.document is None and not result.ok
    report = result.report()
    assert report == [
        "row 3: unknown kind 'gizmo': use task, decision or event (also start, end, parallel, sub-process)",
        "row 4: the step has no name",
        "row 5: next step 9 does not exist: the table has steps 1 to 7",
        "row 6: duplicate step: step 'Log incident' is already row 2",
        "row 7: next step 'Nowhere' does not exist",
        "row 8: an end event has no next step",
    ]
    # the command line writes nothing and says why, row by row
    target = tmp_path / "out.bpmn"
    run = subprocess.run(
        [sys.executable, "-m", "smo_designer.cli_steps", str(path), "-o", str(target)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 2 and not target.exists()
    assert "refused, nothing imported (6 problems)" in run.stderr and "row 7: next step 'Nowhere'" in run.stderr


def test_the_first_step_needs_a_role_and_names_must_be_unambiguous(tmp_path: Path) -> None:
    rows = [("Review", "", "task", "", ""), ("Review", "Agent", "task", "", "")]
    path = write_csv(
        tmp_path / "t.csv", ["id", "step", "role", "kind", "next"], [("1", *rows[0][:4]), ("2", *rows[1][:3], "Review")]
    )
    result = st.import_step_table(path)
    assert result.report() == [
        "row 2: the first step has no role (an empty role means: the role of the row above)",
        "row 3: next step 'Review' names several steps (rows 2, 3): give its id",
    ]


def test_control_characters_are_reported_not_written(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "t.csv", ["step", "role"], [("Bell\x07", "Agent")])
    assert st.import_step_table(path).report() == ["row 2: the name: text cannot hold the control character U+0007"]


# --- hostile and foreign files ---------------------------------------------------------------


def test_a_zip_that_is_no_workbook_is_refused_before_it_is_unpacked(tmp_path: Path) -> None:
    bomb = tmp_path / "steps.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("zeros.bin", b"\0" * (50 * 2**20))  # 50 MB of zeros pack into ~50 kB
    assert bomb.stat().st_size < 2**20
    result = st.import_step_table(bomb)
    assert result.report() == ["steps.xlsx: not an Excel workbook (.xlsx): a zip file without a workbook inside"]


def test_a_workbook_that_unpacks_far_beyond_its_size_is_refused(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "steps.xlsx", ["Step", "Role"], [("A", "Agent")])
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\0" * (70 * 2**20))
    report = st.import_step_table(path).report()
    assert len(report) == 1 and report[0].startswith("steps.xlsx: unpacks to") and "not imported" in report[0]


def test_a_part_that_unpacks_a_thousand_times_its_size_is_refused(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "steps.xlsx", ["Step", "Role"], [("A", "Agent")])
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/image1.png", b"\0" * (10 * 2**20))  # 10 MB of zeros in ~10 kB
    report = st.import_step_table(path).report()
    assert len(report) == 1 and "'xl/media/image1.png' unpacks to" in report[0] and "zip bomb" in report[0]


def test_a_workbook_of_more_than_ten_thousand_steps_is_refused(tmp_path: Path) -> None:
    rows = [(f"Step {number}", "Agent") for number in range(st.MAX_STEPS + 1)]
    report = st.import_step_table(write_xlsx(tmp_path / "huge.xlsx", ["Step", "Role"], rows)).report()
    assert report == ["huge.xlsx: more than 10,000 steps: a step table this long is not a workshop's; split it"]


def test_more_than_ten_thousand_steps_are_refused_with_a_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    with open(path, "w", encoding="utf-8") as stream:
        stream.write("step,role\n")
        for number in range(st.MAX_STEPS + 5):
            stream.write(f"Step {number},Agent\n")
    report = st.import_step_table(path).report()
    assert report == ["huge.csv: more than 10,000 steps: a step table this long is not a workshop's; split it"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "an old .xls workbook"),
        ("fake.xlsx", b"just text", "not an Excel workbook (.xlsx)"),
        ("binary.csv", b"step,role\n\0\0\0", "not a text file"),
        ("steps.pdf", b"%PDF-1.4", "not a step table"),
        ("empty.csv", b"", "the table is empty"),
        ("header.csv", b"step,role\n", "the table has a header row but no steps"),
    ],
)
def test_files_that_are_no_step_table_get_one_clear_line(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    report = st.import_step_table(path).report()
    assert len(report) == 1 and report[0].startswith(f"{name}: ") and message in report[0]


def test_a_missing_file_and_a_folder_are_reported(tmp_path: Path) -> None:
    assert st.import_step_table(tmp_path / "nope.csv").report() == ["nope.csv: the file does not exist"]
    (tmp_path / "dir.csv").mkdir()
    assert st.import_step_table(tmp_path / "dir.csv").report() == ["dir.csv: is a folder, not a table"]


# --- the command line ------------------------------------------------------------------------


def test_import_steps_writes_a_valid_file_and_says_what_it_built(tmp_path: Path, capsys) -> None:
    path = write_csv(tmp_path / "steps.csv", ["Step", "Role", "Kind", "Next", "Description"], fifty_steps())
    target = tmp_path / "steps.bpmn"
    assert import_steps(str(path), str(target)) == 0
    out = capsys.readouterr().out
    assert (
        out.strip()
        == f"{target}: 50 steps in 4 lanes (Service desk agent, Incident manager, Support specialist, Problem manager)"
    )
    assert xsd_errors(target.read_bytes()) == []
    assert read_bpmn(target).problems == []


def test_the_smo_designer_command_runs_import_steps(tmp_path: Path) -> None:
    from smo_designer import cli

    if "import-steps" not in cli.SUBCOMMANDS:
        pytest.skip("cli.py does not register import-steps yet (see smo_designer/cli_steps.py)")
    path = write_csv(tmp_path / "steps.csv", ["Step", "Role"], [("A", "Agent"), ("B", "Manager")])
    target = tmp_path / "steps.bpmn"
    assert cli.main(["import-steps", str(path), "-o", str(target)]) == 0
    assert xsd_errors(target.read_bytes()) == []


def test_import_steps_keeps_an_existing_file_when_the_table_is_refused(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "steps.csv", ["Step", "Role", "Kind"], [("A", "Agent", "blob")])
    target = tmp_path / "steps.bpmn"
    target.write_text("old")
    assert import_steps(str(path), str(target)) == 2
    assert target.read_text() == "old"


# --- quick-capture edits (the table panel's commands run these) ------------------------------


def test_quick_capture_edits_build_lanes_flows_and_raci_and_undo_exactly() -> None:
    document = b.new_document()
    start = document.content()
    edits = []

    def edit(element_id, field_name, text):
        with document.edit("Quick capture") as change:
            result = st.edit_step(document, element_id, field_name, text)
        edits.append(change)
        return result

    first = edit(None, "name", "Log incident")
    edit(first, "role", "Service desk agent")
    edit(first, "next", "2")  # step 2 does not exist yet: it is created, to be named in its row
    second = st.read_steps(document)[1].element_id
    edit(second, "name", "Solved?")
    edit(second, "kind", "decision")
    edit(second, "role", "Service desk agent")
    edit(second, "next", "yes: 3, no: Log incident")
    third = st.read_steps(document)[2].element_id
    edit(third, "name", "Closed")
    edit(third, "kind", "event")
    rows = st.read_steps(document)
    assert [(r.number, r.name, r.role, r.kind, r.next) for r in rows] == [
        (1, "Log incident", "Service desk agent", "task", "2"),
        (2, "Solved?", "Service desk agent", "decision", "yes: 3, no: 1"),
        (3, "Closed", "", "end event", ""),
    ]
    assert b.participants(document) and [b.name(lane) for lane in b.lanes(b.processes(document)[0])] == [
        "Service desk agent"
    ]
    role = smo.roles(document)[0]
    assert smo.raci(document.element(first)) == {role.id: "R"}
    assert xsd_errors(serialize(document)) == []
    # a typo'd role leaves no lane behind once corrected
    edit(third, "role", "Servce desk")
    edit(third, "role", "Service desk agent")
    assert [b.name(lane) for lane in b.lanes(b.processes(document)[0])] == ["Service desk agent"]
    assert [r.name for r in smo.roles(document)] == ["Service desk agent"]
    for change in reversed(edits):
        change.undo(document)
    assert document.content() == start


@pytest.mark.parametrize(
    ("field_name", "text", "message"),
    [
        ("kind", "blob", "unknown kind 'blob'"),
        ("next", str(st.MAX_AHEAD + 2), f"there is no step {st.MAX_AHEAD + 2}: the steps are numbered 1 to 1"),
        ("next", "Nowhere", "there is no step 'Nowhere'"),
        ("name", "Bell\x07", "control character"),
    ],
)
def test_quick_capture_refuses_entries_a_step_cannot_take(field_name: str, text: str, message: str) -> None:
    document = b.new_document()
    with document.edit("first"):
        ident = st.edit_step(document, None, "name", "Log")
    before = document.content()
    with pytest.raises(st.StepError, match=message):
        with document.edit("bad"):
            st.edit_step(document, ident, field_name, text)
    assert document.content() == before


def test_import_steps_loads_no_qt(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "steps.csv", ["Step", "Role"], [("A", "Agent"), ("B", "Agent")])
    probe = (
        "import sys\n"
        "from smo_designer.cli_steps import main\n"
        f"assert main([{str(path)!r}, '-o', {str(tmp_path / 'out.bpmn')!r}]) == 0\n"
        "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))))\n"
    )
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip().splitlines()[-1] == "[]"
