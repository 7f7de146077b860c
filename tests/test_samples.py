"""The sample models are what a user starts from: clean, valid, stable, with a full RACI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from bpmn_checks import xsd_errors
from conftest import ROOT

from smo_designer.formats.bpmn import read_bpmn, serialize
from smo_designer.model import bpmn, di, raci, smo
from smo_designer.rules.raci import check_raci

SAMPLES = sorted((ROOT / "samples").glob("*.bpmn"))


def test_there_is_an_incident_sample() -> None:
    assert ROOT / "samples" / "incident-management.bpmn" in SAMPLES


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_sample_loads_clean_valid_and_byte_stable(sample: Path) -> None:
    result = read_bpmn(sample)
    assert result.problems == []
    assert xsd_errors(sample.read_bytes()) == []
    assert serialize(result.document) == sample.read_bytes()


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_sample_raci_has_one_accountable_and_a_responsible_everywhere(sample: Path) -> None:
    document = read_bpmn(sample).document
    rows = raci.raci_rows(document)
    assert rows
    for row in rows:
        cells = smo.raci(document.element(row.activity_id))
        assert sum("A" in letters for letters in cells.values()) == 1, row.name
        assert any("R" in letters for letters in cells.values()), row.name
    assert [p for p in check_raci(document) if p.severity == "error"] == []


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_sample_governance_is_filled_in(sample: Path) -> None:
    document = read_bpmn(sample).document
    policies = smo.policies(document)
    assert len(policies) >= 2 and all(p.frameworks and p.links for p in policies)
    assert all(document.element(link) is not None for p in policies for link in p.links)
    assert len(smo.kpis(bpmn.processes(document)[0])) >= 3
    assert smo.metadata(document).version


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_sample_nodes_sit_inside_their_lanes(sample: Path) -> None:
    document = read_bpmn(sample).document
    shapes = {s.get("bpmnElement"): di.bounds(s) for s in di.diagram_elements(document) if di.is_shape(s)}
    for process in bpmn.processes(document):
        for lane in bpmn.lanes(process):
            box = shapes[lane.id]
            for ref in lane.findall(bpmn.bpmn("flowNodeRef")):
                node = shapes[ref.text]
                assert box.x <= node.x and node.x + node.width <= box.x + box.width, ref.text
                assert box.y <= node.y and node.y + node.height <= box.y + box.height, ref.text


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_sample_passes_bpmn_moddle_and_bpmnlint(sample: Path, bpmn_moddle: Path) -> None:
    run = subprocess.run(
        ["node", str(bpmn_moddle), "--fail-on-warnings", str(sample)], capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "moddle-warnings=0" in run.stdout and "lint-problems=0" in run.stdout


def test_samples_are_what_the_builder_makes(tmp_path: Path) -> None:
    script = ROOT / "tools" / "build_samples.py"
    run = subprocess.run([sys.executable, str(script), str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert {p.name: p.read_bytes() for p in tmp_path.glob("*.bpmn")} == {p.name: p.read_bytes() for p in SAMPLES}
