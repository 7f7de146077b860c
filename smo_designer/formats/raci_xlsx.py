"""The workshop RACI workbook with openpyxl: export (cover, one matrix per process, legend) and
import of the sheet that comes back from the room, matched by ids kept hidden in it (formats layer).

Layout of a matrix sheet: hidden column A holds activity ids and hidden row 1 holds role ids,
so participants may rename, sort and filter freely; A1 holds the sheet-format marker. A hidden
"_ids" sheet lists, per matrix sheet, the process, roles and activities that were exported (and
the letters they had), so that a renamed sheet, a deleted row or column, or a foreign workbook
is recognised, and a cell left untouched in the room never undoes a change made to the model
since the export. Import never changes the document: it returns the cell changes and the
refusals; apply_raci_import() (or the GUI's SetRaciCellsCommand) applies them as one edit, and
only when nothing was refused.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import zipfile
from collections.abc import Iterable
from copy import copy
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from ..model import bpmn as b
from ..model import raci, smo
from ..model.document import Document
from ..model.raci import LETTER_COLOURS
from .bpmn import BpmnWriteError, write_atomic
from .workbook_files import WorkbookRefused, check_workbook_file

# A workshop workbook of the 20,000-task benchmark model is a few MB; these bounds only stop a
# file from unpacking into more memory than any RACI workbook could need.
MAX_WORKBOOK_BYTES = 200 * 1024 * 1024
MAX_UNPACKED_BYTES = 2 * 1024 * 1024 * 1024

WORKBOOK_MARKER = "smo-designer RACI workbook"
SHEET_MARKER = "smo-designer RACI sheet"
FORMAT_VERSION = 1
IMPORT_LABEL = "Import RACI sheet"

COVER_SHEET = "Cover"
LEGEND_SHEET = "Legend"
IDS_SHEET = "_ids"
POLICY_SHEET = "Policies"
KPI_SHEET = "KPIs"

# Matrix sheet geometry (1-based, as openpyxl counts).
ID_ROW, HEADER_ROW, FIRST_ROW = 1, 2, 3
ID_COLUMN, LANE_COLUMN, ACTIVITY_COLUMN, FIRST_ROLE_COLUMN = 1, 2, 3, 4
CHECK_ID = "#check"

# The order letters are shown in a cell: "A/R" as workshops write it (the model stores "RA").
DISPLAY_ORDER = "ARSCI"
LETTER_MEANINGS = {
    "R": ("Responsible", "Does the work. At least one per activity."),
    "A": ("Accountable", "Owns the outcome and signs it off. Exactly one per activity."),
    "S": ("Supportive", "Provides resources or help to the Responsible."),
    "C": ("Consulted", "Gives input before or during the work (two-way)."),
    "I": ("Informed", "Is told of progress or the outcome (one-way)."),
}
# Cells a participant can use; more combinations are accepted on import.
STANDARD_CHOICES = ("R", "A", "A/R", "C", "I")

_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_FORMULA_STARTS = ("=", "+", "-", "@")
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_MAX_CELL_TEXT = 32767
_NOT_LETTERS = "is not a RACI letter (use R, A, S, C, I or combinations such as A/R)"

# Fonts name Calibri, the workbook's default: a font without a name prints in a serif elsewhere.
_FONT = "Calibri"
_BODY_FONT = Font(name=_FONT, size=11)
_HEADER_FILL = PatternFill("solid", fgColor="1F3864")
_HEADER_FONT = Font(name=_FONT, bold=True, color="FFFFFF")
_TITLE_FONT = Font(name=_FONT, bold=True, size=18, color="1F3864")
_SUBTITLE_FONT = Font(name=_FONT, size=13, color="1F3864")
_LABEL_FONT = Font(name=_FONT, bold=True, color="1F3864")
_LABEL_FILL = PatternFill("solid", fgColor="D9E1F2")
_LETTER_FONT = Font(name=_FONT, bold=True, size=12)
_THIN = Side(style="thin", color="A6A6A6")
_GROUP = Side(style="thin", color="1F3864")  # rules may draw only thin lines in Excel
_GRID = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_GROUP_START = Border(left=_THIN, right=_THIN, top=_GROUP, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")
_WRAP_CENTRE = Alignment(wrap_text=True, vertical="center")
_CENTRE = Alignment(horizontal="center", vertical="center")


class RaciSheetWriteError(Exception):
    """The workbook cannot be written; str() is one line naming file and reason."""


class RaciImportRefused(Exception):
    """apply_raci_import() was given an import with refusals; nothing was applied."""


@dataclass(frozen=True)
class RaciCellChange:
    """One cell whose letters in the sheet differ from the model's."""

    activity_id: str
    role_id: str
    was: str  # the model's letters, canonical ("RA"); "" for an empty cell
    now: str  # the sheet's letters, canonical
    where: str  # "'Incident management'!E5"
    activity: str  # the activity's name in the model
    role: str  # the role's name in the model

    def __str__(self) -> str:
        return (
            f"{self.where} ({_one_line(self.activity) or self.activity_id} / {self.role or self.role_id}): "
            f"{sheet_letters(self.was) or 'empty'} -> {sheet_letters(self.now) or 'empty'}"
        )


@dataclass(frozen=True)
class RaciRefusal:
    """Why the sheet cannot be applied, at one place: "'Sheet'!C7", a sheet, or the file."""

    where: str
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


@dataclass
class RaciImport:
    """What a returned sheet would change, cell by cell, and what stops it from being applied."""

    changes: list[RaciCellChange] = field(default_factory=list)
    refusals: list[RaciRefusal] = field(default_factory=list)

    @property
    def refused(self) -> bool:
        return bool(self.refusals)

    def cells(self) -> list[tuple[str, str, str]]:
        """(activity id, role id, letters) for raci.apply_cells or SetRaciCellsCommand."""
        return [(change.activity_id, change.role_id, change.now) for change in self.changes]

    def report(self) -> list[str]:
        """Lines for the user: the refusals when refused, else the changes."""
        if self.refused:
            return [str(refusal) for refusal in self.refusals]
        return [str(change) for change in self.changes]


