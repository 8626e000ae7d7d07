"""An explicit, typed registry whose ``KeyError`` lists close matches.

Examples
--------
>>> r = Registry("model", {"kydd_straus": 1, "anderton_brauer": 2})
>>> r["kyd_straus"]
Traceback (most recent call last):
...
KeyError: "unknown model 'kyd_straus'; did you mean 'kydd_straus'? Known: anderton_brauer, kydd_straus"
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping
from typing import Generic, TypeVar

T = TypeVar("T")


class Registry(Mapping[str, T], Generic[T]):
    """A read-mostly mapping from ids to objects (models, figures, tools).

    ``kind`` names what is registered and appears in error messages; an unknown
    key raises a ``KeyError`` that suggests close matches and lists the known ids.

    Examples
    --------
    >>> figs = Registry("figure", {"ks-tree": "tree"})
    >>> figs.register("ab-demand", "demand")
    'demand'
    >>> sorted(figs), len(figs), figs["ks-tree"]
    (['ab-demand', 'ks-tree'], 2, 'tree')
    >>> figs["ab-demnd"]
    Traceback (most recent call last):
    ...
    KeyError: "unknown figure 'ab-demnd'; did you mean 'ab-demand'? Known: ab-demand, ks-tree"
    """

    def __init__(self, kind: str, items: Mapping[str, T] | None = None) -> None:
        self.kind = kind
        self._items: dict[str, T] = dict(items or {})

    def register(self, key: str, value: T) -> T:
        if key in self._items and self._items[key] is not value:
            raise ValueError(f"{self.kind} {key!r} is already registered")
        self._items[key] = value
        return value

    def unregister(self, key: str) -> T:
        """Remove ``key`` and return what was registered (``KeyError`` lists close matches).

        Examples
        --------
        >>> r = Registry("thing", {"a": 1})
        >>> r.unregister("a"), len(r)
        (1, 0)
        """
        value = self[key]
        del self._items[key]
        return value

    def __getitem__(self, key: str) -> T:
        try:
            return self._items[key]
        except KeyError:
            close = difflib.get_close_matches(key, list(self._items), n=3)
            hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
            known = ", ".join(sorted(self._items))
            raise KeyError(f"unknown {self.kind} {key!r}{hint} Known: {known}") from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"Registry({self.kind!r}, {sorted(self._items)})"
