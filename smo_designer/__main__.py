"""python -m smo_designer: the same as the smo-designer command."""

import sys

from .cli import main

sys.exit(main())