def sheet_letters(letters: str) -> str:
    """Model letters as a cell shows them: "RA" → "A/R"."""
    return "/".join(sorted(letters, key=DISPLAY_ORDER.index))


# --- export -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _MatrixSheet:
    title: str
    process_id: str
    pool: str
    rows: list[raci.RaciRow]


def export_raci(
    document: Document,
    path: str | os.PathLike[str],
    source_name: str = "",
    *,
    date: dt.date | None = None,
) -> None:
    """Write the workshop workbook to path, atomically. source_name (the model's file name) and
    date (today by default) appear on the cover; the same inputs give the same bytes."""
    data = raci_workbook_bytes(document, source_name, date=date)
    try:
        write_atomic(Path(path), data)
    except BpmnWriteError as error:
        raise RaciSheetWriteError(str(error)) from None


def raci_workbook_bytes(document: Document, source_name: str = "", *, date: dt.date | None = None) -> bytes:
    """The workbook export_raci() writes, as bytes (for callers that save it themselves)."""
    date = date or dt.date.today()
    roles = smo.roles(document)
    sheets = _matrix_sheets(document)
    cells = {row.activity_id: _cells_of(document, row.activity_id) for sheet in sheets for row in sheet.rows}
    used = {letter for row_cells in cells.values() for letters in row_cells.values() for letter in letters}
    choices = _choices(cells, used)

    workbook = Workbook()
    cover = workbook.active
    assert cover is not None
    cover.title = COVER_SHEET
    _write_cover(cover, document, sheets, source_name, date)
    for sheet in sheets:
        _write_matrix(workbook.create_sheet(sheet.title), document, sheet, roles, cells, choices)
    _write_legend(workbook.create_sheet(LEGEND_SHEET), document, roles, used)
    if smo.policies(document):
        write_policy_register(workbook.create_sheet(POLICY_SHEET), document)
    if any(smo.kpis(process) for process in b.processes(document)):
        write_kpi_sheet(workbook.create_sheet(KPI_SHEET), document)
    _write_ids(workbook.create_sheet(IDS_SHEET), sheets, roles, cells)

    title = document.root.get("name", "") or "RACI"
    workbook.properties.title = _clean(title)
    workbook.properties.creator = "SMO Designer"
    workbook.properties.lastModifiedBy = None
    moment = dt.datetime(date.year, date.month, date.day)
    workbook.properties.created = moment
    workbook.properties.modified = moment
    buffer = BytesIO()
    ExcelWriter(workbook, _FixedTimeZip(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True)).save()
    return buffer.getvalue()


class _FixedTimeZip(zipfile.ZipFile):
    """A zip whose members all carry one fixed time, so the same workbook gives the same bytes."""

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):  # type: ignore[override]
        if isinstance(zinfo_or_arcname, str):
            info = zipfile.ZipInfo(zinfo_or_arcname, date_time=_ZIP_TIME)
            info.compress_type = self.compression
            info.external_attr = 0o600 << 16
            zinfo_or_arcname = info
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):  # type: ignore[override]
        # openpyxl writes worksheets through temporary files, which would carry their own times
        with open(filename, "rb") as handle:
            self.writestr(arcname or os.path.basename(filename), handle.read(), compress_type, compresslevel)


def _matrix_sheets(document: Document) -> list[_MatrixSheet]:
    by_process: dict[str, list[raci.RaciRow]] = {}
    pools: dict[str, str] = {}
    title = _one_line(document.root.get("name", ""))
    for row in raci.raci_rows(document):
        by_process.setdefault(row.process_id, []).append(row)
        # a process without a name of its own goes by the document's title rather than its id
        pools[row.process_id] = title if row.pool == row.process_id and title else row.pool
    if not by_process:
        # a model without activities still gets a matrix, to show what will come
        process = next(iter(b.processes(document)), None)
        ident = process.id or "" if process is not None else ""
        by_process[ident] = []
        pools[ident] = (b.name(process) if process is not None else "") or title or "RACI"
    taken = {COVER_SHEET.casefold(), LEGEND_SHEET.casefold(), IDS_SHEET.casefold(), "history"}
    taken |= {POLICY_SHEET.casefold(), KPI_SHEET.casefold()}
    return [
        _MatrixSheet(_sheet_title(pools[ident], taken), ident, pools[ident], rows) for ident, rows in by_process.items()
    ]


def _sheet_title(name: str, taken: set[str]) -> str:
    """A unique title Excel accepts: at most 31 characters, none of []:*?/\\, no edge quotes."""
    base = _SHEET_FORBIDDEN.sub(" ", " ".join(name.split())).strip("' ")[:31].strip("' ") or "Process"
    title, number = base, 2
    while title.casefold() in taken:
        suffix = f" ({number})"
        title = base[: 31 - len(suffix)].rstrip() + suffix
        number += 1
    taken.add(title.casefold())
    return title


def _cells_of(document: Document, activity_id: str) -> dict[str, str]:
    activity = document.element(activity_id)
    return smo.raci(activity) if activity is not None else {}


def _choices(cells: dict[str, dict[str, str]], used: set[str]) -> list[str]:
    """The list validation's items: the standard ones, S when the document uses it, then the
    other combinations the document holds, so an untouched sheet never shows a warning."""
    choices = list(STANDARD_CHOICES)
    if "S" in used:
        choices.insert(choices.index("C"), "S")
    extra = {sheet_letters(letters) for row in cells.values() for letters in row.values()} - set(choices)
    for combination in sorted(extra, key=lambda value: (len(value), [DISPLAY_ORDER.index(c) for c in value[::2]])):
        if len(",".join([*choices, combination])) + 2 > 255:  # Excel's limit on a list's formula
            break
        choices.append(combination)
    return choices


