"""Checks that return problems: BPMN structure, lanes, RACI, policies (rules layer, no Qt)."""
