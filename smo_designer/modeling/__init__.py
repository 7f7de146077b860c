"""Modeling operations: the edits a user makes on a diagram, as functions of the document
(modeling layer, pure Python, no Qt)."""
