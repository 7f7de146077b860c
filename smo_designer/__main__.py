"""python -m smo_designer: the same as the smo-designer command."""

from .cli import run

run()
