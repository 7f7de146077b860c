"""Editors beside the canvas: RACI grid, policy and KPI forms, properties (Qt)."""
