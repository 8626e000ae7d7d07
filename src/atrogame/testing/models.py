"""Test models for the core machinery and for sensitivity analysis (not models of atrocities).

* :class:`Toy`: choose x ≥ 0 to maximise (b − t)·x − c·x²/2; answers checkable by hand.
* :class:`Ishigami`: the Ishigami & Homma (1990) test function with known Sobol indices
  (:func:`analytic_indices`), doi:10.1109/ISUMA.1990.151285.

They follow the public model contract like any model, so the engine, sensitivity analysis and
:func:`atrogame.testing.check_model` can be tested on them. They are not registered as models.

Examples
--------
>>> Toy(benefit=3.0).solve().x
2.0
>>> round(Ishigami(x1=1.0).solve().linear, 6)
1.0
"""

from atrogame.testing._ishigami import Ishigami, IshigamiParams, analytic_indices
from atrogame.testing._toy import Toy, ToyParams

__all__ = ["Ishigami", "IshigamiParams", "Toy", "ToyParams", "analytic_indices"]
