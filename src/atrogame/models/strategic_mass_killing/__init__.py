"""The strategic mass-killing game, after Esteban, Morelli & Rohner (2015).

Two groups, an incumbent I in power and an opposition O. O may challenge; a challenge is decided
by a ratio contest in efforts; the winner may then kill members of the loser, because each victim
frees per-capita rent entitlements and weakens a future challenger. Functional forms and numbers
are atrogame's own reconstruction, not the authors' (the published model is dynamic); see
docs/explanation/strategic_mass_killing.md.

Esteban, J., Morelli, M., & Rohner, D. (2015). Strategic mass killings. Journal of Political
Economy 123(5), 1087-1132 (no DOI given: it could not be verified).
"""

from __future__ import annotations

from atrogame.models.strategic_mass_killing.kernel import KILLING_REGIMES, ONSET_REGIMES, OUTCOMES, closed_form
from atrogame.models.strategic_mass_killing.model import StrategicMassKilling
from atrogame.models.strategic_mass_killing.params import StrategicMassKillingParams

__all__ = ["KILLING_REGIMES", "ONSET_REGIMES", "OUTCOMES", "StrategicMassKilling", "StrategicMassKillingParams",
           "closed_form"]
