"""PenalizingAtrocities passes the model contract's conformance suite."""

from __future__ import annotations

from atrogame.models.penalizing_atrocities import PenalizingAtrocities
from atrogame.testing import check_model


def test_check_model():
    report = check_model(PenalizingAtrocities, raise_on_failure=False)
    assert report.passed, report