def _write_matrix(
    sheet: Worksheet,
    document: Document,
    matrix: _MatrixSheet,
    roles: list[smo.Role],
    cells: dict[str, dict[str, str]],
    choices: list[str],
) -> None:
    last_role_column = FIRST_ROLE_COLUMN + len(roles) - 1
    check_column = last_role_column + 1
    last_row = max(FIRST_ROW + len(matrix.rows) - 1, FIRST_ROW)
    first_letter = get_column_letter(FIRST_ROLE_COLUMN)
    last_letter = get_column_letter(last_role_column)
    check_letter = get_column_letter(check_column)
    rotated = len(roles) > 8  # many roles: narrow columns with upright names, as RACI charts do

    _text(sheet.cell(ID_ROW, ID_COLUMN), f"{SHEET_MARKER} {FORMAT_VERSION}")
    _text(sheet.cell(ID_ROW, check_column), CHECK_ID)
    header_alignment = Alignment(
        horizontal="center", vertical="bottom" if rotated else "center", wrap_text=True, text_rotation=90 * rotated
    )
    for column, heading in ((ID_COLUMN, "Activity id"), (LANE_COLUMN, "Lane"), (ACTIVITY_COLUMN, "Activity")):
        _header(sheet.cell(HEADER_ROW, column), heading, Alignment(vertical="center", wrap_text=True))
    for offset, role in enumerate(roles):
        column = FIRST_ROLE_COLUMN + offset
        _text(sheet.cell(ID_ROW, column), role.id)
        _header(sheet.cell(HEADER_ROW, column), role.name or role.id, header_alignment)
    _header(sheet.cell(HEADER_ROW, check_column), "Check", _CENTRE)

    styles = _Styles(sheet)
    styles.define("letter", alignment=_CENTRE, font=_LETTER_FONT)
    for name, border in (("", _GRID), ("group", _GROUP_START)):
        styles.define(f"text{name}", alignment=_WRAP_CENTRE, border=border, font=_BODY_FONT)
        styles.define(f"check{name}", alignment=_CENTRE, border=border, font=_BODY_FONT)
    activity_width = _width([row.name for row in matrix.rows], 28, 48)
    lane_width = _width([row.lane for row in matrix.rows], 12, 26)
    role_ids = [role.id for role in roles]
    previous_lane: str | None = None
    group_starts: list[int] = []
    for index, row in enumerate(matrix.rows):
        number = FIRST_ROW + index
        group = "group" if row.lane_id != previous_lane and index else ""
        previous_lane = row.lane_id
        if group:
            group_starts.append(number)
        _text(sheet.cell(number, ID_COLUMN), row.activity_id)
        _text(styles.apply(sheet.cell(number, LANE_COLUMN), f"text{group}"), row.lane)
        _text(styles.apply(sheet.cell(number, ACTIVITY_COLUMN), f"text{group}"), row.name)
        # Empty cells are left unwritten, which keeps a 40-role matrix quick to write: the
        # column's style centres what participants type, the rules colour and frame it.
        row_cells = cells.get(row.activity_id, {})
        for offset, role_id in enumerate(role_ids):
            letters = row_cells.get(role_id)
            if letters:
                cell = styles.apply(sheet.cell(number, FIRST_ROLE_COLUMN + offset), "letter")
                cell.value = sheet_letters(letters)
        check = styles.apply(sheet.cell(number, check_column), f"check{group}")
        check.value = _check_formula(number, first_letter, last_letter) if roles else "no roles"
        sheet.row_dimensions[number].height = (
            15 * max(_lines(row.name, activity_width), _lines(row.lane, lane_width)) + 4
        )

    sheet.column_dimensions[get_column_letter(ID_COLUMN)].hidden = True
    sheet.column_dimensions[get_column_letter(ID_COLUMN)].width = 16
    sheet.column_dimensions[get_column_letter(LANE_COLUMN)].width = lane_width
    sheet.column_dimensions[get_column_letter(ACTIVITY_COLUMN)].width = activity_width
    role_width = 5.5 if rotated else _width([r.name or r.id for r in roles], 9, 14, words=True)
    for offset in range(len(roles)):
        dimension = sheet.column_dimensions[get_column_letter(FIRST_ROLE_COLUMN + offset)]
        dimension.width = role_width
        dimension.alignment = _CENTRE
        dimension.font = _LETTER_FONT
    sheet.column_dimensions[check_letter].width = 10
    sheet.row_dimensions[ID_ROW].hidden = True
    if rotated:
        longest = max((len(r.name or r.id) for r in roles), default=8)
        sheet.row_dimensions[HEADER_ROW].height = min(max(60, 6.5 * longest + 10), 160)
    else:
        lines = max((_lines(r.name or r.id, role_width) for r in roles), default=1)
        sheet.row_dimensions[HEADER_ROW].height = 15 * lines + 8

    if matrix.rows:
        _matrix_rules(sheet, roles, choices, group_starts, last_row, first_letter, last_letter, check_letter)
    sheet.freeze_panes = sheet.cell(FIRST_ROW, FIRST_ROLE_COLUMN).coordinate
    sheet.auto_filter.ref = f"{get_column_letter(LANE_COLUMN)}{HEADER_ROW}:{check_letter}{last_row}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    meta = smo.metadata(document)
    version = f" — version {meta.version}" if meta.version else ""
    _print_setup(sheet, f"RACI: {matrix.pool}", f"{document.root.get('name', '')}{version}", landscape=True)


class _Styles:
    """Cell styles built once and copied onto cells. openpyxl's font=/border=/... setters hash
    the style objects on every call (seconds for a 40,000-cell matrix); copying the style array,
    openpyxl's own per-cell record of a style, costs next to nothing."""

    def __init__(self, sheet: Worksheet) -> None:
        self._sheet = sheet
        self._made: dict[str, StyleArray] = {}

    def define(self, name: str, **attributes: object) -> None:
        scratch = Cell(self._sheet)
        for key, value in attributes.items():
            setattr(scratch, key, value)
        self._made[name] = scratch._style

    def apply(self, cell: Cell, name: str) -> Cell:
        cell._style = copy(self._made[name])
        return cell


