"""The workshop RACI workbook: what participants see and print, and what comes back into the
model (only what they changed, nothing at all when the sheet is refused)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from raci_fixtures import fill_valid_raci, incident_document

from smo_designer.cli import main as cli_main
from smo_designer.formats.bpmn import read_bpmn, write_bpmn
from smo_designer.formats.raci_xlsx import (
    IMPORT_LABEL,
    RaciImportRefused,
    apply_raci_import,
    export_raci,
    read_raci_sheet,
)
from smo_designer.model import bpmn, smo

SHEET = "Incident management"
DATE = dt.date(2025, 3, 14)
LIBREOFFICE = shutil.which("libreoffice") or shutil.which("soffice")


def workshop(tmp_path: Path):
    """The incident model with a filled-in matrix (and one A/R cell), saved, and its workbook."""
    document, activities, roles = incident_document()
    fill_valid_raci(document, activities, roles)
    smo.set_raci(document, document.element(activities["Assign"]), roles["Incident manager"], "RA")
    smo.set_raci(document, document.element(activities["Assign"]), roles["Process owner"], "")
    model = tmp_path / "incident.bpmn"
    write_bpmn(document, model)
    sheet = tmp_path / "incident.xlsx"
    export_raci(document, sheet, str(model), date=DATE)
    return read_bpmn(model).document, activities, roles, model, sheet


def cell_of(worksheet, activity: str, role: str):
    """The cell a participant would find: the activity's row under the role's heading."""
    columns = {cell.value: cell.column for cell in worksheet[2] if cell.value}
    rows = {cell.value: cell.row for cell in worksheet["C"] if cell.value}
    return worksheet.cell(rows[activity], columns[role])


def edit_sheet(path: Path, change) -> None:
    workbook = openpyxl.load_workbook(path)
    change(workbook)
    workbook.save(path)


def letters_of(document, activities, roles, activity: str, role: str) -> str:
    return smo.raci(document.element(activities[activity])).get(roles[role], "")


# --- export -------------------------------------------------------------------------------------


def test_the_workbook_has_a_cover_a_matrix_per_process_and_a_legend(tmp_path: Path) -> None:
    _, _, _, _, path = workshop(tmp_path)
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["Cover", SHEET, "Legend", "_ids"]
    assert [s.sheet_state for s in workbook.worksheets] == ["visible", "visible", "visible", "veryHidden"]

    cover = workbook["Cover"]
    values = [[c.value for c in row] for row in cover.iter_rows()]
    labels = {row[0]: row[1] for row in values if row[0]}
    assert labels["Process"] == SHEET
    assert labels["Date"] == "2025-03-14"
    assert labels["Model file"] == "incident.bpmn"
    assert {"Version", "Owner"} <= labels.keys()
    sign_off = next(i for i, row in enumerate(values) if row[:4] == ["Name", "Role", "Date", "Signature"])
    assert len(values) - sign_off - 1 == 4  # four signature rows

    legend = workbook["Legend"]
    texts = [c.value for row in legend.iter_rows() for c in row if c.value]
    assert {"Responsible", "Accountable", "Consulted", "Informed"} <= set(texts)
    assert "Supportive" not in texts  # the model uses no S
    assert "The specialist" in texts  # each role's description


def test_the_matrix_shows_roles_as_columns_and_activities_grouped_by_lane(tmp_path: Path) -> None:
    _, _, _, _, path = workshop(tmp_path)
    sheet = openpyxl.load_workbook(path)[SHEET]
    assert [c.value for c in sheet[2]] == [
        "Activity id",
        "Lane",
        "Activity",
        "Service desk",
        "Incident manager",
        "Specialist",
        "Process owner",
        "Check",
    ]
    rows = [(r[1].value, r[2].value) for r in sheet.iter_rows(min_row=3)]
    assert rows == [
        ("Service desk", "Log incident"),
        ("Service desk", "Categorise"),
        ("Incident manager", "Assign"),
        ("Specialist", "Diagnose"),
        ("Specialist", "Resolve"),
    ]
    assert cell_of(sheet, "Assign", "Incident manager").value == "A/R"
    assert cell_of(sheet, "Diagnose", "Specialist").value == "R"
    assert cell_of(sheet, "Diagnose", "Service desk").value is None
    # ids live in a hidden row and column, so names may be edited
    assert sheet.row_dimensions[1].hidden and sheet.column_dimensions["A"].hidden
    assert sheet["A3"].value.startswith("Activity_") and sheet["D1"].value.startswith("Role_")


def test_the_matrix_is_ready_to_fill_in_and_print(tmp_path: Path) -> None:
    _, _, _, _, path = workshop(tmp_path)
    sheet = openpyxl.load_workbook(path)[SHEET]
    assert sheet.freeze_panes == "D3"
    assert sheet.auto_filter.ref == "B2:H7"
    assert sheet.print_title_rows == "$2:$2"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.oddFooter.left.text == "&F" and sheet.oddFooter.right.text == "Page &P of &N"

    (validation,) = sheet.data_validations.dataValidation
    assert validation.type == "list" and validation.formula1 == '"R,A,A/R,C,I"'
    assert str(validation.sqref) == "D3:G7"

    rules = {str(cf.sqref): [rule.formula[0] for rule in cf.rules] for cf in sheet.conditional_formatting}
    letter_rules = [formula for area, formulas in rules.items() if area.startswith("D") for formula in formulas]
    for letter in "RACI":
        assert any(f'SEARCH("{letter}"' in formula for formula in letter_rules)
    assert rules["H3:H7"][0] == 'COUNTIF($D3:$G3,"*A*")<>1'  # the check turns red unless one A


def test_the_check_column_is_a_live_formula_for_exactly_one_accountable(tmp_path: Path) -> None:
    _, _, _, _, path = workshop(tmp_path)
    sheet = openpyxl.load_workbook(path)[SHEET]
    formula = sheet["H5"].value
    assert sheet["H5"].data_type == "f"
    assert 'COUNTIF(D5:G5,"*A*")=1' in formula and '"no A"' in formula and '"OK"' in formula


def test_the_validation_offers_s_when_the_model_uses_rasci(tmp_path: Path) -> None:
    document, activities, roles = incident_document()
    fill_valid_raci(document, activities, roles)
    smo.set_raci(document, document.element(activities["Diagnose"]), roles["Service desk"], "S")
    path = tmp_path / "rasci.xlsx"
    export_raci(document, path, "rasci.bpmn", date=DATE)
    workbook = openpyxl.load_workbook(path)
    (validation,) = workbook[SHEET].data_validations.dataValidation
    assert validation.formula1 == '"R,A,A/R,S,C,I"'
    assert "Supportive" in [c.value for row in workbook["Legend"].iter_rows() for c in row]
    assert read_raci_sheet(document, path).changes == []


def test_names_that_look_like_formulas_are_written_as_text(tmp_path: Path) -> None:
    document, activities, roles = incident_document()
    smo.update_role(document, roles["Specialist"], name='=HYPERLINK("http://x","y")')
    bpmn.set_name(document, document.element(activities["Assign"]), "+1 escalate")
    bpmn.set_name(document, document.element(activities["Resolve"]), "-resolve-")
    smo.update_role(document, roles["Process owner"], name="@owner")
    path = tmp_path / "names.xlsx"
    export_raci(document, path, "names.bpmn", date=DATE)
    sheet = openpyxl.load_workbook(path)[SHEET]
    cells = [sheet["F2"], sheet["G2"], sheet["C5"], sheet["C7"]]
    assert [c.value for c in cells] == ['=HYPERLINK("http://x","y")', "@owner", "+1 escalate", "-resolve-"]
    assert all(c.data_type == "s" for c in cells)
    assert all(c.quotePrefix for c in cells)  # stays text when a participant edits the cell


def test_the_same_model_gives_the_same_bytes(tmp_path: Path) -> None:
    document, _, _, _, first = workshop(tmp_path)
    second = tmp_path / "again.xlsx"
    export_raci(document, second, str(tmp_path / "incident.bpmn"), date=DATE)
    assert first.read_bytes() == second.read_bytes()
    # nothing in the file depends on the clock: zip times are fixed, the properties carry the date
    with zipfile.ZipFile(first) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode()
    assert core.count("2025-03-14T00:00:00Z") == 2


def test_sheet_names_are_valid_and_unique_for_any_process_names(tmp_path: Path) -> None:
    document, activities, roles = incident_document()
    fill_valid_raci(document, activities, roles)
    first = bpmn.processes(document)[0]
    awkward = "Incident: [P1] / urgent* handling? for the 'night' shift"
    bpmn.set_name(document, first, awkward)
    second = bpmn.create(document, document.root, "process", {"name": awkward}, id_prefix="Process")
    task = bpmn.create(document, second, "userTask", {"name": "Page on-call"}, id_prefix="Activity")
    smo.set_raci(document, task, roles["Process owner"], "A")
    path = tmp_path / "two.xlsx"
    export_raci(document, path, "two.bpmn", date=DATE)
    names = openpyxl.load_workbook(path).sheetnames
    matrices = names[1:-2]
    assert len(matrices) == 2 and len(set(matrices)) == 2
    assert all(len(name) <= 31 and not set(name) & set("[]:*?/\\") for name in matrices)
    assert read_raci_sheet(document, path).changes == [] and not read_raci_sheet(document, path).refused


def test_a_model_without_roles_or_activities_still_exports(tmp_path: Path) -> None:
    document = bpmn.new_document("Empty")
    path = tmp_path / "empty.xlsx"
    export_raci(document, path, "", date=DATE)
    assert openpyxl.load_workbook(path).sheetnames == ["Cover", "Empty", "Legend", "_ids"]
    result = read_raci_sheet(document, path)
    assert result.changes == [] and result.refusals == []


# --- import -------------------------------------------------------------------------------------


def test_an_untouched_sheet_changes_nothing_and_saves_byte_identical(tmp_path: Path) -> None:
    document, _, _, model, path = workshop(tmp_path)
    result = read_raci_sheet(document, path)
    assert result.changes == [] and result.refusals == []
    apply_raci_import(document, result)
    again = tmp_path / "again.bpmn"
    write_bpmn(document, again)
    assert again.read_bytes() == model.read_bytes()


def test_an_edited_cell_arrives_in_the_model_and_in_the_next_export(tmp_path: Path) -> None:
    document, activities, roles, _, path = workshop(tmp_path)

    def edit(workbook) -> None:
        sheet = workbook[SHEET]
        cell_of(sheet, "Diagnose", "Service desk").value = "c"  # letters are read leniently
        cell_of(sheet, "Assign", "Incident manager").value = "R"
        cell_of(sheet, "Resolve", "Process owner").value = "r, a"
        cell_of(sheet, "Log incident", "Incident manager").value = None
        sheet["C3"] = "Log the incident (renamed in the room)"  # names may be edited freely

    edit_sheet(path, edit)
    result = read_raci_sheet(document, path)
    assert result.refusals == []
    assert [(c.where, c.activity, c.role, c.was, c.now) for c in result.changes] == [
        (f"'{SHEET}'!E3", "Log incident", "Incident manager", "I", ""),
        (f"'{SHEET}'!E5", "Assign", "Incident manager", "RA", "R"),
        (f"'{SHEET}'!D6", "Diagnose", "Service desk", "", "C"),
        (f"'{SHEET}'!G7", "Resolve", "Process owner", "A", "RA"),
    ]
    assert str(result.changes[1]) == f"'{SHEET}'!E5 (Assign / Incident manager): A/R -> R"
    assert str(result.changes[0]).endswith("I -> empty")

    apply_raci_import(document, result)
    assert letters_of(document, activities, roles, "Diagnose", "Service desk") == "C"
    assert letters_of(document, activities, roles, "Resolve", "Process owner") == "RA"
    assert letters_of(document, activities, roles, "Log incident", "Incident manager") == ""
    assert bpmn.name(document.element(activities["Log incident"])) == "Log incident"

    path_again = tmp_path / "next.xlsx"
    export_raci(document, path_again, "incident.bpmn", date=DATE)
    sheet = openpyxl.load_workbook(path_again)[SHEET]
    assert cell_of(sheet, "Diagnose", "Service desk").value == "C"
    assert cell_of(sheet, "Resolve", "Process owner").value == "A/R"
    assert read_raci_sheet(document, path_again).changes == []


def test_a_cell_untouched_in_the_room_keeps_what_the_model_says_now(tmp_path: Path) -> None:
    document, activities, roles, _, path = workshop(tmp_path)
    # while the sheet is out, the model changes two cells; participants change one of them too
    smo.set_raci(document, document.element(activities["Resolve"]), roles["Service desk"], "I")
    smo.set_raci(document, document.element(activities["Diagnose"]), roles["Service desk"], "I")
    edit_sheet(path, lambda wb: setattr(cell_of(wb[SHEET], "Diagnose", "Service desk"), "value", "C"))
    result = read_raci_sheet(document, path)
    assert [(c.activity, c.role, c.was, c.now) for c in result.changes] == [("Diagnose", "Service desk", "I", "C")]
    apply_raci_import(document, result)
    assert letters_of(document, activities, roles, "Resolve", "Service desk") == "I"
    assert letters_of(document, activities, roles, "Diagnose", "Service desk") == "C"


def test_rows_sorted_in_the_sheet_still_match_by_id(tmp_path: Path) -> None:
    document, activities, roles, _, path = workshop(tmp_path)

    def reverse_rows(workbook) -> None:
        sheet = workbook[SHEET]
        rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
        for number, values in enumerate(reversed(rows), start=3):
            for column, value in enumerate(values, start=1):
                sheet.cell(number, column).value = value
        cell_of(sheet, "Categorise", "Specialist").value = "I"

    edit_sheet(path, reverse_rows)
    result = read_raci_sheet(document, path)
    assert result.refusals == []
    assert [(c.activity, c.role, c.now) for c in result.changes] == [("Categorise", "Specialist", "I")]


def test_the_import_is_one_undo_step_in_the_application(tmp_path: Path) -> None:
    from PySide6.QtGui import QUndoStack

    from smo_designer.commands.raci import SetRaciCellsCommand

    document, activities, roles, _, path = workshop(tmp_path)
    edit_sheet(
        path,
        lambda wb: [setattr(cell_of(wb[SHEET], a, "Specialist"), "value", "C") for a in ("Log incident", "Assign")],
    )
    result = read_raci_sheet(document, path)
    before = document.content()
    stack = QUndoStack()
    stack.push(SetRaciCellsCommand(document, result.cells(), IMPORT_LABEL))
    assert stack.count() == 1 and stack.undoText() == "Import RACI sheet"
    assert letters_of(document, activities, roles, "Assign", "Specialist") == "C"
    stack.undo()
    assert document.content() == before


REFUSALS = {
    "unknown letter": (
        lambda wb: setattr(cell_of(wb[SHEET], "Assign", "Specialist"), "value", "X"),
        f"'{SHEET}'!F5: 'X' is not a RACI letter",
    ),
    "number": (lambda wb: setattr(cell_of(wb[SHEET], "Assign", "Specialist"), "value", 1), f"'{SHEET}'!F5: '1'"),
    "formula": (
        lambda wb: setattr(cell_of(wb[SHEET], "Assign", "Specialist"), "value", '=IF(TRUE,"R","")'),
        f"'{SHEET}'!F5: '=IF(TRUE,\"R\",\"\")' is a formula",
    ),
    "deleted id column": (lambda wb: wb[SHEET].delete_cols(1), f"'{SHEET}'!A1: the hidden id row or id column"),
    "deleted id row": (lambda wb: wb[SHEET].delete_rows(1), f"'{SHEET}'!A1: the hidden id row or id column"),
    "renamed sheet": (
        lambda wb: setattr(wb[SHEET], "title", "Workshop"),
        f"incident.xlsx: sheet 'Workshop' was '{SHEET}': rename it back",
    ),
    "deleted sheet": (lambda wb: wb.remove(wb[SHEET]), f"incident.xlsx: sheet '{SHEET}' is missing"),
    "unknown activity": (
        lambda wb: setattr(wb[SHEET]["A5"], "value", "Activity_99"),
        f"'{SHEET}'!C5: activity 'Assign' (id Activity_99) is not in the model",
    ),
    "unknown role": (
        lambda wb: setattr(wb[SHEET]["F1"], "value", "Role_99"),
        f"'{SHEET}'!F2: role 'Specialist' (id Role_99) is not in the model",
    ),
    "added role column": (
        lambda wb: (wb[SHEET].cell(2, 9, "Vendor"), wb[SHEET].cell(4, 9, "C")),
        f"'{SHEET}'!I4: column 'Vendor' is not a role of the model",
    ),
    "added activity row": (
        lambda wb: (wb[SHEET].cell(8, 3, "Close"), wb[SHEET].cell(8, 7, "A")),
        f"'{SHEET}'!C8: row 8 ('Close') has no activity id",
    ),
    "deleted row": (lambda wb: wb[SHEET].delete_rows(6), f"'{SHEET}': the row of activity 'Diagnose'"),
    "deleted role column": (lambda wb: wb[SHEET].delete_cols(5), f"'{SHEET}': the column of role 'Incident manager'"),
    "foreign workbook": (
        lambda wb: wb.remove(wb["_ids"]),
        "incident.xlsx: not a RACI workbook exported by SMO Designer",
    ),
}


@pytest.mark.parametrize("damage", REFUSALS, ids=list(REFUSALS))
def test_a_refused_sheet_is_reported_per_cell_and_applies_nothing(tmp_path: Path, damage: str) -> None:
    document, activities, roles, _, path = workshop(tmp_path)
    change, expected = REFUSALS[damage]

    def edit(workbook) -> None:
        cell_of(workbook[SHEET], "Diagnose", "Service desk").value = "C"  # a good edit beside the bad one
        change(workbook)

    edit_sheet(path, edit)
    before = document.content()
    result = read_raci_sheet(document, path)
    assert result.refused
    assert any(line.startswith(expected) for line in result.report()), result.report()
    with pytest.raises(RaciImportRefused):
        apply_raci_import(document, result)
    assert document.content() == before


def test_a_file_that_is_not_a_workbook_is_refused(tmp_path: Path) -> None:
    document, *_ = incident_document()
    path = tmp_path / "notes.xlsx"
    path.write_text("not a workbook", encoding="utf-8")
    (refusal,) = read_raci_sheet(document, path).refusals
    assert str(refusal).startswith("notes.xlsx: not an Excel workbook")
    (missing,) = read_raci_sheet(document, tmp_path / "absent.xlsx").refusals
    assert str(missing) == "absent.xlsx: the file does not exist"


@pytest.mark.parametrize(
    ("member", "size", "expected"),
    [
        ("xl/media/image1.png", 10 * 2**20, "'xl/media/image1.png' unpacks to"),  # 10 MB of zeros in ~10 kB
        ("xl/workbook.xml", None, "not an Excel workbook (.xlsx): a zip file without a workbook inside"),
    ],
)
def test_a_returned_workbook_that_would_unpack_into_a_bomb_or_is_no_workbook_is_refused_unopened(
    tmp_path: Path, member: str, size: int | None, expected: str
) -> None:
    document, _, _, _, path = workshop(tmp_path)
    if size is None:  # a zip without the workbook part
        with zipfile.ZipFile(path) as original:
            kept = {item.filename: original.read(item) for item in original.infolist() if item.filename != member}
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in kept.items():
                archive.writestr(name, data)
    else:
        with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(member, b"\0" * size)
    before = document.content()
    (refusal,) = read_raci_sheet(document, path).refusals
    assert str(refusal).startswith(f"incident.xlsx: {expected}"), str(refusal)
    assert document.content() == before


def test_every_bad_cell_is_reported(tmp_path: Path) -> None:
    document, _, _, _, path = workshop(tmp_path)

    def edit(workbook) -> None:
        sheet = workbook[SHEET]
        cell_of(sheet, "Assign", "Specialist").value = "X"
        cell_of(sheet, "Resolve", "Service desk").value = "R/Q"

    edit_sheet(path, edit)
    assert read_raci_sheet(document, path).report() == [
        f"'{SHEET}'!F5: 'X' is not a RACI letter (use R, A, S, C, I or combinations such as A/R)",
        f"'{SHEET}'!D7: 'R/Q' is not a RACI letter (use R, A, S, C, I or combinations such as A/R)",
    ]


# --- command line -------------------------------------------------------------------------------


def test_command_line_export_and_import(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    document, activities, roles = incident_document()
    fill_valid_raci(document, activities, roles)
    model = tmp_path / "incident.bpmn"
    write_bpmn(document, model)
    sheet = tmp_path / "incident.xlsx"
    assert cli_main(["export", str(model), "--raci", str(sheet)]) == 0
    assert openpyxl.load_workbook(sheet).sheetnames[1] == SHEET

    untouched = tmp_path / "untouched.bpmn"
    assert cli_main(["import-raci", str(model), str(sheet), "-o", str(untouched)]) == 0
    assert "no changes" in capsys.readouterr().out
    assert untouched.read_bytes() == model.read_bytes()

    edit_sheet(sheet, lambda wb: setattr(cell_of(wb[SHEET], "Diagnose", "Service desk"), "value", "C"))
    changed = tmp_path / "changed.bpmn"
    assert cli_main(["import-raci", str(model), str(sheet), "-o", str(changed)]) == 0
    out = capsys.readouterr().out
    assert f"'{SHEET}'!D6 (Diagnose / Service desk): empty -> C" in out
    result = read_bpmn(changed).document
    assert smo.raci(result.element(activities["Diagnose"]))[roles["Service desk"]] == "C"

    edit_sheet(sheet, lambda wb: setattr(cell_of(wb[SHEET], "Assign", "Specialist"), "value", "X"))
    refused = tmp_path / "refused.bpmn"
    assert cli_main(["import-raci", str(model), str(sheet), "-o", str(refused)]) == 2
    err = capsys.readouterr().err
    assert "refused, nothing applied" in err and f"'{SHEET}'!F5: 'X' is not a RACI letter" in err
    assert not refused.exists()


def test_command_line_export_needs_an_output_and_a_readable_model(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    model = tmp_path / "incident.bpmn"
    write_bpmn(incident_document()[0], model)
    assert cli_main(["export", str(model)]) == 2
    assert "--raci" in capsys.readouterr().err
    assert cli_main(["export", str(tmp_path / "absent.bpmn"), "--raci", str(tmp_path / "x.xlsx")]) == 2
    assert not (tmp_path / "x.xlsx").exists()
    assert cli_main(["export", str(model), "--raci", str(tmp_path / "no" / "such" / "x.xlsx")]) == 2
    assert "cannot be written" in capsys.readouterr().err


def test_command_line_export_and_import_load_no_qt(tmp_path: Path) -> None:
    model = tmp_path / "incident.bpmn"
    write_bpmn(incident_document()[0], model)
    sheet, out = tmp_path / "s.xlsx", tmp_path / "out.bpmn"
    probe = (
        "import sys\n"
        "from smo_designer.cli import main\n"
        f"assert main(['export', {str(model)!r}, '--raci', {str(sheet)!r}]) == 0\n"
        f"assert main(['import-raci', {str(model)!r}, {str(sheet)!r}, '-o', {str(out)!r}]) == 0\n"
        "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))))\n"
    )
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip().splitlines()[-1] == "[]"


# --- LibreOffice --------------------------------------------------------------------------------


@pytest.mark.skipif(LIBREOFFICE is None, reason="LibreOffice is not installed")
def test_a_sheet_saved_by_libreoffice_comes_back_unchanged_with_names_as_text(tmp_path: Path) -> None:
    document, activities, roles = incident_document()
    fill_valid_raci(document, activities, roles)
    smo.update_role(document, roles["Specialist"], name="=SUM(1,2)")
    bpmn.set_name(document, document.element(activities["Assign"]), "+1 escalate")
    path = tmp_path / "names.xlsx"
    export_raci(document, path, "names.bpmn", date=DATE)
    saved = tmp_path / "saved"
    profile = (tmp_path / "profile").as_uri()
    subprocess.run(
        [LIBREOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "xlsx", "--outdir", str(saved)]
        + [str(path)],
        check=True,
        capture_output=True,
        timeout=180,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    resaved = saved / "names.xlsx"
    sheet = openpyxl.load_workbook(resaved)[SHEET]
    assert (sheet["F2"].value, sheet["F2"].data_type) == ("=SUM(1,2)", "s")
    assert (sheet["C5"].value, sheet["C5"].data_type) == ("+1 escalate", "s")
    result = read_raci_sheet(document, resaved)
    assert result.refusals == [] and result.changes == []
