"""Root pytest configuration: what to leave out of doctest collection when an extra is missing.

The compiled kernels (``_compiled`` modules next to each model's numpy kernel, and
``atrogame/accel/kernels.py``) import numba at module level; without the ``fast`` extra
they cannot be imported, so ``--doctest-modules`` must not collect them. The tests of the
compiled path (tests/core/test_fastpath.py) skip with a reason in that case.
"""

from __future__ import annotations

import importlib.util

collect_ignore_glob: list[str] = []
if importlib.util.find_spec("numba") is None:
    collect_ignore_glob = ["src/atrogame/accel/kernels.py", "src/atrogame/models/*/_compiled.py"]