def _check_formula(row: int, first: str, last: str) -> str:
    cells = f"{first}{row}:{last}{row}"
    accountable = f'COUNTIF({cells},"*A*")'
    return (
        f'=IF({accountable}=1,IF(COUNTIF({cells},"*R*")>0,"OK","no R"),IF({accountable}=0,"no A",{accountable}&" A"))'
    )


def _matrix_rules(
    sheet: Worksheet,
    roles: list[smo.Role],
    choices: list[str],
    group_starts: list[int],
    last_row: int,
    first_letter: str,
    last_letter: str,
    check_letter: str,
) -> None:
    lane_letter = get_column_letter(LANE_COLUMN)
    if last_row > FIRST_ROW:  # repeated lane names fade, so lanes read as groups and still filter and sort
        sheet.conditional_formatting.add(
            f"{lane_letter}{FIRST_ROW + 1}:{lane_letter}{last_row}",
            FormulaRule(formula=[f"{lane_letter}{FIRST_ROW + 1}={lane_letter}{FIRST_ROW}"], font=Font(color="A6A6A6")),
        )
    check_range = f"{check_letter}{FIRST_ROW}:{check_letter}{last_row}"
    row_range = f"${first_letter}{FIRST_ROW}:${last_letter}{FIRST_ROW}"
    sheet.conditional_formatting.add(
        check_range,
        FormulaRule(
            formula=[f'COUNTIF({row_range},"*A*")<>1'],
            fill=PatternFill("solid", bgColor="C00000"),
            font=Font(bold=True, color="FFFFFF"),
            stopIfTrue=True,
        ),
    )
    sheet.conditional_formatting.add(
        check_range,
        FormulaRule(
            formula=[f'COUNTIF({row_range},"*R*")=0'],
            fill=PatternFill("solid", bgColor="FFC000"),
            font=Font(bold=True),
            stopIfTrue=True,
        ),
    )
    sheet.conditional_formatting.add(check_range, FormulaRule(formula=["TRUE"], font=Font(color="375623")))
    if not roles:
        return
    # Lane boundaries are drawn by the rules too, since a rule's frame replaces the cell's own:
    # one set of rules for the first row of each lane (dark top edge), one for the other rows.
    starts = set(group_starts)
    others = [number for number in range(FIRST_ROW, last_row + 1) if number not in starts]
    for numbers, border in ((others, _GRID), (sorted(starts), _GROUP_START)):
        if not numbers:
            continue
        areas = " ".join(f"{first_letter}{low}:{last_letter}{high}" for low, high in _runs(numbers))
        top_left = f"{first_letter}{numbers[0]}"
        for letter in DISPLAY_ORDER:  # A first: an A/R cell shows as Accountable
            fill, colour = LETTER_COLOURS[letter]
            sheet.conditional_formatting.add(
                areas,
                FormulaRule(
                    formula=[f'ISNUMBER(SEARCH("{letter}",{top_left}))'],
                    fill=PatternFill("solid", bgColor=fill),
                    font=Font(bold=True, color=colour),
                    border=border,
                    stopIfTrue=True,
                ),
            )
        # the last rule frames the empty cells, which are not written (see _write_matrix): a
        # printed matrix is often filled in by hand
        sheet.conditional_formatting.add(areas, FormulaRule(formula=["TRUE"], border=border))
    letters_range = f"{first_letter}{FIRST_ROW}:{last_letter}{last_row}"
    validation = DataValidation(
        type="list",
        formula1='"' + ",".join(choices) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="warning",  # lenient entries ("a/r", "R, C") still come through the import
        errorTitle="RACI letters",
        error="Use " + ", ".join(choices) + ". Exactly one A per activity.",
    )
    validation.add(letters_range)
    sheet.add_data_validation(validation)


def _write_cover(
    sheet: Worksheet, document: Document, sheets: list[_MatrixSheet], source_name: str, date: dt.date
) -> None:
    meta = smo.metadata(document)
    _text(sheet.cell(1, 1), "RACI workshop sheet").font = _TITLE_FONT
    _text(sheet.cell(2, 1), meta.title or ", ".join(s.pool for s in sheets)).font = _SUBTITLE_FONT
    sheet.row_dimensions[1].height = 30
    sheet.row_dimensions[2].height = 22
    details = [
        ("Process", "\n".join(s.pool for s in sheets)),
        ("Version", meta.version),
        ("Status", meta.status),
        ("Owner", meta.owner),
        ("Date", date.isoformat()),
        ("Model file", Path(source_name).name if source_name else ""),
    ]
    row = 4
    for label, value in details:
        _label(sheet.cell(row, 1), label)
        sheet.merge_cells(start_row=row, start_column=2, end_row=row, end_column=4)
        cell = _text(sheet.cell(row, 2), value)
        cell.alignment = _WRAP
        for column in range(2, 5):
            sheet.cell(row, column).border = _GRID
        sheet.row_dimensions[row].height = 18 * max(1, value.count("\n") + 1)
        row += 1

    row += 1
    _text(sheet.cell(row, 1), "How to fill in").font = _LABEL_FONT
    instructions = (
        "Put R, A, C or I in each cell (combinations such as A/R are fine; see the Legend sheet). "
        "Every activity needs exactly one A: its Check cell turns red otherwise. Edit names and "
        "add notes freely, but keep the sheet names and do not delete rows or columns: the "
        "sheet is read back into the model."
    )
    sheet.merge_cells(start_row=row + 1, start_column=1, end_row=row + 1, end_column=4)
    _text(sheet.cell(row + 1, 1), instructions).alignment = _WRAP
    sheet.row_dimensions[row + 1].height = 64
    row += 3

    _text(sheet.cell(row, 1), "Sign-off").font = _LABEL_FONT
    row += 1
    for column, heading in enumerate(("Name", "Role", "Date", "Signature"), start=1):
        _header(sheet.cell(row, column), heading, Alignment(vertical="center"))
    for signer in range(4):
        sheet.row_dimensions[row + 1 + signer].height = 36
        for column in range(1, 5):
            sheet.cell(row + 1 + signer, column).border = _GRID
    for column, width in zip("ABCD", (18, 30, 16, 30), strict=True):
        sheet.column_dimensions[column].width = width
    _print_setup(sheet, "RACI workshop sheet", document.root.get("name", ""), landscape=False)


