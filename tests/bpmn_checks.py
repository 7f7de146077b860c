"""Shared checks on written BPMN files: the OMG XSD and bpmn-moddle (test helpers)."""

from __future__ import annotations

import importlib.util
import json
import subprocess
from functools import cache
from pathlib import Path

from conftest import XSD_VALIDATOR
from lxml import etree


@cache
def xsd_schema() -> etree.XMLSchema:
    spec = importlib.util.spec_from_file_location("bpmn_xsd_validate", XSD_VALIDATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.load_schema()


def xsd_errors(data: bytes) -> list[str]:
    """Schema errors of a document, as 'line N: message' strings (empty when valid)."""
    schema = xsd_schema()
    tree = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True)).getroottree()
    if schema.validate(tree):
        return []
    return [f"line {error.line}: {error.message}" for error in schema.error_log]


def moddle_warnings(check_script: Path, files: list[Path]) -> dict[str, list[dict]]:
    """bpmn-moddle's warnings per file name (encoding warnings included)."""
    run = subprocess.run(
        ["node", str(check_script), "--json", "--no-lint", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = json.loads(run.stdout)
    out = {}
    for result in report["results"]:
        assert result["ok"], f"bpmn-moddle could not parse {result['file']}: {result.get('error')}"
        out[result["file"]] = result["warningList"]
    return out
