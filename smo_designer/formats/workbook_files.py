"""Checks a workbook file must pass before openpyxl opens it (formats layer, no Qt): a zip of
something else, an old or encrypted .xls, a zip bomb or a huge file is refused with a message,
since openpyxl would otherwise unpack whatever it is given into memory."""

from __future__ import annotations

import zipfile
from pathlib import Path

MAX_ZIP_RATIO = 100  # unpacked / packed, for parts over a megabyte: beyond it, a zip bomb
MAX_ZIP_MEMBERS = 2_000
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0"  # .xls, and .xlsx files encrypted with a password


class WorkbookRefused(Exception):
    """Why a file is not opened as a workbook, in words for the user."""


def check_workbook_file(path: Path, *, max_bytes: int, max_unpacked: int, what: str) -> None:
    """Raise WorkbookRefused unless `path` looks like a workbook openpyxl may open safely.
    `what` names the workbook in messages ("a step table", "a RACI workbook")."""
    size = path.stat().st_size
    if size > max_bytes:
        raise WorkbookRefused(f"{size / 2**20:.0f} MB: too large for {what} (at most {max_bytes // 2**20} MB)")
    with open(path, "rb") as stream:
        head = stream.read(8)
    if head.startswith(OLE_SIGNATURE):
        raise WorkbookRefused("an old .xls workbook or an encrypted one: save it as .xlsx or .csv and import that")
    if not zipfile.is_zipfile(path):
        raise WorkbookRefused("not an Excel workbook (.xlsx): the file is damaged or of another kind")
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError) as error:
        raise WorkbookRefused(f"not an Excel workbook (.xlsx): {error}") from None
    if len(members) > MAX_ZIP_MEMBERS:
        raise WorkbookRefused(f"not an Excel workbook: a zip of {len(members):,} files")
    names = {member.filename for member in members}
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        raise WorkbookRefused("not an Excel workbook (.xlsx): a zip file without a workbook inside")
    unpacked = sum(member.file_size for member in members)
    if unpacked > max_unpacked:
        raise WorkbookRefused(
            f"unpacks to {unpacked / 2**20:,.0f} MB: far more than {what} holds (at most "
            f"{max_unpacked // 2**20} MB); it is not imported"
        )
    for member in members:
        if member.file_size > 2**20 and member.file_size > MAX_ZIP_RATIO * max(member.compress_size, 1):
            ratio = member.file_size // max(member.compress_size, 1)
            raise WorkbookRefused(
                f"'{member.filename}' unpacks to {ratio:,} times its size (a zip bomb?): not imported"
            )