def _write_legend(sheet: Worksheet, document: Document, roles: list[smo.Role], used: set[str]) -> None:
    _text(sheet.cell(1, 1), "Legend").font = _TITLE_FONT
    sheet.row_dimensions[1].height = 30
    for column, heading in enumerate(("Letter", "Meaning", "What it means"), start=1):
        _header(sheet.cell(3, column), heading, Alignment(vertical="center"))
    row = 4
    for letter in "RASCI":
        if letter == "S" and "S" not in used:
            continue  # S (RASCI) is listed only where the model uses it
        meaning, text = LETTER_MEANINGS[letter]
        fill, colour = LETTER_COLOURS[letter]
        cell = _text(sheet.cell(row, 1), letter)
        cell.fill = PatternFill("solid", fgColor=fill)
        cell.font = Font(name=_FONT, bold=True, size=12, color=colour)
        cell.alignment = _CENTRE
        _text(sheet.cell(row, 2), meaning).font = Font(name=_FONT, bold=True)
        sheet.cell(row, 2).alignment = _WRAP_CENTRE
        _text(sheet.cell(row, 3), text).alignment = _WRAP_CENTRE
        for column in range(1, 4):
            sheet.cell(row, column).border = _GRID
        row += 1
    row += 1
    _header(sheet.cell(row, 1), "Role", Alignment(vertical="center"))
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
    _header(sheet.cell(row, 3), "Description", Alignment(vertical="center"))
    for role in roles:
        row += 1
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
        _text(sheet.cell(row, 1), role.name or role.id).alignment = _WRAP
        _text(sheet.cell(row, 3), role.description).alignment = _WRAP
        for column in range(1, 4):
            sheet.cell(row, column).border = _GRID
        sheet.row_dimensions[row].height = 15 * max(_lines(role.description, 60), _lines(role.name, 26)) + 4
    for column, width in zip("ABC", (8, 18, 62), strict=True):
        sheet.column_dimensions[column].width = width
    _print_setup(sheet, "RACI legend", document.root.get("name", ""), landscape=False)


def _write_ids(
    sheet: Worksheet, sheets: list[_MatrixSheet], roles: list[smo.Role], cells: dict[str, dict[str, str]]
) -> None:
    """The manifest: what each matrix sheet held when it left, to recognise damage on return and
    to tell the cells participants changed from the ones the model changed meanwhile."""
    sheet.sheet_state = "veryHidden"
    _text(sheet.cell(1, 1), WORKBOOK_MARKER)
    sheet.cell(1, 2).value = FORMAT_VERSION
    for column, heading in enumerate(("sheet", "kind", "id", "letters"), start=1):
        _text(sheet.cell(2, column), heading)
    role_ids = [role.id for role in roles]
    row = 3
    for matrix in sheets:
        entries = [("process", matrix.process_id, "")]
        entries += [("role", ident, "") for ident in role_ids]
        for r in matrix.rows:
            exported = cells.get(r.activity_id, {})
            # role ids are XML NCNames: no spaces and no colons
            letters = " ".join(f"{ident}:{exported[ident]}" for ident in role_ids if exported.get(ident))
            entries.append(("activity", r.activity_id, letters))
        for kind, ident, letters in entries:
            _text(sheet.cell(row, 1), matrix.title)
            _text(sheet.cell(row, 2), kind)
            _text(sheet.cell(row, 3), ident)
            if kind == "activity":
                _text(sheet.cell(row, 4), letters or "-")  # "-": exported empty, not lost
            row += 1


_STATUS_TEXT = {"draft": "Draft", "in review": "In review", "approved": "Approved", "retired": "Retired"}
_STATUS_FILLS = {"approved": "C6EFCE", "in review": "FFEB9C", "draft": "EDEDED", "retired": "F4B183"}
_RELATION_TEXT = {"implements": "implements", "supports": "supports", "related": "related to"}


def write_policy_register(sheet: Worksheet, document: Document) -> None:
    """The policy register: one row per policy with its statement, owner, approver, dates, what
    it governs, its framework references and its lifecycle (for reading and printing, not for
    import: policies are edited in the model)."""
    role_names = {role.id: role.name or role.id for role in smo.roles(document)}
    headings = (
        ("Policy", 12),
        ("Title", 28),
        ("Statement", 50),
        ("Status", 12),
        ("Owner", 20),
        ("Approver", 20),
        ("Effective", 12),
        ("Next review", 12),
        ("Governs", 28),
        ("Framework references", 42),
        ("History", 30),
    )
    rows = []
    for policy in smo.policies(document):
        governs = []
        for ref in policy.links:
            element = document.element(ref)
            name = _one_line(b.name(element)) if element is not None else ""
            kind = "Process" if element is not None and b.kind(element) == "process" else "Activity"
            governs.append(f"{kind}: {name or ref}")
        references = [
            f"{f.framework}: {f.clause} ({_RELATION_TEXT.get(f.relation, f.relation)})" for f in policy.frameworks
        ]
        history = [f"{_STATUS_TEXT.get(step.status, step.status)} {step.date}" for step in policy.history]
        rows.append(
            (
                policy.identifier or policy.id,
                policy.title,
                policy.statement,
                _STATUS_TEXT.get(policy.status, policy.status),
                role_names.get(policy.owner_role, policy.owner_role),
                policy.approver,
                policy.effective,
                policy.next_review,
                "\n".join(governs),
                "\n".join(references),
                "\n".join(history),
            )
        )
    statuses = [policy.status for policy in smo.policies(document)]
    _write_register(sheet, document, "Policy register", headings, rows, wrap_from=1)
    for offset, status in enumerate(statuses):
        fill = _STATUS_FILLS.get(status)
        if fill:
            sheet.cell(_REGISTER_FIRST_ROW + offset, 4).fill = PatternFill("solid", fgColor=fill)


