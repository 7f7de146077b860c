"""One test per RACI check, each asserting the problem a user would see."""

from __future__ import annotations

from raci_fixtures import fill_valid_raci, incident_document

from smo_designer.model import smo
from smo_designer.rules.raci import RaciSettings, check_raci


def rules_found(problems) -> set[tuple[str, str]]:
    return {(p.rule, p.element) for p in problems}


def test_a_complete_matrix_has_no_problems() -> None:
    document, activities, roles = incident_document()
    fill_valid_raci(document, activities, roles)
    assert check_raci(document) == []


def test_missing_accountable_is_an_error() -> None:
    document, activities, roles = incident_document()
    fill_valid_raci(document, activities, roles)
    smo.set_raci(document, document.element(activities["Assign"]), roles["Process owner"], "")
    problems = check_raci(document)
    assert [(p.severity, p.element, p.message) for p in problems if p.rule == "raci.one-accountable"] == [
        ("error", activities["Assign"], "'Assign' has no Accountable role")
    ]


def test_two_accountables_is_an_error_naming_both() -> None:
    document, activities, roles = incident_document()
    fill_valid_raci(document, activities, roles)
    smo.set_raci(document, document.element(activities["Assign"]), roles["Incident manager"], "RA")
    [problem] = [p for p in check_raci(document) if p.rule == "raci.one-accountable"]
    assert problem.severity == "error" and "Incident manager" in problem.message and "Process owner" in problem.message


def test_missing_responsible_is_an_error() -> None:
    document, activities, roles = incident_document()
    fill_valid_raci(document, activities, roles)
    smo.set_raci(document, document.element(activities["Diagnose"]), roles["Specialist"], "C")
    found = rules_found(check_raci(document))
    assert ("raci.responsible", activities["Diagnose"]) in found
    assert ("raci.lane-role", activities["Diagnose"]) in found


def test_only_consulted_and_informed_is_flagged() -> None:
    document, activities, roles = incident_document()
    activity = document.element(activities["Resolve"])
    smo.set_raci(document, activity, roles["Service desk"], "C")
    smo.set_raci(document, activity, roles["Incident manager"], "I")
    [problem] = [p for p in check_raci(document) if p.rule == "raci.only-consulted-informed"]
    assert problem.element == activities["Resolve"] and problem.severity == "warning"


def test_role_without_responsible_or_accountable_is_a_warning() -> None:
    document, activities, roles = incident_document()
    fill_valid_raci(document, activities, roles)
    extra = smo.add_role(document, "Change authority").get("id")
    problems = [p for p in check_raci(document) if p.rule == "raci.role-without-part"]
    assert [(p.element, p.severity) for p in problems] == [(extra, "warning")]


def test_overloaded_role_follows_the_threshold() -> None:
    document, activities, roles = incident_document()
    fill_valid_raci(document, activities, roles)
    # Specialist is R for 2 of 5 activities (40 %)
    assert not [
        p for p in check_raci(document, RaciSettings(max_responsible_share=0.5)) if p.role == roles["Specialist"]
    ]
    flagged = [
        p for p in check_raci(document, RaciSettings(max_responsible_share=0.3)) if p.rule == "raci.overloaded-role"
    ]
    assert {p.role for p in flagged} == {roles["Service desk"], roles["Specialist"]}
    assert "40%" in next(p.message for p in flagged if p.role == roles["Specialist"])


def test_segregation_of_duties_only_when_asked() -> None:
    document, activities, roles = incident_document()
    fill_valid_raci(document, activities, roles)
    activity = document.element(activities["Assign"])
    smo.set_raci(document, activity, roles["Process owner"], "")
    smo.set_raci(document, activity, roles["Incident manager"], "RA")
    assert not [p for p in check_raci(document) if p.rule == "raci.segregation-of-duties"]
    [problem] = [
        p
        for p in check_raci(document, RaciSettings(segregation_of_duties=True))
        if p.rule == "raci.segregation-of-duties"
    ]
    assert problem.element == activities["Assign"] and problem.role == roles["Incident manager"]


def test_lane_role_not_responsible_is_a_warning() -> None:
    document, activities, roles = incident_document()
    fill_valid_raci(document, activities, roles)
    activity = document.element(activities["Log incident"])
    smo.set_raci(document, activity, roles["Service desk"], "")
    smo.set_raci(document, activity, roles["Incident manager"], "R")
    [problem] = [p for p in check_raci(document) if p.rule == "raci.lane-role"]
    assert problem.element == activities["Log incident"] and "Service desk" in problem.message


def test_a_model_without_roles_has_no_raci_to_check() -> None:
    from conftest import MIWG

    from smo_designer.formats.bpmn import read_bpmn

    assert check_raci(read_bpmn(MIWG / "A.4.0.bpmn").document) == []


def test_a_model_with_roles_but_no_letters_has_no_raci_to_check() -> None:
    document, _, _ = incident_document()
    assert check_raci(document) == []
