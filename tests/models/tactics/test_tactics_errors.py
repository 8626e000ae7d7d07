"""Bad input raises ParameterError naming the parameter, its domain and the value."""

from __future__ import annotations

import math

import pytest

from atrogame.core.errors import ParameterError
from atrogame.models.tactics.params import TacticsParams

CUSTOM = {"tactics": ("a", "b"), "lethality": (1.0, 0.0)}


@pytest.mark.parametrize(("kw", "name", "fragment"), [
    ({"tactic_substitution": 0.0}, "tactic_substitution", "(0, inf); got 0.0"),
    ({"tactic_substitution": -1.0}, "tactic_substitution", "(0, inf); got -1.0"),
    ({"tactic_substitution": math.nan}, "tactic_substitution", "got nan"),
    ({"tactic_substitution": math.inf}, "tactic_substitution", "got inf"),
    ({"substitution_elasticity": 0.0}, "substitution_elasticity", "(0, inf)"),
    ({"tactic_weights": (0.3, 0.3, 0.3, 0.3)}, "tactic_weights", "got 1.2"),
    ({"tactic_weights": (0.5, 0.5, 0.0, 0.0)}, "tactic_weights[imprisonment]", "(0, 1]; got 0.0"),
    ({"tactic_cost": (0.5, 0.0, 0.75, 1.0)}, "tactic_cost[displacement]", "(0, inf); got 0.0"),
    ({"tactic_cost": (0.5, -1.0, 0.75, 1.0)}, "tactic_cost[displacement]", "(0, inf); got -1.0"),
    ({"tactic_sanction": (0, 0, -0.1, 0)}, "tactic_sanction[imprisonment]", "[0, inf); got -0.1"),
    ({"tactic_productivity": (1, 1, 1, 0)}, "tactic_productivity[sexual_violence]", "(0, inf)"),
    ({"cost_rebels": 0.0}, "cost_rebels", "(0, inf); got 0.0"),
    ({"enabler_cost": -1.0}, "enabler_cost", "(0, inf)"),
    ({"resources": 0.0}, "resources", "(0, inf)"),
    ({"ideology": 1.5}, "ideology", "[0, 1]; got 1.5"),
    ({"ideology": -0.1}, "ideology", "[0, 1]; got -0.1"),
    ({"share_rebels": 1.0}, "share_rebels", "(0, 1)"),
    ({"enabler_supply_elasticity": 0.0}, "enabler_supply_elasticity", "got 0.0"),
    ({"enabler_capacity": 10.0}, "enabler_capacity", "None when enabler_supply_elasticity = inf"),
    ({"enabler_supply_elasticity": 2.0}, "enabler_capacity", "required"),
    ({"tactics": ("a", "a"), "lethality": (1, 1)}, "tactics", "duplicate"),
    ({"tactics": ()}, "tactics", "K = 0"),
    ({"tactics": ("a", "")}, "tactics", "identifier"),
    ({"tactics": ("a", "b")}, "lethality", "needed for custom tactics"),
    ({"harm_weights": {"injured": 1.0}}, "harm_weights", "unknown harm category"),
    ({"tactic_cost": {"killing": 1, "displacement": 1, "imprisonment": 1, "torture": 1}}, "tactic_cost", "torture"),
    ({"tactic_cost": {"killing": 1, "displacement": 1, "imprisonment": 1}}, "tactic_cost", "sexual_violence"),
    ({"tactic_cost": (1, 1, 1)}, "tactic_cost", "wrong length"),
    ({"objective": "min_cost"}, "control_target", "required"),
    ({"objective": "max_deaths"}, "objective", "max_deaths"),
    ({**CUSTOM, "tactic_weights": (0.2, 0.2)}, "tactic_weights", "got 0.4"),
])
def test_parameter_errors_name_parameter_domain_and_value(kw, name, fragment):
    with pytest.raises(ParameterError) as info:
        TacticsParams(**kw)
    assert info.value.name == name
    assert fragment in str(info.value)
    assert isinstance(info.value, ValueError)


def test_unknown_keyword_is_a_type_error_listing_valid_names():
    with pytest.raises(TypeError):
        TacticsParams(weight_rebels=0.5)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match=r"valid names: .*tactic_substitution"):
        TacticsParams().replace(weight_rebels=0.5)


def test_custom_tactics_defaults():
    p = TacticsParams(**CUSTOM)
    assert p.tactic_weights == (0.5, 0.5) and p.tactic_cost == (1.0, 1.0) and p.enabler_intensity == (0.0, 0.0)
    assert dict(p.harm_profile) == {}


def test_weights_within_tolerance_are_accepted():
    TacticsParams(tactic_weights=(0.25, 0.25, 0.25, 0.25 + 5e-10))
    with pytest.raises(ParameterError):
        TacticsParams(tactic_weights=(0.25, 0.25, 0.25, 0.25 + 5e-9))


def test_replace_never_mutates_and_updates_one_tactic():
    p = TacticsParams()
    q = p.replace(tactic_sanction={"imprisonment": 1.0})
    assert p.tactic_sanction == (0.0, 0.0, 0.0, 0.0) and q.tactic_sanction == (0.0, 0.0, 1.0, 0.0)
    assert hash(p) != hash(q) and p == TacticsParams()
    with pytest.raises(ParameterError, match="tactic_sanction"):
        p.replace(tactic_sanction={"torture": 1.0})
