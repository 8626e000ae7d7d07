"""``python -m atrogame.cli`` (the same as ``python -m atrogame``)."""

import sys

from atrogame.cli import main

sys.exit(main())
