"""python -m gradflow ... (see gradflow.cli)."""

import sys

from .cli import main

sys.exit(main())
