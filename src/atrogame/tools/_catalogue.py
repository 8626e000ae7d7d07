"""Loading the tool catalogue (package data) into frozen ``Tool`` and ``Strategy`` objects."""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources

from atrogame.core.contract import Lever, ModelLike
from atrogame.core.registry import Registry


@dataclass(frozen=True)
class Tool:
    """A third-party atrocity-prevention tool and the parameters it moves in each model.

    Examples
    --------
    >>> from atrogame.tools import get
    >>> t = get("naming_and_shaming")
    >>> t.strategies, t.levers["kydd_straus"][0].parameter
    (('dissuade',), ('atrocity_penalty',))
    """

    id: str
    name: str
    definition: str
    strategies: tuple[str, ...]
    mechanisms: tuple[str, ...]
    cost: float
    levers: Mapping[str, tuple[Lever, ...]] = field(default_factory=dict)
    risks: tuple[str, ...] = ()

    def levers_for(self, model: ModelLike) -> dict[str, Lever]:
        """Parameter name → lever for ``model`` (empty when the tool is not represented).

        The catalogue's own levers for the model come first; a model may also declare levers
        for catalogue tools itself (its ``levers`` class attribute, keyed by tool id), which is
        how models from other packages join the catalogue.
        """
        available = set(model.parameter_values())
        out: dict[str, Lever] = {}
        declared = tuple(model.tool_levers().get(self.id, ())) if hasattr(model, "tool_levers") else ()
        for lever in (*self.levers.get(model.name, ()), *declared):
            p = lever.resolve(available)
            if p is not None:
                out[p] = lever
        return out

    def represented_in(self, model: ModelLike) -> bool:
        return bool(self.levers_for(model))


@dataclass(frozen=True)
class Strategy:
    """One of the four strategies of the USHMM framework (2023)."""

    id: str
    name: str
    mechanisms: tuple[str, ...]


@functools.cache
def _load() -> tuple[Registry[Tool], Registry[Strategy]]:
    text = resources.files("atrogame.tools").joinpath("catalogue.toml").read_bytes()
    data = tomllib.loads(text.decode("utf-8"))
    strategies = Registry(
        "strategy",
        {sid: Strategy(sid, s["name"], tuple(s["mechanisms"])) for sid, s in data["strategies"].items()},
    )
    tools: dict[str, Tool] = {}
    for tid, t in data["tools"].items():
        levers = {
            model: tuple(
                Lever(
                    parameter=tuple([lv["parameter"]] if isinstance(lv["parameter"], str) else lv["parameter"]),
                    direction=int(lv["direction"]),
                    step=float(lv["step"]),
                    scale=str(lv.get("scale", "absolute")),
                )
                for lv in lst
            )
            for model, lst in t.get("levers", {}).items()
        }
        for sid in t["strategies"]:
            strategies[sid]  # unknown strategy ids fail loudly (KeyError)
        tools[tid] = Tool(
            id=tid,
            name=t["name"],
            definition=t["definition"],
            strategies=tuple(t["strategies"]),
            mechanisms=tuple(t["mechanisms"]),
            cost=float(t["cost"]),
            levers=levers,
            risks=tuple(t.get("risks", ())),
        )
    return Registry("tool", tools), strategies


def tools_registry() -> Registry[Tool]:
    return _load()[0]


def strategies_registry() -> Registry[Strategy]:
    return _load()[1]