def write_kpi_sheet(sheet: Worksheet, document: Document) -> None:
    """The KPIs of every process: definition, target with its direction, frequency, owner and
    data source."""
    role_names = {role.id: role.name or role.id for role in smo.roles(document)}
    pools = {p.get("processRef"): b.name(p) for p in b.participants(document) if p.get("processRef")}
    headings = (
        ("Process", 20),
        ("KPI", 28),
        ("Description or formula", 50),
        ("Target", 12),
        ("Unit", 10),
        ("Better when", 12),
        ("Frequency", 12),
        ("Owner", 22),
        ("Data source", 28),
    )
    rows = []
    for process in b.processes(document):
        name = b.name(process) or pools.get(process.id) or process.id or ""
        for kpi in smo.kpis(process):
            rows.append(
                (
                    name,
                    kpi.name,
                    kpi.description,
                    _target_text(kpi),
                    kpi.unit,
                    {"higher": "Higher", "lower": "Lower"}.get(kpi.direction, kpi.direction),
                    kpi.frequency,
                    role_names.get(kpi.owner_role, kpi.owner_role),
                    kpi.data_source,
                )
            )
    _write_register(sheet, document, "Key performance indicators", headings, rows, wrap_from=0)


def _target_text(kpi: smo.Kpi) -> str:
    if not kpi.target:
        return ""
    sign = {"higher": "≥ ", "lower": "≤ "}.get(kpi.direction, "")
    return f"{sign}{kpi.target}"


_REGISTER_FIRST_ROW = 4  # title, subtitle, a blank row, then the headings at row 3 … data from row 4


def _write_register(
    sheet: Worksheet,
    document: Document,
    title: str,
    headings: tuple[tuple[str, float], ...],
    rows: list[tuple[str, ...]],
    *,
    wrap_from: int,
) -> None:
    """A titled table: white on navy headings, wrapped text, filters, frozen headings, a print
    setup on landscape pages with the headings repeated."""
    _text(sheet.cell(1, 1), title).font = _TITLE_FONT
    _text(sheet.cell(2, 1), document.root.get("name", "")).font = _SUBTITLE_FONT
    sheet.row_dimensions[1].height = 30
    heading_row = _REGISTER_FIRST_ROW - 1
    for column, (heading, width) in enumerate(headings, start=1):
        _header(sheet.cell(heading_row, column), heading, _WRAP_CENTRE)
        sheet.column_dimensions[get_column_letter(column)].width = width
    for offset, values in enumerate(rows):
        row = _REGISTER_FIRST_ROW + offset
        lines = 1
        for column, value in enumerate(values, start=1):
            cell = _text(sheet.cell(row, column), value)
            cell.alignment = _WRAP
            cell.border = _GRID
            cell.font = _BODY_FONT
            if column - 1 >= wrap_from:
                lines = max(lines, _lines(value, headings[column - 1][1]))
        sheet.cell(row, 1).font = Font(name=_FONT, bold=True)
        sheet.row_dimensions[row].height = 15 * lines + 3
    last = get_column_letter(len(headings))
    end = _REGISTER_FIRST_ROW + max(len(rows), 1) - 1
    sheet.auto_filter.ref = f"A{heading_row}:{last}{end}"
    sheet.freeze_panes = sheet.cell(_REGISTER_FIRST_ROW, 2)
    sheet.print_title_rows = f"{heading_row}:{heading_row}"
    _print_setup(sheet, title, document.root.get("name", ""), landscape=True)


def _print_setup(sheet: Worksheet, left: str, right: str, *, landscape: bool) -> None:
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.page_margins.top = sheet.page_margins.bottom = 0.75
    sheet.page_margins.header = sheet.page_margins.footer = 0.3
    sheet.oddHeader.left.text = _header_text(left)
    sheet.oddHeader.left.size = 9
    sheet.oddHeader.right.text = _header_text(right)
    sheet.oddHeader.right.size = 9
    sheet.oddFooter.left.text = "&F"
    sheet.oddFooter.left.size = 9
    sheet.oddFooter.right.text = "Page &P of &N"
    sheet.oddFooter.right.size = 9


def _runs(numbers: list[int]) -> list[tuple[int, int]]:
    """Sorted numbers as (first, last) runs of consecutive ones: [3, 4, 5, 8] → [(3, 5), (8, 8)]."""
    runs: list[tuple[int, int]] = []
    for number in numbers:
        if runs and runs[-1][1] == number - 1:
            runs[-1] = (runs[-1][0], number)
        else:
            runs.append((number, number))
    return runs


def _header_text(text: str) -> str:
    # & starts a header code; Excel caps a header at 255 characters in all
    return _one_line(_clean(text))[:100].replace("&", "&&")


def _header(cell: Cell, text: str, alignment: Alignment) -> Cell:
    _text(cell, text)
    cell.font = _HEADER_FONT
    cell.fill = _HEADER_FILL
    cell.alignment = alignment
    cell.border = _GRID
    return cell


def _label(cell: Cell, text: str) -> Cell:
    _text(cell, text)
    cell.font = _LABEL_FONT
    cell.fill = _LABEL_FILL
    cell.border = _GRID
    cell.alignment = Alignment(vertical="top")
    return cell


