"""Tactic substitution: the nested-CES perpetrator of :class:`AtrocityTactics`.

After Anderton & Brauer; tactic substitution motivated by the USHMM roundtable. The functional
forms and numbers are atrogame's own reconstruction (see docs/explanation/tactics.md).
"""

from atrogame.models.tactics.closed_form import closed_form
from atrogame.models.tactics.model import AtrocityTactics
from atrogame.models.tactics.params import TacticsParams

__all__ = ["AtrocityTactics", "TacticsParams", "closed_form"]
