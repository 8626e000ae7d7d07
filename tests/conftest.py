"""Shared test configuration: Agg backend, hypothesis profiles, seeded numpy."""

from __future__ import annotations

import os

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest
from hypothesis import HealthCheck, settings

# Hypothesis profiles (see the README's "Testing" section).
# - "ci" (the default, used by .ci/run): derandomized, so every run draws the same examples and
#   the suite passes or fails deterministically; no example database is read or written.
# - "explore": random draws, many examples (HYPOTHESIS_MAX_EXAMPLES, default 2000), the example
#   database on: run it locally to hunt for new failures, then pin each one as an explicit test
#   or ``@example``.
# - "dev": a quick random run while editing.
_COMMON = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow, HealthCheck.filter_too_much]}
settings.register_profile("ci", max_examples=60, derandomize=True, database=None, print_blob=True, **_COMMON)
settings.register_profile("dev", max_examples=30, **_COMMON)
settings.register_profile(
    "explore", max_examples=int(os.environ.get("HYPOTHESIS_MAX_EXAMPLES", "2000")), print_blob=True, **_COMMON
)
settings.register_profile("nightly", max_examples=1000, **_COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(20261123)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


# tests/plugin_pkg is a third-party package used by tests/test_plugin_package.py through a
# subprocess; importing it here would register its figure in this process.
collect_ignore = ["plugin_pkg"]
