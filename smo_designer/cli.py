"""The smo-designer command: the GUI without a subcommand, headless batch work with one.

The subcommands import no Qt, so they run on servers and in CI without a display.
"""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .cli_steps import add_import_steps_parser, import_steps

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_UNREADABLE = 2

SUBCOMMANDS = ("check", "convert", "export", "import-raci", "import-steps")


def _subcommand_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="smo-designer",
        description="Design IT service-management processes: BPMN 2.0 swimlanes, RACI, policies.",
        epilog="Without a subcommand, opens the application (smo-designer [FILE.bpmn]).",
    )
    parser.add_argument("--version", action="version", version=f"smo-designer {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = commands.add_parser(
        "check",
        help="load models and print their problems",
        description="Load each file and print its problems as 'file: element: message'. "
        "Exit 0 when no file has errors, 1 when any has, 2 when a file cannot be read.",
    )
    check.add_argument("files", nargs="+", metavar="FILE", help="BPMN 2.0 files")

    convert = commands.add_parser(
        "convert",
        help="load a model and save it in the project's format",
        description="Load IN and save it to OUT: UTF-8, valid BPMN 2.0, everything kept. "
        "Problems are printed as warnings. Exit 0 when OUT was written, 2 when IN cannot be "
        "read or OUT cannot be written.",
    )
    convert.add_argument("input", metavar="IN.bpmn")
    convert.add_argument("output", metavar="OUT.bpmn")

    export = commands.add_parser(
        "export",
        help="write the files that leave the room, such as the RACI workbook",
        description="Load IN and write each output asked for. Exit 0 when all were written, 2 when IN "
        "cannot be read, an output cannot be written or none was asked for.",
    )
    export.add_argument("input", metavar="IN.bpmn")
    export.add_argument(
        "--raci",
        metavar="OUT.xlsx",
        help="the workshop RACI workbook: a cover with sign-off, one matrix per process, a legend",
    )
    export.add_argument(
        "--image",
        metavar="OUT.png|OUT.svg|OUT.pdf",
        help="a picture of the diagram, by the file's suffix; elements without a position are placed first",
    )
    export.add_argument(
        "--guide",
        metavar="OUT.html|OUT.pdf",
        help="the process guide: document control, diagram, activities with RACI, roles, policies, KPIs",
    )
    export.add_argument("--scale", type=float, default=2.0, help="PNG pixels per diagram unit (default 2)")
    export.add_argument("--page", default="A4", help="PDF page size: A4, A3, A2, Letter, Legal, Tabloid (default A4)")
    export.add_argument(
        "--tile", action="store_true", help="PDF at natural size over several pages instead of fitting one page"
    )

    import_raci = commands.add_parser(
        "import-raci",
        help="read a RACI workbook filled in at a workshop into a model",
        description="Read the RACI cells of SHEET.xlsx (written by 'export --raci') into IN and save "
        "the result as OUT. Prints the changes cell by cell. Exit 0 when applied; 2 when the sheet "
        "is refused (unknown letters, activities or roles, a damaged sheet: a report per cell, "
        "nothing applied, OUT not written) or a file cannot be read or written.",
    )
    import_raci.add_argument("input", metavar="IN.bpmn")
    import_raci.add_argument("sheet", metavar="SHEET.xlsx")
    import_raci.add_argument("-o", "--output", metavar="OUT.bpmn", required=True)
    add_import_steps_parser(commands)
    return parser


