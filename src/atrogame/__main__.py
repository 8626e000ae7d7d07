"""``python -m atrogame``: the command-line interface."""

import sys

from atrogame.cli import main

sys.exit(main())