def _text(cell: Cell, value: str) -> Cell:
    """Write a name as text, never as a formula: "=SUM(A1)" stays those characters, and the
    quote prefix keeps it text when a participant edits the cell."""
    cell.value = _clean(value)[:_MAX_CELL_TEXT] or None
    if cell.value is not None:
        cell.data_type = "s"
        if cell.value.startswith(_FORMULA_STARTS):
            cell.quotePrefix = True
    return cell


def _clean(text: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", text or "")


def _width(texts: Iterable[str], least: float, most: float, *, words: bool = False) -> float:
    """A column width (in characters) that fits the longest line, or the longest word."""
    longest = 0
    for text in texts:
        for line in (text or "").splitlines() or [""]:
            longest = max(longest, max((len(w) for w in line.split()), default=0) if words else len(line))
    return float(min(max(longest + 2, least), most))


def _lines(text: str, width: float) -> int:
    """How many lines a wrapped cell needs, roughly (Excel sets no height for us)."""
    usable = max(width * 1.1, 1)  # text runs about a tenth narrower than the width unit, a "0"
    return max(1, sum(max(1, math.ceil(len(line) / usable)) for line in (text or "").splitlines()))


def _one_line(text: str) -> str:
    return " ".join((text or "").split())


# --- import -------------------------------------------------------------------------------------


@dataclass
class _Manifest:
    process_id: str = ""
    roles: list[str] = field(default_factory=list)
    activities: list[str] = field(default_factory=list)
    exported: dict[str, dict[str, str]] = field(default_factory=dict)  # activity → role → letters


def read_raci_sheet(document: Document, path: str | os.PathLike[str]) -> RaciImport:
    """Compare a returned workbook with the document: the cells that would change, and every
    reason to refuse it (unknown letters, activities or roles, a damaged or foreign sheet).
    The document is not touched."""
    name = Path(path).name
    result = RaciImport()
    try:
        check_workbook_file(
            Path(path), max_bytes=MAX_WORKBOOK_BYTES, max_unpacked=MAX_UNPACKED_BYTES, what="a RACI workbook"
        )
        workbook = load_workbook(os.fspath(path))
    except WorkbookRefused as refusal:
        result.refusals.append(RaciRefusal(name, str(refusal)))
        return result
    except FileNotFoundError:
        result.refusals.append(RaciRefusal(name, "the file does not exist"))
        return result
    except IsADirectoryError:
        result.refusals.append(RaciRefusal(name, "is a folder, not a workbook"))
        return result
    except OSError as error:
        result.refusals.append(RaciRefusal(name, f"cannot be read: {error.strerror or error}"))
        return result
    except Exception as error:  # openpyxl raises many kinds for files that are no workbook
        result.refusals.append(RaciRefusal(name, f"not an Excel workbook ({_one_line(str(error)) or 'unreadable'})"))
        return result

    manifests = _read_manifest(workbook, name, result)
    if manifests is None:
        return result
    role_names = {role.id: role.name or role.id for role in smo.roles(document)}
    for title, manifest in manifests.items():
        if title not in workbook.sheetnames:
            result.refusals.append(RaciRefusal(name, _missing_sheet(workbook, title, manifests)))
            continue
        _read_matrix(document, workbook[title], manifest, role_names, result)
    return result


def apply_raci_import(document: Document, result: RaciImport, label: str = IMPORT_LABEL) -> None:
    """Apply the changes as one edit; refuses (and applies nothing) when the import was refused."""
    if result.refused:
        raise RaciImportRefused(f"the sheet was refused: {result.refusals[0]}")
    raci.apply_cells(document, result.cells(), label)


def _read_manifest(workbook: Workbook, name: str, result: RaciImport) -> dict[str, _Manifest] | None:
    if IDS_SHEET not in workbook.sheetnames:
        result.refusals.append(
            RaciRefusal(name, "not a RACI workbook exported by SMO Designer (its hidden '_ids' sheet is missing)")
        )
        return None
    ids = workbook[IDS_SHEET]
    version = ids.cell(1, 2).value
    if ids.cell(1, 1).value != WORKBOOK_MARKER or not isinstance(version, int):
        result.refusals.append(
            RaciRefusal(name, "not a RACI workbook exported by SMO Designer (its '_ids' sheet is damaged)")
        )
        return None
    if version > FORMAT_VERSION:
        result.refusals.append(
            RaciRefusal(name, f"written by a newer SMO Designer (sheet format {version}); update to import it")
        )
        return None
    manifests: dict[str, _Manifest] = {}
    for title, kind, ident, letters in ids.iter_rows(min_row=3, min_col=1, max_col=4, values_only=True):
        if not isinstance(title, str) or not isinstance(ident, str):
            continue
        manifest = manifests.setdefault(title, _Manifest())
        if kind == "process":
            manifest.process_id = ident
        elif kind == "role":
            manifest.roles.append(ident)
        elif kind == "activity":
            manifest.activities.append(ident)
            if isinstance(letters, str):
                pairs = (item.partition(":") for item in letters.split() if item != "-")
                manifest.exported[ident] = {role: value for role, _, value in pairs}
    if not manifests:
        result.refusals.append(RaciRefusal(name, "the hidden '_ids' sheet lists no RACI sheet: it is damaged"))
        return None
    return manifests


def _missing_sheet(workbook: Workbook, title: str, manifests: dict[str, _Manifest]) -> str:
    strangers = [
        sheet.title
        for sheet in workbook.worksheets
        if sheet.title not in manifests and _sheet_marker(sheet) is not None and sheet.title != IDS_SHEET
    ]
    if len(strangers) == 1:
        return f"sheet '{strangers[0]}' was '{title}': rename it back to '{title}' so it can be read"
    return f"sheet '{title}' is missing (renamed or deleted?): the workbook cannot be read without it"


def _sheet_marker(sheet: Worksheet) -> str | None:
    value = sheet.cell(ID_ROW, ID_COLUMN).value
    return value if isinstance(value, str) and value.startswith(SHEET_MARKER) else None


def _read_matrix(
    document: Document,
    sheet: Worksheet,
    manifest: _Manifest,
    role_names: dict[str, str],
    result: RaciImport,
) -> None:
    prefix = _sheet_reference(sheet.title)
    marker = _sheet_marker(sheet)
    if marker is None:
        result.refusals.append(
            RaciRefusal(
                f"{prefix}A1",
                "the hidden id row or id column is missing or damaged (was a row or column deleted?); "
                "export the sheet again",
            )
        )
        return
    version = marker[len(SHEET_MARKER) :].strip()
    if not version.isdigit() or int(version) > FORMAT_VERSION:
        result.refusals.append(RaciRefusal(f"{prefix}A1", f"unknown sheet format '{version}'"))
        return

    grid = list(sheet.iter_rows(min_row=1, max_row=max(sheet.max_row, HEADER_ROW), max_col=sheet.max_column))
    id_row, header_row, data_rows = grid[ID_ROW - 1], grid[HEADER_ROW - 1], grid[FIRST_ROW - 1 :]

    # columns: which role each one holds
    role_columns: dict[int, str] = {}
    seen_roles: dict[str, str] = {}
    for cell in id_row[FIRST_ROLE_COLUMN - 1 :]:
        ident = _string(cell.value)
        index = cell.column - 1
        heading = _one_line(_string(header_row[index].value))
        if ident == CHECK_ID:
            continue
        column_cells = [row[index] for row in data_rows if _string(row[index].value)]
        where = f"{prefix}{header_row[index].coordinate}"
        if not ident:
            for stray in column_cells:
                result.refusals.append(
                    RaciRefusal(
                        f"{prefix}{stray.coordinate}",
                        f"column '{heading}' is not a role of the model (add roles in SMO Designer, then export again)",
                    )
                )
            continue
        if ident in seen_roles:
            result.refusals.append(
                RaciRefusal(
                    where, f"role '{role_names.get(ident, ident)}' has a second column (also {seen_roles[ident]})"
                )
            )
            continue
        seen_roles[ident] = header_row[index].coordinate
        if ident not in role_names:
            if column_cells:
                result.refusals.append(RaciRefusal(where, f"role '{heading}' (id {ident}) is not in the model"))
            continue
        role_columns[index] = ident
    for ident in manifest.roles:
        if ident in role_names and ident not in seen_roles:
            result.refusals.append(
                RaciRefusal(
                    _sheet_name(sheet.title),
                    f"the column of role '{role_names[ident]}' (id {ident}) is missing: columns may not be deleted",
                )
            )

    # rows: which activity each one holds, and its letters
    exported_roles = set(manifest.roles)
    seen_activities: dict[str, int] = {}
    for row in data_rows:
        ident = _string(row[ID_COLUMN - 1].value)
        number = row[0].row
        name_cell = row[ACTIVITY_COLUMN - 1] if len(row) >= ACTIVITY_COLUMN else row[0]
        where = f"{prefix}{name_cell.coordinate}"
        shown = _one_line(_string(name_cell.value))
        has_letters = any(_string(row[index].value) for index in role_columns if index < len(row))
        if not ident:
            if has_letters:
                result.refusals.append(
                    RaciRefusal(
                        where,
                        f"row {number} ('{shown}') has no activity id: add activities in the model, not in the sheet",
                    )
                )
            continue
        if ident in seen_activities:
            result.refusals.append(
                RaciRefusal(
                    where, f"activity '{shown}' (id {ident}) appears twice (rows {seen_activities[ident]} and {number})"
                )
            )
            continue
        seen_activities[ident] = number
        activity = document.element(ident)
        if activity is None or b.kind(activity) not in b.RACI_ACTIVITY_TYPES:
            if has_letters:
                result.refusals.append(RaciRefusal(where, f"activity '{shown}' (id {ident}) is not in the model"))
            continue
        current = smo.raci(activity)
        exported = manifest.exported.get(ident)
        for index, role_id in role_columns.items():
            cell = row[index]
            letters = _letters(cell, f"{prefix}{cell.coordinate}", result)
            if letters is None or letters == current.get(role_id, ""):
                continue
            if exported is not None and role_id in exported_roles and letters == exported.get(role_id, ""):
                continue  # untouched in the room: what the model says now stands
            result.changes.append(
                RaciCellChange(
                    ident,
                    role_id,
                    current.get(role_id, ""),
                    letters,
                    f"{prefix}{cell.coordinate}",
                    b.name(activity),
                    role_names[role_id],
                )
            )
    for ident in manifest.activities:
        activity = document.element(ident)
        if activity is not None and ident not in seen_activities:
            result.refusals.append(
                RaciRefusal(
                    _sheet_name(sheet.title),
                    f"the row of activity '{_one_line(b.name(activity))}' (id {ident}) is missing: "
                    "rows may not be deleted",
                )
            )


def _letters(cell: Cell, where: str, result: RaciImport) -> str | None:
    """The canonical letters of a cell, or None (and a refusal) when they are not RACI letters."""
    value = cell.value
    if value is None:
        return ""
    if cell.data_type == "f":
        result.refusals.append(RaciRefusal(where, f"'{value}' is a formula, not RACI letters"))
        return None
    if not isinstance(value, str):
        result.refusals.append(RaciRefusal(where, f"'{value}' {_NOT_LETTERS}"))
        return None
    try:
        return smo.normalize_letters(value)
    except ValueError:
        result.refusals.append(RaciRefusal(where, f"'{_one_line(value)}' {_NOT_LETTERS}"))
        return None


def _string(value: object) -> str:
    return value.strip() if isinstance(value, str) else "" if value is None else str(value).strip()


def _sheet_name(title: str) -> str:
    return _sheet_reference(title)[:-1]


def _sheet_reference(title: str) -> str:
    """ "'Incident management'!" as Excel writes references to sheets with spaces."""
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.]*", title):
        return f"{title}!"
    return "'" + title.replace("'", "''") + "'!"