def _gui_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="smo-designer",
        description="Open SMO Designer. Subcommands for batch work: "
        + ", ".join(SUBCOMMANDS)
        + " (smo-designer COMMAND --help).",
    )
    parser.add_argument("--version", action="version", version=f"smo-designer {__version__}")
    parser.add_argument("file", nargs="?", metavar="FILE.bpmn", help="a model to open")
    parser.add_argument(
        "--screenshot",
        metavar="OUT.png",
        help="open, save a picture of the window, and quit (for documentation and checking an installation)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    wants_subcommand = bool(args) and (args[0] in SUBCOMMANDS or args[0] in ("-h", "--help"))
    if not wants_subcommand:
        options = _gui_parser().parse_args(args)
        from .app.main import run  # Qt is imported only for the GUI

        return run(options.file, screenshot=options.screenshot)
    options = _subcommand_parser().parse_args(args)
    if options.command == "check":
        return check(options.files)
    if options.command == "convert":
        return convert(options.input, options.output)
    if options.command == "export":
        return export(
            options.input,
            raci=options.raci,
            image=options.image,
            guide=options.guide,
            scale=options.scale,
            page=options.page,
            fit=not options.tile,
        )
    if options.command == "import-raci":
        return import_raci(options.input, options.sheet, options.output)
    if options.command == "import-steps":
        return import_steps(options.input, options.output, options.title)
    _subcommand_parser().print_help()
    return EXIT_OK


def run() -> None:
    """The smo-designer command: main(), then exit with its status."""
    status = main()
    # The process ends now. The models a batch command read are garbage by this time, and
    # letting the cyclic collector walk their many objects on the way out only costs time.
    gc.freeze()
    sys.exit(status)


def check(files: Sequence[str]) -> int:
    from datetime import date

    from .formats.bpmn import BpmnReadError, one_line, read_bpmn
    from .rules.governance import check_governed
    from .rules.raci import check_raci
    from .rules.structure import check_structure

    status = EXIT_OK
    for name in files:
        try:
            result = read_bpmn(name)
        except BpmnReadError as error:
            print(error, file=sys.stderr)
            status = EXIT_UNREADABLE
            continue
        found = (
            result.problems
            + check_structure(result.document)
            + check_raci(result.document)
            + check_governed(result.document, date.today())
        )
        for problem in found:
            # every rule may quote the file's text: escaped here, so no problem spans two lines
            print(f"{name}: {one_line(str(problem.element))}: {problem.severity}: {one_line(problem.message)}")
            if problem.severity == "error" and status == EXIT_OK:
                status = EXIT_PROBLEMS
    return status


def _load_with_warnings(source: str):
    """Read a model for a batch command: its problems go to stderr as warnings; None (after one
    line on stderr) when it cannot be read."""
    from .formats.bpmn import BpmnReadError, read_bpmn

    try:
        result = read_bpmn(source)
    except BpmnReadError as error:
        print(error, file=sys.stderr)
        return None
    for problem in result.problems:
        print(f"warning: {source}: {problem.element}: {problem.message}", file=sys.stderr)
    return result


def _save(document, target: str) -> int:
    from .formats.bpmn import BpmnWriteError, write_bpmn

    try:
        write_bpmn(document, Path(target))
    except BpmnWriteError as error:
        print(error, file=sys.stderr)
        return EXIT_UNREADABLE
    return EXIT_OK


def convert(source: str, target: str) -> int:

    result = _load_with_warnings(source)
    if result is None:
        return EXIT_UNREADABLE
    return _save(result.document, target)


def export(
    source: str,
    *,
    raci: str | None = None,
    image: str | None = None,
    guide: str | None = None,
    scale: float = 2.0,
    page: str = "A4",
    fit: bool = True,
) -> int:
    """Each output option names a file to write."""
    if raci is None and image is None and guide is None:
        print(
            "smo-designer export: nothing to export: name an output: --raci OUT.xlsx, --image OUT.png, "
            "--guide OUT.html",
            file=sys.stderr,
        )
        return EXIT_UNREADABLE
    if image is not None and Path(image).suffix.lower() not in (".png", ".svg", ".pdf"):
        print(f"{image}: choose a .png, .svg or .pdf file name", file=sys.stderr)
        return EXIT_UNREADABLE
    if not 0 < scale <= 16:
        print(f"smo-designer export: --scale {scale}: give a number above 0 and up to 16", file=sys.stderr)
        return EXIT_UNREADABLE
    result = _load_with_warnings(source)
    if result is None:
        return EXIT_UNREADABLE
    if raci is not None:
        from .formats.raci_xlsx import RaciSheetWriteError, export_raci

        try:
            export_raci(result.document, raci, source)
        except RaciSheetWriteError as error:
            print(error, file=sys.stderr)
            return EXIT_UNREADABLE
    if guide is not None:
        _use_offscreen_without_display()
        from .editors.guide_pdf import export_guide
        from .formats.guide import GuideError

        try:
            export_guide(result.document, guide, problems=result.problems, source_name=Path(source).name)
        except GuideError as error:
            print(error, file=sys.stderr)
            return EXIT_UNREADABLE
    if image is not None:
        return _export_image(result.document, source, image, scale=scale, page=page, fit=fit)
    return EXIT_OK


def _use_offscreen_without_display() -> None:
    import os

    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _export_image(document, source: str, target: str, *, scale: float, page: str, fit: bool) -> int:
    """Pictures need Qt's painter, loaded here only: the other batch work stays Qt-free."""
    _use_offscreen_without_display()
    from PySide6.QtWidgets import QApplication

    from .canvas.export import ExportError, export_image
    from .canvas.scene import DiagramScene
    from .layout.placement import place_missing
    from .model import bpmn as b

    _application = QApplication.instance() or QApplication(["smo-designer"])
    with document.edit("Place elements"):
        placed = place_missing(document)
    if placed:
        print(f"warning: {source}: {placed} elements had no position in the diagram and were placed", file=sys.stderr)
    scene = DiagramScene(document)
    title = document.root.get("name") or (b.name(b.processes(document)[0]) if b.processes(document) else "")
    try:
        export_image(scene, target, scale=scale, page=page, fit=fit, title=title)
    except ExportError as error:
        print(error, file=sys.stderr)
        return EXIT_UNREADABLE
    finally:
        scene.detach()
    return EXIT_OK


def import_raci(source: str, sheet: str, target: str) -> int:
    from .formats.raci_xlsx import apply_raci_import, read_raci_sheet

    result = _load_with_warnings(source)
    if result is None:
        return EXIT_UNREADABLE
    sheet_import = read_raci_sheet(result.document, sheet)
    if sheet_import.refused:
        count = len(sheet_import.refusals)
        print(f"{sheet}: refused, nothing applied ({count} problem{'s' * (count != 1)}):", file=sys.stderr)
        for line in sheet_import.report():
            print(f"  {line}", file=sys.stderr)
        return EXIT_UNREADABLE
    count = len(sheet_import.changes)
    if count:
        print(f"{sheet}: {count} cell{'s' * (count != 1)} changed:")
        for line in sheet_import.report():
            print(f"  {line}")
    else:
        print(f"{sheet}: no changes: the sheet agrees with the model")
    apply_raci_import(result.document, sheet_import)
    return _save(result.document, target)


if __name__ == "__main__":
    run()
