"""Exceptions and warnings raised by atrogame.

Every invalid input raises :class:`ParameterError`, a :class:`ValueError`
subclass whose message names the parameter, its allowed range and the value
given, for example ``price_civilians must be in (0, inf); got -1.0``.
Regime changes and corner solutions are results, never errors.
"""

from __future__ import annotations

from typing import Any


class ParameterError(ValueError):
    """A parameter value lies outside the model's domain.

    Attributes
    ----------
    name:
        The parameter's name (for example ``"price_civilians"``).
    domain:
        The allowed range as text (for example ``"(0, inf)"``).
    value:
        The value that was given.

    Examples
    --------
    >>> err = ParameterError("price_civilians", "(0, inf)", -1.0)
    >>> str(err)
    'price_civilians must be in (0, inf); got -1.0'
    >>> isinstance(err, ValueError)
    True
    """

    def __init__(self, name: str, domain: str, value: Any, detail: str | None = None,
                 alternatives: dict[str, tuple[str, Any]] | None = None) -> None:
        self.name = name
        self.domain = domain
        self.value = value
        self.detail = detail
        #: For a rule joining several parameters: ``{other_name: (its allowed range given the
        #: rest, its value)}``, so the error can name the parameter the user actually set.
        self.alternatives = dict(alternatives or {})
        msg = f"{name} must be in {domain}; got {_fmt(value)}"
        if detail:
            msg = f"{msg} ({detail})"
        super().__init__(msg)

    def blame(self, given: Any) -> ParameterError:
        """The same violation named after a parameter in ``given`` (the ones the user set).

        A rule joining several parameters is first reported for one of them; when the user
        set another one, this re-states the error for that one, with its own allowed range.

        Examples
        --------
        >>> err = ParameterError("b", "(2, inf)", 1.0, "a < b required",
        ...                      alternatives={"a": ("(-inf, 1)", 2.0)})
        >>> str(err.blame({"a": 2.0}))
        'a must be in (-inf, 1); got 2.0 (a < b required)'
        >>> err.blame({"b": 1.0}) is err
        True
        """
        names = list(given)
        if self.name in names:
            return self
        for n in names:
            if n in self.alternatives:
                domain, value = self.alternatives[n]
                others = {self.name: (self.domain, self.value)}
                others.update({k: v for k, v in self.alternatives.items() if k != n})
                return type(self)(n, domain, value, self.detail, others)
        return self

    def __reduce__(self) -> tuple[Any, ...]:  # keep pickling (dask workers) working
        return (type(self), (self.name, self.domain, self.value, self.detail, self.alternatives))


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return repr(value)
    return str(value)


class AtrogameWarning(UserWarning):
    """Base class of every warning atrogame emits.

    Filter on it to silence (or escalate) all of atrogame's warnings at once.

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore", AtrogameWarning)
    ...     warnings.warn("a diagnostic", ConvergenceWarning)
    >>> issubclass(AtrogameWarning, UserWarning)
    True
    """


class NumericalFallbackWarning(AtrogameWarning):
    """A numeric solver was used where a closed form was requested or expected.

    Examples
    --------
    >>> issubclass(NumericalFallbackWarning, AtrogameWarning)
    True
    """


class RegimeBoundaryWarning(AtrogameWarning):
    """A finite difference straddles a regime boundary; its value mixes two regimes.

    Examples
    --------
    >>> issubclass(RegimeBoundaryWarning, AtrogameWarning)
    True
    """


class ConvergenceWarning(AtrogameWarning):
    """A numeric solver did not meet its tolerance.

    Examples
    --------
    >>> issubclass(ConvergenceWarning, AtrogameWarning)
    True
    """


class MultipleOptimaWarning(AtrogameWarning):
    """A numeric search found two (near-)equal optima; the reported one is not unique.

    Examples
    --------
    >>> issubclass(MultipleOptimaWarning, AtrogameWarning)
    True
    """
