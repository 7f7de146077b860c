"""Undoable edits: QUndoCommand subclasses, each one user intent (commands layer)."""
