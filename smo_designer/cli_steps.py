"""The import-steps batch command: a step table (.xlsx or .csv) into a new swimlane model (command
line; no Qt). cli.py registers it; `python -m smo_designer.cli_steps` runs it on its own."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

EXIT_OK = 0
EXIT_UNREADABLE = 2  # as cli.EXIT_UNREADABLE: the input is refused or the output cannot be written

DESCRIPTION = (
    "Read a step table (columns step, role, kind, next, description; Excel .xlsx or CSV) and save a new "
    "swimlane model as OUT: one pool, a lane per role, R for each task's role, flows from 'next', laid out. "
    "Exit 0 when OUT was written; 2 when the table is refused (a report per bad row, nothing imported, OUT "
    "not written) or a file cannot be read or written."
)


def add_import_steps_parser(commands: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register `import-steps IN -o OUT` with the smo-designer command's subcommands."""
    parser = commands.add_parser(
        "import-steps", help="build a swimlane model from a step table (Excel or CSV)", description=DESCRIPTION
    )
    _add_arguments(parser)
    return parser


def _add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("input", metavar="IN.xlsx|IN.csv")
    parser.add_argument("-o", "--output", metavar="OUT.bpmn", required=True)
    parser.add_argument("--title", help="the pool's and the model's name (default: from the file name)")


def import_steps(source: str, target: str, title: str | None = None) -> int:
    from .formats.bpmn import BpmnWriteError, write_bpmn
    from .formats.step_table import import_step_table

    result = import_step_table(source, title)
    if not result.ok or result.document is None:
        count = len(result.problems)
        print(f"{source}: refused, nothing imported ({count} problem{'s' * (count != 1)}):", file=sys.stderr)
        for line in result.report():
            print(f"  {line}", file=sys.stderr)
        return EXIT_UNREADABLE
    try:
        write_bpmn(result.document, Path(target))
    except BpmnWriteError as error:
        print(error, file=sys.stderr)
        return EXIT_UNREADABLE
    lanes = len(result.roles)
    print(f"{target}: {result.steps} steps in {lanes} lane{'s' * (lanes != 1)} ({', '.join(result.roles)})")
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="smo-designer import-steps", description=DESCRIPTION)
    _add_arguments(parser)
    options = parser.parse_args(argv)
    return import_steps(options.input, options.output, options.title)


if __name__ == "__main__":
    sys.exit(main())
