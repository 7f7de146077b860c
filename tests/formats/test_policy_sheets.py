"""The policy register and KPI sheets of the Excel export: what a reader finds in them, and
that they leave the RACI sheets and their import as they were."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
from conftest import ROOT

from smo_designer.formats.bpmn import read_bpmn
from smo_designer.formats.raci_xlsx import export_raci, raci_workbook_bytes, read_raci_sheet
from smo_designer.model import bpmn, smo

SAMPLE = ROOT / "samples" / "incident-management.bpmn"
DATE = dt.date(2026, 11, 23)


def table(sheet) -> list[dict[str, object]]:
    """The rows under the headings (row 3), as heading → value."""
    headings = [cell.value for cell in sheet[3]]
    return [
        dict(zip(headings, [cell.value for cell in row], strict=True))
        for row in sheet.iter_rows(min_row=4)
        if any(cell.value is not None for cell in row)
    ]


def exported(tmp_path: Path, document=None) -> openpyxl.Workbook:
    path = tmp_path / "sample.xlsx"
    export_raci(document or read_bpmn(SAMPLE).document, path, "incident-management.bpmn", date=DATE)
    return openpyxl.load_workbook(path)


def test_the_workbook_gains_a_policy_register_and_a_kpi_sheet_after_the_legend(tmp_path: Path) -> None:
    workbook = exported(tmp_path)
    assert workbook.sheetnames == ["Cover", "IT service provider", "Legend", "Policies", "KPIs", "_ids"]
    assert [workbook[name].sheet_state for name in ("Policies", "KPIs")] == ["visible", "visible"]


def test_the_policy_register_lists_every_policy_with_what_it_governs(tmp_path: Path) -> None:
    sheet = exported(tmp_path)["Policies"]
    assert sheet["A1"].value == "Policy register"
    assert sheet["A2"].value == "Incident management"
    rows = table(sheet)
    assert [row["Policy"] for row in rows] == ["IM-POL-01", "IM-POL-02", "IM-POL-03", "IM-POL-04"]
    first = rows[0]
    assert first["Title"] == "Every incident is logged"
    assert str(first["Statement"]).startswith("Every incident reported to the service desk")
    assert (first["Status"], first["Owner"], first["Approver"]) == (
        "Approved",
        "Incident manager",
        "Head of IT service management",
    )
    assert (first["Effective"], first["Next review"]) == ("2024-03-01", "2027-03-01")
    assert first["Governs"] == "Activity: Log incident"
    assert first["Framework references"] == (
        "ITIL 4: Incident management practice (implements)\n"
        "ISO/IEC 20000-1:2018: 8.6.1 Incident management (implements)\n"
        "COBIT 2019: DSS02 Managed Service Requests and Incidents (supports)"
    )
    assert str(first["History"]).splitlines()[0] == "Draft 2024-01-15"
    assert rows[2]["Status"] == "In review" and rows[2]["Owner"] == "Incident management process owner"
    assert sheet.freeze_panes == "B4"
    assert sheet.auto_filter.ref == "A3:K7"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet["D4"].fill.fgColor.rgb.endswith("C6EFCE")  # approved shows green


def test_the_kpi_sheet_lists_the_kpis_of_each_process(tmp_path: Path) -> None:
    rows = table(exported(tmp_path)["KPIs"])
    assert [(row["Process"], row["KPI"]) for row in rows] == [
        ("Incident management", "Mean time to resolve"),
        ("Incident management", "First-contact resolution rate"),
        ("Incident management", "Incidents resolved within SLA"),
    ]
    first = rows[0]
    assert (first["Target"], first["Unit"], first["Better when"]) == ("≤ 8", "hours", "Lower")
    assert (first["Frequency"], first["Owner"], first["Data source"]) == (
        "monthly",
        "Incident manager",
        "ITSM tool, incident records",
    )
    assert rows[1]["Target"] == "≥ 70"


def test_the_workbook_with_the_new_sheets_still_imports_without_a_change(tmp_path: Path) -> None:
    document = read_bpmn(SAMPLE).document
    path = tmp_path / "sample.xlsx"
    export_raci(document, path, "incident-management.bpmn", date=DATE)
    result = read_raci_sheet(document, path)
    assert result.refusals == [] and result.changes == []


def test_a_model_without_policies_or_kpis_gets_neither_sheet(tmp_path: Path) -> None:
    document = read_bpmn(SAMPLE).document
    for policy in smo.policies(document):
        smo.remove_policy(document, policy.id)
    assert "Policies" not in exported(tmp_path, document).sheetnames
    for kpi in smo.kpis(bpmn.processes(document)[0]):
        smo.remove_kpi(document, kpi.id)
    assert exported(tmp_path, document).sheetnames == ["Cover", "IT service provider", "Legend", "_ids"]


def test_a_pool_called_policies_does_not_take_the_register_s_name(tmp_path: Path) -> None:
    document = read_bpmn(SAMPLE).document
    bpmn.set_name(document, bpmn.participants(document)[0], "Policies")
    names = exported(tmp_path, document).sheetnames
    assert names.count("Policies") == 1 and names[1] == "Policies (2)"


def test_the_same_model_gives_the_same_bytes() -> None:
    document = read_bpmn(SAMPLE).document
    assert raci_workbook_bytes(document, "x.bpmn", date=DATE) == raci_workbook_bytes(document, "x.bpmn", date=DATE)
